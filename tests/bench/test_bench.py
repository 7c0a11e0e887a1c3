"""`rightsgraph bench` at its smallest size: every stage runs on both paths and the answers agree.

Timings are measured, printed and written, never asserted: this machine is shared and slow
today is not wrong. What is asserted is the correctness comparison the benchmark makes.
"""

from __future__ import annotations

import json

from conftest import run_cli
from rightsgraph.bench.report import targets
from rightsgraph.bench.runner import Record
from rightsgraph.bench.synthetic import Dataset


def test_bench_at_10k_gives_the_same_answers_on_both_paths(tmp_path, project) -> None:
    out = tmp_path / "bench"
    result = run_cli("bench", "--sizes", "10k", "--out", str(out), "--runs", "1", "--query-limit", "120",
                     "--baseline-timeout", "900", timeout=3000)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    saved = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    assert saved["date"] and "cores" in saved["machine"] and saved["command"].startswith("rightsgraph bench ")
    records = saved["records"]
    assert isinstance(records, list) and records
    for record in records:
        assert {"size", "stage", "ours_s", "baseline_s", "ratio", "peak_mib", "identical"} <= set(record)
    by_stage = {r["stage"]: r for r in records}
    # The stages compared as a whole must have been compared, and agree.
    for stage in ("build", "validate", "run"):
        assert by_stage[stage]["identical"] is True, by_stage[stage]
    # Every stored query on both engines and over the server: no difference anywhere.
    queries = [r for r in records if r["stage"].startswith("query:")]
    served = [r for r in records if r["stage"].startswith("server:query:")]
    assert len(queries) == len(served) > 0
    assert not [r for r in records if r["identical"] is False]
    assert sum(r["identical"] is True for r in queries) >= len(queries) - 1  # one may hit the time limit
    assert (out / "bench.png").stat().st_size > 0
    assert "| 10k |" in result.stdout
    assert "- incremental run (not built): 20 times faster than this run is" in result.stdout
    # The synthetic data broke every shape, and the validation found it.
    dataset = Dataset.open(out / "data" / "10k")
    assert not dataset.shapes_not_injected
    assert dataset.violations >= len(dataset.shapes_injected)


def test_targets_state_the_floor_of_an_incremental_run() -> None:
    def record(stage: str, seconds: float) -> Record:
        return Record("1M", 1_000_000, stage, seconds, None, None, None, None)

    # The figures of the quiet 1M run in the README: 38.2 s in all, parse 4.4 s, the 23 stored
    # queries 1.86 s embedded and 14.7 s over HTTP (two stand in for the 23 here).
    records = [record("run", 38.2), record("build:parse", 4.4), record("query:a", 1.0), record("query:b", 0.86),
               record("server:query:a", 10.0), record("server:query:b", 4.7)]
    summary = targets(records, "1M")
    assert ("- incremental run (not built): 20 times faster than this run is 1.91 s; the stored queries alone "
            "take 1.86 s in memory, parsing the graph into memory takes 4.40 s, an on-disk store (the server's) "
            "answers them in 14.70 s") in summary
    # Without the whole run there is no budget to state.
    assert "incremental" not in targets(records[1:], "1M")


def test_the_results_page_is_written_from_the_saved_runs(tmp_path) -> None:
    """docs/benchmark-results.md is what `bench --report` writes from docs/benchmark/*.json."""
    from conftest import ROOT

    page = tmp_path / "results.md"
    result = run_cli("bench", "--report", str(ROOT / "docs" / "benchmark"), "--page", str(page))
    assert result.returncode == 0, result.stderr
    assert page.read_text(encoding="utf-8") == (ROOT / "docs" / "benchmark-results.md").read_text(encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    assert "Machine:" in text and "| size | triples | stage |" in text
