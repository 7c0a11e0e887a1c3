"""What the published site adds for linked-data clients, on the public view of the graph.

Derived at publish time, not in core/derive.py: these are the terms other tools follow (SKOS,
Web Annotation, VoID), written from what the data already says, so the hand-written data, the
shapes and the graph every other command queries stay as they are.

- `skos:exactMatch` beside each `rg:wikidata` link (the shapes allow rg:wikidata only where the
  identity is certain; skos:exactMatch says as much without owl:sameAs's merging of everything
  either side says, which a reasoner would then attribute to our sources).
- Each claim is an `oa:Annotation` whose `oa:hasTarget` is an `oa:SpecificResource`: the source
  document (`oa:hasSource`) and the claim's quote as its selector (`oa:hasSelector`: the quote
  node, an `oa:TextQuoteSelector` with `oa:exact` and, where the source file is at hand,
  `oa:prefix` and `oa:suffix`, the words either side, which never reach into a withheld passage;
  and an `oa:TextPositionSelector` with `oa:start` and `oa:end`), so that an annotation client
  can anchor it, and find it again by its words where positions have moved.
- A resource's RDF file holds its description, the descriptions of the claims that state
  something about it (as subject or as value), and `void:inDataset` and `dcterms:license`.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, VOID
from rdflib.term import Node

from rightsgraph.core.namespaces import OA, RG, bind_prefixes
from rightsgraph.publish.dataset import LICENSE
from rightsgraph.publish.evidence import SourceTexts, quote_spans

# The words either side of a quote: as many as Hypothesis keeps (32 characters).
AFFIX_CHARS = 32


def add_links(graph: Graph, sources: SourceTexts) -> Graph:
    """Add the terms above to `graph` in place (the public view) and return it."""
    for node, item in list(graph.subject_objects(RG.wikidata)):
        graph.add((node, SKOS.exactMatch, item))
    for claim in sorted(set(graph.subjects(RG.quote, None)), key=str):
        source = graph.value(claim, PROV.wasDerivedFrom)
        if source is None:
            continue
        graph.add((claim, RDF.type, OA.Annotation))
        for quote, span in quote_spans(graph, claim):
            target = BNode()
            graph.add((claim, OA.hasTarget, target))
            graph.add((target, RDF.type, OA.SpecificResource))
            graph.add((target, OA.hasSource, source))
            graph.add((target, OA.hasSelector, quote))
            affixes = sources.affixes(span, AFFIX_CHARS) if span is not None else None
            if affixes is not None:
                prefix, suffix = affixes
                graph.add((quote, OA.prefix, Literal(prefix)))
                graph.add((quote, OA.suffix, Literal(suffix)))
    return graph


def claims_about(graph: Graph, node: URIRef) -> list[URIRef]:
    """The claims that state something about `node`, as subject or as value."""
    claims = set()
    for role in (RG.subject, RG.object):
        for statement in graph.subjects(role, node):
            claims.update(c for c in graph.subjects(RG.states, statement) if isinstance(c, URIRef))
    return sorted(claims, key=str)


def concise_description(graph: Graph, node: Node) -> Graph:
    """The node's triples and those of the blank nodes hanging from it (its Concise Bounded
    Description without reifications, which the ontology does not use). rdflib's Graph.cbd
    recurses once per blank node and overflows the stack on a list of a few thousand items."""
    out = Graph()
    seen: set[Node] = {node}
    stack: list[Node] = [node]
    while stack:
        for triple in graph.triples((stack.pop(), None, None)):
            out.add(triple)
            if isinstance(triple[2], BNode) and triple[2] not in seen:
                seen.add(triple[2])
                stack.append(triple[2])
    return out


def resource_description(graph: Graph, node: URIRef, dataset: URIRef) -> Graph:
    """A resource's RDF file: its concise bounded description, the claims about it with theirs,
    its dataset and the licence."""
    description = bind_prefixes(Graph())
    description += concise_description(graph, node)
    for claim in claims_about(graph, node):
        if claim != node:
            description += concise_description(graph, claim)
    description.add((node, VOID.inDataset, dataset))
    description.add((node, DCTERMS.license, LICENSE))
    return description
