"""Options and printing shared by the sub-commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rightsgraph.core.disclosure import Disclosure


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help="print only errors and results")
    group.add_argument("-v", "--verbose", action="store_true", help="print each step as it runs")


def add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, nargs="+", action="extend", metavar="PATH",
        help="Turtle files or folders to use instead of data/ (may be repeated)",
    )


def say(args: argparse.Namespace, message: str) -> None:
    """Progress for people; silent with --quiet."""
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr if getattr(args, "results_on_stdout", False) else sys.stdout)


def add_disclosure_options(parser: argparse.ArgumentParser, verb: str) -> None:
    """--include-restricted and --include-confidential, for the commands that disclose (see
    docs/sensitivity.md): what they `verb` is public only, unless widened explicitly."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--include-restricted", action="store_true",
                       help=f"also {verb} what is marked rg:restricted (never rg:confidential)")
    group.add_argument("--include-confidential", action="store_true",
                       help=f"{verb} everything, rg:confidential included")


def disclosure_of(args: argparse.Namespace) -> Disclosure:
    if args.include_confidential:
        return Disclosure.ALL
    return Disclosure.RESTRICTED if args.include_restricted else Disclosure.PUBLIC
