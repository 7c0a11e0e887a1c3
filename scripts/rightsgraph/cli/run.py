"""rightsgraph run"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..api import run_stored
from ..building import build
from ..catalogue import load_catalogue
from ..engines import ENGINES, local_engine
from ..errors import EXIT_INVALID
from ..formatting import format_csv
from ..loading import load_shapes
from ..project import find_project
from ..validation import format_text, validate
from ..writing import atomic_outputs
from .common import add_data_option, add_verbosity, say


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run", help="the main job: build, validate, answer every stored query",
        description="Build the graph (as `rightsgraph build`), validate it against the shapes (as "
        "`rightsgraph validate`), run every stored query with its default parameters and write each "
        "answer to DIR/answers/NAME.csv, then print a summary. Stops with exit 1 if the data does "
        "not conform or a *-violation check returns rows.",
    )
    parser.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR", help="output folder (default: dist)")
    parser.add_argument("--engine", choices=ENGINES, default="oxigraph", help="embedded engine (default: oxigraph)")
    add_data_option(parser)
    add_verbosity(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    project = find_project()
    built = build(project, args.out, args.data)
    say(args, f"built    {len(built.graph):,} triples -> {args.out}/rightsgraph.{{ttl,nt,jsonld}}")
    report = validate(built.data, load_shapes(project), built.ontology)
    if not report.conforms:
        print(format_text(report))
        return EXIT_INVALID
    say(args, f"valid    conforms to the shapes ({report.warnings} warnings for a reviewer)")
    engine = local_engine(built.graph, args.engine)
    catalogue = load_catalogue(project)
    failed_checks: list[str] = []
    answered = 0
    with atomic_outputs(args.out / "answers") as pending:
        for name, query in catalogue.items():
            rows = run_stored(query, engine)
            pending[f"{name}.csv"] = format_csv(rows).encode("utf-8")
            if query.is_check and len(rows):
                failed_checks.append(f"{name} ({len(rows)} rows)")
            answered += bool(len(rows)) and not query.is_check
            if getattr(args, "verbose", False):
                say(args, f"  {name}: {len(rows)} rows")
    questions = sum(not q.is_check for q in catalogue.values())
    checks = len(catalogue) - questions
    say(args, f"queries  {answered} of {questions} questions answered, "
              f"{checks - len(failed_checks)} of {checks} checks passed -> {args.out}/answers/")
    if failed_checks:
        print("checks that found problems: " + ", ".join(failed_checks))
        return EXIT_INVALID
    return 0
