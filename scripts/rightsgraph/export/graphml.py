"""GraphML for Gephi, yEd, networkx and igraph.

Written by networkx, so keys are declared with attr.name and attr.type. Each attribute has one
type across the file (long, double, boolean or string); a node with several values for an
attribute gets them joined with " | " (no IRI may contain "|"). Gephi takes the `label`
attribute as the label of nodes and edges. yEd shows only its own graphics, so every node and
edge also carries a yfiles ShapeNode/PolyLineEdge with the label and the kind's colour.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from lxml import etree

from rightsgraph.export.network import Network
from rightsgraph.export.properties import Value, edge_properties, node_predicates, node_properties, property_names
from rightsgraph.export.style import colour

SEPARATOR = " | "
GRAPHML = "http://graphml.graphdrawing.org/xmlns"
YFILES = "http://www.yworks.com/xml/graphml"


def _column_types(records: list[dict[str, list[Value]]]) -> dict[str, type]:
    """One Python type per attribute: bool, int or float when every value is a single one."""
    kinds: dict[str, set[type]] = defaultdict(set)
    for record in records:
        for name, values in record.items():
            kinds[name].add(type(values[0]) if len(values) == 1 else str)
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


def _flatten(record: dict[str, list[Value]], types: dict[str, type]) -> dict[str, Value]:
    flat: dict[str, Value] = {}
    for name, values in record.items():
        kind = types[name]
        flat[name] = kind(values[0]) if kind is not str else SEPARATOR.join(str(v) for v in values)
    return flat


def to_networkx(network: Network) -> nx.MultiDiGraph:
    """The network as a networkx multigraph: node ids are IRIs, edge keys e0, e1, ... (the
    predicate IRI is the edge's `predicate` attribute)."""
    names = property_names(node_predicates(network))
    node_records = {iri: node_properties(network, node, names) for iri, node in network.nodes.items()}
    edge_records = [edge_properties(network, edge) for edge in network.edges]
    node_types = _column_types(list(node_records.values()))
    edge_types = _column_types(edge_records)
    graph = nx.MultiDiGraph(name="rightsgraph")
    for iri, record in node_records.items():
        graph.add_node(str(iri), **_flatten(record, node_types))
    for index, (edge, record) in enumerate(zip(network.edges, edge_records, strict=True)):
        graph.add_edge(str(edge.source), str(edge.target), key=edge_id(index),
                       **_flatten(record, edge_types))
    return graph


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
        label.text = node.label("en")
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
    text = "\n".join(nx.generate_graphml(graph, encoding="utf-8", prettyprint=True))
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(text.encode("utf-8"), parser)
    etree.cleanup_namespaces(root, top_nsmap={"y": YFILES})
    _yed_graphics(root, network)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
