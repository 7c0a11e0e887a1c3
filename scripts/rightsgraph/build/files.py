"""`rightsgraph build`: the merged graph and the ontology, in every format, under one folder.

`build` and `run` write these files with the same code from the same store, so the same input
gives byte-identical files whichever command wrote them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from rightsgraph.core.project import Project
from rightsgraph.core.store import StoreData, load_store
from rightsgraph.core.writing import atomic_outputs, serialize, serialize_store

GRAPH_FILES = ("rightsgraph.ttl", "rightsgraph.nt", "rightsgraph.jsonld")


@dataclass
class BuildResult:
    """What was built: the merged, derived graph in an Oxigraph store, and the files written."""

    data: StoreData
    ontology: Graph
    files: list[Path]

    @property
    def triples(self) -> int:
        return len(self.data.store)


def write_build(data: StoreData, out: Path) -> BuildResult:
    """Write the dist files of a loaded store; nothing is written if any part fails."""
    with atomic_outputs(out) as pending:
        pending.update(serialize_store(data.store))
        pending["ontology.ttl"] = serialize(data.ontology, "ttl")
    return BuildResult(data, data.ontology, [out / name for name in (*GRAPH_FILES, "ontology.ttl")])


def build(project: Project, out: Path, data_paths: Iterable[Path] | None = None) -> BuildResult:
    """Load the ontology and the data (data/ or the paths given) and write the dist files."""
    return write_build(load_store(project, data_paths), out)
