"""FollowTheMoney entities, for OpenSanctions, Aleph and other investigation tools.

Entities (line-delimited JSON, one entity per line, made with the followthemoney library):
- states and state agencies: PublicBody (states with `country` and `jurisdiction`);
- organisations: Organization (criminal organisations with the topic `crime`);
- people: Person; posts (org:Post): Position, with its `organization`;
- crimes (patterns and events) and other events: Event, with `involved` (responsible states,
  perpetrators, agents, participants, parties cooperating) and `organizer` (perpetrators and
  agents);
- source documents and reports: Document.
Groups of people, places, figures, quotations and the like stay out: FtM has no schema for them.

`country`, for agencies, organisations, positions and events: the states the plain triples tie
them to, through rg:agencyOf, rg:basedIn, rg:place, rg:locatedIn (a city's state), org:unitOf,
org:subOrganizationOf and org:postIn (a unit's or a post's organisation), followed to a state.
Nothing else is guessed: an agency no factual claim ties to a state has no country.

Relations, each with `summary` the supporting quotes, `sourceUrl` the source documents and
`description` the claims and their status, in the schema FtM has for them:
- a relation of a document (dcterms:creator, publisher, rg:translator, rg:documents, ...):
  Documentation, `role` the predicate's English label;
- a person holding a post (org:holds): Occupancy;
- membership (org:memberOf, rg:memberOf) of an organisation: Membership;
- a speaker quoted on behalf of an organisation (a quotation's rg:speaker and rg:onBehalfOf):
  Representation, agent the speaker, client the organisation;
- anything else between two entities: UnknownLink (`role` the predicate's English label). A
  unit's org:unitOf and an agency's rg:agencyOf also set its `parent`.
- "accused of" a crime type (not an entity in FtM): a Note on the accused with the crime type,
  the quotes and the sources, and the accused gets the matching FtM topic.
- each entity's source documents: a Documentation linking the Document to the entity.
Only plain triples become relations: what claims only plan, consider, recommend, allege or
attribute stays out, as FtM has no way to say that a relation is not so.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

from followthemoney import model
from followthemoney.util import make_entity_id
from rdflib import URIRef
from rdflib.namespace import DCTERMS, SKOS

from rightsgraph.core.namespaces import CRIME, RG, RGID
from rightsgraph.export.network import Evidence, Network, NetworkEdge, NetworkNode, local_name

ORG = "http://www.w3.org/ns/org#"
SCHEMA_OF_KIND = {
    "state": "PublicBody",
    "agency": "PublicBody",
    "organisation": "Organization",
    "person": "Person",
    "crime": "Event",
    "event": "Event",
    "document": "Document",
    "post": "Position",
}
ORGANISATIONS = ("PublicBody", "Organization")
LEGAL_ENTITIES = ("PublicBody", "Organization", "Person")
# Crime types with an FtM topic of their own; any other crime is the topic `crime`.
CRIME_TOPICS = {
    "human-trafficking": "crime.traffick.human",
    "forced-labour": "forced.labor",
    "cybercrime": "crime.cyber",
    "telecom-fraud": "crime.fraud",
    "money-laundering": "crime.fin",
    "crimes-against-humanity": "crime.war",
}
# Edges from an event that make the object one of the event's involved parties or organisers.
INVOLVED = {RG.responsibleState, RG.perpetrator, RG.agent, RG.participant, RG.inCooperationWith,
            RG.party, RG.victim}
ORGANIZER = {RG.perpetrator, RG.agent}
PARENT = {URIRef(ORG + "unitOf"), URIRef(ORG + "subOrganizationOf"), RG.agencyOf}
HOLDS, POST_IN = URIRef(ORG + "holds"), URIRef(ORG + "postIn")
MEMBER_OF = {URIRef(ORG + "memberOf"), RG.memberOf}
# Edges whose object's states are the subject's countries (see the module's description).
COUNTRY_FROM = {RG.agencyOf, RG.basedIn, RG.place, RG.locatedIn, POST_IN, *PARENT}
# Roles that read from the entity's side when the document is the edge's subject.
DOCUMENT_ROLES = {DCTERMS.creator, DCTERMS.publisher}


def entity_id(iri: URIRef) -> str:
    """A readable, stable id: rg-country-CN, rg-knpa; other IRIs hashed."""
    text = str(iri)
    if text.startswith(str(RGID)):
        slug = "".join(c if c.isalnum() else "-" for c in text[len(str(RGID)):]).strip("-")
        if slug:
            return f"rg-{slug}"
    return make_entity_id("rightsgraph", text)


def _evidence_values(evidence: list[Evidence]) -> dict[str, list[str]]:
    return {
        "summary": [q.text for e in evidence for q in e.quotes],
        "sourceUrl": sorted({str(e.source) for e in evidence if e.source}),
        "description": [f"{e.claim} ({local_name(e.status) if e.status else 'stated'})" for e in evidence],
    }


def _names(node: NetworkNode) -> dict[str, list[str]]:
    first = node.name
    names = [first, *sorted({label for labels in node.labels.values() for label in labels} - {first})]
    aliases = sorted({str(v) for v in node.attributes.get(SKOS.altLabel, [])})
    return {"name": names, "alias": aliases}


def _entity(schema: str, entity: str, properties: dict[str, list[str]]) -> dict:
    proxy = model.make_entity(schema)
    proxy.id = entity
    for prop, values in properties.items():
        for value in values:
            proxy.add(prop, value, cleaned=False)
    return proxy.to_dict()


def _topics(network: Network, iri: URIRef) -> list[str]:
    topics: set[str] = set()
    for edge in network.edges:
        if edge.source == iri and edge.predicate == RG.accusedOf:
            slug = str(edge.target)[len(str(CRIME)):] if str(edge.target).startswith(str(CRIME)) else ""
            topics.add(CRIME_TOPICS.get(slug, "crime"))
    return sorted(topics)


def countries(network: Network) -> dict[URIRef, set[str]]:
    """Each node's ISO 3166 codes (lower case): a state's own, else those of the states its
    COUNTRY_FROM edges lead to, followed until nothing changes (a unit of a unit of an agency)."""
    codes: dict[URIRef, set[str]] = {
        iri: {str(v).lower() for v in node.attributes.get(RG.iso3166Alpha2, [])}
        for iri, node in network.nodes.items() if node.kind == "state"}
    links = [(e.source, e.target) for e in network.edges
             if e.predicate in COUNTRY_FROM and network.nodes[e.source].kind != "state"]
    changed = True
    while changed:
        changed = False
        for source, target in links:
            found = codes.get(target, set()) - codes.get(source, set())
            if found:
                codes.setdefault(source, set()).update(found)
                changed = True
    return codes


def _node_properties(network: Network, node: NetworkNode, schema: str) -> dict[str, list[str]]:
    props = _names(node) if schema != "Document" else {"title": [node.name]}
    props["sourceUrl"] = [str(node.iri)]
    wikidata = node.attributes.get(RG.wikidata, [])
    props["wikidataId"] = [local_name(q) for q in wikidata]
    props["notes"] = [str(v) for v in node.attributes.get(RG.note, [])]
    code = [str(v).lower() for v in node.attributes.get(RG.iso3166Alpha2, [])]
    if node.kind == "state":
        props["country"] = code
        props["jurisdiction"] = code
        props["topics"] = ["gov.national"]
    elif node.kind == "agency":
        props["topics"] = ["gov"]
    if schema == "Event":
        props["startDate"] = [str(v) for v in node.attributes.get(RG.startDate, [])]
        props["endDate"] = [str(v) for v in node.attributes.get(RG.endDate, [])]
        props["date"] = [str(v) for v in node.attributes.get(RG.date, [])]
        props["topics"] = ["crime"] if node.kind == "crime" else []
    if schema in ("Organization", "PublicBody", "Person"):
        props.setdefault("topics", [])
        props["topics"] += _topics(network, node.iri)
        if any(t in str(node.types) for t in ("CriminalOrganisation",)):
            props["topics"].append("crime")
    return props


def entities(network: Network) -> Iterator[dict]:
    """Every FtM entity of the network, as the library's dicts, in a stable order."""
    schemas = {iri: SCHEMA_OF_KIND[n.kind] for iri, n in network.nodes.items() if n.kind in SCHEMA_OF_KIND}
    props = {iri: _node_properties(network, network.nodes[iri], schema) for iri, schema in schemas.items()}
    for iri, codes in countries(network).items():
        if schemas.get(iri) in ("PublicBody", "Organization", "Position", "Event"):
            props[iri]["country"] = sorted(codes)
    links: list[dict] = []
    for edge in network.edges:
        links.extend(_edge_entities(network, edge, schemas, props))
    links.extend(_representations(network, schemas))
    for iri in schemas:
        sources = sorted({e.source for e in network.nodes[iri].evidence if e.source in schemas})
        for source in sources:
            if source == iri:
                continue
            links.append(_entity("Documentation", make_entity_id("documentation", str(source), str(iri)), {
                "document": [entity_id(source)], "entity": [entity_id(iri)], "role": ["source"]}))
    for iri, schema in schemas.items():
        yield _entity(schema, entity_id(iri), props[iri])
    yield from links


def _edge_entities(network: Network, edge: NetworkEdge, schemas: dict, props: dict) -> Iterator[dict]:
    subject, target = edge.source, edge.target
    evidence = _evidence_values(edge.evidence)
    if edge.predicate == RG.accusedOf and subject in schemas:
        crime = network.nodes[target].name
        yield _entity("Note", make_entity_id("accused", str(subject), str(target)), {
            "entity": [entity_id(subject)], "name": [f"Accused of {crime}"],
            "summary": evidence["summary"], "sourceUrl": evidence["sourceUrl"],
            "description": evidence["description"], "topics": ["crime"],
        })
        return
    if edge.predicate == RG.crimeType and schemas.get(subject) == "Event":
        props[subject].setdefault("keywords", []).append(network.nodes[target].name)
        return
    if edge.predicate == RG.place and schemas.get(subject) == "Event" and target not in schemas:
        props[subject].setdefault("location", []).append(network.nodes[target].name)  # a city, a region
        return
    if subject not in schemas or target not in schemas:
        return
    first, second = schemas[subject], schemas[target]
    if first == "Event" and second in LEGAL_ENTITIES:
        if edge.predicate in INVOLVED:
            props[subject].setdefault("involved", []).append(entity_id(target))
        if edge.predicate in ORGANIZER:
            props[subject].setdefault("organizer", []).append(entity_id(target))
    if edge.predicate in PARENT and second in ORGANISATIONS:
        props[subject].setdefault("parent", []).append(entity_id(target))
    if edge.predicate == POST_IN and first == "Position" and second in ORGANISATIONS:
        props[subject].setdefault("organization", []).append(entity_id(target))
        return  # the post's organisation is a property of the Position, not a relation
    if first == "Document" and edge.predicate in DOCUMENT_ROLES and second in LEGAL_ENTITIES:
        for prop in ("author" if edge.predicate == DCTERMS.creator else "publisher",):
            props[subject].setdefault(prop, []).append(network.nodes[target].name)
    role = [network.term_label(edge.predicate)]
    key = make_entity_id("link", str(subject), str(edge.predicate), str(target))
    if "Document" in (first, second):
        document, entity = (subject, target) if first == "Document" else (target, subject)
        yield _entity("Documentation", key, {
            "document": [entity_id(document)], "entity": [entity_id(entity)], "role": role, **evidence})
    elif edge.predicate == HOLDS and first == "Person" and second == "Position":
        yield _entity("Occupancy", key, {"holder": [entity_id(subject)], "post": [entity_id(target)], **evidence})
    elif edge.predicate in MEMBER_OF and first in LEGAL_ENTITIES and second in ORGANISATIONS:
        yield _entity("Membership", key, {
            "member": [entity_id(subject)], "organization": [entity_id(target)], "role": role, **evidence})
    else:
        yield _entity("UnknownLink", key, {
            "subject": [entity_id(subject)], "object": [entity_id(target)], "role": role, **evidence})


def _representations(network: Network, schemas: dict) -> Iterator[dict]:
    """A speaker quoted on behalf of an organisation represents it: one Representation per
    (speaker, organisation) of a quotation, with the evidence of both statements."""
    speakers: dict[URIRef, list[NetworkEdge]] = {}
    clients: dict[URIRef, list[NetworkEdge]] = {}
    for edge in network.edges:
        if edge.predicate in (RG.speaker, RG.onBehalfOf) and schemas.get(edge.target) in LEGAL_ENTITIES:
            (speakers if edge.predicate == RG.speaker else clients).setdefault(edge.source, []).append(edge)
    for quotation, spoken in sorted(speakers.items()):
        for speaker in spoken:
            for client in clients.get(quotation, []):
                if speaker.target == client.target:
                    continue
                evidence = _evidence_values(sorted({*speaker.evidence, *client.evidence}, key=lambda e: str(e.claim)))
                yield _entity("Representation", make_entity_id("representation", str(quotation),
                                                               str(speaker.target), str(client.target)), {
                    "agent": [entity_id(speaker.target)], "client": [entity_id(client.target)],
                    "role": [network.term_label(RG.onBehalfOf)], **evidence})


def summary(network: Network) -> str:
    """What the export writes: entities (things) and links (relations), by schema."""
    made = list(entities(network))
    written = Counter(entity["schema"] for entity in made)
    links = {schema for schema in written if model.get(schema).edge}
    stateless = sum(1 for e in made if e["schema"] in ORGANISATIONS and not e["properties"].get("country"))
    def listing(schemas: set[str]) -> str:
        return ", ".join(f"{written[s]} {s}" for s in sorted(schemas, key=lambda s: (-written[s], s)))
    things = set(written) - links
    return (f"{sum(written[s] for s in things)} entities ({listing(things)}), "
            f"{sum(written[s] for s in links)} links ({listing(links)}); "
            f"{stateless} agencies and organisations without a country (no factual claim ties them to a state)")


def to_ftm(network: Network) -> bytes:
    """Line-delimited FtM JSON, as `ftm` and Aleph's tools read it."""
    lines = [json.dumps(entity, ensure_ascii=False, sort_keys=True) for entity in entities(network)]
    return ("\n".join(lines) + "\n").encode("utf-8")
