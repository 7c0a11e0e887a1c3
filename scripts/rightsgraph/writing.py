"""Writing graphs to files: deterministic bytes, and never a half-written file.

Blank nodes get labels derived from what they say and where they hang (blank_labels.py), and
triples are written in sorted order, so the same input gives byte-identical files and diffs of
the data stay reviewable.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import BNode, Graph

from .blank_labels import canonical_labels
from .errors import InputError
from .namespaces import PREFIXES, bind_prefixes

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


def _sorted_json(value: object) -> object:
    """rdflib's JSON-LD follows set order; sort nodes and values so the bytes are stable."""
    if isinstance(value, dict):
        # An @list is ordered by meaning: keep it, and sort only inside its members.
        return {key: [_sorted_json(i) for i in item] if key == "@list" else _sorted_json(item)
                for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise an already canonical graph in one of FORMATS."""
    if fmt == "nt":
        lines = sorted(graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines())
        return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        document = json.loads(graph.serialize(format="json-ld", context=context, encoding="utf-8"))
        return (json.dumps(_sorted_json(document), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    return graph.serialize(format=FORMATS[fmt], encoding="utf-8")


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
