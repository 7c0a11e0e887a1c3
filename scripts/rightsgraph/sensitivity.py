"""What may leave the project: the public view of the graph.

A resource or claim marked rg:restricted or rg:confidential (rg:sensitivity) is left out of
everything rightsgraph publishes, exports or serves, together with every statement that would
reveal it: triples that name it, claims whose statements name it, the quotes of those claims, and
facts that only a left-out claim supports. The user widens the view only by an explicit choice.
"""

from __future__ import annotations

from enum import Enum

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from .namespaces import RG, bind_prefixes


class Disclosure(Enum):
    """How much a command may disclose."""

    PUBLIC = "public"
    RESTRICTED = "restricted"  # public and restricted; never confidential
    ALL = "all"


LEVELS_HIDDEN = {
    Disclosure.PUBLIC: {RG.restricted, RG.confidential},
    Disclosure.RESTRICTED: {RG.confidential},
    Disclosure.ALL: set(),
}


def hidden_nodes(graph: Graph, disclosure: Disclosure = Disclosure.PUBLIC) -> set[Node]:
    """Resources and claims that must not be disclosed, including claims that name them."""
    levels = LEVELS_HIDDEN[disclosure]
    hidden: set[Node] = {s for s, level in graph.subject_objects(RG.sensitivity) if level in levels}
    if not hidden:
        return hidden
    for claim, statement in graph.subject_objects(RG.states):
        named = {graph.value(statement, RG.subject), graph.value(statement, RG.object)}
        if named & hidden:
            hidden.add(claim)
    return hidden


def _closure(graph: Graph, roots: set[Node]) -> set[Node]:
    """The roots and the blank nodes hanging from them (statements, quotes)."""
    seen = set(roots)
    stack = list(roots)
    while stack:
        node = stack.pop()
        for obj in graph.objects(node, None):
            if isinstance(obj, BNode) and obj not in seen:
                seen.add(obj)
                stack.append(obj)
    return seen


def disclosed_view(graph: Graph, disclosure: Disclosure = Disclosure.PUBLIC) -> Graph:
    """A copy of the graph without what `disclosure` does not allow."""
    hidden = hidden_nodes(graph, disclosure)
    if not hidden:
        return graph
    removed = _closure(graph, hidden)
    hidden_claims = {c for c in hidden if (c, RG.states, None) in graph}
    # Facts that only hidden claims state are removed too.
    supported_elsewhere: set[tuple[Node, Node, Node]] = set()
    only_hidden: set[tuple[Node, Node, Node]] = set()
    for claim, statement in graph.subject_objects(RG.states):
        triple = (graph.value(statement, RG.subject), graph.value(statement, RG.predicate),
                  graph.value(statement, RG.object))
        (only_hidden if claim in hidden_claims else supported_elsewhere).add(triple)
    drop_facts = only_hidden - supported_elsewhere
    view = bind_prefixes(Graph())
    for triple in graph:
        s, _, o = triple
        if s in removed or o in removed or triple in drop_facts:
            continue
        view.add(triple)
    return view


def mentions(graph: Graph, node: URIRef) -> bool:
    return (node, None, None) in graph or (None, None, node) in graph
