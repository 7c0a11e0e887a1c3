"""A SPARQL endpoint that fails on purpose, for the tests: run as a real process on loopback.

    python misbehaving_endpoint.py PORT

Paths: /hang (accepts, never answers), /500, /401, /garbage (200 with HTML), /truncated (200 with
half a JSON document), /slow (answers correctly after 5 s), /ok (an empty, valid SELECT result).
"""

from __future__ import annotations

import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EMPTY_RESULT = b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}'


class Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/hang":
            time.sleep(3600)
            return
        if path == "/slow":
            time.sleep(5)
        status, body, kind = {
            "/500": (500, b"internal error", "text/plain"),
            "/401": (401, b"unauthorized", "text/plain"),
            "/garbage": (200, b"<html><body>Welcome to nginx!</body></html>", "text/html"),
            "/truncated": (200, b'{"head": {"vars": ["x"]}, "results": {"bindi', "application/sparql-results+json"),
        }.get(path, (200, EMPTY_RESULT, "application/sparql-results+json"))
        self.send_response(status)
        if status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


if __name__ == "__main__":
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
