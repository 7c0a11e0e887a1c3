"""The one pipeline (Oxigraph store, shapes as SPARQL) gives the reference's answers.

The reference is rdflib and pyshacl: the same files must be read as strictly, derived to the same
triples (bench/reference.py writes the rules again for rdflib), written to byte-identical
N-Triples, and validated to the same results (focus node, shape, path, severity, value,
constraint component), for the real data and for data that breaks every shape.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import XSD

from rightsgraph.bench import reference
from rightsgraph.bench.compare import graph_blank_key, store_blank_key, validation_keys
from rightsgraph.bench.synthetic import generate
from rightsgraph.build.files import build
from rightsgraph.core.errors import InputError
from rightsgraph.core.sparql import rewrite_not_exists
from rightsgraph.core.store import load_data, load_files, load_ontology, load_shapes, load_store
from rightsgraph.core.turtle import read_text, read_with_rdflib
from rightsgraph.query.engines import OxigraphEngine
from rightsgraph.validate.validator import validate

BAD = Path(__file__).parents[1] / "fixtures" / "bad"


def _reference_keys(project, paths):
    data, ontology = load_data(project, paths), load_ontology(project)
    report = validate(data, load_shapes(project), ontology, "pyshacl")
    merged = Graph()
    merged += data.graph
    merged += ontology
    return report, validation_keys(report, graph_blank_key(merged))


def _fast_keys(project, paths):
    data = load_store(project, paths)
    report = validate(data, load_shapes(project), None, "sparql")
    return report, validation_keys(report, store_blank_key(data.store))


@pytest.mark.slow
def test_build_and_run_write_the_same_bytes(project, built_dist, tmp_path) -> None:
    from rightsgraph.run.pipeline import run_pipeline

    for engine in ("oxigraph", "rdflib"):
        out = tmp_path / engine
        run_pipeline(project, out, engine=engine)
        for name in ("rightsgraph.nt", "rightsgraph.ttl", "rightsgraph.jsonld", "ontology.ttl"):
            assert (out / name).read_bytes() == (built_dist / name).read_bytes(), (engine, name)


@pytest.mark.slow
def test_the_rdflib_reference_builds_the_same_ntriples(project, built_dist, tmp_path) -> None:
    """rdflib's parser, the rules written again for rdflib, rdflib's serialiser: the same bytes."""
    data = reference.read_reference([project.data_dir])
    reference.derive(data)
    triples = reference.write_reference(load_ontology(project), data, tmp_path)
    assert (tmp_path / "rightsgraph.nt").read_bytes() == (built_dist / "rightsgraph.nt").read_bytes()
    expected = Graph().parse(built_dist / "rightsgraph.nt", format="nt")
    for name, fmt in (("rightsgraph.ttl", "turtle"), ("rightsgraph.jsonld", "json-ld")):
        assert Graph().parse(built_dist / name, format=fmt).isomorphic(expected), name
    assert triples == len(expected) == build(project, tmp_path / "again").triples


@pytest.mark.slow
def test_the_real_data_validates_to_the_same_results(project) -> None:
    fast_report, fast = _fast_keys(project, None)
    reference_report, reference = _reference_keys(project, None)
    assert fast == reference
    assert fast_report.conforms == reference_report.conforms
    # What a reader sees is the same too: labels, files and messages.
    assert [(r.focus_label, r.files, r.message) for r in fast_report.results] == [
        (r.focus_label, r.files, r.message) for r in reference_report.results]


@pytest.fixture(scope="module")
def broken(project, tmp_path_factory) -> list[Path]:
    """Injected violations of every shape, with the reference data they link to."""
    dataset = generate(project, tmp_path_factory.mktemp("synthetic"), 1000)
    assert not dataset.shapes_not_injected, dataset.shapes_not_injected
    return [dataset.violations_dir, dataset.data_dir / "reference.ttl", dataset.data_dir / "sources.ttl"]


@pytest.mark.slow
def test_violations_of_every_shape_give_the_same_results(project, broken) -> None:
    fast_report, fast = _fast_keys(project, broken)
    _, reference = _reference_keys(project, broken)
    assert fast == reference, (sorted((fast - reference).elements())[:5], sorted((reference - fast).elements())[:5])
    assert not fast_report.conforms
    # Every shape that has constraints of its own is broken at least once.
    from rightsgraph.bench.violations import injections

    recipes, _ = injections(load_shapes(project))
    reported = {r.shape for r in fast_report.results}
    assert set(recipes) <= reported, sorted(str(s) for s in set(recipes) - reported)


@pytest.mark.parametrize("name", ["syntax-unterminated-string.ttl", "undefined-prefix.ttl", "invalid-iri.ttl",
                                  "invalid-date-literal.ttl", "not-utf8.ttl", "empty.ttl", "binary.ttl",
                                  "huge-literal.ttl", "syntax-missing-dot.ttl"])
def test_bad_input_gets_the_reference_message(project, name) -> None:
    """Oxigraph's parser finds the fault; the message is the one rdflib's strict reader gives."""
    with pytest.raises(InputError) as reference_error:
        read_with_rdflib(BAD / name, read_text(BAD / name))
    with pytest.raises(InputError) as fast:
        load_files([BAD / name])
    assert str(fast.value) == str(reference_error.value)


def test_datatypes_that_oxigraph_would_change_are_kept(tmp_path) -> None:
    path = tmp_path / "figure.ttl"
    path.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    '<https://w3id.org/rightsgraph/id/f> <https://w3id.org/rightsgraph/ontology#quantity> '
                    '"80"^^xsd:nonNegativeInteger ; <https://w3id.org/rightsgraph/ontology#note> "x"@zh-Hans .\n',
                    encoding="utf-8")
    data = load_files([path])
    rows = OxigraphEngine(data.store).select("SELECT ?v WHERE { ?s ?p ?v }").column("v")
    assert Literal("80", datatype=XSD.nonNegativeInteger) in rows
    assert Literal("x", lang="zh-Hans") in rows


def test_not_exists_becomes_minus_only_where_equivalent() -> None:
    rewritten = rewrite_not_exists("SELECT ?this WHERE { ?this <p> ?v . FILTER NOT EXISTS { ?s <q> ?this } }")
    assert "MINUS { ?s <q> ?this }" in rewritten and "NOT EXISTS" not in rewritten
    kept = [
        # a filter on an outer variable the pattern does not bind
        "SELECT ?this WHERE { ?this <p> ?v . FILTER NOT EXISTS { ?s <q> ?l FILTER(?l = ?v) } }",
        # no variable shared with the group
        "SELECT ?x WHERE { ?x <p> ?v . FILTER NOT EXISTS { ?s <q> ?o } }",
        # a shared variable the group binds only optionally
        "SELECT ?x WHERE { ?x <p> ?v OPTIONAL { ?x <r> ?w } FILTER NOT EXISTS { ?x <q> ?w } }",
        # every variable of the pattern bound by the group: a lookup per solution, where an
        # anti-join would first gather every triple of the graph
        "SELECT ?this WHERE { ?this <s> ?s ; <p> ?p ; <o> ?o . FILTER NOT EXISTS { ?s ?p ?o } }",
        # a nested group
        "SELECT ?this WHERE { ?this <p> ?v . FILTER NOT EXISTS { { ?this <q> ?o } UNION { ?o <q> ?this } } }",
    ]
    for query in kept:
        assert rewrite_not_exists(query) == query, query


def test_canonical_ntriples_match_for_nested_blank_nodes_and_escapes(tmp_path) -> None:
    from rightsgraph.core.writing import canonical_ntriples

    path = tmp_path / "nested.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\n'
                    'ex:a ex:p ( "x" "y" [ ex:q "z" ] ) ; ex:r [ ex:s [ ex:t "1" ] ] , [ ex:s [ ex:t "1" ] ] .\n'
                    'ex:b ex:text """two\nlines "quoted" \\\\ back""" , "tab\\there"@en-GB , "中文"@zh-Hant .\n',
                    encoding="utf-8")
    assert canonical_ntriples(load_files([path]).store) == reference.reference_ntriples(Graph().parse(path))


def test_canonical_labels_do_not_depend_on_the_parser_labels(tmp_path) -> None:
    """Mirror-image blank nodes (equal list members, equal nested nodes, a cycle) get the same
    bytes whatever labels each parse gives them, and the output says what the input says."""
    from rdflib.compare import isomorphic

    from rightsgraph.core.writing import serialize

    turtle = ('@prefix ex: <http://example.org/> .\n'
              'ex:a ex:p ( [ ex:q "z" ] [ ex:q "z" ] [ ex:q "z" ] ) ;\n'
              '     ex:r [ ex:s [ ex:t "1" ] ] , [ ex:s [ ex:t "1" ] ] , [ ex:s [ ex:t "2" ] ] .\n'
              '_:c1 ex:next _:c2 . _:c2 ex:next _:c3 . _:c3 ex:next _:c1 .\n'
              '_:d1 ex:link _:d2 . _:d2 ex:link _:d1 .\n')
    parsed = Graph().parse(data=turtle, format="turtle")
    outputs = set()
    for seed in range(12):
        # The same graph with other blank-node labels, in another order.
        rng = random.Random(seed)
        blanks = sorted({term for triple in parsed for term in triple if isinstance(term, BNode)})
        names = {node: BNode(f"n{rng.getrandbits(64):x}") for node in blanks}
        graph = Graph()
        for triple in rng.sample(sorted(parsed), len(parsed)):
            graph.add(tuple(names.get(term, term) for term in triple))
        written = serialize(graph, "nt")
        outputs.add(written)
        assert isomorphic(Graph().parse(data=written.decode(), format="nt"), graph)
    assert len(outputs) == 1
