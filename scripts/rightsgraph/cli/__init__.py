"""The `rightsgraph` command: one sub-command per module of this package.

Each module has `register(subparsers)`, which adds its parser and sets `handler` to a function
taking the parsed arguments and returning the exit code.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from rightsgraph import __version__
from rightsgraph.cli import (
    bench,
    build,
    diagram,
    export,
    find,
    load,
    publish,
    query,
    quotes,
    run,
    serve,
    source,
    stats,
    validate,
)
from rightsgraph.core.errors import RightsgraphError

COMMANDS = [build, validate, query, run, stats, diagram, publish, export, serve, load, bench, source, quotes, find]

DESCRIPTION = """\
Build, validate, query and publish the rightsgraph knowledge graph of transnational crime and
human-rights violations across Korea's borders. Every statement in the graph is a claim of a
source document with the exact words that support it.

Exit codes, the same for every command: 0 success; 1 validation failed; 2 bad input or usage
(unreadable file, syntax error, unknown query or parameter); 3 endpoint or network failure.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rightsgraph", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"rightsgraph {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # usage errors exit 2, as argparse does
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="rightsgraph: %(message)s",
    )
    try:
        return int(args.handler(args))
    except RightsgraphError as error:
        print(f"rightsgraph: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("rightsgraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
