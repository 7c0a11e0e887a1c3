"""The fast validator's side of validator.validate: the data as an Oxigraph store, the shapes
translated to SPARQL (validate/translation.py), and the results as validate/validator.py's ValidationResult objects
(labels, the property of an alternative path, the files to fix), read from a small rdflib graph
of just what those need. Also the other direction: a store as the rdflib graph pyshacl needs.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import RG, bind_prefixes
from rightsgraph.core.sparql import Unsupported
from rightsgraph.core.store import LoadedData, StoreData, ontology_for_validation
from rightsgraph.core.terms import PRIVATE, held_privately, to_oxigraph, to_rdflib
from rightsgraph.validate.report import (
    EngineRun,
    ValidationResult,
    copy_descriptions,
    describe,
    english_name,
    files_of,
    resolve_path,
    severity_name,
)
from rightsgraph.validate.translation import CompiledShapes, evaluate

_CONTEXT_IN = (RG.quote, RG.states, RG.subject)


@dataclass
class StoreToValidate:
    """The store the translation runs on, with the triples it must not see taken out meanwhile."""

    store: ox.Store
    origins: Mapping
    private: Container[str]
    hidden: list[ox.Quad]

    @cached_property
    def _private_properties(self) -> set[str]:
        query = (f'SELECT DISTINCT ?p WHERE {{ ?s ?p ?o FILTER(isLiteral(?o) && '
                 f'STRSTARTS(STR(DATATYPE(?o)), "{PRIVATE}")) }}')
        return {solution["p"].value for solution in self.store.query(query)}

    def private_properties(self) -> set[str]:
        """The properties with a literal under a private datatype among their values: asked only
        for a SPARQL constraint that reads literal values (see translation._observes_private)."""
        return self._private_properties

    @contextmanager
    def visible(self) -> Iterator[ox.Store]:
        for quad in self.hidden:  # the graph pyshacl would see: data and part of the ontology
            self.store.remove(quad)
        try:
            yield self.store
        finally:
            self.store.extend(self.hidden)

    def run(self, shapes: Graph, compiled: CompiledShapes) -> EngineRun:
        with self.visible() as store:
            try:
                raw = evaluate(store, compiled)
            except Unsupported as why:  # a query Oxigraph cannot run: a refusal, never a traceback
                raise InputError(f"the SPARQL translation cannot evaluate the shapes: {why}") from None
        focus = {r.focus for r in raw}
        context = _context(self.store, focus | {r.value for r in raw if isinstance(r.value, ox.BlankNode)})
        if hasattr(self.origins, "prefetch"):
            self.origins.prefetch([to_rdflib(f) for f in focus] + list(context.subjects(RG.subject, None)))
        results = []
        for item in raw:
            focus_node, value = to_rdflib(item.focus), to_rdflib(item.value)
            path = item.path
            resolved = (path,) if isinstance(path, URIRef) else resolve_path(
                context, shapes, item.shape, path, focus_node, value)
            results.append(ValidationResult(
                focus_node=focus_node,
                focus_label=describe(context, focus_node),
                shape=item.shape,
                shape_name=english_name(shapes, item.shape, SH.name),
                path=resolved,
                value=value,
                severity=severity_name(item.severity),
                message=" ".join(sorted(item.messages)),
                files=tuple(files_of(context, focus_node, self.origins)),
                constraint=item.component,
                result_path=path,
            ))
        described = Graph()  # shapes and paths are described by the shapes graph, data nodes here
        copy_descriptions(described, context, (t for r in results for t in (r.focus_node, r.value)))
        return EngineRun("sparql", results, compiled.roots, described, shapes_graph=shapes)


def store_of(data: LoadedData | StoreData, ontology: Graph | None) -> StoreToValidate:
    """The data as a store for the translation: StoreData as it is, LoadedData copied (with the
    ontology's triples the shapes read, as validator.validate merges them for pyshacl)."""
    if isinstance(data, StoreData):
        return StoreToValidate(data.store, data.origins, data.private, data.not_validated)
    store = ox.Store()
    triples = list(data.graph)
    if ontology is not None:
        triples.extend(ontology_for_validation(ontology))
    store.extend(ox.Quad(*(to_oxigraph(t) for t in triple)) for triple in triples)
    return StoreToValidate(store, data.origins, held_privately(store), [])


def graph_of(data: LoadedData | StoreData, ontology: Graph | None, into: Graph) -> Mapping:
    """Fill `into` with the graph pyshacl validates; return the files each subject came from."""
    if isinstance(data, LoadedData):
        into += data.graph
        if ontology is not None:
            into.addN((s, p, o, into) for s, p, o in ontology_for_validation(ontology))
        return data.origins
    hidden = set(data.not_validated)
    into.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), into)
              for q in data.store.quads_for_pattern(None, None, None, ox.DefaultGraph()) if q not in hidden)
    return data.origins


def _context(store: ox.Store, nodes: set) -> Graph:
    """The triples describe(), resolve_path() and files_of() look at, for the given nodes, and
    those of the blank nodes they lead to (for the report)."""
    graph = bind_prefixes(Graph())
    blanks = set()

    def add(quad: ox.Quad) -> None:
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))

    for node in nodes:
        if not isinstance(node, (ox.NamedNode, ox.BlankNode)):
            continue
        for quad in store.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            add(quad)
            if isinstance(quad.object, ox.BlankNode):
                blanks.add(quad.object)
        for prop in _CONTEXT_IN:
            for quad in store.quads_for_pattern(None, ox.NamedNode(str(prop)), node, ox.DefaultGraph()):
                add(quad)
    seen: set = set()
    while blanks:
        blank = blanks.pop()
        seen.add(blank)
        for quad in store.quads_for_pattern(blank, None, None, ox.DefaultGraph()):
            add(quad)
            if isinstance(quad.object, ox.BlankNode) and quad.object not in seen:
                blanks.add(quad.object)
    return graph

