"""Content negotiation of the published site, against a real nginx and a real Apache from Debian on
loopback with the generated configurations, and against `rightsgraph publish --serve`'s preview
server."""

from __future__ import annotations

import http.client
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Graph

from conftest import ROOT, require
from rightsgraph.serve.server import free_port
from servers import stop_process

NGINX = "/usr/sbin/nginx"
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = "/usr/lib/apache2/modules"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


class NginxSite:
    """nginx serving the site with the generated nginx.conf; only the port and root lines edited,
    the two lines the file tells a deployer to edit."""

    def __init__(self, site: Path, workdir: Path) -> None:
        self.port = free_port()
        generated = (site / "nginx.conf").read_text(encoding="utf-8")
        assert "listen 80;" in generated and "root /var/www/rightsgraph;" in generated
        server = (generated.replace("listen 80;", f"listen 127.0.0.1:{self.port};")
                  .replace("root /var/www/rightsgraph;", f"root {site};"))
        (workdir / "site.conf").write_text(server, encoding="utf-8")
        for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (workdir / folder).mkdir(exist_ok=True)
        # As root, nginx's workers would run as nobody and could not read pytest's private folders.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
        (workdir / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log;\n"
            "events { worker_connections 64; }\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {workdir}/body;\n"
            f"  proxy_temp_path {workdir}/proxy;\n  fastcgi_temp_path {workdir}/fastcgi;\n"
            f"  uwsgi_temp_path {workdir}/uwsgi;\n  scgi_temp_path {workdir}/scgi;\n"
            f"  include {workdir}/site.conf;\n}}\n", encoding="utf-8")
        test = subprocess.run([NGINX, "-t", "-p", str(workdir), "-e", str(workdir / "error.log"),
                               "-c", str(workdir / "nginx.conf")], capture_output=True, text=True, timeout=30)
        assert test.returncode == 0, test.stderr
        self.process = subprocess.Popen([NGINX, "-p", str(workdir), "-e", str(workdir / "error.log"),
                                         "-c", str(workdir / "nginx.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_port(self.port, self.process)

    def stop(self) -> None:
        stop_process(self.process)


class ApacheSite:
    """Apache httpd serving a copy of the site with the generated .htaccess, in a server
    configuration of its own that grants the site folder only what the .htaccess header asks for."""

    def __init__(self, site: Path, workdir: Path) -> None:
        self.port = free_port()
        # Exactly the overrides the file's header asks the deployer for.
        header = (site / ".htaccess").read_text(encoding="utf-8").splitlines()[:6]
        overrides = next(line.split("AllowOverride", 1)[1].strip() for line in header if "# AllowOverride " in line)
        modules = ["mpm_event", "authz_core", "mime", "dir", "rewrite", "headers"]
        # As root, Apache serves as another user (it refuses to serve as root), who must be able to
        # read the site: pytest's own folders are private to root.
        user = ""
        if os.geteuid() == 0:
            public = Path(tempfile.mkdtemp(prefix="rightsgraph-apache-"))
            public.chmod(0o755)
            shutil.copytree(site, public / "site")
            site = public / "site"
            self._public: Path | None = public
            user = "User nobody\nGroup nogroup\n"
        else:
            self._public = None
        loads = "".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so\n" for m in modules)
        (workdir / "httpd.conf").write_text(
            f"{loads}{user}ServerName 127.0.0.1\nListen 127.0.0.1:{self.port}\nServerRoot {workdir}\n"
            f"PidFile {workdir}/httpd.pid\nErrorLog {workdir}/error.log\nTypesConfig /dev/null\n"
            f"DocumentRoot {site}\n<Directory />\n  AllowOverride None\n  Require all denied\n</Directory>\n"
            f"<Directory {site}>\n  AllowOverride {overrides}\n  Require all granted\n</Directory>\n",
            encoding="utf-8")
        command = [APACHE, "-f", str(workdir / "httpd.conf")]
        test = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        assert test.returncode == 0, test.stderr
        self.workdir = workdir
        self.process = subprocess.Popen([*command, "-DFOREGROUND"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        _wait_for_port(self.port, self.process)

    def errors(self) -> str:
        return (self.workdir / "error.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        stop_process(self.process)
        if self._public is not None:
            shutil.rmtree(self._public, ignore_errors=True)


def _wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("HEAD", "/")
            connection.getresponse()
            connection.close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port} within {timeout} s")


def _location(response: http.client.HTTPResponse, port: int) -> str:
    """The path a redirect points to: nginx sends it as a path, Apache as an absolute URL on the
    same server (HTTP allows both)."""
    location = response.getheader("Location") or ""
    parts = urlsplit(location)
    if parts.scheme:
        assert (parts.scheme, parts.netloc) == ("http", f"127.0.0.1:{port}"), location
    return parts.path


def _get(port: int, path: str, accept: str | None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Accept": accept} if accept else {})
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


@pytest.fixture(scope="module")
def nginx_port(published_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    require(Path(NGINX).exists(), f"{NGINX} is missing (Debian's nginx-light)")
    site = NginxSite(published_site, tmp_path_factory.mktemp("nginx"))
    yield site.port
    site.stop()


@pytest.fixture(scope="module")
def apache_port(published_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    require(Path(APACHE).exists(), f"{APACHE} is missing (Debian's apache2-bin)")
    site = ApacheSite(published_site, tmp_path_factory.mktemp("apache"))
    yield site.port
    site.stop()
    # An .htaccess directive the overrides do not allow is logged at alert level (and answered 500).
    serious = [line for line in site.errors().splitlines() if re.search(r":(error|crit|alert|emerg)\]", line)]
    assert not serious, "\n".join(serious)


@pytest.fixture(scope="module")
def preview_port(published_site: Path) -> Iterator[int]:
    from rightsgraph.publish.serve import make_server

    server = make_server(published_site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["nginx", "apache", "preview"])
def port(request: pytest.FixtureRequest) -> int:
    return request.getfixturevalue(f"{request.param}_port")


@pytest.mark.server
@pytest.mark.parametrize("path, accept, extension, media_type", [
    ("/id/country/CN", "text/turtle", "ttl", "text/turtle"),
    ("/id/country/CN", "application/ld+json", "jsonld", "application/ld+json"),
    ("/id/country/CN", "application/n-triples", "nt", "application/n-triples"),
    ("/id/country/CN", "application/rdf+xml", "rdf", "application/rdf+xml"),
    ("/id/country/CN", BROWSER_ACCEPT, "html", "text/html"),
    ("/id/country/CN", None, "html", "text/html"),
    ("/id/crime/forced-repatriation", "text/turtle", "ttl", "text/turtle"),
    ("/ontology", "text/turtle", "ttl", "text/turtle"),
    ("/ontology", BROWSER_ACCEPT, "html", "text/html"),
    ("/ontology", "application/rdf+xml", "rdf", "application/rdf+xml"),
])
def test_resource_iri_redirects_to_the_representation_asked_for(
        port: int, published_site: Path, path: str, accept: str | None, extension: str, media_type: str) -> None:
    first = _get(port, path, accept)
    assert first.status == 303, (first.status, first.body)  # type: ignore[attr-defined]
    assert _location(first, port) == f"{path}.{extension}"
    assert "Accept" in (first.getheader("Vary") or "")
    second = _get(port, _location(first, port), accept)
    assert second.status == 200
    assert second.getheader("Content-Type").split(";")[0] == media_type
    assert second.body == (published_site / f"{path.lstrip('/')}.{extension}").read_bytes()  # type: ignore[attr-defined]
    if extension == "ttl":
        assert len(Graph().parse(data=second.body, format="turtle")) > 0  # type: ignore[attr-defined]


@pytest.mark.server
def test_void_index_and_files(port: int, published_site: Path) -> None:
    void = _get(port, "/.well-known/void", "text/turtle")
    assert void.status == 200 and void.getheader("Content-Type").split(";")[0] == "text/turtle"
    assert len(Graph().parse(data=void.body, format="turtle")) > 0  # type: ignore[attr-defined]
    index = _get(port, "/", BROWSER_ACCEPT)
    assert index.status == 200 and index.body == (published_site / "index.html").read_bytes()  # type: ignore[attr-defined]
    dump = _get(port, "/dump/rightsgraph.nt.gz", None)
    assert dump.status == 200 and dump.getheader("Content-Type") == "application/gzip"
    assert _get(port, "/id/no-such-thing", "text/turtle").status == 404


@pytest.mark.server
def test_publish_serve_previews_the_site(tmp_path: Path) -> None:
    """The real command: `rightsgraph publish --serve` publishes, then answers with negotiation."""
    port = free_port()
    out = tmp_path / "site"
    process = subprocess.Popen(
        [sys.executable, "-m", "rightsgraph.cli", "publish", "--out", str(out), "--serve", "--port", str(port), "-q"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_port(port, process, timeout=240)
        response = _get(port, "/id/country/CN", "text/turtle")
        assert response.status == 303 and response.getheader("Location") == "/id/country/CN.ttl"
    finally:
        process.terminate()
        process.wait(timeout=30)
