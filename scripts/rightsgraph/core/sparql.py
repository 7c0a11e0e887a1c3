"""SPARQL rewrites that keep a query's answers and help Oxigraph plan it.

Oxigraph evaluates FILTER NOT EXISTS once per solution and, without the outer bindings to plan
with, can scan the whole graph each time: rgsh:EvidenceShape took minutes at 100k triples, and
stored queries with a NOT EXISTS grew quadratically (translations-of-reports: 9 ms at 100k, 3.5 s
at 1M). MINUS is one anti-join. The fast validator and the Oxigraph engine both apply the
rewrite, only where the two forms are equivalent (see rewrite_not_exists).
"""

from __future__ import annotations

import re

from rdflib.term import Identifier

from rightsgraph.core.errors import InputError
from rightsgraph.core.terms import sparql_term


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


class Unsupported(Exception):
    """Something the fast path does not translate: the caller falls back to the reference."""


_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{", re.IGNORECASE)


_CALL = re.compile(r"\b(FILTER|BIND)\s*\(", re.IGNORECASE)


def closing_brace(text: str, opening: int) -> int:
    """The index of the bracket that closes the one at `opening` ({ or (), skipping strings."""
    pairs = {"{": "}", "(": ")"}
    open_char = text[opening]
    depth = 0
    index = opening
    quote = None
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == open_char:
            depth += 1
        elif char == pairs[open_char]:
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise Unsupported("unbalanced brackets in a SPARQL constraint")


def _without_calls(text: str) -> str:
    """The text with FILTER(...) and BIND(...) removed: what is left binds variables for certain."""
    while (match := _CALL.search(text)) is not None:
        end = closing_brace(text, match.end() - 1)
        text = text[: match.start()] + " " + text[end + 1:]
    return text


def _top_level(text: str) -> str:
    """The text with every nested {...} block removed."""
    while (start := text.find("{")) >= 0:
        text = text[:start] + " " + text[closing_brace(text, start) + 1:]
    return text


_COMMENT_LINE = re.compile(r"^[ \t]*#.*$", re.MULTILINE)


_IRI = re.compile(r"<[^<>\s\"{}|^`\\]*>")


def rewrite_not_exists(query: str) -> str:
    """rewrite_not_exists_in, or the query unchanged when it is not plain enough to be sure.

    Full-line comments are dropped first; a query with any other '#' outside an IRI (a comment
    after code, or a '#' in a string) is left alone, since a quote in a comment would throw the
    bracket matching off.
    """
    if not re.search(r"NOT\s+EXISTS", query, re.IGNORECASE):
        return query
    text = _COMMENT_LINE.sub("", query)
    if "#" in _IRI.sub("", text):
        return query
    try:
        return rewrite_not_exists_in(text)
    except Unsupported:
        return query


def rewrite_not_exists_in(query: str) -> str:
    """FILTER NOT EXISTS { P } as MINUS { P } at the end of its group, where the two are equivalent.

    Oxigraph evaluates FILTER NOT EXISTS once per solution and, without the outer bindings to
    plan with, can scan the whole graph each time (rgsh:EvidenceShape: minutes at 100k triples);
    MINUS is one anti-join. They give the same solutions when P is a plain set of triple patterns
    (with filters on its own variables only) and shares a variable with the group that the group
    always binds, and every other variable P shares with the query is bound by the group too. It
    pays only when P has a variable of its own: one the group leaves free.
    """
    search_from = 0
    while (match := _NOT_EXISTS.search(query, search_from)) is not None:
        brace = match.end() - 1
        end = closing_brace(query, brace)
        inner = query[brace + 1:end]
        group_start = query.rfind("{", 0, match.start())
        while group_start >= 0 and closing_brace(query, group_start) < match.start():
            group_start = query.rfind("{", 0, group_start)
        if "{" in inner or group_start < 0:
            search_from = end
            continue
        group_end = closing_brace(query, group_start)
        group = query[group_start + 1:match.start()] + " " + query[end + 1:group_end]
        inner_vars = set(_VARIABLE.findall(inner))
        inner_bound = set(_VARIABLE.findall(_without_calls(inner)))
        bound = set(_VARIABLE.findall(_without_calls(_top_level(group)))) | {"this"}
        elsewhere = set(_VARIABLE.findall(query[:match.start()] + query[end + 1:]))
        shared = inner_vars & elsewhere
        # When the group binds every variable of P, FILTER NOT EXISTS is a lookup per solution
        # whatever order Oxigraph picks, while MINUS would first gather every match of P in the
        # graph (rgsh:StatedValueShape's `?subject ?predicate ?value`: all triples, +320 MiB at 1M).
        if inner_vars - inner_bound or not (shared & bound) or shared - bound or inner_vars <= bound:
            search_from = end
            continue
        query = (query[: match.start()] + " " + query[end + 1:group_end]
                 + f" MINUS {{{inner}}} " + query[group_end:])
        search_from = 0
    return query
