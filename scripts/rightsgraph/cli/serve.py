"""rightsgraph serve"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

from rightsgraph.cli.common import add_data_option, add_disclosure_options, add_verbosity, disclosure_of, say
from rightsgraph.core.disclosure import load_for_disclosure
from rightsgraph.core.errors import InputError
from rightsgraph.core.project import find_project
from rightsgraph.query.catalogue import load_catalogue
from rightsgraph.serve.server import (
    DEFAULT_QUERY_TIMEOUT,
    StoreFolder,
    check_literal_forms,
    check_port_free,
    is_loopback,
    oxigraph_binary,
    prepare_store,
    run_oxigraph,
    serve_until_stopped,
    served_graph,
)

EXAMPLE_QUERY = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="serve the graph over the SPARQL 1.1 Protocol (read-only, on loopback)",
        description="Build the graph from ontology/ and data/, load its public view into an Oxigraph "
        "store and serve it with the Oxigraph server over the SPARQL 1.1 Protocol until stopped "
        "(Ctrl-C). Queries go to http://HOST:PORT/query. Read-only and on 127.0.0.1 unless you choose "
        "otherwise: --host to listen on another interface, --allow-updates to accept SPARQL Update "
        "and Graph Store writes. SPARQL that would make the server contact other hosts (SERVICE, "
        "LOAD) is refused with HTTP 403 unless --allow-service is given, and every query stops after "
        "--timeout seconds. Resources and claims marked restricted or confidential are left out "
        "unless --include-restricted or --include-confidential is given.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7878, help="port to listen on (default: 7878)")
    parser.add_argument("--db", type=Path, metavar="DIR",
                        help="keep the store in DIR between runs (default: a temporary folder)")
    parser.add_argument("--allow-updates", action="store_true",
                        help="accept SPARQL Update at /update and Graph Store writes at /store")
    parser.add_argument("--allow-service", action="store_true",
                        help="let clients make the server contact other hosts with SERVICE (and LOAD); "
                        "refused by default")
    parser.add_argument("--allow-changed-literals", action="store_true",
                        help="serve even if the server would answer some literals in another form than the "
                        "data writes them (\"4.0\"^^xsd:decimal as \"4\"); refused by default")
    parser.add_argument("--timeout", type=int, default=DEFAULT_QUERY_TIMEOUT, metavar="SECONDS",
                        help=f"stop each query after this many seconds (default: {DEFAULT_QUERY_TIMEOUT})")
    add_disclosure_options(parser, "serve")
    add_data_option(parser)
    add_verbosity(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise InputError(f"--port {args.port}: expected 1-65535")
    if args.timeout < 1:
        raise InputError(f"--timeout {args.timeout}: expected a whole number of seconds, at least 1")
    oxigraph_binary()
    check_port_free(args.host, args.port)
    project = find_project()
    disclosure = disclosure_of(args)
    full, origins = load_for_disclosure(project, args.data)
    graph = served_graph(full, disclosure, origins)
    if not args.allow_changed_literals:
        check_literal_forms(graph)
    with tempfile.TemporaryDirectory(prefix="rightsgraph-serve-") as scratch:
        folder = StoreFolder(args.db or Path(scratch) / "db")
        loaded = prepare_store(folder, graph, disclosure)
        say(args, f"{'loaded' if loaded else 'reusing the store with'} {len(graph):,} triples "
                  f"({disclosure.value} view) in {folder.store}")
        if args.allow_updates:
            folder.forget()  # updates may make the store differ from the sources: rebuild next time
        log = Path(scratch) / "oxigraph.log"
        with run_oxigraph(folder.store, args.host, args.port, args.allow_updates, log, args.timeout,
                          args.allow_service) as server:
            _announce(args, server.url, server.update_url, project)
            serve_until_stopped(server, log)
    say(args, "stopped")
    return 0


def _announce(args: argparse.Namespace, url: str, update_url: str | None, project) -> None:
    names = list(load_catalogue(project))
    lines = [f"ready: SPARQL endpoint {url} ({'updates allowed at ' + update_url if update_url else 'read-only'})"]
    lines.append(f"queries stop after {args.timeout} s; SERVICE " +
                 ("allowed: clients can make this server contact other hosts" if args.allow_service else "refused"))
    if not is_loopback(args.host):
        lines.append(f"warning: listening on {args.host}: other machines can reach this endpoint")
    lines += ["try:", f"  curl -s {url} -H 'Accept: text/csv' --data-urlencode {shlex.quote('query=' + EXAMPLE_QUERY)}"]
    if names:
        lines.append(f"  rightsgraph query {names[0]} --endpoint {url}")
    lines.append("stop with Ctrl-C")
    print("\n".join(lines), flush=True)
    sys.stdout.flush()
