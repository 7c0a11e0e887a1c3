"""The dataset described for machines: VoID (/.well-known/void) and a DCAT 3 catalogue."""

from __future__ import annotations

import gzip
import hashlib
from collections import Counter
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from rightsgraph.core.namespaces import COUNTRY, CRIME, ONTOLOGY_IRI, RGID, bind_prefixes
from rightsgraph.core.site_paths import SITE_IRI
from rightsgraph.publish.formats import MEDIA_TYPES, serialize_all

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DATASET = URIRef(SITE_IRI)
CATALOG = URIRef(SITE_IRI + "catalog")
SERVICE = URIRef(SITE_IRI + "catalog#sparql-service")
SPARQL_DISTRIBUTION = URIRef(SITE_IRI + "catalog#sparql")
TITLE = "rightsgraph: transnational crime and human-rights violations across Korea's borders"
DESCRIPTION = ("A knowledge graph of transnational crime and human-rights violations across Korea's "
               "borders, in which every statement is a claim of a source document with the exact words "
               "that support it.")
EXAMPLES = (COUNTRY.CN, CRIME["forced-repatriation"], RGID.knpa)


@dataclass(frozen=True)
class Dump:
    path: str  # in the site, e.g. dump/rightsgraph.nt.gz
    title: str
    media_type: str
    content: bytes
    compressed: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def make_dumps(graph: Graph) -> list[Dump]:
    files = serialize_all(graph, ("ttl", "nt", "jsonld", "rdf"))
    return [
        Dump("dump/rightsgraph.ttl", "Turtle", MEDIA_TYPES["ttl"], files["ttl"]),
        # mtime=0: the same graph gives the same bytes, and so the same checksum.
        Dump("dump/rightsgraph.nt.gz", "N-Triples, gzipped", MEDIA_TYPES["nt"],
             gzip.compress(files["nt"], mtime=0), compressed=True),
        Dump("dump/rightsgraph.jsonld", "JSON-LD", MEDIA_TYPES["jsonld"], files["jsonld"]),
        Dump("dump/rightsgraph.rdf", "RDF/XML", MEDIA_TYPES["rdf"], files["rdf"]),
    ]


def _download(base: str, path: str) -> URIRef:
    return URIRef(base.rstrip("/") + "/" + path)


def void_description(graph: Graph, dumps: list[Dump], base: str, endpoint: str | None) -> Graph:
    """VoID: size, class and property partitions, examples, dumps, endpoint."""
    void = bind_prefixes(Graph())
    void.bind("void", VOID)
    void.bind("dcat", DCAT)
    void.add((DATASET, RDF.type, VOID.Dataset))
    void.add((DATASET, DCTERMS.title, Literal(TITLE, lang="en")))
    void.add((DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    void.add((DATASET, DCTERMS.license, LICENSE))
    void.add((DATASET, FOAF.homepage, URIRef(SITE_IRI)))
    void.add((DATASET, VOID.uriSpace, Literal(str(RGID))))
    void.add((DATASET, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    void.add((DATASET, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    void.add((DATASET, VOID.entities, Literal(len(subjects), datatype=XSD.integer)))
    void.add((DATASET, VOID.distinctSubjects, Literal(len(set(graph.subjects())), datatype=XSD.integer)))
    void.add((DATASET, VOID.distinctObjects, Literal(len(set(graph.objects())), datatype=XSD.integer)))
    classes = Counter(o for s, o in graph.subject_objects(RDF.type) if isinstance(s, URIRef))
    properties = Counter(graph.predicates())
    void.add((DATASET, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    void.add((DATASET, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    for cls, count in sorted(classes.items(), key=lambda item: str(item[0])):
        partition = BNode()
        void.add((DATASET, VOID.classPartition, partition))
        void.add((partition, VOID["class"], cls))
        void.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in sorted(properties.items(), key=lambda item: str(item[0])):
        partition = BNode()
        void.add((DATASET, VOID.propertyPartition, partition))
        void.add((partition, VOID.property, prop))
        void.add((partition, VOID.triples, Literal(count, datatype=XSD.integer)))
    for example in EXAMPLES:
        if (example, None, None) in graph:
            void.add((DATASET, VOID.exampleResource, example))
    for dump in dumps:
        void.add((DATASET, VOID.dataDump, _download(base, dump.path)))
    if endpoint:
        void.add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
    return void


def dcat_catalogue(dumps: list[Dump], base: str, endpoint: str | None) -> Graph:
    """DCAT 3: the catalogue, the dataset, its distributions (size, checksum) and the endpoint."""
    dcat = bind_prefixes(Graph())
    dcat.bind("dcat", DCAT)
    dcat.bind("spdx", SPDX)
    dcat.add((CATALOG, RDF.type, DCAT.Catalog))
    dcat.add((CATALOG, DCTERMS.title, Literal("rightsgraph catalogue", lang="en")))
    dcat.add((CATALOG, DCAT.dataset, DATASET))
    dcat.add((DATASET, RDF.type, DCAT.Dataset))
    dcat.add((DATASET, DCTERMS.title, Literal(TITLE, lang="en")))
    dcat.add((DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    dcat.add((DATASET, DCTERMS.license, LICENSE))
    dcat.add((DATASET, DCAT.landingPage, URIRef(SITE_IRI)))
    dcat.add((DATASET, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    for dump in dumps:
        distribution = URIRef(SITE_IRI + dump.path)
        dcat.add((DATASET, DCAT.distribution, distribution))
        dcat.add((distribution, RDF.type, DCAT.Distribution))
        dcat.add((distribution, DCTERMS.title, Literal(dump.title, lang="en")))
        dcat.add((distribution, DCAT.downloadURL, _download(base, dump.path)))
        dcat.add((distribution, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        if dump.compressed:
            dcat.add((distribution, DCAT.compressFormat, URIRef(IANA + MEDIA_TYPES["gz"])))
        dcat.add((distribution, DCAT.byteSize, Literal(len(dump.content), datatype=XSD.nonNegativeInteger)))
        dcat.add((distribution, DCTERMS.license, LICENSE))
        checksum = BNode()
        dcat.add((distribution, SPDX.checksum, checksum))
        dcat.add((checksum, RDF.type, SPDX.Checksum))
        dcat.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        dcat.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
    if endpoint:
        dcat.add((CATALOG, DCAT.service, SERVICE))
        dcat.add((SERVICE, RDF.type, DCAT.DataService))
        dcat.add((SERVICE, DCTERMS.title, Literal("rightsgraph SPARQL endpoint", lang="en")))
        dcat.add((SERVICE, DCAT.endpointURL, URIRef(endpoint)))
        dcat.add((SERVICE, DCAT.servesDataset, DATASET))
        dcat.add((SERVICE, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
        dcat.add((DATASET, DCAT.distribution, SPARQL_DISTRIBUTION))
        dcat.add((SPARQL_DISTRIBUTION, RDF.type, DCAT.Distribution))
        dcat.add((SPARQL_DISTRIBUTION, DCAT.accessURL, URIRef(endpoint)))
        dcat.add((SPARQL_DISTRIBUTION, DCAT.accessService, SERVICE))
    return dcat
