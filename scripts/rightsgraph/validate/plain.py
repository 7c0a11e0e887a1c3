"""`rightsgraph validate --plain`: any data against any shapes, as a SHACL validator would.

Nothing is derived or merged: the data graph is the data files, the shapes graph the shapes
files. A file named as both (as the W3C test suite does) is parsed once and is both, so its blank
nodes are the same nodes in each graph.

Literals are kept as the data writes them, as the project's loader keeps them: Oxigraph's store
would rewrite "4.0"^^xsd:decimal as "4", "01"^^xsd:integer as "1" and "300"^^xsd:byte as an
xsd:integer, turning two distinct RDF terms into one and reporting values the data does not hold;
so each literal it would change is stored under terms.PRIVATE (terms.changed_by_store), which
the translation decodes where a value is compared (translation._value). Ill-typed literals
("300"^^xsd:byte) are data like any other here: they fail sh:datatype rather than stop the load.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from rightsgraph.core.store import LazyOrigins, StoreData
from rightsgraph.core.terms import changed_by_store, private_datatypes, store_term, to_rdflib
from rightsgraph.core.turtle import parse_quads, quiet_rdflib, read_text, turtle_files
from rightsgraph.validate.report import ValidationReport
from rightsgraph.validate.validator import DEFAULT_VALIDATOR, validate


def load_plain(data_paths: Iterable[Path], shapes_paths: Iterable[Path]) -> tuple[StoreData, Graph]:
    """The data files in a store (literals as written), and the shapes files as an rdflib graph."""
    data_files, shapes_files = turtle_files(data_paths), turtle_files(shapes_paths)
    parsed = {path.resolve(): parse_quads(path, read_text(path)) for path in dict.fromkeys(data_files + shapes_files)}
    data_quads = [quad for path in dict.fromkeys(p.resolve() for p in data_files) for quad in parsed[path]]
    changed = changed_by_store({q.object for q in data_quads if isinstance(q.object, ox.Literal)})
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, store_term(q.object, changed), q.graph_name) for q in data_quads)
    shapes = Graph()
    for path in dict.fromkeys(p.resolve() for p in shapes_files):
        shapes.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), shapes) for q in parsed[path])
    return StoreData(store, data_files, LazyOrigins(data_files, store), Graph(),
                     private=private_datatypes(changed)), shapes


def validate_plain(data_paths: Iterable[Path], shapes_paths: Iterable[Path],
                   validator: str = DEFAULT_VALIDATOR) -> ValidationReport:
    """SHACL validation of the data files against the shapes files, read as SHACL reads it: every
    result as often as SHACL produces it, and the data conforms only if there is none."""
    with quiet_rdflib():  # an ill-typed literal is data here, not something for rdflib to log
        data, shapes = load_plain(data_paths, shapes_paths)
        return validate(data, shapes, None, validator, plain=True)
