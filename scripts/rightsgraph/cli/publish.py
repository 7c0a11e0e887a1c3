"""rightsgraph publish"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from rightsgraph.cli.common import add_data_option, add_disclosure_options, add_verbosity, disclosure_of, say
from rightsgraph.core.disclosure import Disclosure
from rightsgraph.core.errors import InputError
from rightsgraph.core.project import find_project

DEFAULT_OUT = Path("dist/site")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "publish", help="write the graph as a static linked-data site",
        description="Write a static site with a page and RDF (Turtle, JSON-LD, N-Triples, RDF/XML) for "
        "every resource, the ontology and shapes documented, an index with client-side search, full "
        "dumps, a VoID description (/.well-known/void), a DCAT catalogue, and an nginx configuration and "
        "an Apache .htaccess that answer each resource IRI with HTML or RDF by the Accept header. "
        "Only what is public is published: resources and claims marked restricted or confidential are "
        "left out, with everything that names them, unless widened with --include-restricted or "
        "--include-confidential. DIR is replaced whole; a non-empty folder that publish did not write is "
        "refused.",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help=f"the site's folder (default: {DEFAULT_OUT})")
    parser.add_argument("--base-url", metavar="URL",
                        help="absolute links under this URL, for a host other than w3id.org "
                             "(default: relative links, which work from any folder and from file://)")
    parser.add_argument("--sparql-endpoint", metavar="URL", default=os.environ.get("RIGHTSGRAPH_SPARQL_ENDPOINT"),
                        help="a public SPARQL endpoint serving this data, to link and describe "
                             "(default: $RIGHTSGRAPH_SPARQL_ENDPOINT, else none)")
    add_disclosure_options(parser, "publish")
    parser.add_argument("--serve", action="store_true",
                        help="after publishing, preview the site on http://HOST:PORT/ with the same content "
                             "negotiation (Ctrl-C stops it)")
    parser.add_argument("--host", default="127.0.0.1", help="address for --serve (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port for --serve (default: 8000)")
    add_data_option(parser)
    add_verbosity(parser)
    parser.set_defaults(handler=handle)


def _url(option: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
        raise InputError(f"{option} {value!r}: expected an absolute http(s) URL")
    return value


def handle(args: argparse.Namespace) -> int:
    try:
        from rightsgraph.publish import publish
        from rightsgraph.publish.serve import make_server
    except ImportError as error:
        raise InputError(f"publish needs the 'publish' extra ({error.name} is missing): "
                         "pip install 'rightsgraph[publish]'") from None
    disclosure = disclosure_of(args)
    if not 0 < args.port < 65536:
        raise InputError(f"--port {args.port}: expected a port number from 1 to 65535")
    result = publish(find_project(), args.out, base_url=_url("--base-url", args.base_url),
                     endpoint=_url("--sparql-endpoint", args.sparql_endpoint), disclosure=disclosure,
                     data_paths=args.data)
    say(args, f"published {result.resources:,} resources ({result.triples:,} triples, {disclosure.value} view) "
              f"as {result.files:,} files -> {result.out}/")
    if disclosure is not Disclosure.PUBLIC:
        say(args, f"warning: the site includes {disclosure.value} data; do not put it on a public host")
    if not args.serve:
        return 0
    try:
        server = make_server(result.out, args.host, args.port)
    except OSError as error:
        raise InputError(f"cannot listen on {args.host}:{args.port} ({error.strerror})") from None
    say(args, f"serving {result.out}/ on http://{args.host}:{server.server_address[1]}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say(args, "stopped")
    finally:
        server.server_close()
    return 0
