"""validate.report"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from rightsgraph.core.namespaces import RG, bind_prefixes

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
    # sh:resultPath as SHACL defines it: the shape's path (a blank node for a complex one, whose
    # triples the report's context holds), or the property a SPARQL constraint or sh:closed gave.
    result_path: Node | None = None


@dataclass
class ValidationReport:
    conforms: bool
    results: list[ValidationResult]
    # Triples describing the blank nodes the results name (complex paths, shapes, data nodes).
    context: Graph = field(repr=False)
    # Which shapes (with targets) each validator evaluated: {"sparql": [...], "pyshacl": [...]}.
    engines: dict[str, list[Node]] = field(default_factory=dict)
    refused: dict[Node, str] = field(default_factory=dict)  # shapes the translation handed on, with why

    def count(self, severity: str) -> int:
        return sum(1 for result in self.results if result.severity == severity)

    @cached_property
    def graph(self) -> Graph:
        """The standard SHACL validation report, built when asked for (--format turtle)."""
        return report_graph(self.results, self.conforms, self.context)

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")


@dataclass
class EngineRun:
    """What one engine found, and on which shapes (the roots: shapes with targets)."""

    engine: str
    results: list[ValidationResult]
    shapes: list[Node]
    context: Graph  # triples describing the blank nodes of the data the results name
    refused: dict[Node, str] = field(default_factory=dict)  # shapes handed to this engine, with why
    shapes_graph: Graph | None = None  # describes the blank shapes and paths the results name


def severity_name(severity: Node | None) -> str:
    """sh:Violation, sh:Warning, sh:Info by name; any other severity IRI whole (SHACL allows them)."""
    if severity is None:
        return "Violation"
    text = str(severity)
    return text[len(str(SH)):] if text.startswith(str(SH)) else text


def copy_descriptions(into: Graph, source: Graph, nodes: Iterable[Node]) -> None:
    """The triples of each blank node, and of the blank nodes they lead to, copied into `into`:
    a blank node in a report means nothing without them (a complex path, a nested shape)."""
    seen: set[Node] = set()
    todo = [n for n in nodes if isinstance(n, BNode)]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for prop, value in source.predicate_objects(node):
            into.add((node, prop, value))
            if isinstance(value, BNode):
                todo.append(value)


def describe_blanks(context: Graph, data: Graph, results: list[ValidationResult]) -> None:
    copy_descriptions(context, data, (t for r in results for t in (r.focus_node, r.value)))


def report_graph(results: list[ValidationResult], conforms: bool, context: Graph) -> Graph:
    """The standard sh:ValidationReport: one sh:result per result, with focus node, path, value,
    source shape, constraint component, severity and message, and the triples of the blank nodes
    they name (from `context`), so that the report stands on its own."""
    graph = bind_prefixes(Graph())
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    named: list[Node] = []
    for result in results:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, result.focus_node))
        graph.add((node, SH.sourceShape, result.shape))
        graph.add((node, SH.resultSeverity, URIRef(result.severity) if ":" in result.severity
                   else SH[result.severity]))
        if result.constraint is not None:
            graph.add((node, SH.sourceConstraintComponent, result.constraint))
        path = result.result_path if result.result_path is not None else (
            result.path[0] if len(result.path) == 1 else None)
        if path is not None:
            graph.add((node, SH.resultPath, path))
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        graph.add((node, SH.resultMessage, Literal(result.message)))
        named.extend((result.focus_node, result.shape, path, result.value))
    copy_descriptions(graph, context, named)
    return graph


def sort_key(result: ValidationResult) -> tuple:
    return (
        [str(path) for path in result.files] or ["~"],  # resources with no file (the ontology) last
        str(result.focus_label or ""),
        str(result.focus_node),
        SEVERITY_ORDER.get(result.severity, 3),
        result.shape_name or "",
        str(result.value or ""),
    )


def english_name(graph: Graph, node: Node, prop: URIRef) -> str | None:
    values = [v for v in graph.objects(node, prop) if isinstance(v, Literal)]
    english = [v for v in values if (v.language or "en").lower().startswith("en")]
    return str((english or values)[0]) if values else None


def resolve_path(graph: Graph, shapes: Graph, shape: Node, path: Node | None,
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


def files_of(graph: Graph, node: Node, origins: Mapping[URIRef | BNode, list[Path]]) -> list[Path]:
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
    if report.refused:
        lines.append("")
        lines.append(f"Validated by the SPARQL translation ({_plural(len(report.engines.get('sparql', [])), 'shape')}) "
                     f"and pyshacl ({_plural(len(report.refused), 'shape')} the translation cannot evaluate):")
        lines.extend(f"  {_short(names, shape) if isinstance(shape, URIRef) else 'a blank-node shape'}: {why}"
                     for shape, why in sorted(report.refused.items(), key=lambda item: str(item[0])))
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
        # Which validator evaluated which shapes (with targets), and why the translation refused some.
        "engines": {engine: sorted(_term(shape) for shape in shapes) for engine, shapes in report.engines.items()},
        "refused": {_term(shape): why for shape, why in report.refused.items()},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def format_turtle(report: ValidationReport) -> str:
    """The standard SHACL validation report (sh:ValidationReport) in Turtle; which validator
    evaluated which shapes is said in comments, outside the report's triples. Oxigraph writes it:
    rdflib's serialiser writes an ill-typed literal ("none"^^xsd:boolean) as a bare `none`."""
    import pyoxigraph as ox

    from rightsgraph.core.namespaces import PREFIXES
    from rightsgraph.core.terms import XSD

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        if node.language:
            return ox.Literal(str(node), language=node.language)
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD + "string")))

    comments = "".join(f"# validated by {engine}: {len(shapes)} shapes\n" for engine, shapes in report.engines.items())
    comments += "".join(f"# handed to pyshacl: {_term(shape)}: {' '.join(why.split())}\n"
                        for shape, why in report.refused.items())
    triples = [ox.Triple(term(s), term(p), term(o)) for s, p, o in sorted(report.graph)]
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()} | {"sh": str(SH)}
    return comments + ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


FORMATTERS = {"text": format_text, "json": format_json, "turtle": format_turtle}
