"""`rightsgraph publish --serve`: preview the site on loopback, negotiating as nginx and Apache do."""

from __future__ import annotations

import functools
import posixpath
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from rightsgraph.core.site_paths import RDF_EXTENSIONS
from rightsgraph.publish.negotiation import choose_extension
from rightsgraph.publish.site import SERVED_TYPES


class NegotiatingHandler(SimpleHTTPRequestHandler):
    """Files as they are; an extensionless resource path gets 303 to the representation asked for."""

    extensions_map: ClassVar[dict[str, str]] = {
        "": "application/octet-stream", **{f".{ext}": t for ext, t in SERVED_TYPES.items()}}

    def _redirect_target(self) -> str | None:
        path = urlsplit(self.path).path
        if path.endswith("/") or posixpath.splitext(path)[1]:
            return None
        local = Path(self.translate_path(path))
        if local.exists():
            return None
        available = {ext for ext in (*RDF_EXTENSIONS, "html") if local.with_name(f"{local.name}.{ext}").is_file()}
        if not available:
            return None
        extension = choose_extension(self.headers.get("Accept"), available) or "html"
        if extension not in available:
            extension = "html" if "html" in available else sorted(available)[0]
        return f"{path}.{extension}"

    def send_head(self):  # type: ignore[override]
        target = self._redirect_target()
        if target is not None:
            self.send_response(303)
            self.send_header("Location", target)
            self.send_header("Vary", "Accept")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()

    def guess_type(self, path):  # type: ignore[override]
        if unquote(str(path)).replace("\\", "/").endswith("/.well-known/void"):
            return "text/turtle"
        guessed = super().guess_type(path)
        if guessed in {"text/html", "text/css", "text/turtle", "application/javascript"}:
            return f"{guessed}; charset=utf-8"
        return guessed

    def log_message(self, format: str, *args) -> None:
        pass


def make_server(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    handler = functools.partial(NegotiatingHandler, directory=str(folder))
    return ThreadingHTTPServer((host, port), handler)
