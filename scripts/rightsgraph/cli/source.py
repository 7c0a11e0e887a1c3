"""rightsgraph source add"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rightsgraph.cli.common import add_verbosity, say
from rightsgraph.core.project import find_project
from rightsgraph.sources.register import KINDS, Description, add_source


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "source", help="add a source document: name it, describe it, copy it into the sources folder",
        description="Manage the source documents.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help="register a new source document",
        description="Register FILE (UTF-8 plain text) as a new source document: compute its SHA-256, "
        "name it NNN-HHHHHHHHHHHHHHHH (the next free number and the first 16 hex digits of the "
        "SHA-256), detect its languages (--lang overrides), copy it into the sources folder "
        "($RIGHTSGRAPH_SOURCES, else ../shared/sources) as NNN_HHHHHHHHHHHHHHHH.txt, append its entry "
        "to data/sources.ttl and write a commented skeleton data/NNN-HHHHHHHHHHHHHHHH.ttl. "
        "Exit 0 when added; 2 when the file is already registered (same SHA-256 or name), is not "
        "UTF-8 text, or an option is malformed. See docs/adding-a-document.md.",
    )
    add.add_argument("file", type=Path, metavar="FILE", help="the source document, UTF-8 plain text")
    add.add_argument("--title", help="its title, in its own language (dcterms:title)")
    add.add_argument("--label", help="a short English description (rdfs:label), e.g. 'News article: ...'")
    add.add_argument("--kind", choices=sorted(KINDS), help="what kind of document it is")
    add.add_argument("--publisher", metavar="RESOURCE", help="the publisher, a resource of the graph: rgid:NAME")
    add.add_argument("--date", metavar="YYYY-MM-DD", help="when it was issued (YYYY-MM-DD, YYYY-MM or YYYY)")
    add.add_argument("--url", help="where it is published (rdfs:seeAlso)")
    add.add_argument("--lang", action="append", default=[], metavar="TAG",
                     help="its languages as BCP 47 tags (ko, en, zh-Hant; repeat or comma-separate), "
                     "instead of detecting them")
    add_verbosity(add)
    add.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    project = find_project()
    about = Description(title=args.title, label=args.label, publisher=args.publisher, issued=args.date,
                        url=args.url, languages=tuple(args.lang), kind=args.kind)
    if not args.lang:
        say(args, "detecting the languages (a few seconds)")
    added = add_source(project, args.file, about)
    print(f"added    src:{added.name.name}  ({', '.join(added.languages)}; sha256 {added.sha256})")
    print(f"copied   {args.file} -> {_shown(added.source_file)}")
    print(f"entry    appended to {_shown(added.catalogue)}")
    print(f"skeleton {_shown(added.data_file)}: write its resources and claims, then "
          "`rightsgraph quotes --fill` and `rightsgraph validate`")
    return 0


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return relative if not relative.startswith("../../") else str(path)
