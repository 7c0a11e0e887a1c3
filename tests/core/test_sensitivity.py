"""Nothing restricted or confidential leaves the project by default (docs/sensitivity.md).

The fixtures in tests/fixtures/sensitivity/ carry the marker "zqx7" in every IRI, label and quote that
must be withheld: the view that `disclosed_view` computes is checked triple by triple, and the output
of every path that discloses (publish, export, serve, load) is searched for the marker. Each explicit
flag widens the view exactly as far as it says. The fixtures in tests/fixtures/sensitivity-levels/
hold levels that are not levels: every disclosing command refuses them and writes nothing.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDFS, SKOS

from conftest import assert_clean_error, run_cli
from rightsgraph.core.disclosure import KNOWN_LEVELS, Disclosure, disclosed_view, load_for_disclosure
from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import CLAIM, COUNTRY, CRIME, RG, RGID, SRC
from rightsgraph.core.store import graph_of, load_files, load_ontology
from rightsgraph.core.turtle import read_files
from rightsgraph.query.engines import RemoteEngine
from rightsgraph.serve.server import free_port
from servers import OxigraphServer, serve

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "sensitivity"
LEVELS = ROOT / "tests" / "fixtures" / "sensitivity-levels"
MARKER = re.compile("zqx7", re.IGNORECASE)
PRESS_RELEASE = SRC["004-de1a4595a4e24556"]

# Public data of the fixtures that must still be disclosed, next to what they withhold.
PUBLIC_WORDS = [
    "sensitivity-fixture-case-r", "sensitivity-fixture-case-c",  # restricted.ttl, confidential.ttl
    "Public IRI quote of the sensitivity fixture (i)",  # iri-quote.ttl
    "Public words of the sensitivity fixture (w)",  # containment.ttl
    "Public post of the sensitivity fixture (q)", "Public words of the sensitivity fixture (q)",  # quotation.ttl
]


def _fixture_view(name: str, disclosure: Disclosure = Disclosure.PUBLIC) -> Graph:
    data = load_files([FIXTURES / name])
    return disclosed_view(graph_of(data.store), disclosure, data.origins)


def _about(view: Graph, node: URIRef) -> bool:
    return (node, None, None) in view or (None, None, node) in view


def _words(view: Graph) -> str:
    return "\n".join(str(term) for triple in view for term in triple)


# --- The view, triple by triple ------------------------------------------------------------------

def test_a_withheld_claim_takes_its_iri_quote_and_statement_with_it() -> None:
    view = _fixture_view("iri-quote.ttl")
    assert not MARKER.search(_words(view))
    for node in (CLAIM["restricted-zqx7-iri"], RGID["quote-restricted-zqx7-iri"],
                 RGID["statement-restricted-zqx7-iri"]):
        assert not _about(view, node), node
    case = RGID["sensitivity-fixture-case-i"]
    assert (case, RG.characterisedAs, None) not in view  # only the withheld claim states it
    # The public claim keeps its own IRI quote, and what is only referenced stays.
    public, quote = CLAIM["sensitivity-fixture-iri-public"], RGID["quote-sensitivity-fixture-iri-public"]
    assert (public, RG.quote, quote) in view
    assert (quote, URIRef("http://www.w3.org/ns/oa#exact"),
            Literal("Public IRI quote of the sensitivity fixture (i)", lang="en")) in view
    assert (public, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), PRESS_RELEASE) in view
    assert (public, RG.status, RG.reported) in view
    assert (case, RG.crimeType, CRIME["forced-repatriation"]) in view


def test_public_quotes_that_contain_or_overlap_withheld_words_are_withheld() -> None:
    view = _fixture_view("containment.ttl")
    assert not MARKER.search(_words(view))
    for name in ("inner", "outer", "elsewhere", "overlap"):
        assert not _about(view, CLAIM[f"restricted-zqx7-{name}"]), name
    case = RGID["sensitivity-fixture-case-w"]
    assert (CLAIM["sensitivity-fixture-w-public"], RG.quote, None) in view
    assert (case, RG.crimeType, CRIME["forced-repatriation"]) in view  # a public claim states it too
    assert (case, RG.place, COUNTRY.CN) not in view  # only the restricted claim states it


def test_claims_and_quotations_that_cite_a_withheld_person_are_withheld() -> None:
    view = _fixture_view("quotation.ttl")
    assert not MARKER.search(_words(view))
    for node in (RGID["restricted-zqx7-speaker"], RGID["restricted-zqx7-quotation"],
                 CLAIM["restricted-zqx7-q-speaker"], CLAIM["restricted-zqx7-q-words"],
                 CLAIM["restricted-zqx7-q-concerns"]):
        assert not _about(view, node), node
    post, case = RGID["sensitivity-fixture-post-q"], RGID["sensitivity-fixture-case-q"]
    assert (post, RDFS.label, Literal("Public post of the sensitivity fixture (q)", lang="en")) in view
    assert (post, ORG.postIn, RGID.tjwg) in view
    assert (case, RG.crimeType, CRIME["forced-repatriation"]) in view
    assert (case, RG.place, COUNTRY.CN) not in view  # only the speaker's own words state it


def test_the_fixtures_withhold_exactly_the_marked_claims(project) -> None:
    full, origins = load_for_disclosure(project, [ROOT / "data", FIXTURES])
    view = disclosed_view(full, Disclosure.PUBLIC, origins)
    withheld = set(full.subjects(RG.quote)) - set(view.subjects(RG.quote))
    assert sorted(withheld) == sorted(c for c in full.subjects(RG.quote) if MARKER.search(c))
    assert len(withheld) == 12  # 2 + 2 + 1 + 4 + 3 claims of the five fixture files


def _marked(graph: Graph, node: URIRef) -> Graph:
    marked = Graph()
    marked += graph
    marked.add((node, RG.sensitivity, RG.restricted))
    return marked


def test_the_press_release_quote_around_a_restricted_one_is_withheld(graph: Graph) -> None:
    # claim:004-065 quotes characters 2218-2284; claim:004-064 quotes 2217-2410, words included.
    view = disclosed_view(_marked(graph, CLAIM["004-065"]))
    assert (CLAIM["004-064"], None, None) not in view
    for neighbour in ("004-063", "004-066", "004-068"):  # 2205-2216, 2289-2326, 2392-2410: apart
        assert (CLAIM[neighbour], RG.quote, None) in view, neighbour


def test_a_restricted_analyst_takes_their_words_and_quotation_along(graph: Graph) -> None:
    view = disclosed_view(_marked(graph, RGID["person-tjwg-analyst"]))
    for claim in ("004-065", "004-066", "004-067"):  # cite the analyst only by rg:accordingTo
        assert (CLAIM[claim], None, None) not in view, claim
    assert not _about(view, RGID["quotation-tjwg-analyst"])
    assert (RGID["tjwg-analyst"], RDFS.label, None) in view  # the post is a resource of its own


# --- Levels that are not levels -------------------------------------------------------------------

def test_the_known_levels_are_the_ontologys(project) -> None:
    ontology = load_ontology(project)
    assert set(ontology.subjects(SKOS.inScheme, RG.sensitivityLevels)) == KNOWN_LEVELS


def _expected(fixture: Path) -> tuple[int, str]:
    header = dict(re.findall(r"^# expect-(\w+): (.*)$", fixture.read_text(encoding="utf-8"), re.MULTILINE))
    return int(header["exit"]), header["message"]


LEVEL_FIXTURES = sorted(LEVELS.glob("*.ttl"))


@pytest.mark.parametrize("fixture", LEVEL_FIXTURES, ids=lambda p: p.stem)
@pytest.mark.parametrize("disclosure", list(Disclosure))
def test_a_level_that_is_not_a_level_is_refused(fixture: Path, disclosure: Disclosure) -> None:
    graph, origins = read_files([fixture])
    _, message = _expected(fixture)
    with pytest.raises(InputError) as refused:
        disclosed_view(graph, disclosure, origins)
    assert str(fixture) in str(refused.value) and message in str(refused.value)


@pytest.mark.slow
@pytest.mark.parametrize("fixture", LEVEL_FIXTURES, ids=lambda p: p.stem)
def test_publish_export_serve_and_load_refuse_a_level_that_is_not_a_level(tmp_path: Path, fixture: Path) -> None:
    code, message = _expected(fixture)
    data = ("--data", str(ROOT / "data"), str(fixture))
    site, export = tmp_path / "site", tmp_path / "export"
    for args in (("publish", "--out", str(site), *data), ("export", "all", "--out", str(export), *data),
                 ("serve", "--port", str(free_port()), "--db", str(tmp_path / "db"), *data),
                 # Port 1 answers nothing: exit 2, not 3, shows the refusal comes before any request.
                 ("load", "--endpoint", "http://127.0.0.1:1/query", *data),
                 ("load", "--endpoint", "http://127.0.0.1:1/query", "--file", str(fixture))):
        result = run_cli(*args)
        assert_clean_error(result, code, message, fixture.name)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not site.exists() and not export.exists() and not (tmp_path / "db").exists()


# --- Every path, end to end -----------------------------------------------------------------------

def _files_text(folder: Path) -> str:
    texts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "vendor" not in p.parts):
        data = path.read_bytes()
        texts.append(str(path.relative_to(folder)))
        texts.append((gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", "replace"))
    return "\n".join(texts)


def _graph_text(url: str) -> str:
    rows = RemoteEngine(url).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows
    assert len(rows) > 5000  # the whole public graph is there
    return "\n".join(str(term) for row in rows for term in row)


def _published(tmp_path: Path) -> str:
    result = run_cli("publish", "--out", str(tmp_path / "site"), "--data", str(ROOT / "data"), str(FIXTURES))
    assert result.returncode == 0, result.stderr
    return _files_text(tmp_path / "site")


def _exported(tmp_path: Path) -> str:
    result = run_cli("export", "all", "--out", str(tmp_path / "export"), "--data", str(ROOT / "data"), str(FIXTURES))
    assert result.returncode == 0, result.stderr
    return _files_text(tmp_path / "export")


def _served(tmp_path: Path) -> str:
    with serve("--data", str(ROOT / "data"), str(FIXTURES), db=tmp_path / "db") as server:
        return _graph_text(server.url)


def _loaded(tmp_path: Path) -> str:
    store = OxigraphServer(None, tmp_path, writable=True)
    try:
        result = run_cli("load", "--endpoint", store.url, "--data", str(ROOT / "data"), str(FIXTURES))
        assert result.returncode == 0, result.stderr
        return _graph_text(store.url)
    finally:
        store.stop()


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("path", [_published, _exported, _served, _loaded], ids=lambda f: f.__name__[1:])
def test_every_path_withholds_the_fixtures_and_keeps_their_public_data(tmp_path: Path, path) -> None:
    text = path(tmp_path)
    found = sorted({text[max(0, m.start() - 40):m.end() + 20] for m in MARKER.finditer(text)})
    assert not found, found[:5]
    for words in PUBLIC_WORDS:
        assert words in text, words


@pytest.mark.parametrize(("flags", "shown", "hidden"), [
    ((), set(), {"restricted-zqx7", "confidential-zqx7"}),
    (("--include-restricted",), {"restricted-zqx7"}, {"confidential-zqx7"}),
    (("--include-confidential",), {"restricted-zqx7", "confidential-zqx7"}, set()),
])
@pytest.mark.slow
def test_served_graph_discloses_only_what_the_flags_allow(tmp_path: Path, flags, shown, hidden) -> None:
    args = ("--data", str(ROOT / "data"), str(FIXTURES), *flags)
    with serve(*args, db=tmp_path / "db") as server:
        text = _graph_text(server.url).lower()
    for marker in shown:
        assert marker in text
    if "restricted-zqx7" in shown:  # the public quotes around a disclosed quote are disclosed with it
        assert "before the restricted-zqx7 inner words" in text
    for marker in hidden:
        assert marker not in text
    assert "sensitivity-fixture-case" in text  # the public cases that link to hidden data stay
