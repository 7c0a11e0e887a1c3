"""Every stored query gives the same rows on every engine: rdflib, embedded Oxigraph, the Oxigraph
server and Virtuoso 7 through SPARQLWrapper (Virtuoso loaded with `rightsgraph load`).

Rows are compared as multisets. Terms are normalised only where RDF 1.1 says two forms are the
same term: a plain literal and an xsd:string one, and language tags that differ only in case.
Blank nodes are compared as "some blank node" (their labels are local to each result). Where the
query has ORDER BY, each engine's order must also be one the query allows: SPARQL leaves the
order undefined between, e.g., literals in different languages, so rows tied or unordered under
the ORDER BY keys may come in any order.
"""

from __future__ import annotations

import itertools
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import XSD, BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from conftest import ROOT, run_cli
from rightsgraph.core.project import find_project
from rightsgraph.core.results import Rows
from rightsgraph.query.catalogue import StoredQuery, load_catalogue, run_stored
from rightsgraph.query.engines import Engine, OxigraphEngine, RdflibEngine, RemoteEngine

pytestmark = pytest.mark.server

QUERIES = sorted(load_catalogue(find_project(ROOT)))
VIRTUOSO_GRAPH = "https://example.org/rightsgraph/conformance"
OTHER_VIRTUOSO_GRAPH = "https://example.org/rightsgraph/another-version"
# Values for parameters that are required and have no default, by type.
SAMPLE_VALUES = {"country": "CN", "crime": "forced-repatriation", "resource": "knpa", "lang": "en",
                 "string": "police", "integer": "2019", "date": "2019",
                 "iri": "https://w3id.org/rightsgraph/id/country/CN"}


@pytest.fixture(scope="module")
def built_nt(built_dist: Path) -> Path:
    return built_dist / "rightsgraph.nt"


@pytest.fixture(scope="module")
def engines(built_nt: Path, oxigraph_server, virtuoso_server) -> dict[str, Engine]:
    """The same built graph on every engine. Virtuoso holds it twice, as a store in use holds other
    graphs: with one graph only, it answered `*` paths right that it got wrong with two."""
    for graph in (OTHER_VIRTUOSO_GRAPH, VIRTUOSO_GRAPH):
        result = run_cli("load", "--endpoint", virtuoso_server.auth_url, "--graph", graph,
                         "--file", str(built_nt), "--include-confidential", env=virtuoso_server.credentials)
        assert result.returncode == 0, result.stderr
    return {
        "rdflib": RdflibEngine(Graph().parse(built_nt, format="nt")),
        "oxigraph": OxigraphEngine.from_file(str(built_nt)),
        "oxigraph-server": RemoteEngine(oxigraph_server.url),
        "virtuoso": RemoteEngine(virtuoso_server.url, default_graph=VIRTUOSO_GRAPH),
    }


def normalise(term: Node | None) -> Node | str | None:
    """One form for each RDF term; nothing that RDF 1.1 counts as two different terms is merged."""
    if isinstance(term, BNode):
        return "_:blank"
    if isinstance(term, Literal):
        if term.language:
            return Literal(str(term), lang=term.language.lower())
        if term.datatype in (None, XSD.string):
            return Literal(str(term))
    return term


def _rows(rows: Rows) -> list[tuple]:
    return [tuple(normalise(term) for term in row) for row in rows.rows]


# SPARQL 1.1, 15.1: unbound < blank nodes < IRIs < literals.
def _rank(term: object) -> int:
    return 0 if term is None else 1 if term == "_:blank" else 2 if isinstance(term, URIRef) else 3


_NUMERIC = {XSD.integer, XSD.decimal, XSD.float, XSD.double, XSD.nonNegativeInteger, XSD.positiveInteger,
            XSD.nonPositiveInteger, XSD.negativeInteger, XSD.long, XSD.int, XSD.short, XSD.byte,
            XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort, XSD.unsignedByte}


def _sparql_order(a: object, b: object) -> int | None:
    """-1, 0 or 1 where SPARQL defines the order of a and b, else None."""
    if _rank(a) != _rank(b):
        return -1 if _rank(a) < _rank(b) else 1
    if a == b:
        return 0
    if isinstance(a, URIRef) or (isinstance(a, Literal) and isinstance(b, Literal)
                                 and a.datatype is None and not a.language
                                 and b.datatype is None and not b.language):
        return -1 if str(a) < str(b) else 1
    if isinstance(a, Literal) and isinstance(b, Literal):
        if a.datatype in _NUMERIC and b.datatype in _NUMERIC:
            x, y = Decimal(str(a)), Decimal(str(b))
            return 0 if x == y else -1 if x < y else 1
        if a.datatype == b.datatype and a.datatype in (XSD.date, XSD.dateTime, XSD.gYear, XSD.boolean):
            x, y = str(a), str(b)
            return 0 if x == y else -1 if x < y else 1
    return None


def _order_keys(query_text: str, variables: list[str]):
    """Key functions for the ORDER BY conditions (variables, or STR of one), with their
    direction; stops at the first condition this test cannot evaluate."""
    from rdflib.plugins.sparql.parserutils import CompValue

    keys = []
    node = prepareQuery(query_text).algebra
    while isinstance(node, CompValue) and node.name != "OrderBy":
        node = node.get("p")
    for condition in (node.get("expr") if isinstance(node, CompValue) else None) or []:
        descending = isinstance(condition, CompValue) and condition.get("order") == "DESC"
        expr = condition.get("expr") if isinstance(condition, CompValue) and condition.name == "OrderCondition" \
            else condition
        if isinstance(expr, Variable) and str(expr) in variables:
            index = variables.index(str(expr))
            keys.append((lambda row, i=index: row[i], descending))
        elif isinstance(expr, CompValue) and expr.name == "Builtin_STR" and isinstance(expr.get("arg"), Variable) \
                and str(expr["arg"]) in variables:
            index = variables.index(str(expr["arg"]))
            keys.append((lambda row, i=index: None if row[i] is None else Literal(str(row[i])), descending))
        else:
            break
    return keys


def _misordered(rows: list[tuple], keys) -> tuple | None:
    """The first adjacent pair of rows in an order the ORDER BY does not allow, if any."""
    for before, after in itertools.pairwise(rows):
        for key, descending in keys:
            order = _sparql_order(key(before), key(after))
            if order is None:
                break  # undefined from here on: any order is allowed
            if order != 0:
                if (order > 0) != descending:
                    return before, after
                break
    return None


def _values(query: StoredQuery) -> dict[str, str]:
    return {p.name: SAMPLE_VALUES[p.type] for p in query.parameters if p.required and p.default is None}


@pytest.mark.parametrize("name", QUERIES)
def test_every_engine_gives_the_same_rows(name: str, engines: dict[str, Engine], project) -> None:
    query = load_catalogue(project)[name]
    answers = {engine: run_stored(query, runner, _values(query)) for engine, runner in engines.items()}
    reference = answers["rdflib"]
    expected = Counter(_rows(reference))
    problems = []
    for engine, rows in answers.items():
        if rows.variables != reference.variables:
            problems.append(f"{engine}: variables {rows.variables} instead of {reference.variables}")
            continue
        got = Counter(_rows(rows))
        if got != expected:
            missing, extra = expected - got, got - expected
            problems.append(f"{engine}: {len(rows)} rows, rdflib {len(reference)}; "
                            f"only on rdflib: {sorted(missing, key=str)[:5]}; "
                            f"only on {engine}: {sorted(extra, key=str)[:5]}")
        keys = _order_keys(query.text, rows.variables)
        wrong = _misordered(_rows(rows), keys) if keys else None
        if wrong:
            problems.append(f"{engine}: rows out of the ORDER BY order: {wrong[0]} before {wrong[1]}")
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_the_conformance_test_sees_every_stored_query(project) -> None:
    assert set(QUERIES) == set(load_catalogue(project))
    assert "states-practising-forced-repatriation" in QUERIES


def test_order_checks() -> None:
    en, zh = Literal("b", lang="en"), Literal("a", lang="zh-hant")
    assert _sparql_order(URIRef("urn:a"), URIRef("urn:b")) == -1
    assert _sparql_order(None, URIRef("urn:a")) == -1
    assert _sparql_order(Literal(2), Literal("10", datatype=XSD.decimal)) == -1
    assert _sparql_order(en, zh) is None  # SPARQL does not order literals in different languages
    keys = [(lambda row: row[0], False), (lambda row: row[1], False)]
    assert _misordered([(URIRef("urn:a"), en), (URIRef("urn:a"), zh)], keys) is None
    assert _misordered([(URIRef("urn:b"), en), (URIRef("urn:a"), zh)], keys) is not None
