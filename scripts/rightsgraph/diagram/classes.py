"""A Mermaid class diagram of the ontology, generated from the ontology itself."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import RG

START, END = "<!-- diagram:start -->", "<!-- diagram:end -->"


def _name(node: URIRef) -> str:
    return str(node).removeprefix(str(RG))


def _ours(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(RG))


def mermaid_class_diagram(ontology: Graph) -> str:
    """Our classes with their subclass links, and object properties whose domain and range are ours."""
    classes = sorted(c for c in ontology.subjects(RDF.type, OWL.Class) if _ours(c))
    lines = ["```mermaid", "classDiagram"]
    lines += [f"    class {_name(c)}" for c in classes]
    for child in classes:
        for parent in sorted(ontology.objects(child, RDFS.subClassOf)):
            if _ours(parent):
                lines.append(f"    {_name(parent)} <|-- {_name(child)}")
    for prop in sorted(ontology.subjects(RDF.type, OWL.ObjectProperty)):
        domain, range_ = ontology.value(prop, RDFS.domain), ontology.value(prop, RDFS.range)
        if _ours(prop) and _ours(domain) and _ours(range_):
            lines.append(f"    {_name(domain)} --> {_name(range_)} : {_name(prop)}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def replace_block(document: str, diagram: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(document):
        raise InputError(f"the document has no {START} ... {END} block")
    return pattern.sub(lambda _: f"{START}\n{diagram}{END}", document)


def current_block(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    match = re.search(re.escape(START) + "\n(.*?)" + re.escape(END), text, re.DOTALL)
    return match.group(1) if match else ""
