"""`rightsgraph validate --plain`: any data against any shapes, as a SHACL validator would.

Nothing is derived or merged: the data graph is the data files, the shapes graph the shapes
files. A file named as both (as the W3C test suite does) is parsed once and is both, so its blank
nodes are the same nodes in each graph.

Literals are kept as the data writes them. Oxigraph's store would rewrite "4.0"^^xsd:decimal as
"4", "01"^^xsd:integer as "1" and xsd:byte as xsd:integer, turning two distinct RDF terms into
one and reporting values the data does not hold; so every literal of an XSD datatype but
xsd:string is stored under oxstore.PRIVATE, which the translation decodes where a value is
compared (fastshacl._value). Ill-typed literals ("300"^^xsd:byte) are data like any other here:
they fail sh:datatype rather than stop the load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .errors import InputError
from .fastshacl import AllXsd
from .fastvalidation import exact
from .loading import _quiet_rdflib, read_text, turtle_files
from .oxstore import PRIVATE, XSD, LazyOrigins, StoreData
from .validation import DEFAULT_VALIDATOR, ValidationReport, validate


@dataclass
class PlainData(StoreData):
    """Data in a store with every XSD literal but strings under a private datatype."""

    private: AllXsd = field(default_factory=AllXsd)


def _parse(path: Path) -> list[ox.Quad]:
    text = read_text(path)
    try:
        return list(ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.TURTLE,
                             base_iri=path.resolve().as_uri()))
    except SyntaxError as error:
        raise InputError(f"{path}: cannot be parsed as Turtle: {error}") from None


def _private(quad: ox.Quad) -> ox.Quad:
    value = quad.object
    if isinstance(value, ox.Literal) and not value.language:
        datatype = value.datatype.value
        if datatype.startswith(XSD) and datatype != XSD + "string":
            value = ox.Literal(value.value, datatype=ox.NamedNode(PRIVATE + datatype[len(XSD):]))
            return ox.Quad(quad.subject, quad.predicate, value, quad.graph_name)
    return quad


def load_plain(data_paths: Iterable[Path], shapes_paths: Iterable[Path]) -> tuple[PlainData, Graph]:
    """The data files in a store (literals as written), and the shapes files as an rdflib graph."""
    data_files, shapes_files = turtle_files(data_paths), turtle_files(shapes_paths)
    parsed = {path.resolve(): _parse(path) for path in dict.fromkeys(data_files + shapes_files)}
    store = ox.Store()
    for path in dict.fromkeys(p.resolve() for p in data_files):
        store.extend(_private(quad) for quad in parsed[path])
    shapes = Graph()
    for path in dict.fromkeys(p.resolve() for p in shapes_files):
        shapes.addN((exact(q.subject), exact(q.predicate), exact(q.object), shapes) for q in parsed[path])
    return PlainData(store, data_files, LazyOrigins(data_files, store), Graph()), shapes


def validate_plain(data_paths: Iterable[Path], shapes_paths: Iterable[Path],
                   validator: str = DEFAULT_VALIDATOR) -> ValidationReport:
    """SHACL validation of the data files against the shapes files, read as SHACL reads it: every
    result as often as SHACL produces it, and the data conforms only if there is none."""
    with _quiet_rdflib():  # an ill-typed literal is data here, not something for rdflib to log
        data, shapes = load_plain(data_paths, shapes_paths)
        return validate(data, shapes, None, validator, plain=True)
