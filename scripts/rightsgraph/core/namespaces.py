"""The namespaces of rightsgraph, in one place, and the prefixes every output binds."""

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VANN, XSD

RG = Namespace("https://w3id.org/rightsgraph/ontology#")
RGID = Namespace("https://w3id.org/rightsgraph/id/")
COUNTRY = Namespace("https://w3id.org/rightsgraph/id/country/")
CRIME = Namespace("https://w3id.org/rightsgraph/id/crime/")
CLAIM = Namespace("https://w3id.org/rightsgraph/id/claim/")
SRC = Namespace("https://w3id.org/rightsgraph/id/source/")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")
RGSH = Namespace("https://w3id.org/rightsgraph/shapes#")

ONTOLOGY_IRI = "https://w3id.org/rightsgraph/ontology"

PREFIXES: dict[str, Namespace] = {
    "rg": RG,
    "rgid": RGID,
    "country": COUNTRY,
    "crime": CRIME,
    "claim": CLAIM,
    "src": SRC,
    "rgsh": RGSH,
    "oa": OA,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "vann": VANN,
    "wd": WD,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on a graph (replacing rdflib's defaults) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
