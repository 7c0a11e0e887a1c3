"""Real servers for the tests, started on loopback on a free port and stopped by their process."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rightsgraph.serve.server import free_port, wait_until_answers

ROOT = Path(__file__).resolve().parents[1]


def stop_process(process: subprocess.Popen, grace: float = 10) -> None:
    """Stop a server by its process: terminate, and kill if it does not go within `grace` s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        raise RuntimeError("the oxigraph server is not installed (pip install oxigraph)")
    return found


class OxigraphServer:
    """`oxigraph serve-read-only` over a store loaded from an N-Triples file."""

    def __init__(self, nt_file: Path, workdir: Path, writable: bool = False) -> None:
        self.location = workdir / "oxigraph-db"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/query"
        self.store_url = f"http://127.0.0.1:{self.port}/store"
        self.update_url = f"http://127.0.0.1:{self.port}/update"
        binary = oxigraph_binary()
        if nt_file is not None:
            subprocess.run([binary, "load", "--location", str(self.location), "--file", str(nt_file)],
                           check=True, capture_output=True, timeout=300)
        mode = "serve" if writable else "serve-read-only"
        self.process = subprocess.Popen(
            [binary, mode, "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_answers(self.url, self.process)
        except Exception:
            self.stop()
            raise

    def stop(self) -> None:
        stop_process(self.process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {db}, /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
Charset = UTF-8

[SPARQL]
; The Debian default caps every result at 10000 rows, silently; no cap and no time limit here.
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


class VirtuosoServer:
    """Virtuoso Open Source 7 (Debian's virtuoso-opensource) with its own virtuoso.ini and a new
    database in workdir, on loopback ports, in the foreground so that it is stopped by its process.

    - `url`: the public SPARQL endpoint (/sparql), read-only for its anonymous "SPARQL" user;
    - `auth_url`: /sparql-auth, the same endpoint behind HTTP Digest authentication, where the
      `dba` account may update; `store_url`: the Graph Store Protocol behind Digest.
    """

    user = "dba"
    password = "dba"  # a new database's own default, on a loopback-only throwaway instance

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("virtuoso-t")
        if binary is None:
            raise RuntimeError("Virtuoso is not installed (Debian package virtuoso-opensource)")
        self.db = workdir / "virtuoso"
        self.db.mkdir(parents=True, exist_ok=True)
        self.http_port = free_port()
        self.sql_port = free_port()
        config = self.db / "virtuoso.ini"
        config.write_text(VIRTUOSO_INI.format(db=self.db, sql_port=self.sql_port, http_port=self.http_port))
        base = f"http://127.0.0.1:{self.http_port}"
        self.url = f"{base}/sparql"
        self.auth_url = f"{base}/sparql-auth"
        self.store_url = f"{base}/sparql-graph-crud-auth"
        self.process = subprocess.Popen(
            [binary, "+configfile", str(config), "+foreground"], cwd=self.db,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            # A new database is created and its system graphs loaded before HTTP answers.
            wait_until_answers(self.url, self.process, timeout=180)
        except Exception:
            self.stop()
            raise

    @property
    def credentials(self) -> dict[str, str]:
        """The environment `rightsgraph load` reads credentials from."""
        return {"RIGHTSGRAPH_ENDPOINT_USER": self.user, "RIGHTSGRAPH_ENDPOINT_PASSWORD": self.password}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class RecordingServer:
    """An HTTP server in a thread, on a loopback port, that records every request it gets and
    answers with an empty SPARQL result: the "other host" that a server must not be made to call."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        requests = self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                requests.append(f"{self.command} {self.path}")
                body = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Serving:
    """A running `rightsgraph serve`: its process, query URL and what it printed until ready."""

    def __init__(self, process: subprocess.Popen, url: str, output: list[str]) -> None:
        self.process = process
        self.url = url
        self.output = output
        self.base = url.rsplit("/", 1)[0]


def read_until_ready(process: subprocess.Popen, timeout: float = 120) -> list[str]:
    """serve's output up to its last "ready" line (read by a thread: a pipe read may block)."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
            if line.startswith("stop with Ctrl-C"):
                return
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"serve did not say it was ready within {timeout} s: {seen}") from None
        if line is None:
            raise AssertionError(f"serve exited ({process.wait()}): {seen} {process.stderr.read()}")
        seen.append(line)
        if line.startswith("stop with Ctrl-C"):
            return seen


@contextmanager
def serve(*args: str, db: Path) -> Iterator[Serving]:
    """`rightsgraph serve` with these arguments on a free port, stopped with Ctrl-C afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "rightsgraph.cli", "serve", "--port", str(port), "--db", str(db), *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )
    try:
        output = read_until_ready(process)
        yield Serving(process, f"http://127.0.0.1:{port}/query", output)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
