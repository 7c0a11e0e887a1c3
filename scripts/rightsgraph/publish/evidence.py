"""The evidence behind a statement: its claims, their status and source, and each quote shown in
the words around it in the source file.

The words around a quote come from the source file itself (project.sources_dir, matched by the
rg:fileName of the claim's prov:wasDerivedFrom document). Context never reaches into a passage
that a left-out (restricted or confidential) claim quotes, so a public page cannot reveal what a
hidden claim rests on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import PROV
from rdflib.term import Node

from rightsgraph.core.namespaces import OA, RG

CONTEXT_CHARS = 120
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Quote:
    exact: str
    language: str | None
    before: str = ""
    marked: str = ""
    after: str = ""

    @property
    def in_context(self) -> bool:
        return bool(self.marked)


@dataclass(frozen=True)
class Span:
    file_name: str
    start: int
    end: int


def _int(value: Node | None) -> int | None:
    return int(value) if isinstance(value, Literal) and str(value).lstrip("-").isdigit() else None


def quote_spans(graph: Graph, claim: Node) -> list[tuple[Node, Span | None]]:
    """Each quote node of a claim, with where it lies in which file (None when it cannot say)."""
    source = graph.value(claim, PROV.wasDerivedFrom)
    file_name = graph.value(source, RG.fileName) if source is not None else None
    spans = []
    for quote in sorted(graph.objects(claim, RG.quote), key=str):
        start, end = _int(graph.value(quote, OA.start)), _int(graph.value(quote, OA.end))
        ok = file_name is not None and start is not None and end is not None and 0 <= start <= end
        spans.append((quote, Span(str(file_name), start, end) if ok else None))  # type: ignore[arg-type]
    return spans


@dataclass
class SourceTexts:
    """The source files, read once each; a missing folder or file means quotes are shown alone."""

    folder: Path
    hidden: dict[str, list[Span]] = field(default_factory=dict)
    _texts: dict[str, str | None] = field(default_factory=dict)

    def text(self, file_name: str) -> str | None:
        if file_name not in self._texts:
            path = self.folder / file_name
            try:
                self._texts[file_name] = path.read_text(encoding="utf-8") if path.name == file_name else None
            except (OSError, UnicodeDecodeError):
                self._texts[file_name] = None
        return self._texts[file_name]

    def _around(self, text: str, span: Span, chars: int) -> tuple[int, int] | None:
        """Up to `chars` characters either side of a quote, stopping where a hidden passage
        starts; None when the quote itself overlaps a hidden one."""
        lower = max(0, span.start - chars)
        upper = min(len(text), span.end + chars)
        for other in self.hidden.get(span.file_name, []):
            if other.start < span.end and other.end > span.start:
                return None
            if other.end <= span.start:
                lower = max(lower, other.end)
            if other.start >= span.end:
                upper = min(upper, other.start)
        return lower, upper

    def affixes(self, span: Span, chars: int) -> tuple[str, str] | None:
        """The words just before and after a quote (Web Annotation's oa:prefix and oa:suffix, by
        which annotation tools find a quote again where positions have moved), stopping at a
        hidden passage; None where the source is not at hand or does not hold the quote there."""
        text = self.text(span.file_name)
        if text is None or span.end > len(text):
            return None
        bounds = self._around(text, span, chars)
        return None if bounds is None else (text[bounds[0]:span.start], text[span.end:bounds[1]])

    def quote(self, exact: Literal, span: Span | None) -> Quote:
        language = exact.language if isinstance(exact, Literal) else None
        text = self.text(span.file_name) if span else None
        if span is None or text is None or text[span.start:span.end] != str(exact):
            return Quote(str(exact), language)
        bounds = self._around(text, span, CONTEXT_CHARS)
        if bounds is None:
            return Quote(str(exact), language)  # the quote itself overlaps a hidden one
        lower, upper = bounds
        before = text[lower:span.start]
        after = text[span.end:upper]
        # Stop at paragraph breaks: the words around a quote are its own passage.
        before = before.rsplit("\n\n", 1)[-1]
        after = after.split("\n\n", 1)[0]
        ellipsis_before = "… " if lower > 0 and before else ""
        ellipsis_after = " …" if upper < len(text) and after else ""
        return Quote(str(exact), language, ellipsis_before + before, text[span.start:span.end],
                     after + ellipsis_after)


def hidden_spans(full: Graph, view: Graph) -> dict[str, list[Span]]:
    """The passages quoted by claims of the full graph that the published view leaves out."""
    spans: dict[str, list[Span]] = defaultdict(list)
    for claim in set(full.subjects(RG.quote, None)):
        if (claim, RG.quote, None) in view:
            continue
        for _, span in quote_spans(full, claim):
            if span is not None:
                spans[span.file_name].append(span)
    return dict(spans)


def statement_index(graph: Graph) -> dict[Triple, list[Node]]:
    """{(subject, predicate, object): the claims that state it}."""
    index: dict[Triple, list[Node]] = defaultdict(list)
    for claim, statement in graph.subject_objects(RG.states):
        triple = (graph.value(statement, RG.subject), graph.value(statement, RG.predicate),
                  graph.value(statement, RG.object))
        if None not in triple:
            index[triple].append(claim)  # type: ignore[index]
    for claims in index.values():
        claims.sort(key=str)
    return dict(index)
