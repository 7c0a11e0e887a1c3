"""Competing accounts: where claims give different values for the same thing.

The stored query queries/competing-accounts.rq says what a conflict is (which properties take one
value per thing, and that two claims give two values); the site's pages and the graph exports
both ask it through competing_accounts, so the definition is written once.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph
from rdflib.term import Node

from rightsgraph.core.project import Project
from rightsgraph.query.catalogue import get_query
from rightsgraph.query.engines import local_engine

QUERY = "competing-accounts"

Accounts = dict[Node, dict[Node, dict[Node, list[Node]]]]


def competing_accounts(project: Project, graph: Graph) -> Accounts:
    """{subject: {property: {value: [claims]}}} for every competing account the stored query finds."""
    found: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for row in local_engine(graph).select(get_query(project, QUERY).text).as_dicts():
        subject, prop, value, claim = row["subject"], row["property"], row["value"], row["claim"]
        if None in (subject, prop, value, claim):
            continue
        claims = found[subject][prop][value]
        if claim not in claims:  # a row per quote: a claim with two quotes gives two rows
            claims.append(claim)
    return {s: {p: {v: sorted(c, key=str) for v, c in values.items()} for p, values in props.items()}
            for s, props in found.items()}
