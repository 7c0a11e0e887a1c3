"""Node and edge properties with names and typed values, as the export formats write them.

Every node has `name`, its plain display name (NetworkNode.name: English, else as its sources
write it), and every edge `name`, its predicate's English label: one string each, for tools that
show one caption. Names are the local names of the predicates (`label`, `altLabel`, `iso3166Alpha2`, `quantity`),
as neosemantics (n10s) names imported RDF with handleVocabUris "IGNORE"; when two predicates of
different namespaces share a local name, both get n10s's "SHORTEN" form, `prefix__name`.

Language-tagged values are kept in one of two ways:
- split: one attribute per language, the English (or untagged) value under the plain name and
  the others with a suffix: `label`, `label_zh_hans`, `label_zh_hant`, `label_ko` (GraphML,
  Cytoscape.js);
- tagged: every value as "text@lang" in one list, as n10s does with keepLangTag (Neo4j), so that
  n10s.rdf.getLangValue('zh-Hans', n.label) works on the result.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal as Choice

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from rightsgraph.export.network import LABEL, Evidence, Network, NetworkEdge, NetworkNode, local_name, prefixed

Value = str | int | float | bool
Languages = Choice["split", "tagged"]

_INTEGER_TYPES = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
                  XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
                  XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}
_FLOAT_TYPES = {XSD.decimal, XSD.double, XSD.float}


# Names the exporters give themselves; a predicate with one of these local names is prefixed.
RESERVED = {"uri", "label", "name", "type", "types", "kind", "curie", "claims", "sources", "statuses", "competing",
            "quotes", "quote_languages", "predicate", "id", "source", "target"}


# Properties that are lists by nature, written as lists (or as the format's one list encoding)
# even where a node or an edge happens to have a single value, so that a column has one shape.
LIST_PROPERTIES = frozenset({"claims", "sources", "statuses", "quotes", "quote_languages", "types", "competing"})


def list_names(records: Iterable[dict[str, list[Value]]], languages: Languages = "split") -> set[str]:
    """The properties to write as lists: the LIST_PROPERTIES, language-tagged labels kept as
    "text@lang" (one per language), and any property with several values somewhere."""
    names = set(LIST_PROPERTIES) | ({"label"} if languages == "tagged" else set())
    return names | {name for record in records for name, values in record.items() if len(values) > 1}


def property_names(predicates: Iterable[URIRef]) -> dict[URIRef, str]:
    """Local names, or prefix__name for local names that two namespaces share (or we use)."""
    predicates = sorted(set(predicates))
    by_name: dict[str, list[URIRef]] = defaultdict(list)
    for predicate in predicates:
        by_name[local_name(predicate)].append(predicate)
    names: dict[URIRef, str] = {}
    for name, group in by_name.items():
        for predicate in group:
            short = prefixed(predicate)
            unique = len(group) == 1 and name not in RESERVED
            names[predicate] = name if unique or ":" not in short else short.replace(":", "__")
    return names


def language_suffix(language: str) -> str:
    """'' for English or no tag; '_zh_hans' for zh-Hans."""
    language = language.lower()
    return "" if language in ("", "en") else "_" + language.replace("-", "_")


def typed_value(term: Node) -> Value:
    """A Python value for a literal: integers, floats and booleans typed; dates ISO; else text."""
    if isinstance(term, Literal):
        if term.datatype in _INTEGER_TYPES:
            try:
                return int(term)
            except ValueError:
                return str(term)
        if term.datatype in _FLOAT_TYPES:
            value = term.toPython()
            return float(value) if isinstance(value, float | int | Decimal) else str(term)
        if term.datatype == XSD.boolean:
            return bool(term.toPython())
        value = term.toPython()
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
    return str(term)


def is_date(term: Node) -> bool:
    return isinstance(term, Literal) and term.datatype == XSD.date


def _put_literals(props: dict[str, list[Value]], name: str, values: Iterable[Node],
                  languages: Languages) -> None:
    for value in values:
        if isinstance(value, Literal) and value.language:
            if languages == "tagged":
                props[name].append(f"{value}@{value.language}")
            else:
                props[name + language_suffix(value.language)].append(str(value))
        else:
            props[name].append(typed_value(value))


def _evidence_properties(props: dict[str, list[Value]], evidence: list[Evidence]) -> None:
    props["claims"] = [str(e.claim) for e in evidence]
    props["sources"] = sorted({str(e.source) for e in evidence if e.source})
    props["statuses"] = sorted({local_name(e.status) for e in evidence if e.status})


def node_properties(network: Network, node: NetworkNode, names: dict[URIRef, str],
                    languages: Languages = "split") -> dict[str, list[Value]]:
    """The node's properties; every value a list (single-valued formats join or take the first)."""
    props: dict[str, list[Value]] = defaultdict(list)
    props["uri"] = [str(node.iri)]
    props["name"] = [node.name]
    if languages == "split":
        props["label"] = [node.name]
        for language, labels in node.labels.items():
            if language not in ("", "en"):
                props["label" + language_suffix(language)] = list(labels)
        if "en" in node.labels and "" in node.labels:
            props["label_plain"] = list(node.labels[""])
    else:
        _put_literals(props, "label", sorted(network.graph.objects(node.iri, LABEL)), languages)
    props["type"] = [local_name(node.type)] if node.type else []
    props["types"] = [prefixed(t) for t in node.types]
    props["kind"] = [node.kind]
    props["curie"] = [prefixed(node.iri)]
    props["competing"] = [prefixed(p) for p in node.competing]
    for predicate, values in node.attributes.items():
        _put_literals(props, names[predicate], values, languages)
    _evidence_properties(props, node.evidence)
    return {k: v for k, v in props.items() if v}


def edge_properties(network: Network, edge: NetworkEdge,
                    languages: Languages = "split") -> dict[str, list[Value]]:
    props: dict[str, list[Value]] = defaultdict(list)
    props["predicate"] = [str(edge.predicate)]
    props["name"] = [network.term_label(edge.predicate)]
    props["competing"] = [True] if edge.competing else []
    if languages == "split":
        labels = network.term_labels(edge.predicate)
        for language, label in labels.items():
            if language or "en" not in labels:
                props["label" + language_suffix(language)] = [label]
    else:
        _put_literals(props, "label", sorted(network.graph.objects(edge.predicate, LABEL)), languages)
    _evidence_properties(props, edge.evidence)
    props["quotes"] = [q.text for e in edge.evidence for q in e.quotes]
    props["quote_languages"] = [q.language for e in edge.evidence for q in e.quotes]
    return {k: v for k, v in props.items() if v}


def edge_predicates(network: Network) -> list[URIRef]:
    return sorted({e.predicate for e in network.edges})


def node_predicates(network: Network) -> list[URIRef]:
    return sorted({p for n in network.nodes.values() for p in n.attributes})
