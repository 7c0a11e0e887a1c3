"""The ontology is OWL 2 DL, consistent, fully labelled, and covers every term the data uses."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import owlready2
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from rightsgraph.core.namespaces import RG
from rightsgraph.core.store import load_data
from rightsgraph.diagram.classes import current_block, mermaid_class_diagram

pytestmark = pytest.mark.slow  # the OWL 2 DL profile check and the HermiT reasoner, in Java

HERMIT_JAR = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
JAVA_CHECK = Path(__file__).parents[1] / "java" / "DLProfileCheck.java"


@pytest.fixture(scope="module")
def ontology_file(ontology: Graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("owl") / "rightsgraph.owl"
    ontology.serialize(path, format="xml")
    return path


def _ours(graph: Graph, kinds) -> list[URIRef]:
    return sorted({s for kind in kinds for s in graph.subjects(RDF.type, kind)
                   if isinstance(s, URIRef) and str(s).startswith(str(RG))})


def test_owl2_dl_profile(ontology_file: Path, tmp_path: Path) -> None:
    """The OWL API's OWL 2 DL profile checker (inside HermiT.jar) finds no violation."""
    for tool in ("java", "javac"):
        assert shutil.which(tool), f"{tool} (Java 17) is needed for the OWL 2 DL check"
    subprocess.run(["javac", "-cp", str(HERMIT_JAR), "-d", str(tmp_path), str(JAVA_CHECK)],
                   check=True, capture_output=True, timeout=120)
    result = subprocess.run(["java", "-cp", f"{tmp_path}:{HERMIT_JAR}", "DLProfileCheck", str(ontology_file)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    violations = [line for line in result.stdout.splitlines() if line.startswith("VIOLATION")]
    assert violations == []
    assert result.stdout.strip().endswith("IN-PROFILE") and "NOT-IN-PROFILE" not in result.stdout


def test_consistent_and_every_class_satisfiable(ontology_file: Path) -> None:
    """HermiT, through owlready2, finds the ontology consistent and no class unsatisfiable."""
    world = owlready2.World()
    onto = world.get_ontology(ontology_file.as_uri()).load()
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
    assert len(list(onto.classes())) > 20  # the reasoner saw our classes, not an empty file


def _labels(graph: Graph, node: URIRef) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for label in graph.objects(node, RDFS.label):
        if isinstance(label, Literal):
            out.setdefault(label.language or "", []).append(str(label))
    return out


def test_every_term_has_labels_in_english_and_both_chinese_scripts_and_a_definition(ontology: Graph) -> None:
    terms = _ours(ontology, [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty])
    concepts = sorted(s for s in ontology.subjects(SKOS.inScheme, None) if isinstance(s, URIRef))
    assert len(terms) > 60 and len(concepts) > 20
    problems = []
    for term in [*terms, *concepts]:
        labels = _labels(ontology, term)
        for language in ("en", "zh-Hans", "zh-Hant"):
            if len(labels.get(language, [])) != 1:
                problems.append(f"{term}: {len(labels.get(language, []))} {language} labels")
        definitions = [d for d in ontology.objects(term, SKOS.definition) if getattr(d, "language", None) == "en"]
        if len(definitions) != 1:
            problems.append(f"{term}: needs one English skos:definition")
    assert problems == []


def test_the_label_check_catches_a_missing_label(ontology: Graph) -> None:
    broken = Graph()
    broken += ontology
    broken.remove((RG.Claim, RDFS.label, None))
    assert _labels(broken, RG.Claim) == {}


def test_data_uses_only_terms_the_ontology_defines(project, ontology: Graph) -> None:
    data = load_data(project).graph
    defined = set(ontology.subjects())
    used = {t for s, p, o in data for t in (p, o) if isinstance(t, URIRef) and str(t).startswith(str(RG))}
    used |= {o for o in data.objects(None, RG.predicate) if isinstance(o, URIRef) and str(o).startswith(str(RG))}
    assert sorted(used - defined) == []
    assert len(used) > 30  # the data really uses the ontology


def test_diagram_in_the_modelling_notes_is_generated_from_the_ontology(project, ontology: Graph) -> None:
    assert current_block(project.ontology_dir / "README.md") == mermaid_class_diagram(ontology), \
        "run `rightsgraph diagram --update`"


def test_which_states_practise_forced_repatriation_is_a_short_natural_query(graph: Graph) -> None:
    rows = graph.query("""
        PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
        PREFIX crime: <https://w3id.org/rightsgraph/id/crime/>
        SELECT DISTINCT ?state WHERE {
          ?crime rg:crimeType crime:forced-repatriation ; rg:responsibleState ?state .
        }""")
    states = {str(row.state).rsplit("/", 1)[-1] for row in rows}
    # 004: 俄罗斯和中国与朝鲜当局密切合作，监控朝鲜难民和脱北者，并强行将他们遣返回朝鲜
    assert states == {"CN", "RU"}
