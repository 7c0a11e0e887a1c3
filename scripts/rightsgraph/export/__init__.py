"""Exports of the graph for graph tools: GraphML, Neo4j, Cytoscape.js, FollowTheMoney, and the
interactive view. Every export is made from the public view of the graph
(disclosure.disclosed_view) unless the caller widens it explicitly.

The mapping from RDF to nodes and edges that every format shares is in network.py.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from rightsgraph.core.disclosure import Disclosure, Origins, disclosed_view
from rightsgraph.core.errors import InputError
from rightsgraph.core.project import Project
from rightsgraph.core.writing import atomic_outputs
from rightsgraph.export.network import Network, network_of
from rightsgraph.query.accounts import competing_accounts


@dataclass(frozen=True)
class Format:
    name: str
    default: str  # the default output, relative to dist/
    folder: bool  # whether the output is a folder of files rather than one file
    writer: str  # "module:function", imported only when used (the libraries are an extra)
    description: str
    summariser: str | None = None  # "module:function" saying what was written, when not nodes and edges

    def _call(self, target: str, network: Network) -> Any:
        module, function = target.split(":")
        try:
            loaded = importlib.import_module(f"{__name__}.{module}")
        except ImportError as error:
            raise InputError(f"`rightsgraph export {self.name}` needs {error.name}: "
                             "pip install 'rightsgraph[export]'") from None
        return getattr(loaded, function)(network)

    def write(self, network: Network) -> bytes | dict[str, bytes]:
        return self._call(self.writer, network)

    def summary(self, network: Network) -> str:
        """What the format holds, for the command's report: its own count, or nodes and edges."""
        if self.summariser:
            return self._call(self.summariser, network)
        return f"{len(network.nodes)} nodes, {len(network.edges)} edges"


FORMATS = {f.name: f for f in (
    Format("graphml", "rightsgraph.graphml", False, "graphml:to_graphml",
           "GraphML for Gephi, yEd, networkx and igraph"),
    Format("neo4j", "neo4j", True, "neo4j:to_neo4j",
           "CSV files for neo4j-admin import, a LOAD CSV Cypher script, and a Kuzu loader"),
    Format("cytoscape", "rightsgraph.cyjs", False, "cytoscape:to_cytoscape",
           "Cytoscape.js JSON (elements.nodes / elements.edges), also opened by Cytoscape"),
    Format("ftm", "rightsgraph.ftm.json", False, "ftm:to_ftm",
           "FollowTheMoney entities, one JSON object a line, for Aleph and OpenSanctions tools",
           "ftm:summary"),
    Format("view", "view", True, "view:to_view",
           "the interactive view: a page with the graph, filters and the evidence of each node",
           "view:summary"),
)}


def export_network(project: Project, graph: Graph, disclosure: Disclosure = Disclosure.PUBLIC,
                   origins: Origins | None = None) -> Network:
    """The network of what `disclosure` allows to leave the project (origins: see disclosed_view),
    with its competing accounts marked."""
    view = disclosed_view(graph, disclosure, origins)
    return network_of(view, competing_accounts(project, view))


def export(network: Network, targets: dict[str, Path]) -> dict[str, list[Path]]:
    """Write each format to its target (a file, or a folder for folder formats); return the
    files of each. Every format is made in memory before any file is written, and all are written
    at once (writing.atomic_outputs): a format that cannot be made leaves nothing written."""
    for name, target in targets.items():  # a target in the way: refused before anything is made
        if FORMATS[name].folder and target.exists() and not target.is_dir():
            raise InputError(f"{target}: exists and is not a folder; {name} writes a folder there")
        if not FORMATS[name].folder and target.is_dir():
            raise InputError(f"{target}: is a folder; {name} writes a file there")
    made = {name: FORMATS[name].write(network) for name in targets}
    base = Path(os.path.commonpath([target.parent for target in targets.values()]))
    files: dict[str, list[Path]] = {}
    with atomic_outputs(base) as pending:
        for name, content in made.items():
            target = targets[name]
            written = ({target / file: data for file, data in content.items()} if isinstance(content, dict)
                       else {target: content})
            files[name] = list(written)
            pending.update({str(path.relative_to(base)): data for path, data in written.items()})
    return files
