"""RDF of the site in every format, deterministic, with a JSON-LD context people can read."""

from __future__ import annotations

import json
from typing import Any

from pyld import jsonld
from rdflib import Graph

from rightsgraph.core.namespaces import PREFIXES
from rightsgraph.core.writing import canonical_graph, serialize

MEDIA_TYPES = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "gz": "application/gzip",
}
FORMAT_NAMES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML"}


def readable_context() -> dict[str, Any]:
    """The project's prefixes, plus short names for the terms every resource has."""
    context: dict[str, Any] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    context.update({
        "id": "@id",
        "type": "@type",
        # Language maps: {"en": "China", "zh-hans": "中国"}. pyld writes language tags in lower case,
        # as JSON-LD allows (tags are case-insensitive); Turtle and N-Triples keep zh-Hans.
        "label": {"@id": "rdfs:label", "@container": "@language"},
        "altLabel": {"@id": "skos:altLabel", "@container": "@language"},
        "states": {"@id": "rg:states", "@type": "@id"},
        "quote": {"@id": "rg:quote", "@type": "@id"},
        "status": {"@id": "rg:status", "@type": "@id"},
        "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
        "exact": "oa:exact",
    })
    return context


def to_jsonld(graph: Graph) -> bytes:
    """JSON-LD compacted with the readable context (by pyld, the reference JSON-LD processor)."""
    expanded = json.loads(graph.serialize(format="json-ld"))
    context = readable_context()
    compacted = jsonld.compact(expanded, {"@context": context}, {"graph": True})
    return (json.dumps(compacted, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def serialize_all(graph: Graph, extensions: tuple[str, ...]) -> dict[str, bytes]:
    """{extension: bytes} for a graph, each format written from the same canonical graph."""
    canonical = canonical_graph(graph)
    out: dict[str, bytes] = {}
    for extension in extensions:
        out[extension] = to_jsonld(canonical) if extension == "jsonld" else serialize(canonical, extension)
    return out
