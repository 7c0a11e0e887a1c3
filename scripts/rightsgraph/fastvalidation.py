"""The fast validator's results as validation.py's ValidationReport, read the same way.

fastshacl.evaluate gives results with store terms; here they become the same ValidationResult
objects the pyshacl path builds (labels, the property of an alternative path, the files to fix),
from a small rdflib graph of just what those need, and the standard SHACL report graph.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from .fastshacl import CompiledShapes, compile_shapes, evaluate
from .namespaces import RG, bind_prefixes
from .oxstore import StoreData, to_rdflib
from .validation import (
    ValidationReport,
    ValidationResult,
    _english,
    _files_of,
    _resolve_path,
    _sort_key,
    describe,
)

_CONTEXT_IN = (RG.quote, RG.states, RG.subject)


def _context(store: ox.Store, nodes: set) -> Graph:
    """The triples describe(), _resolve_path() and _files_of() look at, for the given nodes."""
    graph = bind_prefixes(Graph())
    blanks = set()
    for node in nodes:
        if not isinstance(node, (ox.NamedNode, ox.BlankNode)):
            continue
        for quad in store.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
            if isinstance(quad.object, ox.BlankNode):
                blanks.add(quad.object)
        for prop in _CONTEXT_IN:
            for quad in store.quads_for_pattern(None, ox.NamedNode(str(prop)), node, ox.DefaultGraph()):
                graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    for blank in blanks:
        for quad in store.quads_for_pattern(blank, None, None, ox.DefaultGraph()):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def _report_graph(results: list[ValidationResult], conforms: bool) -> Graph:
    """The standard sh:ValidationReport, as pyshacl writes it, for format_turtle."""
    graph = bind_prefixes(Graph())
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    for result in results:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, result.focus_node))
        graph.add((node, SH.sourceShape, result.shape))
        graph.add((node, SH.resultSeverity, SH[result.severity]))
        if result.constraint is not None:
            graph.add((node, SH.sourceConstraintComponent, result.constraint))
        if len(result.path) == 1:
            graph.add((node, SH.resultPath, result.path[0]))
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        graph.add((node, SH.resultMessage, Literal(result.message)))
    return graph


def validate_store(data: StoreData, shapes: Graph, compiled: CompiledShapes | None = None) -> ValidationReport:
    """Validate the store (data and ontology, derived) against the shapes, as validation.validate does."""
    for quad in data.not_validated:  # the graph pyshacl would see: data and part of the ontology
        data.store.remove(quad)
    try:
        raw = evaluate(data.store, compiled or compile_shapes(shapes))
    finally:
        data.store.extend(data.not_validated)
    focus = {r.focus for r in raw}
    context = _context(data.store, focus)
    data.origins.prefetch([to_rdflib(f) for f in focus] + list(context.subjects(RG.subject, None)))
    results = set()
    for item in raw:
        focus_node = to_rdflib(item.focus)
        value = to_rdflib(item.value)
        path = item.path
        if isinstance(path, URIRef):
            resolved = (path,)
        else:
            resolved = _resolve_path(context, shapes, item.shape, path, focus_node, value)
        results.add(ValidationResult(
            focus_node=focus_node,
            focus_label=describe(context, focus_node),
            shape=item.shape,
            shape_name=_english(shapes, item.shape, SH.name),
            path=resolved,
            value=value,
            severity=str(item.severity).rsplit("#", 1)[-1],
            message=" ".join(sorted(item.messages)),
            files=tuple(_files_of(context, focus_node, data.origins)),
            constraint=item.component,
        ))
    ordered = sorted(results, key=_sort_key)
    conforms = not any(r.severity == "Violation" for r in ordered)
    return ValidationReport(conforms, ordered, _report_graph(ordered, conforms))
