"""The derivation rules of core/derive.py written again for rdflib: the benchmark's baseline (plain
rdflib from parse to file) and a second opinion the tests compare the store's derivation against."""

from __future__ import annotations

from pathlib import Path

import pycountry
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from rightsgraph.core.derive import COUNTRY_LOCALES, FACTUAL_STATUSES, SCRIPTS, converter, country_translation
from rightsgraph.core.namespaces import OA, RG
from rightsgraph.core.turtle import read_text, read_with_rdflib, turtle_files
from rightsgraph.core.writing import atomic_outputs, canonical_graph

# Labels that get the other Chinese script. Quotes are never converted: they are evidence.
_LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


def read_reference(paths: list[Path]) -> Graph:
    """The Turtle files as rdflib reads them (its parser, not Oxigraph's): the baseline's parse."""
    graph = Graph()
    for path in turtle_files(paths):
        graph += read_with_rdflib(path, read_text(path))
    return graph


def assert_statements(graph: Graph) -> None:
    """Type every statement; assert those of claims whose status puts them as so (FACTUAL_STATUSES)."""
    for claim, statement in set(graph.subject_objects(RG.states)):
        graph.add((statement, RDF.type, RG.Statement))
        if not FACTUAL_STATUSES.intersection(graph.objects(claim, RG.status)):
            continue
        for subject in graph.objects(statement, RG.subject):
            for predicate in graph.objects(statement, RG.predicate):
                for value in graph.objects(statement, RG.object):
                    graph.add((subject, predicate, value))
    for quote in set(graph.objects(None, RG.quote)):
        graph.add((quote, RDF.type, OA.TextQuoteSelector))
        graph.add((quote, RDF.type, OA.TextPositionSelector))


def _has_label(graph: Graph, node, language: str) -> bool:
    return any(
        isinstance(label, Literal) and (label.language or "").lower() == language.lower()
        for label in graph.objects(node, RDFS.label)
    )


def add_country_names(graph: Graph) -> None:
    for state, code in list(graph.subject_objects(RG.iso3166Alpha2)):
        country = pycountry.countries.get(alpha_2=str(code))
        if country is None:
            continue  # the shapes report an unknown code
        for prop, value in ((RG.iso3166Alpha3, country.alpha_3), (RG.iso3166Numeric, country.numeric)):
            if graph.value(state, prop) is None:
                graph.add((state, prop, Literal(value)))
        if not _has_label(graph, state, "en"):
            graph.add((state, RDFS.label, Literal(getattr(country, "common_name", country.name), lang="en")))
        for language, locale in COUNTRY_LOCALES.items():
            if not _has_label(graph, state, language):
                name = country_translation(locale).gettext(country.name)
                graph.add((state, RDFS.label, Literal(name, lang=language)))


def add_chinese_scripts(graph: Graph) -> None:
    people = set(graph.subjects(RDF.type, RG.Person))
    for prop in _LABEL_PROPERTIES:
        for node, label in list(graph.subject_objects(prop)):
            if not isinstance(label, Literal) or not label.language or node in people:
                continue
            target = SCRIPTS.get(label.language.lower())
            if target is None:
                continue
            language, config = target
            existing = [o for o in graph.objects(node, prop)
                        if isinstance(o, Literal) and (o.language or "").lower() == language.lower()]
            # rdfs:label and skos:prefLabel take one value per language; altLabels pair one to one.
            if existing and prop != SKOS.altLabel:
                continue
            converted = Literal(converter(config).convert(str(label)), lang=language)
            if converted not in existing:
                graph.add((node, prop, converted))


def derive(graph: Graph) -> Graph:
    """Apply the rules above to the graph in place and return it."""
    assert_statements(graph)
    add_country_names(graph)
    add_chinese_scripts(graph)
    return graph


def reference_ntriples(graph: Graph) -> bytes:
    """Canonical N-Triples by rdflib's serialiser: content-derived blank-node labels, sorted lines."""
    lines = sorted(canonical_graph(graph).serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines())
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


def write_reference(ontology: Graph, data: Graph, out: Path) -> int:
    """The baseline's dist files, by rdflib's serialisers: N-Triples in canonical form (the same
    bytes as build.files.write_build writes), Turtle and JSON-LD as rdflib lays them out. Returns the
    number of triples."""
    merged = Graph()
    merged += ontology
    merged += data
    canonical = canonical_graph(merged)
    with atomic_outputs(out) as pending:
        pending["rightsgraph.nt"] = reference_ntriples(canonical)
        pending["rightsgraph.ttl"] = canonical.serialize(format="turtle", encoding="utf-8")
        pending["rightsgraph.jsonld"] = canonical.serialize(format="json-ld", encoding="utf-8")
    return len(merged)
