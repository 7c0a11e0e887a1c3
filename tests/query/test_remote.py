"""Stored queries on a real SPARQL server (Oxigraph on loopback), through the command line."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow  # queries a real server


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_a_stored_query_gives_the_same_rows_remotely_and_locally(oxigraph_server) -> None:
    args = ["query", "crimes-of-returned-suspects", "--param", "origin=KH", "--format", "csv"]
    remote = run_cli(*args, "--endpoint", oxigraph_server.url)
    local = run_cli(*args)
    assert remote.returncode == 0, remote.stderr
    assert _csv_rows(remote.stdout) == _csv_rows(local.stdout)  # the query orders its rows
    assert {r["crimeType"].rsplit("/", 1)[-1] for r in _csv_rows(remote.stdout)} == {
        "telecom-fraud", "illegal-gambling", "money-laundering"}


def test_a_remote_table_has_labels(oxigraph_server) -> None:
    result = run_cli("query", "states-practising-forced-repatriation", "--endpoint", oxigraph_server.url,
                     env={"COLUMNS": "300"})  # no cell wraps: each name on one line
    assert result.returncode == 0, result.stderr
    assert "China" in result.stdout and "Russian Federation" in result.stdout


def test_a_long_query_goes_by_post(oxigraph_server, tmp_path) -> None:
    padding = "# " + "x" * 3000 + "\n"
    query = tmp_path / "long.rq"
    query.write_text("# A long query.\n" + padding + "PREFIX rg: <https://w3id.org/rightsgraph/ontology#>\n"
                     "SELECT (COUNT(*) AS ?n) WHERE { ?c a rg:Claim }\n", encoding="utf-8")
    result = run_cli("query", "--file", str(query), "--endpoint", oxigraph_server.url, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.splitlines()[1]) > 100


def test_injection_payloads_change_nothing_on_a_real_server(oxigraph_server) -> None:
    for payload in ['"} DROP ALL #', "x> } INSERT DATA { <a:b> <a:c> <a:d> } #"]:
        result = run_cli("query", "evidence-for-a-resource", "--param", f"resource=http://e.org/{payload}",
                         "--endpoint", oxigraph_server.url)
        assert result.returncode == 2, result.stderr  # not a valid IRI: refused before sending
    count = run_cli("query", "claims-without-evidence-violation", "--endpoint", oxigraph_server.url,
                    "--format", "csv")
    assert count.returncode == 0
