"""Are two answers the same? Validation results and query rows, compared across stores.

Blank nodes have different labels in rdflib and in Oxigraph, so a blank node is compared by what
it says and where it hangs: its own triples and the triples that point to it (other blank nodes
in them written as _:). Everything else is compared as RDF terms.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.term import Node

from rightsgraph.core.results import Rows
from rightsgraph.core.terms import to_oxigraph, to_rdflib
from rightsgraph.validate.report import ValidationReport

BlankKey = Callable[[BNode], str]


def _n3(term: Node) -> str:
    return "_:" if isinstance(term, BNode) else term.n3()


def _signature(outgoing: Iterable[tuple[Node, Node]], incoming: Iterable[tuple[Node, Node]]) -> str:
    parts = sorted(f">{_n3(p)} {_n3(o)}" for p, o in outgoing)
    parts += sorted(f"<{_n3(s)} {_n3(p)}" for s, p in incoming)
    return "_:" + hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


def graph_blank_key(graph: Graph) -> BlankKey:
    def key(node: BNode) -> str:
        return _signature(graph.predicate_objects(node), graph.subject_predicates(node))
    return key


def store_blank_key(store: ox.Store) -> BlankKey:
    def key(node: BNode) -> str:
        blank = ox.BlankNode(str(node))
        outgoing = [(to_rdflib(q.predicate), to_rdflib(q.object)) for q in store.quads_for_pattern(blank, None, None)]
        incoming = [(to_rdflib(q.subject), to_rdflib(q.predicate)) for q in store.quads_for_pattern(None, None, blank)]
        return _signature(outgoing, incoming)
    return key


def term_key(term: Node | None, blank_key: BlankKey) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        return blank_key(term)
    return term.n3()


def validation_keys(report: ValidationReport, blank_key: BlankKey) -> Counter:
    """Each result as (focus node, shape, path, severity, value, constraint component)."""
    return Counter(
        (term_key(r.focus_node, blank_key), term_key(r.shape, blank_key),
         tuple(str(p) for p in r.path), r.severity, term_key(r.value, blank_key),
         str(r.constraint) if r.constraint else None)
        for r in report.results
    )


def rows_keys(rows: Rows, blank_key: BlankKey) -> Counter:
    return Counter(tuple(term_key(t, blank_key) for t in row) for row in rows.rows)


def describe_difference(ours: Counter, theirs: Counter, limit: int = 5) -> str:
    only_ours = list((ours - theirs).elements())
    only_theirs = list((theirs - ours).elements())
    lines = [f"{len(only_ours)} only in the fast path, {len(only_theirs)} only in the reference"]
    lines += [f"  fast only: {item}" for item in only_ours[:limit]]
    lines += [f"  reference only: {item}" for item in only_theirs[:limit]]
    return "\n".join(lines)


__all__ = ["describe_difference", "graph_blank_key", "rows_keys", "store_blank_key", "to_oxigraph",
           "validation_keys"]
