"""A SPARQL endpoint that fails on purpose, for the tests: run as a real process on loopback.

    python misbehaving_endpoint.py PORT

Paths: /hang (accepts, never answers), /500, /401, /garbage (200 with HTML), /truncated (200 with
half a JSON document), /slow (answers correctly after 5 s), /ok (an empty, valid SELECT result),
/drip (a valid start, then one byte a second, forever), /endless (a body that never ends, as fast
as the client reads it, up to 2 GiB), /short (a Content-Length of 1000 and 40 bytes, then the
connection closes), /bad-status (a status line that is not HTTP), /basic (asks for Basic
credentials and answers once it gets any), /redirect (302 to the same path on
http://localhost:PORT/record, which is another host for a client), /record (always asks for Basic
credentials). Every request is logged with its Authorization header; GET /log returns the log as
JSON, so that tests can see what a client sent.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EMPTY_RESULT = b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}'
LOG: list[dict[str, str | None]] = []


class Handler(BaseHTTPRequestHandler):
    def _send(self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/log":
            self._send(200, json.dumps(LOG).encode(), "application/json")
            return
        LOG.append({"path": self.path, "authorization": self.headers.get("Authorization")})
        challenge = {"WWW-Authenticate": 'Basic realm="sparql"'}
        if path == "/hang":
            time.sleep(3600)
            return
        if path == "/slow":
            time.sleep(5)
        if path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
            for _ in range(3600):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)
            return
        if path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
            block = b" " * (1 << 20)
            for _ in range(2048):
                self.wfile.write(block)
            return
        if path == "/short":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(EMPTY_RESULT[:40])
            self.close_connection = True
            return
        if path == "/bad-status":
            self.wfile.write(b"SPARQL/9 all fine\r\n\r\n")
            self.close_connection = True
            return
        if path == "/basic":
            if self.headers.get("Authorization"):
                self._send(200, EMPTY_RESULT, "application/sparql-results+json")
            else:
                self._send(401, b"unauthorized", "text/plain", challenge)
            return
        if path == "/redirect":
            port = self.server.server_address[1]
            self._send(302, b"", "text/plain", {"Location": f"http://localhost:{port}/record?{query}"})
            return
        if path == "/record":
            self._send(401, b"unauthorized", "text/plain", challenge)
            return
        status, body, kind = {
            "/500": (500, b"internal error", "text/plain"),
            "/401": (401, b"unauthorized", "text/plain"),
            "/garbage": (200, b"<html><body>Welcome to nginx!</body></html>", "text/html"),
            "/truncated": (200, b'{"head": {"vars": ["x"]}, "results": {"bindi', "application/sparql-results+json"),
        }.get(path, (200, EMPTY_RESULT, "application/sparql-results+json"))
        self._send(status, body, kind, challenge if status == 401 else None)

    def _answer_or_give_up(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client stopped reading
            self._answer()

    do_GET = _answer_or_give_up
    do_POST = _answer_or_give_up

    def log_message(self, *args: object) -> None:
        pass


if __name__ == "__main__":
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
