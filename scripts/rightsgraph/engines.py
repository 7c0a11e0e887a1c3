"""The one query runner: the same stored query on rdflib, on embedded Oxigraph, or on any
SPARQL 1.1 endpoint, with parameters bound as RDF terms and rows returned as rdflib terms.

- rdflib: bindings through rdflib's initBindings.
- Oxigraph (pyoxigraph, in process): bindings through the same VALUES block as for endpoints;
  Oxigraph's own substitutions (SEP-0007) require the variable to be projected, and stored
  queries need not project their parameters.
- a remote endpoint through SPARQLWrapper: bindings through a VALUES block (sparql_terms.py).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import urllib.error
from collections.abc import Iterable
from typing import Protocol

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDFS
from rdflib.term import Identifier, Node
from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from . import __version__
from .errors import EndpointError, InputError
from .oxstore import PRIVATE, graph_of, store_of, to_rdflib
from .results import Rows
from .sparql_rewrite import rewrite_not_exists
from .sparql_terms import inject_values, is_valid_iri, sparql_term

ENGINES = ("oxigraph", "rdflib")
DEFAULT_TIMEOUT = 30.0
USER_AGENT = f"rightsgraph/{__version__} (+https://w3id.org/rightsgraph/)"
# Longer queries go by POST: some servers and proxies cut GET URLs at 2-8 KB.
POST_THRESHOLD = 1500


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

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def select(self, text: str, bindings: dict[str, Identifier] | None = None) -> Rows:
        try:
            result = self.graph.query(text, initBindings={Variable(k): v for k, v in (bindings or {}).items()})
        except ParseException as error:
            raise InputError(f"the query has a syntax error at line {error.lineno}, column {error.col}: "
                             f"{error.msg}") from None
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

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def from_graph(cls, graph: Graph) -> OxigraphEngine:
        return cls(store_of(graph))

    @classmethod
    def from_file(cls, path: str, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> OxigraphEngine:
        store = ox.Store()
        store.bulk_load(path=path, format=fmt)
        return cls(store)

    def select(self, text: str, bindings: dict[str, Identifier] | None = None) -> Rows:
        try:
            solutions = self.store.query(rewrite_not_exists(inject_values(text, bindings or {})))
        except SyntaxError as error:
            raise InputError(f"the query has a syntax error: {error}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError("only SELECT queries can be run as stored queries")
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
    RIGHTSGRAPH_ENDPOINT_PASSWORD, never from the command line, and are never printed."""

    name = "remote"

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT, default_graph: str | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise InputError(f"--endpoint {url!r}: expected an http:// or https:// URL")
        if default_graph is not None and not is_valid_iri(default_graph):
            raise InputError(f"--graph {default_graph!r}: not a valid IRI")
        self.url = url
        self.timeout = timeout
        # Some stores (Virtuoso) answer from the union of all their graphs, system graphs
        # included, unless the query names its default graph (SPARQL Protocol default-graph-uri).
        self.default_graph = default_graph

    def _wrapper(self, text: str) -> SPARQLWrapper:
        sparql = SPARQLWrapper(self.url, agent=USER_AGENT)
        sparql.setQuery(text)
        # SPARQLWrapper guesses the query type from the text, comments included, and takes a
        # header word such as "address" for an ADD update: stored queries are all SELECT.
        sparql.queryType = SELECT
        if self.default_graph:
            sparql.addDefaultGraph(self.default_graph)
        sparql.setReturnFormat(JSON)
        sparql.setTimeout(max(1, round(self.timeout)))
        if len(text) > POST_THRESHOLD:
            sparql.setMethod(POST)
        user = os.environ.get("RIGHTSGRAPH_ENDPOINT_USER")
        if user:
            sparql.setCredentials(user, os.environ.get("RIGHTSGRAPH_ENDPOINT_PASSWORD", ""))
        return sparql

    def _fetch(self, text: str) -> dict:
        try:
            response = self._wrapper(text).query().response
            body = response.read()
        except urllib.error.HTTPError as error:
            raise EndpointError(self._http_message(error.code)) from None
        except SPARQLWrapperException as error:
            code = {"EndPointNotFound": 404, "Unauthorized": 401, "Forbidden": 403,
                    "EndPointInternalError": 500, "QueryBadFormed": 400, "URITooLong": 414}
            raise EndpointError(self._http_message(code.get(type(error).__name__, 0), error)) from None
        except TimeoutError:
            raise EndpointError(f"{self.url} did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise EndpointError(f"{self.url} did not answer within {self.timeout:g} s") from None
            detail = getattr(reason, "strerror", None) or reason
            raise EndpointError(f"cannot connect to {self.url}: {detail}") from None
        except (ConnectionError, OSError) as error:
            raise EndpointError(f"the connection to {self.url} failed: {error}") from None
        try:
            document = json.loads(body)
            if not isinstance(document, dict) or "head" not in document:
                raise ValueError("no head")
        except (ValueError, UnicodeDecodeError):
            raise EndpointError(f"{self.url} answered with something that is not SPARQL JSON results") from None
        return document

    def _http_message(self, code: int, error: Exception | None = None) -> str:
        meanings = {400: "rejected the query as malformed", 401: "requires credentials "
                    "(set RIGHTSGRAPH_ENDPOINT_USER and RIGHTSGRAPH_ENDPOINT_PASSWORD)",
                    403: "refused access with these credentials", 404: "has no SPARQL service at this URL",
                    414: "refused the query as too long", 500: "failed with an internal server error",
                    503: "is unavailable"}
        meaning = meanings.get(code, f"answered HTTP {code}" if code else f"failed: {error}")
        return f"the endpoint {self.url} {meaning}"

    def select(self, text: str, bindings: dict[str, Identifier] | None = None) -> Rows:
        # The same NOT EXISTS -> MINUS rewrite as the embedded store's: equivalent SPARQL, and
        # servers (Oxigraph, Virtuoso) evaluate a NOT EXISTS group once per row.
        document = self._fetch(rewrite_not_exists(inject_values(text, bindings or {})))
        try:
            variables = list(document["head"].get("vars", []))
            rows = [tuple(_from_json(b.get(v)) for v in variables) for b in document["results"]["bindings"]]
        except (KeyError, TypeError, AttributeError, ValueError):
            raise EndpointError(f"{self.url} answered with malformed SPARQL JSON results") from None
        return Rows(variables, rows)

    def labels(self, nodes: Iterable[URIRef]) -> dict[URIRef, dict[str, str]]:
        nodes = list(nodes)
        return _label_map(self.select(_labels_query(nodes)).rows) if nodes else {}


def local_engine(graph: Graph, name: str = "oxigraph") -> Engine:
    if name == "rdflib":
        return RdflibEngine(graph)
    if name == "oxigraph":
        return store_engine(store_of(graph), graph)
    raise InputError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


def store_engine(store: ox.Store, graph: Graph | None = None) -> Engine:
    """Oxigraph on the store, unless it holds literals under the private datatypes (oxstore.py:
    literals Oxigraph would otherwise change). Its comparisons, arithmetic and ordering would not
    see their values, so the queries go to rdflib, on the same triples, and the user is told."""
    example = next(iter(store.query(_PRIVATE_LITERAL)), None)
    if example is None:
        return OxigraphEngine(store)
    logging.getLogger(__name__).warning(
        "the data has literals Oxigraph would change (such as %s); the queries run on rdflib instead",
        to_rdflib(example[0]).n3())
    return RdflibEngine(graph if graph is not None else graph_of(store))


_PRIVATE_LITERAL = (f'SELECT ?o WHERE {{ ?s ?p ?o FILTER(isLiteral(?o) && '
                    f'STRSTARTS(STR(DATATYPE(?o)), "{PRIVATE}")) }} LIMIT 1')
