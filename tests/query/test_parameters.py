"""Query parameters are typed, bound as RDF terms, and never change a query's structure."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import XSD, Graph, Literal, URIRef

from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import COUNTRY, CRIME, RGID
from rightsgraph.core.sparql import inject_values
from rightsgraph.core.terms import sparql_term
from rightsgraph.query.catalogue import bind_parameters, get_query, parse_assignments, parse_header
from rightsgraph.query.engines import OxigraphEngine, RdflibEngine

PAYLOADS = [
    '"} DROP ALL #',
    "'} ; INSERT DATA { <http://x> <http://y> <http://z> } #",
    '" . } } SELECT * WHERE { ?s ?p ?o } #',
    "\\\" ) } } #",
    "# comment marker",
    '"""',
    "'''",
    "\\u0022 } DROP GRAPH <http://x>",
    "\n}\n",
    "<http://example.org/> } ",
    "DELETE WHERE { ?s ?p ?o }",
]

TEMPLATE = """# A test query.
#
# Parameters:
#   ?value  string  required  any text
#
# Each row: the value.
SELECT ?value ?n WHERE {
  BIND(1 AS ?n)
}
"""


def _roundtrip_rdflib(term) -> list:
    query = f"SELECT ?x WHERE {{ VALUES (?x) {{ ({sparql_term(term)}) }} }}"
    return [row[0] for row in Graph().query(query)]


def _roundtrip_oxigraph(term) -> list:
    query = f"SELECT ?x WHERE {{ VALUES (?x) {{ ({sparql_term(term)}) }} }}"
    return [solution["x"] for solution in ox.Store().query(query)]


# Surrogates cannot be encoded to UTF-8, so no user can pass them.
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=60)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_string_stays_one_literal_in_both_parsers(text: str) -> None:
    term = Literal(text)
    assert _roundtrip_rdflib(term) == [term]
    assert [t.value for t in _roundtrip_oxigraph(term)] == [text]


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_any_string_as_an_iri_is_either_refused_or_one_iri(text: str) -> None:
    try:
        term = sparql_term(URIRef("http://example.org/" + text))
    except InputError:
        return
    assert term.startswith("<") and term.endswith(">") and term.count(">") == 1
    assert [t.value for t in _roundtrip_oxigraph(URIRef("http://example.org/" + text))] == [
        "http://example.org/" + text]


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_a_bound_value_never_changes_the_query_around_it(text: str) -> None:
    """The rewrite adds exactly one VALUES line; the rest of the query is untouched."""
    rewritten = inject_values(TEMPLATE, {"value": Literal(text)})
    head, _, tail = TEMPLATE.partition("WHERE {")
    assert rewritten.startswith(head + "WHERE {")
    assert rewritten.endswith(tail)
    rows = ox.Store().query(rewritten)
    assert [(s["value"].value, s["n"].value) for s in rows] == [(text, "1")]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_classic_injection_payloads_are_plain_values(payload: str) -> None:
    graph = Graph()
    engine_rows = RdflibEngine(graph).select(TEMPLATE, {"value": Literal(payload)})
    assert engine_rows.rows == [(Literal(payload), Literal(1))]
    ox_rows = OxigraphEngine(ox.Store()).select(TEMPLATE, {"value": Literal(payload)})
    assert ox_rows.rows == [(Literal(payload), Literal("1", datatype=XSD.integer))]
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://x"), ox.NamedNode("http://y"), ox.NamedNode("http://z")))
    result = list(store.query(inject_values(TEMPLATE, {"value": Literal(payload)})))
    assert [s["value"].value for s in result] == [payload]
    assert len(store) == 1  # nothing was dropped or inserted


def test_parameters_are_typed(project) -> None:
    query = get_query(project, "states-practising-forced-repatriation")
    assert bind_parameters(query, {}) == {"crime": CRIME["forced-repatriation"]}
    assert bind_parameters(query, {"crime": "abduction"}) == {"crime": CRIME["abduction"]}
    with pytest.raises(InputError, match="expected a crime type"):
        bind_parameters(query, {"crime": "forced repatriation; DROP"})
    with pytest.raises(InputError, match="has no parameter state"):
        bind_parameters(query, {"state": "CN"})


def test_each_parameter_type_converts_and_refuses(tmp_path) -> None:
    header = """# Q?
#
# Parameters:
#   ?c  country  required  a state
#   ?r  resource  default=knpa  a resource
#   ?i  integer  default=3  a number
#   ?d  date  default=2025-10  a date
#   ?l  lang  default=zh-Hans  a language
SELECT * WHERE {}
"""
    question, _, parameters = parse_header(tmp_path / "q.rq", header)
    assert question == "Q?" and [p.type for p in parameters] == ["country", "resource", "integer", "date", "lang"]
    from rightsgraph.query.catalogue import StoredQuery

    query = StoredQuery("q", tmp_path / "q.rq", header, question, "", parameters)
    bound = bind_parameters(query, {"c": "cn"})
    assert bound["c"] == COUNTRY.CN and bound["r"] == RGID.knpa
    assert bound["i"] == Literal(3, datatype=XSD.integer)
    assert bound["d"] == Literal("2025-10", datatype=XSD.gYearMonth)
    for key, bad in [("c", "XX"), ("c", "China"), ("i", "three"), ("d", "2025-13-45"), ("r", "a b"),
                     ("l", "zh Hans")]:
        with pytest.raises(InputError, match=f"--param {key}="):
            bind_parameters(query, {"c": "CN", key: bad} if key != "c" else {"c": bad})
    with pytest.raises(InputError, match="needs --param c"):
        bind_parameters(query, {})


def test_malformed_assignments_are_refused() -> None:
    assert parse_assignments(["state=CN", "?crime=abduction"]) == {"state": "CN", "crime": "abduction"}
    assert parse_assignments(["text=a=b"]) == {"text": "a=b"}
    for bad in (["state"], ["=CN"], ["state=CN", "state=RU"]):
        with pytest.raises(InputError):
            parse_assignments(bad)
