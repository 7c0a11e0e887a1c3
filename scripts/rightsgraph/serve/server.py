"""`rightsgraph serve`: the public view of the graph in an Oxigraph store, served by the `oxigraph`
server (PyPI package `oxigraph`) over the SPARQL 1.1 Protocol.

The store is a cache of the graph built from the sources: with --db DIR it is kept between runs
and rebuilt only when the served graph changed (or after it was served with updates allowed,
since the store may then differ from the sources).

The Oxigraph server runs `SERVICE <http://…>` (and, with updates, `LOAD <http://…>`) for any
client, which would let anyone who can query it make it send requests to other hosts, and it has
no option to turn that off. So unless --allow-service is given, the server listens on a private
loopback port and clients reach it through a gate (SparqlGate) that refuses, with HTTP 403, every
request whose SPARQL could reach out, and bounds each request's time.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import http.client
import ipaddress
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal

from rightsgraph.core.disclosure import Disclosure, Origins, disclosed_view
from rightsgraph.core.errors import EndpointError, InputError
from rightsgraph.core.terms import store_forms
from rightsgraph.core.writing import canonical_graph, serialize

STAMP = "rightsgraph-store.json"
STORE = "store"
READY_TIMEOUT = 60.0
DEFAULT_QUERY_TIMEOUT = 60


def served_graph(graph: Graph, disclosure: Disclosure = Disclosure.PUBLIC, origins: Origins | None = None) -> Graph:
    """What `serve` and `load` hand out: the disclosed view, in canonical form (origins: see
    disclosed_view)."""
    return canonical_graph(disclosed_view(graph, disclosure, origins))


def check_literal_forms(graph: Graph) -> None:
    """Refuse to serve literals the Oxigraph server would answer in another form.

    The server's store keeps values, not the data's words for them: "4.0"^^xsd:decimal would be
    answered as "4", "39"^^xsd:long as "39"^^xsd:integer. rightsgraph's own commands keep such
    literals exactly (core/terms.py), a server cannot; so `serve` says so and stops unless told
    (--allow-changed-literals) that the server's forms will do.
    """
    typed = {ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))): term
             for term in graph.objects() if isinstance(term, Literal) and term.datatype is not None}
    changed = store_forms(typed)
    if changed:
        original, stored = min(changed.items(), key=lambda item: str(item[0]))
        raise InputError(f"the Oxigraph server would answer {len(changed):,} literal(s) in another form than the "
                         f"data writes them (such as {original} as {stored}); write them in that form, or "
                         "serve with --allow-changed-literals")


def oxigraph_binary() -> str:
    """The `oxigraph` server: on PATH, or beside this Python (a virtual environment's bin/)."""
    found = shutil.which("oxigraph")
    if found:
        return found
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.exists():
        return str(beside)
    raise InputError("the Oxigraph server is not installed: pip install 'rightsgraph[serve]' "
                     "(or pip install oxigraph)")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def check_port_free(host: str, port: int) -> None:
    """Fail before loading anything if the port is taken (the server binds the same way)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            raise EndpointError(f"cannot serve on {bind_address(host, port)}: {error.strerror}") from None


@dataclass
class StoreFolder:
    """A --db folder: DIR/store (Oxigraph's) and DIR/rightsgraph-store.json (what it holds)."""

    root: Path

    @property
    def store(self) -> Path:
        return self.root / STORE

    @property
    def stamp(self) -> Path:
        return self.root / STAMP

    def check_ours(self) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"--db {self.root}: not a folder")
        if self.root.is_dir() and any(self.root.iterdir()) and not (self.stamp.exists() or self.store.exists()):
            raise InputError(f"--db {self.root}: the folder is not empty and is not a rightsgraph store; "
                             "give a new or empty folder")

    def holds(self, digest: str) -> bool:
        try:
            return json.loads(self.stamp.read_text(encoding="utf-8")).get("digest") == digest
        except (OSError, ValueError, AttributeError):
            return False

    def forget(self) -> None:
        self.stamp.unlink(missing_ok=True)


def _digest(ntriples: bytes, disclosure: Disclosure) -> str:
    return hashlib.sha256(disclosure.value.encode() + b"\n" + ntriples).hexdigest()


def prepare_store(folder: StoreFolder, graph: Graph, disclosure: Disclosure) -> bool:
    """Make folder hold the graph; returns False when it already did (nothing loaded)."""
    folder.check_ours()
    data = serialize(graph, "nt")
    digest = _digest(data, disclosure)
    if folder.store.is_dir() and folder.holds(digest):
        return False
    try:
        folder.root.mkdir(parents=True, exist_ok=True)
        folder.forget()
        # Load beside the old store and swap, so a failed load leaves no half-filled store.
        fresh = Path(tempfile.mkdtemp(dir=folder.root, prefix=".store-new-"))
        source = fresh / "graph.nt"
        source.write_bytes(data)
        location = fresh / STORE
        result = subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file", str(source)],
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            shutil.rmtree(fresh, ignore_errors=True)
            raise EndpointError(f"Oxigraph could not load the graph: {_last_line(result.stderr)}")
        if folder.store.exists():
            shutil.rmtree(folder.store)
        location.rename(folder.store)
        shutil.rmtree(fresh, ignore_errors=True)
        folder.stamp.write_text(json.dumps({"digest": digest, "disclosure": disclosure.value,
                                            "triples": len(graph)}) + "\n", encoding="utf-8")
    except OSError as error:
        raise InputError(f"--db {folder.root}: cannot write the store ({error.strerror})") from None
    return True


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM if rightsgraph dies, even by SIGKILL (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answers(url: str, process: subprocess.Popen | None = None, log: Path | None = None,
                       timeout: float = READY_TIMEOUT) -> None:
    """Ask `ASK {}` at a SPARQL query URL until it answers 200; stop early if the process exits."""
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            detail = _last_line(log.read_text(errors="replace")) if log else f"exit {process.returncode}"
            raise EndpointError(f"the server at {url} stopped before answering: {detail}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise EndpointError(f"the server did not answer at {url} within {timeout:g} s")


class _Stop(Exception):
    """SIGTERM, handled like Ctrl-C."""


@contextlib.contextmanager
def sigterm_as_stop() -> Iterator[None]:
    def handler(signum: int, frame: object) -> None:
        raise _Stop
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass
class RunningServer:
    process: subprocess.Popen
    url: str
    update_url: str | None


@contextlib.contextmanager
def run_oxigraph(location: Path, host: str, port: int, allow_updates: bool, log: Path,
                 timeout: int = DEFAULT_QUERY_TIMEOUT, allow_service: bool = False) -> Iterator[RunningServer]:
    """The Oxigraph server on location, until the block ends; then stopped, whatever happened.
    Each query stops after `timeout` seconds. Unless allow_service, the server listens on a
    private loopback port behind a SparqlGate at host:port."""
    with contextlib.ExitStack() as stack:
        if allow_service:
            yield stack.enter_context(_oxigraph_process(location, host, port, allow_updates, log, timeout))
            return
        private = free_port()
        server = stack.enter_context(_oxigraph_process(location, "127.0.0.1", private, allow_updates, log, timeout))
        stack.enter_context(run_gate(host, port, ("127.0.0.1", private), timeout))
        base = f"http://{bind_address(host, port)}"
        wait_until_answers(f"{base}/query", server.process, log)
        yield RunningServer(server.process, f"{base}/query", f"{base}/update" if allow_updates else None)


@contextlib.contextmanager
def _oxigraph_process(location: Path, host: str, port: int, allow_updates: bool, log: Path,
                      timeout: int) -> Iterator[RunningServer]:
    mode = "serve" if allow_updates else "serve-read-only"
    with log.open("wb") as log_stream:
        process = subprocess.Popen(
            [oxigraph_binary(), mode, "--location", str(location), "--bind", bind_address(host, port),
             "--timeout-s", str(timeout)],
            stdin=subprocess.DEVNULL, stdout=log_stream, stderr=log_stream,
            # Its own session: Ctrl-C reaches rightsgraph, which stops the server in order.
            start_new_session=True, preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    base = f"http://{bind_address(host, port)}"
    try:
        wait_until_answers(f"{base}/query", process, log)
        yield RunningServer(process, f"{base}/query", f"{base}/update" if allow_updates else None)
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_until_stopped(server: RunningServer, log: Path) -> None:
    """Block until Ctrl-C or SIGTERM (a clean stop) or the server dies (an EndpointError)."""
    try:
        with sigterm_as_stop():
            code = server.process.wait()
    except (KeyboardInterrupt, _Stop):
        return
    raise EndpointError(f"the Oxigraph server stopped (exit {code}): {_last_line(log.read_text(errors='replace'))}")


# --- The gate: SPARQL that reaches other hosts is refused -------------------------------------

# What, outside comments, strings, IRIs and variables, makes the server contact another host:
# SERVICE in a query or update, LOAD in an update.
REACHING_KEYWORDS = ("service", "load")
_SKIPPED = re.compile(r"""
      \#[^\r\n]*                                   # comment
    | '''(?:'{0,2}(?:[^'\\]|\\.))*'''              # long strings
    | \"\"\"(?:"{0,2}(?:[^"\\]|\\.))*\"\"\"
    | '(?:[^'\\\r\n]|\\.)*'                        # strings
    | "(?:[^"\\\r\n]|\\.)*"
    | <[^<>"{}|^`\\\x00-\x20]*>                    # IRI
    | [?$][\w\u00B7\u0300-\u036F\u203F\u2040]*     # variable
""", re.VERBOSE | re.DOTALL)
# Keywords, prefixed names (prefix:local), numbers: everything else that is made of name characters.
_WORD = re.compile(r"[\w.\-:%\\\u00B7\u0300-\u036F\u203F\u2040]+")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape_codepoints(text: str) -> str:
    """SPARQL 1.1 lets \\uXXXX stand for any character anywhere in a query, keywords included."""
    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else "\uFFFD"
    return _CODEPOINT.sub(char, text)


def reaching_keyword(sparql: str) -> str | None:
    """The keyword by which this SPARQL text could make the server contact another host, or
    None. It errs towards refusing: a keyword is looked for in every word that is not in a
    comment, a string, an IRI, a variable or the local part of a prefixed name (`ex:service` is a
    name, `service:x` and `xService` are refused), in the text as written and with its \\u escapes
    replaced, whichever way the server reads them."""
    for text in {sparql, _unescape_codepoints(sparql)}:
        code = _SKIPPED.sub(" ", text)
        for word in _WORD.findall(code):
            prefix = word.split(":", 1)[0].lower()
            for keyword in REACHING_KEYWORDS:
                if keyword in prefix:
                    return keyword.upper()
    return None


# The Oxigraph server's paths that run SPARQL; the others serve files or the Graph Store Protocol.
SPARQL_PATHS = frozenset({"/query", "/update", "/sparql"})
SPARQL_BODIES = frozenset({"application/sparql-query", "application/sparql-update"})
FORM = "application/x-www-form-urlencoded"
MAX_REQUEST_BYTES = 64 << 20
# How long past --timeout the gate waits for the server before it cuts the request.
GATE_GRACE = 5
_HOP_BY_HOP = frozenset({"connection", "expect", "keep-alive", "proxy-connection", "proxy-authenticate",
                         "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade",
                         "content-length"})


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _sparql_texts(target_query: str, content_type: str | None, body: bytes) -> Iterable[str]:
    """Every text in a request to a SPARQL path that the server could run: each parameter value
    of the URL and of a form body (whatever its name), or the whole body."""
    for _, value in urllib.parse.parse_qsl(target_query, keep_blank_values=True):
        yield value
    if not body:
        return
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind == FORM:
        for _, value in urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            yield value
    elif kind in SPARQL_BODIES:
        yield body.decode("utf-8", "replace")
    else:
        raise _Refused(415, f"this server reads SPARQL as {FORM}, application/sparql-query or "
                            "application/sparql-update")


class _GateHandler(BaseHTTPRequestHandler):
    server: SparqlGate

    def _relay(self) -> None:
        try:
            body = self._checked_body()
        except _Refused as refused:
            self._refuse(refused.status, refused.message)
            return
        self._forward(body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_QUERY = do_OPTIONS = _relay

    def _checked_body(self) -> bytes:
        if not self.path.startswith("/") or "#" in self.path:
            # An absolute URL (or a fragment) in the target could reach the server's routes under
            # a name the gate does not check.
            raise _Refused(400, "expected a path, and no fragment, as the request target")
        if self.headers.get("Transfer-Encoding"):
            raise _Refused(411, "send the request with a Content-Length")
        if len(self.headers.get_all("Content-Type") or []) > 1:
            raise _Refused(400, "more than one Content-Type")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise _Refused(400, "Content-Length is not a number") from None
        if length < 0:
            raise _Refused(400, "Content-Length is negative")
        if length > MAX_REQUEST_BYTES:
            raise _Refused(413, f"requests are limited to {MAX_REQUEST_BYTES >> 20} MiB")
        body = self.rfile.read(length)
        path, _, query = self.path.partition("?")
        if path in SPARQL_PATHS or urllib.parse.unquote(path) in SPARQL_PATHS:
            for text in _sparql_texts(query, self.headers.get("Content-Type"), body):
                keyword = reaching_keyword(text)
                if keyword:
                    raise _Refused(403, f"{keyword} is not allowed on this server: it would make the server "
                                        "send requests to other hosts (rightsgraph serve --allow-service allows it)")
        return body

    def _refuse(self, status: int, message: str) -> None:
        payload = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _forward(self, body: bytes) -> None:
        gate = self.server
        limit = gate.query_timeout + GATE_GRACE
        upstream = http.client.HTTPConnection(*gate.upstream, timeout=limit)
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            if upstream.sock is not None:
                with contextlib.suppress(OSError):
                    upstream.sock.shutdown(socket.SHUT_RDWR)

        # The whole request, answer included, ends soon after the server's timeout: Oxigraph's own
        # timeout stops the evaluation (a few seconds late at times), not the streaming of an answer.
        deadline = threading.Timer(limit, expire)
        deadline.daemon = True
        deadline.start()
        answering = False
        try:
            headers = {name: value for name, value in self.headers.items() if name.lower() not in _HOP_BY_HOP}
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            response = upstream.getresponse()
            answering = True
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in _HOP_BY_HOP and name.lower() not in ("server", "date"):
                    self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            while block := response.read1(65536):
                self.wfile.write(block)
        except (OSError, http.client.HTTPException) as error:
            if not answering:  # else the client sees the answer cut short
                with contextlib.suppress(OSError):
                    if expired.is_set():
                        self._refuse(504, f"the query did not finish within {gate.query_timeout} s")
                    else:
                        self._refuse(502, f"the SPARQL server did not answer: {error}")
        finally:
            deadline.cancel()
            upstream.close()

    def log_message(self, format: str, *args: object) -> None:
        pass


class SparqlGate(ThreadingHTTPServer):
    """The public address: refuses SPARQL that reaches out, relays the rest to the server."""

    daemon_threads = True

    def __init__(self, host: str, port: int, upstream: tuple[str, int], query_timeout: float) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.upstream = upstream
        self.query_timeout = query_timeout
        super().__init__((host, port), _GateHandler)


@contextlib.contextmanager
def run_gate(host: str, port: int, upstream: tuple[str, int], query_timeout: float) -> Iterator[SparqlGate]:
    try:
        gate = SparqlGate(host, port, upstream, query_timeout)
    except OSError as error:
        raise EndpointError(f"cannot serve on {bind_address(host, port)}: {error.strerror}") from None
    thread = threading.Thread(target=gate.serve_forever, name="sparql-gate", daemon=True)
    thread.start()
    try:
        yield gate
    finally:
        gate.shutdown()
        gate.server_close()
