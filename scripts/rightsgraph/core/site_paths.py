"""Where each IRI of the project lives in the published site, and how pages link to each other.

Every IRI under https://w3id.org/rightsgraph/ has one place in the site:

    https://w3id.org/rightsgraph/                      index.html
    https://w3id.org/rightsgraph/ontology#Claim        ontology.html#Claim
    https://w3id.org/rightsgraph/shapes#ClaimShape     shapes.html#ClaimShape
    https://w3id.org/rightsgraph/id/country/CN         id/country/CN.html (.ttl, .jsonld, .nt, .rdf)

Links are relative by default, so the site works from any folder and from file://; with a base URL
they are absolute, for a host that is not behind w3id.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import URIRef

from rightsgraph.core.namespaces import ONTOLOGY_IRI, RGID, RGSH

SITE_IRI = "https://w3id.org/rightsgraph/"
SHAPES_IRI = str(RGSH).rstrip("#")
# The formats every described document is published in, beside its HTML page.
RDF_EXTENSIONS = ("ttl", "jsonld", "nt", "rdf")
# A resource path: slash-separated segments of unreserved characters, none of them "." or "..".
_SEGMENT = r"(?!\.\.?(?:/|$))[A-Za-z0-9._~-]+"
_RESOURCE_PATH = re.compile(rf"^{_SEGMENT}(?:/{_SEGMENT})*$")


@dataclass(frozen=True)
class Location:
    """A document of the site (without extension) and, for hash IRIs, the fragment."""

    document: str
    fragment: str | None = None

    def file(self, extension: str = "html") -> str:
        return f"{self.document}.{extension}"


def resource_document(iri: URIRef) -> str | None:
    """The site path (no extension) of a resource IRI under id/, or None if it has no page."""
    text = str(iri)
    if not text.startswith(str(RGID)):
        return None
    path = "id/" + text[len(str(RGID)):]
    return path if _RESOURCE_PATH.match(path) else None


def locate(iri: URIRef) -> Location | None:
    """Where an IRI is documented in the site; None for IRIs outside the project's."""
    text = str(iri)
    if text == SITE_IRI:
        return Location("index")
    for base, document in ((ONTOLOGY_IRI, "ontology"), (SHAPES_IRI, "shapes")):
        if text == base:
            return Location(document)
        if text.startswith(base + "#"):
            return Location(document, text[len(base) + 1:] or None)
    document = resource_document(iri)
    return Location(document) if document else None


@dataclass(frozen=True)
class Linker:
    """Links from one page of the site to another file of the site."""

    page: str  # the linking file's path in the site, e.g. id/country/CN.html
    base_url: str | None = None

    def file(self, target: str, fragment: str | None = None) -> str:
        if self.base_url:
            url = self.base_url.rstrip("/") + "/" + quote(target)
        else:
            url = quote(posixpath.relpath(target, posixpath.dirname(self.page) or "."))
        return url + (f"#{quote(fragment)}" if fragment else "")

    def iri(self, iri: URIRef, extension: str = "html") -> str:
        """A link to where the IRI is documented, or the IRI itself when it is not ours."""
        location = locate(iri)
        if location is None:
            return str(iri)
        return self.file(location.file(extension), location.fragment)
