"""rightsgraph diagram"""

from __future__ import annotations

import argparse
import sys

from rightsgraph.core.project import find_project
from rightsgraph.core.store import load_ontology
from rightsgraph.core.writing import write_atomically
from rightsgraph.diagram.classes import mermaid_class_diagram, replace_block


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diagram", help="print the Mermaid class diagram of the ontology",
        description="Generate a Mermaid class diagram of the ontology's classes (with their subclass "
        "links) and of the object properties between them, from the ontology itself. With --update, "
        "write it into the diagram block of ontology/README.md.",
    )
    parser.add_argument("--update", action="store_true", help="rewrite the block in ontology/README.md")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    project = find_project()
    diagram = mermaid_class_diagram(load_ontology(project))
    if not args.update:
        sys.stdout.write(diagram)
        return 0
    readme = project.ontology_dir / "README.md"
    write_atomically(readme, replace_block(readme.read_text(encoding="utf-8"), diagram).encode("utf-8"))
    print(f"updated the diagram in {readme}")
    return 0
