"""Local queries: syntax errors name the file, a byte-order mark is dropped, --timeout bounds
the query and Ctrl-C stops it, on Oxigraph and on rdflib."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, assert_clean_error, run_cli

pytestmark = pytest.mark.slow  # queries that run until their timeout

HEAD = ("@prefix rg: <https://w3id.org/rightsgraph/ontology#> .\n"
        "@prefix rgid: <https://w3id.org/rightsgraph/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
        'rgid:a a rg:Region ;\n    rdfs:label "A"@en ;\n    rdfs:comment ')

@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_syntax_error_names_the_file_line_and_column(engine: str, tmp_path: Path) -> None:
    query = tmp_path / "broken.rq"
    query.write_text("# A broken query\nSELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?s = )\n}\n", encoding="utf-8")
    result = run_cli("query", "--file", str(query), "--engine", engine)
    assert_clean_error(result, 2, f"{query}:", "SPARQL syntax error")
    line, column = result.stderr.split(f"{query}:")[1].split(":")[:2]
    assert 4 <= int(line) <= 6 and int(column) >= 1  # where each parser places the fault


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_query_file_with_a_byte_order_mark_runs(engine: str, tmp_path: Path) -> None:
    query = tmp_path / "bom.rq"
    query.write_bytes("\ufeff# Regions\nSELECT ?r WHERE { ?r a <https://w3id.org/rightsgraph/ontology#Region> }\n"
                      .encode())
    result = run_cli("query", "--file", str(query), "--engine", engine, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split(",")[0] == "r"


@pytest.mark.parametrize("command", ["build", "run"])
def test_a_turtle_file_with_a_byte_order_mark_is_read(command: str, tmp_path: Path) -> None:
    data = tmp_path / "bom.ttl"
    data.write_bytes(b"\xef\xbb\xbf" + (HEAD + '"with a byte-order mark"@en .\n').encode())
    result = run_cli(command, "--data", str(data), "--out", str(tmp_path / "out"), "-q", timeout=300)
    assert "expected directive" not in result.stderr
    assert "with a byte-order mark" in (tmp_path / "out" / "rightsgraph.nt").read_text(encoding="utf-8")


# --- Local queries: --timeout and Ctrl-C ----------------------------------------------------------

# Seven patterns over every triple of the real graph: more combinations than can ever be counted.
FOREVER = ("# A query that never ends\nSELECT (COUNT(*) AS ?n) WHERE { "
           + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(7)) + " }\n")


def _start_query(tmp_path: Path, engine: str, timeout: float) -> subprocess.Popen[str]:
    query = tmp_path / "forever.rq"
    query.write_text(FOREVER, encoding="utf-8")
    # A shell's background job ignores SIGINT, and the child would inherit that: restore it.
    return subprocess.Popen(
        [sys.executable, "-m", "rightsgraph.cli", "query", "--file", str(query), "--engine", engine,
         "--timeout", str(timeout)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_until_querying(process: subprocess.Popen[str], seconds: float) -> None:
    """Give the command time to load the graph and start the query."""
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        return
    pytest.fail(f"the query ended on its own: {process.stderr.read() if process.stderr else ''}")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_timeout_bounds_a_local_query(engine: str, tmp_path: Path) -> None:
    started = time.monotonic()
    process = _start_query(tmp_path, engine, timeout=4)
    try:
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    elapsed = time.monotonic() - started
    assert process.returncode == 3, stderr
    assert "did not finish within 4 s" in stderr and "Traceback" not in stderr
    assert 4 <= elapsed < 60, elapsed  # loading the graph comes on top of the 4 s


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_ctrl_c_stops_a_local_query(engine: str, tmp_path: Path) -> None:
    process = _start_query(tmp_path, engine, timeout=600)
    try:
        _wait_until_querying(process, 8)
        interrupted = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert time.monotonic() - interrupted < 10
    assert "Traceback" not in stderr
