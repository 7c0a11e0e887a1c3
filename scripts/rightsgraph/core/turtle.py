"""The one place that reads Turtle and builds the graph rightsgraph works on.

Reading is strict: a syntax error, an undefined prefix, an invalid IRI, a literal that is not
valid for its datatype, a file that is not UTF-8 or is empty, or a folder with no Turtle in it,
each stops the load with one message naming the file and, where there is one, the line.

Every command loads through store.load_files (Oxigraph parses, the store derives); the rdflib
Graph that publishing, exports and pyshacl walk is that store's content, term for term
(store.graph_of). Oxigraph parses every file (parse_quads), keeping each term as written;
rdflib's parser (read_with_rdflib) gives the line of a syntax error and is the benchmark's
reference. parse_turtle reads one file into an rdflib Graph (the shapes, catalogues).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from rightsgraph.core.errors import InputError
from rightsgraph.core.files import decode_utf8, read_bytes
from rightsgraph.core.namespaces import bind_prefixes
from rightsgraph.core.nesting import check_nesting
from rightsgraph.core.terms import XSD, is_valid_iri, to_rdflib

if TYPE_CHECKING:
    pass


# A literal longer than this is almost certainly a mistake (a pasted file), not a quote.
MAX_LITERAL_CHARS = 100_000


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib logs tracebacks for ill-typed literals; we report them ourselves, once."""
    loggers = [logging.getLogger(name) for name in ("rdflib", "rdflib.term")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


@contextmanager
def exact_literals() -> Iterator[None]:
    """rdflib keeps lexical forms as read while this is open.

    By default rdflib rewrites them ("01"^^xsd:integer as "1", "1"^^xsd:boolean as "true"), and
    pyshacl turns that default back on after each validation, so a setting made once at import
    would not hold: every rdflib parse of rightsgraph's runs inside this.
    """
    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = previous


def line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


_TIMEZONE = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"


_YEAR = r"-?(?:[1-9]\d{3,}|0\d{3})"


# Lexical spaces (XML Schema 1.1 Part 2, section 3.3) of the datatypes rdflib does not check.
_LEXICAL = {
    "gYear": re.compile(_YEAR + _TIMEZONE),
    "gYearMonth": re.compile(_YEAR + r"-(?:0[1-9]|1[0-2])" + _TIMEZONE),
    "gMonthDay": re.compile(r"--(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])" + _TIMEZONE),
    "gMonth": re.compile(r"--(?:0[1-9]|1[0-2])" + _TIMEZONE),
    "gDay": re.compile(r"---(?:0[1-9]|[12]\d|3[01])" + _TIMEZONE),
    "language": re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*"),
}


def is_ill_typed(value: str, datatype: str) -> bool:
    """Whether a lexical form is outside its datatype's lexical space: the XSD datatypes, and
    rdf:XMLLiteral and rdf:HTML through rdflib; a datatype neither knows passes."""
    name = datatype[len(XSD):] if datatype.startswith(XSD) else None
    if name in _LEXICAL:
        return _LEXICAL[name].fullmatch(value.strip()) is None
    if name == "dateTimeStamp":  # a dateTime with a time zone
        return is_ill_typed(value, XSD + "dateTime") or re.search(r"(?:Z|[+-]\d\d:\d\d)$", value.strip()) is None
    with quiet_rdflib():
        return bool(Literal(value, datatype=URIRef(datatype), normalize=False).ill_typed)


def literal_line(text: str, value: str) -> int | None:
    """The line of a typed literal in a file: its quoted form before ^^ (a comment that mentions
    the value does not count), else its first appearance."""
    return line_of(text, f'"{value}"^^') or line_of(text, f'"{value}"') or line_of(text, value)


def datatype_name(datatype: str) -> str:
    return "xsd:" + datatype[len(XSD):] if datatype.startswith(XSD) else f"<{datatype}>"


def _check_terms(graph: Graph, path: Path, text: str) -> None:
    for term in {t for triple in graph for t in triple}:
        if isinstance(term, URIRef) and not is_valid_iri(term):
            line = line_of(text, str(term))
            raise InputError(f"{where(path, line)}: invalid IRI <{term}>: IRIs may not contain "
                             "spaces, control characters or any of <>\"{}|^`\\")
        if isinstance(term, Literal):
            if term.datatype is not None and is_ill_typed(str(term), str(term.datatype)):
                line = literal_line(text, str(term))
                raise InputError(f'{where(path, line)}: "{term}" is not a valid {datatype_name(term.datatype)} value')
            if len(term) > MAX_LITERAL_CHARS:
                line = line_of(text, str(term)[:40])
                raise InputError(f"{where(path, line)}: a literal of {len(term):,} characters is "
                                 f"longer than the {MAX_LITERAL_CHARS:,} allowed")


def read_text(path: Path) -> str:
    """A Turtle file's text: UTF-8 (a byte-order mark dropped), not binary, not empty, not nested
    too deeply, or an InputError naming the file."""
    text = decode_utf8(path, read_bytes(path), "Turtle", "Turtle files must be UTF-8")
    # Editors on Windows save UTF-8 with a byte-order mark; neither parser takes it.
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    check_nesting(path, text)
    return text


def read_with_rdflib(path: Path, text: str) -> Graph:
    """rdflib's strict reading of a file: the reference whose messages give the line of a fault.

    Not the reading rightsgraph uses (parse_turtle): rdflib rewrites a bare number even with
    exact_literals on (`01` as "1", `+5` as "5", `0001.5` as "1.5"). It serves for its messages
    and as the benchmark's baseline."""
    graph = Graph()
    try:
        with quiet_rdflib(), exact_literals():
            graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as error:
        why = getattr(error, "_why", str(error))
        raise InputError(f"{path}:{error.lines + 1}: Turtle syntax error: {why}") from None
    except Exception as error:  # rdflib raises assorted types for malformed input
        raise InputError(f"{path}: cannot be parsed as Turtle: {error}") from None
    _check_terms(graph, path, text)
    return graph


def parse_quads(path: Path, text: str) -> list[ox.Quad]:
    """One file's triples as written (lexical forms kept: only a store changes them), parsed by
    Oxigraph; on a syntax error, rdflib's message with the line (read_with_rdflib)."""
    try:
        return list(ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.TURTLE,
                             base_iri=path.resolve().as_uri()))
    except SyntaxError as error:
        read_with_rdflib(path, text)  # raises the reference parser's message, with the line, for the same fault
        # rdflib accepted it; Oxigraph is stricter (language tags must be well-formed BCP 47)
        message = re.sub(r"^Parser error at line \d+ between columns \d+ and \d+: |\s*\(line \d+\)$", "", str(error))
        found = re.search(r"at line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        raise InputError(f"{where(path, line)}: Turtle syntax error: {message}") from None


def graph_of_quads(quads: Iterable[ox.Quad]) -> Graph:
    """Parsed triples as an rdflib Graph, every term exactly as written (terms.to_rdflib), with
    the project's prefixes bound (messages name nodes by them)."""
    terms: dict[object, Node | None] = {}  # a node recurs on many triples: convert it once

    def term(value: object) -> Node | None:
        found = terms.get(value)
        if found is None:
            found = terms[value] = to_rdflib(value)
        return found

    graph = bind_prefixes(Graph())
    graph.addN((term(q.subject), term(q.predicate), term(q.object), graph) for q in quads)
    return graph


def parse_turtle(path: Path) -> Graph:
    """One Turtle file, strictly read, as an rdflib Graph with its terms exactly as written; or an
    InputError naming the file and line."""
    text = read_text(path)
    graph = graph_of_quads(parse_quads(path, text))
    _check_terms(graph, path, text)
    return graph


def read_rdf(path: Path) -> Graph:
    """An RDF file of any syntax Oxigraph reads (by its extension: .nt, .ttl, .nq, .trig, .rdf,
    .jsonld), terms exactly as written; or an InputError naming the file."""
    rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
    if rdf_format is None:
        raise InputError(f"{path}: unknown RDF syntax (name the file .nt, .ttl, .nq, .trig, .rdf or .jsonld)")
    data = read_bytes(path)
    try:
        quads = list(ox.parse(input=data, format=rdf_format, base_iri=path.resolve().as_uri()))
    except (SyntaxError, ValueError) as error:
        raise InputError(f"{path}: cannot be read as {rdf_format.name}: {str(error).splitlines()[0]}") from None
    return graph_of_quads(quads)


def turtle_files(paths: Iterable[Path]) -> list[Path]:
    """The .ttl files named, or found (recursively, sorted) in the folders named."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.rglob("*.ttl"))
            if not found:
                raise InputError(f"{path}: the folder has no Turtle (.ttl) files")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def read_files(paths: Iterable[Path]) -> tuple[Graph, dict[URIRef | BNode, list[Path]]]:
    """Merge the Turtle of the given files and folders, remembering which file described what."""
    merged = Graph()
    origins: dict[URIRef | BNode, list[Path]] = {}
    for path in turtle_files(paths):
        graph = parse_turtle(path)
        for subject in set(graph.subjects()):
            origins.setdefault(subject, []).append(path)
        merged += graph
    return bind_prefixes(merged), origins
