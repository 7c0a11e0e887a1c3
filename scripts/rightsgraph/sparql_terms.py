"""RDF terms written as SPARQL text, and parameter values bound by a VALUES block.

Endpoints reached over HTTP cannot take bindings beside the query, so a parameter is bound by
adding `VALUES (?name ...) { (term ...) }` at the start of the query's WHERE group. Terms are
escaped here by the SPARQL grammar, never by pasting the user's text: whatever the value, it
stays one term and cannot change the query's structure.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from .errors import InputError

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


def _where_brace(text: str) -> int:
    """Index of the '{' that opens the query's WHERE group, skipping comments, IRIs and strings.

    For SELECT and ASK it is the first '{'; for CONSTRUCT it is the first after the WHERE keyword
    (the template comes first).
    """
    is_construct = re.search(r"^\s*CONSTRUCT\b", _strip_comments(text), re.IGNORECASE | re.MULTILINE)
    seen_where = not is_construct
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif ch in "\"'":
            triple = text[i:i + 3] in ('"""', "'''")
            delimiter = text[i:i + 3] if triple else ch
            i += len(delimiter)
            while i < n and not text.startswith(delimiter, i):
                i += 2 if text[i] == "\\" else 1
            i += len(delimiter) - 1
        elif ch == "<" and re.match(r'<[^\x00-\x20<>"{}|^`\\]*>', text[i:]):
            i = text.find(">", i)
        elif ch == "{" and seen_where:
            return i
        elif not seen_where and text[i:i + 5].upper() == "WHERE" and not text[i - 1:i].isalnum():
            seen_where = True
            i += 4
        i += 1
    raise InputError("cannot find the WHERE clause of the query to bind parameters")


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def inject_values(text: str, bindings: dict[str, Identifier]) -> str:
    """The query with its parameters bound by a VALUES block at the start of the WHERE group."""
    if not bindings:
        return text
    names = sorted(bindings)
    variables = " ".join(f"?{name}" for name in names)
    values = " ".join(sparql_term(bindings[name]) for name in names)
    brace = _where_brace(text)
    return f"{text[:brace + 1]}\n  VALUES ({variables}) {{ ({values}) }}\n{text[brace + 1:]}"
