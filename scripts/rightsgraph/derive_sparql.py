"""The rules of derive.py, applied inside an Oxigraph store (the fast path).

Rules 1 and 2 are SPARQL Update. Rules 3 and 4 need pycountry and OpenCC, so the store is asked
for what they read, Python decides as derive.py does, and the new triples are inserted. The
result is the same set of triples as derive() gives on an rdflib graph of the same data; where
derive.py's outcome depends on rdflib's iteration order (data that breaks the shapes anyway: two
rdfs:label in one Chinese script, a statement with two rg:object), the two may differ.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from .derive import _COUNTRY_LOCALES, _SCRIPTS, _converter, _country_translation
from .namespaces import OA, RDF, RDFS, RG, SKOS

_ASSERT = f"""
INSERT {{ ?statement <{RDF.type}> <{RG.Statement}> . ?s ?p ?o }}
WHERE {{
  ?claim <{RG.states}> ?statement .
  OPTIONAL {{ ?statement <{RG.subject}> ?s ; <{RG.predicate}> ?p ; <{RG.object}> ?o . FILTER(isIRI(?p)) }}
}};
INSERT {{ ?quote <{RDF.type}> <{OA.TextQuoteSelector}> , <{OA.TextPositionSelector}> }}
WHERE {{ ?claim <{RG.quote}> ?quote }}
"""

_LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


def _literal(value: str, language: str) -> ox.Literal:
    return ox.Literal(value, language=language)


def add_country_names(store: ox.Store) -> None:
    import pycountry

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
        for language, locale in _COUNTRY_LOCALES.items():
            if language.lower() not in languages:
                name = _country_translation(locale).gettext(country.name)
                added.append(ox.Quad(state, label, _literal(name, language)))
        store.extend(added)
        added = []


def add_chinese_scripts(store: ox.Store) -> None:
    """As derive.add_chinese_scripts: the other Chinese script for labels of anything but people."""
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
            language, config = _SCRIPTS[label.language.lower()]
            present = existing.get(language.lower(), []) + new[language.lower()]
            if present and prop.value != str(SKOS.altLabel):
                continue
            converted = _converter(config).convert(label.value)
            if converted not in present:
                new[language.lower()].append(converted)
                added.append(ox.Quad(node, prop, _literal(converted, language)))
    store.extend(added)


def derive_store(store: ox.Store) -> ox.Store:
    """Apply derive.py's rules to the store in place and return it."""
    store.update(_ASSERT)
    add_country_names(store)
    add_chinese_scripts(store)
    return store
