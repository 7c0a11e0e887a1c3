"""The one place that reads Turtle and builds the graph rightsgraph works on.

Reading is strict: a syntax error, an undefined prefix, an invalid IRI, a literal that is not
valid for its datatype, a file that is not UTF-8 or is empty, or a folder with no Turtle in it,
each stops the load with one message naming the file and, where there is one, the line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from .derive import derive
from .errors import InputError
from .namespaces import bind_prefixes
from .project import Project
from .sparql_terms import is_valid_iri

if TYPE_CHECKING:
    from .oxstore import StoreData

# A literal longer than this is almost certainly a mistake (a pasted file), not a quote.
MAX_LITERAL_CHARS = 100_000


@dataclass
class LoadedData:
    """The data graph, derived, with the files each subject was described in."""

    graph: Graph
    origins: dict[URIRef | BNode, list[Path]] = field(default_factory=dict)

    def files_of(self, node: URIRef | BNode) -> list[Path]:
        return self.origins.get(node, [])


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
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


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


def _check_terms(graph: Graph, path: Path, text: str) -> None:
    for term in {t for triple in graph for t in triple}:
        if isinstance(term, URIRef) and not is_valid_iri(term):
            line = _line_of(text, str(term))
            raise InputError(f"{_where(path, line)}: invalid IRI <{term}>: IRIs may not contain "
                             "spaces, control characters or any of <>\"{}|^`\\")
        if isinstance(term, Literal):
            if getattr(term, "ill_typed", False):
                line = _line_of(text, f'"{term}"')
                datatype = term.datatype.n3(graph.namespace_manager) if term.datatype else ""
                raise InputError(f'{_where(path, line)}: "{term}" is not a valid {datatype} value')
            if len(term) > MAX_LITERAL_CHARS:
                line = _line_of(text, str(term)[:40])
                raise InputError(f"{_where(path, line)}: a literal of {len(term):,} characters is "
                                 f"longer than the {MAX_LITERAL_CHARS:,} allowed")


def read_text(path: Path) -> str:
    """A Turtle file's text: UTF-8, not binary, not empty, or an InputError naming the file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    if b"\x00" in raw:
        raise InputError(f"{path}: a binary file, not Turtle")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x} at "
                         f"offset {error.start}); Turtle files must be UTF-8") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    return text


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file strictly, or raise InputError naming the file and line."""
    text = read_text(path)
    graph = Graph()
    try:
        with _quiet_rdflib():
            graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as error:
        why = getattr(error, "_why", str(error))
        raise InputError(f"{path}:{error.lines + 1}: Turtle syntax error: {why}") from None
    except Exception as error:  # rdflib raises assorted types for malformed input
        raise InputError(f"{path}: cannot be parsed as Turtle: {error}") from None
    _check_terms(graph, path, text)
    return graph


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


def load_ontology(project: Project) -> Graph:
    """The ontology and its controlled lists, with derived labels."""
    graph, _ = read_files([project.ontology_dir])
    return derive(graph)


def load_data(project: Project, data_paths: Iterable[Path] | None = None) -> LoadedData:
    """The data (data/ unless other files or folders are given), with its claims asserted."""
    graph, origins = read_files(list(data_paths) if data_paths else [project.data_dir])
    return LoadedData(derive(graph), origins)


def load_shapes(project: Project) -> Graph:
    graph, _ = read_files([project.shapes_dir])
    return graph


def load_graph(project: Project, data_paths: Iterable[Path] | None = None) -> Graph:
    """Ontology and data merged: the graph that is built, validated, queried and published."""
    merged = load_ontology(project)
    merged += load_data(project, data_paths).graph
    return bind_prefixes(merged)


def load_store(project: Project, data_paths: Iterable[Path] | None = None,
               timings: dict[str, float] | None = None) -> StoreData:
    """The fast path: ontology and data (data/ or the paths given) in one Oxigraph store, derived.

    The same files, the same strictness and the same derived triples as load_graph, in a store
    that the fast validator and the Oxigraph engine work on directly (see oxstore.py).
    """
    from .oxstore import load_files

    return load_files(list(data_paths) if data_paths else [project.data_dir], load_ontology(project), timings)
