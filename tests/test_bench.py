"""`rightsgraph bench` at its smallest size: every stage runs on both paths and the answers agree.

Timings are measured, printed and written, never asserted: this machine is shared and slow
today is not wrong. What is asserted is the correctness comparison the benchmark makes.
"""

from __future__ import annotations

import json

from conftest import run_cli
from rightsgraph.bench.synthetic import Dataset


def test_bench_at_10k_gives_the_same_answers_on_both_paths(tmp_path, project) -> None:
    out = tmp_path / "bench"
    result = run_cli("bench", "--sizes", "10k", "--out", str(out), "--runs", "1", "--query-limit", "120",
                     "--baseline-timeout", "900", timeout=3000)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    records = json.loads((out / "bench.json").read_text(encoding="utf-8"))
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
    # The synthetic data broke every shape, and the validation found it.
    dataset = Dataset.open(out / "data" / "10k")
    assert not dataset.shapes_not_injected
    assert dataset.violations >= len(dataset.shapes_injected)
