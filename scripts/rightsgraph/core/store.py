"""The graph every command works on: the Turtle files parsed by Oxigraph into one in-memory
store, derived there (core/derive.py), and written out from it (core/writing.py).

Why each step is as it is:

- Parsing: Oxigraph's parser is an order of magnitude faster than rdflib's and as strict about
  syntax and IRIs (stricter about language tags, which must be well-formed BCP 47). On a syntax
  error the file is handed to rdflib's reader (turtle.read_with_rdflib), whose message gives the
  line. Ill-typed literals ("2025-13-45"^^xsd:date) and over-long ones are refused per file.
- Literals as written: the store keeps numbers, booleans, dates and durations as values, so it
  would give back "4.0"^^xsd:decimal as "4", "01"^^xsd:integer as "1" and "39"^^xsd:long as
  "39"^^xsd:integer. Each literal it would change (found by asking a scratch store, not by
  guessing its rules: changed_by_store) is stored under a private datatype
  (urn:x-rightsgraph:xsd:decimal) with its lexical form as written, and turned back on every way
  out: query rows and validation values (to_rdflib), the files (canonical_ntriples). The input's
  text is never rewritten. Language tags, which Oxigraph lower-cases and RDF compares without
  regard to case, leave in BCP 47's recommended case (bcp47_case).
- Statements that would assert a triple that is not RDF (a literal subject) are refused.
- Writing: blank nodes get content-derived labels (core/blank_labels.py) and lines are written as
  rdflib's N-Triples serialiser writes them, then sorted: the canonical N-Triples that Turtle and
  JSON-LD are written from (core/writing.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import RG
from rightsgraph.core.project import Project
from rightsgraph.core.terms import changed_by_store, private_datatypes, store_term, to_oxigraph, to_rdflib
from rightsgraph.core.turtle import (
    MAX_LITERAL_CHARS,
    datatype_name,
    graph_of_quads,
    is_ill_typed,
    line_of,
    literal_line,
    parse_quads,
    read_files,
    read_text,
    turtle_files,
    where,
)

pass


class LazyOrigins(Mapping):
    """The files each subject is described in, worked out only when a result needs them.

    The rdflib path records them while parsing; here that would cost a pass over every triple in
    Python, and only the few nodes a validation result names ever need it.
    """

    def __init__(self, files: list[Path], store: ox.Store) -> None:
        self.files = files
        self.store = store
        self._known: dict[Node, list[Path]] = {}
        self._asked: set[Node] = set()

    def _resolve(self, nodes: Iterable[Node]) -> None:
        nodes = [n for n in nodes if n not in self._asked]
        blanks = [n for n in nodes if isinstance(n, BNode)]
        holders: dict[Node, list[Node]] = {}
        for blank in blanks:  # a blank node is described in the file of the node that holds it
            holders[blank] = [h for q in self.store.quads_for_pattern(None, None, ox.BlankNode(str(blank)))
                              if isinstance(h := to_rdflib(q.subject), URIRef)]
        wanted = {str(n) for n in nodes if isinstance(n, URIRef)}
        wanted |= {str(h) for found in holders.values() for h in found if h not in self._asked}
        self._asked.update(nodes)
        if wanted:
            for path in self.files:
                seen = {q.subject.value for q in parse_quads(path, read_text(path))
                        if isinstance(q.subject, ox.NamedNode) and q.subject.value in wanted}
                for iri in seen:
                    self._known.setdefault(URIRef(iri), []).append(path)
            self._asked.update(URIRef(iri) for iri in wanted)
        for blank, found in holders.items():
            files: list[Path] = []
            for holder in found:
                files.extend(f for f in self._known.get(holder, []) if f not in files)
            if files:
                self._known[blank] = files

    def prefetch(self, nodes: Iterable[Node]) -> None:
        self._resolve(list(nodes))

    def __getitem__(self, node: Node) -> list[Path]:
        if node not in self._asked:
            self._resolve([node])
        return self._known[node]

    def get(self, node: Node, default=None):  # Mapping.get, without the KeyError round trip
        try:
            return self[node]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[Node]:
        return iter(self._known)

    def __len__(self) -> int:
        return len(self._known)


@dataclass
class StoreData:
    """The merged, derived graph in an Oxigraph store, and where it came from."""

    store: ox.Store
    files: list[Path]
    origins: LazyOrigins
    ontology: Graph = field(repr=False)
    # Ontology triples the validator does not see (store.ontology_for_validation leaves them
    # out of the validated graph); taken out of the store while the shapes are evaluated.
    not_validated: list[ox.Quad] = field(default_factory=list, repr=False)
    # The XSD datatypes (local names) of the literals the store holds under the private namespace
    # (see changed_by_store): SPARQL's comparisons and arithmetic would not see their values.
    private: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return len(self.store)


def _check_literals(path: Path, text: str, literals: set[ox.Literal]) -> None:
    """Reject ill-typed and over-long literals, naming the file and line."""
    for literal in literals:
        if len(literal.value) > MAX_LITERAL_CHARS:
            raise InputError(f"{where(path, line_of(text, literal.value[:40]))}: a literal of "
                             f"{len(literal.value):,} characters is longer than the {MAX_LITERAL_CHARS:,} allowed")
        if literal.language is None and is_ill_typed(literal.value, literal.datatype.value):
            raise InputError(f'{where(path, literal_line(text, literal.value))}: "{literal.value}" is not a valid '
                             f"{datatype_name(literal.datatype.value)} value")


_MALFORMED_STATEMENTS = f"""
SELECT ?statement ?s ?p WHERE {{
  ?claim <{RG.states}> ?statement .
  OPTIONAL {{ ?statement <{RG.subject}> ?s }}
  OPTIONAL {{ ?statement <{RG.predicate}> ?p }}
  FILTER(isLiteral(?s) || (BOUND(?p) && !isIRI(?p)))
}} LIMIT 1"""


def _check_statements(store: ox.Store, origins: LazyOrigins) -> None:
    """A statement asserts its triple: a literal subject or a predicate that is not an IRI would be
    a triple that is not RDF. Refused here, so that no path writes it or leaves it out silently."""
    for statement, subject, predicate in store.query(_MALFORMED_STATEMENTS):
        wrong, role = (subject, "subject") if isinstance(subject, ox.Literal) else (predicate, "predicate")
        holder = next((q.subject for q in store.quads_for_pattern(None, ox.NamedNode(str(RG.states)), statement)),
                      statement)
        files = origins.get(to_rdflib(holder)) or origins.files
        line = line_of(read_text(files[0]), f'"{wrong.value}"' if isinstance(wrong, ox.Literal) else str(wrong))
        raise InputError(f"{where(files[0], line)}: a statement of <{holder.value}> has {wrong} as its rg:{role}; "
                         f"the {role} of a triple must be an IRI{' or a blank node' if role == 'subject' else ''}")


def load_files(files: Iterable[Path], ontology: Graph | None = None,
               timings: dict[str, float] | None = None) -> StoreData:
    """Parse the Turtle files (and add the derived ontology, if given) into one store, and derive.

    This is the one loader: every command reads its input here. `timings`, if given, receives the
    seconds spent parsing and deriving (for the benchmark).
    """
    from rightsgraph.core.derive import derive_store
    pass

    clock = time.perf_counter()
    paths = turtle_files(files)
    parsed_files: list[list[ox.Quad]] = []
    literals: set[ox.Literal] = set()
    for path in paths:
        text = read_text(path)
        quads = parse_quads(path, text)
        found = {q.object for q in quads if isinstance(q.object, ox.Literal)}
        _check_literals(path, text, found)
        literals |= found
        parsed_files.append(quads)
    changed = changed_by_store(literals)
    store = ox.Store()
    for quads in parsed_files:
        if changed:
            quads = [ox.Quad(q.subject, q.predicate, store_term(q.object, changed)) for q in quads]
        store.extend(quads)
    del parsed_files
    origins = LazyOrigins(paths, store)
    _check_statements(store, origins)
    parsed = time.perf_counter()
    derive_store(store)
    excluded: list[ox.Quad] = []
    if ontology is not None:
        kept = set(ontology_for_validation(ontology))
        for triple in ontology:
            quad = ox.Quad(*(to_oxigraph(t) for t in triple))
            if triple not in kept and quad not in store:
                excluded.append(quad)
            store.add(quad)
    if timings is not None:
        timings["parse"] = parsed - clock
        timings["merge"] = time.perf_counter() - parsed
    return StoreData(store, paths, origins, ontology if ontology is not None else Graph(), excluded,
                     private=private_datatypes(changed))


def store_of(graph: Graph) -> ox.Store:
    """An rdflib graph in a store, literals the store would change held privately (see to_oxigraph)."""
    store = ox.Store()
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
    return store


def graph_of(store: ox.Store) -> Graph:
    """The store as an rdflib Graph, every term exactly as the data writes it (for rdflib's SPARQL,
    pyshacl and the commands that walk the graph in Python)."""
    return graph_of_quads(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


@dataclass
class LoadedData:
    """The data graph, derived, with the files each subject was described in."""

    graph: Graph
    origins: Mapping[URIRef | BNode, list[Path]] = field(default_factory=dict)

    def files_of(self, node: URIRef | BNode) -> list[Path]:
        return self.origins.get(node, [])


def load_ontology(project: Project) -> Graph:
    """The ontology and its controlled lists, with derived labels."""
    pass

    return graph_of(load_files([project.ontology_dir]).store)


def load_data(project: Project, data_paths: Iterable[Path] | None = None) -> LoadedData:
    """The data (data/ unless other files or folders are given), with its claims asserted."""
    pass

    loaded = load_files(list(data_paths) if data_paths else [project.data_dir])
    return LoadedData(graph_of(loaded.store), loaded.origins)


def load_shapes(project: Project) -> Graph:
    graph, _ = read_files([project.shapes_dir])
    return graph


def load_graph(project: Project, data_paths: Iterable[Path] | None = None) -> Graph:
    """Ontology and data merged: the graph that is built, validated, queried and published."""
    pass

    return graph_of(load_store(project, data_paths).store)


def load_store(project: Project, data_paths: Iterable[Path] | None = None,
               timings: dict[str, float] | None = None) -> StoreData:
    """Ontology and data (data/ or the paths given) in one Oxigraph store, derived (see core/terms.py)."""
    pass

    return load_files(list(data_paths) if data_paths else [project.data_dir], load_ontology(project), timings)


# What the shapes read of the ontology besides its controlled lists: declarations, hierarchy,
# domains and ranges. Definitions, notes and the Chinese names of classes and properties are left
# out: the shapes do not use them, and they were half of what every validation walked through.
_SCHEMA_PREDICATES = frozenset({RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range})


def ontology_for_validation(ontology: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of the ontology merged into the data graph to validate it.

    The declarations and the class hierarchy (for sh:class, sh:targetClass and the known-property
    and domain checks), the English labels of classes and properties (for messages), and the
    controlled lists' concepts and schemes whole, since the shapes check them like the data.
    """
    concept_classes = set(ontology.transitive_subjects(RDFS.subClassOf, SKOS.Concept))
    vocabulary = {s for cls in concept_classes | {SKOS.ConceptScheme} for s in ontology.subjects(RDF.type, cls)}
    for s, p, o in ontology:
        if (s in vocabulary or p in _SCHEMA_PREDICATES
                or (p == RDFS.label and isinstance(o, Literal) and (o.language or "").lower() == "en")):
            yield s, p, o
