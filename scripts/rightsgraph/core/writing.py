"""Writing graphs to files: deterministic bytes, and never a half-written file.

Blank nodes get labels derived from what they say and where they hang (core/blank_labels.py), and
triples are written in sorted order, so the same input gives byte-identical files and diffs of
the data stay reviewable.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from rightsgraph.core.blank_labels import canonical_labels
from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import PREFIXES, bind_prefixes
from rightsgraph.core.store import store_of
from rightsgraph.core.terms import PRIVATE, XSD, bcp47_case

_PRIVATE_AT_END = re.compile(rb"\^\^<" + re.escape(PRIVATE.encode()) + rb"([^>]*)> \.$", re.MULTILINE)


_LANG_AT_END = re.compile(rb'"@([A-Za-z0-9-]+)(?= \.$)', re.MULTILINE)


_ESCAPE = re.compile(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf"\'\\])')


_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def unescape_ntriples(body: str) -> str:
    """The text of an N-Triples string body, its escapes resolved."""
    return _ESCAPE.sub(lambda m: _SIMPLE.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), body)


def _rdflib_nt_body(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")


def _split_literal(token: str) -> tuple[str, str]:
    end = token.rindex('"')
    return token[1:end], token[end + 1:]


def _fix_escapes(line: str) -> str:
    """A line with a backslash: its literal re-escaped as rdflib escapes it."""
    start = line.find('"')
    if start < 0:
        return line
    end = line.rindex('"')
    return line[: start + 1] + _rdflib_nt_body(unescape_ntriples(line[start + 1:end])) + line[end:]


def _literal_n3(token: str) -> str:
    """rdflib's Literal.n3() of a literal written in rdflib's N-Triples form."""
    body, suffix = _split_literal(token)
    if "\\" not in body:
        return token
    value = unescape_ntriples(body)
    if "\n" not in value:
        return token
    literal = Literal(value, lang=suffix[1:] if suffix.startswith("@") else None,
                      datatype=URIRef(suffix[3:-1]) if suffix.startswith("^^") else None)
    return literal.n3()


def _rdflib_ntriples(store: ox.Store) -> list[bytes]:
    """The store's N-Triples lines, unsorted, in rdflib's N-Triples form but for the blank-node
    labels. Bytes, not str: half the memory for Chinese text, and UTF-8 sorts as code points do."""
    text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    # The private datatypes back to XSD, only where a datatype stands: at the end of a line.
    text = _PRIVATE_AT_END.sub(rb"^^<" + XSD.encode() + rb"\1> .", text)
    cases: dict[bytes, bytes] = {}

    def language(match: re.Match[bytes]) -> bytes:
        tag = match.group(1)
        fixed = cases.get(tag)
        if fixed is None:
            fixed = cases[tag] = bcp47_case(tag.decode("ascii")).encode("ascii")
        return b'"@' + fixed

    text = _LANG_AT_END.sub(language, text)
    lines = text.split(b"\n")
    del text
    for index, line in enumerate(lines):
        if b"\\" in line:
            lines[index] = _fix_escapes(line.decode("utf-8")).encode("utf-8")
    return lines


def _literal_key(token: str, memo: dict[str, str]) -> str:
    key = memo.get(token)
    if key is None:
        key = memo[token] = _literal_n3(token) if token.startswith('"') else token
    return key


def canonical_ntriples(store: ox.Store) -> bytes:
    """The store as writing.serialize(canonical_graph(graph), "nt") writes it, byte for byte."""
    lines = _rdflib_ntriples(store)
    outgoing: dict[str, list[tuple[str, str]]] = defaultdict(list)
    incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
    memo: dict[str, str] = {}
    blank_lines: list[tuple[int, str, str, str]] = []
    for index, raw in enumerate(lines):
        if b"_:" not in raw:
            continue
        subject, predicate, rest = raw.decode("utf-8").split(" ", 2)
        value = rest[:-2]  # without " ."
        blank_subject, blank_value = subject.startswith("_:"), value.startswith("_:")
        if not (blank_subject or blank_value):
            continue  # "_:" inside a literal
        if blank_subject:
            outgoing[subject[2:]].append((predicate, _literal_key(value, memo)))
        if blank_value:
            incoming[value[2:]].append((subject, predicate))
        blank_lines.append((index, subject, predicate, value))
    del memo
    labels = canonical_labels(outgoing, incoming)
    del outgoing, incoming
    for index, subject, predicate, value in blank_lines:
        if subject.startswith("_:"):
            subject = "_:" + labels[subject[2:]]
        if value.startswith("_:"):
            value = "_:" + labels[value[2:]]
        lines[index] = f"{subject} {predicate} {value} .".encode()
    del blank_lines
    lines = [line for line in lines if line]
    lines.sort()
    lines.append(b"")
    return b"\n".join(lines)


FORMATS = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "rdf": "xml",
}


def canonical_graph(graph: Graph) -> Graph:
    """A copy of the graph with content-derived blank-node labels and triples in sorted order."""
    outgoing: dict[str, list[tuple[str, str]]] = defaultdict(list)
    incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, p, o in graph:
        if isinstance(s, BNode):
            outgoing[str(s)].append((p.n3(), o.n3()))
        if isinstance(o, BNode):
            incoming[str(o)].append((s.n3(), p.n3()))
    labels = {BNode(node): label for node, label in canonical_labels(outgoing, incoming).items()}
    relabelled = [
        tuple(BNode(labels[t]) if isinstance(t, BNode) else t for t in triple) for triple in graph
    ]
    out = Graph()
    for triple in sorted(relabelled, key=lambda t: tuple(x.n3() for x in t)):
        out.add(triple)
    return bind_prefixes(out)


def _ntriples_line(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object of a line of N-Triples (IRIs and labels hold no spaces)."""
    subject, predicate, rest = line.split(" ", 2)
    return subject, predicate, rest[:-2]


def _prefixes_for(lines: list[str]) -> dict[str, str]:
    """The project's prefixes, less any whose name is also the scheme of an IRI in the data: there
    "name:rest" would be read as a prefixed name (JSON-LD) and change the IRI."""
    schemes = {term[1:].split(":", 1)[0] for line in lines for term in _ntriples_line(line) if term.startswith("<")}
    return {prefix: str(ns) for prefix, ns in PREFIXES.items() if prefix not in schemes}


_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def _compact(iri: str, prefixes: dict[str, str]) -> str | None:
    """prefix:local for an IRI in one of the namespaces, when the local part needs no escaping."""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return None


def _turtle_term(term: str, prefixes: dict[str, str]) -> str:
    if term.startswith("<"):
        return _compact(term[1:-1], prefixes) or term
    if term.startswith('"') and term.endswith(">") and '"^^<' in term:
        body, _, datatype = term.rpartition("^^")
        return f"{body}^^{_compact(datatype[1:-1], prefixes) or datatype}"
    return term  # blank nodes, and literals as N-Triples writes them (valid Turtle too)


def turtle(ntriples: bytes) -> bytes:
    """Turtle from canonical N-Triples: the same triples in the same order, grouped by subject and
    predicate, IRIs in the project's prefixes. Literals are copied as N-Triples wrote them, so no
    lexical form, datatype or language tag can change on the way."""
    lines = [line for line in ntriples.decode("utf-8").split("\n") if line]
    prefixes = _prefixes_for(lines)
    out = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in prefixes.items()]
    previous: tuple[str, str] | None = None
    for line in lines:
        subject, predicate, obj = _ntriples_line(line)
        verb = "a" if predicate == f"<{RDF.type}>" else _turtle_term(predicate, prefixes)
        value = _turtle_term(obj, prefixes)
        if previous and previous[0] == subject:
            out[-1] = out[-1][:-2]
            out.append(f"        , {value} ." if previous[1] == predicate else f"    ; {verb} {value} .")
        else:
            out.append(f"\n{_turtle_term(subject, prefixes)} {verb} {value} .")
        previous = (subject, predicate)
    return ("\n".join(out) + "\n").encode("utf-8")


def _jsonld_value(term: str, prefixes: dict[str, str]) -> dict[str, str]:
    if not term.startswith('"'):
        return {"@id": _compact(term[1:-1], prefixes) or term[1:-1] if term.startswith("<") else term}
    end = term.rindex('"')
    value: dict[str, str] = {"@value": unescape_ntriples(term[1:end])}
    suffix = term[end + 1:]
    if suffix.startswith("@"):
        value["@language"] = suffix[1:]
    elif suffix.startswith("^^"):
        value["@type"] = _compact(suffix[3:-1], prefixes) or suffix[3:-1]
    return value


def jsonld(ntriples: bytes) -> bytes:
    """JSON-LD from canonical N-Triples: one node object per subject, in the same order, with the
    project's prefixes as the context. Values keep their lexical form, datatype and language tag."""
    lines = [line for line in ntriples.decode("utf-8").split("\n") if line]
    prefixes = _prefixes_for(lines)
    nodes: list[dict] = []
    for line in lines:
        subject, predicate, obj = _ntriples_line(line)
        node_id = _compact(subject[1:-1], prefixes) or subject[1:-1] if subject.startswith("<") else subject
        if not nodes or nodes[-1]["@id"] != node_id:
            nodes.append({"@id": node_id})
        if predicate == f"<{RDF.type}>" and obj.startswith("<"):
            nodes[-1].setdefault("@type", []).append(_compact(obj[1:-1], prefixes) or obj[1:-1])
            continue
        key = _compact(predicate[1:-1], prefixes) or predicate[1:-1]
        nodes[-1].setdefault(key, []).append(_jsonld_value(obj, prefixes))
    document = {"@context": prefixes, "@graph": nodes}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise a graph in one of FORMATS, through the one writer of each format.

    N-Triples is the canonical form (writing.canonical_ntriples: sorted lines, content-derived
    blank-node labels); Turtle and JSON-LD are written from it; RDF/XML by rdflib.
    """
    if fmt == "xml" or fmt == "rdf":
        return graph.serialize(format="xml", encoding="utf-8")
    return serialize_ntriples(canonical_ntriples(store_of(graph)), fmt)


def serialize_ntriples(ntriples: bytes, fmt: str) -> bytes:
    """Canonical N-Triples in one of "nt", "ttl", "jsonld"."""
    if fmt == "nt":
        return ntriples
    if fmt == "ttl":
        return turtle(ntriples)
    if fmt == "jsonld":
        return jsonld(ntriples)
    raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def serialize_store(store: ox.Store) -> dict[str, bytes]:
    """rightsgraph.{nt,ttl,jsonld} of a store."""
    nt = canonical_ntriples(store)
    return {f"rightsgraph.{fmt}": serialize_ntriples(nt, fmt) for fmt in ("ttl", "nt", "jsonld")}


@contextmanager
def atomic_outputs(folder: Path) -> Iterator[dict[str, bytes]]:
    """Collect {relative name: bytes}; write them all to temporary names, then rename into place.

    Nothing is renamed unless every file was written, so a failure leaves the old files as they
    were and no partial file behind.
    """
    pending: dict[str, bytes] = {}
    yield pending
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{folder}: cannot create the output folder ({error.strerror})") from None
    written: list[tuple[Path, Path]] = []
    try:
        for name, content in pending.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            # mkstemp makes files private (0600); outputs are meant to be read, e.g. by a web server.
            os.chmod(temporary, 0o666 & ~_umask())
            written.append((Path(temporary), target))
    except OSError as error:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise InputError(f"{folder}: cannot write output ({error.strerror})") from None
    for temporary, target in written:
        os.replace(temporary, target)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomically(path: Path, content: bytes) -> None:
    """Write one file through a temporary name."""
    with atomic_outputs(path.parent) as pending:
        pending[path.name] = content
