"""Query results for people (an aligned table with labels) and for machines (CSV, SPARQL JSON)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from rightsgraph.core.results import Rows

FORMATS = ("table", "csv", "json")
LANGUAGES = ("en", "zh", "zh-Hans", "zh-Hant", "ko")
_MAX_CELL = 120


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if _width(text) <= _MAX_CELL:
        return text
    out, used = [], 0
    for ch in text:
        used += _width(ch)
        if used > _MAX_CELL - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def pick_label(labels: dict[str, str], lang: str) -> str | None:
    """The label in the wanted language; 'zh' takes Simplified, then Traditional; then English."""
    preferences = {"zh": ["zh-Hans", "zh-Hant", "zh"], "zh-Hans": ["zh-Hans", "zh"], "zh-Hant": ["zh-Hant", "zh"]}
    for candidate in [*preferences.get(lang, [lang]), "en", ""]:
        for key, value in labels.items():
            if key.lower() == candidate.lower():
                return value
    return next(iter(labels.values()), None)


def cell_text(term: Node | None, label_of: Callable[[URIRef], str | None], names: NamespaceManager) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return label_of(term) or term.n3(names)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def format_table(rows: Rows, labels: dict[URIRef, dict[str, str]], lang: str, names: NamespaceManager) -> str:
    def label_of(node: URIRef) -> str | None:
        return pick_label(labels[node], lang) if node in labels else None

    body = [[_clip(cell_text(t, label_of, names)) for t in row] for row in rows.rows]
    widths = [max([_width(v), *(_width(r[i]) for r in body)]) for i, v in enumerate(rows.variables)]
    lines = ["  ".join(_pad(v, w) for v, w in zip(rows.variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines) + "\n"


def format_csv(rows: Rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(rows.variables)
    for row in rows.rows:
        writer.writerow(["" if t is None else str(t) for t in row])
    return buffer.getvalue()


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def format_json(rows: Rows) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [{v: _json_term(t) for v, t in zip(rows.variables, row) if t is not None} for row in rows.rows]
    return json.dumps({"head": {"vars": rows.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=2) + "\n"
