"""rightsgraph validate"""

from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_INVALID, EXIT_OK
from ..project import find_project
from ..validation import FORMATTERS, validate_project
from .common import add_data_option, add_verbosity, say


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check the data against the SHACL shapes (evidence, labels, dates, codes, ...)",
        description="Check the data (data/, or the files and folders given with --data), derived as "
        "the loader derives it and merged with the ontology, against the SHACL shapes in shapes/. "
        "The text report groups the results by resource, with its label, the file that defines it, "
        "the shape, the property, the offending value and what to do. Violations make the data fail; "
        "warnings are for a reviewer to look at. Exit 0 when the data conforms (warnings allowed), "
        "1 when it does not, 2 when an input cannot be read.",
    )
    add_data_option(parser)
    parser.add_argument(
        "--format", choices=sorted(FORMATTERS), default="text",
        help="text for people (default); json, one object per result; turtle, the standard SHACL "
        "validation report",
    )
    add_verbosity(parser)
    parser.set_defaults(handler=handle, results_on_stdout=True)


def handle(args: argparse.Namespace) -> int:
    project = find_project()
    say(args, f"validating {', '.join(str(p) for p in args.data) if args.data else project.data_dir} "
              f"against {project.shapes_dir}")
    report = validate_project(project, args.data)
    # With --quiet, a conforming text report without warnings prints nothing: the exit code says it.
    if not (args.format == "text" and args.quiet and report.conforms and not report.results):
        sys.stdout.write(FORMATTERS[args.format](report))
    return EXIT_OK if report.conforms else EXIT_INVALID
