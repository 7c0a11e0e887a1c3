"""The bad-input corpus (tests/fixtures/bad/): each input gives one readable message, its documented
exit code, no traceback, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import run_cli

BAD = Path(__file__).parent / "fixtures" / "bad"
CASES = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


def test_every_file_of_the_corpus_is_a_case() -> None:
    listed = {case["input"] for case in CASES}
    present = {p.name for p in BAD.iterdir() if p.name != "expected.yaml"}
    assert listed == present


@pytest.mark.parametrize("case", CASES, ids=[c["input"] for c in CASES])
@pytest.mark.parametrize("command", ["build", "validate"])
def test_bad_input(case: dict, command: str, tmp_path: Path) -> None:
    path = str(BAD / case["input"])
    out = tmp_path / "out"
    args = [command, "--data", path] + (["--out", str(out)] if command == "build" else [])
    result = run_cli(*args)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    if case["exit"] == 1 and command == "build":
        # Conflicting values are well-formed Turtle: build writes them, validate catches them.
        assert result.returncode == 0, output
        return
    assert result.returncode == case["exit"], output
    for fragment in case["message"]:
        assert fragment.replace("{path}", path) in output, (fragment, output)
    if case["exit"] == 2:
        errors = [line for line in result.stderr.splitlines() if line.startswith("rightsgraph: error:")]
        assert len(errors) == 1, result.stderr  # one message
        assert not out.exists()  # nothing half-written
