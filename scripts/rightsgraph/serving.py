"""`rightsgraph serve`: the public view of the graph in an Oxigraph store, served by the `oxigraph`
server (PyPI package `oxigraph`) over the SPARQL 1.1 Protocol.

The store is a cache of the graph built from the sources: with --db DIR it is kept between runs
and rebuilt only when the served graph changed (or after it was served with updates allowed,
since the store may then differ from the sources).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import ipaddress
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .errors import EndpointError, InputError
from .sensitivity import Disclosure, Origins, disclosed_view
from .writing import canonical_graph, serialize

STAMP = "rightsgraph-store.json"
STORE = "store"
READY_TIMEOUT = 60.0


def served_graph(graph: Graph, disclosure: Disclosure = Disclosure.PUBLIC, origins: Origins | None = None) -> Graph:
    """What `serve` and `load` hand out: the disclosed view, in canonical form (origins: see
    disclosed_view)."""
    return canonical_graph(disclosed_view(graph, disclosure, origins))


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
def run_oxigraph(location: Path, host: str, port: int, allow_updates: bool, log: Path) -> Iterator[RunningServer]:
    """The Oxigraph server on location, until the block ends; then stopped, whatever happened."""
    mode = "serve" if allow_updates else "serve-read-only"
    with log.open("wb") as log_stream:
        process = subprocess.Popen(
            [oxigraph_binary(), mode, "--location", str(location), "--bind", bind_address(host, port)],
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
