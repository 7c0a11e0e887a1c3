"""Blank-node labels (blank_labels.py): linear work on lists and deep nesting, and labels that
depend on the graph only, never on the parser's labels or the order of the triples."""

from __future__ import annotations

import random
from collections.abc import Callable

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from rightsgraph.core import blank_labels
from rightsgraph.core.writing import canonical_graph, canonical_ntriples, serialize

EX = "http://example.org/"
P, Q, ROOT = URIRef(EX + "p"), URIRef(EX + "q"), URIRef(EX + "root")


def rdf_list(size: int, distinct: bool) -> Graph:
    """ex:root ex:p ( items ), as Turtle's ( ) writes it: a chain of rdf:first / rdf:rest."""
    graph = Graph()
    cells = [BNode() for _ in range(size)]
    graph.add((ROOT, P, cells[0]))
    for index, cell in enumerate(cells):
        graph.add((cell, RDF.first, Literal(str(index) if distinct else "same")))
        graph.add((cell, RDF.rest, cells[index + 1] if index + 1 < size else RDF.nil))
    return graph


def nesting(depth: int) -> Graph:
    """ex:root ex:p [ ex:p [ ex:p ... [ ex:q "leaf" ] ] ], depth levels of [ ]."""
    graph = Graph()
    parent: URIRef | BNode = ROOT
    for _ in range(depth):
        child = BNode()
        graph.add((parent, P, child))
        parent = child
    graph.add((parent, Q, Literal("leaf")))
    return graph


def equal_members(width: int) -> Graph:
    """ex:root ex:p [ ex:q [ ex:q "x" ] ], ... width times: alike siblings with alike children."""
    graph = Graph()
    for _ in range(width):
        member, inner = BNode(), BNode()
        graph.add((ROOT, P, member))
        graph.add((member, Q, inner))
        graph.add((inner, Q, Literal("x")))
    return graph


def hashes_to_label(graph: Graph, budget: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many hashes labelling the graph takes; stops (fails) past the budget, so a quadratic
    labelling fails in a second instead of running for minutes."""
    count = 0
    real = blank_labels._hash

    def counting(text: str) -> str:
        nonlocal count
        count += 1
        if count > budget:
            pytest.fail(f"more than {budget} hashes to label {len(graph)} triples")
        return real(text)

    monkeypatch.setattr(blank_labels, "_hash", counting)
    canonical_graph(graph)
    monkeypatch.undo()
    return count


SHAPES: dict[str, Callable[[int], Graph]] = {
    "list of equal items": lambda n: rdf_list(n, distinct=False),
    "list of distinct items": lambda n: rdf_list(n, distinct=True),
    "nesting": nesting,
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
def test_labelling_grows_linearly(shape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Four times the nodes, at most four times the work (plus slack), at 12,500 and 50,000
    list items or levels of nesting; the refinement alone took a round per list item."""
    small = hashes_to_label(SHAPES[shape](12_500), 10 * 12_500, monkeypatch)
    large = hashes_to_label(SHAPES[shape](50_000), 10 * 50_000, monkeypatch)
    assert large <= 4.2 * small, (small, large)


def _store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.mark.slow
@pytest.mark.parametrize("graph", [rdf_list(50_000, distinct=False), nesting(10_000), equal_members(50)],
                         ids=["list of 50,000 equal items", "10,000 levels of nesting", "equal members"])
def test_both_writers_agree_on_large_trees(graph: Graph) -> None:
    written = serialize(canonical_graph(graph), "nt")
    assert canonical_ntriples(_store(graph)) == written
    assert len(written.splitlines()) == len(graph)


def _relabelled(graph: Graph, rng: random.Random) -> Graph:
    """The same graph with other blank-node labels, its triples added in another order."""
    blanks = sorted({term for triple in graph for term in triple if isinstance(term, BNode)})
    names = {node: BNode(f"n{rng.getrandbits(64):x}") for node in blanks}
    out = Graph()
    for triple in rng.sample(sorted(graph), len(graph)):
        out.add(tuple(names.get(term, term) for term in triple))  # type: ignore[arg-type]
    return out


@st.composite
def blank_graphs(draw: st.DrawFn) -> Graph:
    """Small graphs of blank nodes: trees (lists, nesting, alike siblings), and shared nodes and
    cycles, which take the refinement instead; few predicates and values, so alike nodes abound."""
    size = draw(st.integers(1, 9))
    nodes = [BNode() for _ in range(size)]
    terms = st.sampled_from([URIRef(EX + "a"), Literal("x"), Literal("y", lang="en")])
    predicates = st.sampled_from([P, Q])
    graph = Graph()
    graph.add((ROOT, P, nodes[0]))  # never empty: nothing to build
    for index, node in enumerate(nodes[1:], start=1):
        if draw(st.booleans()):  # a tree: each node below one earlier node
            graph.add((draw(st.sampled_from(nodes[:index])), draw(predicates), node))
    for _ in range(draw(st.integers(0, 3))):  # extra links: shared nodes, cycles
        graph.add((draw(st.sampled_from(nodes)), draw(predicates), draw(st.sampled_from(nodes))))
    for node in nodes:
        for _ in range(draw(st.integers(0, 2))):
            graph.add((node, draw(predicates), draw(terms)))
        if draw(st.booleans()):
            graph.add((ROOT, draw(predicates), node))
    return graph


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=blank_graphs(), seed=st.integers(0, 2**32))
def test_labels_depend_on_the_graph_only(graph: Graph, seed: int) -> None:
    """An isomorphic copy (other parser labels, another order) writes the same bytes, those bytes
    say what the input says, and the Oxigraph writer writes them too."""
    written = serialize(canonical_graph(graph), "nt")
    assert serialize(canonical_graph(_relabelled(graph, random.Random(seed))), "nt") == written
    assert isomorphic(Graph().parse(data=written.decode(), format="nt"), graph)
    assert canonical_ntriples(_store(graph)) == written
