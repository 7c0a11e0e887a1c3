"""Cytoscape.js JSON (`elements.nodes` / `elements.edges`), written by networkx's cytoscape_data.

Cytoscape (desktop) opens it as a .cyjs file, Cytoscape.js takes it as it is, and networkx reads it
back with cytoscape_graph. Node ids are IRIs, each node's `name` its display name; edges have ids
e0, e1, ... and a `key`. Properties with several values in any node are lists everywhere (claims,
sources, quotes, types), the others plain values.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from rightsgraph.export.network import Network
from rightsgraph.export.properties import (
    Value,
    edge_properties,
    list_names,
    node_predicates,
    node_properties,
    property_names,
)


def _shape(records: list[dict[str, list[Value]]]) -> list[dict[str, Any]]:
    multi = list_names(records)
    return [{name: values if name in multi else values[0] for name, values in record.items()}
            for record in records]


def cytoscape_graph(network: Network) -> nx.MultiDiGraph:
    names = property_names(node_predicates(network))
    nodes = _shape([node_properties(network, node, names) for node in network.nodes.values()])
    edges = _shape([edge_properties(network, edge) for edge in network.edges])
    graph = nx.MultiDiGraph(name="rightsgraph")
    for iri, record in zip(network.nodes, nodes, strict=True):
        graph.add_node(str(iri), **record)
    for index, (edge, record) in enumerate(zip(network.edges, edges, strict=True)):
        graph.add_edge(str(edge.source), str(edge.target), key=f"e{index}", id=f"e{index}", **record)
    return graph


def cytoscape_data(network: Network) -> dict[str, Any]:
    return nx.cytoscape_data(cytoscape_graph(network))


def to_cytoscape(network: Network) -> bytes:
    return json.dumps(cytoscape_data(network), ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
