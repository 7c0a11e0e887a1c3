"""FollowTheMoney entities, for OpenSanctions, Aleph and other investigation tools.

Entities (line-delimited JSON, one entity per line, made with the followthemoney library):
- states and state agencies: PublicBody (states with `country` and `jurisdiction`);
- organisations: Organization (criminal organisations with the topic `crime`);
- people: Person;
- crimes (patterns and events) and other events: Event, with `involved` (responsible states,
  perpetrators, agents, participants, parties cooperating) and `organizer` (perpetrators and
  agents);
- source documents and reports: Document.
Groups of people, places, figures and the like stay out: FtM has no schema for them.

Relations:
- every edge between two entities: an UnknownLink (subject, object, `role` the predicate's
  English label) whose `summary` is the supporting quotes, `sourceUrl` the source documents and
  `description` the claims and their status. Units get their `parent` as well.
- "accused of" a crime type (not an entity in FtM): a Note on the accused with the crime type,
  the quotes and the sources, and the accused gets the matching FtM topic.
- each entity's source documents: a Documentation linking the Document to the entity.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from followthemoney import model
from followthemoney.util import make_entity_id
from rdflib import URIRef
from rdflib.namespace import SKOS

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
}
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
PARENT = {URIRef(ORG + "unitOf"), URIRef(ORG + "subOrganizationOf")}


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
    first = node.label("en")
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


def _node_properties(network: Network, node: NetworkNode, schema: str) -> dict[str, list[str]]:
    props = _names(node) if schema != "Document" else {"title": [node.label("en")]}
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
    links: list[dict] = []
    for edge in network.edges:
        links.extend(_edge_entities(network, edge, schemas, props))
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
        crime = network.nodes[target].label("en")
        yield _entity("Note", make_entity_id("accused", str(subject), str(target)), {
            "entity": [entity_id(subject)], "name": [f"Accused of {crime}"],
            "summary": evidence["summary"], "sourceUrl": evidence["sourceUrl"],
            "description": evidence["description"], "topics": ["crime"],
        })
        return
    if edge.predicate == RG.crimeType and schemas.get(subject) == "Event":
        props[subject].setdefault("keywords", []).append(network.nodes[target].label("en"))
        return
    if subject not in schemas or target not in schemas:
        return
    if schemas[subject] == "Event" and schemas[target] in ("PublicBody", "Organization", "Person"):
        if edge.predicate in INVOLVED:
            props[subject].setdefault("involved", []).append(entity_id(target))
        if edge.predicate in ORGANIZER:
            props[subject].setdefault("organizer", []).append(entity_id(target))
    if edge.predicate in PARENT and schemas[target] in ("PublicBody", "Organization"):
        props[subject].setdefault("parent", []).append(entity_id(target))
    yield _entity("UnknownLink", make_entity_id("link", str(subject), str(edge.predicate), str(target)), {
        "subject": [entity_id(subject)], "object": [entity_id(target)],
        "role": [network.term_label(edge.predicate)], **evidence,
    })


def to_ftm(network: Network) -> bytes:
    """Line-delimited FtM JSON, as `ftm` and Aleph's tools read it."""
    lines = [json.dumps(entity, ensure_ascii=False, sort_keys=True) for entity in entities(network)]
    return ("\n".join(lines) + "\n").encode("utf-8")
