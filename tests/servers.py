"""Real servers for the tests, started on loopback on a free port and stopped by their process."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answers(url: str, process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    """Poll a SPARQL query URL with ASK {} until it answers 200."""
    query_url = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(query_url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


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
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
