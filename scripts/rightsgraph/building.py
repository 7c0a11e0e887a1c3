"""`rightsgraph build`: the merged graph and the ontology, in every format, under one folder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from .loading import LoadedData, load_data, load_ontology, load_store
from .namespaces import bind_prefixes
from .project import Project
from .writing import atomic_outputs, canonical_graph, serialize

if TYPE_CHECKING:
    from .oxstore import StoreData

GRAPH_FILES = {"rightsgraph.ttl": "ttl", "rightsgraph.nt": "nt", "rightsgraph.jsonld": "jsonld"}


@dataclass
class BuildResult:
    graph: Graph
    ontology: Graph
    data: LoadedData
    files: list[Path]


def write_build(ontology: Graph, data: LoadedData, out: Path) -> BuildResult:
    """Merge what was loaded and write the dist files; nothing is written if any part fails."""
    merged = bind_prefixes(Graph())
    merged += ontology
    merged += data.graph
    canonical = canonical_graph(merged)
    with atomic_outputs(out) as pending:
        for name, fmt in GRAPH_FILES.items():
            pending[name] = serialize(canonical, fmt)
        pending["ontology.ttl"] = serialize(canonical_graph(ontology), "ttl")
    files = [out / name for name in (*GRAPH_FILES, "ontology.ttl")]
    return BuildResult(merged, ontology, data, files)


def build(project: Project, out: Path, data_paths: Iterable[Path] | None = None) -> BuildResult:
    """Load the ontology and the data (data/ or the paths given) and write the dist files."""
    return write_build(load_ontology(project), load_data(project, data_paths), out)


@dataclass
class StoreBuildResult:
    """What the fast path built: the merged, derived graph in an Oxigraph store."""

    data: StoreData
    ontology: Graph
    files: list[Path]

    @property
    def triples(self) -> int:
        return len(self.data.store)


def write_store_build(data: StoreData, out: Path) -> StoreBuildResult:
    """The dist files of the fast path: rightsgraph.nt byte-identical to write_build's; the Turtle
    and JSON-LD hold the same triples, laid out by Oxigraph's serialisers (see oxstore.py)."""
    from .oxstore import serialize_store

    with atomic_outputs(out) as pending:
        pending.update(serialize_store(data.store))
        pending["ontology.ttl"] = serialize(canonical_graph(data.ontology), "ttl")
    files = [out / name for name in (*GRAPH_FILES, "ontology.ttl")]
    return StoreBuildResult(data, data.ontology, files)


def build_store(project: Project, out: Path, data_paths: Iterable[Path] | None = None) -> StoreBuildResult:
    """`build` on the fast path: the same files from the same input, by Oxigraph (loading.load_store)."""
    return write_store_build(load_store(project, data_paths), out)
