"""RDF terms written as SPARQL text, and parameter values bound by a VALUES block.

Endpoints reached over HTTP cannot take bindings beside the query, so a parameter is bound by
adding `VALUES (?name ...) { (term ...) }` at the start of the query's WHERE group. Terms are
escaped here by the SPARQL grammar, never by pasting the user's text: whatever the value, it
stays one term and cannot change the query's structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

from rightsgraph.core.errors import InputError

XSD = "http://www.w3.org/2001/XMLSchema#"


XSD_STRING = ox.NamedNode(XSD + "string")


PRIVATE = "urn:x-rightsgraph:xsd:"


def _private(literal: ox.Literal) -> ox.Literal:
    """The literal under the private namespace, with its lexical form as written."""
    datatype = literal.datatype.value
    name = datatype[len(XSD):] if datatype.startswith(XSD) else datatype
    return ox.Literal(literal.value, datatype=ox.NamedNode(PRIVATE + name))


def store_forms(literals: Iterable[ox.Literal]) -> dict[ox.Literal, ox.Literal]:
    """The typed literals that Oxigraph's store would not give back as they are, each with the
    form the store gives back.

    The store keeps numbers, booleans, dates and durations as values: "4.0"^^xsd:decimal comes
    back as "4", "01"^^xsd:integer as "1", "39"^^xsd:long as "39"^^xsd:integer. Rather than guess
    its rules, each literal is put into a scratch store and read back.
    """
    items = [lit for lit in literals if lit.language is None and lit.datatype != XSD_STRING]
    if not items:
        return {}
    scratch = ox.Store()
    predicate = ox.NamedNode("urn:x-rightsgraph:p")
    scratch.extend(ox.Quad(ox.NamedNode(f"urn:x-rightsgraph:{index}"), predicate, literal)
                   for index, literal in enumerate(items))
    changed = {}
    for quad in scratch:
        original = items[int(quad.subject.value.rpartition(":")[2])]
        if quad.object != original:
            changed[original] = quad.object
    return changed


def changed_by_store(literals: Iterable[ox.Literal]) -> set[ox.Literal]:
    """The literals to hold under the private namespace (see store_term), to be turned back on
    every way out."""
    return set(store_forms(literals))


def private_datatypes(literals: Iterable[ox.Literal]) -> frozenset[str]:
    """The XSD local names of these literals' datatypes (those _private encodes by name)."""
    return frozenset(lit.datatype.value[len(XSD):] for lit in literals if lit.datatype.value.startswith(XSD))


def held_privately(store: ox.Store) -> frozenset[str]:
    """The XSD local names of the datatypes a store holds literals of under the private namespace."""
    query = (f'SELECT DISTINCT ?d WHERE {{ ?s ?p ?o FILTER(isLiteral(?o)) BIND(STR(DATATYPE(?o)) AS ?d) '
             f'FILTER(STRSTARTS(?d, "{PRIVATE}")) }}')
    return frozenset(solution["d"].value[len(PRIVATE):] for solution in store.query(query))


def store_term(term: ox.NamedNode | ox.BlankNode | ox.Literal, changed: set[ox.Literal]) -> object:
    return _private(term) if isinstance(term, ox.Literal) and term in changed else term


def decode_datatype(iri: str) -> str:
    return XSD + iri[len(PRIVATE):] if iri.startswith(PRIVATE) else iri


def to_rdflib(term: object) -> Node | None:
    """An Oxigraph term as an rdflib term, exactly as the data writes it.

    rdflib normalises lexical forms by default ("01"^^xsd:integer becomes "1"); here it must not.
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=bcp47_case(term.language))
        datatype = decode_datatype(term.datatype.value)
        if datatype == XSD + "string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise TypeError(f"unexpected Oxigraph term {term!r}")


@lru_cache(maxsize=65536)
def _stored_literal(literal: ox.Literal) -> ox.Literal:
    return store_term(literal, changed_by_store([literal]))


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the store holds it (literals the store would change, privately)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return _stored_literal(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected rdflib term {term!r}")


def bcp47_case(tag: str) -> str:
    """A language tag in the case BCP 47 recommends (RFC 5646, 2.1.1): zh-Hans, en-GB, sgn-BE-FR.

    Oxigraph lower-cases language tags, and RDF compares them without regard to case; every file
    and answer rightsgraph writes gives them this one case, whatever the input wrote. Script
    subtags are title case and region subtags upper case, but only before the first singleton:
    what follows an extension or private-use singleton ("x-ab") stays lower case.
    """
    parts = tag.lower().split("-")
    out = [parts[0]]
    for part in parts[1:]:
        if len(out[-1]) == 1:  # after a singleton: extension or private use, lower case to the end
            out.extend(parts[len(out):])
            break
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part)
    return "-".join(out)


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


_LANG = re.compile(r"^[a-zA-Z]+(?:-[a-zA-Z0-9]+)*$")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def is_valid_iri(text: str) -> bool:
    """An absolute IRI by RFC 3987, as Oxigraph (a strict parser) checks it."""
    if _BAD_IRI.search(text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _quote(text: str) -> str:
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in text) + '"'


def sparql_term(term: Identifier) -> str:
    if isinstance(term, URIRef):
        if not is_valid_iri(term):
            raise InputError(f"<{term}> is not a valid IRI")
        return f"<{term}>"
    if isinstance(term, Literal):
        if term.language:
            if not _LANG.match(term.language):
                raise InputError(f"{term.language!r} is not a valid language tag")
            return f"{_quote(str(term))}@{term.language}"
        if term.datatype:
            return f"{_quote(str(term))}^^{sparql_term(term.datatype)}"
        return _quote(str(term))
    if isinstance(term, BNode):
        raise InputError("a blank node cannot be a query parameter")
    raise InputError(f"cannot write {term!r} as a SPARQL term")
