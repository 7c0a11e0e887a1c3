"""The data against the source files: every quote at its offsets, every checksum, every name."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS

from rightsgraph.core.namespaces import OA, RG, RGID
from rightsgraph.core.project import Project
from rightsgraph.core.store import graph_of, load_store
from rightsgraph.validate.evidence import check_evidence


def _source_texts(graph: Graph, sources_dir: Path) -> dict[URIRef, str]:
    texts = {}
    for document, name in graph.subject_objects(RG.fileName):
        texts[document] = (sources_dir / str(name)).read_text(encoding="utf-8")
    return texts


def test_every_quote_is_in_its_source_at_exactly_its_offsets_and_every_checksum_holds(
        project: Project, sources_dir: Path) -> None:
    """The evidence check `validate` and `run` make (validate/evidence.py), on the project's data."""
    data = load_store(project)
    run = check_evidence(data, sources_dir)
    assert [result.message for result in run.results] == []
    documents = list(graph_of(data.store).subject_objects(RG.sha256))
    quotes = list(graph_of(data.store).subject_objects(RG.quote))
    assert len(documents) >= 2 and len(quotes) >= 100  # the documents are quoted throughout


def test_quote_languages_are_the_documents_own(graph: Graph) -> None:
    for claim, quote in graph.subject_objects(RG.quote):
        source = graph.value(claim, PROV.wasDerivedFrom)
        languages = {str(lang) for lang in graph.objects(source, DCTERMS.language)}
        assert graph.value(quote, OA.exact).language in languages, (claim, languages)


def test_people_are_named_exactly_as_the_source_writes_them(graph: Graph, sources_dir: Path) -> None:
    texts = "".join(_source_texts(graph, sources_dir).values())
    people = set(graph.subjects(RDF.type, RG.Person))
    assert people >= {RGID["person-tjwg-representative"], RGID["person-tjwg-analyst"],
                      RGID["person-tjwg-project-director"]}  # 李永焕, 李升炷博士, 朴诵雅
    for person in people:
        names = [str(n) for n in graph.objects(person, FOAF.name)]
        assert names and all(name in texts for name in names), person


def test_every_resource_used_is_typed_and_labelled(graph: Graph) -> None:
    used = {t for triple in graph for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(RGID)) and "/claim/" not in str(t)}
    untyped = sorted(r for r in used if (r, RDF.type, None) not in graph)
    unlabelled = sorted(r for r in used if not any(isinstance(lbl, Literal) for lbl in graph.objects(r, RDFS.label)))
    assert untyped == [] and unlabelled == []


def test_resources_other_than_people_have_english_labels_and_chinese_in_both_scripts(graph: Graph) -> None:
    people = set(graph.subjects(RDF.type, RG.Person))
    missing = []
    for resource in {s for s in graph.subjects(RDFS.label, None) if str(s).startswith(str(RGID))} - people:
        languages = {getattr(label, "language", None) for label in graph.objects(resource, RDFS.label)}
        if "en" not in languages or bool(languages & {"zh-Hans", "zh-Hant"}) != ({"zh-Hans", "zh-Hant"} <= languages):
            missing.append(resource)
    assert missing == []


def test_competing_accounts_stand_side_by_side(graph: Graph) -> None:
    """Chinese 押回 (escorted back) and English 'extradited' are both kept, each with its quote."""
    rows = graph.query("""
        PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?method (lang(?quote) AS ?language) WHERE {
          ?claim rg:states [ rg:predicate rg:returnMethod ; rg:object ?method ] ; rg:quote/oa:exact ?quote .
        }""")
    accounts = {(str(r.method).rsplit("#", 1)[-1], str(r.language)) for r in rows}
    assert ("escort", "zh-Hant") in accounts and ("extradition", "en") in accounts


@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph"])
def test_the_evidence_check_finds_a_claim_without_each_part(graph: Graph, project, engine_name: str) -> None:
    """The check query must fire for one claim among many that lacks its source, its quote or
    its statements (not only when every claim lacks it)."""
    from rightsgraph.query.catalogue import get_query, run_stored
    from rightsgraph.query.engines import local_engine

    broken = Graph()
    broken += graph
    claims = sorted(broken.subjects(RDF.type, RG.Claim))
    no_source, no_quote, no_statement = claims[0], claims[1], claims[2]
    broken.remove((no_source, PROV.wasDerivedFrom, None))
    broken.remove((no_quote, RG.quote, None))
    broken.remove((no_statement, RG.states, None))
    rows = run_stored(get_query(project, "claims-without-evidence-violation"),
                      local_engine(broken, engine_name))
    found = {(str(claim), str(lacks)) for claim, lacks in rows.rows}
    assert found == {(str(no_source), "a source document"), (str(no_quote), "a quote"),
                     (str(no_statement), "a statement")}
