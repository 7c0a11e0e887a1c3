"""rightsgraph stats"""

from __future__ import annotations

import argparse
import sys

from rightsgraph.cli.common import add_data_option
from rightsgraph.core.project import find_project
from rightsgraph.core.store import load_data
from rightsgraph.stats.coverage import coverage, format_coverage


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "stats", help="what the graph covers, in numbers",
        description="Count the claims, quotes and statements of the data, the claims by source document "
        "and by status, and the resources of the data by type.",
    )
    add_data_option(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    sys.stdout.write(format_coverage(coverage(load_data(find_project(), args.data).graph)))
    return 0
