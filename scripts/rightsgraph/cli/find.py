"""rightsgraph find"""

from __future__ import annotations

import argparse

from rdflib import Graph, Literal, URIRef

from rightsgraph.cli.common import add_data_option
from rightsgraph.core.errors import EXIT_INVALID, EXIT_OK
from rightsgraph.core.namespaces import bind_prefixes
from rightsgraph.core.project import find_project
from rightsgraph.core.store import load_graph
from rightsgraph.find.resources import find


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "find", help="find resources by any of their names, in any language",
        description="List the resources whose labels, other names (skos:altLabel) or names (foaf:name) "
        "match TEXT, in any language and either Chinese script (韓國 finds 韩国), ignoring case, "
        "spaces, hyphens and full-width forms; with each one's IRI, types, labels and the source "
        "documents that mention it. Exit 0 when something matches; 1 when nothing does (the closest "
        "names are printed); 2 when the data cannot be read.",
    )
    parser.add_argument("text", metavar="TEXT", help="a name, or part of one")
    parser.add_argument("--limit", type=int, default=10, help="at most this many resources (default 10)")
    add_data_option(parser)
    parser.set_defaults(handler=handle)


def _term(names: Graph, node: URIRef) -> str:
    return names.namespace_manager.normalizeUri(node)


def _literal(label: Literal) -> str:
    return f"{label} ({label.language})" if label.language else str(label)


def handle(args: argparse.Namespace) -> int:
    graph = load_graph(find_project(), args.data)
    names = bind_prefixes(Graph())
    found, closest = find(graph, args.text, args.limit)
    for item in found:
        print(f"{_term(names, item.iri)}  {', '.join(_term(names, t) for t in item.types)}")
        print(f"  labels: {'; '.join(_literal(label) for label in item.labels)}")
        if item.other_names:
            print(f"  other names: {'; '.join(_literal(name) for name in item.other_names)}")
        documents = ", ".join(_term(names, d) for d in item.documents) or "none (no claim states anything about it)"
        print(f"  mentioned in: {documents}")
    if found:
        return EXIT_OK
    suggestion = ", ".join(f"{_term(names, m.key)} ({m.name})" for m in closest)  # type: ignore[arg-type]
    print(f"no resource is named like {args.text!r}" + (f"; closest: {suggestion}" if suggestion else ""))
    return EXIT_INVALID
