"""What a resource page shows, worked out from the graph: plain data for the templates.

A page leads with the facts: what the resource is, then every statement the claims make about it,
in both directions (what it does, and what points to it), grouped by how the sources put them:
facts (reported or found) first, then what is only planned, under consideration, recommended,
alleged or attributed to a speaker. The statements are read from the claims (rg:states), not from
the plain triples, because what is not a fact is not asserted as a plain triple (ontology/README.md,
"A plain triple means a source reports it as so") and would otherwise be missing from the page.
Where claims give one thing different values (the stored query competing-accounts), the page shows
the values side by side. Names, codes and the triples no claim states come after.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from rightsgraph.core.derive import FACTUAL_STATUSES
from rightsgraph.core.namespaces import OA, RG
from rightsgraph.core.site_paths import Linker, resource_document
from rightsgraph.publish.evidence import Quote, SourceTexts, Triple, quote_spans
from rightsgraph.publish.labels import LABEL_PROPERTIES, all_labels, best_label, language_of, name_of

# Shown in their own sections of a page, not among its other details.
_SECTION_PROPERTIES = {RDF.type, RG.note, *LABEL_PROPERTIES}
# oa:hasTarget repeats the source and the quotes for annotation clients (publish/linked.py).
_CLAIM_PROPERTIES = {RG.states, RG.quote, RG.status, PROV.wasDerivedFrom, OA.hasTarget}
# What a thing is, in its own words or else in its type's: the first of these that it has.
_DESCRIPTION_PROPERTIES = (SKOS.definition, RDFS.comment, DCTERMS.description)
# Blank nodes are shown inside the page that names them, this many levels deep.
MAX_DEPTH = 3

FACTS = "facts"
# The status groups of a page, in order, with their headings; a status not named here (a new one
# in the vocabulary) gets a group of its own after these, titled with its label.
STATUS_GROUPS: tuple[tuple[str, str], ...] = (
    (FACTS, "Reported as fact or found"),
    (str(RG.planned), "Planned"),
    (str(RG.underConsideration), "Under consideration"),
    (str(RG.recommended), "Recommended"),
    (str(RG.alleged), "Alleged"),
    (str(RG.attributed), "Attributed to a speaker"),
)


@dataclass
class Value:
    text: str
    href: str | None = None
    language: str | None = None
    datatype: str | None = None
    iri: str | None = None
    parts: list[tuple[Value, list[Value]]] = field(default_factory=list)  # a blank node's properties
    current: bool = False  # the resource whose page this is


@dataclass
class ClaimRef:
    href: str
    name: str
    status: Value | None
    source: Value | None
    quotes: list[Quote]


@dataclass
class Row:
    value: Value
    claims: list[ClaimRef]


@dataclass
class Group:
    predicate: Value
    rows: list[Row]


@dataclass
class Stated:
    """One statement of the claims about the resource, with the claims of one status group."""

    subject: Value
    predicate: Value
    object: Value
    claims: list[ClaimRef]
    competing: bool = False  # other claims give the same subject another value of the property


@dataclass
class StatusGroup:
    key: str
    title: str
    statements: list[Stated]


@dataclass
class Account:
    """One side of a competing account: a value and the claims that give it."""

    value: Value
    claims: list[ClaimRef]


@dataclass
class Competing:
    predicate: Value
    accounts: list[Account]


@dataclass
class Page:
    iri: str
    path: str
    title: str
    title_language: str | None
    labels: list[tuple[Value, Literal]]
    types: list[Value]
    description: Value | None
    notes: list[Value]
    summary: list[StatusGroup]
    competing: list[Competing]
    statements: list[Group]
    incoming: list[Group]
    claim: ClaimRef | None
    stated: list[tuple[Value, Value, Value]]
    representations: list[tuple[str, str]]


@dataclass
class Describer:
    """Turns graph nodes into page values, with links relative to one page."""

    graph: Graph
    linker: Linker
    evidence: dict[Triple, list[Node]]
    sources: SourceTexts
    # {subject: {property: {value: [claims]}}}: the competing accounts (publish/site.py).
    competing: dict[Node, dict[Node, dict[Node, list[Node]]]] = field(default_factory=dict)

    def value(self, node: Node, depth: int = 0, current: Node | None = None) -> Value:
        graph = self.graph
        if isinstance(node, Literal):
            datatype = None
            if node.datatype is not None and node.datatype != XSD.string:
                datatype = name_of(graph, node.datatype)
            return Value(str(node), language=node.language, datatype=datatype)
        if isinstance(node, BNode):
            parts = []
            if depth < MAX_DEPTH:
                for predicate in sorted(set(graph.predicates(node)), key=str):
                    objects = sorted(graph.objects(node, predicate), key=str)
                    parts.append((self.value(predicate), [self.value(o, depth + 1) for o in objects]))
            return Value("", parts=parts)
        if node == current:  # the page's own resource: named, not linked to itself
            return Value(name_of(graph, node), language=language_of(graph, node), iri=str(node), current=True)
        return Value(name_of(graph, node), href=self.linker.iri(node), language=language_of(graph, node),
                     iri=str(node))

    def claim(self, claim: Node) -> ClaimRef:
        graph = self.graph
        status = graph.value(claim, RG.status)
        source = graph.value(claim, PROV.wasDerivedFrom)
        quotes = [self.sources.quote(exact, span)
                  for quote, span in quote_spans(graph, claim)
                  for exact in sorted(graph.objects(quote, OA.exact), key=str)]
        return ClaimRef(self.linker.iri(claim), name_of(graph, claim),
                        self.value(status) if status is not None else None,
                        self.value(source) if source is not None else None, quotes)

    def claims_for(self, triple: Triple) -> list[ClaimRef]:
        return [self.claim(c) for c in self.evidence.get(triple, [])]


def _groups(describer: Describer, pairs: list[tuple[Node, Node, Triple]]) -> list[Group]:
    by_predicate: dict[Node, list[tuple[Node, Triple]]] = defaultdict(list)
    for predicate, other, triple in pairs:
        by_predicate[predicate].append((other, triple))
    graph = describer.graph
    groups = []
    for predicate in sorted(by_predicate, key=lambda p: name_of(graph, p).lower()):
        rows = sorted(by_predicate[predicate], key=lambda item: (name_of(graph, item[0]).lower(), str(item[0])))
        groups.append(Group(describer.value(predicate),
                            [Row(describer.value(other), describer.claims_for(triple)) for other, triple in rows]))
    return groups


def status_key(status: Node | None) -> str:
    """The group a claim's status puts its statements in."""
    return FACTS if status in FACTUAL_STATUSES else str(status)


def _summary(describer: Describer, node: URIRef) -> list[StatusGroup]:
    """The statements of every claim that names the resource as subject or value, by status group:
    a statement that claims of several statuses make is in each of their groups, with the claims
    of that group. What the resource does comes before what points to it."""
    graph = describer.graph
    found: dict[str, dict[Triple, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for triple, claims in describer.evidence.items():
        if node not in (triple[0], triple[2]):
            continue
        for claim in claims:
            found[status_key(graph.value(claim, RG.status))][triple].append(claim)
    titles = dict(STATUS_GROUPS)
    extra = sorted((key for key in found if key not in titles), key=lambda k: name_of(graph, URIRef(k)).lower())

    def order(triple: Triple) -> tuple[bool, str, str, str]:
        incoming = triple[0] != node
        other = triple[0] if incoming else triple[2]
        return incoming, name_of(graph, triple[1]).lower(), name_of(graph, other).lower(), str(other)

    groups = []
    for key in [k for k, _ in STATUS_GROUPS] + extra:
        if key not in found:
            continue
        statements = []
        for triple in sorted(found[key], key=order):
            subject, predicate, value = triple
            competing = value in describer.competing.get(subject, {}).get(predicate, {})
            statements.append(Stated(describer.value(subject, current=node), describer.value(predicate),
                                     describer.value(value, current=node),
                                     [describer.claim(c) for c in found[key][triple]], competing))
        groups.append(StatusGroup(key, titles.get(key) or name_of(graph, URIRef(key)), statements))
    return groups


def _competing(describer: Describer, node: URIRef) -> list[Competing]:
    graph = describer.graph
    found = []
    properties = describer.competing.get(node, {})
    for predicate in sorted(properties, key=lambda p: name_of(graph, p).lower()):
        values = properties[predicate]
        accounts = [Account(describer.value(value), [describer.claim(c) for c in values[value]])
                    for value in sorted(values, key=lambda v: (name_of(graph, v).lower(), str(v)))]
        found.append(Competing(describer.value(predicate), accounts))
    return found


def _description(describer: Describer, node: URIRef) -> Value | None:
    """What the resource is, in one line: its own definition, else its type's."""
    graph = describer.graph
    for subject in (node, *sorted(graph.objects(node, RDF.type), key=str)):
        for prop in _DESCRIPTION_PROPERTIES:
            texts = sorted((o for o in graph.objects(subject, prop) if isinstance(o, Literal)),
                           key=lambda o: ((o.language or "").lower() != "en", str(o)))
            if texts:
                return describer.value(texts[0])
    return None


def describe(describer: Describer, node: URIRef) -> Page:
    """The page of one resource: what it is, its statements by status, competing accounts, then
    its names and the triples no claim states."""
    graph = describer.graph
    document = resource_document(node) or ""
    is_claim = (node, RG.states, None) in graph or (node, RG.quote, None) in graph
    hidden = _SECTION_PROPERTIES | (_CLAIM_PROPERTIES if is_claim else set())
    # The statements of claims are in the summary; the details are what no claim states.
    outgoing = [(p, o, (node, p, o)) for p, o in graph.predicate_objects(node)
                if p not in hidden and (node, p, o) not in describer.evidence]
    incoming = [(p, s, (s, p, node)) for s, p in graph.subject_predicates(node)
                if isinstance(s, URIRef) and (s, p, node) not in describer.evidence]
    stated = []
    if is_claim:
        for statement in sorted(graph.objects(node, RG.states), key=str):
            parts = [graph.value(statement, p) for p in (RG.subject, RG.predicate, RG.object)]
            if None not in parts:
                stated.append(tuple(describer.value(p) for p in parts))
    label = best_label(graph, node)
    return Page(
        iri=str(node),
        path=document,
        title=name_of(graph, node),
        title_language=label.language if label is not None else None,
        labels=[(describer.value(p), literal) for p, literal in all_labels(graph, node)],
        types=[describer.value(t) for t in sorted(graph.objects(node, RDF.type), key=str)],
        description=_description(describer, node),
        notes=[describer.value(n) for n in sorted(graph.objects(node, RG.note), key=str)],
        summary=_summary(describer, node),
        competing=_competing(describer, node),
        statements=_groups(describer, outgoing),
        incoming=_groups(describer, incoming),
        claim=describer.claim(node) if is_claim else None,
        stated=stated,  # type: ignore[arg-type]
        representations=[],
    )
