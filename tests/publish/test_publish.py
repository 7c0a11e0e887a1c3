"""`rightsgraph publish`: the static linked-data site, checked file by file against the graph."""

from __future__ import annotations

import gzip
import hashlib
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markupsafe import escape
from pyld import jsonld
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, VOID

from conftest import assert_clean_error, run_cli
from rightsgraph.core.disclosure import disclosed_view
from rightsgraph.core.namespaces import COUNTRY, CRIME, OA, RG
from rightsgraph.core.site_paths import RDF_EXTENSIONS, resource_document
from rightsgraph.core.writing import canonical_graph
from rightsgraph.publish import publish
from rightsgraph.publish.evidence import SourceTexts, hidden_spans
from rightsgraph.publish.linked import add_links
from rightsgraph.publish.negotiation import choose_extension
from rightsgraph.publish.site import page_resources

FIXTURES = Path(__file__).parents[1] / "fixtures" / "sensitivity"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def _parse_html(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _jsonld_graph(data: bytes) -> Graph:
    """The triples of a JSON-LD document, as pyld (the reference processor) reads them."""
    nquads = jsonld.to_rdf(json.loads(data), {"format": "application/n-quads"})
    return Graph().parse(data=nquads, format="nquads") if nquads.strip() else Graph()


def _same(a: Graph, b: Graph) -> bool:
    """Isomorphic, with language tags compared without case, as RDF 1.1 compares them (pyld writes
    them in lower case)."""
    a, b = _lower_languages(a), _lower_languages(b)
    # Content-derived blank node labels decide quickly; full isomorphism only when they disagree.
    return set(canonical_graph(a)) == set(canonical_graph(b)) or isomorphic(a, b)


def _lower_languages(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


@pytest.fixture(scope="session")
def view(graph: Graph, project) -> Graph:
    """The published graph: the public view, with the terms linked-data clients follow."""
    public = disclosed_view(graph)
    return add_links(public, SourceTexts(project.sources_dir, hidden_spans(graph, public)))


_CLAIMS_ABOUT = """
    PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
    SELECT DISTINCT ?claim WHERE { ?claim rg:states ?statement . { ?statement rg:subject ?node } UNION
                                   { ?statement rg:object ?node } }"""


def test_no_internal_link_is_broken(published_site: Path) -> None:
    pages = sorted(published_site.rglob("*.html"))
    parsed = {page: _parse_html(page) for page in pages}
    broken = []
    checked = 0
    for page, links in parsed.items():
        for link in links.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # external, data: and mailto: links
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(published_site)}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse_html(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(published_site)}: {link} (no such fragment)")
    assert checked > len(pages)
    assert not broken, f"{len(broken)} broken links, e.g. {broken[:10]}"


def test_every_resource_has_every_representation(published_site: Path, view: Graph) -> None:
    resources = page_resources(view)
    assert COUNTRY.CN in resources and CRIME["forced-repatriation"] in resources
    missing = [f"{resource_document(r)}.{ext}" for r in resources for ext in ("html", *RDF_EXTENSIONS)
               if not (published_site / f"{resource_document(r)}.{ext}").is_file()]
    assert not missing, missing[:10]


def test_each_rdf_file_equals_the_resource_description(published_site: Path, view: Graph) -> None:
    mismatched = []
    for resource in page_resources(view):
        expected = view.cbd(resource)
        for (claim,) in view.query(_CLAIMS_ABOUT, initBindings={"node": resource}):
            expected += view.cbd(claim)
        expected.add((resource, VOID.inDataset, URIRef("https://w3id.org/rightsgraph/")))
        expected.add((resource, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
        base = published_site / resource_document(resource)
        for ext in RDF_EXTENSIONS:
            data = Path(f"{base}.{ext}").read_bytes()
            parsed = _jsonld_graph(data) if ext == "jsonld" else Graph().parse(data=data, format=RDFLIB_FORMATS[ext])
            if not _same(parsed, expected):
                mismatched.append(f"{resource_document(resource)}.{ext}")
    assert not mismatched, mismatched[:10]


def test_a_resource_turtle_leads_to_its_claims_and_their_evidence(published_site: Path, view: Graph) -> None:
    """China's Turtle alone lets a client reach every claim about China, each with its source and
    an anchorable quote (data/reference.ttl: country:CN rg:wikidata wd:Q148; the forced
    repatriation claims of data/004-de1a4595a4e24556.ttl name country:CN as their object)."""
    china = Graph().parse(published_site / "id" / "country" / "CN.ttl", format="turtle")
    claims = set(china.query(_CLAIMS_ABOUT, initBindings={"node": COUNTRY.CN}))
    assert claims == set(view.query(_CLAIMS_ABOUT, initBindings={"node": COUNTRY.CN}))
    assert len(claims) >= 3
    for (claim,) in claims:
        source = china.value(claim, PROV.wasDerivedFrom)
        assert source is not None and (claim, RDF.type, OA.Annotation) in china
        targets = list(china.objects(claim, OA.hasTarget))
        assert len(targets) == len(list(china.objects(claim, RG.quote))) > 0
        for target in targets:
            assert china.value(target, OA.hasSource) == source
            selector = china.value(target, OA.hasSelector)
            assert (claim, RG.quote, selector) in china
            assert china.value(selector, OA.exact) is not None and china.value(selector, OA.start) is not None
    assert (COUNTRY.CN, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q148")) in china
    assert (COUNTRY.CN, VOID.inDataset, URIRef("https://w3id.org/rightsgraph/")) in china
    assert (COUNTRY.CN, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in china


def test_quotes_carry_the_words_around_them(published_site: Path, sources_dir: Path) -> None:
    """Each quote's oa:prefix and oa:suffix are the 32 characters of its source file either side
    of it (fewer at the file's ends)."""
    dump = Graph().parse(published_site / "dump" / "rightsgraph.ttl", format="turtle")
    quotes = set(dump.objects(None, RG.quote))
    assert len(quotes) > 100
    for quote in quotes:
        source = dump.value(next(dump.subjects(RG.quote, quote)), PROV.wasDerivedFrom)
        text = (sources_dir / str(dump.value(source, RG.fileName))).read_text(encoding="utf-8")
        start, end = int(dump.value(quote, OA.start)), int(dump.value(quote, OA.end))
        assert str(dump.value(quote, OA.prefix)) == text[max(0, start - 32):start]
        assert str(dump.value(quote, OA.suffix)) == text[end:end + 32]


def test_dumps_hold_the_published_graph(published_site: Path, view: Graph) -> None:
    dump = published_site / "dump"
    assert _same(_jsonld_graph((dump / "rightsgraph.jsonld").read_bytes()), view)
    assert _same(Graph().parse(dump / "rightsgraph.ttl", format="turtle"), view)
    assert _same(Graph().parse(data=gzip.decompress((dump / "rightsgraph.nt.gz").read_bytes()), format="nt"), view)
    assert _same(Graph().parse(dump / "rightsgraph.rdf", format="xml"), view)
    context = json.loads((dump / "rightsgraph.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context["rg"] == str(RG) and context["label"] == {"@id": "rdfs:label", "@container": "@language"}


def test_void_and_dcat_describe_the_dumps(published_site: Path, view: Graph) -> None:
    void = Graph().parse(published_site / ".well-known" / "void", format="turtle")
    dataset = next(void.subjects(RDF.type, VOID.Dataset))
    assert int(void.value(dataset, VOID.triples)) == len(view)
    assert (dataset, VOID.exampleResource, COUNTRY.CN) in void
    partitions = {void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
                  for p in void.objects(dataset, VOID.classPartition)}
    assert partitions[RG.Claim] == len(set(view.subjects(RDF.type, RG.Claim)))
    assert len(list(void.objects(dataset, VOID.dataDump))) == 4

    catalogue = Graph().parse(published_site / "catalog.ttl", format="turtle")
    distributions = list(catalogue.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 4
    spdx = "http://spdx.org/rdf/terms#"
    for distribution in distributions:
        url = str(catalogue.value(distribution, DCAT.downloadURL))
        local = published_site / url.removeprefix("https://w3id.org/rightsgraph/")
        content = local.read_bytes()
        assert int(catalogue.value(distribution, DCAT.byteSize)) == len(content)
        checksum = catalogue.value(distribution, URIRef(spdx + "checksum"))
        assert str(catalogue.value(checksum, URIRef(spdx + "checksumValue"))) == hashlib.sha256(content).hexdigest()
        assert str(catalogue.value(distribution, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
    # Without a configured endpoint there is no data service.
    assert not list(catalogue.subjects(RDF.type, DCAT.DataService))


def test_china_page_shows_the_forced_repatriation_evidence(published_site: Path, view: Graph) -> None:
    """The sources say China forcibly repatriates North Korean refugees; its page shows the words."""
    page = (published_site / "id" / "country" / "CN.html").read_text(encoding="utf-8")
    crimes = set(view.subjects(RG.crimeType, CRIME["forced-repatriation"]))
    responsible = {c for c in crimes if (c, RG.responsibleState, COUNTRY.CN) in view}
    assert responsible, "the data has no forced repatriation for which China is the responsible state"
    claims = [claim for claim, statement in view.subject_objects(RG.states)
              if view.value(statement, RG.predicate) == RG.responsibleState
              and view.value(statement, RG.object) == COUNTRY.CN and view.value(statement, RG.subject) in responsible]
    assert claims
    for claim in claims:
        assert f'href="../claim/{str(claim).rsplit("/", 1)[-1]}.html"' in page
        for quote in view.objects(claim, RG.quote):
            exact = str(view.value(quote, OA.exact))
            assert f"<mark>{_escape(exact)}</mark>" in page
    for label in ("China", "中国", "中國"):
        assert label in page


def _status_groups(page: str) -> dict[str, str]:
    """{status group: its HTML} of a resource page's summary, in page order."""
    return dict(re.findall(r'<section aria-labelledby="status-\d+" class="status-group status-(\w+)">(.*?)</section>',
                           page, re.S))


def test_a_page_leads_with_what_the_sources_say_by_status(published_site: Path, view: Graph) -> None:
    """China's page (data/004-de1a4595a4e24556.ttl) says first that China is the responsible state
    of its forced repatriation of North Korean refugees (claim 004-041, reported); then what is
    only recommended to it (004-045: terminate the treaties) and what a speaker says (004-060:
    China is responsible for transnational enforced disappearance, which is no plain triple);
    its names come after."""
    page = (published_site / "id" / "country" / "CN.html").read_text(encoding="utf-8")
    assert page.index('id="summary"') < page.index('id="names"') < page.index('id="details"')
    groups = _status_groups(page)
    order = list(groups)
    assert order[0] == "facts" and order.index("recommended") < order.index("attributed")
    facts, recommended, attributed = groups["facts"], groups["recommended"], groups["attributed"]
    assert "Reported as fact or found" in facts and "Recommended" in recommended
    assert "Attributed to a speaker" in attributed
    # what points to China, at the top: China's forced repatriation -- responsible state --> China
    sentence = re.search(r'<a href="\.\./forced-repatriation-by-china\.html"[^>]*>[^<]*</a> <em class="predicate">'
                         r'<a [^>]*>responsible state</a></em> <strong class="self"[^>]*>China</strong>', facts)
    assert sentence is not None
    assert 'href="../claim/004-041.html"' in facts
    assert 'href="../recommendation-terminate-treaties-with-north-korea.html"' in recommended
    assert 'href="../claim/004-045.html"' in recommended and 'href="../claim/004-045.html"' not in facts
    disappearance = URIRef("https://w3id.org/rightsgraph/id/transnational-enforced-disappearance")
    assert (disappearance, RG.responsibleState, COUNTRY.CN) not in view
    assert 'href="../transnational-enforced-disappearance.html"' in attributed
    assert 'href="../claim/004-060.html"' in attributed


def test_competing_accounts_stand_side_by_side(published_site: Path) -> None:
    """The Chinese text of source 000 says the 64 suspects were escorted back (claims 000-012 and
    000-015), the English that they were extradited (000-043): both values, each with its own
    claims and quotes, under one heading."""
    page = (published_site / "id" / "return-of-64-suspects-from-cambodia.html").read_text(encoding="utf-8")
    section = page[page.index('<h2 id="competing">Competing accounts</h2>'):]
    section = section[:section.index('<section aria-labelledby="names">')]
    accounts = re.findall(r'<section class="account" aria-label="([^"]*)">(.*?)</section>', section, re.S)
    assert [label for label, _ in accounts] == ["escorted back under police guard", "extradition"]
    escort, extradition = accounts[0][1], accounts[1][1]
    assert 'href="../ontology.html#escort"' in escort and 'href="../ontology.html#extradition"' in extradition
    assert 'href="claim/000-012.html"' in escort and 'href="claim/000-015.html"' in escort
    assert 'href="claim/000-043.html"' in extradition and "claim/000-043" not in escort
    assert "<mark>押解行動在韓柬兩國警方的協同下完成</mark>" in escort
    assert "64 South Korean suspects were recently extradited from Cambodia</mark>" in extradition
    # the summary marks both values as competing
    assert page.count('class="tag competing" href="#competing"') == 2


def _search_entries(site: Path) -> dict[str, dict]:
    script = (site / "search-index.js").read_text(encoding="utf-8")
    body = script.removeprefix("window.RIGHTSGRAPH_SEARCH = ").removesuffix(";\n")
    return {entry["iri"]: entry for entry in json.loads(body)}


def test_search_index_holds_names_and_quotes_in_both_scripts(published_site: Path) -> None:
    """Claim 004-041 quotes the press release in Simplified characters, over a line break
    (监控朝\n鲜难民); the index has its words without the break, and in Traditional characters.
    The news article's Traditional 押解行動 (claim 000-015) is there in Simplified too."""
    entries = _search_entries(published_site)
    quote = entries["https://w3id.org/rightsgraph/id/claim/004-041"]["quotes"][0]
    assert quote[0] == "zh-Hans"
    assert quote[1] == "俄罗斯和中国与朝鲜当局密切合作，监控朝鲜难民和脱北者，并强行将他们遣返回朝鲜"
    assert "俄羅斯和中國與朝鮮當局密切合作，監控朝鮮難民和脫北者，並強行將他們遣返回朝鮮" in quote[2:]
    escorted = entries["https://w3id.org/rightsgraph/id/claim/000-015"]["quotes"][0]
    assert escorted[:2] == ["zh-Hant", "押解行動在韓柬兩國警方的協同下完成"]
    assert "押解行动在韩柬两国警方的协同下完成" in escorted[2:]
    china = entries[str(COUNTRY.CN)]
    assert {"China", "中国", "中國", "중국"} <= set(china["names"]) and china["type"] == "state"


def _escape(text: str) -> str:
    """As Jinja2 escapes (markupsafe)."""
    return str(escape(text))


def test_quotes_are_shown_in_their_context(published_site: Path, view: Graph, sources_dir: Path) -> None:
    claim = next(iter(sorted(c for c in view.subjects(RG.quote, None) if resource_document(c))))
    quote = next(iter(view.objects(claim, RG.quote)))
    start, end = int(view.value(quote, OA.start)), int(view.value(quote, OA.end))
    source = view.value(claim, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    text = (sources_dir / str(view.value(source, RG.fileName))).read_text(encoding="utf-8")
    page = (published_site / f"{resource_document(claim)}.html").read_text(encoding="utf-8")
    marked = re.search(r"<p>(.*?)<mark>(.*?)</mark>(.*?)</p>", page, re.S)
    assert marked is not None and marked.group(2) == _escape(text[start:end])
    before = marked.group(1).removeprefix("… ")
    if start > 0 and text[:start].rstrip("\n")[-1:] != "":
        assert before and _escape(text[:start]).endswith(before)


def test_quotes_stand_alone_without_the_sources(tmp_path: Path, project, monkeypatch) -> None:
    monkeypatch.setenv("RIGHTSGRAPH_SOURCES", str(tmp_path / "no-such-folder"))
    out = tmp_path / "site"
    publish(project, out)
    page = (out / "id" / "country" / "CN.html").read_text(encoding="utf-8")
    assert "<p><mark>" in page and "… " not in page


def test_ontology_page_has_an_anchor_for_every_term(published_site: Path, graph: Graph) -> None:
    ids = _parse_html(published_site / "ontology.html").ids
    terms = {str(s)[len(str(RG)):] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(RG))}
    assert terms and not terms - ids, sorted(terms - ids)[:10]
    ontology = Graph().parse(published_site / "ontology.ttl", format="turtle")
    assert _same(ontology, Graph().parse(published_site / "ontology.rdf", format="xml"))
    assert _same(ontology, _jsonld_graph((published_site / "ontology.jsonld").read_bytes()))


def test_ontology_contents_name_each_term_once(published_site: Path) -> None:
    """rg:NewsArticle is labelled "news article"@en, "新闻报道"@zh-Hans (ontology/rightsgraph.ttl):
    its entry in the contents is the English label alone."""
    page = (published_site / "ontology.html").read_text(encoding="utf-8")
    toc = page[page.index('<div id="toc">'):]
    toc = toc[:toc.index("</div>")]
    entries = re.findall(r"<a href=\"#[^\"]*\">([^<]*)</a>", toc)
    assert "news article" in entries
    assert not [e for e in entries if re.search(r"[\u4e00-\u9fff]", e)]
    # Each list in alphabetical order; rg:Person ("person"@en) and foaf:Person ("Person") told apart.
    lists = re.findall(r"<ul[^>]*>((?:(?!<ul).)*?)</ul>", toc, re.S)  # the innermost lists: the terms
    assert len(lists) >= 3
    for titles in (re.findall(r"<a href=\"#[^\"]*\">([^<]*)</a>", item) for item in lists):
        assert titles == sorted(titles, key=str.casefold)
    assert "person (rg:Person)" in entries and "Person (foaf:Person)" in entries and "Person (prov:Person)" in entries
    assert len(set(re.findall(r'<a href="(#[^"]*)">', toc))) == len(re.findall(r'<a href="(#[^"]*)">', toc))


def test_pages_are_accessible_and_script_free(published_site: Path) -> None:
    for page in [published_site / "index.html", published_site / "id" / "country" / "CN.html",
                 published_site / "shapes.html", published_site / "search.html"]:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="en">' in html and 'name="viewport"' in html and html.count("<h1") == 1
        assert "<img" not in html or re.search(r"<img(?![^>]*alt=)", html) is None
        scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
        assert scripts == (["search-index.js", "search.js"] if page.name == "search.html" else [])
        # The search and the interactive view are in every page's navigation.
        nav = html[html.index('<nav aria-label="Site">'):html.index("</nav>")]
        assert re.search(r'href="[./]*search\.html">Search</a>', nav)
        assert re.search(r'href="[./]*view/index\.html">View</a>', nav)


@pytest.mark.parametrize("extra, present, absent", [
    ([], [], ["RESTRICTED-ZQX7", "restricted-zqx7", "CONFIDENTIAL-ZQX7", "confidential-zqx7"]),
    (["--include-restricted"], ["RESTRICTED-ZQX7"], ["CONFIDENTIAL-ZQX7", "confidential-zqx7"]),
    (["--include-confidential"], ["RESTRICTED-ZQX7", "CONFIDENTIAL-ZQX7"], []),
])
def test_publish_leaves_out_what_is_not_public(tmp_path: Path, project, extra, present, absent) -> None:
    out = tmp_path / "site"
    result = run_cli("publish", "--out", str(out), "--data", str(project.data_dir), str(FIXTURES), *extra)
    assert result.returncode == 0, result.stderr
    text = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        text.append(str(path.relative_to(out)))
        text.append((gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", "replace"))
    everything = "\n".join(text)
    for marker in absent:
        assert marker not in everything, marker
    for marker in present:
        assert marker in everything, marker
    # The public data that linked to the hidden resources is still there, without the links.
    assert "sensitivity-fixture-case-r" in everything


def test_base_url_makes_links_absolute(tmp_path: Path, project) -> None:
    out = tmp_path / "site"
    publish(project, out, base_url="https://example.org/rg/", endpoint="https://example.org/sparql")
    page = (out / "id" / "country" / "CN.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/rg/style.css"' in page
    assert 'href="https://example.org/rg/id/country/CN.ttl"' in page
    catalogue = Graph().parse(out / "catalog.ttl", format="turtle")
    urls = {str(u) for u in catalogue.objects(None, DCAT.downloadURL)}
    assert "https://example.org/rg/dump/rightsgraph.ttl" in urls
    service = next(catalogue.subjects(RDF.type, DCAT.DataService))
    assert str(catalogue.value(service, DCAT.endpointURL)) == "https://example.org/sparql"
    assert "https://example.org/sparql" in (out / "index.html").read_text(encoding="utf-8")


def test_labels_are_escaped(tmp_path: Path, project) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "x.ttl").write_text(
        '@prefix rg: <https://w3id.org/rightsgraph/ontology#> .\n'
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '<https://w3id.org/rightsgraph/id/escape-test> a rg:Person ; '
        'rdfs:label "<script>alert(1)</script> & co"@en .\n', encoding="utf-8")
    out = tmp_path / "site"
    publish(project, out, data_paths=[data])
    page = (out / "id" / "escape-test.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert Literal("<script>alert(1)</script> & co", lang="en") in set(
        Graph().parse(out / "id" / "escape-test.ttl", format="turtle").objects())


def test_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run_cli("publish", "--out", str(folder))
    assert_clean_error(result, 2, "not written by `rightsgraph publish`")
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_bad_input_leaves_the_old_site(tmp_path: Path, project) -> None:
    out = tmp_path / "site"
    publish(project, out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix rg: <https://w3id.org/rightsgraph/ontology#> .\nrg:x rg:y .\n", encoding="utf-8")
    result = run_cli("publish", "--out", str(out), "--data", str(broken))
    assert_clean_error(result, 2, "broken.ttl:2")
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert_clean_error(run_cli("publish", "--out", str(out), "--base-url", "not a url"), 2, "--base-url")


def test_republishing_drops_what_is_gone(tmp_path: Path, project) -> None:
    out = tmp_path / "site"
    publish(project, out, data_paths=[project.data_dir, FIXTURES / "restricted.ttl"],
            disclosure=__import__("rightsgraph.core.disclosure", fromlist=["Disclosure"]).Disclosure.RESTRICTED)
    assert (out / "id" / "restricted-zqx7-witness.html").exists()
    publish(project, out, data_paths=[project.data_dir, FIXTURES / "restricted.ttl"])
    assert not (out / "id" / "restricted-zqx7-witness.html").exists()
    assert not list(out.parent.glob(".site.*"))


@pytest.mark.parametrize("accept, expected", [
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "html"),
    ("*/*", "html"),
    (None, "html"),
    ("text/turtle;q=0.5, text/html", "html"),
    ("application/ld+json, text/html;q=0.1", "jsonld"),
    ("image/png", None),
])
def test_accept_header_chooses_the_representation(accept, expected) -> None:
    assert choose_extension(accept, {"html", *RDF_EXTENSIONS}) == expected


def test_site_paths_stay_inside_the_site() -> None:
    for iri in ("https://w3id.org/rightsgraph/id/../secret", "https://w3id.org/rightsgraph/id/a//b",
                "https://w3id.org/rightsgraph/id/", "https://example.org/id/x"):
        assert resource_document(URIRef(iri)) is None
    china = resource_document(URIRef("https://w3id.org/rightsgraph/id/country/CN"))
    assert china is not None and posixpath.normpath(china) == "id/country/CN"
