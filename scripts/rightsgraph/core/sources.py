"""The source documents as files: their text, their checksum, and the rule that names them.

The naming rule (docs/adding-a-document.md): a source is `src:NNN-HHHHHHHHHHHHHHHH`, its file
`NNN_HHHHHHHHHHHHHHHH.txt` and its data `data/NNN-HHHHHHHHHHHHHHHH.ttl`, where NNN is the next
free number (one more than the highest in use) and the sixteen hex digits are the first sixteen
of the file's SHA-256. The two seed documents (000 and 004) came with their names: their digits
are not a prefix of any usual digest of the files, so only new documents follow the rule.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from rightsgraph.core.derive import converter
from rightsgraph.core.errors import InputError
from rightsgraph.core.files import decode_utf8, read_bytes

# A source's name, as in its IRI (src:NNN-HEX) and its data file; its file has "_" for "-".
NAME = re.compile(r"(?P<number>\d{3})-(?P<digits>[0-9a-f]{16})")
FILE_NAME = re.compile(r"(?P<number>\d{3})_(?P<digits>[0-9a-f]{16})\.txt")
_SHOWN = 60


@dataclass(frozen=True)
class SourceName:
    number: int
    digits: str

    @property
    def name(self) -> str:
        """As in the IRI src:NNN-HEX and the data file data/NNN-HEX.ttl."""
        return f"{self.number:03d}-{self.digits}"

    @property
    def file_name(self) -> str:
        return f"{self.number:03d}_{self.digits}.txt"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def name_for(data: bytes, numbers_in_use: set[int]) -> SourceName:
    """The name of a new source: the next free number and the first 16 hex digits of its SHA-256."""
    number = max(numbers_in_use, default=-1) + 1
    if number > 999:
        raise InputError("no source number is left (000 to 999 are in use)")
    return SourceName(number, sha256_of(data)[:16])


def decode_source(path: Path, data: bytes) -> str:
    """A source file's text: UTF-8 and not binary, or an InputError naming the file.

    Offsets count the characters of exactly this text, so nothing is normalised: no BOM is
    stripped and line ends are kept as they are.
    """
    return decode_utf8(path, data, "text (a source must be UTF-8 plain text)",
                       "convert it to UTF-8 first, e.g. iconv -f GB18030 -t UTF-8")


def read_source(path: Path) -> str:
    """The text of a source file, or an InputError saying why it cannot be used."""
    return decode_source(path, read_bytes(path))


def occurrences(text: str, exact: str) -> list[int]:
    """Every offset where `exact` starts in `text`, overlapping ones included."""
    found, index = [], text.find(exact)
    while index >= 0:
        found.append(index)
        index = text.find(exact, index + 1)
    return found


def shown(text: str) -> str:
    """A passage for a one-line message: line breaks as \\n, long ones cut."""
    text = text.replace("\n", "\\n")
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def differences(exact: str, passage: str) -> list[str]:
    """What would make the quote equal to the passage, from a list of usual differences."""
    steps = [
        ("full-width and half-width forms (，/, （/( ：/:)", lambda s: unicodedata.normalize("NFKC", s)),
        ("line breaks", lambda s: s.replace("\r", "").replace("\n", "")),
        ("spaces", lambda s: "".join(s.split())),
        ("Traditional and Simplified characters", lambda s: converter("t2s").convert(s)),
    ]
    found = []
    a, b = exact, passage
    for name, step in steps:
        na, nb = step(a), step(b)
        # A step is a difference when it brings the two closer: both may have spaces alike.
        if (na == nb and a != b) or fuzz.ratio(na, nb) > fuzz.ratio(a, b):
            found.append(name)
        a, b = na, nb
        if a == b:
            return found
    return [*found, "other characters"]


def closest_passage(text: str, exact: str) -> tuple[int, int, float]:
    """The passage of the text most like the quote. rapidfuzz's best partial alignment finds the
    place; it leaves out differing characters at the edges, so windows around it are compared
    again with the usual differences folded away (widths, line breaks, spaces, scripts)."""
    alignment = fuzz.partial_ratio_alignment(exact, text)
    begin, end = alignment.dest_start, alignment.dest_end
    wanted = _folded(exact)
    slack = min(12, max(3, len(exact) // 5))
    candidates = {(b, e) for b in range(max(0, begin - slack), begin + slack + 1)
                  for e in range(max(b + 1, end - slack), min(len(text), end + slack) + 1)}
    _, _, begin, end = max((fuzz.ratio(wanted, _folded(text[b:e])), fuzz.ratio(exact, text[b:e]), b, e)
                           for b, e in candidates)
    return begin, end, fuzz.ratio(exact, text[begin:end])


def _folded(text: str) -> str:
    return converter("t2s").convert("".join(unicodedata.normalize("NFKC", text).split()))


def not_found(text: str, exact: str) -> str:
    """Why a quote is not in the text: the closest passage and what differs."""
    begin, end, score = closest_passage(text, exact)
    passage = text[begin:end]
    return (f"not found in the source; the closest passage ({score:.0f}% alike) is at {begin}..{end} "
            f"(line {line_at(text, begin)}): \"{shown(passage)}\"; it differs in "
            f"{', '.join(differences(exact, passage))}")
