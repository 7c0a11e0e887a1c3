"""The ontology for people: pyLODE's page, with fragment ids that match the hash IRIs.

pyLODE makes its fragment ids from labels (rg:Claim becomes #claim, and rg:Person and foaf:Person
collide), so a hash IRI such as https://w3id.org/rightsgraph/ontology#Claim would not land on its
term. We give pyLODE our terms' local names as their ids before it renders. pyLODE also takes
every skos:ConceptScheme for an ontology (their labels end up as the page title) and has no
section for the controlled lists, so it is given the ontology without that typing, and the lists
are added as a section of our own, rendered from a Jinja2 template.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

from dominate.util import raw
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from rightsgraph.core.namespaces import ONTOLOGY_IRI, RG
from rightsgraph.publish.labels import short_name


def _pylode_input(ontology: Graph) -> Graph:
    copy = Graph()
    copy += ontology
    for scheme in list(copy.subjects(RDF.type, SKOS.ConceptScheme)):
        copy.remove((scheme, RDF.type, SKOS.ConceptScheme))
    ontology_node = URIRef(ONTOLOGY_IRI)
    titles = [t for t in copy.objects(ontology_node, DCTERMS.title) if isinstance(t, Literal)]
    for title in titles:
        if title.language != "en" and len(titles) > 1:
            copy.remove((ontology_node, DCTERMS.title, title))
    return copy


def term_fragments(ontology: Graph) -> dict[str, str]:
    """{IRI: fragment id} for every term in the rg: namespace."""
    base = str(RG)
    return {str(s): str(s)[len(base):] for s in set(ontology.subjects())
            if isinstance(s, URIRef) and str(s).startswith(base) and len(str(s)) > len(base)}


def external_fragments(ontology: Graph) -> dict[str, str]:
    """{IRI: fragment id} for the other vocabularies' terms the ontology declares, from their
    prefixed names (foaf_Person, prov_Person): pyLODE gave foaf:Person and prov:Person one id."""
    base = str(RG)
    fragments = {}
    for subject in set(ontology.subjects()):
        if isinstance(subject, URIRef) and not str(subject).startswith(base):
            name = short_name(ontology, subject)
            if name != str(subject) and re.fullmatch(r"[A-Za-z][\w-]*:[\w-]+", name):
                fragments[str(subject)] = name.replace(":", "_")
    return fragments


def _one_title(title: object) -> str:
    """The English title of a term, else its first, from pyLODE's list of titles (or one title)."""
    if isinstance(title, list | tuple):
        english = [t for t in title if isinstance(t, Literal) and (t.language or "").lower() == "en"]
        return str((english or title or [""])[0])
    return str(title)


def ontology_page(ontology: Graph, before_html: str, after_html: str) -> str:
    """The pyLODE page of the ontology with our navigation before and the controlled lists after."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    from pylode import OntPub

    # Importing pyLODE configures the root logger (its web server's settings); undo that.
    root.setLevel(level)
    root.handlers[:] = handlers

    class _OntPub(OntPub):
        def _make_toc(self) -> None:
            # pyLODE lists every title of a term in its table of contents, run together
            # ("新闻报道news article新聞報道"), in no order; the contents name each term once, in
            # English, alphabetically, and with its prefixed name where two terms share a title
            # (rg:Person's "person" and foaf:Person's "Person").
            iris = {f"#{fid}": iri for iri, fid in self.fids.items()}
            for key, entries in self.toc.items():
                titled = [(href, _one_title(title)) for href, title in entries]
                if key == "namespaces":
                    self.toc[key] = titled
                    continue
                shared = Counter(title.casefold() for _, title in titled)
                named = [(href, f"{title} ({short_name(ontology, URIRef(iris[href]))})"
                          if shared[title.casefold()] > 1 and href in iris else title) for href, title in titled]
                self.toc[key] = sorted(named, key=lambda entry: (entry[1].casefold(), entry[1]))
            super()._make_toc()

        def _make_main_sections(self) -> None:
            self.content.children.insert(0, raw(before_html))
            super()._make_main_sections()
            self.content.appendChild(raw(after_html))

    document = _OntPub(ontology=_pylode_input(ontology))
    document.fids.update(external_fragments(ontology))
    document.fids.update(term_fragments(ontology))
    root.setLevel(logging.WARNING)
    try:
        html = document.make_html()
    finally:
        root.setLevel(level)
    # pyLODE writes no language on the page; the ontology is documented in English.
    return html.replace("<html>", '<html lang="en">', 1)


def concept_schemes(ontology: Graph) -> list[tuple[URIRef, list[URIRef]]]:
    """The controlled lists and their concepts, in a stable order."""
    schemes = sorted((s for s in ontology.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)), key=str)
    return [(scheme, sorted((c for c in ontology.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)), key=str))
            for scheme in schemes]
