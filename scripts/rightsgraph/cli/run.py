"""rightsgraph run"""

from __future__ import annotations

import argparse
from pathlib import Path

from rightsgraph.cli.common import add_data_option, add_verbosity, say
from rightsgraph.cli.validate import add_validator_option
from rightsgraph.core.errors import EXIT_INVALID
from rightsgraph.core.project import find_project
from rightsgraph.query.engines import ENGINES
from rightsgraph.run.pipeline import run_pipeline
from rightsgraph.validate.report import format_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run", help="the main job: build, validate, answer every stored query",
        description="Build the graph (as `rightsgraph build`), validate it against the shapes (as "
        "`rightsgraph validate`), run every stored query with its default parameters and write each "
        "answer to DIR/answers/NAME.csv, then print a summary. Stops with exit 1 if the data does "
        "not conform or a *-violation check returns rows.",
    )
    parser.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR", help="output folder (default: dist)")
    parser.add_argument("--engine", choices=ENGINES, default="oxigraph",
                        help="oxigraph (default): the fast path, parsed, derived, validated and queried in "
                        "an Oxigraph store; rdflib: the reference path, rdflib and pyshacl")
    add_validator_option(parser)
    add_data_option(parser)
    add_verbosity(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    outcome = run_pipeline(find_project(), args.out, args.data, args.engine, args.validator,
                           progress=lambda message: say(args, message))
    if not outcome.report.conforms:
        print(format_text(outcome.report))
        return EXIT_INVALID
    if getattr(args, "verbose", False):
        for name, rows in outcome.answers.items():
            say(args, f"  {name}: {len(rows)} rows")
    say(args, f"queries  {outcome.answered} of {outcome.questions} questions answered, "
              f"{outcome.checks - len(outcome.failed_checks)} of {outcome.checks} checks passed "
              f"-> {args.out}/answers/")
    if outcome.failed_checks:
        print("checks that found problems: " + ", ".join(outcome.failed_checks))
        return EXIT_INVALID
    return 0
