"""The real command line, end to end: every command, its exit codes, and its behaviour on bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import ROOT, assert_clean_error, run_cli

pytestmark = pytest.mark.slow  # the command line end to end, one process per call

COMMANDS = ["build", "validate", "queries", "query", "run", "diagram"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_manual(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "usage: rightsgraph " + command in result.stdout
    assert len(result.stdout) > 300  # a real description, not just the usage line


def test_build_writes_every_format_and_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = run_cli("build", "--out", str(out))
        assert result.returncode == 0, result.stderr
    names = ["rightsgraph.ttl", "rightsgraph.nt", "rightsgraph.jsonld", "ontology.ttl"]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    merged = Graph().parse(first / "rightsgraph.ttl")
    assert len(merged) == len(Graph().parse(first / "rightsgraph.nt")) == len(
        Graph().parse(first / "rightsgraph.jsonld", format="json-ld"))
    ontology = Graph().parse(first / "ontology.ttl")
    assert 0 < len(ontology) < len(merged)
    assert not list(tmp_path.rglob("*.tmp"))


def test_build_with_other_data_and_a_missing_path(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("build", "--out", str(out), "--data", str(ROOT / "data" / "reference.ttl"))
    assert result.returncode == 0, result.stderr
    missing = run_cli("build", "--out", str(tmp_path / "never"), "--data", str(tmp_path / "nope.ttl"))
    assert_clean_error(missing, 2, "nope.ttl", "no such file")
    assert not (tmp_path / "never").exists()


def test_build_refuses_a_syntax_error_with_file_and_line_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "rightsgraph.ttl").write_text("previous build\n", encoding="utf-8")
    result = run_cli("build", "--out", str(out), "--data", str(bad))
    assert_clean_error(result, 2, f"{bad}:3", "syntax error")
    assert (out / "rightsgraph.ttl").read_text(encoding="utf-8") == "previous build\n"
    assert sorted(p.name for p in out.iterdir()) == ["rightsgraph.ttl"]


def test_unreadable_input_is_refused_cleanly(tmp_path: Path) -> None:
    """A file that cannot be read as Turtle text (here: not UTF-8) is named, with its line."""
    latin1 = tmp_path / "latin1.ttl"
    latin1.write_bytes(b'@prefix ex: <http://example.org/> .\nex:a ex:b "caf\xe9" .\n')
    result = run_cli("validate", "--data", str(latin1))
    assert_clean_error(result, 2, f"{latin1}:2", "not UTF-8")


def test_queries_lists_every_stored_query_with_its_question() -> None:
    result = run_cli("queries")
    assert result.returncode == 0
    stored = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    for name in stored:
        assert name in result.stdout
    assert "Which states practise, or cooperate in, the forced repatriation" in result.stdout
    assert "--param crime=<crime> (default forced-repatriation)" in result.stdout


def test_query_shows_labels_in_a_table() -> None:
    wide = {"COLUMNS": "300"}  # no cell wraps: the names and the quote are on one line each
    result = run_cli("query", "states-practising-forced-repatriation", env=wide)
    assert result.returncode == 0, result.stderr
    assert "China" in result.stdout and "Russian Federation" in result.stdout
    assert "俄罗斯和中国与朝鲜当局密切合作" in result.stdout
    chinese = run_cli("query", "states-practising-forced-repatriation", "--lang", "zh", env=wide)
    assert "中国" in chinese.stdout and "俄罗斯" in chinese.stdout


def test_query_csv_and_json(tmp_path: Path) -> None:
    as_csv = run_cli("query", "crimes-of-returned-suspects", "--param", "origin=KH", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert {r["crimeType"].rsplit("/", 1)[-1] for r in rows} == {"telecom-fraud", "illegal-gambling",
                                                                   "money-laundering"}
    as_json = run_cli("query", "crimes-of-returned-suspects", "--format", "json", "--engine", "rdflib")
    document = json.loads(as_json.stdout)
    assert document["head"]["vars"][0] == "operation"
    assert len(document["results"]["bindings"]) == len(rows)


def test_query_from_a_file(tmp_path: Path) -> None:
    query = tmp_path / "count.rq"
    query.write_text("# How many claims are there?\nPREFIX rg: <https://w3id.org/rightsgraph/ontology#>\n"
                     "SELECT (COUNT(?c) AS ?claims) WHERE { ?c a rg:Claim }\n", encoding="utf-8")
    result = run_cli("query", "--file", str(query), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.splitlines()[1]) > 100


@pytest.mark.parametrize(("args", "fragments"), [
    (["query", "states-practising-forced-repatriations"], ["unknown query", "did you mean"]),
    (["query", "crimes-by-state", "--param", "state=Atlantis"], ["--param state=", "ISO 3166-1"]),
    (["query", "crimes-by-state", "--param", "colour=red"], ["has no parameter colour"]),
    (["query", "crimes-by-state", "--param", "state"], ["expected KEY=VALUE"]),
    (["query"], ["give either a stored query NAME, --file"]),
    (["query", "--file", "/nonexistent/q.rq"], ["/nonexistent/q.rq"]),
    (["query", "crimes-by-state", "--endpoint", "ftp://example.org/sparql"], ["expected an http"]),
])
def test_query_errors_are_clear(args: list[str], fragments: list[str]) -> None:
    assert_clean_error(run_cli(*args), 2, *fragments)


def test_a_query_with_a_syntax_error_is_refused(tmp_path: Path) -> None:
    query = tmp_path / "broken.rq"
    query.write_text("# Broken.\nSELECT ?x WHERE { ?x ?y }\n", encoding="utf-8")
    assert_clean_error(run_cli("query", "--file", str(query)), 2, "syntax error")


def test_run_builds_validates_answers_and_summarises(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = run_cli("run", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "triples" in result.stdout and "conforms" in result.stdout and "questions answered" in result.stdout
    stored = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert sorted(p.stem for p in (out / "answers").glob("*.csv")) == stored
    with (out / "answers" / "states-practising-forced-repatriation.csv").open(encoding="utf-8") as stream:
        states = {row["state"].rsplit("/", 1)[-1] for row in csv.DictReader(stream)}
    assert states == {"CN", "RU"}
    for name in ("rightsgraph.ttl", "rightsgraph.nt", "rightsgraph.jsonld", "ontology.ttl"):
        assert (out / name).stat().st_size > 0


def test_run_stops_on_invalid_data(tmp_path: Path) -> None:
    bad = tmp_path / "data"
    bad.mkdir()
    (bad / "claim.ttl").write_text(
        "@prefix rg: <https://w3id.org/rightsgraph/ontology#> .\n"
        "@prefix claim: <https://w3id.org/rightsgraph/id/claim/> .\n"
        "claim:999-001 a rg:Claim .\n", encoding="utf-8")
    result = run_cli("run", "--out", str(tmp_path / "dist"), "--data", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "dist" / "answers").exists()


def test_run_refuses_a_folder_without_data(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_clean_error(run_cli("run", "--out", str(tmp_path / "dist"), "--data", str(empty)), 2,
                       "no Turtle")
    assert not (tmp_path / "dist").exists()


def test_diagram_prints_mermaid() -> None:
    result = run_cli("diagram")
    assert result.returncode == 0
    assert result.stdout.startswith("```mermaid\nclassDiagram") and "Crime <|-- CrimePattern" in result.stdout
