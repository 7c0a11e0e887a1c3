"""Reading the project's text files (Turtle, SPARQL, source documents), with one readable error
for a file that is missing, unreadable, binary, not UTF-8 or empty."""

from __future__ import annotations

from pathlib import Path

from rightsgraph.core.errors import InputError


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: a folder, not a file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None


def decode_utf8(path: Path, raw: bytes, kind: str, advice: str) -> str:
    """The bytes as text, or an InputError naming the file (and the line of a byte that is not
    UTF-8). `kind` says what the file should be ("Turtle"), `advice` what to do about bad bytes."""
    if b"\x00" in raw:
        raise InputError(f"{path}: a binary file, not {kind}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x} at "
                         f"offset {error.start}); {advice}") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    return text
