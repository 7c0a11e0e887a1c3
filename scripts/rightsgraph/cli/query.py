"""rightsgraph queries, rightsgraph query"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from pathlib import Path

from rdflib import Graph

from rightsgraph.cli.common import add_data_option
from rightsgraph.core.errors import InputError
from rightsgraph.core.http import MAX_ANSWER_BYTES
from rightsgraph.core.namespaces import bind_prefixes
from rightsgraph.core.project import find_project
from rightsgraph.core.store import load_graph
from rightsgraph.query.catalogue import (
    adhoc_query,
    get_query,
    load_catalogue,
    parse_assignments,
    read_adhoc,
    run_stored,
)
from rightsgraph.query.engines import DEFAULT_TIMEOUT, ENGINES, Engine, RemoteEngine, local_engine
from rightsgraph.query.formatting import FORMATS, LANGUAGES, format_csv, format_json, format_table, iri_nodes


def register(subparsers: argparse._SubParsersAction) -> None:
    listing = subparsers.add_parser(
        "queries", help="list the stored queries and the questions they answer",
        description="List the stored queries in queries/, each with the question it answers and its "
        "parameters (name, type, default). Run one with `rightsgraph query NAME --param KEY=VALUE`. "
        "Queries named *-violation are checks: any row they return is a problem in the data, and "
        "`rightsgraph run` fails when one does. To add a query, put a .rq file in queries/ whose first "
        "comment lines give the question, its parameters and what a row means (see queries/README.md).",
    )
    listing.set_defaults(handler=handle_list)

    parser = subparsers.add_parser(
        "query", help="run a stored or ad-hoc SPARQL query",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.dedent("""\
            Run a stored query by NAME (see `rightsgraph queries`) or an ad-hoc SELECT query with
            --file or --text, on the embedded store (the graph built from ontology/ and data/) or on
            a remote SPARQL 1.1 endpoint with --endpoint. Ad-hoc queries need no header and may use
            the project's prefixes (rg:, rgid:, claim:, oa:, prov:, ...) without declaring them; a
            syntax error is reported with its line and column.

            Tables fit the terminal (its width, or $COLUMNS; 80 when the output is not a
            terminal) and wrap long cells; rows that differ in one column only are shown as one
            row, that column's values listed in it. CSV and JSON keep one row per answer; CSV has a
            column "NAME label" after each column NAME that holds IRIs.

            Parameters are given as --param KEY=VALUE and typed by the query's header (country: an
            ISO code such as CN; crime: a crime type such as forced-repatriation; resource: a name
            such as knpa or a full IRI; string, integer, date, lang, iri). They are bound as RDF
            terms, never pasted into the query text.

            Remote endpoints: credentials come from RIGHTSGRAPH_ENDPOINT_USER and
            RIGHTSGRAPH_ENDPOINT_PASSWORD (never from the URL), and are sent only when the
            endpoint asks, only to its host; long queries are sent by POST; --timeout bounds the
            whole query, answer included, and answers over {limit} MiB are refused (exit 3).

            examples:
              rightsgraph query states-practising-forced-repatriation
              rightsgraph query crimes-by-state --param state=CN --lang zh
              rightsgraph query evidence-for-a-resource --param resource=knpa --format csv
              rightsgraph query --text 'SELECT ?claim ?quote { ?claim rg:quote/oa:exact ?quote }'
              rightsgraph query --file my.rq --endpoint http://127.0.0.1:7878/query
            """).replace("{limit}", str(MAX_ANSWER_BYTES >> 20)),
    )
    parser.add_argument("name", nargs="?", help="the stored query's name")
    given = parser.add_mutually_exclusive_group()
    given.add_argument("--file", type=Path, metavar="PATH.rq", help="run this SPARQL file instead")
    given.add_argument("--text", metavar="SPARQL", help="run this SPARQL query instead")
    parser.add_argument("--param", action="append", metavar="KEY=VALUE", help="a parameter value (repeatable)")
    parser.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 query endpoint to ask instead")
    parser.add_argument("--graph", metavar="IRI",
                        help="with --endpoint: the named graph to ask as the default graph (for stores such as "
                        "Virtuoso whose default graph is the union of all their graphs)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="the most the query may take, its whole answer included, on an endpoint or the "
                        f"embedded store; past it, exit 3 (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="label language for tables and CSV, else English, else any (default: en)")
    parser.add_argument("--engine", choices=ENGINES, default="oxigraph",
                        help="embedded engine (default: oxigraph, the faster by the benchmark)")
    add_data_option(parser)
    parser.set_defaults(handler=handle_query)


def handle_list(args: argparse.Namespace) -> int:
    for name, query in load_catalogue(find_project()).items():
        print(name)
        print(textwrap.fill(query.question, width=96, initial_indent="    ", subsequent_indent="    "))
        for p in query.parameters:
            default = " (required)" if p.required else (f" (default {p.default})" if p.default else "")
            print(f"      --param {p.name}=<{p.type}>{default}  {p.description}")
    return 0


def handle_query(args: argparse.Namespace) -> int:
    project = find_project()
    if bool(args.name) == bool(args.file or args.text is not None):
        raise InputError("give either a stored query NAME, --file PATH.rq or --text SPARQL (see `rightsgraph queries`)")
    if args.file:
        query = read_adhoc(args.file)
    elif args.text is not None:
        query = adhoc_query(args.text)
    else:
        query = get_query(project, args.name)
    values = parse_assignments(args.param)
    engine: Engine
    graph = None
    if args.endpoint:
        engine = RemoteEngine(args.endpoint, timeout=args.timeout, default_graph=args.graph)
    else:
        graph = load_graph(project, args.data)
        engine = local_engine(graph, args.engine, timeout=args.timeout)
    rows = run_stored(query, engine, values)
    if args.format == "csv":
        output = format_csv(rows, engine.labels(iri_nodes(rows)), args.lang)
    elif args.format == "json":
        output = format_json(rows)
    else:
        names = (graph if graph is not None else bind_prefixes(Graph())).namespace_manager
        # COLUMNS first, then the terminal; 80 when the output goes to a file or a pipe.
        width = shutil.get_terminal_size((80, 24)).columns
        output = format_table(rows, engine.labels(iri_nodes(rows)), args.lang, names, width)
    sys.stdout.write(output)
    return 0
