"""The evidence against the source files: the checks SHACL cannot make, as results like the shapes'.

Three checks, each a violation naming what to fix:
- rgsh:SourceFileCheck: every source document's file (rg:fileName) is in the sources folder;
- rgsh:SourceChecksumCheck: the file's SHA-256 is the one recorded (rg:sha256): the offsets
  count characters of exactly that file;
- rgsh:QuoteOffsetsCheck: every quote (oa:exact) is the text of its source file between its
  oa:start and oa:end; the message gives the data file and line of the claim, what the file has
  there, and where the quote is (or the closest passage, and what differs).

A quote without offsets, or a document without a file name, is the shapes' to report; these
checks only read what is there. They run in `validate` and `run` as one more engine of the report
("evidence"), and tests/sources/test_data.py runs them on the project's data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV

from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import OA, RG, RGSH, bind_prefixes
from rightsgraph.core.sources import decode_source, not_found, occurrences, sha256_of, shown
from rightsgraph.core.store import LoadedData, StoreData
from rightsgraph.core.terms import to_rdflib
from rightsgraph.core.turtle import read_text
from rightsgraph.validate.report import EngineRun, ValidationResult, describe, files_of

ENGINE = "evidence"
# The checks, named in the rgsh namespace like shapes (docs/validation.md describes them).
FILE_CHECK = RGSH.SourceFileCheck
CHECKSUM_CHECK = RGSH.SourceChecksumCheck
QUOTE_CHECK = RGSH.QuoteOffsetsCheck
CONSTRAINT = RGSH.EvidenceConstraintComponent
CHECK_NAMES = {FILE_CHECK: "Source file present", CHECKSUM_CHECK: "Checksum of the source file",
               QUOTE_CHECK: "Quote at its offsets"}

_QUOTES = f"""
SELECT ?claim ?source ?exact ?start ?end WHERE {{
  ?claim <{RG.quote}> ?quote ; <{PROV.wasDerivedFrom}> ?source .
  ?quote <{OA.exact}> ?exact ; <{OA.start}> ?start ; <{OA.end}> ?end .
}}"""


@dataclass
class _Source:
    file: Path
    text: str | None  # None when the file is missing, unreadable or not what was recorded


_FILES = f"""
SELECT ?source ?name ?sha256 WHERE {{
  ?source <{RG.fileName}> ?name . OPTIONAL {{ ?source <{RG.sha256}> ?sha256 }}
}}"""


def _select(data: LoadedData | StoreData, query: str) -> list[tuple]:
    """A query's rows as rdflib terms, from the store itself when there is one: the checks read a
    few properties, and a copy of a large store as an rdflib graph would cost more than them."""
    if isinstance(data, LoadedData):
        return [tuple(row) for row in data.graph.query(query)]
    return [tuple(to_rdflib(term) for term in solution) for solution in data.store.query(query)]


def _context(data: LoadedData | StoreData, nodes: set[URIRef]) -> Graph:
    """The triples of the nodes a result names, and of the statements about them: what describe()
    and files_of() read."""
    if isinstance(data, LoadedData):
        return data.graph
    graph = Graph()
    for node in nodes:
        subject = ox.NamedNode(str(node))
        for quad in data.store.quads_for_pattern(subject, None, None, ox.DefaultGraph()):
            graph.add((node, to_rdflib(quad.predicate), to_rdflib(quad.object)))
        for quad in data.store.quads_for_pattern(None, ox.NamedNode(str(RG.subject)), subject, ox.DefaultGraph()):
            graph.add((to_rdflib(quad.subject), RG.subject, node))
    return graph


def _line(text: str, node: URIRef) -> int | None:
    """The line where the node is described: its IRI, or its prefixed name, starting a line."""
    local = re.escape(str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    match = re.search(rf"(?m)^(?:<{re.escape(str(node))}>|[\w-]*:{local})(?=[\s;,.])", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


@dataclass
class _Problem:
    node: URIRef
    check: URIRef
    path: URIRef
    value: Literal | None
    message: Callable[[str], str]  # given where the node is written, the message


def check_evidence(data: LoadedData | StoreData, sources_dir: Path) -> EngineRun:
    """The three checks on the data, as a run of the engine "evidence"."""
    problems: list[_Problem] = []
    sources: dict[URIRef, _Source] = {}
    for source, name, recorded in sorted(_select(data, _FILES), key=lambda row: str(row[0])):
        if not isinstance(source, URIRef):
            continue
        path = sources_dir / str(name)
        try:
            raw = path.read_bytes()
        except OSError as error:
            why = "no such file" if isinstance(error, FileNotFoundError) else error.strerror
            problems.append(_Problem(source, FILE_CHECK, RG.fileName, name, lambda where, path=path, why=why: (
                f"{where}: the source file {path} cannot be read ({why}); its quotes cannot be "
                "checked. Put the file in the sources folder (or set RIGHTSGRAPH_SOURCES).")))
            sources[source] = _Source(path, None)
            continue
        digest = sha256_of(raw)
        if recorded is not None and str(recorded) != digest:
            problems.append(_Problem(source, CHECKSUM_CHECK, RG.sha256, recorded, lambda where, path=path,
                                     digest=digest, recorded=recorded: (
                f"{where}: the source file {path} has SHA-256 {digest}, not the {recorded} "
                "recorded: it is another version of the document, and the quotes' offsets count "
                "characters of the recorded one.")))
            sources[source] = _Source(path, None)
            continue
        try:
            sources[source] = _Source(path, decode_source(path, raw))
        except InputError as error:  # not UTF-8 text
            problems.append(_Problem(source, FILE_CHECK, RG.fileName, name,
                                     lambda where, error=error: f"{where}: {error}"))
            sources[source] = _Source(path, None)

    for claim, source, exact, start, end in sorted(_select(data, _QUOTES), key=lambda row: (str(row[0]), row[3])):
        known = sources.get(source)
        if known is None or known.text is None or not str(start).isdigit() or not str(end).isdigit():
            continue  # a missing file is reported once above; a quote without offsets by the shapes
        text, begin, finish = known.text, int(start), int(end)
        if text[begin:finish] == str(exact):
            continue
        found = occurrences(text, str(exact))
        if found:
            at = ", ".join(f"{s}..{s + len(str(exact))}" for s in found[:5])
            hint = f"the quote is at {at}"
        else:
            hint = not_found(text, str(exact))
        problems.append(_Problem(claim, QUOTE_CHECK, OA.exact, exact, lambda where, exact=exact, known=known,
                                 begin=begin, finish=finish, text=text, hint=hint: (
            f"{where}: the quote \"{shown(str(exact))}\" is not the text of {known.file.name} at "
            f"{begin}..{finish}, which is \"{shown(text[begin:finish])}\"; {hint}. "
            "`rightsgraph quotes --fill` corrects the offsets.")))

    results: list[ValidationResult] = []
    if problems:
        nodes = {problem.node for problem in problems}
        graph = _context(data, nodes)
        origins = data.origins
        if hasattr(origins, "prefetch"):  # the store's origins: every file read once, for all nodes
            origins.prefetch(nodes)
        names = bind_prefixes(Graph())
        texts: dict[Path, str] = {}
        for problem in problems:
            files = files_of(graph, problem.node, origins)
            where = names.namespace_manager.normalizeUri(problem.node)
            if files:
                text = texts.get(files[0]) or texts.setdefault(files[0], read_text(files[0]))
                line = _line(text, problem.node)
                where += f" ({files[0]}{f':{line}' if line else ''})"
            results.append(ValidationResult(
                focus_node=problem.node, focus_label=describe(graph, problem.node), shape=problem.check,
                shape_name=CHECK_NAMES[problem.check], path=(problem.path,), value=problem.value,
                severity="Violation", message=problem.message(where), files=tuple(files), constraint=CONSTRAINT))
    checked = [*CHECK_NAMES]
    return EngineRun(ENGINE, results, checked, Graph())
