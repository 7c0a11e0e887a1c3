"""The published site in a real browser: Debian's Chromium, headless, driven by Playwright.

A person opens the index, searches for China, opens its page and reads, at the top, that China is
the responsible state of forced repatriation, with the quote one click away; searches the
sources' words in the other Chinese script and in English; reads an agency, a claim and a
competing account. Screenshots go to dist/screenshots/site-*.png (git-ignored).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import ROOT
from rightsgraph.core.namespaces import COUNTRY, CRIME, OA, RG

SCREENSHOTS = ROOT / "dist" / "screenshots"
SCREENSHOT = SCREENSHOTS / "site-china.png"


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


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    return errors


def _shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"site-{name}.png"))


@pytest.mark.browser
def test_search_for_china_and_read_the_evidence(browser, site_url: str, graph: Graph) -> None:
    quotes = _china_repatriation_quotes(graph)
    assert quotes, "the data has no claim that China is responsible for forced repatriation"
    context = browser.new_context(viewport={"width": 412, "height": 915}, device_scale_factor=1)
    page = context.new_page()
    errors = _watch(page)
    try:
        page.goto(site_url)
        assert page.locator("h1").inner_text() == "rightsgraph"
        _shoot(page, "index")
        page.get_by_label("Search names and the sources' words").fill("China")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/search.html?q=China")
        results = page.locator("#results a")
        results.first.wait_for()
        assert results.first.inner_text() == "China"
        results.first.click()
        page.wait_for_url("**/id/country/CN.html")
        assert page.locator("h1").inner_text() == "China"
        # At the top, among the facts: China's forced repatriation -- responsible state --> China.
        facts = page.locator("section.status-facts")
        statement = facts.locator("li", has=page.get_by_role("link", name="responsible state")).filter(
            has_text="forced repatriation").first
        assert statement.bounding_box()["y"] < 915 * 1.5
        assert not statement.locator("mark").first.is_visible()
        statement.locator("summary").click()  # the evidence, one click away
        marks = ["".join(m.split()) for m in statement.locator("mark").all_inner_texts()]
        for quote in quotes:
            if "".join(quote.split()) in marks:
                break
        else:
            raise AssertionError(f"none of {quotes} in {marks}")
        assert statement.locator("mark").first.is_visible()
        statement.evaluate("element => element.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(SCREENSHOT))
        page.evaluate("window.scrollTo(0, 0)")
        _shoot(page, "china-top")
    finally:
        context.close()
    assert not errors, errors


@pytest.mark.browser
@pytest.mark.parametrize("query, claim, marked, name", [
    # Claim 004-041 quotes the press release in Simplified characters (朝鲜难民); the query is
    # the Traditional 難民.
    ("難民", "claim:004-041", "难民", "search-zh"),
    # Claim 000-043 quotes the news article's English: "... were recently extradited from Cambodia".
    ("extradited", "claim:000-043", "extradited", "search-en"),
])
def test_search_finds_the_sources_words(browser, site_url: str, query: str, claim: str, marked: str,
                                        name: str) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 1000})
    page = context.new_page()
    errors = _watch(page)
    try:
        page.goto(site_url + "search.html")
        page.get_by_label("Search names and the sources' words").fill(query)
        hit = page.locator("#results li", has=page.get_by_role("link", name=claim, exact=True))
        hit.wait_for()
        assert hit.locator("mark").first.inner_text() == marked
        _shoot(page, name)
        hit.get_by_role("link", name=claim, exact=True).click()
        page.wait_for_url(f"**/id/claim/{claim.removeprefix('claim:')}.html")
        assert page.locator("h1").inner_text() == claim
    finally:
        context.close()
    assert not errors, errors


@pytest.mark.browser
@pytest.mark.parametrize("path, heading, name", [
    ("id/knpa.html", "Korean National Police Agency", "agency"),
    ("id/claim/004-041.html", "claim:004-041", "claim"),
    ("id/return-of-64-suspects-from-cambodia.html", "Competing accounts", "competing"),
])
def test_pages_read_well(browser, site_url: str, path: str, heading: str, name: str) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 1200})
    page = context.new_page()
    errors = _watch(page)
    try:
        page.goto(site_url + path)
        target = page.get_by_role("heading", name=heading, exact=True)
        assert target.count() == 1
        if name == "competing":
            # Side by side: the two accounts share a row on a wide screen.
            boxes = [box["y"] for box in (a.bounding_box() for a in page.locator(".account").all())]
            assert len(boxes) == 2 and boxes[0] == boxes[1]
            target.evaluate("element => element.scrollIntoView({block: 'start'})")
        assert page.locator("nav").get_by_role("link", name="View").count() == 1
        _shoot(page, name)
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
        for path in ("", "id/country/CN.html", "ontology.html", "shapes.html", "id/crime/forced-repatriation.html",
                     "search.html?q=%E9%9B%A3%E6%B0%91", "id/return-of-64-suspects-from-cambodia.html"):
            page.goto(site_url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if path != "ontology.html":  # pyLODE's page is its own layout, wide tables included
                assert overflow <= 1, (path, overflow)
    finally:
        context.close()
    assert not errors, errors
