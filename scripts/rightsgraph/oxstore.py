"""The graph every command works on: the Turtle files parsed by Oxigraph into one in-memory
store, derived there (derive.py), and written out from it (writing.py).

Why each step is as it is:

- Parsing: Oxigraph's parser is an order of magnitude faster than rdflib's and as strict about
  syntax and IRIs (stricter about language tags, which must be well-formed BCP 47). On a syntax
  error the file is handed to rdflib's reader (loading.parse_turtle), whose message gives the
  line. Ill-typed literals ("2025-13-45"^^xsd:date) and over-long ones are refused per file.
- Literals as written: the store keeps numbers, booleans, dates and durations as values, so it
  would give back "4.0"^^xsd:decimal as "4", "01"^^xsd:integer as "1" and "39"^^xsd:long as
  "39"^^xsd:integer. Each literal it would change (found by asking a scratch store, not by
  guessing its rules: changed_by_store) is stored under a private datatype
  (urn:x-rightsgraph:xsd:decimal) with its lexical form as written, and turned back on every way
  out: query rows and validation values (to_rdflib), the files (canonical_ntriples). The input's
  text is never rewritten. Language tags, which Oxigraph lower-cases and RDF compares without
  regard to case, leave in BCP 47's recommended case (bcp47_case).
- Statements that would assert a triple that is not RDF (a literal subject) are refused.
- Writing: blank nodes get content-derived labels (blank_labels.py) and lines are written as
  rdflib's N-Triples serialiser writes them, then sorted: the canonical N-Triples that Turtle and
  JSON-LD are written from (writing.py).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .blank_labels import canonical_labels
from .errors import InputError
from .loading import (
    MAX_LITERAL_CHARS,
    datatype_name,
    is_ill_typed,
    line_of,
    literal_line,
    parse_turtle,
    read_text,
    turtle_files,
    where,
)
from .namespaces import RG, bind_prefixes

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = ox.NamedNode(XSD + "string")
PRIVATE = "urn:x-rightsgraph:xsd:"


def _private(literal: ox.Literal) -> ox.Literal:
    """The literal under the private namespace, with its lexical form as written."""
    datatype = literal.datatype.value
    name = datatype[len(XSD):] if datatype.startswith(XSD) else datatype
    return ox.Literal(literal.value, datatype=ox.NamedNode(PRIVATE + name))


def store_forms(literals: Iterable[ox.Literal]) -> dict[ox.Literal, ox.Literal]:
    """The typed literals that Oxigraph's store would not give back as they are, each with the
    form the store gives back.

    The store keeps numbers, booleans, dates and durations as values: "4.0"^^xsd:decimal comes
    back as "4", "01"^^xsd:integer as "1", "39"^^xsd:long as "39"^^xsd:integer. Rather than guess
    its rules, each literal is put into a scratch store and read back.
    """
    items = [lit for lit in literals if lit.language is None and lit.datatype != XSD_STRING]
    if not items:
        return {}
    scratch = ox.Store()
    predicate = ox.NamedNode("urn:x-rightsgraph:p")
    scratch.extend(ox.Quad(ox.NamedNode(f"urn:x-rightsgraph:{index}"), predicate, literal)
                   for index, literal in enumerate(items))
    changed = {}
    for quad in scratch:
        original = items[int(quad.subject.value.rpartition(":")[2])]
        if quad.object != original:
            changed[original] = quad.object
    return changed


def changed_by_store(literals: Iterable[ox.Literal]) -> set[ox.Literal]:
    """The literals to hold under the private namespace (see store_term), to be turned back on
    every way out."""
    return set(store_forms(literals))


def private_datatypes(literals: Iterable[ox.Literal]) -> frozenset[str]:
    """The XSD local names of these literals' datatypes (those _private encodes by name)."""
    return frozenset(lit.datatype.value[len(XSD):] for lit in literals if lit.datatype.value.startswith(XSD))


def held_privately(store: ox.Store) -> frozenset[str]:
    """The XSD local names of the datatypes a store holds literals of under the private namespace."""
    query = (f'SELECT DISTINCT ?d WHERE {{ ?s ?p ?o FILTER(isLiteral(?o)) BIND(STR(DATATYPE(?o)) AS ?d) '
             f'FILTER(STRSTARTS(?d, "{PRIVATE}")) }}')
    return frozenset(solution["d"].value[len(PRIVATE):] for solution in store.query(query))


def store_term(term: ox.NamedNode | ox.BlankNode | ox.Literal, changed: set[ox.Literal]) -> object:
    return _private(term) if isinstance(term, ox.Literal) and term in changed else term


def decode_datatype(iri: str) -> str:
    return XSD + iri[len(PRIVATE):] if iri.startswith(PRIVATE) else iri


def to_rdflib(term: object) -> Node | None:
    """An Oxigraph term as an rdflib term, exactly as the data writes it.

    rdflib normalises lexical forms by default ("01"^^xsd:integer becomes "1"); here it must not.
    """
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
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise TypeError(f"unexpected Oxigraph term {term!r}")


@lru_cache(maxsize=65536)
def _stored_literal(literal: ox.Literal) -> ox.Literal:
    return store_term(literal, changed_by_store([literal]))


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the store holds it (literals the store would change, privately)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return _stored_literal(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected rdflib term {term!r}")


def bcp47_case(tag: str) -> str:
    """A language tag in the case BCP 47 recommends (RFC 5646, 2.1.1): zh-Hans, en-GB, sgn-BE-FR.

    Oxigraph lower-cases language tags, and RDF compares them without regard to case; every file
    and answer rightsgraph writes gives them this one case, whatever the input wrote. Script
    subtags are title case and region subtags upper case, but only before the first singleton:
    what follows an extension or private-use singleton ("x-ab") stays lower case.
    """
    parts = tag.lower().split("-")
    out = [parts[0]]
    for part in parts[1:]:
        if len(out[-1]) == 1:  # after a singleton: extension or private use, lower case to the end
            out.extend(parts[len(out):])
            break
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part)
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
                seen = {q.subject.value for q in parse_file(path, read_text(path))
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
    # The XSD datatypes (local names) of the literals the store holds under the private namespace
    # (see changed_by_store): SPARQL's comparisons and arithmetic would not see their values.
    private: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return len(self.store)


def parse_file(path: Path, text: str) -> list[ox.Quad]:
    """One file's triples as written (lexical forms kept: only the store changes them)."""
    try:
        return list(ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.TURTLE,
                             base_iri=path.resolve().as_uri()))
    except SyntaxError as error:
        parse_turtle(path)  # raises the reference parser's message, with the line, for the same fault
        # rdflib accepted it; Oxigraph is stricter (language tags must be well-formed BCP 47)
        message = re.sub(r"^Parser error at line \d+ between columns \d+ and \d+: |\s*\(line \d+\)$", "", str(error))
        found = re.search(r"at line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        raise InputError(f"{where(path, line)}: Turtle syntax error: {message}") from None


def _check_literals(path: Path, text: str, literals: set[ox.Literal]) -> None:
    """Reject ill-typed and over-long literals, naming the file and line."""
    for literal in literals:
        if len(literal.value) > MAX_LITERAL_CHARS:
            raise InputError(f"{where(path, line_of(text, literal.value[:40]))}: a literal of "
                             f"{len(literal.value):,} characters is longer than the {MAX_LITERAL_CHARS:,} allowed")
        if literal.language is None and is_ill_typed(literal.value, literal.datatype.value):
            raise InputError(f'{where(path, literal_line(text, literal.value))}: "{literal.value}" is not a valid '
                             f"{datatype_name(literal.datatype.value)} value")


_MALFORMED_STATEMENTS = f"""
SELECT ?statement ?s ?p WHERE {{
  ?claim <{RG.states}> ?statement .
  OPTIONAL {{ ?statement <{RG.subject}> ?s }}
  OPTIONAL {{ ?statement <{RG.predicate}> ?p }}
  FILTER(isLiteral(?s) || (BOUND(?p) && !isIRI(?p)))
}} LIMIT 1"""


def _check_statements(store: ox.Store, origins: LazyOrigins) -> None:
    """A statement asserts its triple: a literal subject or a predicate that is not an IRI would be
    a triple that is not RDF. Refused here, so that no path writes it or leaves it out silently."""
    for statement, subject, predicate in store.query(_MALFORMED_STATEMENTS):
        wrong, role = (subject, "subject") if isinstance(subject, ox.Literal) else (predicate, "predicate")
        holder = next((q.subject for q in store.quads_for_pattern(None, ox.NamedNode(str(RG.states)), statement)),
                      statement)
        files = origins.get(to_rdflib(holder)) or origins.files
        line = line_of(read_text(files[0]), f'"{wrong.value}"' if isinstance(wrong, ox.Literal) else str(wrong))
        raise InputError(f"{where(files[0], line)}: a statement of <{holder.value}> has {wrong} as its rg:{role}; "
                         f"the {role} of a triple must be an IRI{' or a blank node' if role == 'subject' else ''}")


def load_files(files: Iterable[Path], ontology: Graph | None = None,
               timings: dict[str, float] | None = None) -> StoreData:
    """Parse the Turtle files (and add the derived ontology, if given) into one store, and derive.

    This is the one loader: every command reads its input here. `timings`, if given, receives the
    seconds spent parsing and deriving (for the benchmark).
    """
    from .derive import derive_store
    from .validation import ontology_for_validation

    clock = time.perf_counter()
    paths = turtle_files(files)
    parsed_files: list[list[ox.Quad]] = []
    literals: set[ox.Literal] = set()
    for path in paths:
        text = read_text(path)
        quads = parse_file(path, text)
        found = {q.object for q in quads if isinstance(q.object, ox.Literal)}
        _check_literals(path, text, found)
        literals |= found
        parsed_files.append(quads)
    changed = changed_by_store(literals)
    store = ox.Store()
    for quads in parsed_files:
        if changed:
            quads = [ox.Quad(q.subject, q.predicate, store_term(q.object, changed)) for q in quads]
        store.extend(quads)
    del parsed_files
    origins = LazyOrigins(paths, store)
    _check_statements(store, origins)
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
    return StoreData(store, paths, origins, ontology if ontology is not None else Graph(), excluded,
                     private=private_datatypes(changed))


def store_of(graph: Graph) -> ox.Store:
    """An rdflib graph in a store, literals the store would change held privately (see to_oxigraph)."""
    store = ox.Store()
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
    return store


def graph_of(store: ox.Store) -> Graph:
    """The store as an rdflib Graph, every term exactly as the data writes it (for rdflib's SPARQL,
    pyshacl and the commands that walk the graph in Python)."""
    terms: dict[object, Node | None] = {}

    def term(value: object) -> Node | None:
        found = terms.get(value)
        if found is None:
            found = terms[value] = to_rdflib(value)
        return found

    graph = Graph()
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return bind_prefixes(graph)


# ---------------------------------------------------------------------------
# Writing: the canonical N-Triples of writing.canonical_graph, from Oxigraph's own N-Triples
# ---------------------------------------------------------------------------
#
# Oxigraph writes N-Triples fast, in Rust; the differences from what rdflib's serialiser writes
# are fixed on the text: the private datatypes, the case of language tags, the escapes (Oxigraph
# also escapes tabs and control characters, rdflib only \ " newline and carriage return) and the
# blank-node labels. The labels are canonical_graph's: blank_labels.canonical_labels of each blank
# node's triples, written as rdflib's n3() writes terms.

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
