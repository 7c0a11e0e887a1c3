"""The documentation names only what exists: files, commands and stored queries.

The pages are read with a Markdown parser (markdown-it-py, CommonMark), so that links are told
apart from code and code from prose: a command or a path is looked for in code only (inline code
and code blocks), where the docs write what a reader types.
"""

from __future__ import annotations

import argparse
import re
from functools import cache
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from conftest import ROOT
from rightsgraph.cli import build_parser
from rightsgraph.core.project import find_project
from rightsgraph.query.catalogue import load_catalogue

README = ROOT / "README.md"
QUERIES_README = ROOT / "queries" / "README.md"
PAGES = sorted([README, *(path for folder in ("docs", "ontology", "shapes", "queries")
                          for path in (ROOT / folder).glob("*.md"))])
MAX_README_LINES = 300

# `rightsgraph COMMAND`: the word as a command, not as part of a path, a module or a file name.
COMMAND = re.compile(r"(?<![\w./\[-])rightsgraph[ \t]+([a-z][a-z-]*)\b")
QUERY_COMMAND = re.compile(r"(?<![\w./\[-])rightsgraph[ \t]+query[ \t]+([a-z0-9][a-z0-9-]*)")
# A path into one of the project's hand-written or code folders, as written in code.
PATH = re.compile(r"(?<![\w./~-])((?:scripts|tests|data|ontology|shapes|queries|docs)/[^\s`'\"),;:|]*)")
# Where a path stops being literal: a glob, or a placeholder such as data/<name>.ttl or NNN.
PLACEHOLDER = re.compile(r"[<{…]|\.\.\.|NNN|NAME|SIZE")
# The example document docs/adding-a-document.md adds: its real output names its data file,
# which the checkout does not hold.
EXAMPLE_FILES = {"data/005-6dcb5061da0c3d9d.ttl"}
QUERY_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")

MARKDOWN = MarkdownIt("commonmark")


def _walk(tokens: list[Token]) -> list[Token]:
    flat: list[Token] = []
    for token in tokens:
        flat.append(token)
        if token.children:
            flat.extend(_walk(token.children))
    return flat


@cache
def tokens_of(path: Path) -> tuple[Token, ...]:
    return tuple(_walk(MARKDOWN.parse(path.read_text(encoding="utf-8"))))


def links_of(path: Path) -> list[str]:
    """The targets of every link and image of a page."""
    targets = []
    for token in tokens_of(path):
        if token.type == "link_open":
            targets.append(str(token.attrs["href"]))
        elif token.type == "image":
            targets.append(str(token.attrs["src"]))
    return targets


def code_of(path: Path, inline_only: bool = False) -> list[str]:
    """The text of every inline code span and (unless inline_only) every code block of a page."""
    kinds = {"code_inline"} if inline_only else {"code_inline", "fence", "code_block"}
    return [token.content for token in tokens_of(path) if token.type in kinds]


def anchors_of(path: Path) -> set[str]:
    """The fragment ids GitHub gives a page's headings: lower case, punctuation dropped, spaces as
    hyphens (repeated headings, which would get -1, -2, are not used here)."""
    tokens = tokens_of(path)
    titles = [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"]
    return {re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-") for title in titles}


def _label(path: Path) -> str:
    return str(path.relative_to(ROOT))


def commands() -> set[str]:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(subparsers.choices)


def stored_queries() -> set[str]:
    return set(load_catalogue(find_project(ROOT)))


def test_every_page_is_found() -> None:
    # The glob above must see the pages it is meant to check; a moved folder would empty it.
    for page in (README, QUERIES_README, ROOT / "ontology" / "README.md", ROOT / "shapes" / "README.md"):
        assert page in PAGES, f"{_label(page)} is missing"


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines; move detail into a page under docs/"


@pytest.mark.parametrize("page", PAGES, ids=_label)
def test_relative_links_point_to_files(page: Path) -> None:
    # A link into another page's heading (page.md#heading) must find that heading too.
    broken = []
    for target in links_of(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("#"):
            continue  # a URL (http:, mailto:) or a heading of the same page
        file, _, fragment = target.partition("#")
        path = page.parent / file
        if not path.exists() or (fragment and path.suffix == ".md" and fragment not in anchors_of(path.resolve())):
            broken.append(target)
    assert broken == [], f"{_label(page)} links to files or headings that do not exist: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=_label)
def test_commands_named_exist(page: Path) -> None:
    known = commands()
    named = {name for code in code_of(page) for name in COMMAND.findall(code)}
    assert named - known == set(), f"{_label(page)} names commands rightsgraph does not have"


@pytest.mark.parametrize("page", PAGES, ids=_label)
def test_queries_run_in_examples_exist(page: Path) -> None:
    named = {name for code in code_of(page) for name in QUERY_COMMAND.findall(code)}
    assert named - stored_queries() == set(), f"{_label(page)} runs stored queries that do not exist"


def test_query_help_examples_name_stored_queries() -> None:
    # The examples of `rightsgraph query --help` are documentation too.
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    examples = subparsers.choices["query"].format_help()
    named = set(QUERY_COMMAND.findall(examples))
    assert named, "the help of `rightsgraph query` has no example"
    assert named - stored_queries() == set()


def _path_exists(path: str) -> bool:
    if path in EXAMPLE_FILES:
        return True
    placeholder = PLACEHOLDER.search(path)
    if placeholder:
        # data/<file-stem>.ttl: the folder before the placeholder must exist.
        return (ROOT / path[:placeholder.start()]).parent.is_dir()
    if "*" in path:
        return any(ROOT.glob(path.rstrip("/")))
    return (ROOT / path).exists()


@pytest.mark.parametrize("page", PAGES, ids=_label)
def test_paths_named_exist(page: Path) -> None:
    # rightsgraph's own messages shown in examples name the reader's files, not the project's.
    lines = [line for code in code_of(page) for line in code.splitlines() if not line.startswith("rightsgraph:")]
    named = {path for line in lines for path in PATH.findall(line)}
    assert [path for path in sorted(named) if not _path_exists(path)] == [], \
        f"{_label(page)} names files that do not exist"


def test_queries_readme_names_stored_queries_only() -> None:
    spans = code_of(QUERIES_README, inline_only=True)
    files = {m for span in spans for m in re.findall(r"queries/([\w-]+)\.rq", span)}
    names = {span for span in spans if QUERY_NAME.fullmatch(span)}
    assert (files | names) - stored_queries() == set(), "queries/README.md names queries that do not exist"


def test_queries_readme_lists_every_stored_query() -> None:
    # The list of queries in queries/README.md is written by hand: a new query is added to it.
    names = {span for span in code_of(QUERIES_README, inline_only=True) if QUERY_NAME.fullmatch(span)}
    assert stored_queries() - names == set(), "queries/README.md does not list these stored queries"
