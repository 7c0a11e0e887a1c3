"""`rightsgraph export`: each format opened by the real tool that reads it.

Expected node and edge sets are computed here with SPARQL over the graph, following the mapping
documented in rightsgraph/exporting/network.py, never by running the exporter a second time.
Expected answers come from the sources: China and Russia forcibly repatriate North Korean
refugees (004: 俄罗斯和中国与朝鲜当局密切合作……强行将他们遣返回朝鲜).
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef

from conftest import ROOT, assert_clean_error, run_cli
from rightsgraph.core.disclosure import disclosed_view
from rightsgraph.export import FORMATS, export, export_network
from rightsgraph.query.catalogue import get_query, run_stored
from rightsgraph.query.engines import OxigraphEngine

COUNTRY = "https://w3id.org/rightsgraph/id/country/"
FORCED_REPATRIATION = "https://w3id.org/rightsgraph/id/crime/forced-repatriation"
EXPECTED_STATES = {COUNTRY + "CN", COUNTRY + "RU"}

PROLOGUE = """
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rg:   <https://w3id.org/rightsgraph/ontology#>
PREFIX oa:   <http://www.w3.org/ns/oa#>
"""
# An IRI with a type, none of which is a term of the ontology or a part of a claim.
RESOURCE = """
  ?{v} a ?{v}Type . FILTER(isIRI(?{v}))
  FILTER NOT EXISTS {{
    ?{v} a ?{v}Bad .
    FILTER(STRSTARTS(STR(?{v}Bad), "http://www.w3.org/2002/07/owl#")
        || STRSTARTS(STR(?{v}Bad), "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
        || STRSTARTS(STR(?{v}Bad), "http://www.w3.org/2000/01/rdf-schema#")
        || STRSTARTS(STR(?{v}Bad), "http://www.w3.org/ns/shacl#")
        || ?{v}Bad IN (skos:ConceptScheme, rg:Claim, rg:Statement, oa:TextQuoteSelector,
                       oa:TextPositionSelector))
  }}
"""
NODES_QUERY = PROLOGUE + """
SELECT DISTINCT ?node WHERE {{
  {{ {resource_node}
     FILTER NOT EXISTS {{ ?node a/rdfs:subClassOf* skos:Concept }} }}
  UNION
  {{ {resource_from}
     FILTER NOT EXISTS {{ ?from a/rdfs:subClassOf* skos:Concept }}
     ?from ?link ?node . FILTER(?link NOT IN (rdf:type, rg:sensitivity))
     {resource_node}
     ?node a/rdfs:subClassOf* skos:Concept . }}
}}
""".format(resource_node=RESOURCE.format(v="node"), resource_from=RESOURCE.format(v="from"))
TRIPLES_QUERY = PROLOGUE + """
SELECT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(isIRI(?o) && ?p NOT IN (rdf:type, rg:sensitivity)) }
"""


@pytest.fixture(scope="module")
def public(graph: Graph) -> Graph:
    return disclosed_view(graph)


@pytest.fixture(scope="module")
def expected(public: Graph) -> dict:
    """The node IRIs and edge triples under the documented mapping, by SPARQL."""
    engine = OxigraphEngine.from_graph(public)
    nodes = {str(row[0]) for row in engine.select(NODES_QUERY).rows}
    edges = sorted((str(s), str(p), str(o)) for s, p, o in engine.select(TRIPLES_QUERY).rows
                   if str(s) in nodes and str(o) in nodes)
    assert nodes and edges, "the graph has no data to export"
    return {"nodes": nodes, "edges": edges}


@pytest.fixture(scope="module")
def sparql_states(project, public: Graph) -> set[str]:
    rows = run_stored(get_query(project, "states-practising-forced-repatriation"),
                      OxigraphEngine.from_graph(public), {"crime": "forced-repatriation"})
    return {str(state) for state in rows.column("state")}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, project, public: Graph) -> Path:
    """Every format but the view (tests/export/test_export_view.py), written once."""
    out = tmp_path_factory.mktemp("export")
    network = export_network(project, public)
    export(network, {name: out / spec.default for name, spec in FORMATS.items() if name != "view"})
    return out


def test_the_sources_answer_is_the_sparql_answer(sparql_states: set[str]) -> None:
    assert sparql_states == EXPECTED_STATES


# --- GraphML ---------------------------------------------------------------------------

def test_graphml_opens_in_networkx_with_the_graphs_nodes_and_edges(exported: Path, expected: dict) -> None:
    import networkx as nx

    graph = nx.read_graphml(exported / "rightsgraph.graphml", force_multigraph=True)
    assert set(graph.nodes) == expected["nodes"]
    assert graph.number_of_edges() == len(expected["edges"])
    triples = sorted((u, d["predicate"], v) for u, v, d in graph.edges(data=True))
    assert triples == expected["edges"]


@pytest.mark.parametrize(("cls", "kind"), [
    ("Recommendation", "recommendation"), ("Quotation", "quotation"), ("Factor", "factor"), ("Lure", "factor"),
    ("Figure", "finding"), ("Finding", "finding"), ("Task", "power"), ("Power", "power"),
    ("SanctionMechanism", "law"), ("LegalPrinciple", "law"),
])
def test_graphml_gives_every_node_a_meaningful_kind(exported: Path, public: Graph, cls: str, kind: str) -> None:
    """The classes of ontology/rightsgraph.ttl that had no kind, each under its own."""
    import networkx as nx

    graph = nx.read_graphml(exported / "rightsgraph.graphml", force_multigraph=True)
    assert not [n for n, data in graph.nodes(data=True) if data.get("kind") == "other"]
    members = {str(s) for s in public.subjects(RDF.type, URIRef(f"https://w3id.org/rightsgraph/ontology#{cls}"))}
    assert members
    assert {graph.nodes[m]["kind"] for m in members} == {kind}


def test_graphml_opens_in_igraph_with_the_graphs_nodes_and_edges(exported: Path, expected: dict) -> None:
    import igraph

    graph = igraph.Graph.Read_GraphML(str(exported / "rightsgraph.graphml"))
    assert graph.vcount() == len(expected["nodes"])
    assert graph.ecount() == len(expected["edges"])
    assert set(graph.vs["id"]) == expected["nodes"]
    assert graph.is_directed()


def test_graphml_declares_typed_attributes_and_labels_per_language(exported: Path) -> None:
    from lxml import etree

    root = etree.parse(str(exported / "rightsgraph.graphml")).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns", "y": "http://www.yworks.com/xml/graphml"}
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.findall("g:key", ns)}
    assert keys[("node", "label")] == "string"  # Gephi's node label
    assert keys[("edge", "label")] == "string"  # Gephi's edge label
    for language in ("label_zh_hans", "label_zh_hant", "label_ko"):
        assert keys[("node", language)] == "string"
    assert keys[("node", "quantity")] == "long"  # rg:quantity is xsd:integer
    assert keys[("node", "type")] == "string"
    assert keys[("node", "uri")] == "string"
    assert root.find(".//y:ShapeNode/y:NodeLabel", ns) is not None  # what yEd shows


def test_graphml_node_attributes_carry_the_data(exported: Path) -> None:
    import networkx as nx

    graph = nx.read_graphml(exported / "rightsgraph.graphml", force_multigraph=True)
    china = graph.nodes[COUNTRY + "CN"]
    assert china["label"] == "China"
    assert china["label_zh_hans"] == "中国"
    assert china["type"] == "State"
    assert china["uri"] == COUNTRY + "CN"
    # Edges carry their evidence: China's responsibility for forced repatriation has its quote.
    evidence = [d for u, v, d in graph.edges(data=True)
                if v == COUNTRY + "CN" and d["predicate"].endswith("#responsibleState")]
    assert evidence and all(d.get("quotes") and d.get("claims") and d.get("sources") for d in evidence)
    assert any("中国" in d["quotes"] for d in evidence)


# The analyst of the Transitional Justice Working Group is named only in the Chinese press
# release (004: 李升炷博士), so the data labels him in Simplified Chinese alone.
ANALYST = "https://w3id.org/rightsgraph/id/person-tjwg-analyst"
LIST_NOTE = "a list: its values joined with ' | '"


def test_graphml_has_a_display_name_and_says_which_attributes_are_lists(exported: Path) -> None:
    import networkx as nx
    from lxml import etree

    graph = nx.read_graphml(exported / "rightsgraph.graphml", force_multigraph=True)
    assert graph.nodes[COUNTRY + "CN"]["name"] == "China"
    assert graph.nodes[ANALYST]["name"] == "李升炷"
    root = etree.parse(str(exported / "rightsgraph.graphml")).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    notes = {(k.get("for"), k.get("attr.name")): k.findtext("g:desc", namespaces=ns)
             for k in root.findall("g:key", ns)}
    for scope, name in (("node", "claims"), ("node", "sources"), ("node", "types"),
                        ("edge", "claims"), ("edge", "sources"), ("edge", "quotes")):
        assert notes[(scope, name)] == LIST_NOTE, (scope, name)
    assert notes[("node", "name")] is None and notes[("node", "uri")] is None


# --- Neo4j CSV and Cypher ----------------------------------------------------------------

def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


HEADER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*:(string|long|double|boolean|date)(\[\])?$")


def test_neo4j_csv_uses_the_neo4j_admin_header_format(exported: Path, expected: dict) -> None:
    folder = exported / "neo4j"
    header, nodes = _read_csv(folder / "nodes.csv")
    assert header[:2] == ["uri:ID", ":LABEL"]
    assert all(HEADER.match(h) for h in header[2:]), header
    rel_header, rels = _read_csv(folder / "relationships.csv")
    assert rel_header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert all(HEADER.match(h) for h in rel_header[3:]), rel_header
    assert {row["uri:ID"] for row in nodes} == expected["nodes"]
    assert len(rels) == len(expected["edges"])
    ids = {row["uri:ID"] for row in nodes}
    assert all(row[":START_ID"] in ids and row[":END_ID"] in ids for row in rels)
    delimiter = re.search(r"--array-delimiter='(.)'", (folder / "neo4j-admin-import.sh").read_text()).group(1)
    china = next(row for row in nodes if row["uri:ID"] == COUNTRY + "CN")
    assert "Resource" in china[":LABEL"].split(delimiter) and "State" in china[":LABEL"].split(delimiter)
    # Language-tagged values kept side by side, as n10s keeps them (keepLangTag).
    assert {"China@en", "中国@zh-Hans"} <= set(china["label:string[]"].split(delimiter))
    assert china["name:string"] == "China"
    # Lists are arrays in every row, not only where some row happens to have two values.
    assert {"claims:string[]", "sources:string[]", "types:string[]"} <= set(header)
    assert {"claims:string[]", "sources:string[]", "quotes:string[]", "name:string"} <= set(rel_header)


def test_the_neo4j_cypher_script_reads_only_columns_the_csv_has(exported: Path) -> None:
    folder = exported / "neo4j"
    script = (folder / "load-neo4j.cypher").read_text(encoding="utf-8")
    node_header, _ = _read_csv(folder / "nodes.csv")
    rel_header, rels = _read_csv(folder / "relationships.csv")
    used = set(re.findall(r"row\.`([^`]+)`", script))
    assert used <= set(node_header) | set(rel_header)
    for statement in filter(str.strip, script.split(";\n")):
        body = "\n".join(line for line in statement.splitlines() if not line.startswith("//"))
        assert body.count("(") == body.count(")") and body.count("[") == body.count("]"), body
    for rel_type in {row[":TYPE"] for row in rels}:
        assert f"[r:`{rel_type}`" in script  # every relationship type is created


def test_kuzu_loads_the_neo4j_csvs_and_cypher_answers_as_sparql(
        exported: Path, expected: dict, sparql_states: set[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import kuzu

    database = kuzu.Database(str(tmp_path / "kuzu"))
    connection = kuzu.Connection(database)
    monkeypatch.chdir(exported / "neo4j")  # the loader names the CSV files relative to its folder
    script = (exported / "neo4j" / "load-kuzu.cypher").read_text(encoding="utf-8")
    for statement in script.split(";\n"):
        statement = "\n".join(line for line in statement.splitlines() if not line.startswith("//"))
        if statement.strip():
            connection.execute(statement)

    def rows(query: str, **parameters) -> list[list]:
        result = connection.execute(query, parameters)
        found = []
        while result.has_next():
            found.append(result.get_next())
        return found

    assert rows("MATCH (n:Resource) RETURN count(n)") == [[len(expected["nodes"])]]
    assert rows("MATCH ()-[r]->() RETURN count(r)") == [[len(expected["edges"])]]
    states = rows("MATCH (c:Resource)-[:crimeType]->(t:Resource {uri: $crime}), "
                  "(c)-[:responsibleState]->(s:Resource) RETURN DISTINCT s.uri", crime=FORCED_REPATRIATION)
    assert {row[0] for row in states} == sparql_states == EXPECTED_STATES
    quotes = rows("MATCH (c:Resource)-[r:responsibleState]->(s:Resource {uri: $state}) RETURN r.quotes",
                  state=COUNTRY + "CN")
    assert any("中国" in quote for row in quotes for quote in row[0])
    labels = rows("MATCH (s:Resource {uri: $state}) RETURN s.label, s.labels", state=COUNTRY + "RU")
    assert "State" in labels[0][1] and any(label.endswith("@zh-Hans") for label in labels[0][0])
    # A plain display name beside the tagged labels, and lists as lists even with one value.
    assert rows("MATCH (s:Resource {uri: $uri}) RETURN s.name", uri=COUNTRY + "CN") == [["China"]]
    assert rows("MATCH (s:Resource {uri: $uri}) RETURN s.name", uri=ANALYST) == [["李升炷"]]
    sources = rows("MATCH (c:Resource)-[r:responsibleState]->(s:Resource {uri: $uri}) RETURN r.sources, r.name",
                   uri=COUNTRY + "CN")
    assert sources and all(isinstance(row[0], list) and row[1] == "responsible state" for row in sources)


# --- Cytoscape.js ---------------------------------------------------------------------------

def test_cytoscape_json_opens_in_networkx(exported: Path, expected: dict) -> None:
    import networkx as nx

    document = json.loads((exported / "rightsgraph.cyjs").read_text(encoding="utf-8"))
    assert set(document["elements"]) == {"nodes", "edges"}
    graph = nx.cytoscape_graph(document)
    assert set(graph.nodes) == expected["nodes"]
    triples = sorted((u, d["predicate"], v) for u, v, d in graph.edges(data=True))
    assert triples == expected["edges"]
    assert graph.nodes[COUNTRY + "CN"]["name"] == "China"


# --- FollowTheMoney ---------------------------------------------------------------------------

def _entities(exported: Path) -> list[dict]:
    lines = (exported / "rightsgraph.ftm.json").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_ftm_entities_pass_the_followthemoney_validation(exported: Path) -> None:
    from followthemoney import model

    entities = _entities(exported)
    assert entities
    ids = {entity["id"] for entity in entities}
    assert len(ids) == len(entities)
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None and not schema.abstract
        schema.validate(entity)  # raises InvalidData on a bad value or a missing property
        proxy = model.get_proxy(entity, cleaned=False)
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in ids, (entity["id"], prop.name, value)  # no dangling reference
    schemas = {entity["schema"] for entity in entities}
    assert {"PublicBody", "Organization", "Person", "Event", "UnknownLink", "Document"} <= schemas


def test_ftm_command_line_validates_the_file(exported: Path) -> None:
    ftm = Path(sys.executable).with_name("ftm")
    result = subprocess.run([str(ftm), "validate", "-i", str(exported / "rightsgraph.ftm.json"),
                             "-o", "/dev/null"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_ftm_says_which_states_are_responsible_for_forced_repatriation(
        exported: Path, public: Graph, sparql_states: set[str]) -> None:
    crime_label = next(str(label) for label in public.objects(URIRef(FORCED_REPATRIATION), RDFS.label)
                       if label.language == "en")
    entities = {e["id"]: e for e in _entities(exported)}
    crimes = {i for i, e in entities.items() if e["schema"] == "Event"
              and crime_label in e["properties"].get("keywords", [])}
    responsible = {
        entities[e["properties"]["object"][0]]["properties"]["sourceUrl"][0]
        for e in entities.values()
        if e["schema"] == "UnknownLink" and e["properties"]["subject"][0] in crimes
        and e["properties"]["role"] == ["responsible state"]
    }
    assert responsible == sparql_states == EXPECTED_STATES
    china = next(e for e in entities.values() if e["properties"].get("sourceUrl") == [COUNTRY + "CN"])
    assert china["schema"] == "PublicBody" and china["properties"]["country"] == ["cn"]


RGID = "https://w3id.org/rightsgraph/id/"


def test_ftm_gives_agencies_and_organisations_their_country(exported: Path) -> None:
    """From the data: the KNPA and the bureau are agencies of South Korea (000), the Ministry of
    State Security and the Supreme People's Court of North Korea (004); the TJWG is based in Seoul,
    in South Korea; CADAL in Argentina. The previous South Korean government is South Korea's only
    in a speaker's words (attributed), so it gets no country."""
    by_url = {e["properties"]["sourceUrl"][0]: e for e in _entities(exported)
              if e["schema"] in ("PublicBody", "Organization")}
    expected = {"knpa": ["kr"], "international-security-cooperation-bureau": ["kr"],
                "ministry-of-state-security": ["kp"], "supreme-peoples-court-of-north-korea": ["kp"],
                "russian-authorities": ["ru"], "cambodian-police": ["kh"], "tjwg": ["kr"], "cadal": ["ar"]}
    assert {slug: by_url[RGID + slug]["properties"].get("country") for slug in expected} == expected
    assert "country" not in by_url[RGID + "previous-south-korean-government"]["properties"]


def test_ftm_relations_have_the_schema_ftm_has_for_them(exported: Path) -> None:
    """From 004: the TJWG's representative, analyst and project director hold their posts in the
    TJWG and are quoted on its behalf; the TJWG publishes its 2024 and 2025 reports."""
    entities = {e["id"]: e for e in _entities(exported)}

    def url(entity_id: str) -> str:
        return entities[entity_id]["properties"]["sourceUrl"][0]

    people = {RGID + f"person-tjwg-{post}" for post in ("representative", "analyst", "project-director")}
    occupancies = {(url(e["properties"]["holder"][0]), url(e["properties"]["post"][0]))
                   for e in entities.values() if e["schema"] == "Occupancy"}
    assert occupancies == {(RGID + f"person-tjwg-{post}", RGID + f"tjwg-{post}")
                           for post in ("representative", "analyst", "project-director")}
    positions = [e for e in entities.values() if e["schema"] == "Position"]
    assert {url(e["properties"]["organization"][0]) for e in positions if "organization" in e["properties"]} \
        == {RGID + "tjwg"}
    represented = {(url(e["properties"]["agent"][0]), url(e["properties"]["client"][0]))
                   for e in entities.values() if e["schema"] == "Representation"}
    assert represented == {(person, RGID + "tjwg") for person in people}
    published = {(url(e["properties"]["document"][0]), url(e["properties"]["entity"][0]))
                 for e in entities.values() if e["schema"] == "Documentation"
                 and e["properties"].get("role") == ["publisher"]}
    assert {(RGID + "tjwg-2024-report", RGID + "tjwg"), (RGID + "tjwg-2025-report", RGID + "tjwg")} <= published
    links = [e for e in entities.values() if e["schema"] == "UnknownLink"]
    assert not [e for e in links if e["properties"]["role"] in (["holds"], ["publisher"], ["creator"])]


def test_ftm_export_says_how_many_entities_and_links_it_wrote(tmp_path: Path) -> None:
    from followthemoney import model

    out = tmp_path / "graph.ftm.json"
    result = run_cli("export", "ftm", "--out", str(out))
    assert result.returncode == 0, result.stderr
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    links = [e for e in written if model.get(e["schema"]).edge]
    said = re.search(r"ftm: (\d+) entities \(.*\), (\d+) links \(", result.stdout)
    assert said, result.stdout
    assert (int(said[1]), int(said[2])) == (len(written) - len(links), len(links))
    assert f"{sum(e['schema'] == 'Occupancy' for e in written)} Occupancy" in result.stdout


# --- What is not public never leaves ---------------------------------------------------------

MARKER = re.compile("zqx7", re.IGNORECASE)


def _export_all(out: Path, *flags: str) -> str:
    fixtures = ROOT / "tests" / "fixtures" / "sensitivity"
    result = run_cli("export", "all", "--out", str(out), "--data", str(ROOT / "data"), str(fixtures), *flags)
    assert result.returncode == 0, result.stderr
    texts = [path.read_text(encoding="utf-8", errors="replace")
             for path in sorted(out.rglob("*")) if path.is_file() and "vendor" not in path.parts]
    assert len(texts) >= 11  # graphml, cyjs, ftm, 5 neo4j files, view page, data, script
    return "\n".join(texts)


@pytest.fixture(scope="module")
def public_export(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _export_all(tmp_path_factory.mktemp("public"))


def test_nothing_restricted_or_confidential_is_exported(public_export: str) -> None:
    found = sorted(set(MARKER.findall(public_export)))
    assert not found, "restricted or confidential IRIs, labels or quotes were exported"
    # The fixtures were loaded: their public case is there, without the hidden victim's claim.
    assert "sensitivity-fixture-case-r" in public_export
    assert "sensitivity-fixture-case-c" in public_export


def test_include_restricted_widens_to_restricted_only(tmp_path: Path) -> None:
    text = _export_all(tmp_path, "--include-restricted")
    assert "restricted-zqx7-witness" in text
    assert "RESTRICTED-ZQX7 quote: the witness was taken back across the river" in text
    assert not re.search("confidential-zqx7", text, re.IGNORECASE)


def test_include_confidential_exports_everything(tmp_path: Path) -> None:
    text = _export_all(tmp_path, "--include-confidential")
    assert "restricted-zqx7-witness" in text and "confidential-zqx7-witness" in text


# --- The command line --------------------------------------------------------------------------

def test_export_writes_the_default_file_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "graph.graphml"
    result = run_cli("export", "graphml", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "graphml:" in result.stdout and out.is_file()


def test_export_to_a_folder_where_a_file_is_needed_is_a_clean_error(tmp_path: Path) -> None:
    assert_clean_error(run_cli("export", "ftm", "--out", str(tmp_path)), 2, "is a folder")


def test_unknown_format_is_a_usage_error() -> None:
    result = run_cli("export", "gexf")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_the_two_widening_flags_cannot_be_combined() -> None:
    result = run_cli("export", "ftm", "--include-restricted", "--include-confidential")
    assert result.returncode == 2 and "not allowed with" in result.stderr


def test_bad_data_leaves_no_export_behind(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix rg: <https://w3id.org/rightsgraph/ontology#> .\nrg:x rg:y \n", encoding="utf-8")
    out = tmp_path / "out"
    assert_clean_error(run_cli("export", "all", "--out", str(out), "--data", str(bad)), 2, "bad.ttl")
    assert not out.exists()


def test_missing_view_libraries_are_a_clear_error(tmp_path: Path) -> None:
    from rightsgraph.core.errors import InputError
    from rightsgraph.export.view import vendored_files

    with pytest.raises(InputError, match="npm ci"):
        vendored_files(tmp_path)


def test_exports_are_byte_identical_from_run_to_run(exported: Path, project, public: Graph,
                                                   tmp_path: Path) -> None:
    network = export_network(project, public)
    for name in ("graphml", "cytoscape", "ftm"):
        again = export(network, {name: tmp_path / FORMATS[name].default})[name][0]
        assert again.read_bytes() == (exported / FORMATS[name].default).read_bytes(), name



def test_competing_accounts_are_marked(exported: Path) -> None:
    """The 64 suspects were brought back under escort (押回, claims 000-012 and 000-015) in the
    Chinese and extradited in the English (000-043): the return operation's node names the
    property, and both return-method edges say they compete (data/000-182b20a71efb541c.ttl)."""
    import igraph

    network = igraph.Graph.Read_GraphML(str(exported / FORMATS["graphml"].default))
    operation = next(v for v in network.vs if v["uri"].endswith("/return-of-64-suspects-from-cambodia"))
    assert "rg:returnMethod" in operation["competing"]
    methods = [e for e in network.es if e.source == operation.index and e["predicate"].endswith("#returnMethod")]
    assert len(methods) == 2 and all(e["competing"] for e in methods)
    assert not any(e["competing"] for e in network.es if e["predicate"].endswith("#responsibleState"))
