"""`export all`: every format made before any is written; one that fails leaves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_clean_error, run_cli
from rightsgraph.core.errors import InputError


def test_export_all_writes_nothing_when_one_format_fails(tmp_path: Path) -> None:
    """A file where the view's folder should be: the view (the last format) cannot be written.
    Before, the four formats before it were written and the command failed."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "view").write_text("in the way\n", encoding="utf-8")
    result = run_cli("export", "all", "--out", str(out), timeout=300)
    assert_clean_error(result, 2, f"{out / 'view'}: exists and is not a folder")
    assert sorted(p.name for p in out.iterdir()) == ["view"]


def test_export_all_makes_every_format_before_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      project, graph) -> None:
    from rightsgraph.export import FORMATS, export, export_network
    from rightsgraph.export import view as view_module

    def failing(network) -> dict[str, bytes]:
        raise InputError("the view's libraries are missing")

    monkeypatch.setattr(view_module, "to_view", failing)
    targets = {name: tmp_path / spec.default for name, spec in FORMATS.items()}
    with pytest.raises(InputError, match="libraries are missing"):
        export(export_network(project, graph), targets)
    assert list(tmp_path.iterdir()) == []
