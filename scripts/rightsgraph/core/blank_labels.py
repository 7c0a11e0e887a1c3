"""Content-derived labels for blank nodes, the same whatever labels the parser gave them.

Both writers (writing.canonical_graph on rdflib, writing.canonical_ntriples on Oxigraph) call
canonical_labels with each blank node's triples written as text, so their output is byte-identical.

A node's label is a hash of its triples. Nodes linked to other blank nodes form clusters, and
every node of a cluster gets a signature of its own:

- A cluster that is a tree (one root, every other node the object of exactly one triple whose
  subject is a blank node of the cluster: RDF lists and nested [ ] as Turtle writes them, the
  common case) is labelled in two linear passes. Bottom-up, each node's hash takes in its
  children's hashes (a Merkle tree); top-down, each node's signature is its parent's signature,
  the predicate and its own hash. Children alike under one parent and predicate (two equal
  members of a set, say) have isomorphic subtrees, so numbering them in any order gives the
  same lines; the number goes into the signature so that their descendants follow them.
- Any other cluster (a cycle, a node shared by two parents) is refined: each node's hash takes
  in its neighbours' hashes, round after round, until no more nodes are told apart. Nodes still
  alike after that (mirror images) are told apart by marking one of them and refining again, so
  the labels of a cluster agree with one another whichever node is marked. This costs a round
  per step of the longest path, and so is kept for the shapes the tree passes cannot take.

Alike nodes without blank neighbours, and alike clusters, have identical triples: any order of
their "x" suffixes writes the same lines.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping

Edges = Mapping[str, list[tuple[str, str]]]


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _read_node(node: str, outgoing: Edges, incoming: Edges) -> tuple[str, list[tuple[str, str]]]:
    """The hash of a node's triples, with every blank node written as "_:", and the blank nodes
    it is linked to, as (direction and predicate, neighbour)."""
    parts: list[str] = []
    links: list[tuple[str, str]] = []
    for s, p in incoming.get(node, ()):
        if s.startswith("_:"):
            parts.append(f"<_: {p}")
            links.append((f"<{p}", s[2:]))
        else:
            parts.append(f"<{s} {p}")
    for p, o in outgoing.get(node, ()):
        if o.startswith("_:"):
            parts.append(f">{p} _:")
            links.append((f">{p}", o[2:]))
        else:
            parts.append(f">{p} {o}")
    parts.sort()  # incoming ("<") before outgoing (">"), each in order
    return _hash("\n".join(parts)), links


def _refine(cluster: list[str], signatures: dict[str, str],
            neighbours: Mapping[str, list[tuple[str, str]]]) -> None:
    """Rehash each node with its neighbours' hashes until the number of classes stops growing."""
    classes = len({signatures[node] for node in cluster})
    while True:
        fresh = {node: _hash(signatures[node] + "\n" + "\n".join(
                     sorted(f"{edge} {signatures[other]}" for edge, other in neighbours[node])))
                 for node in cluster}
        signatures.update(fresh)
        count = len(set(fresh.values()))
        if count == classes:
            return
        classes = count


def _settle(cluster: list[str], signatures: dict[str, str],
            neighbours: Mapping[str, list[tuple[str, str]]]) -> None:
    """Refine, then mark one of the smallest set of alike nodes, until every node differs."""
    _refine(cluster, signatures, neighbours)
    while True:
        groups: dict[str, list[str]] = defaultdict(list)
        for node in cluster:
            groups[signatures[node]].append(node)
        alike = [sorted(members) for members in groups.values() if len(members) > 1]
        if not alike:
            return
        chosen = min(alike, key=lambda members: signatures[members[0]])[0]
        signatures[chosen] = _hash(signatures[chosen] + "\n*")
        _refine(cluster, signatures, neighbours)


def _tree_root(cluster: list[str], neighbours: Mapping[str, list[tuple[str, str]]]) -> str | None:
    """The root of a cluster that is a tree of outgoing links, or None for any other shape."""
    roots = []
    for node in cluster:
        parents = sum(1 for edge, _ in neighbours[node] if edge.startswith("<"))
        if parents == 0:
            roots.append(node)
        elif parents > 1:
            return None
    # Connected, n - 1 links (one per node but the root): a tree. No root at all: a cycle.
    return roots[0] if len(roots) == 1 else None


def _label_tree(root: str, signatures: dict[str, str],
                neighbours: Mapping[str, list[tuple[str, str]]]) -> None:
    """Signatures for a tree cluster: a Merkle hash bottom-up, then a path from the root
    top-down. Iterative, for nesting deeper than Python's recursion limit."""
    order, stack = [], [root]
    while stack:  # parents before children
        node = stack.pop()
        order.append(node)
        stack.extend(child for edge, child in neighbours[node] if edge.startswith(">"))
    merkle: dict[str, str] = {}
    for node in reversed(order):
        merkle[node] = _hash(signatures[node] + "\n" + "\n".join(
            sorted(f"{edge} {merkle[child]}" for edge, child in neighbours[node] if edge.startswith(">"))))
    signatures[root] = _hash("^" + merkle[root])
    for node in order:
        numbers: dict[str, int] = defaultdict(int)
        for edge, child in neighbours[node]:
            if edge.startswith(">"):
                key = f"{edge} {merkle[child]}"
                signatures[child] = _hash(f"{signatures[node]}\n{key} {numbers[key]}")
                numbers[key] += 1


def _clusters(nodes: Iterable[str], neighbours: Mapping[str, list[tuple[str, str]]]) -> list[list[str]]:
    """The sets of blank nodes linked to one another through blank nodes."""
    seen: set[str] = set()
    clusters = []
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        cluster, stack = [], [start]
        while stack:
            node = stack.pop()
            cluster.append(node)
            for _, other in neighbours[node]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        clusters.append(cluster)
    return clusters


def canonical_labels(outgoing: Edges, incoming: Edges) -> dict[str, str]:
    """Labels for the blank nodes of a graph given as {node: [(predicate, object)]} and
    {node: [(subject, predicate)]}, every term in N-Triples form, blank nodes as "_:" + node."""
    nodes = set(outgoing) | set(incoming)
    signatures: dict[str, str] = {}
    neighbours: dict[str, list[tuple[str, str]]] = {}
    for node in nodes:
        signatures[node], neighbours[node] = _read_node(node, outgoing, incoming)
    # Where a node's cluster stands among alike clusters: fixes the order of their suffixes.
    order: dict[str, tuple[str, str]] = {node: ("", node) for node in nodes}
    for cluster in _clusters(sorted(node for node in nodes if neighbours[node]), neighbours):
        root = _tree_root(cluster, neighbours)
        if root is None:
            _settle(cluster, signatures, neighbours)
        else:
            _label_tree(root, signatures, neighbours)
        shape = _hash("\n".join(sorted(signatures[node] for node in cluster)))
        first = min(cluster)
        for node in cluster:
            order[node] = (shape, first)
    labels: dict[str, str] = {}
    seen: dict[str, int] = defaultdict(int)
    for node in sorted(nodes, key=lambda n: (signatures[n], order[n])):
        signature = signatures[node]
        labels[node] = f"b{signature}" + (f"x{seen[signature]}" if seen[signature] else "")
        seen[signature] += 1
    return labels
