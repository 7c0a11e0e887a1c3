"""The quotes of a Turtle file as written: where each `[ oa:exact ... ]` block and its numbers are.

`quotes --fill` edits the text of oa:start/oa:end in place and nothing else, so it needs the
characters of each block, not a parsed graph (re-serialising would undo the hand-written layout,
comments and order). A small lexer over the Turtle tokens does it: comments, strings (short and
long, either quote), IRIs, punctuation and words. String literals are decoded by Oxigraph's own
parser, so an escape means here what it means to the loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from rightsgraph.core.namespaces import OA

_TOKEN = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<punct>[\[\]();,])
  | (?P<word>[^\s\[\]();,"'<\#]+)
  | (?P<space>\s+)
''', re.VERBOSE | re.DOTALL)
_PREFIX = re.compile(r"(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?\d*\.?\d+(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


@dataclass
class QuoteBlock:
    """One `[ oa:exact "..." ; oa:start N ; oa:end M ]` as written, with the claim it belongs to."""

    subject: str | None  # the IRI of the statement's subject (the claim)
    exact: str
    language: str | None
    line: int
    open_at: int  # the offset of "[" in the file
    close_at: int  # the offset of "]"
    last_end: int  # the end of the last token before "]"
    numbers: dict[str, Token] = field(default_factory=dict)  # "start"/"end": the number's token
    prefix: str | None = None
    suffix: str | None = None


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ValueError(f"unexpected character {text[position]!r}")
        kind = match.lastgroup or ""
        if kind == "word" and match.group().endswith(".") and not _NUMBER.fullmatch(match.group()):
            # a statement's final "." glued to its last word ("rg:Claim.")
            if len(match.group()) > 1:
                found.append(Token("word", match.group()[:-1], match.start(), match.end() - 1))
            found.append(Token("word", ".", match.end() - 1, match.end()))
        elif kind not in ("space", "comment"):
            found.append(Token(kind, match.group(), match.start(), match.end()))
        position = match.end()
    return found


def decode_string(token: str) -> str:
    """A Turtle string token's value, as the loader reads it."""
    quad = next(iter(ox.parse(f"<x:s> <x:p> {token} .", format=ox.RdfFormat.TURTLE)))
    return quad.object.value


def _resolve(word: str, prefixes: dict[str, str]) -> str | None:
    if word.startswith("<") and word.endswith(">"):
        return word[1:-1]
    prefix, colon, local = word.partition(":")
    if colon and prefix in prefixes:
        return prefixes[prefix] + local
    return None


def quote_blocks(text: str) -> list[QuoteBlock]:
    """Every blank-node block of the file that has an oa:exact, in the order written."""
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX.finditer(text)}
    found = tokens(text)
    blocks: list[QuoteBlock] = []
    subject: str | None = None
    expect_subject = True
    stack: list[int] = []  # the token index of each open "[" or "("
    for index, token in enumerate(found):
        if token.text == "." and not stack:
            expect_subject = True
            continue
        if expect_subject and not stack:
            expect_subject = False
            subject = None if token.text.lower() in ("@prefix", "prefix", "@base", "base") \
                else _resolve(token.text, prefixes)
        if token.kind == "punct" and token.text in "[(":
            stack.append(index)
        elif token.kind == "punct" and token.text in "])":
            opened = stack.pop() if stack else None
            if opened is not None and token.text == "]":
                block = _block(found, opened, index, prefixes, subject, text)
                if block is not None:
                    blocks.append(block)
    return blocks


def _block(found: list[Token], opened: int, closed: int, prefixes: dict[str, str],
           subject: str | None, text: str) -> QuoteBlock | None:
    """The block's predicate-object pairs at its own depth, if it is a quote."""
    depth = 0
    pairs: list[tuple[str | None, list[Token]]] = []
    predicate: str | None = None
    objects: list[Token] = []
    for token in found[opened + 1:closed]:
        if token.kind == "punct" and token.text in "[(":
            depth += 1
        elif token.kind == "punct" and token.text in "])":
            depth -= 1
        if depth or (token.kind == "punct" and token.text in "])"):
            objects.append(token)
            continue
        if token.text == ";":
            pairs.append((predicate, objects))
            predicate, objects = None, []
        elif predicate is None:
            predicate = _resolve(token.text, prefixes)
        else:
            objects.append(token)
    pairs.append((predicate, objects))
    values = {p: o for p, o in pairs if p is not None}
    exact = values.get(str(OA.exact))
    if not exact or exact[0].kind != "string":
        return None
    language = exact[1].text[1:] if len(exact) > 1 and exact[1].text.startswith("@") else None
    block = QuoteBlock(subject, decode_string(exact[0].text), language, text.count("\n", 0, exact[0].start) + 1,
                       found[opened].start, found[closed].start, found[closed - 1].end)
    for name in ("start", "end"):
        number = values.get(str(OA[name]))
        if number and number[0].kind == "word":
            block.numbers[name] = number[0]
    for name in ("prefix", "suffix"):
        value = values.get(str(OA[name]))
        if value and value[0].kind == "string":
            setattr(block, name, decode_string(value[0].text))
    return block
