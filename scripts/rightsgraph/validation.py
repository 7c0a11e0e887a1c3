"""Check the data against the shapes with pyshacl, and report the results for people and machines.

`validate` is the one place that runs pyshacl; the command line, the tests and the benchmark all
call it (or `validate_project`, which loads the project's files first). Its choices, and why:

- What is validated: a copy of the derived data (claims' statements asserted, both Chinese
  scripts, country names) merged with what the shapes read of the ontology
  (`ontology_for_validation`: declarations, class hierarchy, domains, and the controlled lists'
  concepts whole), validated in place. sh:class and sh:targetClass then see rdfs:subClassOf and
  the concepts (crime:forced-repatriation a rg:CrimeType). pyshacl's own `ont_graph` mixing copies
  RDFS/OWL axioms but not the concepts, so sh:class rg:CrimeType would fail on every crime type;
  and it copies the data graph too, so merging here costs nothing more.
- inference="none": RDFS inference would type every subject of rg:crimeType as a crime (from
  rdfs:domain) and every object of rg:perpetrator as an agent (from rdfs:range), so the checks of
  classes would pass on exactly the data they exist to catch; it is also the slowest step. SHACL
  follows rdfs:subClassOf by itself, and the hierarchy is all the shapes need.
- advanced=True: the shapes that must reach every resource, including one written with no class,
  use SPARQL-based targets (SHACL Advanced Features); no Core target can. No SHACL rules or
  functions are used, so nothing is added to the graph.
- allow_warnings=True: sh:Warning results are reported but do not make the data fail.
- meta_shacl=False: the shapes are checked against SHACL's own shapes once, in the tests, not on
  every run.
- SPARQL texts are parsed once per process (`_PreparedQueryGraph`): pyshacl runs a SPARQL
  constraint once per focus node, and rdflib's parsing, not the evaluation, was most of the time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from .errors import InputError
from .loading import LoadedData, load_data, load_ontology, load_shapes, load_store
from .namespaces import RG, bind_prefixes
from .project import Project

if TYPE_CHECKING:
    from .oxstore import StoreData

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
# Labels are shown in this order of preference: people are known by their Chinese names.
_LABEL_LANGUAGES = ("en", "zh-hans", "zh-hant")
_MAX_SHOWN = 80


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with what a reader needs to find and fix it."""

    focus_node: URIRef | BNode
    focus_label: str | None
    shape: URIRef | BNode
    shape_name: str | None
    # The property the result is about; several when an alternative path could not be resolved
    # to the one that holds the value (a missing value on "rg:translates or rg:translationResult").
    path: tuple[URIRef, ...]
    value: Node | None
    severity: str
    message: str
    files: tuple[Path, ...]
    constraint: URIRef | None = None


@dataclass
class ValidationReport:
    conforms: bool
    results: list[ValidationResult]
    graph: Graph = field(repr=False)  # the standard SHACL validation report

    def count(self, severity: str) -> int:
        return sum(1 for result in self.results if result.severity == severity)

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")


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


def validate(data: LoadedData | StoreData, shapes: Graph, ontology: Graph) -> ValidationReport:
    """Validate the derived data, with the ontology merged in, against the shapes.

    Data loaded by the rdflib loader (LoadedData) is validated by pyshacl, the reference; data
    loaded into Oxigraph by the fast path (loading.load_store) by the shapes translated to SPARQL
    (fastvalidation.py), whose results the benchmark and tests/test_fast_path.py check against
    pyshacl's. pyshacl is imported only when used: it takes a second to import.
    """
    if not isinstance(data, LoadedData):
        from .fastvalidation import validate_store

        return validate_store(data, shapes)
    import pyshacl

    graph = bind_prefixes(_PreparedQueryGraph())  # prefixes for the names in messages and reports
    graph += data.graph
    graph.addN((s, p, o, graph) for s, p, o in ontology_for_validation(ontology))
    conforms, report_graph, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        ont_graph=None,  # merged above: see the module's docstring
        inference="none",
        advanced=True,
        inplace=True,  # `graph` is our own copy
        allow_warnings=True,
        allow_infos=True,
        meta_shacl=False,
        js=False,
    )
    if not isinstance(report_graph, Graph):  # pyshacl's ValidationFailure: the shapes are broken
        raise InputError(f"the shapes cannot be used: {report_graph}")
    bind_prefixes(report_graph)
    results = sorted(set(_read_results(report_graph, graph, shapes, data.origins)), key=_sort_key)
    return ValidationReport(bool(conforms), results, report_graph)


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


def validate_project(project: Project, data_paths: Iterable[Path] | None = None,
                     validator: str = "pyshacl") -> ValidationReport:
    """Load the project's ontology, shapes and data (or the files given) and validate them.

    validator: "pyshacl" (the reference, rdflib loader) or "sparql" (the fast path: Oxigraph).
    """
    if validator == "sparql":
        return validate(load_store(project, data_paths), load_shapes(project), load_ontology(project))
    return validate(load_data(project, data_paths), load_shapes(project), load_ontology(project))


# ---------------------------------------------------------------------------
# Reading pyshacl's report
# ---------------------------------------------------------------------------


def _read_results(report: Graph, graph: Graph, shapes: Graph,
                  origins: Mapping[URIRef | BNode, list[Path]]) -> Iterator[ValidationResult]:
    for result in report.subjects(RDF.type, SH.ValidationResult):
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
            shape_name=_english(shapes, shape, SH.name),
            path=_resolve_path(graph, shapes, shape, report.value(result, SH.resultPath), focus, value),
            value=value,
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            message=" ".join(messages),
            files=tuple(_files_of(graph, focus, origins)),
            constraint=component if isinstance(component, URIRef) else None,
        )


def _sort_key(result: ValidationResult) -> tuple:
    return (
        [str(path) for path in result.files] or ["~"],  # resources with no file (the ontology) last
        str(result.focus_label or ""),
        str(result.focus_node),
        SEVERITY_ORDER.get(result.severity, 3),
        result.shape_name or "",
        str(result.value or ""),
    )


def _english(graph: Graph, node: Node, prop: URIRef) -> str | None:
    values = [v for v in graph.objects(node, prop) if isinstance(v, Literal)]
    english = [v for v in values if (v.language or "en").lower().startswith("en")]
    return str((english or values)[0]) if values else None


def _resolve_path(graph: Graph, shapes: Graph, shape: Node, path: Node | None,
                  focus: Node, value: Node | None) -> tuple[URIRef, ...]:
    """The property of the result: for an alternative path, the one that holds the value."""
    if isinstance(path, URIRef):
        return (path,)
    shape_path = shapes.value(shape, SH.path)
    alternatives = shapes.value(shape_path, SH.alternativePath) if isinstance(shape_path, BNode) else None
    if alternatives is None:
        return ()
    candidates = tuple(p for p in Collection(shapes, alternatives) if isinstance(p, URIRef))
    if value is not None:
        holding = tuple(p for p in candidates if (focus, p, value) in graph)
        if holding:
            return holding
    return candidates


def _files_of(graph: Graph, node: Node, origins: Mapping[URIRef | BNode, list[Path]]) -> list[Path]:
    """The files that describe the node, or else those of the claims that state things about it."""
    files = list(origins.get(node, []))
    if not files:
        for statement in graph.subjects(RG.subject, node):
            files.extend(f for f in origins.get(statement, []) if f not in files)
    return files


def describe(graph: Graph, node: Node) -> str | None:
    """A name for a node a researcher recognises: its label, or what claim it belongs to."""
    label = _preferred_label(graph, node)
    if label is not None:
        return label
    claim = graph.value(None, RG.quote, node)
    if claim is not None:
        return f"a quote of {_short(graph, claim)}"
    claim = graph.value(None, RG.states, node)
    if claim is not None:
        parts = (graph.value(node, RG.subject), graph.value(node, RG.predicate), graph.value(node, RG.object))
        said = " ".join(_short(graph, part) for part in parts if part is not None)
        return f"a statement of {_short(graph, claim)}: {said}" if said else f"a statement of {_short(graph, claim)}"
    for quote in graph.objects(node, RG.quote):  # a claim: its first words
        words = graph.value(quote, URIRef("http://www.w3.org/ns/oa#exact"))
        if words is not None:
            return _shorten(str(words))
    return None


def _preferred_label(graph: Graph, node: Node) -> str | None:
    labels = [label for label in graph.objects(node, RDFS.label) if isinstance(label, Literal)]
    if not labels:
        return None
    by_language = {(label.language or "").lower(): str(label) for label in labels}
    for language in _LABEL_LANGUAGES:
        if language in by_language:
            return by_language[language]
    return str(sorted(labels)[0])


def _short(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # rdflib raises assorted errors on IRIs it cannot shorten
            return f"<{node}>"
    if isinstance(node, Literal):
        text = node.n3(graph.namespace_manager)
        return _shorten(text)
    return f"_:{node}"


def _shorten(text: str) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------


def _display_path(path: Path) -> str:
    """A file as the user would type it: relative to the current folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def format_text(report: ValidationReport) -> str:
    """Results grouped by resource, in words a researcher can act on."""
    names = bind_prefixes(Graph())
    focus_count = len({result.focus_node for result in report.results})
    counts = f"{_plural(report.violations, 'violation')} and {_plural(report.warnings, 'warning')}"
    if report.conforms:
        head = "The data conforms to the shapes"
        head += f" ({counts} on {_plural(focus_count, 'resource')})." if report.results else "."
    else:
        head = f"The data does not conform to the shapes: {counts} on {_plural(focus_count, 'resource')}."
    lines = [head]
    current: Node | None = None
    for result in report.results:
        if result.focus_node != current:
            current = result.focus_node
            lines.append("")
            if isinstance(result.focus_node, BNode):  # its generated name would mean nothing
                lines.append(f"[{_shorten(result.focus_label or 'a blank node')}]")
            else:
                label = f'  "{_shorten(result.focus_label)}"' if result.focus_label else ""
                lines.append(f"{_short(names, result.focus_node)}{label}")
            files = ", ".join(_display_path(f) for f in result.files) or "(the ontology or the loader)"
            lines.append(f"  defined in: {files}")
        shape = _short(names, result.shape) if isinstance(result.shape, URIRef) else "a shape"
        lines.append(f"  {result.severity}: {result.shape_name or shape} ({shape})")
        if result.path:
            lines.append("    property: " + " or ".join(_short(names, p) for p in result.path))
        if result.value is not None and result.value != result.focus_node:
            lines.append(f"    value: {_short(names, result.value)}")
        lines.append(f"    {result.message}")
    return "\n".join(lines) + "\n"


def _term(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, URIRef):
        return str(node)
    return node.n3()  # literals in N-Triples form keep their datatype or language


def format_json(report: ValidationReport) -> str:
    """The results as JSON, one object per result, with full IRIs."""
    document = {
        "conforms": report.conforms,
        "violations": report.violations,
        "warnings": report.warnings,
        "results": [
            {
                "focus_node": _term(result.focus_node),
                "focus_label": result.focus_label,
                "files": [str(path) for path in result.files],
                "severity": result.severity,
                "shape": _term(result.shape),
                "shape_name": result.shape_name,
                "path": (str(result.path[0]) if len(result.path) == 1
                         else [str(p) for p in result.path] or None),
                "value": _term(result.value),
                "message": result.message,
                "constraint_component": _term(result.constraint),
            }
            for result in report.results
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def format_turtle(report: ValidationReport) -> str:
    """The standard SHACL validation report (sh:ValidationReport) in Turtle."""
    return report.graph.serialize(format="turtle")


FORMATTERS = {"text": format_text, "json": format_json, "turtle": format_turtle}
