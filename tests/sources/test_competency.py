"""Every competency question's stored query gives the answer the sources give (competency.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef
from rdflib.term import Node

from rightsgraph.core.namespaces import PREFIXES
from rightsgraph.query.catalogue import get_query, run_stored
from rightsgraph.query.engines import Engine, local_engine

CASES = yaml.safe_load((Path(__file__).parents[1] / "competency.yaml").read_text(encoding="utf-8"))


def _expand(value: object) -> str:
    """A prefixed name becomes its IRI; anything else is compared as text."""
    text = str(value)
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and " " not in text:
        return str(PREFIXES[prefix][local])
    return text


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _squeeze(text: str) -> str:
    """Without white space: the press release is PDF text with line breaks inside words."""
    return "".join(text.split())


def _matches(row: dict[str, str | None], expected: dict) -> bool:
    for key, value in expected.items():
        if key.endswith("~"):
            actual = row.get(key[:-1])
            if actual is None or _squeeze(str(value)) not in _squeeze(actual):
                return False
        elif row.get(key) != _expand(value):
            return False
    return True


@pytest.fixture(scope="module")
def engine(graph: Graph) -> Engine:
    return local_engine(graph, "oxigraph")


def test_every_competency_question_has_a_case() -> None:
    numbers = {int(case["id"][2:]) for case in CASES if case["id"].startswith("cq")}
    assert numbers == set(range(1, 21))


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_competency_question(case: dict, project, engine: Engine) -> None:
    query = get_query(project, case["query"])
    result = run_stored(query, engine, {k: str(v) for k, v in (case.get("params") or {}).items()})
    rows = [{k: _text(v) for k, v in row.items()} for row in result.as_dicts()]
    if "rows" in case:
        assert len(rows) == case["rows"]
    if "distinct" in case:
        spec = case["distinct"]
        selected = [r for r in rows if _matches(r, spec.get("where", {}))]
        actual = {tuple(r[c] for c in spec["columns"]) for r in selected}
        expected = {tuple(_expand(v) for v in row) for row in spec["rows"]}
        assert actual == expected
    for expected in case.get("includes", []):
        assert any(_matches(row, expected) for row in rows), f"no row matches {expected}"
    if "rows" not in case:
        assert rows, "the question has no answer"
        assert all(isinstance(r, dict) for r in rows)


def test_expected_iris_are_iris() -> None:
    assert _expand("country:CN") == str(URIRef("https://w3id.org/rightsgraph/id/country/CN"))
    assert _expand("2025-10") == "2025-10"
