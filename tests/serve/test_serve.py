"""`rightsgraph serve`: a real SPARQL server on loopback, answering as soon as it says it is ready,
read-only unless updates were allowed, the public view only, stopped cleanly by Ctrl-C."""

from __future__ import annotations

import http.client
import signal
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from conftest import assert_clean_error, require, run_cli
from rightsgraph.core.disclosure import Disclosure
from rightsgraph.core.namespaces import RG
from rightsgraph.query.catalogue import get_query, run_stored
from rightsgraph.query.engines import RdflibEngine, RemoteEngine
from rightsgraph.serve.server import free_port, reaching_keyword, served_graph
from servers import RecordingServer, serve

pytestmark = pytest.mark.server

RESTRICTED_DATA = """\
@prefix rg:   <https://w3id.org/rightsgraph/ontology#> .
@prefix rgid: <https://w3id.org/rightsgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

rgid:serve-test-public rdfs:label "a public resource"@en .
rgid:serve-test-secret rdfs:label "a restricted resource"@en ; rg:sensitivity rg:restricted .
"""


def _answers(url: str) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", urllib.parse.urlsplit(url).port), timeout=2):
            return True
    except OSError:
        return False


def _normalised(row: tuple) -> str:
    return str(tuple(Literal(str(t), lang=t.language.lower()) if isinstance(t, Literal) and t.language else t
                     for t in row))


def _update(url: str, update: str) -> int:
    data = urllib.parse.urlencode({"update": update}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _labels(url: str) -> set[str]:
    rows = RemoteEngine(url).select(
        "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/rightsgraph/id/serve-test-')) }")
    return {str(row[0]).rsplit("-", 1)[-1] for row in rows.rows}


def _oxigraph_available() -> None:
    from rightsgraph.serve.server import oxigraph_binary

    try:
        oxigraph_binary()
    except Exception as error:
        require(False, str(error))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _oxigraph_available()
    return tmp_path_factory.mktemp("serve") / "db"


def test_serve_answers_a_stored_query_once_ready_and_refuses_updates(db: Path, graph: Graph, project) -> None:
    with serve(db=db) as server:
        assert any(server.url in line for line in server.output)
        assert any("curl" in line and "--data-urlencode" in line for line in server.output)
        assert any("read-only" in line for line in server.output)
        # Asked at once, with no retry: ready means ready.
        query = get_query(project, "states-practising-forced-repatriation")
        remote = run_stored(query, RemoteEngine(server.url, timeout=10))
        local = run_stored(query, RdflibEngine(served_graph(graph)))
        # Oxigraph lower-cases language tags, which RDF 1.1 allows (tags compare without case).
        assert sorted(map(_normalised, remote.rows)) == sorted(map(_normalised, local.rows))
        states = {str(state) for state in remote.column("state")}
        assert {"https://w3id.org/rightsgraph/id/country/CN", "https://w3id.org/rightsgraph/id/country/RU"} <= states
        # Read-only: the update endpoint refuses, and nothing changed.
        status = _update(server.base + "/update", "INSERT DATA { <urn:x> <urn:y> <urn:z> }")
        assert status in (403, 404, 405)
        assert not RemoteEngine(server.url).select("SELECT * WHERE { <urn:x> ?p ?o }").rows
        server.process.send_signal(signal.SIGINT)  # Ctrl-C
        assert server.process.wait(timeout=30) == 0
        assert "stopped" in server.process.stdout.read()
        assert "Traceback" not in server.process.stderr.read()
    assert not _answers(server.url)  # the Oxigraph server went with it


def test_serve_reuses_its_store_when_the_graph_is_unchanged(db: Path) -> None:
    with serve(db=db) as server:
        assert any(line.startswith("reusing the store") for line in server.output), server.output


def test_serve_leaves_out_what_is_not_public_unless_asked(tmp_path: Path, db: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "test.ttl").write_text(RESTRICTED_DATA, encoding="utf-8")
    with serve("--data", str(data), db=tmp_path / "public") as server:
        assert _labels(server.url) == {"public"}
    with serve("--data", str(data), "--include-restricted", "--allow-updates", db=tmp_path / "wide") as server:
        assert _labels(server.url) == {"public", "secret"}
        assert any("updates allowed" in line for line in server.output)
        assert _update(server.base + "/update", "INSERT DATA { <urn:x> <urn:y> <urn:z> }") in (200, 204)
        assert RemoteEngine(server.url).select("SELECT * WHERE { <urn:x> ?p ?o }").rows


def test_the_served_view_has_nothing_restricted(graph: Graph) -> None:
    secret = URIRef("https://w3id.org/rightsgraph/id/serve-test-secret")
    marked = Graph()
    marked += graph
    marked.add((secret, RG.sensitivity, RG.restricted))
    marked.add((secret, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("x")))
    assert (secret, None, None) not in served_graph(marked)
    assert (secret, None, None) in served_graph(marked, Disclosure.RESTRICTED)


def test_port_in_use_is_a_clear_error(db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--db", str(db.parent / "unused"), timeout=120)
    assert_clean_error(result, 3, f"127.0.0.1:{port}")


def test_a_folder_that_is_not_a_store_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    result = run_cli("serve", "--port", str(free_port()), "--db", str(tmp_path), timeout=120)
    assert_clean_error(result, 2, "not a rightsgraph store")
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "keep me"


@pytest.fixture
def recorder() -> Iterator[RecordingServer]:
    server = RecordingServer()
    yield server
    server.stop()


def _ask(url: str, method: str, query: str, timeout: float = 30) -> tuple[int, str]:
    """Send a query the ways the SPARQL 1.1 Protocol allows; the status and the body's text."""
    if method == "GET":
        request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}))
    elif method == "form":
        request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode())
    else:
        request = urllib.request.Request(url, data=query.encode(), headers={"Content-Type": "application/sparql-query"})
    request.add_header("Accept", "application/sparql-results+json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_serve_refuses_service_and_never_contacts_the_other_host(db: Path, recorder: RecordingServer) -> None:
    queries = [f"SELECT * WHERE {{ SERVICE <{recorder.url}> {{ ?s ?p ?o }} }}",
               f"select * {{ ?x ?y ?z . service silent <{recorder.url}> {{ ?s ?p ?o }} }} LIMIT 1",
               f"SELECT * WHERE {{ \\u0053ERVICE <{recorder.url}> {{ ?s ?p ?o }} }}"]
    with serve(db=db) as server:
        assert any("SERVICE refused" in line for line in server.output), server.output
        for query in queries:
            for method in ("GET", "form", "body"):
                status, text = _ask(server.url, method, query)
                assert status == 403, (method, query, status, text)
                assert "SERVICE is not allowed" in text
        # Other spellings of the target reach no route that runs SPARQL unchecked.
        port = urllib.parse.urlsplit(server.url).port
        encoded = urllib.parse.urlencode({"query": queries[0]})
        for target in (f"{server.url}?{encoded}", f"/%71uery?{encoded}", f"/query#x?{encoded}"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", target)
            assert connection.getresponse().status in (400, 403, 404), target
            connection.close()
        # The gate lets everything else through.
        status, text = _ask(server.url, "form", "ASK { ?s ?p ?o }")
        assert status == 200 and "true" in text
    assert recorder.requests == []


def test_serve_allow_service_lets_the_server_call_out(db: Path, recorder: RecordingServer) -> None:
    """The counterpart of the test above: the recorder does see a SERVICE call when allowed."""
    with serve("--allow-service", db=db) as server:
        status, text = _ask(server.url, "form", f"SELECT * WHERE {{ SERVICE <{recorder.url}> {{ ?s ?p ?o }} }}")
    assert status == 200, text
    assert recorder.requests


def test_serve_stops_a_long_query_at_its_timeout(db: Path) -> None:
    # Every triple with every other, three times over: hours of work on the graph.
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with serve("--timeout", "2", db=db) as server:
        assert any("queries stop after 2 s" in line for line in server.output), server.output
        started = time.monotonic()
        status, text = _ask(server.url, "form", endless, timeout=60)
        elapsed = time.monotonic() - started
    # Oxigraph stops the query a few seconds late at times, after it has sent the start of the
    # answer (which then ends with its message); the gate stops waiting 5 s after the timeout.
    assert (status == 504 and "did not finish within 2 s" in text) or "cancelled" in text, (status, text)
    assert '"value"' not in text
    assert elapsed < 15, elapsed


@pytest.mark.parametrize(("query", "keyword"), [
    ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o.SERVICE <http://x/> { } }", "SERVICE"),
    ("SELECT * WHERE { ?s ?p 5\nService ?g { } }", "SERVICE"),
    ("SELECT * WHERE { \\u0073ervice <http://x/> { } }", "SERVICE"),
    ("PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }", "SERVICE"),  # refused: errs that way
    ("LOAD <http://x/data.ttl> INTO GRAPH <urn:g>", "LOAD"),
    ("SELECT ?service WHERE { ?service a <http://x/Service> ; ex:service 'SERVICE' # SERVICE\n }", None),
    ("SELECT * WHERE { ?s ?p '''a SERVICE\nb''' ; ?q \"load\" ; ?r <http://x/service> . _:service ?p $load }", None),
    ("SELECT * WHERE { ?s rg:serviceProvider ?o FILTER(?o < 3 && ?s > 2) }", None),
])
def test_what_counts_as_reaching_out(query: str, keyword: str | None) -> None:
    assert reaching_keyword(query) == keyword


def test_serve_refuses_literals_the_server_would_change_unless_told(tmp_path: Path) -> None:
    """The server's store keeps values, not the data's words: "4.0"^^xsd:decimal would come back
    as "4". rightsgraph says so and stops, unless told that the server's forms will do."""
    data = tmp_path / "amounts.ttl"
    data.write_text("@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                    '<http://example.org/a> <http://example.org/amount> "4.0"^^xsd:decimal .\n', encoding="utf-8")
    result = run_cli("serve", "--port", str(free_port()), "--db", str(tmp_path / "db"), "--data", str(data))
    assert_clean_error(result, 2, '"4.0"^^<http://www.w3.org/2001/XMLSchema#decimal> as "4"',
                       "--allow-changed-literals")
    assert not (tmp_path / "db").exists()
    with serve("--data", str(data), "--allow-changed-literals", db=tmp_path / "db") as server:
        rows = RemoteEngine(server.url).select("SELECT ?v WHERE { ?s <http://example.org/amount> ?v }").rows
    assert [str(row[0]) for row in rows] == ["4"]  # what the flag accepts
