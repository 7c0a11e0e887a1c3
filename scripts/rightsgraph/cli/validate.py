"""rightsgraph validate"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rightsgraph.cli.common import add_data_option, add_verbosity, say
from rightsgraph.core.errors import EXIT_INVALID, EXIT_OK, InputError
from rightsgraph.core.project import find_project
from rightsgraph.validate.report import FORMATTERS
from rightsgraph.validate.validator import DEFAULT_VALIDATOR, VALIDATORS, validate_project


def add_validator_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--validator", choices=VALIDATORS, default=DEFAULT_VALIDATOR,
        help="auto (default): the shapes translated to SPARQL over Oxigraph, and pyshacl for any shape "
        "the translation cannot evaluate, in one report; sparql: the translation only, refusing (exit 2) "
        "a shape it cannot evaluate; pyshacl: pyshacl only",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check the data against the SHACL shapes (evidence, labels, dates, codes, ...)",
        description="Check the data (data/, or the files and folders given with --data), derived as "
        "the loader derives it and merged with the ontology, against the SHACL shapes in shapes/. "
        "The text report groups the results by resource, with its label, the file that defines it, "
        "the shape, the property, the offending value and what to do. Violations make the data fail; "
        "warnings are for a reviewer to look at. With --plain, any data against any shapes, nothing "
        "derived or merged. With --conformance, the W3C SHACL test suite on both validators. "
        "Exit 0 when the data conforms (warnings allowed), 1 when it does not, 2 when an input "
        "cannot be read or a shape cannot be evaluated by the validator asked for.",
    )
    add_data_option(parser)
    parser.add_argument("--plain", action="store_true",
                        help="validate the --data files against the --shapes files as they are: no derived "
                        "triples, no ontology, no project needed")
    parser.add_argument("--shapes", type=Path, nargs="+", action="extend", metavar="PATH",
                        help="with --plain: the Turtle files or folders of the shapes graph (required)")
    add_validator_option(parser)
    parser.add_argument(
        "--format", choices=sorted(FORMATTERS), default="text",
        help="text for people (default); json, one object per result; turtle, the standard SHACL "
        "validation report",
    )
    parser.add_argument("--conformance", action="store_true",
                        help="run the W3C SHACL test suite (core and SPARQL) on both validators, print a "
                        "table and write EARL reports; exit 1 on a wrong answer not listed as known")
    parser.add_argument("--suite", type=Path, default=None, metavar="DIR",
                        help="with --conformance: the suite's folder (default: $RIGHTSGRAPH_SHACL_SUITE, "
                        "or ../shared/w3c-shacl-test-suite beside the checkout)")
    parser.add_argument("--third-opinion", action="store_true",
                        help="with --conformance: also run Apache Jena's SHACL validator (Debian's "
                        "libapache-jena-java), a third row where the two differ; exit 2 if it is not installed")
    parser.add_argument("--earl", type=Path, default=None, metavar="DIR",
                        help="with --conformance: write earl-ENGINE.ttl here (default: dist/conformance)")
    add_verbosity(parser)
    parser.set_defaults(handler=handle, results_on_stdout=True)


def handle(args: argparse.Namespace) -> int:
    if args.conformance:
        from rightsgraph.validate.conformance import main as conformance

        return conformance(args.suite, args.earl, quiet=args.quiet, third_opinion=args.third_opinion)
    if args.shapes and not args.plain:
        raise InputError("--shapes goes with --plain (without it, the project's shapes/ are used)")
    if args.plain:
        if not args.data or not args.shapes:
            raise InputError("--plain needs --data FILE... and --shapes FILE...")
        from rightsgraph.validate.plain import validate_plain

        say(args, f"validating {', '.join(map(str, args.data))} against {', '.join(map(str, args.shapes))}")
        report = validate_plain(args.data, args.shapes, args.validator)
    else:
        project = find_project()
        say(args, f"validating {', '.join(str(p) for p in args.data) if args.data else project.data_dir} "
                  f"against {project.shapes_dir}")
        report = validate_project(project, args.data, args.validator)
    # With --quiet, a conforming text report without warnings prints nothing: the exit code says it.
    if not (args.format == "text" and args.quiet and report.conforms and not report.results):
        sys.stdout.write(FORMATTERS[args.format](report))
    return EXIT_OK if report.conforms else EXIT_INVALID
