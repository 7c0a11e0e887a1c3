"""Publish on a long list (no recursion per item), and no staging folder left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli

HEAD = ("@prefix rg: <https://w3id.org/rightsgraph/ontology#> .\n"
        "@prefix rgid: <https://w3id.org/rightsgraph/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
        'rgid:a a rg:Region ;\n    rdfs:label "A"@en ;\n    rdfs:comment ')

def test_publish_takes_a_long_list(tmp_path: Path) -> None:
    """rdflib's Graph.cbd recursed once per list item: publish ended in a RecursionError."""
    data = tmp_path / "list.ttl"
    data.write_text(HEAD + "( " + ' "same"' * 5000 + " ) .\n", encoding="utf-8")
    site = tmp_path / "site"
    result = run_cli("publish", "--data", str(data), "--out", str(site), "-q", timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "id" / "a.nt").read_text(encoding="utf-8").count('"same"') == 5000



def test_interrupted_publish_leaves_no_staging_and_keeps_the_old_site(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from rightsgraph.publish import site

    out = tmp_path / "site"
    site._replace_folder(out, {site.MARKER: b"", "index.html": b"old"})
    real = Path.write_bytes
    calls = 0

    def interrupted(self: Path, data: bytes) -> int:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        site._replace_folder(out, {site.MARKER: b"", "a.html": b"new", "b.html": b"new", "c.html": b"new"})
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (out / "index.html").read_bytes() == b"old"


def test_publish_removes_the_staging_folders_of_dead_publishes(tmp_path: Path) -> None:
    from rightsgraph.publish import site

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    dead, alive = int(ended.stdout), os.getppid()
    stale = [tmp_path / f".site.staging-{dead}-abc123", tmp_path / f".site.old-{dead}"]
    running = tmp_path / f".site.staging-{alive}-def456"  # a publish still at work: kept
    unrelated = tmp_path / ".site-notes"
    for folder in (*stale, running, unrelated):
        folder.mkdir()
        (folder / "index.html").write_bytes(b"x")
    site._replace_folder(tmp_path / "site", {site.MARKER: b""})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", running.name, unrelated.name])
