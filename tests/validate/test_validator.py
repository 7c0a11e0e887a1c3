"""One validator that is never silently wrong: `validate --plain`, the choice of validator, and
the cases where the SHACL spec, pyshacl and the translation used to part ways (issue #16).

Expected results come from the SHACL spec's text for each component, read against the small
graphs below. Where pySHACL's reading and the spec's part, Apache Jena's `shacl validate` is run on
the same graph as a third opinion and must give the same results (validate/jena.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from conftest import ROOT, assert_clean_error, require, run_cli
from rightsgraph.validate.conformance import report_graph
from rightsgraph.validate.jena import jena_report, missing
from rightsgraph.validate.plain import validate_plain

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""
EX = "http://example.org/"
XSD_LONG = "http://www.w3.org/2001/XMLSchema#long"


def _files(tmp_path: Path, data: str, shapes: str) -> tuple[Path, Path]:
    (tmp_path / "data.ttl").write_text(PREFIXES + data, encoding="utf-8")
    (tmp_path / "shapes.ttl").write_text(PREFIXES + shapes, encoding="utf-8")
    return tmp_path / "data.ttl", tmp_path / "shapes.ttl"


def _results(tmp_path: Path, data: str, shapes: str, validator: str) -> list[tuple]:
    data_file, shapes_file = _files(tmp_path, data, shapes)
    report = validate_plain([data_file], [shapes_file], validator)
    return sorted((str(r.focus_node), str(r.value), str(r.constraint).rsplit("#")[-1]) for r in report.results)


def _rows(graph: Graph) -> list[tuple]:
    return sorted((str(graph.value(r, SH.focusNode)), str(graph.value(r, SH.value)),
                   str(graph.value(r, SH.sourceConstraintComponent)).rsplit("#")[-1])
                  for r in graph.objects(None, SH.result))


def _jena(tmp_path: Path, data: str, shapes: str) -> list[tuple]:
    """Apache Jena's results on the same graphs, in _results' form: the third opinion."""
    reason = missing()
    require(reason is None, str(reason))
    data_file, shapes_file = _files(tmp_path, data, shapes)
    return _rows(report_graph(jena_report(data_file, shapes_file)))


@pytest.mark.slow
def test_language_in_matches_language_ranges_as_the_spec_says(tmp_path: Path) -> None:
    """sh:languageIn uses SPARQL's langMatches: zh-Hant-TW is in the range zh-Hant (SHACL 4.3.3)."""
    data = 'ex:a ex:label "台灣"@zh-Hant-TW , "x"@zh-Hans .'
    shapes = 'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:label ; sh:languageIn ("zh-Hant") ] .'
    expected = [(f"{EX}a", "x", "LanguageInConstraintComponent")]
    assert _results(tmp_path, data, shapes, "sparql") == expected
    assert _jena(tmp_path, data, shapes) == expected  # pySHACL also reports the zh-Hant-TW label


@pytest.mark.slow
def test_a_datatype_is_the_datatype_iri_whatever_prefix_names_it(tmp_path: Path) -> None:
    """"39"^^x:long with x: bound to XSD's namespace is an xsd:long, not an xsd:integer (SHACL
    4.1.2 compares datatype IRIs), though Oxigraph's store keeps it as an xsd:integer."""
    data = '@prefix x: <http://www.w3.org/2001/XMLSchema#> . ex:a ex:start "39"^^x:long , 40 .'
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:start ; sh:datatype xsd:integer ] ."
    expected = [(f"{EX}a", "39", "DatatypeConstraintComponent")]
    for validator in ("sparql", "pyshacl"):
        assert _results(tmp_path, data, shapes, validator) == expected
    assert _jena(tmp_path, data, shapes) == expected
    data_file, shapes_file = _files(tmp_path, data, shapes)
    report = validate_plain([data_file], [shapes_file], "sparql")
    assert [r.value for r in report.results] == [Literal("39", datatype=URIRef(XSD_LONG))]


@pytest.mark.slow
def test_ill_formed_literals_fail_sh_datatype(tmp_path: Path) -> None:
    """A literal whose form is not valid for its datatype fails sh:datatype (SHACL 4.1.2)."""
    data = ('ex:a ex:tag "not a tag!"^^xsd:language , "en-GB"^^xsd:language ; '
            'ex:small "300"^^xsd:byte , "12"^^xsd:byte .')
    shapes = ('ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:tag ; sh:datatype xsd:language ] , '
              '[ sh:path ex:small ; sh:datatype xsd:byte ] .')
    expected = [(f"{EX}a", "300", "DatatypeConstraintComponent"),
                (f"{EX}a", "not a tag!", "DatatypeConstraintComponent")]
    for validator in ("sparql", "auto"):
        assert _results(tmp_path, data, shapes, validator) == expected
    assert _jena(tmp_path, data, shapes) == expected  # pySHACL lets "not a tag!" pass


@pytest.mark.slow
def test_values_are_reported_as_the_data_writes_them(tmp_path: Path) -> None:
    data = 'ex:a ex:n 4.0 , "01"^^xsd:integer .'
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:n ; sh:maxInclusive 0 ] ."
    data_file, shapes_file = _files(tmp_path, data, shapes)
    report = validate_plain([data_file], [shapes_file], "sparql")
    assert sorted(str(r.value) for r in report.results) == ["01", "4.0"]
    assert [value for _, value, _ in _jena(tmp_path, data, shapes)] == ["01", "4.0"]


@pytest.mark.slow
def test_a_sub_select_sees_this_pre_bound(tmp_path: Path) -> None:
    """$this is pre-bound inside a sub-select too (SHACL 5.2.1): each person with fewer than two
    friends who have a name is reported, and no one else."""
    data = ("ex:a ex:friend ex:b , ex:c . ex:b ex:name \"B\" . ex:c ex:name \"C\" . "
            "ex:d ex:friend ex:b . ex:e ex:friend ex:x .")
    shapes = '''ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:friend ; sh:sparql [ sh:select """
        PREFIX ex: <http://example.org/>
        SELECT $this WHERE {
            { SELECT $this (COUNT(?f) AS ?named) WHERE { $this ex:friend ?f . ?f ex:name ?n } GROUP BY $this }
            FILTER (?named < 2)
        }""" ] .'''
    expected = [(f"{EX}d", f"{EX}d", "SPARQLConstraintComponent")]
    assert _results(tmp_path, data, shapes, "sparql") == expected
    assert _results(tmp_path, data, shapes, "pyshacl") == expected
    assert _jena(tmp_path, data, shapes) == expected


@pytest.mark.slow
def test_only_top_level_results_are_counted(tmp_path: Path) -> None:
    """pyshacl nests the results of sh:node under sh:detail; those are not results of their own."""
    data = "ex:a ex:p ex:b ."
    shapes = ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:node ex:T ] . "
              "ex:T a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .")
    expected = [(f"{EX}a", f"{EX}b", "NodeConstraintComponent")]
    assert _results(tmp_path, data, shapes, "pyshacl") == expected
    assert _results(tmp_path, data, shapes, "sparql") == expected
    assert _jena(tmp_path, data, shapes) == expected


@pytest.mark.slow
def test_the_translation_refuses_with_one_line_naming_shape_and_feature(tmp_path: Path) -> None:
    data_file, shapes_file = _files(tmp_path, "ex:a ex:p 1 .", '''
        ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:answer ] ;
            sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK { FILTER ($value = $answer) }" ] .
        ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; ex:answer 42 .''')
    args = ("validate", "-q", "--plain", "--data", str(data_file), "--shapes", str(shapes_file))
    refused = run_cli(*args, "--validator", "sparql")
    assert_clean_error(refused, 2, "http://example.org/S", "constraint component")
    assert len(refused.stderr.strip().splitlines()) == 1
    # auto hands the shape to pyshacl, in the same run, and says so.
    auto = run_cli(*args, "--format", "json")
    assert auto.returncode == 1, auto.stderr
    assert '"pyshacl": [\n      "http://example.org/S"' in auto.stdout


def test_plain_turtle_is_a_standard_report(tmp_path: Path) -> None:
    data_file, shapes_file = _files(tmp_path, 'ex:a ex:p "x" .',
                                    "ex:S a sh:NodeShape ; sh:targetNode ex:a ; "
                                    "sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .")
    result = run_cli("validate", "--plain", "--data", str(data_file), "--shapes", str(shapes_file),
                     "--format", "turtle")
    assert result.returncode == 1, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    (node,) = graph.subjects(SH.sourceConstraintComponent, SH.MinCountConstraintComponent)
    assert graph.value(node, SH.focusNode) == URIRef(f"{EX}a")
    assert graph.value(graph.value(node, SH.resultPath), SH.inversePath) == URIRef(f"{EX}p")
    assert graph.value(node, SH.resultSeverity) == SH.Violation
    assert (None, SH.conforms, Literal(False)) in graph


def test_plain_needs_data_and_shapes() -> None:
    assert_clean_error(run_cli("validate", "--plain", "--data", "x.ttl"), 2, "--shapes")
    assert_clean_error(run_cli("validate", "--shapes", "x.ttl"), 2, "--plain")


@pytest.fixture(scope="module")
def project_with_a_custom_shape(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with one more shape file, using what the translation does not evaluate."""
    home = tmp_path_factory.mktemp("project")
    for folder in ("ontology", "data", "queries"):
        (home / folder).symlink_to(ROOT / folder)
    shutil.copytree(ROOT / "shapes", home / "shapes")
    (home / "shapes" / "custom.ttl").write_text('''
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix rg: <https://w3id.org/rightsgraph/ontology#> .
        @prefix rgsh: <https://w3id.org/rightsgraph/shapes#> .
        rgsh:NoteComponent a sh:ConstraintComponent ; sh:parameter [ sh:path rgsh:forbiddenWord ] ;
            sh:validator [ a sh:SPARQLAskValidator ;
                           sh:ask "ASK { FILTER (!CONTAINS(LCASE(STR($value)), $forbiddenWord)) }" ] .
        rgsh:StateNoteShape a sh:NodeShape ; sh:targetClass rg:State ; sh:severity sh:Warning ;
            sh:property [ sh:path rg:note ; rgsh:forbiddenWord "todo" ] .
        ''', encoding="utf-8")
    for name in ("pyproject.toml", "README.md"):
        (home / name).symlink_to(ROOT / name)
    return home


@pytest.mark.slow
def test_validate_and_run_give_the_same_verdict_with_a_shape_the_translation_refuses(
        project_with_a_custom_shape: Path, tmp_path: Path, sources_dir: Path) -> None:
    # The copy is elsewhere: its evidence is checked against the checkout's source files.
    env = {"RIGHTSGRAPH_HOME": str(project_with_a_custom_shape), "RIGHTSGRAPH_SOURCES": str(sources_dir)}
    validated = run_cli("validate", "--format", "json", env=env)
    assert validated.returncode == 0, validated.stderr
    assert "StateNoteShape" in validated.stdout and '"pyshacl"' in validated.stdout
    ran = run_cli("run", "--out", str(tmp_path / "dist"), "-q", env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Traceback" not in ran.stdout + ran.stderr
    refused = run_cli("run", "--out", str(tmp_path / "dist"), "--validator", "sparql", env=env)
    assert_clean_error(refused, 2, "StateNoteShape")
