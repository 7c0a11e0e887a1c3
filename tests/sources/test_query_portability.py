"""Stored queries keep to SPARQL that every tested engine answers alike.

Virtuoso 7.2 drops rows from queries with a `*` or `+` property path once it holds more than
one graph (README, "Which engines are tested, and what differs"); the stored queries therefore
test class membership two subclass levels deep, and these tests keep that honest.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from rdflib.paths import MulPath
from rdflib.plugins.sparql import prepareQuery

from conftest import ROOT
from rightsgraph.core.namespaces import RG
from rightsgraph.core.project import find_project
from rightsgraph.query.catalogue import load_catalogue

CATALOGUE = load_catalogue(find_project(ROOT))
# The class test the queries write instead of `?class rdfs:subClassOf* rg:X`.
UNROLLED = re.compile(r"rdfs:subClassOf/rdfs:subClassOf\s+rg:(\w+)")
LEVELS = 2


def _paths(node: object) -> list[MulPath]:
    """Every `*`, `+` or `?` path in a parsed query's algebra."""
    found: list[MulPath] = []
    if isinstance(node, MulPath):
        found.append(node)
    elif isinstance(node, dict):
        for value in node.values():
            found.extend(_paths(value))
    elif isinstance(node, (list, tuple)):
        for value in node:
            found.extend(_paths(value))
    return found


def depth_below(ontology: Graph, cls: URIRef) -> int:
    """How many rdfs:subClassOf steps the longest chain of subclasses below `cls` takes."""
    children = set(ontology.subjects(RDFS.subClassOf, cls)) - {cls}
    return 1 + max(depth_below(ontology, child) for child in children) if children else 0


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_no_stored_query_uses_a_transitive_path(name: str) -> None:
    algebra = prepareQuery(CATALOGUE[name].text).algebra
    assert [str(p) for p in _paths(algebra) if p.mod in ("*", "+")] == []


def test_the_unrolled_class_tests_reach_every_subclass(ontology: Graph) -> None:
    classes = {cls for query in CATALOGUE.values() for cls in UNROLLED.findall(query.text)}
    assert classes == {"Crime", "StateAgency"}
    for cls in sorted(classes):
        assert depth_below(ontology, RG[cls]) <= LEVELS, f"rg:{cls} has subclasses deeper than the queries test"


def test_the_depth_check_notices_a_deeper_hierarchy(ontology: Graph) -> None:
    deeper = Graph() + ontology
    deeper.add((RG.CountryCrime, RDFS.subClassOf, RG.CrimePattern))
    deeper.add((RG.RegionalCrime, RDFS.subClassOf, RG.CountryCrime))
    assert depth_below(ontology, RG.Crime) <= LEVELS < depth_below(deeper, RG.Crime)
