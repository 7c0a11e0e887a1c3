"""What the loader adds to the hand-written Turtle, so that each fact is written once.

1. Every statement of a claim whose status puts it as so (FACTUAL_STATUSES: reported, finding) is
   asserted as a plain triple; what is only planned, under consideration, recommended, alleged or
   attributed stays in its claims (see ontology/README.md). A statement with two values of
   rg:object (which the shapes reject) asserts both.
2. Statements and quotes get their types (rg:Statement; oa:TextQuoteSelector and
   oa:TextPositionSelector), which the data need not repeat.
3. States with an ISO 3166-1 code get their other codes and their names in English, Simplified
   and Traditional Chinese and Korean from pycountry, unless the data gives them.
4. A Chinese label in one script gets its counterpart in the other script from OpenCC. People's
   names are left as the source writes them: OpenCC would turn the Korean surname 朴 into 樸.

The rules run inside the Oxigraph store every command loads into (store.load_files): 1 and 2
as SPARQL Update; 3 and 4 need pycountry and OpenCC, so the store is asked for what they read,
Python decides, and the new triples are inserted. Each rule only adds what is missing, so
running them twice changes nothing. bench/reference.py writes the same rules for rdflib, as the
benchmark's baseline and the tests' second opinion.
"""

from __future__ import annotations

import gettext
from collections import defaultdict
from functools import cache

import opencc
import pycountry
import pyoxigraph as ox

from rightsgraph.core.namespaces import OA, RDF, RDFS, RG, SKOS

# The other Chinese script of a label, and the OpenCC conversion that gives it.
SCRIPTS = {"zh-hans": ("zh-Hant", "s2t"), "zh-hant": ("zh-Hans", "t2s")}
# The languages states are named in, and pycountry's locale for each.
COUNTRY_LOCALES = {"zh-Hans": "zh_CN", "zh-Hant": "zh_TW", "ko": "ko"}


@cache
def converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@cache
def country_translation(locale: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True)


# The statuses under which a source puts what it says as so: the concepts of rg:FactualStatus in
# ontology/vocabularies.ttl, which the shapes and queries read. Named here because the rules run
# on the data before the ontology is merged (and without it, for pyshacl's copy), and a rule that
# found no vocabulary would silently assert nothing; tests/test_claim_status.py keeps the two equal.
FACTUAL_STATUSES = frozenset({RG.reported, RG.finding})

_FACTUAL_VALUES = " ".join(f"<{status}>" for status in sorted(FACTUAL_STATUSES))

_ASSERT = f"""
INSERT {{ ?statement <{RDF.type}> <{RG.Statement}> }}
WHERE {{ ?claim <{RG.states}> ?statement }};
INSERT {{ ?s ?p ?o }}
WHERE {{
  VALUES ?status {{ {_FACTUAL_VALUES} }}
  ?claim <{RG.status}> ?status ; <{RG.states}> ?statement .
  ?statement <{RG.subject}> ?s ; <{RG.predicate}> ?p ; <{RG.object}> ?o . FILTER(isIRI(?p))
}};
INSERT {{ ?quote <{RDF.type}> <{OA.TextQuoteSelector}> , <{OA.TextPositionSelector}> }}
WHERE {{ ?claim <{RG.quote}> ?quote }}
"""

_LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


def _literal(value: str, language: str) -> ox.Literal:
    return ox.Literal(value, language=language)


def add_country_names(store: ox.Store) -> None:
    states = list(store.query(f"SELECT ?state ?code WHERE {{ ?state <{RG.iso3166Alpha2}> ?code }}"))
    added = []
    for state, code in states:
        country = pycountry.countries.get(alpha_2=code.value)
        if country is None:
            continue
        for prop, value in ((RG.iso3166Alpha3, country.alpha_3), (RG.iso3166Numeric, country.numeric)):
            if not any(True for _ in store.quads_for_pattern(state, ox.NamedNode(str(prop)), None)):
                added.append(ox.Quad(state, ox.NamedNode(str(prop)), ox.Literal(value)))
        label = ox.NamedNode(str(RDFS.label))
        languages = {q.object.language.lower() for q in store.quads_for_pattern(state, label, None)
                     if isinstance(q.object, ox.Literal) and q.object.language}
        if "en" not in languages:
            added.append(ox.Quad(state, label, _literal(getattr(country, "common_name", country.name), "en")))
        for language, locale in COUNTRY_LOCALES.items():
            if language.lower() not in languages:
                name = country_translation(locale).gettext(country.name)
                added.append(ox.Quad(state, label, _literal(name, language)))
        store.extend(added)
        added = []


def add_chinese_scripts(store: ox.Store) -> None:
    """The other Chinese script for labels of anything but people (rule 4)."""
    values = " ".join(f"<{p}>" for p in _LABEL_PROPERTIES)
    rows = store.query(f"""
        SELECT ?node ?prop ?label WHERE {{
          VALUES ?prop {{ {values} }}
          ?node ?prop ?label .
          FILTER(isLiteral(?label) && LCASE(lang(?label)) IN ("zh-hans", "zh-hant"))
          FILTER NOT EXISTS {{ ?node <{RDF.type}> <{RG.Person}> }}
        }}""")
    by_node: dict[tuple, list[ox.Literal]] = defaultdict(list)
    for node, prop, label in rows:
        by_node[(node, prop)].append(label)
    added: list[ox.Quad] = []
    for (node, prop), labels in by_node.items():
        existing = {label.language.lower(): [] for label in labels}
        for label in labels:
            existing[label.language.lower()].append(label.value)
        new: dict[str, list[str]] = defaultdict(list)
        for label in labels:
            language, config = SCRIPTS[label.language.lower()]
            present = existing.get(language.lower(), []) + new[language.lower()]
            if present and prop.value != str(SKOS.altLabel):
                continue
            converted = converter(config).convert(label.value)
            if converted not in present:
                new[language.lower()].append(converted)
                added.append(ox.Quad(node, prop, _literal(converted, language)))
    store.extend(added)


def derive_store(store: ox.Store) -> ox.Store:
    """Apply the rules to the store in place and return it."""
    store.update(_ASSERT)
    add_country_names(store)
    add_chinese_scripts(store)
    return store
