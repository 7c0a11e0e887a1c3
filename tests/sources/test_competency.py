"""Every competency question's stored query gives the answer the sources give (competency.yaml),
on the shipped graph and on the graph with a third document added: the expected answers were
read from the two seed documents, and a new document adds rows without making them wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef
from rdflib.term import Node

from conftest import copy_checkout, run_in_checkout
from rightsgraph.core.namespaces import PREFIXES
from rightsgraph.core.project import find_project
from rightsgraph.core.store import load_graph
from rightsgraph.query.catalogue import get_query, run_stored
from rightsgraph.query.engines import Engine, local_engine

CASES = yaml.safe_load((Path(__file__).parents[1] / "competency.yaml").read_text(encoding="utf-8"))
# The documents the expected answers were read from: a `distinct` set is the exact answer of
# these documents' rows; rows of any other document may come and go.
READ_FROM = ("src:000-182b20a71efb541c", "src:004-de1a4595a4e24556")


def _expand(value: object) -> str:
    """A prefixed name becomes its IRI; anything else is compared as text."""
    text = str(value)
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and " " not in text:
        return str(PREFIXES[prefix][local])
    return text


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _squeeze(text: str) -> str:
    """Without white space: the press release is PDF text with line breaks inside words."""
    return "".join(text.split())


def _matches(row: dict[str, str | None], expected: dict) -> bool:
    for key, value in expected.items():
        if key.endswith("~"):
            actual = row.get(key[:-1])
            if actual is None or _squeeze(str(value)) not in _squeeze(actual):
                return False
        elif row.get(key) != _expand(value):
            return False
    return True


# A third document written for this test: an English text whose claims add rows to the answers
# of several questions (a state, an agency, a destination, a place, a lure, a language), about
# resources the seed documents name. Each expectation must still hold.
THIRD = (
    "Laos forcibly returned nine North Korean defectors to North Korea.\n"
    "North Korea's Ministry of Social Security also carries out enforced disappearances.\n"
    "The Korean National Police Agency sent investigators to Phnom Penh.\n"
    "South Koreans were lured to Myanmar with offers of jobs in online marketing; the problem is worst in Myanmar.\n"
    "The Transitional Justice Working Group's report is also published in Japanese.\n"
)
THIRD_RESOURCES = """
rgid:forced-repatriation-by-laos a rg:CrimePattern ;
    rdfs:label "Forced repatriation of North Korean defectors by Laos"@en .
rgid:ministry-of-social-security-kp a rg:StateAgency ;
    rdfs:label "Ministry of Social Security of North Korea"@en .
rgid:deployment-of-investigators-to-phnom-penh a rg:Deployment ;
    rdfs:label "Deployment of KNPA investigators to Phnom Penh"@en .
rgid:phnom-penh a rg:City ;
    rdfs:label "Phnom Penh"@en .
rgid:lure-online-marketing-job a rg:Lure ;
    rdfs:label "Offers of jobs in online marketing"@en .
"""
# Each claim: its quote (a whole line of THIRD but the full stop) and its statements.
THIRD_CLAIMS = [
    ("Laos forcibly returned nine North Korean defectors to North Korea",
     [("rgid:forced-repatriation-by-laos", "rg:crimeType", "crime:forced-repatriation"),
      ("rgid:forced-repatriation-by-laos", "rg:responsibleState", "country:LA"),
      ("rgid:forced-repatriation-by-laos", "rg:victim", "rgid:north-korean-refugees-and-defectors")]),
    ("North Korea's Ministry of Social Security also carries out enforced disappearances",
     [("rgid:ministry-of-social-security-kp", "rg:agencyOf", "country:KP"),
      ("rgid:enforced-disappearance-by-north-korea", "rg:perpetrator", "rgid:ministry-of-social-security-kp")]),
    ("The Korean National Police Agency sent investigators to Phnom Penh",
     [("rgid:deployment-of-investigators-to-phnom-penh", "rg:agent", "rgid:knpa"),
      ("rgid:deployment-of-investigators-to-phnom-penh", "rg:destination", "rgid:phnom-penh"),
      ("rgid:phnom-penh", "rg:locatedIn", "country:KH")]),
    ("South Koreans were lured to Myanmar with offers of jobs in online marketing; the problem is worst in Myanmar",
     [("rgid:scam-compounds-holding-south-koreans", "rg:place", "country:MM"),
      ("rgid:scam-compounds-holding-south-koreans", "rg:worstIn", "country:MM"),
      ("rgid:scam-compounds-holding-south-koreans", "rg:lure", "rgid:lure-online-marketing-job")]),
    ("The Transitional Justice Working Group's report is also published in Japanese",
     [("rgid:tjwg-2025-report", "dcterms:language", '"ja"^^xsd:language')]),
]


def _third_data(name: str) -> str:
    """THIRD's resources and claims as the editor writes them: oa:exact only."""
    claims = []
    for number, (quote, statements) in enumerate(THIRD_CLAIMS, start=1):
        states = " ,\n        ".join(f"[ rg:subject {s} ; rg:predicate {p} ; rg:object {o} ]" for s, p, o in statements)
        claims.append(f'claim:{name[:3]}-{number:03d} a rg:Claim ;\n    prov:wasDerivedFrom src:{name} ;\n'
                      f'    rg:status rg:reported ;\n    rg:quote [ oa:exact "{quote}"@en ] ;\n'
                      f'    rg:states {states} .\n')
    return THIRD_RESOURCES + "\n".join(claims)


@pytest.fixture(scope="module")
def third_document_graph(tmp_path_factory: pytest.TempPathFactory, sources_dir: Path) -> Graph:
    """The graph of a checkout copy with THIRD added as a new user adds it, evidence checked."""
    folder = tmp_path_factory.mktemp("third")
    checkout = copy_checkout(folder, sources_dir)
    article = folder / "article.txt"
    article.write_text(THIRD, encoding="utf-8")
    added = run_in_checkout(checkout, "source", "add", str(article), "--lang", "en", "--label", "Test article")
    assert added.returncode == 0, added.stderr
    data_file = next((checkout / "data").glob("005-*.ttl"))
    data_file.write_text(data_file.read_text(encoding="utf-8") + _third_data(data_file.stem), encoding="utf-8")
    for command in (("quotes", "--fill"), ("validate", "-q")):
        result = run_in_checkout(checkout, *command)
        assert result.returncode == 0, result.stdout + result.stderr
    return load_graph(find_project(checkout))


@pytest.fixture(scope="module", params=["shipped", "with-a-third-document"])
def engine(request: pytest.FixtureRequest) -> Engine:
    name = "graph" if request.param == "shipped" else "third_document_graph"
    return local_engine(request.getfixturevalue(name), "oxigraph")


def _distinct(rows: list[dict[str, str | None]], spec: dict) -> set[tuple]:
    """The distinct values of spec's columns among the rows of the documents read (after
    `where`); with `in_each_document`, only the values that every one of those documents gives."""
    selected = [r for r in rows if _matches(r, spec.get("where", {}))]
    per_document = [{tuple(r[c] for c in spec["columns"]) for r in selected if r["source"] == _expand(document)}
                    for document in READ_FROM]
    if spec.get("in_each_document"):
        return set.intersection(*per_document)
    return set.union(*per_document)


def test_every_competency_question_has_a_case() -> None:
    numbers = {int(case["id"][2:]) for case in CASES if case["id"].startswith("cq")}
    assert numbers == set(range(1, 21))


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_competency_question(case: dict, project, engine: Engine) -> None:
    query = get_query(project, case["query"])
    result = run_stored(query, engine, {k: str(v) for k, v in (case.get("params") or {}).items()})
    rows = [{k: _text(v) for k, v in row.items()} for row in result.as_dicts()]
    if "rows" in case:
        assert len(rows) == case["rows"]
    if "distinct" in case:
        expected = {tuple(_expand(v) for v in row) for row in case["distinct"]["rows"]}
        assert _distinct(rows, case["distinct"]) == expected
    for expected in case.get("includes", []):
        assert any(_matches(row, expected) for row in rows), f"no row matches {expected}"
    if "rows" not in case:
        assert rows, "the question has no answer"
        assert all(isinstance(r, dict) for r in rows)


def test_expected_iris_are_iris() -> None:
    assert _expand("country:CN") == str(URIRef("https://w3id.org/rightsgraph/id/country/CN"))
    assert _expand("2025-10") == "2025-10"
