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
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV

from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import OA, RG, RGSH, bind_prefixes
from rightsgraph.core.sources import decode_source, not_found, occurrences, sha256_of, shown
from rightsgraph.core.store import LoadedData, StoreData, graph_of
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


def _graph(data: LoadedData | StoreData) -> Graph:
    return data.graph if isinstance(data, LoadedData) else graph_of(data.store)


def _line(path: Path, node: URIRef) -> int | None:
    """The line where the node is described: its IRI, or its prefixed name, starting a line."""
    text = read_text(path)
    local = re.escape(str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    match = re.search(rf"(?m)^(?:<{re.escape(str(node))}>|[\w-]*:{local})(?=[\s;,.])", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def check_evidence(data: LoadedData | StoreData, sources_dir: Path) -> EngineRun:
    """The three checks on the data, as a run of the engine "evidence"."""
    graph = _graph(data)
    names = bind_prefixes(Graph())
    origins = data.origins
    results: list[ValidationResult] = []

    def where(node: URIRef) -> str:
        files = files_of(graph, node, origins)
        if not files:
            return names.namespace_manager.normalizeUri(node)
        line = _line(files[0], node)
        return f"{names.namespace_manager.normalizeUri(node)} ({files[0]}{f':{line}' if line else ''})"

    def result(node: URIRef, check: URIRef, path: URIRef, value: Literal | None, message: str) -> None:
        results.append(ValidationResult(
            focus_node=node, focus_label=describe(graph, node), shape=check, shape_name=CHECK_NAMES[check],
            path=(path,), value=value, severity="Violation", message=message,
            files=tuple(files_of(graph, node, origins)), constraint=CONSTRAINT))

    sources: dict[URIRef, _Source] = {}
    for source, name in sorted(graph.subject_objects(RG.fileName)):
        if not isinstance(source, URIRef):
            continue
        path = sources_dir / str(name)
        try:
            raw = path.read_bytes()
        except OSError as error:
            why = "no such file" if isinstance(error, FileNotFoundError) else error.strerror
            result(source, FILE_CHECK, RG.fileName, name,
                   f"{where(source)}: the source file {path} cannot be read ({why}); its quotes cannot be "
                   "checked. Put the file in the sources folder (or set RIGHTSGRAPH_SOURCES).")
            sources[source] = _Source(path, None)
            continue
        recorded = graph.value(source, RG.sha256)
        digest = sha256_of(raw)
        if recorded is not None and str(recorded) != digest:
            result(source, CHECKSUM_CHECK, RG.sha256, recorded,
                   f"{where(source)}: the source file {path} has SHA-256 {digest}, not the {recorded} "
                   "recorded: it is another version of the document, and the quotes' offsets count "
                   "characters of the recorded one.")
            sources[source] = _Source(path, None)
            continue
        try:
            sources[source] = _Source(path, decode_source(path, raw))
        except InputError as error:  # not UTF-8 text
            result(source, FILE_CHECK, RG.fileName, name, f"{where(source)}: {error}")
            sources[source] = _Source(path, None)

    for claim, source, exact, start, end in sorted(graph.query(_QUOTES), key=lambda row: (str(row[0]), row[3])):
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
        result(claim, QUOTE_CHECK, OA.exact, exact,
               f"{where(claim)}: the quote \"{shown(str(exact))}\" is not the text of {known.file.name} at "
               f"{begin}..{finish}, which is \"{shown(text[begin:finish])}\"; {hint}. "
               "`rightsgraph quotes --fill` corrects the offsets.")
    checked = [*CHECK_NAMES]
    return EngineRun(ENGINE, results, checked, Graph())
