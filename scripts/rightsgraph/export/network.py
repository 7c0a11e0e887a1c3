"""The graph as a network of nodes and edges: the one mapping every export format shares.

What is a node:
- every IRI of the data that has an rdf:type and is neither a term of the ontology (a class, a
  property, the ontology, a concept scheme), nor a claim, nor a concept of a controlled list;
- and every concept of a controlled list (crime type, return method, ...) that such a node points
  to. Concepts nobody points to stay out, so the 20-odd crime types do not float about unlinked.

Claims, their rg:Statement nodes and their quotes are not nodes: they would triple the network
and hide its shape. Their evidence is carried instead, on each edge (the claims that state that
very triple, with their source, status and quotes) and on each node (every claim whose statements
name it as subject or object).

What is an edge: every triple between two nodes, except rdf:type and rg:sensitivity (which are
node attributes). One edge per triple: two predicates between the same pair are two edges. Only
plain triples are edges, and a plain triple is what a source reports or found (ontology/README.md,
"A plain triple means a source reports it as so"). What claims only plan, consider, recommend,
allege or attribute to a speaker between two nodes is kept apart, in Network.unasserted, with
those claims as evidence: the interactive view draws it dashed; the data formats leave it out.

Everything else about a node is an attribute: literals (labels one per language), and IRIs that
are not nodes (Wikidata items, web pages, the concept scheme) as strings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from rightsgraph.core.namespaces import OA, PREFIXES, RG
from rightsgraph.query.accounts import Accounts

# Types that make an IRI a term of the ontology or a part of a claim, not a resource of the data.
_NOT_RESOURCE_NAMESPACES = (str(OWL), str(RDF), str(RDFS), str(SH))
_NOT_RESOURCE_TYPES = {SKOS.ConceptScheme, RG.Claim, RG.Statement, OA.TextQuoteSelector,
                       OA.TextPositionSelector}
# Predicates that never become edges: the type is an attribute, and so is the sensitivity level.
NOT_EDGES = {RDF.type, RG.sensitivity}
LABEL = RDFS.label
# Display-label preference when a node has no English label (people are named only as written).
LANGUAGE_PREFERENCE = ("en", "", "zh-hans", "zh-hant", "ko")


@dataclass(frozen=True)
class Quote:
    text: str
    language: str


@dataclass(frozen=True)
class Evidence:
    """One claim: where it comes from, how the source puts it, and its exact words."""

    claim: URIRef
    source: URIRef | None
    status: URIRef | None
    according_to: tuple[URIRef, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Statement:
    """One statement of a claim, as shown for a node: subject, predicate, object and evidence."""

    subject: URIRef
    predicate: URIRef
    value: Node
    evidence: Evidence


@dataclass
class NetworkNode:
    iri: URIRef
    types: list[URIRef]
    type: URIRef | None  # the most specific type
    kind: str  # a coarse category for colours and for FtM schemata
    labels: dict[str, list[str]]  # language tag ('' for none) -> labels
    attributes: dict[URIRef, list[Node]]  # predicate -> literals or external IRIs
    evidence: list[Evidence] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    # Properties for which claims give this node competing values (query/accounts.py).
    competing: list[URIRef] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The plain display name: the English label, else the label in a language the node's
        sources are quoted in (people are named only as the source writes them), else label()."""
        if self.labels.get("en"):
            return self.labels["en"][0]
        for language in (q.language.lower() for e in self.evidence for q in e.quotes):
            if self.labels.get(language):
                return self.labels[language][0]
        return self.label("en")

    def label(self, language: str = "en") -> str:
        for lang in (language.lower(), *LANGUAGE_PREFERENCE):
            if self.labels.get(lang):
                return self.labels[lang][0]
        return local_name(self.iri)


@dataclass
class NetworkEdge:
    source: URIRef
    predicate: URIRef
    target: URIRef
    evidence: list[Evidence]
    # Another claim gives the source another value of this property (query/accounts.py).
    competing: bool = False

    @property
    def key(self) -> str:
        return f"{self.source} {self.predicate} {self.target}"


@dataclass
class Network:
    nodes: dict[URIRef, NetworkNode]
    edges: list[NetworkEdge]
    graph: Graph  # the disclosed graph the network was made from, for labels of terms
    # Statements between two nodes that only non-factual claims make: not plain triples, not edges.
    unasserted: list[NetworkEdge] = field(default_factory=list)

    def term_labels(self, term: URIRef) -> dict[str, str]:
        """A class's or predicate's labels by language (lower-case tag), from the ontology."""
        labels: dict[str, str] = {}
        for label in self.graph.objects(term, LABEL):
            if isinstance(label, Literal):
                labels.setdefault((label.language or "").lower(), str(label))
        labels.setdefault("en", local_name(term))
        return labels

    def term_label(self, term: URIRef, language: str = "en") -> str:
        labels = self.term_labels(term)
        return labels.get(language.lower()) or labels["en"]

    @property
    def sources(self) -> list[URIRef]:
        found = {e.source for n in self.nodes.values() for e in n.evidence if e.source is not None}
        return sorted(found)


def local_name(iri: URIRef | str) -> str:
    text = str(iri)
    for separator in ("#", "/"):
        if separator in text.rstrip(separator):
            text = text.rstrip(separator).rsplit(separator, 1)[1]
    return text


def prefixed(iri: URIRef | str) -> str:
    """'rg:responsibleState' for a term in one of the project's namespaces, else the IRI."""
    text = str(iri)
    best = max(((p, str(ns)) for p, ns in PREFIXES.items() if text.startswith(str(ns))),
               key=lambda item: len(item[1]), default=None)
    return f"{best[0]}:{text[len(best[1]):]}" if best else text


def _superclasses(graph: Graph, cls: URIRef) -> set[Node]:
    return set(graph.transitive_objects(cls, RDFS.subClassOf))


def _is_concept(graph: Graph, types: Iterable[Node]) -> bool:
    return any(SKOS.Concept in _superclasses(graph, t) for t in types if isinstance(t, URIRef))


def _is_resource(types: list[URIRef]) -> bool:
    return bool(types) and not any(
        t in _NOT_RESOURCE_TYPES or str(t).startswith(_NOT_RESOURCE_NAMESPACES) for t in types
    )


# Coarse kinds, tried in order: the first whose class is among a node's (super)classes wins.
KINDS: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    ("state", (RG.State,)),
    ("agency", (RG.StateAgency, RG.Government)),
    ("organisation", (RG.Organisation, URIRef("http://www.w3.org/ns/org#Organization"))),
    ("person", (URIRef("http://xmlns.com/foaf/0.1/Person"),)),
    ("group", (URIRef("http://xmlns.com/foaf/0.1/Group"), RG.StateGroup, RG.PersonGroup)),
    ("crime", (RG.Crime,)),
    ("event", (RG.Event,)),
    ("place", (RG.Place,)),
    ("document", (RG.Document, URIRef("http://xmlns.com/foaf/0.1/Document"))),
    ("post", (URIRef("http://www.w3.org/ns/org#Post"),)),
    ("power", (RG.Power, RG.Task)),
    ("law", (RG.LegalNorm,)),
    ("finding", (RG.Finding, RG.Figure)),
    ("recommendation", (RG.Recommendation,)),
    ("quotation", (RG.Quotation,)),
    ("factor", (RG.Factor, RG.Lure)),
    ("concept", (SKOS.Concept,)),
)


def _kind(graph: Graph, types: list[URIRef]) -> str:
    ancestry = set(types).union(*(_superclasses(graph, t) for t in types)) if types else set()
    for kind, classes in KINDS:
        if ancestry.intersection(classes):
            return kind
    return "other"


def _most_specific(graph: Graph, types: list[URIRef]) -> URIRef | None:
    """The type that is not a superclass of another of the node's types (the first, sorted)."""
    candidates = [t for t in types
                  if not any(t != other and t in _superclasses(graph, other) for other in types)]
    ours = [t for t in candidates if str(t).startswith(str(RG))]
    return min(ours or candidates, default=None)


def _evidence(graph: Graph, claim: Node) -> Evidence:
    quotes = []
    for selector in graph.objects(claim, RG.quote):
        exact = graph.value(selector, OA.exact)
        if isinstance(exact, Literal):
            quotes.append(Quote(str(exact), exact.language or ""))
    source = graph.value(claim, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    status = graph.value(claim, RG.status)
    according = sorted(o for o in graph.objects(claim, RG.accordingTo) if isinstance(o, URIRef))
    return Evidence(
        claim=claim,  # type: ignore[arg-type]
        source=source if isinstance(source, URIRef) else None,
        status=status if isinstance(status, URIRef) else None,
        according_to=tuple(according),
        quotes=tuple(sorted(quotes, key=lambda q: (q.language, q.text))),
    )


def _types(graph: Graph, node: Node) -> list[URIRef]:
    return sorted(t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef))


def network_of(graph: Graph, competing: Accounts | None = None) -> Network:
    """The network of the given (already disclosed) graph under the mapping described above;
    `competing` (query.accounts.competing_accounts) marks the nodes and edges it names."""
    resources: dict[URIRef, list[URIRef]] = {}
    concepts: dict[URIRef, list[URIRef]] = {}
    for subject in set(graph.subjects(RDF.type, None)):
        if not isinstance(subject, URIRef):
            continue
        types = _types(graph, subject)
        if not _is_resource(types):
            continue
        (concepts if _is_concept(graph, types) else resources)[subject] = types
    members = set(resources)
    for resource in resources:
        for predicate, value in graph.predicate_objects(resource):
            if predicate not in NOT_EDGES and value in concepts:
                members.add(value)  # type: ignore[arg-type]
    all_types = {**concepts, **resources}

    nodes: dict[URIRef, NetworkNode] = {}
    for iri in sorted(members):
        types = all_types[iri]
        labels: dict[str, list[str]] = defaultdict(list)
        attributes: dict[URIRef, list[Node]] = defaultdict(list)
        for predicate, value in graph.predicate_objects(iri):
            if predicate == LABEL and isinstance(value, Literal):
                labels[(value.language or "").lower()].append(str(value))
            elif predicate == RDF.type:
                continue
            elif isinstance(value, Literal) or (isinstance(value, URIRef)
                                                 and (predicate in NOT_EDGES or value not in members)):
                attributes[predicate].append(value)
        nodes[iri] = NetworkNode(
            iri=iri, types=types, type=_most_specific(graph, types), kind=_kind(graph, types),
            labels={k: sorted(v) for k, v in sorted(labels.items())},
            attributes={p: sorted(v) for p, v in sorted(attributes.items())},
        )

    claims_of: dict[tuple[Node, Node, Node], list[Evidence]] = defaultdict(list)
    evidence_cache: dict[Node, Evidence] = {}
    for claim, statement in sorted(graph.subject_objects(RG.states)):
        triple = (graph.value(statement, RG.subject), graph.value(statement, RG.predicate),
                  graph.value(statement, RG.object))
        if None in triple:
            continue
        evidence = evidence_cache.setdefault(claim, _evidence(graph, claim))
        claims_of[triple].append(evidence)
        subject, predicate, value = triple
        for end in {subject, value}:
            if end in nodes:
                nodes[end].statements.append(Statement(subject, predicate, value, evidence))  # type: ignore[arg-type]
    for node in nodes.values():
        node.statements.sort(key=lambda s: (str(s.evidence.claim), str(s.predicate), str(s.value)))
        node.evidence = sorted({s.evidence for s in node.statements}, key=lambda e: str(e.claim))

    edges = [
        NetworkEdge(s, p, o, sorted(set(claims_of.get((s, p, o), [])), key=lambda e: str(e.claim)))
        for s, p, o in graph
        if s in nodes and o in nodes and p not in NOT_EDGES
    ]
    edges.sort(key=lambda e: (str(e.source), str(e.predicate), str(e.target)))
    unasserted = [
        NetworkEdge(s, p, o, sorted(set(evidence), key=lambda e: str(e.claim)))  # type: ignore[arg-type]
        for (s, p, o), evidence in claims_of.items()
        if s in nodes and o in nodes and p not in NOT_EDGES and (s, p, o) not in graph
    ]
    unasserted.sort(key=lambda e: (str(e.source), str(e.predicate), str(e.target)))
    for subject, properties in (competing or {}).items():
        if subject in nodes:
            nodes[subject].competing = sorted(properties, key=str)  # type: ignore[arg-type]
    for edge in edges + unasserted:
        edge.competing = edge.predicate in (competing or {}).get(edge.source, {})
    return Network(nodes, edges, graph, unasserted)
