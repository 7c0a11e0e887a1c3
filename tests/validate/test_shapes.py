"""The SHACL shapes (shapes/): their fixtures, the real data and mutations of it, and the command.

- Every file in fixtures/valid/ conforms with no result at all, not even a warning.
- Every file in fixtures/invalid/ breaks exactly one rule: all its results come from the shape
  named in its `# expect-shape:` header, one of them with the `# expect-message:` fragment.
- Every shape has such a file, a name, a description, a message and a deliberate severity.
- The real data conforms, and removing a required part of it (quotes, a label, a valid date, a
  claim's source, the claim behind a fact) makes it fail with the shape that guards that part.
- Both validators (the SPARQL translation and pyshacl) give identical results on every one of
  these: `validate_both` runs each and compares them before the checks look at the report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef, namespace
from rdflib.collection import Collection
from rdflib.namespace import OWL, PROV, RDF, RDFS, SH, SKOS

from conftest import ROOT, assert_clean_error, run_cli
from rightsgraph.core.namespaces import OA, RG, RGSH
from rightsgraph.core.project import Project
from rightsgraph.core.store import LoadedData, load_data, load_shapes
from rightsgraph.validate.report import ValidationReport, format_json, format_text, format_turtle
from rightsgraph.validate.validator import validate

ENGINES = ("sparql", "pyshacl")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))

# The parameters of SHACL constraint components: a shape with one of these checks something itself.
CONSTRAINT_PARAMETERS = {
    SH[name] for name in (
        "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
        "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang",
        "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node",
        "qualifiedValueShape", "closed", "hasValue", "in", "sparql",
    )
}


@dataclass(frozen=True)
class Expectation:
    shape: URIRef
    message: str


def expectation(path: Path) -> Expectation:
    text = path.read_text(encoding="utf-8")
    shape = re.search(r"^# expect-shape: rgsh:(\S+)\s*$", text, re.MULTILINE)
    message = re.search(r"^# expect-message: (.+?)\s*$", text, re.MULTILINE)
    assert shape and message, f"{path.name} needs '# expect-shape: rgsh:...' and '# expect-message: ...'"
    return Expectation(RGSH[shape.group(1)], message.group(1))


def _keys(report: ValidationReport) -> list[tuple]:
    return sorted((str(r.focus_node), str(r.shape), tuple(map(str, r.path)), str(r.value), r.severity,
                   str(r.constraint), r.message, r.files) for r in report.results)


def validate_both(data: LoadedData, shapes: Graph, ontology: Graph) -> ValidationReport:
    """The report of the translation, after checking that pyshacl's is the same, result for result
    (the translation runs on a store copied from the same graph: blank nodes keep their labels)."""
    reports = {engine: validate(data, shapes, ontology, engine) for engine in ENGINES}
    assert reports["sparql"].engines == {"sparql": reports["pyshacl"].engines["pyshacl"]}, "a shape was refused"
    assert _keys(reports["sparql"]) == _keys(reports["pyshacl"])
    assert reports["sparql"].conforms == reports["pyshacl"].conforms
    return reports["sparql"]


@pytest.fixture(scope="module")
def shapes(project: Project) -> Graph:
    return load_shapes(project)


@pytest.fixture(scope="module")
def real_data(project: Project) -> LoadedData:
    return load_data(project)


@pytest.fixture(scope="module")
def real_report(real_data: LoadedData, shapes: Graph, ontology: Graph) -> ValidationReport:
    return validate_both(real_data, shapes, ontology)


def all_shapes(shapes: Graph) -> list[URIRef]:
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    return sorted(shape for shape in found if isinstance(shape, URIRef))


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_fixture_has_no_results(path: Path, project: Project, shapes: Graph, ontology: Graph) -> None:
    report = validate_both(load_data(project, [path]), shapes, ontology)
    assert report.conforms and not report.results, format_text(report)


@pytest.mark.slow
@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_breaks_its_rule_only(path: Path, project: Project, shapes: Graph,
                                              ontology: Graph) -> None:
    expected = expectation(path)
    report = validate_both(load_data(project, [path]), shapes, ontology)
    assert report.results, f"{path.name} passes every shape"
    assert {result.shape for result in report.results} == {expected.shape}, format_text(report)
    assert any(expected.message in result.message for result in report.results), format_text(report)
    severity = shapes.value(expected.shape, SH.severity)
    if severity == SH.Warning:  # a warning is reported but does not make the data fail
        assert report.conforms and {r.severity for r in report.results} == {"Warning"}
    else:
        assert not report.conforms and {r.severity for r in report.results} == {"Violation"}
    for result in report.results:  # the report can always say where to look
        assert path.resolve() in [f.resolve() for f in result.files], result
        assert result.shape_name and result.message


# ---------------------------------------------------------------------------
# The shapes themselves
# ---------------------------------------------------------------------------


def test_every_shape_has_an_invalid_fixture(shapes: Graph) -> None:
    expected = {expectation(path).shape for path in INVALID}
    missing = []
    for shape in all_shapes(shapes):
        checks_itself = any((shape, parameter, None) in shapes for parameter in CONSTRAINT_PARAMETERS)
        members = set(shapes.objects(shape, SH.property))
        if checks_itself and shape not in expected:
            missing.append(shape)
        elif not checks_itself and not members & expected:
            missing.append(shape)  # a shape that only groups others is broken by breaking one of them
    assert not missing, f"shapes without a fixture in tests/fixtures/invalid/: {missing}"
    unknown = expected - set(all_shapes(shapes))
    assert not unknown, f"fixtures expect shapes that do not exist: {unknown}"


def test_every_shape_is_named_described_and_has_a_deliberate_severity(shapes: Graph) -> None:
    for shape in all_shapes(shapes):
        assert str(shape).startswith(str(RGSH)), shape
        for prop in (SH.name, SH.description, SH.message):
            values = list(shapes.objects(shape, prop))
            assert len(values) == 1 and len(str(values[0])) >= (3 if prop == SH.name else 20), (shape, prop)
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning), shape


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    """The shapes graph conforms to SHACL's own shapes (SHACL-SHACL)."""
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


def test_value_lists_match_the_controlled_lists(shapes: Graph, ontology: Graph) -> None:
    """Every sh:in of concepts lists exactly the concepts of their scheme in vocabularies.ttl."""
    checked = 0
    for shape, members in shapes.subject_objects(SH["in"]):
        values = set(Collection(shapes, members))
        schemes = {ontology.value(value, SKOS.inScheme) for value in values}
        assert len(schemes) == 1, (shape, schemes)
        scheme = schemes.pop()
        assert scheme is not None, (shape, values)
        assert values == set(ontology.subjects(SKOS.inScheme, scheme)), shape
        checked += 1
    assert checked >= 4


def _under(ontology: Graph, cls: URIRef, roots: set[URIRef]) -> bool:
    return bool(set(ontology.transitive_objects(cls, RDFS.subClassOf)) & roots)


def test_every_class_of_the_ontology_is_checked(shapes: Graph, ontology: Graph) -> None:
    """Every class is a data class (under the resource shapes' targets), a controlled list's, or
    a class of the evidence itself; and every data class but people's gets the label rule."""
    data_roots = set(shapes.objects(RGSH.ResourceIRIShape, SH.targetClass))
    for shape in (RGSH.EvidenceShape, RGSH.LinkedResourceShape, RGSH.PropertyDomainShape):
        assert set(shapes.objects(shape, SH.targetClass)) == data_roots, shape
    labelled_roots = set(shapes.objects(RGSH.LabelledResourceShape, SH.targetClass))
    evidence_classes = {RG.Claim, RG.Statement}
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if not str(cls).startswith(str(RG)) or cls in evidence_classes:
            continue
        if _under(ontology, cls, {SKOS.Concept}):
            assert _under(ontology, cls, labelled_roots), cls
            continue
        assert _under(ontology, cls, data_roots), f"{cls} is under none of the data classes"
        if not _under(ontology, cls, {RG.Person}):
            assert _under(ontology, cls, labelled_roots), f"{cls} gets no label rule"


def _paths(shapes: Graph, shape: URIRef) -> set[URIRef]:
    path = shapes.value(shape, SH.path)
    if isinstance(path, URIRef):
        return {path}
    if isinstance(path, BNode) and (alternatives := shapes.value(path, SH.alternativePath)) is not None:
        return {p for p in Collection(shapes, alternatives) if isinstance(p, URIRef)}
    return set()


def test_every_range_of_the_ontology_is_checked(shapes: Graph, ontology: Graph) -> None:
    """A property with a class or datatype range in the ontology has a shape that checks it."""
    checked_elsewhere = {RG.states, RG.quote, RG.addressedTo}  # statements, quotes, SPARQL shape
    for prop, range_ in ontology.subject_objects(RDFS.range):
        if not str(prop).startswith(str(RG)) or prop in checked_elsewhere:
            continue
        covering = [s for s in all_shapes(shapes) if prop in _paths(shapes, s)]
        if (range_, RDF.type, OWL.Class) in ontology:
            assert any(shapes.value(s, SH["class"]) in (range_, *ontology.transitive_objects(range_, RDFS.subClassOf))
                       or (s, SH["in"], None) in shapes for s in covering), f"no shape checks the range of {prop}"
        elif str(range_).startswith(str(namespace.XSD)):
            assert any(shapes.value(s, SH.datatype) == range_ for s in covering), f"no datatype check for {prop}"


# ---------------------------------------------------------------------------
# The real data, and mutations of it
# ---------------------------------------------------------------------------


def test_real_data_conforms(real_report: ValidationReport) -> None:
    assert real_report.conforms, format_text(real_report)
    assert real_report.violations == 0


def test_validation_leaves_the_data_alone(real_data: LoadedData, shapes: Graph, ontology: Graph) -> None:
    before = len(real_data.graph), len(ontology), len(shapes)
    validate(real_data, shapes, ontology)
    assert (len(real_data.graph), len(ontology), len(shapes)) == before


def _copy(data: LoadedData) -> LoadedData:
    graph = Graph()
    graph += data.graph
    return LoadedData(graph, data.origins)


def _first(graph: Graph, query: str) -> tuple:
    rows = sorted(graph.query(query), key=lambda row: [str(term) for term in row])
    assert rows, f"the real data has nothing to mutate for: {query}"
    return tuple(rows[0])


PREFIXES = """
PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def remove_all_quotes(graph: Graph) -> set[URIRef]:
    """Every claim loses its words."""
    claims = set()
    for claim, quote in list(graph.subject_objects(RG.quote)):
        graph.remove((claim, RG.quote, quote))
        graph.remove((quote, None, None))
        claims.add(claim)
    return claims


def remove_an_english_label(graph: Graph) -> set[URIRef]:
    (node, label) = _first(graph, PREFIXES + """
        SELECT ?node ?label WHERE { ?node a rg:StateAgency ; rdfs:label ?label . FILTER (lang(?label) = "en") }""")
    graph.remove((node, RDFS.label, label))
    return {node}


def _replace_stated_value(graph: Graph, prop: URIRef, value: Literal) -> set[URIRef]:
    """Change a value where the data writes it: in the claim's statement and in the asserted triple."""
    (statement, subject, old) = _first(graph, PREFIXES + f"""
        SELECT ?statement ?subject ?old WHERE {{
            ?statement rg:subject ?subject ; rg:predicate <{prop}> ; rg:object ?old .
        }}""")
    graph.set((statement, RG.object, value))
    graph.remove((subject, prop, old))
    graph.add((subject, prop, value))
    return {subject}


def make_a_date_impossible(graph: Graph) -> set[URIRef]:
    return _replace_stated_value(graph, RG.date, Literal("2025-13-45", datatype=namespace.XSD.date))


def make_a_date_a_string(graph: Graph) -> set[URIRef]:
    return _replace_stated_value(graph, RG.date, Literal("2025-07-17"))


def remove_a_claims_source(graph: Graph) -> set[URIRef]:
    (claim, source) = _first(graph, PREFIXES + "SELECT ?claim ?source WHERE { ?claim prov:wasDerivedFrom ?source }")
    graph.remove((claim, PROV.wasDerivedFrom, source))
    return {claim}


def remove_a_claims_status(graph: Graph) -> set[URIRef]:
    (claim, status) = _first(graph, PREFIXES + "SELECT ?claim ?status WHERE { ?claim rg:status ?status }")
    graph.remove((claim, RG.status, status))
    return {claim}


def add_a_fact_without_a_claim(graph: Graph) -> set[URIRef]:
    (agency, place) = _first(graph, PREFIXES + """
        SELECT ?agency ?place WHERE { ?agency a rg:StateAgency . ?place a rg:Region }""")
    graph.add((agency, RG.basedIn, place))
    return {agency}


def remove_a_checksum(graph: Graph) -> set[URIRef]:
    (source, checksum) = _first(graph, PREFIXES + "SELECT ?source ?sum WHERE { ?source rg:sha256 ?sum }")
    graph.remove((source, RG.sha256, checksum))
    return {source}


def swap_a_quotes_offsets(graph: Graph) -> set[URIRef]:
    quote = sorted(graph.objects(None, RG.quote), key=lambda q: str(graph.value(q, OA.exact)))[0]
    start, end = graph.value(quote, OA.start), graph.value(quote, OA.end)
    graph.set((quote, OA.start, end))
    graph.set((quote, OA.end, start))
    return {quote}


MUTATIONS: dict[str, tuple[Callable[[Graph], set[URIRef]], URIRef]] = {
    "no quotes": (remove_all_quotes, RGSH.ClaimQuoteShape),
    "a label removed": (remove_an_english_label, RGSH.EnglishLabelShape),
    "an impossible date": (make_a_date_impossible, RGSH.DateValueShape),
    "a date as a string": (make_a_date_a_string, RGSH.DateValueShape),
    "a claim without its source": (remove_a_claims_source, RGSH.ClaimSourceShape),
    "a claim without its status": (remove_a_claims_status, RGSH.ClaimStatusShape),
    "a fact without a claim": (add_a_fact_without_a_claim, RGSH.EvidenceShape),
    "a source without its checksum": (remove_a_checksum, RGSH.SourceChecksumShape),
    "a quote ending before it starts": (swap_a_quotes_offsets, RGSH.QuoteOrderShape),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", MUTATIONS)
def test_mutations_of_the_real_data_fail(name: str, real_data: LoadedData, shapes: Graph,
                                         ontology: Graph) -> None:
    mutate, shape = MUTATIONS[name]
    data = _copy(real_data)
    touched = mutate(data.graph)
    report = validate_both(data, shapes, ontology)
    assert not report.conforms, f"{name}: still conforms"
    failing = {result.focus_node for result in report.results if result.shape == shape}
    assert touched <= failing, f"{name}: {shape} did not report {touched - failing}\n{format_text(report)}"


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------


def test_report_formats(project: Project, shapes: Graph, ontology: Graph) -> None:
    path = FIXTURES / "invalid" / "link-to-agent-not-an-agent.ttl"
    report = validate(load_data(project, [path]), shapes, ontology)
    document = json.loads(format_json(report))
    assert document["conforms"] is False and document["violations"] == 1
    (result,) = document["results"]
    assert result["shape"] == str(RGSH.AgentValueShape)
    assert result["path"] == str(RG.perpetrator)  # resolved from the alternative path
    assert result["value"] == "https://w3id.org/rightsgraph/id/test-region"
    assert result["focus_label"] == "Test crime pattern"
    report_graph = Graph().parse(data=format_turtle(report), format="turtle")
    (node,) = report_graph.subjects(RDF.type, SH.ValidationReport)
    assert report_graph.value(node, SH.conforms) == Literal(False)
    assert len(list(report_graph.objects(node, SH.result))) == 1


# ---------------------------------------------------------------------------
# The command line, end to end
# ---------------------------------------------------------------------------


def test_cli_real_data_conforms() -> None:
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("The data conforms to the shapes")
    assert "Traceback" not in result.stderr


def test_cli_reports_an_invalid_fixture_for_people() -> None:
    path = FIXTURES / "invalid" / "link-to-agent-not-an-agent.ttl"
    result = run_cli("validate", "--data", str(path.relative_to(ROOT)))
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "Traceback" not in out + result.stderr
    assert "rgid:test-crime" in out and "Test crime pattern" in out  # the node and its label
    assert "Link to an agent (rgsh:AgentValueShape)" in out  # the shape's name
    assert "property: rg:perpetrator" in out and "value: rgid:test-region" in out
    assert "Should link to an agent" in out  # the message
    assert "tests/fixtures/invalid/link-to-agent-not-an-agent.ttl" in out  # the file


def test_cli_warnings_do_not_fail() -> None:
    path = FIXTURES / "invalid" / "crime-without-type.ttl"
    result = run_cli("validate", "--data", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning: Crime type of a crime" in result.stdout


def test_cli_json_and_turtle_parse() -> None:
    path = str(FIXTURES / "invalid" / "quote-end-before-start.ttl")
    as_json = run_cli("validate", "--data", path, "--format", "json")
    assert as_json.returncode == 1
    document = json.loads(as_json.stdout)
    assert document["conforms"] is False
    # The fixture's source file is not in the sources folder: the evidence check says so too.
    assert {r["shape"] for r in document["results"]} == {str(RGSH.QuoteOrderShape), str(RGSH.SourceFileCheck)}
    as_turtle = run_cli("validate", "--data", path, "--format", "turtle")
    assert as_turtle.returncode == 1
    graph = Graph().parse(data=as_turtle.stdout, format="turtle")
    assert (None, SH.sourceShape, RGSH.QuoteOrderShape) in graph


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.ttl"
    assert_clean_error(run_cli("validate", "--data", str(missing)), 2, "missing.ttl")


def test_cli_syntax_error_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix rgid: <https://w3id.org/rightsgraph/id/> .\nrgid:x a rgid:y ;\n", encoding="utf-8")
    assert_clean_error(run_cli("validate", "--data", str(broken)), 2, "broken.ttl")
