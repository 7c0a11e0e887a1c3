"""GraphML for Gephi, yEd, networkx and igraph.

Written by networkx, so keys are declared with attr.name and attr.type. Each attribute has one
type across the file (long, double, boolean or string). GraphML has no list type, so a list
(properties.list_names: claims, sources, quotes, types, and anything with several values) is one
string, its values joined with " | " in every node or edge, even with one value; its key says so
in a <desc>. A value that holds " | " itself would make that ambiguous, so it is refused. Gephi
takes the `label` attribute (the display name) as the label of nodes and edges. yEd shows only
its own graphics, so every node and edge also carries a yfiles ShapeNode/PolyLineEdge with the
label and the kind's colour.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from lxml import etree

from rightsgraph.core.errors import InputError
from rightsgraph.export.network import Network
from rightsgraph.export.properties import (
    Value,
    edge_properties,
    list_names,
    node_predicates,
    node_properties,
    property_names,
)
from rightsgraph.export.style import colour

SEPARATOR = " | "
GRAPHML = "http://graphml.graphdrawing.org/xmlns"
YFILES = "http://www.yworks.com/xml/graphml"


LIST_DESCRIPTION = f"a list: its values joined with '{SEPARATOR}'"


def _column_types(records: list[dict[str, list[Value]]], lists: set[str]) -> dict[str, type]:
    """One Python type per attribute: bool, int or float when every value is a single one."""
    kinds: dict[str, set[type]] = defaultdict(set)
    for record in records:
        for name, values in record.items():
            kinds[name].add(str if name in lists else type(values[0]))
    types: dict[str, type] = {}
    for name, found in kinds.items():
        if found == {bool}:
            types[name] = bool
        elif found and found <= {int}:
            types[name] = int
        elif found and found <= {int, float}:
            types[name] = float
        else:
            types[name] = str
    return types


def _flatten(record: dict[str, list[Value]], types: dict[str, type], lists: set[str]) -> dict[str, Value]:
    flat: dict[str, Value] = {}
    for name, values in record.items():
        if name not in lists:
            flat[name] = types[name](values[0])
            continue
        clash = next((str(v) for v in values if SEPARATOR in str(v)), None)
        if clash is not None:
            raise InputError(f"cannot write GraphML: a value of {name} contains the list separator "
                             f"{SEPARATOR!r}: {clash[:80]!r} ({record['uri' if 'uri' in record else 'predicate'][0]})")
        flat[name] = SEPARATOR.join(str(v) for v in values)
    return flat


def to_networkx(network: Network) -> nx.MultiDiGraph:
    """The network as a networkx multigraph: node ids are IRIs, edge keys e0, e1, ... (the
    predicate IRI is the edge's `predicate` attribute)."""
    names = property_names(node_predicates(network))
    node_records = {iri: node_properties(network, node, names) for iri, node in network.nodes.items()}
    edge_records = [edge_properties(network, edge) for edge in network.edges]
    node_lists, edge_lists = list_names(node_records.values()), list_names(edge_records)
    node_types = _column_types(list(node_records.values()), node_lists)
    edge_types = _column_types(edge_records, edge_lists)
    graph = nx.MultiDiGraph(name="rightsgraph")
    graph.graph["lists"] = {"node": node_lists, "edge": edge_lists}
    for iri, record in node_records.items():
        graph.add_node(str(iri), **_flatten(record, node_types, node_lists))
    for index, (edge, record) in enumerate(zip(network.edges, edge_records, strict=True)):
        graph.add_edge(str(edge.source), str(edge.target), key=edge_id(index),
                       **_flatten(record, edge_types, edge_lists))
    return graph


def _describe_lists(root: etree._Element, lists: dict[str, set[str]]) -> None:
    """A <desc> on the key of every list attribute (GraphML puts desc first in a key)."""
    for key in root.iter(f"{{{GRAPHML}}}key"):
        if key.get("attr.name") in lists.get(key.get("for", ""), set()):
            etree.SubElement(key, f"{{{GRAPHML}}}desc").text = LIST_DESCRIPTION
            key.insert(0, key[-1])


def _yed_graphics(root: etree._Element, network: Network) -> None:
    """Add yEd's node and edge graphics: a coloured box with the label, a labelled line."""
    keys = [etree.Element(f"{{{GRAPHML}}}key", id=f"yed_{scope}",
                          attrib={"for": scope, "yfiles.type": f"{scope}graphics"})
            for scope in ("node", "edge")]
    first_graph = root.find(f"{{{GRAPHML}}}graph")
    for key in keys:
        first_graph.addprevious(key)
    nodes = {str(iri): node for iri, node in network.nodes.items()}
    for element in first_graph.iter(f"{{{GRAPHML}}}node"):
        node = nodes[element.get("id")]
        data = etree.SubElement(element, f"{{{GRAPHML}}}data", key="yed_node")
        shape = etree.SubElement(data, f"{{{YFILES}}}ShapeNode")
        etree.SubElement(shape, f"{{{YFILES}}}Geometry", width="160.0", height="40.0")
        etree.SubElement(shape, f"{{{YFILES}}}Fill", color=colour(node.kind), transparent="false")
        label = etree.SubElement(shape, f"{{{YFILES}}}NodeLabel")
        label.text = node.name
        etree.SubElement(shape, f"{{{YFILES}}}Shape", type="roundrectangle")
    edges = {edge_id(index): edge for index, edge in enumerate(network.edges)}
    for element in first_graph.iter(f"{{{GRAPHML}}}edge"):
        edge = edges[element.get("id")]  # networkx writes the multigraph key as the edge id
        data = etree.SubElement(element, f"{{{GRAPHML}}}data", key="yed_edge")
        line = etree.SubElement(data, f"{{{YFILES}}}PolyLineEdge")
        etree.SubElement(line, f"{{{YFILES}}}Arrows", source="none", target="standard")
        label = etree.SubElement(line, f"{{{YFILES}}}EdgeLabel")
        label.text = network.term_label(edge.predicate)


def edge_id(index: int) -> str:
    return f"e{index}"


def to_graphml(network: Network) -> bytes:
    """The GraphML document as UTF-8 bytes."""
    graph = to_networkx(network)
    lists = graph.graph.pop("lists")
    text = "\n".join(nx.generate_graphml(graph, encoding="utf-8", prettyprint=True))
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(text.encode("utf-8"), parser)
    etree.cleanup_namespaces(root, top_nsmap={"y": YFILES})
    _describe_lists(root, lists)
    _yed_graphics(root, network)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
