"""Writing graphs to files: deterministic bytes, and never a half-written file.

Blank nodes get labels derived from what they say and where they hang (a hash of their incoming
and outgoing triples), and triples are written in sorted order, so the same input gives
byte-identical files and diffs of the data stay reviewable.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import BNode, Graph, Node

from .errors import InputError
from .namespaces import PREFIXES, bind_prefixes

FORMATS = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "rdf": "xml",
}


def _term_key(term: Node, labels: dict[BNode, str]) -> str:
    if isinstance(term, BNode):
        return "_:" + labels.get(term, "")
    return term.n3()


def canonical_graph(graph: Graph) -> Graph:
    """A copy of the graph with content-derived blank-node labels and triples in sorted order."""
    outgoing: dict[BNode, list[tuple[Node, Node]]] = defaultdict(list)
    incoming: dict[BNode, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in graph:
        if isinstance(s, BNode):
            outgoing[s].append((p, o))
        if isinstance(o, BNode):
            incoming[o].append((s, p))
    labels: dict[BNode, str] = {}
    # Two rounds let a blank node's label reflect its blank neighbours' labels (nested lists).
    for _ in range(2):
        signatures: dict[BNode, str] = {}
        for node in set(outgoing) | set(incoming):
            parts = sorted(f"<{_term_key(s, labels)} {p.n3()}" for s, p in incoming[node])
            parts += sorted(f">{p.n3()} {_term_key(o, labels)}" for p, o in outgoing[node])
            signatures[node] = hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]
        labels = {}
        seen: dict[str, int] = defaultdict(int)
        for node in sorted(signatures, key=lambda n: (signatures[n], str(n))):
            signature = signatures[node]
            labels[node] = f"b{signature}" + (f"x{seen[signature]}" if seen[signature] else "")
            seen[signature] += 1
    relabelled = [
        tuple(BNode(labels[t]) if isinstance(t, BNode) else t for t in triple) for triple in graph
    ]
    out = Graph()
    for triple in sorted(relabelled, key=lambda t: tuple(_term_key(x, {}) for x in t)):
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
