"""`rightsgraph quotes --fill`: oa:start and oa:end for every quote, found in its source file.

For each quote block of each data file (sources/turtle_text.py finds them as written):
- found exactly once (after oa:prefix/oa:suffix, if given, narrow the occurrences): its numbers
  are written, or corrected, in place; nothing else of the file changes;
- found several times: kept if its offsets already point at one of them; otherwise the editor is
  asked to choose, with the oa:prefix that would pick each occurrence;
- not found: the closest passage (rapidfuzz) and what differs: full- and half-width forms, line
  breaks, spaces, Traditional and Simplified characters (OpenCC).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import PROV

from rightsgraph.core.namespaces import RG
from rightsgraph.core.sources import line_at, not_found, occurrences, read_source, shown
from rightsgraph.core.turtle import read_files, read_text, turtle_files
from rightsgraph.core.writing import write_atomically
from rightsgraph.sources.turtle_text import QuoteBlock, quote_blocks


@dataclass
class Problem:
    """A quote the tool could not place, and what the editor can do."""

    file: Path
    line: int
    claim: str
    message: str


@dataclass
class FillReport:
    checked: int = 0
    written: int = 0  # quotes whose numbers were added or corrected
    files_changed: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def unique_prefix(text: str, starts: list[int], start: int) -> str:
    """The shortest text before `start` that no other occurrence has before it."""
    others = [s for s in starts if s != start]
    for length in range(1, start + 1):
        prefix = text[start - length:start]
        if not any(text[max(0, s - length):s] == prefix for s in others):
            return prefix
    return text[:start]


def place(block: QuoteBlock, text: str) -> tuple[int, int] | str:
    """The quote's offsets, or why they cannot be given."""
    starts = occurrences(text, block.exact)
    narrowed = [s for s in starts
                if (block.prefix is None or text[:s].endswith(block.prefix))
                and (block.suffix is None or text[s + len(block.exact):].startswith(block.suffix))]
    if len(narrowed) == 1:
        return narrowed[0], narrowed[0] + len(block.exact)
    current = block.numbers.get("start")
    if len(narrowed) > 1:
        if current is not None and current.text.isdigit() and int(current.text) in narrowed:
            return int(current.text), int(current.text) + len(block.exact)
        choices = "; ".join(f"at {s} (line {line_at(text, s)}): oa:prefix \"{shown(unique_prefix(text, narrowed, s))}\""
                            for s in narrowed)
        return (f"found {len(narrowed)} times; say which with oa:prefix (the words just before it) or "
                f"by writing its oa:start: {choices}")
    if starts:
        return (f"found {len(starts)} times, but never after oa:prefix {block.prefix!r} "
                f"and before oa:suffix {block.suffix!r}")
    return f"{not_found(text, block.exact)}. Copy the file's characters exactly"


def _edit(text: str, block: QuoteBlock, start: int, end: int) -> str:
    """The file's text with the block's numbers set: replaced where written, else appended."""
    numbers = block.numbers
    if "start" in numbers and "end" in numbers:
        edits = sorted(((numbers["start"], str(start)), (numbers["end"], str(end))),
                       key=lambda edit: edit[0].start, reverse=True)
        for token, value in edits:
            text = text[:token.start] + value + text[token.end:]
        return text
    missing = [f"oa:{name} {value}" for name, value in (("start", start), ("end", end)) if name not in numbers]
    present = [(numbers[name], str(value)) for name, value in (("start", start), ("end", end)) if name in numbers]
    insertion = " ; " + " ; ".join(missing)
    text = text[:block.last_end] + insertion + text[block.last_end:]
    for token, value in present:  # before the insertion point, so its offsets still hold
        text = text[:token.start] + value + text[token.end:]
    return text


def fill_quotes(data_paths: Iterable[Path], sources_dir: Path) -> FillReport:
    """Write or correct the offsets of every quote of the files; report those that cannot be placed."""
    files = turtle_files(data_paths)
    graph: Graph = read_files(files)[0]
    texts: dict[URIRef, str] = {}
    report = FillReport()
    for path in files:
        original = read_text(path)
        blocks = quote_blocks(original)
        # Edit from the end of the file back, so that earlier offsets stay valid.
        edited = original
        for block in sorted(blocks, key=lambda b: b.open_at, reverse=True):
            report.checked += 1
            claim = URIRef(block.subject) if block.subject else None
            source = graph.value(claim, PROV.wasDerivedFrom) if claim is not None else None
            file_name = graph.value(source, RG.fileName) if source is not None else None
            if file_name is None:
                report.problems.append(Problem(path, block.line, str(claim or "?"),
                                               "its claim names no source document with a file (prov:wasDerivedFrom, "
                                               "and rg:fileName in data/sources.ttl)"))
                continue
            if source not in texts:
                texts[source] = read_source(sources_dir / str(file_name))
            placed = place(block, texts[source])
            if isinstance(placed, str):
                report.problems.append(Problem(path, block.line, str(claim), placed))
                continue
            current = tuple(block.numbers[n].text for n in ("start", "end") if n in block.numbers)
            if current != (str(placed[0]), str(placed[1])):
                edited = _edit(edited, block, *placed)
                report.written += 1
        if edited != original:
            write_atomically(path, edited.encode("utf-8"))
            report.files_changed.append(path)
    report.problems.sort(key=lambda p: (str(p.file), p.line))
    return report
