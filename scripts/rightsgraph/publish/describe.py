"""What a resource page shows, worked out from the graph: plain data for the templates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

from rightsgraph.core.namespaces import OA, RG
from rightsgraph.core.site_paths import Linker, resource_document
from rightsgraph.publish.evidence import Quote, SourceTexts, Triple, quote_spans
from rightsgraph.publish.labels import LABEL_PROPERTIES, all_labels, best_label, language_of, name_of

# Shown in their own sections of a page, not among its statements.
_SECTION_PROPERTIES = {RDF.type, *LABEL_PROPERTIES}
# oa:hasTarget repeats the source and the quotes for annotation clients (publish/linked.py).
_CLAIM_PROPERTIES = {RG.states, RG.quote, RG.status, PROV.wasDerivedFrom, OA.hasTarget}
# Blank nodes are shown inside the page that names them, this many levels deep.
MAX_DEPTH = 3


@dataclass
class Value:
    text: str
    href: str | None = None
    language: str | None = None
    datatype: str | None = None
    iri: str | None = None
    parts: list[tuple[Value, list[Value]]] = field(default_factory=list)  # a blank node's properties


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
class Page:
    iri: str
    path: str
    title: str
    title_language: str | None
    labels: list[tuple[Value, Literal]]
    types: list[Value]
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

    def value(self, node: Node, depth: int = 0) -> Value:
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


def describe(describer: Describer, node: URIRef) -> Page:
    """The page of one resource: labels, types, statements with evidence, incoming links."""
    graph = describer.graph
    document = resource_document(node) or ""
    is_claim = (node, RG.states, None) in graph or (node, RG.quote, None) in graph
    hidden = _SECTION_PROPERTIES | (_CLAIM_PROPERTIES if is_claim else set())
    outgoing = [(p, o, (node, p, o)) for p, o in graph.predicate_objects(node) if p not in hidden]
    incoming = [(p, s, (s, p, node)) for s, p in graph.subject_predicates(node) if isinstance(s, URIRef)]
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
        statements=_groups(describer, outgoing),
        incoming=_groups(describer, incoming),
        claim=describer.claim(node) if is_claim else None,
        stated=stated,  # type: ignore[arg-type]
        representations=[],
    )
