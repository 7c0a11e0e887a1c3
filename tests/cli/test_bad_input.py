"""The bad-input corpus (tests/fixtures/bad/), on every command that reads the data.

Each case is a file whose header says what the user must see (`# expect-exit: 2`, then one
`# expect-message:` line per fragment of the one-line message, `{path}` standing for the path as
given), or, for an empty file and for folders, the same lines in `<name>.expect` beside it. An
optional `# expect-commands:` line limits the commands, and `# expect-exit-COMMAND:` gives a
command its own exit code. Every command that reads the data must refuse the case the same way:
one message, the documented exit code, no traceback, nothing written.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rightsgraph.cli import main

BAD = Path(__file__).parents[1] / "fixtures" / "bad"


def _expectations(case: Path) -> dict[str, list[str]]:
    header = case.with_name(case.name + ".expect") if case.is_dir() or case.stat().st_size == 0 else case
    found: dict[str, list[str]] = {}
    for line in header.read_bytes().decode("utf-8", "replace").splitlines():
        match = re.match(r"# (expect-[a-z-]+): (.*)", line)
        if match:
            found.setdefault(match.group(1), []).append(match.group(2))
    return found


CASES = sorted(p for p in BAD.iterdir() if p.suffix != ".expect")
# Every command that takes --data, with the arguments it needs to get as far as reading it.
COMMANDS = {
    "build": ["--out", "{out}"],
    "validate": [],
    "run": ["--out", "{out}"],
    "query": ["states-practising-forced-repatriation"],
    "stats": [],
    "publish": ["--out", "{out}"],
    "export": ["graphml", "--out", "{out}/graph.graphml"],
    "serve": ["--db", "{out}"],
    "load": ["--endpoint", "http://127.0.0.1:9/query"],
}


def test_every_case_says_what_it_expects() -> None:
    for case in CASES:
        expected = _expectations(case)
        assert expected.get("expect-exit") and expected.get("expect-message"), case.name


# The quick loop checks each case on `validate`; every other command is in the full run.
@pytest.mark.parametrize("command", [pytest.param(c, marks=[] if c == "validate" else [pytest.mark.slow])
                                     for c in sorted(COMMANDS)])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Path, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = _expectations(case)
    commands = expected.get("expect-commands", [" ".join(COMMANDS)])[0].split()
    if command not in commands:
        return  # well-formed data that only some commands judge (see the case's header)
    out = tmp_path / "out"
    args = [command, *(a.format(out=out) for a in COMMANDS[command]), "--data", str(case)]
    code = main(args)
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    want = int(expected.get(f"expect-exit-{command}", expected["expect-exit"])[0])
    assert code == want, output
    if want == 0:
        return
    for fragment in expected["expect-message"]:
        assert fragment.replace("{path}", str(case)) in output, (fragment, output)
    if want == 2:
        errors = [line for line in captured.err.splitlines() if line.startswith("rightsgraph: error:")]
        assert len(errors) == 1, captured.err  # one message
        assert not out.exists() or not any(out.iterdir())  # nothing half-written
