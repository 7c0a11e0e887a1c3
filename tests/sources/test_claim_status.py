"""A plain triple means a source reports it as so (ontology/README.md, issue #17).

Only the statements of claims whose status puts them as so (rg:FactualStatus: reported, finding)
are asserted; what is only planned, under consideration, recommended, alleged or attributed stays
in its claims, and is found there with its status.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from rightsgraph.bench import reference
from rightsgraph.core.derive import FACTUAL_STATUSES
from rightsgraph.core.namespaces import CLAIM, COUNTRY, RG, RGID
from rightsgraph.core.store import load_graph
from rightsgraph.core.turtle import read_files
from rightsgraph.query.catalogue import get_query, run_stored
from rightsgraph.query.engines import local_engine

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _statements(graph: Graph):
    """(claim, status, (subject, predicate, object)) for every statement of every claim."""
    for claim, statement in graph.subject_objects(RG.states):
        triple = (graph.value(statement, RG.subject), graph.value(statement, RG.predicate),
                  graph.value(statement, RG.object))
        yield claim, graph.value(claim, RG.status), triple


def _evidence(graph: Graph, triple: tuple) -> set[tuple[URIRef, URIRef]]:
    """(claim, status) of every claim stating the triple."""
    return {(claim, status) for claim, status, stated in _statements(graph) if stated == triple}


def test_the_factual_statuses_are_the_vocabularys(ontology: Graph) -> None:
    """derive.py names the statuses it asserts because it runs before the ontology is merged; they
    must be the concepts ontology/vocabularies.ttl marks as rg:FactualStatus, which shapes and
    queries read."""
    assert set(ontology.subjects(RDF.type, RG.FactualStatus)) == set(FACTUAL_STATUSES) == {RG.reported, RG.finding}


def test_no_plain_triple_is_supported_only_by_claims_that_do_not_put_it_as_so(graph: Graph) -> None:
    factual: set[tuple] = set()
    other: set[tuple] = set()
    for _, status, triple in _statements(graph):
        (factual if status in FACTUAL_STATUSES else other).add(triple)
    only_other = other - factual
    assert only_other, "the data has statements of planned, recommended, alleged or attributed claims"
    asserted = [triple for triple in only_other if triple in graph]
    assert asserted == []
    # ... and every statement of a factual claim is asserted.
    assert [triple for triple in factual if triple not in graph] == []


def test_a_centre_under_consideration_is_not_a_plain_fact(graph: Graph) -> None:
    """claim:000-024: the government is only considering (研擬) the Global Digital Fraud
    Intelligence Centre; it is not an agency of South Korea with a mandate."""
    centre = RGID["global-digital-fraud-intelligence-centre"]
    agency_of = (centre, RG.agencyOf, COUNTRY.KR)
    assert agency_of not in graph
    assert (centre, RG.mandate, None) not in graph
    assert (RGID["establishment-of-global-digital-fraud-intelligence-centre"], RG.establishes, centre) not in graph
    assert _evidence(graph, agency_of) == {(CLAIM["000-024"], RG.underConsideration)}


def test_a_speakers_view_of_responsibility_is_not_a_plain_fact(graph: Graph) -> None:
    """claim:004-060: that China and Russia bear the main responsibility for transnational
    enforced disappearance is the words of TJWG's representative, attributed to him."""
    crime = RGID["transnational-enforced-disappearance"]
    for state in (COUNTRY.CN, COUNTRY.RU):
        triple = (crime, RG.responsibleState, state)
        assert triple not in graph
        assert _evidence(graph, triple) == {(CLAIM["004-060"], RG.attributed)}
    # Forced repatriation by China is reported (004-041): a plain fact, whatever 004-060 adds.
    reported = (RGID["forced-repatriation-by-china"], RG.responsibleState, COUNTRY.CN)
    assert reported in graph
    assert (CLAIM["004-041"], RG.reported) in _evidence(graph, reported)


def test_the_reference_derivation_asserts_the_same(project) -> None:
    """bench/reference.py (rdflib) follows the same rule as the store's SPARQL Update."""
    data, _ = read_files([project.data_dir])
    reference.derive(data)
    centre = RGID["global-digital-fraud-intelligence-centre"]
    assert (centre, RG.agencyOf, COUNTRY.KR) not in data
    assert (RGID["forced-repatriation-by-china"], RG.responsibleState, COUNTRY.CN) in data
    assert set(data.subjects(RDF.type, RG.Statement)) == set(data.objects(None, RG.states))


@pytest.fixture(scope="module")
def two_dates(project, tmp_path_factory) -> Graph:
    """An event one claim dates 2025-10 and another 2025-10-18."""
    text = (FIXTURES / "valid" / "competing-accounts.ttl").read_text(encoding="utf-8")
    text += """
claim:903-004 a rg:Claim ;
    prov:wasDerivedFrom src:903-00000000000000cc ;
    rg:status rg:reported ;
    rg:quote [ oa:exact "extradited on 18 October 2025"@en ; oa:start 842 ; oa:end 871 ] ;
    rg:states [ rg:subject rgid:test-return-operation ; rg:predicate rg:date ; rg:object "2025-10-18"^^xsd:date ] .
"""
    path = tmp_path_factory.mktemp("accounts") / "accounts.ttl"
    path.write_text(text, encoding="utf-8")
    return load_graph(project, [path])


def test_competing_accounts_list_both_sides_with_their_evidence(project, two_dates: Graph) -> None:
    engine = local_engine(two_dates, "oxigraph")
    rows = run_stored(get_query(project, "competing-accounts"), engine, {}).as_dicts()
    sides = {(str(r["property"]), str(r["value"]), str(r["claim"]), str(r["status"])) for r in rows}
    assert sides == {
        (str(RG.date), "2025-10", str(CLAIM["903-001"]), str(RG.reported)),
        (str(RG.date), "2025-10-18", str(CLAIM["903-004"]), str(RG.reported)),
        (str(RG.returnMethod), str(RG.escort), str(CLAIM["903-001"]), str(RG.reported)),
        (str(RG.returnMethod), str(RG.extradition), str(CLAIM["903-002"]), str(RG.reported)),
    }
    assert all(r["quote"] and r["source"] for r in rows)
