"""Query results for people (a table that fits the terminal, with labels) and for machines (CSV
with a label beside every IRI, SPARQL JSON).

The table gathers rows: rows that agree on every column but one are shown as one row, the values
of that column listed in its cell (a claim with two quotes, an event with two dates). Columns are
gathered from the last to the first, so the evidence (quotes, sources) is gathered before what it
supports. CSV and JSON keep one row per solution: they are read by programs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from rightsgraph.core.results import Rows

FORMATS = ("table", "csv", "json")
LANGUAGES = ("en", "zh", "zh-Hans", "zh-Hant", "ko")
# Marks each value of a gathered cell: values may hold line breaks of their own (quotes do).
BULLET = "•"

Labels = dict[URIRef, dict[str, str]]


def pick_label(labels: dict[str, str], lang: str) -> str | None:
    """The label in the wanted language; 'zh' takes Simplified, then Traditional; then English."""
    preferences = {"zh": ["zh-Hans", "zh-Hant", "zh"], "zh-Hans": ["zh-Hans", "zh"], "zh-Hant": ["zh-Hant", "zh"]}
    for candidate in [*preferences.get(lang, [lang]), "en", ""]:
        for key, value in labels.items():
            if key.lower() == candidate.lower():
                return value
    return next(iter(labels.values()), None)


def iri_nodes(rows: Rows) -> set[URIRef]:
    """The IRIs in the answer: the nodes whose labels a table or CSV shows."""
    return {t for row in rows.rows for t in row if isinstance(t, URIRef)}


def cell_text(term: Node | None, label_of: Callable[[URIRef], str | None], names: NamespaceManager) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return label_of(term) or term.n3(names)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def gather(rows: Sequence[Sequence[str]]) -> list[list[tuple[str, ...]]]:
    """Rows of cells to rows of cell values: rows that differ in one column only become one row
    holding that column's distinct values, in order of first appearance. Columns are tried from
    the last to the first; a row keeps the place of the first row it gathers."""
    gathered: list[list[tuple[str, ...]]] = [[(cell,) for cell in row] for row in rows]
    width = len(gathered[0]) if gathered else 0
    for column in reversed(range(width)):
        groups: dict[tuple[tuple[str, ...], ...], list[tuple[str, ...]]] = {}
        for row in gathered:
            key = tuple(row[:column] + row[column + 1:])
            values = groups.setdefault(key, [])
            values.extend(value for value in row[column] if value not in values)
        gathered = [[*key[:column], tuple(values), *key[column:]] for key, values in groups.items()]
    return gathered


def _cell(values: tuple[str, ...]) -> Text | Table:
    # Text, not markup: quotes may hold square brackets. Line breaks are kept as the source has them.
    if len(values) == 1:
        return Text(values[0])
    # A bullet beside each value, the value wrapping beside it (a hanging indent).
    bullets = Table.grid(padding=(0, 1, 0, 0))
    bullets.add_column(no_wrap=True)
    bullets.add_column(overflow="fold")
    for value in values:
        bullets.add_row(BULLET, Text(value))
    return bullets


def format_table(rows: Rows, labels: Labels, lang: str, names: NamespaceManager, width: int = 80) -> str:
    """An aligned table no wider than `width` columns; long cells wrap inside their column."""
    def label_of(node: URIRef) -> str | None:
        return pick_label(labels[node], lang) if node in labels else None

    body = gather([[cell_text(t, label_of, names) for t in row] for row in rows.rows])
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, show_lines=True, header_style="")
    for variable in rows.variables:
        # fold: Chinese has no spaces to wrap at, so a long quote is cut between characters, not clipped.
        table.add_column(variable, overflow="fold")
    for row in body:
        table.add_row(*(_cell(values) for values in row))
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False, emoji=False,
                      markup=False, legacy_windows=False)
    with console.capture() as capture:
        console.print(table)
    lines = [line.rstrip() for line in capture.get().splitlines()]
    found = len(rows.rows)
    count = f"({len(body)} row{'s' if len(body) != 1 else ''}" + (
        f", gathered from {found} answers)" if found != len(body) else ")")
    return "\n".join([*lines, count]) + "\n"


def format_csv(rows: Rows, labels: Labels | None = None, lang: str = "en") -> str:
    """CSV, one row per solution, with a column 'NAME label' after every column NAME that holds an
    IRI: the IRI's label in `lang`, else English, else any (a space cannot occur in a variable's
    name, so the label column never takes a variable's)."""
    labels = labels or {}
    iri_columns = {i for row in rows.rows for i, t in enumerate(row) if isinstance(t, URIRef)}
    header: list[str] = []
    for i, variable in enumerate(rows.variables):
        header += [variable, f"{variable} label"] if i in iri_columns else [variable]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows.rows:
        cells: list[str] = []
        for i, term in enumerate(row):
            cells.append("" if term is None else str(term))
            if i in iri_columns:
                cells.append(pick_label(labels[term], lang) or "" if isinstance(term, URIRef) and term in labels
                             else "")
        writer.writerow(cells)
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
