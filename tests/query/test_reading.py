"""What a reader gets from `rightsgraph query`: tables that fit the terminal with the quotes whole,
rows gathered, CSV with labels, and ad-hoc SPARQL with the project's prefixes and one-line errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import assert_clean_error, run_cli

pytestmark = pytest.mark.slow  # the command line end to end, one process per call

QUERY = "states-practising-forced-repatriation"
# data/004-de1a4595a4e24556.ttl: the source's line break falls inside "朝鲜" (North Korea).
BROKEN_LINE = "俄罗斯和中国与朝鲜当局密切合作，监控朝\n鲜难民和脱北者，并强行将他们遣返回朝鲜"


def _quote_column(lines: list[str]) -> str:
    """The text of the table's last column (the quotes), read from where its header starts."""
    start = cell_len(lines[0][:lines[0].index("quote")])
    text = []
    for line in lines[2:-1]:
        # Cut by terminal cells, not characters: CJK characters take two.
        cells, kept = 0, []
        for ch in line:
            if cells >= start:
                kept.append(ch)
            cells += cell_len(ch)
        text.append("".join(kept))
    return "".join(text)


@pytest.mark.parametrize("width", [80, 160])
def test_tables_fit_the_terminal_and_keep_the_quotes_whole(width: int) -> None:
    result = run_cli("query", QUERY, env={"COLUMNS": str(width)})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    # The one claim that reports both states' forced repatriation as so (claim:004-041).
    column = "".join(_quote_column(lines).split())
    assert column.count("".join(BROKEN_LINE.split())) == 2  # once for China, once for Russia


def test_a_line_break_in_a_quote_is_kept() -> None:
    lines = run_cli("query", QUERY, env={"COLUMNS": "300"}).stdout.splitlines()  # no cell wraps
    first, second = BROKEN_LINE.split("\n")
    at = next(i for i, line in enumerate(lines) if line.rstrip().endswith(first))
    assert lines[at + 1].strip().startswith(second)
    assert "监控朝 鲜" not in "\n".join(lines)


def test_rows_that_differ_in_one_column_are_one_row() -> None:
    """The news article alleges three crimes of the 64 suspects in one sentence (這些人被指涉入電信
    詐騙、非法賭博與洗錢活動, data/000-182b20a71efb541c.ttl): one row, the crimes gathered in it."""
    out = run_cli("query", "crimes-of-returned-suspects", env={"COLUMNS": "250"}).stdout
    assert out.count("• ") == 3
    assert "這些人被指涉入電信詐騙、非法賭博與洗錢活動" in out
    assert out.rstrip().endswith("(1 row, gathered from 3 answers)")


def test_csv_has_a_label_beside_every_iri_column() -> None:
    for lang, china, status in (("en", "China", "reported as fact"), ("zh", "中国", None)):
        result = run_cli("query", QUERY, "--format", "csv", "--lang", lang)
        assert result.returncode == 0, result.stderr
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert list(rows[0]) == ["state", "state label", "crimePattern", "crimePattern label", "status",
                                 "status label", "source", "source label", "quote"]
        assert len(rows) == 2  # China and Russia, each from claim:004-041
        assert {r["state label"] for r in rows if r["state"].endswith("/country/CN")} == {china}
        if status:
            assert {r["status label"] for r in rows} == {status}
        assert {r["quote"] for r in rows} == {BROKEN_LINE}


def test_the_answers_of_run_have_labels(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert run_cli("run", "--out", str(out)).returncode == 0
    with (out / "answers" / f"{QUERY}.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert {r["state label"] for r in rows} == {"China", "Russian Federation"}


def test_ad_hoc_queries_need_no_header_nor_the_project_prefixes(tmp_path: Path) -> None:
    text = "SELECT ?quote WHERE { claim:004-028 rg:quote/oa:exact ?quote }"
    query = tmp_path / "plain.rq"
    query.write_text(text + "\n", encoding="utf-8")
    for args in (["--text", text], ["--file", str(query)], ["--file", str(query), "--engine", "rdflib"]):
        result = run_cli("query", *args, "--format", "csv")
        assert result.returncode == 0, result.stderr
        # data/004-de1a4595a4e24556.ttl, claim:004-028
        assert result.stdout.splitlines()[1] == "七、政治犯"


def test_a_declared_prefix_is_not_replaced() -> None:
    text = "PREFIX rg: <http://example.org/other#> SELECT ?x WHERE { ?x rg:quote ?q }"
    result = run_cli("query", "--text", text, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "x\n"


@pytest.mark.parametrize(("text", "place", "fragment"), [
    ("SELECT ?x WHERE {\n  ?x ex:name ?y .\n}\n", ":2:6:", "the prefix 'ex:' is not declared"),
    ("# a question\nSELECT ?x WHERE {\n  ?x ?y\n  FILTER(?y > ) }\n", ":4:", "syntax error: expected"),
    ("CONSTRUCT WHERE { ?s ?p ?o }\n", ": ", "only SELECT queries"),
    ("INSERT DATA { <http://a> <http://b> <http://c> }\n", ": ", "an update"),
])
def test_a_syntax_error_is_one_line_with_its_place(tmp_path: Path, text: str, place: str, fragment: str) -> None:
    query = tmp_path / "bad.rq"
    query.write_text(text, encoding="utf-8")
    result = run_cli("query", "--file", str(query))
    assert_clean_error(result, 2, f"{query}{place}", fragment)
    assert len(result.stderr.strip().splitlines()) == 1
    assert len(result.stderr) < 250
