"""`rightsgraph load`: the graph into a real store, replacing the target all at once; a killed
store holds the old graph or the new one, never a mix; a failing store is one clear error."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from conftest import ROOT, assert_clean_error, run_cli
from rightsgraph.core.errors import EndpointError
from rightsgraph.core.http import StoreHttp
from rightsgraph.load.loader import (
    STAGING,
    StoreEndpoints,
    StoreLoader,
    batches,
    expected_count,
    normalised_triples,
    ntriples,
)
from rightsgraph.serve.server import free_port
from servers import OxigraphServer

pytestmark = pytest.mark.server

TARGET = "https://example.org/rightsgraph/load-test"
EX = "https://example.org/version/"


def _fetch(server: OxigraphServer, graph: str | None) -> bytes:
    """The graph as the store holds it, as N-Triples, through the Graph Store Protocol."""
    where = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    request = urllib.request.Request(f"{server.store_url}?{where}", headers={"Accept": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return b""
        raise


def _staging_graphs(server: OxigraphServer) -> list[str]:
    """The staging graphs the store holds, whichever load made them."""
    rows = StoreHttp(30, [server.url]).select(
        server.url, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), '{STAGING}')) }}")
    return [row["g"]["value"] for row in rows]


def _canonical(ntriples_text: bytes | str) -> set[str]:
    """Triples as Oxigraph keeps them (typed values in canonical form), blank nodes canonically
    named (RDFC-1.0), so that two graphs compare equal exactly when they are the same graph."""
    store = ox.Store()
    store.load(ntriples_text.encode() if isinstance(ntriples_text, str) else ntriples_text,
               format=ox.RdfFormat.N_TRIPLES)
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


def _same(stored: bytes, graph: Graph) -> bool:
    return _canonical(stored) == _canonical(ntriples(normalised_triples(graph), {}))


def _version(base: Graph, tag: str, extra: int) -> Graph:
    """A distinct version of the graph: every version has its own marker triples and blank nodes."""
    graph = Graph()
    graph += base
    for number in range(extra):
        node = BNode()
        graph.add((URIRef(f"{EX}{tag}"), URIRef(f"{EX}has"), node))
        graph.add((node, URIRef(f"{EX}number"), Literal(number)))
        graph.add((node, URIRef(f"{EX}label"), Literal(f"{tag} {number}", lang="zh-Hant")))
    return graph


@pytest.fixture(scope="module")
def versions(graph: Graph) -> tuple[Graph, Graph]:
    return _version(graph, "A", 10), _version(graph, "B", 3000)


@pytest.fixture
def writable(tmp_path: Path):
    server = OxigraphServer(None, tmp_path, writable=True)
    yield server
    server.stop()


def _loader(server: OxigraphServer, hook=None) -> StoreLoader:
    return StoreLoader(StoreEndpoints.guess(server.url), timeout=30, hook=hook)


def test_batches_keep_blank_nodes_together(versions: tuple[Graph, Graph]) -> None:
    triples = normalised_triples(versions[1])
    seen: dict[BNode, int] = {}
    chunks = list(batches(triples, 100))
    assert sum(map(len, chunks)) == len(triples) and len(chunks) > 1
    for number, chunk in enumerate(chunks):
        for s, _, o in chunk:
            for node in (s, o):
                if isinstance(node, BNode):
                    assert seen.setdefault(node, number) == number, "a blank node split across requests"


def test_guessed_endpoints() -> None:
    oxigraph = StoreEndpoints.guess("http://127.0.0.1:7878/query")
    assert oxigraph.update == "http://127.0.0.1:7878/update"
    assert oxigraph.graph_store[0] == "http://127.0.0.1:7878/store"
    virtuoso = StoreEndpoints.guess("http://127.0.0.1:8890/sparql-auth")
    assert virtuoso.update == "http://127.0.0.1:8890/sparql-auth"
    assert virtuoso.graph_store == ["http://127.0.0.1:8890/sparql-graph-crud-auth"]


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_load_replaces_the_named_graph_exactly(writable: OxigraphServer, versions, method: str) -> None:
    first, second = versions
    for version in (first, second):
        result = _loader(writable).load(version, TARGET, method, batch_size=700)
        assert result.method == method
        assert result.triples == expected_count(normalised_triples(version))
        assert _same(_fetch(writable, TARGET), version)
    assert _staging_graphs(writable) == []  # no staging graph left behind


def test_load_command_into_the_default_graph(writable: OxigraphServer, graph: Graph) -> None:
    result = run_cli("load", "--endpoint", writable.url)
    assert result.returncode == 0, result.stderr
    assert "the store's count matches" in result.stdout
    assert "default graph" in result.stdout and "Graph Store Protocol" in result.stdout
    stored = Graph().parse(data=_fetch(writable, None), format="nt")
    assert len(stored) == expected_count(normalised_triples(stored))
    # The public view: the graph, less what is restricted or confidential.
    assert 0 < len(stored) <= len(graph)


@pytest.mark.parametrize(("phase", "survivor"), [
    ("staged", "old"),     # killed while the staging graph is being uploaded
    ("counted", "old"),    # killed after the staging graph was verified, before the swap
    ("swapped", "new"),    # killed right after the swap, before the final count
])
def test_a_store_killed_mid_load_holds_the_old_graph_or_the_new(
        tmp_path: Path, versions, phase: str, survivor: str) -> None:
    old, new = versions
    server = OxigraphServer(None, tmp_path, writable=True)
    try:
        _loader(server).load(old, TARGET)

        def kill(at: str, detail: int) -> None:
            if at == phase and (at != "staged" or detail == 1):
                server.process.send_signal(signal.SIGKILL)
                server.process.wait()

        with pytest.raises(EndpointError, match=r"cannot connect|connection|did not answer"):
            _loader(server, kill).load(new, TARGET, "update", batch_size=500)
    finally:
        server.stop()
    restarted = OxigraphServer(None, tmp_path, writable=True)  # the same --location
    try:
        assert _same(_fetch(restarted, TARGET), old if survivor == "old" else new)
        # A later load cleans up whatever the killed one left (once it is older than
        # STALE_STAGING: here at once), and succeeds.
        StoreLoader(StoreEndpoints.guess(restarted.url), timeout=30, stale_after=0).load(new, TARGET)
        assert _same(_fetch(restarted, TARGET), new)
        assert _staging_graphs(restarted) == []
    finally:
        restarted.stop()


def test_a_store_killed_during_a_load_command_holds_one_version(tmp_path: Path, versions) -> None:
    """The real command, the store killed at whatever moment the upload has reached."""
    old, new = versions
    new_file = tmp_path / "new.nt"
    new.serialize(new_file, format="nt", encoding="utf-8")
    server = OxigraphServer(None, tmp_path, writable=True)
    try:
        _loader(server).load(old, TARGET)
        command = subprocess.Popen(
            [sys.executable, "-m", "rightsgraph.cli", "load", "--endpoint", server.url, "--graph", TARGET,
             "--file", str(new_file), "--include-confidential", "--method", "update", "--batch-size", "200"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and command.poll() is None and not _staging_graphs(server):
            time.sleep(0.01)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        _, err = command.communicate(timeout=120)
    finally:
        server.stop()
    if command.returncode != 0:
        assert command.returncode == 3 and "Traceback" not in err, err
    restarted = OxigraphServer(None, tmp_path, writable=True)
    try:
        stored = _fetch(restarted, TARGET)
        assert _same(stored, old) or _same(stored, new)
    finally:
        restarted.stop()


class _Died(Exception):
    """A load killed mid-way."""


def test_a_load_killed_while_another_is_about_to_swap_does_not_get_into_the_target(
        writable: OxigraphServer, versions) -> None:
    """Two loads into one target at once: the second starts after the first has counted its
    staging graph, uploads one batch and dies; the first then swaps in its own graph, whole."""
    first, second = versions

    def die(phase: str, detail: int) -> None:
        if phase == "staged":
            raise _Died

    def meanwhile(phase: str, detail: int) -> None:
        if phase == "counted":
            with pytest.raises(_Died):
                _loader(writable, die).load(second, TARGET, "update", batch_size=500)

    result = _loader(writable, meanwhile).load(first, TARGET, "update", batch_size=500)
    assert result.triples == expected_count(normalised_triples(first))
    assert _same(_fetch(writable, TARGET), first)


def test_endpoint_down() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    assert_clean_error(run_cli("load", "--endpoint", url, "--timeout", "3"), 3, "cannot connect to")


@pytest.mark.parametrize(("path", "fragment"), [
    ("/hang", "did not answer within 2 s"),
    ("/garbage", "not SPARQL JSON results"),
    ("/500", "internal server error"),
])
def test_endpoint_slow_or_failing_or_garbage(misbehaving_endpoint: str, path: str, fragment: str) -> None:
    result = run_cli("load", "--endpoint", misbehaving_endpoint + path, "--timeout", "2", timeout=120)
    assert_clean_error(result, 3, fragment)


def test_credentials_only_from_the_environment(misbehaving_endpoint: str) -> None:
    secret = "s3cret-l0ad-passw0rd"
    result = run_cli("load", "--endpoint", f"http://user:{secret}@127.0.0.1:1/query")
    assert_clean_error(result, 2, "RIGHTSGRAPH_ENDPOINT_USER")
    assert secret not in result.stdout + result.stderr
    env = {"RIGHTSGRAPH_ENDPOINT_USER": "researcher", "RIGHTSGRAPH_ENDPOINT_PASSWORD": secret}
    result = run_cli("load", "--endpoint", misbehaving_endpoint + "/401", env=env)
    assert_clean_error(result, 3, "did not accept the credentials")
    assert secret not in result.stdout + result.stderr
    assert "--password" not in run_cli("load", "--help").stdout


def test_virtuoso_by_sparql_update_with_digest_credentials(virtuoso_server, graph: Graph) -> None:
    target = "https://example.org/rightsgraph/by-update"
    result = run_cli("load", "--endpoint", virtuoso_server.auth_url, "--graph", target, "--method", "update",
                     env=virtuoso_server.credentials)
    assert result.returncode == 0, result.stderr
    assert "SPARQL Update" in result.stdout


def test_virtuoso_refuses_anonymous_updates(virtuoso_server) -> None:
    result = run_cli("load", "--endpoint", virtuoso_server.url, "--graph", "https://example.org/anonymous",
                     env={"RIGHTSGRAPH_ENDPOINT_USER": ""})
    assert_clean_error(result, 3, "SR186")  # Virtuoso: no permission to execute SPARUL procedures
