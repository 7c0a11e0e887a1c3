"""What the graph covers, in numbers: claims, quotes, statements, resources by type."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from rightsgraph.core.namespaces import RG, RGID


@dataclass
class Coverage:
    claims: int
    quotes: int
    statements: int
    claims_by_source: dict[str, int]
    claims_by_status: dict[str, int]
    resources_by_type: dict[str, int]


def _local(node: URIRef) -> str:
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def coverage(graph: Graph) -> Coverage:
    claims = set(graph.subjects(RDF.type, RG.Claim))
    by_source = Counter(_local(graph.value(c, PROV.wasDerivedFrom)) for c in claims)
    by_status = Counter(_local(graph.value(c, RG.status)) for c in claims)
    resources = Counter()
    for node, kind in graph.subject_objects(RDF.type):
        if (isinstance(node, URIRef) and str(node).startswith(str(RGID)) and node not in claims
                and str(kind).startswith(str(RG))):
            resources[_local(kind)] += 1
    return Coverage(
        claims=len(claims),
        quotes=sum(1 for _ in graph.objects(None, RG.quote)),
        statements=sum(1 for _ in graph.objects(None, RG.states)),
        claims_by_source=dict(sorted(by_source.items())),
        claims_by_status=dict(by_status.most_common()),
        resources_by_type=dict(resources.most_common()),
    )


def format_coverage(numbers: Coverage) -> str:
    lines = [f"claims      {numbers.claims}", f"quotes      {numbers.quotes}",
             f"statements  {numbers.statements}", "", "claims by source document:"]
    lines += [f"  {name:<28} {count}" for name, count in numbers.claims_by_source.items()]
    lines += ["", "claims by status:"]
    lines += [f"  {name:<28} {count}" for name, count in numbers.claims_by_status.items()]
    lines += ["", "resources by type:"]
    lines += [f"  {name:<28} {count}" for name, count in numbers.resources_by_type.items()]
    return "\n".join(lines) + "\n"
