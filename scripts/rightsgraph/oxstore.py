"""The fast path's graph: the Turtle files parsed by Oxigraph into one in-memory store, derived
there, and written out in the same canonical N-Triples as the rdflib path (writing.py).

Why each step is as it is:

- Parsing: Oxigraph's parser is an order of magnitude faster than rdflib's. It is as strict
  about syntax and IRIs, but reports errors in its own words; so on any error the file is handed
  to the rdflib loader (loading.parse_turtle), which raises the message the reference path gives.
  Literals rdflib calls ill-typed ("2025-13-45"^^xsd:date) are found with one query per datatype
  and reported the same way.
- Datatypes: Oxigraph's store turns the integer-derived datatypes (xsd:nonNegativeInteger,
  xsd:positiveInteger, xsd:int, ...) into xsd:integer, and xsd:dateTimeStamp into xsd:dateTime, on
  insertion. That would make "80"^^xsd:nonNegativeInteger fail sh:datatype xsd:nonNegativeInteger
  and change query answers. Such literals are therefore stored under a private datatype
  (urn:x-rightsgraph:xsd:nonNegativeInteger) and turned back on every way out (query rows, files,
  validation values): see encode_datatypes / decode_term.
- Deriving: the rules of derive.py, as SPARQL Update (statements asserted, selector types) and,
  for the rules that need pycountry and OpenCC, as a query, a little Python and an insertion.
- Writing: blank nodes get the labels writing.canonical_graph gives them (same hash of the same
  signatures) and lines are written as rdflib's N-Triples serialiser writes them, then sorted, so
  rightsgraph.nt is byte-identical between the two paths. Turtle and JSON-LD come from
  Oxigraph's serialisers: the same triples, in a different layout from rdflib's.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import InputError
from .loading import MAX_LITERAL_CHARS, parse_turtle, read_text, turtle_files
from .namespaces import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PRIVATE = "urn:x-rightsgraph:xsd:"
# Datatypes Oxigraph's store would replace by their base type.
ALTERED = ("nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "long",
           "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
           "dateTimeStamp")
_ALTERED_RE = re.compile(r"\^\^(?:xsd:|<http://www\.w3\.org/2001/XMLSchema#)(" + "|".join(ALTERED) + r")\b>?")
_XSD_PREFIX = re.compile(r"@prefix\s+xsd:\s*<([^>]*)>|PREFIX\s+xsd:\s*<([^>]*)>", re.IGNORECASE)
# Datatypes whose lexical forms rdflib checks (Literal.ill_typed), checked here with a cast.
_CHECKED = ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time", "gYear",
            "gYearMonth", "gMonthDay", "gDay", "gMonth", "duration")


def encode_datatypes(text: str) -> str:
    """Turtle with the datatypes Oxigraph would alter moved to the private namespace."""
    if not any(name in text for name in ALTERED):
        return text
    declared = [a or b for a, b in _XSD_PREFIX.findall(text)]
    if any(ns != XSD for ns in declared):  # xsd: bound to something else: leave the text alone
        return text
    return _ALTERED_RE.sub(lambda m: f"^^<{PRIVATE}{m.group(1)}>", text)


def decode_datatype(iri: str) -> str:
    return XSD + iri[len(PRIVATE):] if iri.startswith(PRIVATE) else iri


def to_rdflib(term: object) -> Node | None:
    """An Oxigraph term as the rdflib term the reference path would hold."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=bcp47_case(term.language))
        datatype = decode_datatype(term.datatype.value)
        if datatype == XSD + "string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected Oxigraph term {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            datatype = str(term.datatype)
            if datatype.startswith(XSD) and datatype[len(XSD):] in ALTERED:
                datatype = PRIVATE + datatype[len(XSD):]
            return ox.Literal(str(term), datatype=ox.NamedNode(datatype))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected rdflib term {term!r}")


def bcp47_case(tag: str) -> str:
    """Oxigraph lower-cases language tags; give them back their BCP 47 case (zh-Hans, en-GB)."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


class LazyOrigins(Mapping):
    """The files each subject is described in, worked out only when a result needs them.

    The rdflib path records them while parsing; here that would cost a pass over every triple in
    Python, and only the few nodes a validation result names ever need it.
    """

    def __init__(self, files: list[Path], store: ox.Store) -> None:
        self.files = files
        self.store = store
        self._known: dict[Node, list[Path]] = {}
        self._asked: set[Node] = set()

    def _resolve(self, nodes: Iterable[Node]) -> None:
        nodes = [n for n in nodes if n not in self._asked]
        blanks = [n for n in nodes if isinstance(n, BNode)]
        holders: dict[Node, list[Node]] = {}
        for blank in blanks:  # a blank node is described in the file of the node that holds it
            holders[blank] = [h for q in self.store.quads_for_pattern(None, None, ox.BlankNode(str(blank)))
                              if isinstance(h := to_rdflib(q.subject), URIRef)]
        wanted = {str(n) for n in nodes if isinstance(n, URIRef)}
        wanted |= {str(h) for found in holders.values() for h in found if h not in self._asked}
        self._asked.update(nodes)
        if wanted:
            for path in self.files:
                text = encode_datatypes(read_text(path))
                seen = {q.subject.value for q in ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.TURTLE,
                                                          base_iri=path.resolve().as_uri())
                        if isinstance(q.subject, ox.NamedNode) and q.subject.value in wanted}
                for iri in seen:
                    self._known.setdefault(URIRef(iri), []).append(path)
            self._asked.update(URIRef(iri) for iri in wanted)
        for blank, found in holders.items():
            files: list[Path] = []
            for holder in found:
                files.extend(f for f in self._known.get(holder, []) if f not in files)
            if files:
                self._known[blank] = files

    def prefetch(self, nodes: Iterable[Node]) -> None:
        self._resolve(list(nodes))

    def __getitem__(self, node: Node) -> list[Path]:
        if node not in self._asked:
            self._resolve([node])
        return self._known[node]

    def get(self, node: Node, default=None):  # Mapping.get, without the KeyError round trip
        try:
            return self[node]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[Node]:
        return iter(self._known)

    def __len__(self) -> int:
        return len(self._known)


@dataclass
class StoreData:
    """The merged, derived graph in an Oxigraph store, and where it came from."""

    store: ox.Store
    files: list[Path]
    origins: LazyOrigins
    ontology: Graph = field(repr=False)
    # Ontology triples the validator does not see (validation.ontology_for_validation leaves them
    # out of the validated graph); taken out of the store while the shapes are evaluated.
    not_validated: list[ox.Quad] = field(default_factory=list, repr=False)

    def __len__(self) -> int:
        return len(self.store)


def _load_file(store: ox.Store, path: Path) -> None:
    text = read_text(path)
    try:
        store.load(input=encode_datatypes(text).encode("utf-8"), format=ox.RdfFormat.TURTLE,
                   base_iri=path.resolve().as_uri())
    except SyntaxError as error:
        parse_turtle(path)  # raises the reference path's message for the same fault
        raise InputError(f"{path}: cannot be parsed as Turtle: {error}") from None


def _check_literals(store: ox.Store, files: list[Path]) -> None:
    """Reject ill-typed and over-long literals as the rdflib loader does, naming the file."""
    casts = " || ".join(
        f'(datatype(?o) = <{XSD}{name}> && COALESCE(STR(<{XSD}{name}>(STR(?o))), "!") = "!")'
        for name in _CHECKED)
    query = (f"SELECT ?o WHERE {{ ?s ?p ?o FILTER(isLiteral(?o) && (({casts}) "
             f"|| STRLEN(STR(?o)) > {MAX_LITERAL_CHARS})) }} LIMIT 1")
    if any(True for _ in store.query(query)):
        for path in files:  # the slow path names the file and line
            parse_turtle(path)
        raise InputError("a literal is not valid for its datatype")


def load_files(files: Iterable[Path], ontology: Graph | None = None,
               timings: dict[str, float] | None = None) -> StoreData:
    """Parse the Turtle files (and add the derived ontology, if given) into one store, and derive.

    `timings`, if given, receives the seconds spent parsing and deriving (for the benchmark).
    """
    from .derive_sparql import derive_store
    from .validation import ontology_for_validation

    clock = time.perf_counter()
    paths = turtle_files(files)
    store = ox.Store()
    for path in paths:
        _load_file(store, path)
    _check_literals(store, paths)
    parsed = time.perf_counter()
    derive_store(store)
    excluded: list[ox.Quad] = []
    if ontology is not None:
        kept = set(ontology_for_validation(ontology))
        for triple in ontology:
            quad = ox.Quad(*(to_oxigraph(t) for t in triple))
            if triple not in kept and quad not in store:
                excluded.append(quad)
            store.add(quad)
    if timings is not None:
        timings["parse"] = parsed - clock
        timings["merge"] = time.perf_counter() - parsed
    return StoreData(store, paths, LazyOrigins(paths, store),
                     ontology if ontology is not None else Graph(), excluded)


# ---------------------------------------------------------------------------
# Writing: the canonical N-Triples of writing.canonical_graph, without building an rdflib graph
# ---------------------------------------------------------------------------


def _nt_literal(term: ox.Literal) -> str:
    value = term.value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    if term.language:
        return f'"{value}"@{bcp47_case(term.language)}'
    datatype = decode_datatype(term.datatype.value)
    if datatype == XSD + "string":
        return f'"{value}"'
    return f'"{value}"^^<{datatype}>'


def _n3(term: object, labels: Mapping[str, str]) -> str:
    """A term as rdflib's n3() writes it: the key canonical_graph signs and sorts with."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return "_:" + labels.get(term.value, "")
    return _nt_literal(term)  # type: ignore[arg-type]


def _signature_key(term: object, labels: Mapping[str, str], memo: dict) -> str:
    """The key canonical_graph signs a term with: rdflib's n3(), which writes literals its own way."""
    if isinstance(term, ox.Literal):
        key = memo.get(term)
        if key is None:
            key = memo[term] = to_rdflib(term).n3()  # type: ignore[union-attr]
        return key
    return _n3(term, labels)


def canonical_labels(store: ox.Store) -> dict[str, str]:
    """The labels writing.canonical_graph gives each blank node, computed on the store."""
    outgoing: dict[str, list[tuple[object, object]]] = defaultdict(list)
    incoming: dict[str, list[tuple[object, object]]] = defaultdict(list)
    for s, p, o in store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }"):
        if isinstance(s, ox.BlankNode):
            outgoing[s.value].append((p, o))
        if isinstance(o, ox.BlankNode):
            incoming[o.value].append((s, p))
    labels: dict[str, str] = {}
    memo: dict = {}
    for _ in range(2):  # as canonical_graph: two rounds, so nested blank nodes see their neighbours
        signatures: dict[str, str] = {}
        for node in set(outgoing) | set(incoming):
            parts = sorted(f"<{_signature_key(s, labels, memo)} <{p.value}>" for s, p in incoming[node])
            parts += sorted(f"><{p.value}> {_signature_key(o, labels, memo)}" for p, o in outgoing[node])
            signatures[node] = hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]
        labels = {}
        seen: dict[str, int] = defaultdict(int)
        for node in sorted(signatures, key=lambda n: (signatures[n], n)):
            signature = signatures[node]
            labels[node] = f"b{signature}" + (f"x{seen[signature]}" if seen[signature] else "")
            seen[signature] += 1
    return labels


def canonical_ntriples(store: ox.Store, labels: Mapping[str, str] | None = None) -> bytes:
    """The store as sorted N-Triples with canonical blank-node labels, as writing.serialize writes them."""
    labels = canonical_labels(store) if labels is None else labels
    lines = [f"{_n3(q.subject, labels)} <{q.predicate.value}> {_n3(q.object, labels)} ."
             for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    lines.sort()
    return ("\n".join(lines) + "\n").encode("utf-8")


def canonical_triples(store: ox.Store, labels: Mapping[str, str]) -> Iterator[ox.Triple]:
    """The store's triples with canonical blank nodes and the altered datatypes restored, sorted."""
    def fix(term):
        if isinstance(term, ox.BlankNode):
            return ox.BlankNode(labels.get(term.value, term.value))
        if isinstance(term, ox.Literal) and not term.language and term.datatype.value.startswith(PRIVATE):
            return ox.Literal(term.value, datatype=ox.NamedNode(decode_datatype(term.datatype.value)))
        return term

    quads = sorted(store.quads_for_pattern(None, None, None, ox.DefaultGraph()),
                   key=lambda q: (_n3(q.subject, labels), q.predicate.value, _n3(q.object, labels)))
    for quad in quads:
        yield ox.Triple(fix(quad.subject), quad.predicate, fix(quad.object))


def serialize_store(store: ox.Store) -> dict[str, bytes]:
    """rightsgraph.{nt,ttl,jsonld} of the store: N-Triples byte-identical to the rdflib path's."""
    labels = canonical_labels(store)
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    triples = list(canonical_triples(store, labels))
    return {
        "rightsgraph.ttl": ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes),
        "rightsgraph.nt": canonical_ntriples(store, labels),
        "rightsgraph.jsonld": ox.serialize(triples, format=ox.RdfFormat.JSON_LD, prefixes=prefixes),
    }
