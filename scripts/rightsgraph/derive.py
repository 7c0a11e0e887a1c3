"""What the loader adds to the hand-written Turtle, so that each fact is written once.

1. Every statement of a claim is asserted as a plain triple (see ontology/README.md).
2. Statements and quotes get their types (rg:Statement; oa:TextQuoteSelector and
   oa:TextPositionSelector), which the data need not repeat.
3. States with an ISO 3166-1 code get their other codes and their names in English, Simplified
   and Traditional Chinese and Korean from pycountry, unless the data gives them.
4. A Chinese label in one script gets its counterpart in the other script from OpenCC. People's
   names are left as the source writes them: OpenCC would turn the Korean surname 朴 into 樸.

Each rule only adds what is missing, so running derive twice changes nothing.
"""

from __future__ import annotations

import gettext
from functools import cache

import opencc
import pycountry
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from .namespaces import OA, RG

# Labels that get the other Chinese script. Quotes are never converted: they are evidence.
_LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
_SCRIPTS = {"zh-hans": ("zh-Hant", "s2t"), "zh-hant": ("zh-Hans", "t2s")}
_COUNTRY_LOCALES = {"zh-Hans": "zh_CN", "zh-Hant": "zh_TW", "ko": "ko"}


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@cache
def _country_translation(locale: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def assert_statements(graph: Graph) -> None:
    for statement in set(graph.objects(None, RG.states)):
        graph.add((statement, RDF.type, RG.Statement))
        subject = graph.value(statement, RG.subject)
        predicate = graph.value(statement, RG.predicate)
        value = graph.value(statement, RG.object)
        if subject is not None and predicate is not None and value is not None:
            graph.add((subject, predicate, value))
    for quote in set(graph.objects(None, RG.quote)):
        graph.add((quote, RDF.type, OA.TextQuoteSelector))
        graph.add((quote, RDF.type, OA.TextPositionSelector))


def _has_label(graph: Graph, node, language: str) -> bool:
    return any(
        isinstance(label, Literal) and (label.language or "").lower() == language.lower()
        for label in graph.objects(node, RDFS.label)
    )


def add_country_names(graph: Graph) -> None:
    for state, code in list(graph.subject_objects(RG.iso3166Alpha2)):
        country = pycountry.countries.get(alpha_2=str(code))
        if country is None:
            continue  # the shapes report an unknown code
        for prop, value in ((RG.iso3166Alpha3, country.alpha_3), (RG.iso3166Numeric, country.numeric)):
            if graph.value(state, prop) is None:
                graph.add((state, prop, Literal(value)))
        if not _has_label(graph, state, "en"):
            graph.add((state, RDFS.label, Literal(getattr(country, "common_name", country.name), lang="en")))
        for language, locale in _COUNTRY_LOCALES.items():
            if not _has_label(graph, state, language):
                name = _country_translation(locale).gettext(country.name)
                graph.add((state, RDFS.label, Literal(name, lang=language)))


def add_chinese_scripts(graph: Graph) -> None:
    people = set(graph.subjects(RDF.type, RG.Person))
    for prop in _LABEL_PROPERTIES:
        for node, label in list(graph.subject_objects(prop)):
            if not isinstance(label, Literal) or not label.language or node in people:
                continue
            target = _SCRIPTS.get(label.language.lower())
            if target is None:
                continue
            language, config = target
            existing = [o for o in graph.objects(node, prop)
                        if isinstance(o, Literal) and (o.language or "").lower() == language.lower()]
            # rdfs:label and skos:prefLabel take one value per language; altLabels pair one to one.
            if existing and prop != SKOS.altLabel:
                continue
            converted = Literal(_converter(config).convert(str(label)), lang=language)
            if converted not in existing:
                graph.add((node, prop, converted))


def derive(graph: Graph) -> Graph:
    """Apply the rules above to the graph in place and return it."""
    assert_statements(graph)
    add_country_names(graph)
    add_chinese_scripts(graph)
    return graph
