"""`rightsgraph build`: the merged graph and the ontology, in every format, under one folder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .loading import LoadedData, load_data, load_ontology
from .namespaces import bind_prefixes
from .project import Project
from .writing import atomic_outputs, canonical_graph, serialize

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
