"""Shared fixtures: the project, the graph loaded once per session, and the real command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from rightsgraph.core.project import Project, find_project
from rightsgraph.core.store import load_graph, load_ontology

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


# Rooms whose tests build whole sites, start servers or browsers, or run the benchmark: every test
# there is slow. Elsewhere a test (or a file, with pytestmark) says so itself.
SLOW_ROOMS = {"bench", "export", "load", "publish", "serve"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`pytest -m "not slow"` is the quick loop: it leaves out the slow rooms, and every test that
    starts a server or a browser."""
    for item in items:
        if (item.path.parent.name in SLOW_ROOMS or item.get_closest_marker("server")
                or item.get_closest_marker("browser")):
            item.add_marker(pytest.mark.slow)


def require(present: bool, missing: str) -> None:
    """Something a test needs for real (a server, a browser, the sources): its absence fails the
    test in CI, where scripts/bootstrap.sh installs it, and skips it elsewhere."""
    if not present:
        if IN_CI:
            pytest.fail(f"{missing}, and CI must have it (scripts/bootstrap.sh test installs it)")
        pytest.skip(missing)


@pytest.fixture(scope="session")
def project() -> Project:
    return find_project(ROOT)


@pytest.fixture(scope="session")
def ontology(project: Project) -> Graph:
    """The ontology as loaded, derived labels included. Tests must not modify it: copy it first."""
    return load_ontology(project)


@pytest.fixture(scope="session")
def graph(project: Project) -> Graph:
    """The merged, derived graph. Tests must not modify it: copy it first."""
    return load_graph(project)


@pytest.fixture(scope="session")
def sources_dir(project: Project) -> Path:
    folder = project.sources_dir
    require(folder.is_dir(), f"the source documents are not at {folder}")
    return folder


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real `rightsgraph` command line in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "rightsgraph.cli", *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def copy_checkout(folder: Path, sources_dir: Path) -> Path:
    """A copy of the checkout's hand-written sources in folder/checkout, and of the source files
    in folder/sources beside it, so that a test can add a document without touching either."""
    root = folder / "checkout"
    for part in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copytree(sources_dir, folder / "sources")
    return root


def run_in_checkout(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line working on a copy made by copy_checkout, and on its sources folder."""
    return run_cli(*args, cwd=checkout, env={"RIGHTSGRAPH_SOURCES": str(checkout.parent / "sources"),
                                             "RIGHTSGRAPH_HOME": str(checkout)})


def assert_clean_error(result: subprocess.CompletedProcess[str], code: int, *fragments: str) -> None:
    """A failure as the user sees it: the exit code, one readable message, no traceback."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory: pytest.TempPathFactory, project: Project) -> Path:
    """`rightsgraph build` output of the shipped data, once per session."""
    from rightsgraph.build.files import build

    out = tmp_path_factory.mktemp("dist")
    build(project, out)
    return out


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory, built_dist: Path):
    """A real, read-only Oxigraph SPARQL server on loopback with the built graph."""
    from servers import OxigraphServer

    server = OxigraphServer(built_dist / "rightsgraph.nt", tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright; started once per session."""
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory, project: Project) -> Path:
    """`rightsgraph publish` of the shipped data (public view, relative links), once per session."""
    from rightsgraph.publish import publish

    out = tmp_path_factory.mktemp("published") / "site"
    publish(project, out)
    return out


@pytest.fixture(scope="session")
def misbehaving_endpoint():
    """A real HTTP server process on loopback whose paths fail in the ways endpoints fail."""
    from rightsgraph.serve.server import free_port, wait_until_answers

    port = free_port()
    process = subprocess.Popen([sys.executable, str(Path(__file__).parent / "misbehaving_endpoint.py"), str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(base + "/ok", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory):
    """Virtuoso Open Source 7 on loopback with a new, empty database, once per session."""
    import shutil

    from servers import VirtuosoServer

    require(shutil.which("virtuoso-t") is not None, "virtuoso-t is missing (Debian's virtuoso-opensource)")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()
