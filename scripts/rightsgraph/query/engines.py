"""The one query runner: the same stored query on rdflib, on embedded Oxigraph, or on any
SPARQL 1.1 endpoint, with parameters bound as RDF terms and rows returned as rdflib terms.

- rdflib: bindings through rdflib's initBindings.
- Oxigraph (pyoxigraph, in process): bindings through the same VALUES block as for endpoints;
  Oxigraph's own substitutions (SEP-0007) require the variable to be projected, and stored
  queries need not project their parameters.
- a remote endpoint over the SPARQL 1.1 Protocol (core/http.py: bounded in time and size,
  credentials only after a challenge): bindings through a VALUES block (core/terms.py).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDFS
from rdflib.term import Identifier, Node

from rightsgraph.core.errors import EndpointError, InputError
from rightsgraph.core.http import SPARQL_JSON, StoreHttp, check_url, redact
from rightsgraph.core.results import Rows
from rightsgraph.core.sparql import inject_values, rewrite_not_exists
from rightsgraph.core.store import graph_of, store_of
from rightsgraph.core.terms import PRIVATE, is_valid_iri, sparql_term, to_rdflib

ENGINES = ("oxigraph", "rdflib")
DEFAULT_TIMEOUT = 30.0
# Longer queries go by POST: some servers and proxies cut GET URLs at 2-8 KB.
POST_THRESHOLD = 1500


T = TypeVar("T")


class QuerySyntaxError(InputError):
    """A query that does not parse, at a line and column of the text the engine was given."""

    def __init__(self, line: int | None, column: int | None, message: str) -> None:
        super().__init__(f"{line}:{column}: syntax error: {message}" if line else f"syntax error: {message}")
        self.line, self.column, self.message = line, column, message

    @classmethod
    def from_oxigraph(cls, error: str, query: str) -> QuerySyntaxError:
        """Oxigraph's "error at 3:14: expected one of <a list of character ranges>" in one line:
        an undeclared prefix is named, at its first character; a list of expected tokens is cut
        short."""
        match = _OXIGRAPH_ERROR.match(error)
        if match is None:
            return cls(None, None, " ".join(error.split()))
        line, column = int(match["line"]), int(match["column"])
        message = " ".join(match["message"].split())
        if "Prefix not found" in message:
            # Oxigraph points just after the prefixed name; the name is what the user must fix.
            lines = query.splitlines()
            before = lines[line - 1][:column - 1] if 0 < line <= len(lines) else ""
            name = _PREFIXED_NAME_END.search(before)
            if name is None:
                message = "a prefix that is not declared"
            else:
                message = f"the prefix '{name['prefix']}:' is not declared (add a PREFIX line for it)"
                column = name.start() + 1
        elif len(message) > _MAX_MESSAGE:
            message = message[:_MAX_MESSAGE].rsplit(",", 1)[0] + ", …"
        return cls(line, column, message)


_OXIGRAPH_ERROR = re.compile(r"error at (?P<line>\d+):(?P<column>\d+): (?P<message>.*)", re.DOTALL)
_PREFIXED_NAME_END = re.compile(r"(?P<prefix>[A-Za-z][\w.-]*)?:[\w.%-]*$")
_MAX_MESSAGE = 120


def bounded(work: Callable[[], T], timeout: float | None) -> T:
    """work() in a worker thread, given up after `timeout` seconds (None: no limit).

    Both embedded engines evaluate a query in one call that Python cannot interrupt: Oxigraph in
    Rust, with the GIL released, and rdflib between signal checks only. Waiting on the thread
    instead keeps the main thread free: the deadline is kept, and Ctrl-C raises
    KeyboardInterrupt in it at once. The thread is a daemon: an abandoned query runs on only
    until the command exits, which it then does at once."""
    outcome: dict[str, T | BaseException] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the waiting thread, which raises it
            outcome["error"] = error

    thread = threading.Thread(target=run, name="rightsgraph-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise EndpointError(f"the query did not finish within {timeout:g} s; "
                            "give a longer --timeout, or narrow the query")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


class Engine(Protocol):
    name: str

    def select(self, text: str, bindings: dict[str, Identifier] | None = None) -> Rows: ...

    def labels(self, nodes: Iterable[URIRef]) -> dict[URIRef, dict[str, str]]: ...


def _label_map(pairs: Iterable[tuple[Node | None, ...]]) -> dict[URIRef, dict[str, str]]:
    labels: dict[URIRef, dict[str, str]] = {}
    for node, label in pairs:
        if isinstance(node, URIRef) and isinstance(label, Literal):
            labels.setdefault(node, {}).setdefault(label.language or "", str(label))
    return labels


def _labels_query(nodes: Iterable[URIRef]) -> str:
    values = " ".join(sparql_term(node) for node in sorted(set(nodes)))
    return (f"SELECT ?node ?label WHERE {{ VALUES ?node {{ {values} }} "
            f"?node <{RDFS.label}> ?label }}")


class RdflibEngine:
    name = "rdflib"

    def __init__(self, graph: Graph, timeout: float | None = None) -> None:
        self.graph = graph
        self.timeout = timeout

    def select(self, text: str, bindings: dict[str, Identifier] | None = None) -> Rows:
        return bounded(lambda: self._select(text, bindings), self.timeout)

    def _select(self, text: str, bindings: dict[str, Identifier] | None) -> Rows:
        try:
            result = self.graph.query(text, initBindings={Variable(k): v for k, v in (bindings or {}).items()})
        except ParseException as error:
            raise QuerySyntaxError(error.lineno, error.col, error.msg) from None
        if result.type != "SELECT":
            raise InputError("only SELECT queries can be run (their answers are tables)")
        variables = [str(v) for v in (result.vars or [])]
        return Rows(variables, [tuple(row) for row in result])

    def labels(self, nodes: Iterable[URIRef]) -> dict[URIRef, dict[str, str]]:
        return _label_map((node, label) for node in set(nodes) for label in self.graph.objects(node, RDFS.label))


class _TermMemo(dict):
    """Oxigraph terms to rdflib terms, each converted on first use (unbound stays None)."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, term: object) -> Node | None:
        node = self[term] = to_rdflib(term)
        return node


class OxigraphEngine:
    name = "oxigraph"

    def __init__(self, store: ox.Store, timeout: float | None = None) -> None:
        self.store = store
        self.timeout = timeout

    @classmethod
    def from_graph(cls, graph: Graph, timeout: float | None = None) -> OxigraphEngine:
        return cls(store_of(graph), timeout)

    @classmethod
    def from_file(cls, path: str, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> OxigraphEngine:
        store = ox.Store()
        store.bulk_load(path=path, format=fmt)
        return cls(store)

    def select(self, text: str, bindings: dict[str, Identifier] | None = None) -> Rows:
        return bounded(lambda: self._select(text, bindings), self.timeout)

    def _select(self, text: str, bindings: dict[str, Identifier] | None) -> Rows:
        try:
            solutions = self.store.query(rewrite_not_exists(inject_values(text, bindings or {})))
        except SyntaxError as error:
            raise QuerySyntaxError.from_oxigraph(str(error), text) from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError("only SELECT queries can be run (their answers are tables)")
        variables = [v.value for v in solutions.variables]
        # Each term converted once per call: rows repeat the same sources, quotes and resources,
        # and building rdflib terms (Literal above all) costs more than evaluating the query.
        # Oxigraph's terms are hashable and equal by value (a NamedNode never equals a Literal
        # with the same text), and a solution iterates over its values in `variables` order.
        convert = _TermMemo().__getitem__
        rows = [tuple(map(convert, solution)) for solution in solutions]
        return Rows(variables, rows)

    def labels(self, nodes: Iterable[URIRef]) -> dict[URIRef, dict[str, str]]:
        nodes = list(nodes)
        return _label_map(self.select(_labels_query(nodes)).rows) if nodes else {}


def _from_json(binding: dict | None) -> Node | None:
    if binding is None:
        return None
    kind, value = binding.get("type"), binding.get("value")
    if not isinstance(value, str):
        raise ValueError("a binding without a value")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return Literal(value, lang=binding["xml:lang"])
        datatype = binding.get("datatype")
        if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise ValueError(f"unknown binding type {kind!r}")


class RemoteEngine:
    """Any SPARQL 1.1 endpoint. Credentials come from RIGHTSGRAPH_ENDPOINT_USER and
    RIGHTSGRAPH_ENDPOINT_PASSWORD, never from the command line or the URL, are sent only when the
    endpoint asks and only to its host, and are never printed. `timeout` bounds each query and
    its whole answer; answers are limited to http.MAX_ANSWER_BYTES."""

    name = "remote"

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT, default_graph: str | None = None) -> None:
        self.url = check_url(url)
        if default_graph is not None and not is_valid_iri(default_graph):
            raise InputError(f"--graph {default_graph!r}: not a valid IRI")
        self.timeout = timeout
        self.http = StoreHttp(timeout, [url])
        # Some stores (Virtuoso) answer from the union of all their graphs, system graphs
        # included, unless the query names its default graph (SPARQL Protocol default-graph-uri).
        self.default_graph = default_graph

    def _fetch(self, text: str) -> dict:
        parameters = urllib.parse.urlencode({"query": text, **(
            {"default-graph-uri": self.default_graph} if self.default_graph else {})})
        if len(text) > POST_THRESHOLD:
            response = self.http.request("POST", self.url, parameters.encode(), {
                "Content-Type": "application/x-www-form-urlencoded", "Accept": SPARQL_JSON}, endpoint=self.url)
        else:
            separator = "&" if urllib.parse.urlsplit(self.url).query else "?"
            response = self.http.request("GET", f"{self.url}{separator}{parameters}", headers={"Accept": SPARQL_JSON},
                                         endpoint=self.url)
        try:
            document = json.loads(response.body)
            if not isinstance(document, dict) or "head" not in document:
                raise ValueError("no head")
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise EndpointError(f"{redact(self.url)} answered with something that is not SPARQL JSON results") \
                from None
        return document

    def select(self, text: str, bindings: dict[str, Identifier] | None = None) -> Rows:
        # The same NOT EXISTS -> MINUS rewrite as the embedded store's: equivalent SPARQL, and
        # servers (Oxigraph, Virtuoso) evaluate a NOT EXISTS group once per row.
        document = self._fetch(rewrite_not_exists(inject_values(text, bindings or {})))
        try:
            variables = list(document["head"].get("vars", []))
            rows = [tuple(_from_json(b.get(v)) for v in variables) for b in document["results"]["bindings"]]
        except (KeyError, TypeError, AttributeError, ValueError):
            raise EndpointError(f"{redact(self.url)} answered with malformed SPARQL JSON results") from None
        return Rows(variables, rows)

    def labels(self, nodes: Iterable[URIRef]) -> dict[URIRef, dict[str, str]]:
        nodes = list(nodes)
        return _label_map(self.select(_labels_query(nodes)).rows) if nodes else {}


def local_engine(graph: Graph, name: str = "oxigraph", timeout: float | None = None) -> Engine:
    if name == "rdflib":
        return RdflibEngine(graph, timeout)
    if name == "oxigraph":
        return store_engine(store_of(graph), graph, timeout)
    raise InputError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


def store_engine(store: ox.Store, graph: Graph | None = None, timeout: float | None = None) -> Engine:
    """Oxigraph on the store, unless it holds literals under the private datatypes (core/terms.py:
    literals Oxigraph would otherwise change). Its comparisons, arithmetic and ordering would not
    see their values, so the queries go to rdflib, on the same triples, and the user is told."""
    example = next(iter(store.query(_PRIVATE_LITERAL)), None)
    if example is None:
        return OxigraphEngine(store, timeout)
    logging.getLogger(__name__).warning(
        "the data has literals Oxigraph would change (such as %s); the queries run on rdflib instead",
        to_rdflib(example[0]).n3())
    return RdflibEngine(graph if graph is not None else graph_of(store), timeout)


_PRIVATE_LITERAL = (f'SELECT ?o WHERE {{ ?s ?p ?o FILTER(isLiteral(?o) && '
                    f'STRSTARTS(STR(DATATYPE(?o)), "{PRIVATE}")) }} LIMIT 1')
