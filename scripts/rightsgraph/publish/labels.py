"""Names for nodes on the pages: the label a reader of English expects first, then the others."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS
from rdflib.term import Node

# Pages are in English; a resource without an English label is named in its source's language.
LANGUAGE_ORDER = ("en", "zh-hans", "zh-hant", "ko", "")
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, DCTERMS.alternative,
                    FOAF.name)
NAMING_PROPERTIES = (RDFS.label, SKOS.prefLabel, FOAF.name, DCTERMS.title)


def _rank(literal: Literal) -> tuple[int, str]:
    language = (literal.language or "").lower()
    rank = LANGUAGE_ORDER.index(language) if language in LANGUAGE_ORDER else len(LANGUAGE_ORDER)
    return rank, str(literal)


def best_label(graph: Graph, node: Node) -> Literal | None:
    for prop in NAMING_PROPERTIES:
        labels = [o for o in graph.objects(node, prop) if isinstance(o, Literal)]
        if labels:
            return min(labels, key=_rank)
    return None


def short_name(graph: Graph, node: Node) -> str:
    """A prefixed name (rg:Claim, country:CN) for a node with no label."""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # rdflib cannot shorten every IRI; the IRI itself is a fine name
            return str(node)
    return str(node)


def name_of(graph: Graph, node: Node) -> str:
    label = best_label(graph, node)
    return str(label) if label is not None else short_name(graph, node)


def language_of(graph: Graph, node: Node) -> str | None:
    label = best_label(graph, node)
    return label.language if label is not None else None


def all_labels(graph: Graph, node: Node) -> list[tuple[URIRef, Literal]]:
    """Every label-like literal of a node, by property and then language."""
    found = []
    for prop in LABEL_PROPERTIES:
        literals = sorted((o for o in graph.objects(node, prop) if isinstance(o, Literal)), key=_rank)
        found.extend((prop, literal) for literal in literals)
    return found
