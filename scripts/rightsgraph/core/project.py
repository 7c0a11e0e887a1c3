"""Where the project's hand-written sources live: ontology/, data/, shapes/, queries/."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rightsgraph.core.errors import InputError

_MARKERS = ("ontology", "shapes", "queries")


@dataclass(frozen=True)
class Project:
    """The folders of a rightsgraph checkout."""

    root: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def sources_dir(self) -> Path:
        """The source documents: $RIGHTSGRAPH_SOURCES, else ../shared/sources beside the checkout."""
        configured = os.environ.get("RIGHTSGRAPH_SOURCES")
        if configured:
            return Path(configured)
        return self.root.parent / "shared" / "sources"


def _is_root(path: Path) -> bool:
    return all((path / marker).is_dir() for marker in _MARKERS)


def find_project(start: Path | None = None) -> Project:
    """Find the checkout: $RIGHTSGRAPH_HOME, else the current folder or a parent, else the package's."""
    configured = os.environ.get("RIGHTSGRAPH_HOME")
    if configured:
        root = Path(configured)
        if not _is_root(root):
            raise InputError(f"RIGHTSGRAPH_HOME={configured} is not a rightsgraph checkout "
                             "(it needs ontology/, shapes/ and queries/)")
        return Project(root.resolve())
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _is_root(candidate):
            return Project(candidate)
    package_root = Path(__file__).resolve().parents[2]
    if _is_root(package_root):
        return Project(package_root)
    raise InputError("cannot find a rightsgraph checkout (ontology/, shapes/, queries/) here or "
                     "above; run from the checkout or set RIGHTSGRAPH_HOME")
