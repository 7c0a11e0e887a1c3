"""rightsgraph quotes --fill"""

from __future__ import annotations

import argparse
import os

from rightsgraph.cli.common import add_data_option, add_verbosity, say
from rightsgraph.core.errors import EXIT_INVALID, EXIT_OK, InputError
from rightsgraph.core.project import find_project
from rightsgraph.sources.quotes import fill_quotes


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "quotes", help="find every quote in its source file and write its offsets (--fill)",
        description="With --fill: for every quote (rg:quote [ oa:exact \"...\" ]) of the data files, find "
        "its exact words in its source file and write or correct oa:start and oa:end in place; nothing "
        "else of the files changes. A quote found several times is kept if its oa:start already points "
        "at one of them; otherwise say which with oa:prefix (or oa:suffix), the words just before (after) "
        "it, or by writing its oa:start. For a quote not found, the closest passage and what differs "
        "(full- and half-width forms, line breaks, spaces, Traditional and Simplified characters). "
        "Exit 0 when every quote is placed; 1 when some could not be (the others are still written); "
        "2 when a file cannot be read or a source file is missing.",
    )
    parser.add_argument("--fill", action="store_true", required=True,
                        help="write oa:start and oa:end (the only action so far)")
    add_data_option(parser)
    add_verbosity(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    project = find_project()
    paths = args.data or [project.data_dir]
    if not project.sources_dir.is_dir():
        raise InputError(f"{project.sources_dir}: the sources folder does not exist (set RIGHTSGRAPH_SOURCES)")
    report = fill_quotes(paths, project.sources_dir)
    for problem in report.problems:
        print(f"{os.path.relpath(problem.file)}:{problem.line}: {problem.claim}: {problem.message}")
    say(args, f"quotes   {report.checked} checked, {report.written} offsets written in "
              f"{len(report.files_changed)} files, {len(report.problems)} to fix by hand")
    return EXIT_INVALID if report.problems else EXIT_OK
