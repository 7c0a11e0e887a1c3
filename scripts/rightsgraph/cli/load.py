"""rightsgraph load"""

from __future__ import annotations

import argparse
from pathlib import Path

from rightsgraph.cli.common import add_data_option, add_disclosure_options, add_verbosity, disclosure_of, say
from rightsgraph.core.disclosure import load_for_disclosure
from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import RG
from rightsgraph.core.project import find_project
from rightsgraph.core.turtle import read_rdf
from rightsgraph.load.loader import METHODS, StoreEndpoints, StoreLoader, check_graph_iri
from rightsgraph.query.engines import DEFAULT_TIMEOUT
from rightsgraph.serve.server import served_graph


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "load", help="put the graph into a SPARQL 1.1 store, replacing a graph all at once",
        description="Build the graph (or read --file), and put its public view into a SPARQL 1.1 store: "
        "into a staging graph first (by the Graph Store HTTP Protocol where the store has it, else by "
        "SPARQL Update), then, once the store holds every triple, replace the target graph with it in "
        "one MOVE operation, and count again. Credentials come from the environment variables "
        "RIGHTSGRAPH_ENDPOINT_USER and RIGHTSGRAPH_ENDPOINT_PASSWORD (HTTP Basic or Digest, as the "
        "store asks, and only to its host), never from the command line. Each load stages into a "
        "graph of its own, so loads into one target at once leave one whole graph. Exit 3 if the "
        "store is down, slow, refuses or answers nonsense.",
    )
    parser.add_argument("--endpoint", required=True, metavar="URL",
                        help="the store's SPARQL query URL (Oxigraph …/query, Virtuoso …/sparql or …/sparql-auth)")
    parser.add_argument("--graph", metavar="IRI", help="the named graph to replace (default: the default graph)")
    parser.add_argument("--update", metavar="URL", help="SPARQL Update URL (default: guessed from --endpoint)")
    parser.add_argument("--graph-store", metavar="URL",
                        help="Graph Store HTTP Protocol URL (default: guessed from --endpoint)")
    parser.add_argument("--method", choices=METHODS, default="auto",
                        help="upload by the Graph Store Protocol, SPARQL Update, or whichever the store has "
                        "(default: auto)")
    parser.add_argument("--batch-size", type=int, metavar="N",
                        help="triples per request (default: 50000 by Graph Store, 1000 by Update)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="the most each request to the store may take, its whole answer included "
                        f"(default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--file", type=Path, metavar="PATH",
                        help="load this RDF file (e.g. dist/rightsgraph.nt) instead of building the graph")
    add_disclosure_options(parser, "load")
    add_data_option(parser)
    add_verbosity(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if args.batch_size is not None and args.batch_size < 1:
        raise InputError("--batch-size: expected a positive number")
    if args.timeout <= 0:
        raise InputError("--timeout: expected a positive number of seconds")
    if args.file and args.data:
        raise InputError("give either --file or --data, not both")
    target = check_graph_iri(args.graph) if args.graph else None
    endpoints = StoreEndpoints.guess(args.endpoint, args.update, args.graph_store)
    if args.file:
        source = read_rdf(args.file)  # terms as written: rdflib's reader would load "01"^^xsd:integer as "1"
        origins = {node: [args.file] for node in source.subjects(RG.sensitivity)}
    else:
        source, origins = load_for_disclosure(find_project(), args.data)
    disclosure = disclosure_of(args)
    graph = served_graph(source, disclosure, origins)
    result = StoreLoader(endpoints, args.timeout).load(graph, target, args.method, args.batch_size)
    how = f"the Graph Store Protocol at {result.graph_store}" if result.graph_store else \
        f"SPARQL Update at {endpoints.update}"
    where = f"<{target}>" if target else "the default graph"
    say(args, f"loaded {result.triples:,} triples ({disclosure.value} view) into {where} by {how}; "
              "the store's count matches")
    return 0
