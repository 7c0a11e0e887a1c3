"""`rightsgraph load`: put the graph into any SPARQL 1.1 store, replacing a graph all at once.

1. Upload the graph into a staging graph, by the Graph Store HTTP Protocol where the store has
   it, else by SPARQL Update; in batches that keep each blank node's triples together (blank
   nodes are scoped to one request, so splitting them would make two nodes of one).
2. Count the staging graph; a wrong count stops here and the target is untouched.
3. Replace the target with the staging graph in one operation: `MOVE <staging> TO <target>`.
   Oxigraph runs an update request in one transaction; see the README for other stores.
4. Count the target.

Every load has its own staging graph (named after the target, the time it started and a random
part), so two loads into one target at once cannot mix: each MOVE puts one whole, counted graph
in place, and the target ends as the graph of whichever moved last. A load that fails drops its
staging graph if the store still answers; one that is killed before step 3 leaves the target as
it was and its staging graph behind, which a later load of the same target drops once it is
older than STALE_STAGING (a live load is never that old in practice; if one were, its count or
its final count would fail, and say so).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import secrets
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import XSD, BNode, Graph, Literal
from rdflib.term import Node

from rightsgraph.core.errors import EndpointError, InputError
from rightsgraph.core.http import StoreHttp, StoreRefused, check_url
from rightsgraph.core.terms import sparql_term

log = logging.getLogger(__name__)

METHODS = ("auto", "gsp", "update")
UPDATE_BATCH = 1000
GSP_BATCH = 50_000
# Statuses that mean "no Graph Store Protocol here (for us)": fall back to SPARQL Update.
_NO_GSP = {401, 403, 404, 405, 406, 415, 501}

Triple = tuple[Node, Node, Node]
# Called with a phase ("staged", "uploaded", "counted", "swapped") and a detail; tests use it to
# interrupt a load at a known point.
Hook = Callable[[str, int], None]


@dataclass
class StoreEndpoints:
    """Where a store answers queries, updates and Graph Store requests."""

    query: str
    update: str
    graph_store: list[str] = field(default_factory=list)

    @classmethod
    def guess(cls, query: str, update: str | None = None, graph_store: str | None = None) -> StoreEndpoints:
        """The usual layouts: Oxigraph and Fuseki (…/query, …/update, …/store or …/data) and
        Virtuoso (…/sparql, …/sparql-graph-crud; …/sparql-auth, …/sparql-graph-crud-auth)."""
        check_url(query)
        parts = urllib.parse.urlsplit(query)
        base, _, last = parts.path.rpartition("/")

        def sibling(name: str) -> str:
            return urllib.parse.urlunsplit(parts._replace(path=f"{base}/{name}", query="", fragment=""))

        layouts = {"query": ("update", ["store", "data"]), "sparql": (last, ["sparql-graph-crud"]),
                   "sparql-auth": (last, ["sparql-graph-crud-auth"])}
        update_name, store_names = layouts.get(last, (None, []))
        guessed_update = sibling(update_name) if update_name and update_name != last else query
        stores = [check_url(graph_store, "--graph-store")] if graph_store else [sibling(n) for n in store_names]
        return cls(query, check_url(update, "--update") if update else guessed_update, stores)


@dataclass
class LoadResult:
    triples: int
    method: str
    graph_store: str | None
    target: str | None


def normalised_triples(graph: Graph) -> list[Triple]:
    """The graph's triples with xsd:string literals written plain: in RDF 1.1 they are the same
    term, and stores keep only one of the two."""
    def term(node: Node) -> Node:
        if isinstance(node, Literal) and node.datatype == XSD.string:
            return Literal(str(node))
        return node
    return sorted({(term(s), p, term(o)) for s, p, o in graph}, key=lambda t: tuple(map(str, t)))


# Stores keep typed values, not lexical forms: Oxigraph and Virtuoso store every integer type as
# xsd:integer ("007"^^xsd:nonNegativeInteger comes back as "7"^^xsd:integer) and xsd:decimal in
# canonical form. Triples that differ only there become one triple in the store.
INTEGER_TYPES = {XSD[name] for name in (
    "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "long", "int",
    "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}


def _stored_form(node: Node) -> object:
    if not isinstance(node, Literal):
        return node
    if node.language:
        # Language tags compare without case (RDF 1.1); Virtuoso lower-cases them.
        return ("lang", str(node), node.language.lower())
    try:
        if node.datatype in INTEGER_TYPES:
            return ("integer", int(str(node).strip()))
        if node.datatype == XSD.decimal:
            return ("decimal", Decimal(str(node).strip()).normalize())
    except (ValueError, ArithmeticError):
        pass
    return node


def expected_count(triples: Iterable[Triple]) -> int:
    """How many triples a store will hold, once it has merged triples that differ only in the
    case of a language tag or the lexical form of a number."""
    return len({tuple(_stored_form(t) for t in triple) for triple in triples})


def batches(triples: list[Triple], size: int) -> Iterator[list[Triple]]:
    """Batches of about `size` triples; all triples of a blank-node-connected group stay together."""
    parent: dict[BNode, BNode] = {}

    def find(node: BNode) -> BNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for s, _, o in triples:
        if isinstance(s, BNode) and isinstance(o, BNode):
            parent[find(s)] = find(o)
    groups: dict[object, list[Triple]] = {}
    for index, triple in enumerate(triples):
        s, _, o = triple
        node = s if isinstance(s, BNode) else o if isinstance(o, BNode) else None
        groups.setdefault(find(node) if node is not None else index, []).append(triple)
    batch: list[Triple] = []
    for group in groups.values():
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def _term(node: Node, labels: dict[BNode, str]) -> str:
    if isinstance(node, BNode):
        # Our own labels: valid in N-Triples and SPARQL whatever the source's labels were.
        return labels.setdefault(node, f"_:b{len(labels)}")
    return sparql_term(node)


def ntriples(batch: list[Triple], labels: dict[BNode, str]) -> str:
    return "".join(f"{_term(s, labels)} {_term(p, labels)} {_term(o, labels)} .\n" for s, p, o in batch)


def _graph_ref(graph: str | None) -> str:
    return f"GRAPH <{graph}>" if graph else "DEFAULT"


STAGING = "urn:rightsgraph:staging:"
# Age after which another load of the same target drops a staging graph as left by a killed load.
STALE_STAGING = 3600.0


def staging_prefix(target: str | None) -> str:
    """The start of the names of every staging graph for this target."""
    digest = hashlib.sha256((target or "default graph").encode()).hexdigest()[:16]
    return f"{STAGING}{digest}:"


def staging_graph(target: str | None, started: float) -> str:
    """A staging graph of its own for a load that started at `started` (seconds since the epoch)."""
    return f"{staging_prefix(target)}{int(started)}-{secrets.token_hex(8)}"


def _started(staging: str) -> int | None:
    match = re.search(r":(\d+)-[0-9a-f]+$", staging)
    return int(match.group(1)) if match else None


def check_graph_iri(iri: str) -> str:
    parts = urllib.parse.urlsplit(iri)
    if not parts.scheme or any(ch in iri for ch in ' <>"{}|^`\\') or any(ord(ch) < 33 for ch in iri):
        raise InputError(f"--graph {iri!r}: expected an absolute IRI such as https://example.org/rightsgraph")
    return iri


def _count_query(graph: str | None) -> str:
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"


class StoreLoader:
    def __init__(self, endpoints: StoreEndpoints, timeout: float, hook: Hook | None = None,
                 stale_after: float = STALE_STAGING) -> None:
        self.endpoints = endpoints
        self.stale_after = stale_after
        self.http = StoreHttp(timeout, [endpoints.query, endpoints.update, *endpoints.graph_store])
        self.hook = hook or (lambda phase, detail: None)

    def _upload_gsp(self, url: str, staging: str, triples: list[Triple], size: int) -> None:
        labels: dict[BNode, str] = {}
        for number, batch in enumerate(batches(triples, size)):
            self.http.put_graph(url, staging, ntriples(batch, labels).encode("utf-8"), replace=number == 0)
            self.hook("staged", number)

    def _upload_update(self, staging: str, triples: list[Triple], size: int) -> None:
        labels: dict[BNode, str] = {}
        for number, batch in enumerate(batches(triples, size)):
            body = ntriples(batch, labels)
            # INSERT … WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in INSERT
            # DATA; a template's blank nodes are one fresh node each for the one empty solution.
            self.http.update(self.endpoints.update, f"INSERT {{ GRAPH <{staging}> {{\n{body}}} }} WHERE {{}}")
            self.hook("staged", number)

    def _upload(self, method: str, staging: str, triples: list[Triple], batch_size: int | None) -> str | None:
        """Upload into the staging graph; returns the Graph Store URL used, or None for Update."""
        if method in ("auto", "gsp"):
            if method == "gsp" and not self.endpoints.graph_store:
                raise InputError("--method gsp needs --graph-store URL for this endpoint")
            for url in self.endpoints.graph_store:
                try:
                    self._upload_gsp(url, staging, triples, batch_size or GSP_BATCH)
                    return url
                except StoreRefused as refused:
                    if method == "gsp" or refused.status not in _NO_GSP:
                        raise
                    log.info("no Graph Store Protocol at %s (HTTP %s)", url, refused.status)
        self._upload_update(staging, triples, batch_size or UPDATE_BATCH)
        return None

    def _drop_stale(self, target: str | None, now: float) -> None:
        """Drop the staging graphs of this target that killed loads left behind."""
        prefix = staging_prefix(target)
        rows = self.http.select(self.endpoints.query, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                f"FILTER(STRSTARTS(STR(?g), {sparql_term(Literal(prefix))})) }}")
        for row in rows:
            name = row.get("g", {}).get("value", "")
            started = _started(name)
            if name.startswith(prefix) and started is not None and now - started > self.stale_after:
                log.info("dropping the staging graph <%s>, left by a load that started at %s", name, started)
                self.http.update(self.endpoints.update, f"DROP SILENT GRAPH <{name}>")

    def load(self, graph: Graph, target: str | None, method: str = "auto",
             batch_size: int | None = None) -> LoadResult:
        triples = normalised_triples(graph)
        expected = expected_count(triples)
        started = time.time()
        staging = staging_graph(target, started)
        update = self.endpoints.update
        self._drop_stale(target, started)
        try:
            used = self._upload(method, staging, triples, batch_size)
            self.hook("uploaded", len(triples))
            staged = self.http.count(self.endpoints.query, _count_query(staging))
            if staged != expected:
                raise EndpointError(f"the store holds {staged:,} triples in the staging graph where "
                                    f"{expected:,} were sent; the target graph was left as it was")
            self.hook("counted", staged)
            self.http.update(update, f"MOVE GRAPH <{staging}> TO {_graph_ref(target)}")
        except Exception:
            # Not left for another load to find: drop it now if the store still answers.
            with contextlib.suppress(EndpointError):
                self.http.update(update, f"DROP SILENT GRAPH <{staging}>")
            raise
        self.hook("swapped", staged)
        loaded = self.http.count(self.endpoints.query, _count_query(target))
        if loaded != expected:
            where = f"<{target}>" if target else "the default graph"
            hint = " (another load may have replaced it since)" if target else \
                " (does the store query the union of all graphs by default? or another load replaced it since)"
            raise EndpointError(f"after the swap the store holds {loaded:,} triples in {where}, "
                                f"not {expected:,}{hint}")
        return LoadResult(loaded, "gsp" if used else "update", used, target)
