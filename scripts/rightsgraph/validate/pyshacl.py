"""validate.pyshacl"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import bind_prefixes
from rightsgraph.core.store import LoadedData, StoreData
from rightsgraph.validate.report import (
    EngineRun,
    ValidationResult,
    copy_descriptions,
    describe,
    describe_blanks,
    english_name,
    files_of,
    resolve_path,
    severity_name,
)
from rightsgraph.validate.translation import CompiledShapes


@lru_cache(maxsize=256)
def _prepare(text: str, namespaces: tuple[tuple[str, str], ...]) -> Query:
    return prepareQuery(text, initNs=dict(namespaces))


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once, for all validations of a process.

    pyshacl runs a SPARQL-based constraint once per focus node, passing the same text each time,
    and rdflib's parser takes about 0.1 s a query: parsing, not evaluating, was most of the time
    validation took. Evaluation is unchanged (a prepared query with the same bindings).
    """

    def query(self, query_object: str | Query, *args: Any, **kwargs: Any) -> Result:  # type: ignore[override]
        if isinstance(query_object, str):
            namespaces = tuple(sorted((prefix, str(ns)) for prefix, ns in self.namespaces()))
            query_object = _prepare(query_object, namespaces)
        return super().query(query_object, *args, **kwargs)


def run_pyshacl(data: LoadedData | StoreData, shapes: Graph, ontology: Graph | None,
             compiled: CompiledShapes | None) -> EngineRun:
    """pyshacl on every shape, or (given what the translation compiled) on the roots it refused."""
    import pyshacl

    from rightsgraph.validate.sparql import graph_of
    from rightsgraph.validate.translation import shape_roots

    graph = bind_prefixes(_PreparedQueryGraph())  # prefixes for the names in messages and reports
    origins = graph_of(data, ontology, graph)
    used = shapes
    if compiled is not None:  # the translated roots lose their targets: pyshacl skips them
        used = Graph()
        used += shapes
        for root in compiled.roots:
            for prop in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target):
                used.remove((root, prop, None))
            used.remove((root, RDF.type, RDFS.Class))
            used.remove((root, RDF.type, OWL.Class))
    try:
        _, report_graph_, _ = pyshacl.validate(
            graph,
            shacl_graph=used,
            ont_graph=None,  # merged above: see the module's docstring
            inference="none",
            advanced=True,
            inplace=True,  # `graph` is our own copy
            allow_warnings=True,
            allow_infos=True,
            meta_shacl=False,
            js=False,
        )
    except Exception as error:  # pyshacl raises assorted types for shapes it cannot use
        raise InputError(f"pyshacl cannot use the shapes: {str(error).strip().splitlines()[0]}") from None
    if not isinstance(report_graph_, Graph):  # pyshacl's ValidationFailure: the shapes are broken
        raise InputError(f"the shapes cannot be used: {report_graph_}")
    bind_prefixes(report_graph_)
    results = list(_read_results(report_graph_, graph, shapes, origins))
    context = Graph()
    # A complex path is described by the shapes graph; pyshacl's report copies it in part under
    # the same blank node, so its copy is read only for a path the shapes graph does not describe.
    copy_descriptions(context, report_graph_, (r.result_path for r in results
                                               if (r.result_path, None, None) not in shapes))
    describe_blanks(context, graph, results)
    roots = list(compiled.refused) if compiled is not None else shape_roots(shapes)
    return EngineRun("pyshacl", results, roots, context, dict(compiled.refused) if compiled else {}, shapes)


def _read_results(report: Graph, graph: Graph, shapes: Graph,
                  origins: Mapping[URIRef | BNode, list[Path]]) -> Iterator[ValidationResult]:
    """The report's results: the sh:result of the sh:ValidationReport only, not the results
    pyshacl nests under them as sh:detail (of sh:node, for example), which are not results."""
    results = [r for node in report.subjects(RDF.type, SH.ValidationReport) for r in report.objects(node, SH.result)]
    for result in results:
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        component = report.value(result, SH.sourceConstraintComponent)
        yield ValidationResult(
            focus_node=focus,
            focus_label=describe(graph, focus),
            shape=shape,
            shape_name=english_name(shapes, shape, SH.name),
            path=resolve_path(graph, shapes, shape, report.value(result, SH.resultPath), focus, value),
            value=value,
            severity=severity_name(severity),
            message=" ".join(messages),
            files=tuple(files_of(graph, focus, origins)),
            constraint=component if isinstance(component, URIRef) else None,
            result_path=report.value(result, SH.resultPath),
        )
