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
- Writing: blank nodes get the labels writing.canonical_graph gives them (blank_labels.py) and
  lines are written as rdflib's N-Triples serialiser writes them, then sorted, so
  rightsgraph.nt is byte-identical between the two paths. Turtle and JSON-LD come from
  Oxigraph's serialisers: the same triples, in a different layout from rdflib's.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .blank_labels import canonical_labels
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
    names = ", ".join(f"<{XSD}{name}>" for name in _CHECKED)
    casts = " || ".join(f'(?datatype = <{XSD}{name}> && COALESCE(STR(<{XSD}{name}>(STR(?o))), "!") = "!")'
                        for name in _CHECKED)
    ill_typed = (f"ASK {{ ?s ?p ?o FILTER(isLiteral(?o)) BIND(datatype(?o) AS ?datatype) "
                 f"FILTER(?datatype IN ({names})) FILTER({casts}) }}")
    too_long = f"ASK {{ ?s ?p ?o FILTER(isLiteral(?o) && STRLEN(STR(?o)) > {MAX_LITERAL_CHARS}) }}"
    if store.query(ill_typed) or store.query(too_long):
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
# Writing: the canonical N-Triples of writing.canonical_graph, from Oxigraph's own N-Triples
# ---------------------------------------------------------------------------
#
# Oxigraph writes N-Triples fast, in Rust; the differences from what rdflib's serialiser writes
# are fixed on the text: the private datatypes, the case of language tags, the escapes (Oxigraph
# also escapes tabs and control characters, rdflib only \ " newline and carriage return) and the
# blank-node labels. The labels are canonical_graph's: blank_labels.canonical_labels of each blank
# node's triples, written as rdflib's n3() writes terms.

_LANG_AT_END = re.compile(rb'"@([A-Za-z0-9-]+)(?= \.$)', re.MULTILINE)
_ESCAPE = re.compile(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf"\'\\])')
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(body: str) -> str:
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
    return line[: start + 1] + _rdflib_nt_body(_unescape(line[start + 1:end])) + line[end:]


def _literal_n3(token: str) -> str:
    """rdflib's Literal.n3() of a literal written in rdflib's N-Triples form."""
    body, suffix = _split_literal(token)
    if "\\" not in body:
        return token
    value = _unescape(body)
    if "\n" not in value:
        return token
    literal = Literal(value, lang=suffix[1:] if suffix.startswith("@") else None,
                      datatype=URIRef(suffix[3:-1]) if suffix.startswith("^^") else None)
    return literal.n3()


def _rdflib_ntriples(store: ox.Store) -> list[bytes]:
    """The store's N-Triples lines, unsorted, in rdflib's N-Triples form but for the blank-node
    labels. Bytes, not str: half the memory for Chinese text, and UTF-8 sorts as code points do."""
    text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    text = text.replace(f"^^<{PRIVATE}".encode(), f"^^<{XSD}".encode())
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


def serialize_store(store: ox.Store) -> dict[str, bytes]:
    """rightsgraph.{nt,ttl,jsonld} of the store: N-Triples byte-identical to the rdflib path's;
    Turtle and JSON-LD with the same triples, in the same order, written by Oxigraph."""
    nt = canonical_ntriples(store)
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    return {
        "rightsgraph.ttl": ox.serialize(ox.parse(input=nt, format=ox.RdfFormat.N_TRIPLES),
                                        format=ox.RdfFormat.TURTLE, prefixes=prefixes),
        "rightsgraph.nt": nt,
        "rightsgraph.jsonld": ox.serialize(ox.parse(input=nt, format=ox.RdfFormat.N_TRIPLES),
                                           format=ox.RdfFormat.JSON_LD, prefixes=prefixes),
    }
