"""The published site in a real browser: Debian's Chromium, headless, driven by Playwright.

A person opens the index, searches for China, opens its page and reads the forced repatriation
claim with its quote. The screenshot is saved to dist/screenshots/site-china.png for the README.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import ROOT
from rightsgraph.core.namespaces import COUNTRY, CRIME, OA, RG

SCREENSHOT = ROOT / "dist" / "screenshots" / "site-china.png"


@pytest.fixture(scope="module")
def site_url(published_site: Path) -> Iterator[str]:
    from rightsgraph.publish.serve import make_server

    server = make_server(published_site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _china_repatriation_quotes(graph: Graph) -> list[str]:
    """The words of the claims that China is responsible for forced repatriation (from source 004)."""
    crimes = {c for c in graph.subjects(RG.crimeType, CRIME["forced-repatriation"])
              if (c, RG.responsibleState, COUNTRY.CN) in graph}
    quotes = []
    for claim, statement in graph.subject_objects(RG.states):
        if (graph.value(statement, RG.subject) in crimes and graph.value(statement, RG.predicate) == RG.responsibleState
                and graph.value(statement, RG.object) == COUNTRY.CN):
            quotes.extend(str(graph.value(q, OA.exact)) for q in graph.objects(claim, RG.quote))
    return sorted(quotes)


@pytest.mark.browser
def test_search_for_china_and_read_the_evidence(browser, site_url: str, graph: Graph) -> None:
    quotes = _china_repatriation_quotes(graph)
    assert quotes, "the data has no claim that China is responsible for forced repatriation"
    context = browser.new_context(viewport={"width": 412, "height": 915}, device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    try:
        page.goto(site_url)
        assert page.locator("h1").inner_text() == "rightsgraph"
        page.get_by_label("Find a resource by name").fill("China")
        results = page.locator("#results a")
        results.first.wait_for()
        assert results.first.inner_text() == "China"
        results.first.click()
        page.wait_for_url("**/id/country/CN.html")
        assert page.locator("h1").inner_text() == "China"
        marks = ["".join(m.split()) for m in page.locator("mark").all_inner_texts()]
        for quote in quotes:
            assert "".join(quote.split()) in marks, quote
        # The claim sits under the link that names China as the responsible state.
        heading = page.get_by_role("heading", name="responsible state").first
        heading.evaluate("element => element.scrollIntoView({block: 'start'})")
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
    finally:
        context.close()
    assert not errors, errors


@pytest.mark.browser
def test_pages_have_no_console_errors_and_fit_a_phone(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for path in ("", "id/country/CN.html", "ontology.html", "shapes.html", "id/crime/forced-repatriation.html"):
            page.goto(site_url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if path != "ontology.html":  # pyLODE's page is its own layout, wide tables included
                assert overflow <= 1, (path, overflow)
    finally:
        context.close()
    assert not errors, errors
