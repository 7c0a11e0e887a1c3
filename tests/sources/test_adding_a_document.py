"""Adding a source document (issue 18): `source add`, `quotes --fill`, the evidence checks of
`validate` and `run`, `find`, resource parameters, and a third document in Korean end to end.

Each test works in a temporary copy of the checkout (ontology/, data/, shapes/, queries/) with
RIGHTSGRAPH_SOURCES pointing to a temporary copy of the source files, so nothing of the real
checkout or sources folder changes. Expected values are read from the inputs written here.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from conftest import ROOT, assert_clean_error, copy_checkout, run_cli
from conftest import run_in_checkout as _cli
from rightsgraph.core.namespaces import RG, RGID

pytestmark = pytest.mark.slow  # end to end: a new document through every command

KOREAN = (
    "경찰청은 캄보디아에서 한국인 피해자를 구출하기 위해 수사관을 파견했다.\n"
    "경찰청 소속 김민수 경감은 \"현지 경찰과 긴밀히 협력하고 있다\"고 말했다.\n"
    "경찰청은 피해자 가족에게 연락했다.\n"
)
SOURCE = "https://w3id.org/rightsgraph/id/source/"


@pytest.fixture
def checkout(tmp_path: Path, sources_dir: Path) -> Path:
    return copy_checkout(tmp_path, sources_dir)


def _korean_file(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(KOREAN, encoding="utf-8")
    return path


# --- source add -------------------------------------------------------------------------------


def test_source_add_names_describes_and_copies_the_file(checkout: Path, tmp_path: Path) -> None:
    article = _korean_file(tmp_path)
    digest = hashlib.sha256(article.read_bytes()).hexdigest()
    name = f"005-{digest[:16]}"  # 004 is the highest number in use
    catalogue_before = (checkout / "data" / "sources.ttl").read_text(encoding="utf-8")
    result = _cli(checkout, "source", "add", str(article), "--title", "경찰청, 캄보디아에 수사관 파견",
                  "--label", "News article: police investigators sent to Cambodia", "--kind", "news-article",
                  "--date", "2025-10-20")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"src:{name}" in result.stdout and "ko" in result.stdout
    copied = checkout.parent / "sources" / f"005_{digest[:16]}.txt"
    assert copied.read_bytes() == article.read_bytes()
    catalogue = (checkout / "data" / "sources.ttl").read_text(encoding="utf-8")
    assert catalogue.startswith(catalogue_before.rstrip("\n"))  # appended; the rest untouched
    graph = Graph().parse(data=catalogue, format="turtle")
    source = URIRef(SOURCE + name)
    assert str(graph.value(source, RG.sha256)) == digest
    assert str(graph.value(source, RG.fileName)) == copied.name
    assert {str(lang) for lang in graph.objects(source, URIRef("http://purl.org/dc/terms/language"))} == {"ko"}
    skeleton = (checkout / "data" / f"{name}.ttl").read_text(encoding="utf-8")
    Graph().parse(data=skeleton, format="turtle")  # valid Turtle as written
    # The worked claim quotes the first line of the file at its offsets.
    first = KOREAN.splitlines()[0]
    assert f'oa:exact "{first}"@ko ; oa:start 0 ; oa:end {len(first)}' in skeleton
    assert _cli(checkout, "validate", "-q").returncode == 0


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_skeletons_examples_uncommented_are_valid(checkout: Path, tmp_path: Path, lang: str) -> None:
    """The examples are what a new user copies first: as written, they must pass `validate`
    (an English source once got an example with two English labels, a violation)."""
    article = tmp_path / "article.txt"
    article.write_text("Seoul sends police team to Cambodia\nThe team left on Monday.\n" if lang == "en" else KOREAN,
                       encoding="utf-8")
    assert _cli(checkout, "source", "add", str(article), "--lang", lang, "--label", "Example").returncode == 0
    data_file = next((checkout / "data").glob("005-*.ttl"))
    # the example lines: a resource or claim opening at the margin, and its indented lines
    data_file.write_text(re.sub(r"(?m)^# (?=rgid:|claim:|    )", "", data_file.read_text(encoding="utf-8")),
                         encoding="utf-8")
    result = _cli(checkout, "validate")
    assert result.returncode == 0, result.stdout + result.stderr


def test_source_add_refuses_a_registered_file_and_a_file_that_is_not_utf8(checkout: Path, sources_dir: Path,
                                                                          tmp_path: Path) -> None:
    catalogue = checkout / "data" / "sources.ttl"
    before = catalogue.read_bytes()
    same = tmp_path / "copy.txt"
    shutil.copyfile(sources_dir / "004_de1a4595a4e24556.txt", same)
    assert_clean_error(_cli(checkout, "source", "add", str(same), "--lang", "zh-Hans"), 2,
                       "already registered", "src:004-de1a4595a4e24556"[4:])
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Séoul\ncafé".encode("latin-1"))
    assert_clean_error(_cli(checkout, "source", "add", str(latin1), "--lang", "fr"), 2, "latin1.txt:1",
                       "not UTF-8")
    assert catalogue.read_bytes() == before
    assert sorted(p.name for p in (checkout.parent / "sources").iterdir()) == sorted(
        p.name for p in sources_dir.iterdir())


# --- quotes --fill ----------------------------------------------------------------------------

def _document(checkout: Path, tmp_path: Path) -> tuple[str, Path]:
    """The Korean article added, and its data file."""
    result = _cli(checkout, "source", "add", str(_korean_file(tmp_path)), "--lang", "ko",
                  "--label", "News article: police investigators sent to Cambodia")
    assert result.returncode == 0, result.stderr
    data_file = next(p for p in (checkout / "data").glob("005-*.ttl"))
    return data_file.stem, data_file


CLAIMS = """
rgid:knpa rdfs:label "경찰청"@ko .

rgid:person-test-kim a rg:Person ;
    rdfs:label "김민수"@ko .

claim:005-001 a rg:Claim ;
    prov:wasDerivedFrom src:{name} ;
    rg:status rg:reported ;
    rg:quote [ oa:exact "경찰청은 캄보디아에서 한국인 피해자를 구출하기 위해 수사관을 파견했다"@ko ] ;
    rg:states [ rg:subject rgid:knpa ; rg:predicate rg:agencyOf ; rg:object country:KR ] .

claim:005-002 a rg:Claim ;
    prov:wasDerivedFrom src:{name} ;
    rg:status rg:reported ;
    rg:quote [ oa:exact "경찰청 소속 김민수 경감"@ko ; oa:start 99 ; oa:end 3 ] ;
    rg:states [ rg:subject rgid:person-test-kim ; rg:predicate foaf:name ; rg:object "김민수"@ko ] ,
              [ rg:subject rgid:person-test-kim ; rg:predicate org:memberOf ; rg:object rgid:knpa ] .
"""


def test_quotes_fill_writes_and_corrects_offsets_in_place(checkout: Path, tmp_path: Path) -> None:
    name, data_file = _document(checkout, tmp_path)
    written = data_file.read_text(encoding="utf-8") + "@prefix org: <http://www.w3.org/ns/org#> .\n" \
        + CLAIMS.replace("{name}", name)
    data_file.write_text(written, encoding="utf-8")
    result = _cli(checkout, "quotes", "--fill")
    assert result.returncode == 0, result.stdout + result.stderr
    first = "경찰청은 캄보디아에서 한국인 피해자를 구출하기 위해 수사관을 파견했다"
    second_at = KOREAN.index("경찰청 소속 김민수 경감")
    expected = written.replace(f'"{first}"@ko ]', f'"{first}"@ko ; oa:start 0 ; oa:end {len(first)} ]').replace(
        "oa:start 99 ; oa:end 3", f"oa:start {second_at} ; oa:end {second_at + len('경찰청 소속 김민수 경감')}")
    assert data_file.read_text(encoding="utf-8") == expected  # nothing else of the file changed
    # The seed documents' quotes were right: their files are untouched.
    for seed in ("000-182b20a71efb541c.ttl", "004-de1a4595a4e24556.ttl"):
        assert (checkout / "data" / seed).read_bytes() == (ROOT / "data" / seed).read_bytes()


def test_quotes_fill_asks_which_occurrence_and_shows_the_closest_passage(checkout: Path, tmp_path: Path) -> None:
    name, data_file = _document(checkout, tmp_path)
    claims = f"""
claim:005-001 a rg:Claim ;
    prov:wasDerivedFrom src:{name} ;
    rg:status rg:reported ;
    rg:quote [ oa:exact "경찰청은"@ko ] ;
    rg:states [ rg:subject rgid:knpa ; rg:predicate rg:agencyOf ; rg:object country:KR ] .

claim:005-002 a rg:Claim ;
    prov:wasDerivedFrom src:{name} ;
    rg:status rg:reported ;
    rg:quote [ oa:exact "경찰청은 피해자 가족에게 연락했다"@ko ; oa:prefix "\\n" ] ,
        [ oa:exact "현지 경찰과 긴밀히  협력하고 있다"@ko ] ;
    rg:states [ rg:subject rgid:knpa ; rg:predicate rg:agencyOf ; rg:object country:KR ] .
"""
    data_file.write_text(data_file.read_text(encoding="utf-8") + claims, encoding="utf-8")
    result = _cli(checkout, "quotes", "--fill")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    twice = next(line for line in lines if "claim/005-001" in line)
    # "경찰청은" opens lines 1 and 3 (and no other place)
    assert "found 2 times" in twice and "at 0 (line 1)" in twice and f"at {KOREAN.rindex('경찰청은')} (line 3)" in twice
    missing = next(line for line in lines if "claim/005-002" in line)
    assert "not found" in missing and "현지 경찰과 긴밀히 협력하고 있다" in missing and "spaces" in missing
    # the quote narrowed by oa:prefix got its offsets
    third = KOREAN.rindex("경찰청은")
    assert f"oa:prefix \"\\n\" ; oa:start {third} ; oa:end {third + len('경찰청은 피해자 가족에게 연락했다')}" \
        in data_file.read_text(encoding="utf-8")


# --- the evidence checks of validate and run ----------------------------------------------------

def test_validate_and_run_check_the_evidence_against_the_files(checkout: Path) -> None:
    data = checkout / "data" / "004-de1a4595a4e24556.ttl"
    text = data.read_text(encoding="utf-8")
    line = text[: text.index("claim:004-002 a rg:Claim")].count("\n") + 1
    data.write_text(text.replace("oa:start 16 ; oa:end 44", "oa:start 17 ; oa:end 45"), encoding="utf-8")
    catalogue = checkout / "data" / "sources.ttl"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        "2d280ca444cecfbfc21d099a8a1b479476dbf3c59b99c3093810f82153461e4f", "0" * 64), encoding="utf-8")
    result = _cli(checkout, "validate")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"claim:004-002 ({data}:{line})" in result.stdout
    assert "004_de1a4595a4e24556.txt at 17..45" in result.stdout and "the quote is at 16..44" in result.stdout
    assert "has SHA-256 2d280ca444cecfbfc21d099a8a1b479476dbf3c59b99c3093810f82153461e4f, not the 000" in result.stdout
    as_json = json.loads(_cli(checkout, "validate", "--format", "json").stdout)
    shapes = {r["shape"].rsplit("#", 1)[-1] for r in as_json["results"] if r["severity"] == "Violation"}
    assert shapes == {"QuoteOffsetsCheck", "SourceChecksumCheck"} and "evidence" in as_json["engines"]
    as_turtle = Graph().parse(data=_cli(checkout, "validate", "--format", "turtle").stdout, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    assert (None, URIRef(sh + "focusNode"), URIRef("https://w3id.org/rightsgraph/id/claim/004-002")) in as_turtle
    for validator in ("sparql", "pyshacl"):
        assert _cli(checkout, "validate", "-q", "--validator", validator).returncode == 1
    ran = _cli(checkout, "run", "--out", str(checkout / "dist"))
    assert ran.returncode == 1 and "QuoteOffsetsCheck" in ran.stdout


def test_a_missing_source_file_is_a_violation(checkout: Path) -> None:
    (checkout.parent / "sources" / "000_182b20a71efb541c.txt").unlink()
    result = _cli(checkout, "validate")
    assert result.returncode == 1
    assert "Source file present" in result.stdout and "000_182b20a71efb541c.txt cannot be read (no such file)" \
        in result.stdout


# --- find, and resource parameters ------------------------------------------------------------

@pytest.mark.parametrize("text", ["Korean National Police Agency", "korean-national-police-agency",
                                  "韓國警方", "韩国警方", "KNPA"])
def test_find_finds_a_resource_by_any_of_its_names(text: str) -> None:
    result = run_cli("find", text)
    assert result.returncode == 0, result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("rgid:knpa ") and "rg:StateAgency" in first
    assert "src:000-182b20a71efb541c" in result.stdout  # the article mentions it


def test_find_without_a_match_suggests_and_exits_1() -> None:
    result = run_cli("find", "Transitional Justice Workin Groupp")
    assert result.returncode == 0 and result.stdout.startswith("rgid:tjwg ")
    result = run_cli("find", "zzzz qqqq")
    assert result.returncode == 1 and "no resource is named like" in result.stdout


def test_a_parameter_naming_no_resource_is_an_error_with_the_closest_names() -> None:
    result = run_cli("query", "evidence-for-a-resource", "--param", "resource=korean-national-police-agency")
    assert_clean_error(result, 2, "no resource", "closest: knpa (Korean National Police Agency)")


# --- labels and names in any language: no traceback --------------------------------------------

def test_people_named_in_english_korean_and_chinese_publish_and_export(tmp_path: Path) -> None:
    fixtures = ROOT / "tests" / "fixtures" / "valid"
    data = [str(fixtures / "people-named-in-any-language.ttl"), str(fixtures / "people-documents-recommendations.ttl")]
    for args in (("publish", "--out", str(tmp_path / "site")),
                 ("export", "all", "--out", str(tmp_path / "export"))):
        result = run_cli(*args, "--data", *data)
        assert result.returncode == 0, result.stdout + result.stderr
    cytoscape = json.loads((tmp_path / "export" / "rightsgraph.cyjs").read_text(encoding="utf-8"))
    nodes = {n["data"]["id"]: n["data"] for n in cytoscape["elements"]["nodes"]}
    english = nodes[str(RGID["person-test-english"])]
    assert english["name"] == "Wi Test-lac" and english["foaf__name"] == "Wi Test-lac"
    assert nodes[str(RGID["person-test-korean"])]["name"] == "김시험"
    assert nodes[str(RGID["person-test-representative"])]["name"] == "李测试"
    page = next((tmp_path / "site").rglob("person-test-korean*.html")).read_text(encoding="utf-8")
    assert "김시험" in page


# --- a third document, in Korean, end to end -----------------------------------------------------

def test_a_korean_document_from_file_to_published_page(checkout: Path, tmp_path: Path) -> None:
    name, data_file = _document(checkout, tmp_path)
    data_file.write_text(data_file.read_text(encoding="utf-8") + "@prefix org: <http://www.w3.org/ns/org#> .\n"
                         + CLAIMS.replace("{name}", name), encoding="utf-8")
    assert _cli(checkout, "quotes", "--fill").returncode == 0
    validated = _cli(checkout, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    dist = checkout / "dist"
    ran = _cli(checkout, "run", "--out", str(dist))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    built = Graph().parse(dist / "rightsgraph.nt", format="nt")
    assert (RGID["person-test-kim"], URIRef("http://xmlns.com/foaf/0.1/name"), Literal("김민수", lang="ko")) in built
    assert _cli(checkout, "publish", "--out", str(checkout / "site")).returncode == 0
    page = next((checkout / "site").rglob("person-test-kim*.html")).read_text(encoding="utf-8")
    assert "김민수" in page and "경찰청 소속 김민수 경감" in page
    exported = _cli(checkout, "export", "all", "--out", str(checkout / "export"))
    assert exported.returncode == 0, exported.stdout + exported.stderr
    found = _cli(checkout, "find", "경찰청")
    assert found.stdout.startswith("rgid:knpa ") and f"src:{name}" in found.stdout
