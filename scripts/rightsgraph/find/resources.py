"""Resources whose names match a text: IRI, types, labels and the documents that mention them."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS, SKOS

from rightsgraph.core.names import MATCH_SCORE, SUGGEST_SCORE, Match, rank
from rightsgraph.core.namespaces import RG, RGID

_NAME_PROPERTIES = (RDFS.label, SKOS.altLabel, FOAF.name)


@dataclass(frozen=True)
class Found:
    iri: URIRef
    types: list[URIRef]
    labels: list[Literal]
    other_names: list[Literal]
    documents: list[URIRef]
    matched: str
    score: float


def _names(graph: Graph) -> list[tuple[URIRef, str]]:
    names = []
    for prop in _NAME_PROPERTIES:
        for resource, name in graph.subject_objects(prop):
            if isinstance(resource, URIRef) and str(resource).startswith(str(RGID)) and isinstance(name, Literal):
                names.append((resource, str(name)))
    # The IRI's own words: "knpa", "korean-national-police-agency"
    names += [(resource, str(resource).removeprefix(str(RGID)).rsplit("/", 1)[-1])
              for resource in {resource for resource, _ in names}]
    return names


def documents_mentioning(graph: Graph, resource: URIRef) -> list[URIRef]:
    """The source documents of the claims whose statements have the resource as subject or object."""
    documents = set()
    for prop in (RG.subject, RG.object):
        for statement in graph.subjects(prop, resource):
            for claim in graph.subjects(RG.states, statement):
                documents.update(d for d in graph.objects(claim, PROV.wasDerivedFrom) if isinstance(d, URIRef))
    return sorted(documents)


def find(graph: Graph, text: str, limit: int = 10) -> tuple[list[Found], list[Match]]:
    """The resources named like `text` (best first), or else the closest names."""
    names = _names(graph)
    matches = rank(text, names, limit=limit, min_score=MATCH_SCORE)
    found = [Found(
        iri=match.key,  # type: ignore[arg-type]
        types=sorted(t for t in graph.objects(match.key, RDF.type) if isinstance(t, URIRef)),
        labels=sorted(graph.objects(match.key, RDFS.label), key=lambda label: (label.language or "", str(label))),
        other_names=sorted({*graph.objects(match.key, SKOS.altLabel), *graph.objects(match.key, FOAF.name)},
                           key=lambda name: (getattr(name, "language", None) or "", str(name))),
        documents=documents_mentioning(graph, match.key),  # type: ignore[arg-type]
        matched=match.name, score=match.score,
    ) for match in matches]
    return found, [] if found else rank(text, names, limit=5, min_score=SUGGEST_SCORE)
