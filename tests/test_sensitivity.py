"""Nothing restricted or confidential leaves the project by default: the served graph holds none of
the sensitivity fixtures' IRIs, labels or quotes (publish and export have the same test in their own
files), and each explicit flag widens the view exactly as far as it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightsgraph.engines import RemoteEngine
from test_serve import serve

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "sensitivity"


def _served_text(url: str) -> str:
    rows = RemoteEngine(url).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows
    assert len(rows) > 5000  # the whole public graph is there
    return "\n".join(str(term) for row in rows for term in row).lower()


@pytest.mark.parametrize(("flags", "shown", "hidden"), [
    ((), set(), {"restricted-zqx7", "confidential-zqx7"}),
    (("--include-restricted",), {"restricted-zqx7"}, {"confidential-zqx7"}),
    (("--include-confidential",), {"restricted-zqx7", "confidential-zqx7"}, set()),
])
def test_served_graph_discloses_only_what_the_flags_allow(tmp_path: Path, flags, shown, hidden) -> None:
    args = ("--data", str(ROOT / "data"), str(FIXTURES), *flags)
    with serve(*args, db=tmp_path / "db") as server:
        text = _served_text(server.url)
    for marker in shown:
        assert marker in text
    for marker in hidden:
        assert marker not in text
    assert "sensitivity-fixture-case" in text  # the public cases that link to hidden data stay
