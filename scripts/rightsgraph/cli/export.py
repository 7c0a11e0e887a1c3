"""rightsgraph export"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from rightsgraph.cli.common import add_data_option, add_disclosure_options, add_verbosity, disclosure_of, say
from rightsgraph.core.disclosure import Disclosure, load_for_disclosure
from rightsgraph.core.errors import InputError
from rightsgraph.core.project import find_project
from rightsgraph.export import FORMATS, export, export_network


def register(subparsers: argparse._SubParsersAction) -> None:
    formats = "\n".join(f"  {f.name:<10} {f.description} (default: dist/{f.default}{'/' if f.folder else ''})"
                        for f in FORMATS.values())
    parser = subparsers.add_parser(
        "export", help="export the graph for Gephi, yEd, Neo4j, Cytoscape, FtM tools, or as a page",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.dedent("""\
            Export the graph as a network: resources are nodes, the relations between them edges,
            and the evidence (claims, sources, statuses, exact quotes) rides on edges and nodes.
            Only public data is exported: resources and claims marked rg:restricted or
            rg:confidential are left out, with everything that names them, unless widened with
            --include-restricted or --include-confidential.

            formats:
            """) + formats + "\n  all        every format above, under --out (default: dist)",
    )
    parser.add_argument("format", choices=[*FORMATS, "all"], metavar="FORMAT",
                        help=f"one of {', '.join(FORMATS)}, or all")
    parser.add_argument("--out", type=Path, metavar="PATH",
                        help="output file, or folder for neo4j, view and all (default: under dist/)")
    add_disclosure_options(parser, "export")
    add_data_option(parser)
    add_verbosity(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    disclosure = disclosure_of(args)
    wants_file = args.format != "all" and not FORMATS[args.format].folder
    if wants_file and args.out is not None and args.out.is_dir():
        raise InputError(f"--out {args.out}: is a folder; give a file name for {args.format}")
    project = find_project()
    graph, origins = load_for_disclosure(project, args.data)
    network = export_network(project, graph, disclosure, origins)
    if args.format == "all":
        base = args.out or Path("dist")
        targets = {name: base / spec.default for name, spec in FORMATS.items()}
    else:
        targets = {args.format: args.out or Path("dist") / FORMATS[args.format].default}
    for name, files in export(network, targets).items():
        target = targets[name]
        say(args, f"{name}: {FORMATS[name].summary(network)} -> {target}"
                  + (f" ({len(files)} files)" if FORMATS[name].folder else ""))
    if disclosure is not Disclosure.PUBLIC:
        say(args, f"note: this export includes {disclosure.value} data; do not publish it")
    return 0
