"""Nothing changed on the way through: every literal leaves as it came in.

Hypothesis writes Turtle with literals of every XSD datatype in canonical and non-canonical forms
("01", "+5", "4.0", "1" for true, "P1Y0M", fractional seconds), datatypes written with a prefix
other than xsd:, any language tag in any case, strings that look like Turtle or N-Triples
syntax, and nested blank nodes and lists. Each way out of the one loader (the files `build` and
`run` write, the rdflib Graph that publish, export and serve use, and the rows of both query
engines) must give back exactly those triples. Language tags come back in the case BCP 47
recommends (RDF compares them without regard to case; see terms.bcp47_case).
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from conftest import run_cli
from rightsgraph.core.errors import InputError
from rightsgraph.core.store import graph_of, load_files
from rightsgraph.core.terms import bcp47_case
from rightsgraph.core.turtle import exact_literals, parse_turtle, read_rdf
from rightsgraph.core.writing import serialize, serialize_store
from rightsgraph.query.engines import OxigraphEngine, RdflibEngine

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"

# Valid lexical forms, canonical or not, by datatype (XML Schema 1.1 Part 2).
_sign = st.sampled_from(["", "+", "-"])
_zeros = st.sampled_from(["", "0", "00"])
_integer = st.builds(lambda s, z, n: f"{s}{z}{n}", _sign, _zeros, st.integers(0, 10**12))
_unsigned = st.builds(lambda z, n: f"{z}{n}", _zeros, st.integers(0, 255))
_decimal = st.builds(lambda s, a, b: f"{s}{a}.{b}", _sign, st.integers(0, 999),
                     st.sampled_from(["0", "5", "50", "125"]))
_double = st.one_of(st.sampled_from(["INF", "-INF", "NaN", "1.0E0", "1e3", "-0", "0.1", "+2.5E-3"]),
                    st.floats(allow_nan=False, allow_infinity=False).map(repr))
_date = st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}")
_timezone = st.sampled_from(["", "Z", "+09:00", "-05:30"])
_datetime = st.builds(lambda d, f, z: f"{d}T12:30:05{f}{z}", _date, st.sampled_from(["", ".0", ".000", ".5"]),
                      _timezone)
TYPED = {
    "integer": _integer, "long": _integer.filter(lambda v: abs(int(v)) < 2**63), "int": _unsigned,
    "short": _unsigned, "byte": st.integers(-128, 127).map(str), "nonNegativeInteger": _unsigned,
    "positiveInteger": st.integers(1, 10**6).map(str), "unsignedByte": _unsigned, "decimal": _decimal,
    "double": _double, "float": st.sampled_from(["1.5", "INF", "1E2", "-0.0"]),
    "boolean": st.sampled_from(["true", "false", "1", "0"]), "date": st.builds(str.__add__, _date, _timezone),
    "dateTime": _datetime,
    "dateTimeStamp": st.builds(lambda d, z: f"{d}T00:00:00{z}", _date, st.sampled_from(["Z", "+09:00"])),
    "gYear": st.integers(1000, 2100).map(str), "gYearMonth": st.sampled_from(["2025-10", "1950-01"]),
    "duration": st.sampled_from(["P1Y0M", "PT1H", "P0D", "-P2DT3H", "PT0.50S"]),
    "language": st.sampled_from(["zh-Hans", "en-gb", "KO"]), "string": st.text(max_size=20),
}
# Text that looks like syntax: what a regular expression over Turtle or N-Triples would mistake.
_syntax = st.sampled_from(['^^xsd:int', '^^<http://www.w3.org/2001/XMLSchema#int>', '"@en .', '" .\n', '\\',
                           '\\"', '_:b1', '<urn:x-rightsgraph:xsd:int>', '^^<urn:x-rightsgraph:xsd:int> .', '"""',
                           "@prefix xsd: <x> .", '\\u0041', "\t", "\r\n", "朴", "監控朝鮮", "\u200b", "'"])
_text = st.lists(st.one_of(_syntax, st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8)),
                 max_size=5).map("".join)
# Well-formed BCP 47 tags (RFC 5646), in any case: language, then script, region and variant.
_letters = string.ascii_letters


def _alpha(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=_letters, min_size=size, max_size=size)


_language = st.builds(lambda *parts: "-".join(p for p in parts if p),
                      st.one_of(_alpha(2), _alpha(3)), st.one_of(st.just(""), _alpha(4)),
                      st.one_of(st.just(""), _alpha(2), st.sampled_from(["419", "001"])),
                      st.sampled_from(["", "1901", "valencia"]))


@st.composite
def literals(draw: st.DrawFn) -> Literal:
    kind = draw(st.sampled_from(["typed", "typed", "language", "plain", "custom"]))
    if kind == "typed":
        name = draw(st.sampled_from(sorted(TYPED)))
        return Literal(draw(TYPED[name]), datatype=URIRef(XSD + name), normalize=False)
    if kind == "language":
        return Literal(draw(_text), lang=draw(_language))
    if kind == "custom":
        return Literal(draw(_text), datatype=URIRef(EX + "datatype"), normalize=False)
    return Literal(draw(_text))


def _turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    # Other control characters as \u escapes: a raw NUL would make the file binary, and is refused.
    return '"' + "".join(f"\\u{ord(c):04X}" if ord(c) < 0x20 and c != "\t" else c for c in escaped) + '"'


def _turtle_literal(literal: Literal) -> str:
    body = _turtle_string(str(literal))
    if literal.language:
        return f"{body}@{literal.language}"
    if literal.datatype is None:
        return body
    datatype = str(literal.datatype)
    # XSD datatypes through a prefix that is not called xsd:, the case the old text rewriting missed
    return f"{body}^^x:{datatype[len(XSD):]}" if datatype.startswith(XSD) else f"{body}^^<{datatype}>"


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Turtle: literal values on named subjects, inside nested blank nodes, and in lists."""
    lines = ["@prefix x: <http://www.w3.org/2001/XMLSchema#> .", f"@prefix ex: <{EX}> ."]
    for index in range(draw(st.integers(1, 6))):
        values = draw(st.lists(literals(), min_size=1, max_size=5))
        shape = draw(st.sampled_from(["flat", "nested", "list"]))
        objects = " , ".join(_turtle_literal(v) for v in values)
        if shape == "flat":
            lines.append(f"ex:s{index} ex:p {objects} .")
        elif shape == "nested":
            lines.append(f"ex:s{index} ex:p [ ex:q {objects} ; ex:r [ ex:q {objects} ] ] .")
        else:
            lines.append(f"ex:s{index} ex:p ( {' '.join(_turtle_literal(v) for v in values)} ) .")
    return "\n".join(lines) + "\n"


def _normalised(graph: Graph) -> Graph:
    """Literals with their language tag in BCP 47 case, and "x"^^xsd:string as "x" (one term in
    RDF 1.1, two in rdflib); everything else as it is."""
    def term(t):
        if isinstance(t, Literal) and t.language:
            return Literal(str(t), lang=bcp47_case(t.language))
        if isinstance(t, Literal) and t.datatype == URIRef(XSD + "string"):
            return Literal(str(t))
        return t

    out = Graph()
    for triple in graph:
        out.add(tuple(term(t) for t in triple))
    return out


def _key(t: Literal) -> tuple[str, str | None, str | None]:
    datatype = str(t.datatype) if t.datatype and str(t.datatype) != XSD + "string" else None
    return str(t), datatype, t.language


def _literals(graph: Graph) -> set[tuple[str, str | None, str | None]]:
    return {_key(t) for t in graph.objects() if isinstance(t, Literal)}


def _parse(source: Path | bytes, fmt: str) -> Graph:
    """rdflib's reading of a file or of bytes, lexical forms kept."""
    with exact_literals():
        if isinstance(source, Path):
            return Graph().parse(source, format=fmt)
        return Graph().parse(data=source, format=fmt)


def _check_every_way_out(path: Path) -> None:
    expected = _normalised(_parse(path, "turtle"))
    data = load_files([path])
    graph = graph_of(data.store)
    assert isomorphic(graph, expected)
    assert _literals(graph) == _literals(expected)
    files = serialize_store(data.store)
    for name, fmt in (("rightsgraph.nt", "nt"), ("rightsgraph.ttl", "turtle"), ("rightsgraph.jsonld", "json-ld")):
        written = _parse(files[name], fmt)
        assert isomorphic(written, expected), name
        assert _literals(written) == _literals(expected), name
    # What publish, export and serve write goes through the same writer from the rdflib Graph.
    assert serialize(graph, "nt") == files["rightsgraph.nt"]
    query = "SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"
    for engine in (OxigraphEngine(data.store), RdflibEngine(graph)):
        rows = engine.select(query)
        found = {_key(t) for t in rows.column("o")}
        assert found == _literals(expected), type(engine).__name__


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents())
def test_every_literal_leaves_as_it_came_in(tmp_path: Path, document: str) -> None:
    path = tmp_path / "literals.ttl"
    path.write_text(document, encoding="utf-8")
    _check_every_way_out(path)


TRICKY = """@prefix x: <http://www.w3.org/2001/XMLSchema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:a ex:label "a label that says ^^xsd:int and ^^<http://www.w3.org/2001/XMLSchema#long>"@en ,
        "ends like a line\\" .\\n<http://example.org/b> <http://example.org/p> \\"x\\"@en"@EN-gb ;
    ex:start "39"^^x:long ;
    ex:count "01"^^xsd:integer , "+5"^^xsd:integer , "80"^^xsd:nonNegativeInteger ;
    ex:amount "4.0"^^xsd:decimal , "4.00"^^xsd:decimal , "4"^^xsd:decimal ;
    ex:flag "1"^^xsd:boolean ;
    ex:when "2025-10-18T00:00:00.000Z"^^xsd:dateTime ;
    ex:length "P1Y0M"^^xsd:duration ;
    ex:name "監控朝鮮難民"@zh-hant , "监控朝鲜难民"@zh-Hans .
"""


def test_literals_that_look_like_syntax_or_oxigraph_would_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "tricky.ttl"
    path.write_text(TRICKY, encoding="utf-8")
    _check_every_way_out(path)
    written = serialize_store(load_files([path]).store)["rightsgraph.nt"].decode()
    assert '"4.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in written
    assert '"39"^^<http://www.w3.org/2001/XMLSchema#long>' in written
    assert "says ^^xsd:int and ^^<http://www.w3.org/2001/XMLSchema#long>" in written
    assert '"@en-GB .' in written and '"@zh-Hant .' in written and "zh-hant" not in written


@pytest.mark.slow
def test_build_writes_the_tricky_literals_exactly_in_every_format(tmp_path: Path) -> None:
    """The command line, end to end: `build` and `run` on both engines write the same files, and
    each file holds the input's literals exactly."""
    path = tmp_path / "tricky.ttl"
    path.write_text(TRICKY, encoding="utf-8")
    outputs = {}
    for args in (["build"], ["run", "--engine", "oxigraph"], ["run", "--engine", "rdflib"]):
        out = tmp_path / "-".join(args)
        result = run_cli(*args, "--data", str(path), "--out", str(out))
        assert "Traceback" not in result.stderr
        outputs[" ".join(args)] = {name: (out / name).read_bytes()
                                   for name in ("rightsgraph.nt", "rightsgraph.ttl", "rightsgraph.jsonld")}
    assert len({tuple(files.values()) for files in outputs.values()}) == 1
    expected = _literals(_normalised(_parse(path, "turtle")))
    files = outputs["build"]
    for name, fmt in (("rightsgraph.nt", "nt"), ("rightsgraph.ttl", "turtle"), ("rightsgraph.jsonld", "json-ld")):
        assert expected <= _literals(_parse(files[name], fmt)), name


@pytest.mark.parametrize(("statement", "message"), [
    ('rg:subject "a literal" ; rg:predicate rg:note ; rg:object "x"', 'has "a literal" as its rg:subject'),
    ('rg:subject rgid:a ; rg:predicate "note" ; rg:object "x"', 'has "note" as its rg:predicate'),
])
def test_a_statement_that_is_not_rdf_is_refused_with_its_file_and_line(tmp_path: Path, statement, message) -> None:
    path = tmp_path / "claims.ttl"
    path.write_text("@prefix rg: <https://w3id.org/rightsgraph/ontology#> .\n"
                    "@prefix rgid: <https://w3id.org/rightsgraph/id/> .\n"
                    "rgid:claim rg:states [\n"
                    f"    {statement} ] .\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_files([path])
    assert f"{path}:4" in str(error.value) and message in str(error.value)


def test_a_statement_with_two_objects_asserts_both_on_every_path(tmp_path: Path) -> None:
    """Not a choice by hash order: both values are asserted (and the shapes reject the statement)."""
    path = tmp_path / "two.ttl"
    path.write_text("@prefix rg: <https://w3id.org/rightsgraph/ontology#> .\n"
                    "@prefix rgid: <https://w3id.org/rightsgraph/id/> .\n"
                    "rgid:claim rg:status rg:reported ;\n"
                    "    rg:states [ rg:subject rgid:a ; rg:predicate rg:note ; rg:object \"x\" , \"y\" ] .\n",
                    encoding="utf-8")
    graph = graph_of(load_files([path]).store)
    note = URIRef("https://w3id.org/rightsgraph/ontology#note")
    assert set(graph.objects(URIRef("https://w3id.org/rightsgraph/id/a"), note)) == {Literal("x"), Literal("y")}
    assert not any(isinstance(t, BNode) and (t, note, None) in graph for t in graph.subjects())


@pytest.mark.slow
def test_values_held_privately_are_compared_as_values(tmp_path: Path) -> None:
    """A literal Oxigraph would change is held privately, where its comparisons would not see its
    value: the queries then run on rdflib, and the command says so."""
    path = tmp_path / "amounts.ttl"
    path.write_text("@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix ex: <http://example.org/> .\n"
                    'ex:a ex:amount "4.0"^^xsd:decimal . ex:b ex:amount "010"^^xsd:integer . '
                    'ex:c ex:amount "7"^^xsd:integer .\n', encoding="utf-8")
    query = tmp_path / "over-five.rq"
    query.write_text("# Amounts over five\nSELECT ?amount WHERE { ?s <http://example.org/amount> ?amount "
                     "FILTER(?amount > 5) } ORDER BY ?amount\n", encoding="utf-8")
    result = run_cli("query", "--file", str(query), "--data", str(path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["amount", "7", "010"]
    assert "the queries run on rdflib" in result.stderr


BARE = """@prefix ex: <http://example.org/> .
ex:a ex:n 01 , +5 , -0 , 0001.5 , 1.50 , 1E3 , true .
"""
# Read off the text above (Turtle's INTEGER, DECIMAL, DOUBLE and boolean tokens): each literal's
# lexical form is the token as written.
BARE_LITERALS = {("01", XSD + "integer", None), ("+5", XSD + "integer", None), ("-0", XSD + "integer", None),
                 ("0001.5", XSD + "decimal", None), ("1.50", XSD + "decimal", None),
                 ("1E3", XSD + "double", None), ("true", XSD + "boolean", None)}


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_numbers_written_bare_are_read_as_written(tmp_path: Path, suffix: str) -> None:
    """rdflib's Turtle parser rewrites a bare `01` as "1" even with exact_literals on; every reader
    of rightsgraph's (the one loader, parse_turtle for shapes and catalogues, read_rdf for
    `load --file`) keeps the token as written."""
    path = tmp_path / "bare.ttl"
    path.write_text(BARE, encoding="utf-8")
    assert _literals(parse_turtle(path)) == BARE_LITERALS
    assert _literals(graph_of(load_files([path]).store)) == BARE_LITERALS
    written = serialize_store(load_files([path]).store)["rightsgraph.nt"]
    assert _literals(_parse(written, "nt")) == BARE_LITERALS
    # `load --file` reads what build wrote (.nt), or Turtle as a user wrote it.
    source = tmp_path / f"file{suffix}"
    source.write_bytes(written if suffix == ".nt" else BARE.encode())
    assert _literals(read_rdf(source)) == BARE_LITERALS


def test_read_rdf_refuses_what_it_cannot_read_in_one_line(tmp_path: Path) -> None:
    unknown = tmp_path / "graph.xyz"
    unknown.write_text("<a:b> <a:c> <a:d> .", encoding="utf-8")
    with pytest.raises(InputError, match=r"graph\.xyz: unknown RDF syntax"):
        read_rdf(unknown)
    broken = tmp_path / "graph.nt"
    broken.write_text("<a:b> <a:c> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"graph\.nt: cannot be read as ") as error:
        read_rdf(broken)
    assert "\n" not in str(error.value)
