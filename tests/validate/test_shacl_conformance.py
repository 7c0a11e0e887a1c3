"""The W3C SHACL test suite (core and SHACL-SPARQL) on both validators, as `rightsgraph validate
--conformance` runs it: every wrong answer must be listed, with its reason, in
scripts/rightsgraph/validate/shacl-known-failures.yaml, and the translation must have none (it refuses instead).

The suite is read from ../shared/w3c-shacl-test-suite beside the checkout (or
$RIGHTSGRAPH_SHACL_SUITE); CI must have it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from conftest import ROOT, require, run_cli
from rightsgraph.validate import conformance
from rightsgraph.validate.jena import missing

pytestmark = pytest.mark.slow  # the W3C SHACL suite on both validators

KNOWN = ROOT / "scripts" / "rightsgraph" / "validate" / "shacl-known-failures.yaml"


@pytest.fixture(scope="module")
def suite() -> Path:
    folder = conformance.default_suite()
    require((folder / "tests" / "manifest.ttl").is_file(), f"the W3C SHACL test suite is not at {folder}")
    return folder


@pytest.fixture(scope="module")
def outcomes(suite: Path) -> list[conformance.Outcome]:
    return conformance.run_suite(suite)


@pytest.fixture(scope="module")
def jena_outcomes(suite: Path) -> list[conformance.Outcome]:
    """Apache Jena on the suite: the third opinion."""
    reason = missing()
    require(reason is None, str(reason))
    return conformance.run_suite(suite, (conformance.THIRD_OPINION,))


def test_every_validate_entry_of_core_and_sparql_is_run(suite: Path) -> None:
    cases = conformance.cases(suite)
    # 98 core and 22 SHACL-SPARQL tests (the suite's README); 7 of them expect a failure.
    assert len(cases) == 120
    assert sum(c.name.startswith("core/") for c in cases) == 98
    assert sum(c.expected is None for c in cases) == 7


@pytest.mark.parametrize("engine", conformance.ENGINES)
def test_no_wrong_answer_but_the_known_ones(outcomes: list[conformance.Outcome], engine: str) -> None:
    known = conformance.load_known_failures(KNOWN)
    mine = [o for o in outcomes if o.engine == engine]
    wrong = {o.case.name: o.detail for o in mine if o.outcome == "wrong"}
    assert not set(wrong) - set(known[engine]), {n: d for n, d in wrong.items() if n not in known[engine]}
    # A known failure that now passes is taken off the list, so that the list stays true.
    assert not set(known[engine]) - set(wrong), sorted(set(known[engine]) - set(wrong))


def test_jena_has_no_wrong_answer_but_the_known_ones(jena_outcomes: list[conformance.Outcome]) -> None:
    known = conformance.load_known_failures(KNOWN)["jena"]
    wrong = {o.case.name: o.detail for o in jena_outcomes if o.outcome == "wrong"}
    assert set(wrong) == set(known), wrong


def test_where_pyshacl_is_wrong_jena_sides_with_the_suite_and_the_translation(
        outcomes: list[conformance.Outcome], jena_outcomes: list[conformance.Outcome]) -> None:
    """The tie-breaker: on every test pyshacl gets wrong, Jena gives the suite's expected report,
    and the translation gives it too or refuses (it never gives pyshacl's answer)."""
    jena = {o.case.name: o.outcome for o in jena_outcomes}
    ours = {o.case.name: o.outcome for o in outcomes if o.engine == "sparql"}
    disputed = [o.case.name for o in outcomes if o.engine == "pyshacl" and o.outcome == "wrong"]
    assert disputed  # the known ones: path-strange-001, -002, uniqueLang-002
    for name in disputed:
        assert jena[name] == "passed", name
        assert ours[name] in ("passed", "refused"), name


def test_the_translation_gives_no_wrong_answer(outcomes: list[conformance.Outcome]) -> None:
    assert [o.case.name for o in outcomes if o.engine == "sparql" and o.outcome == "wrong"] == []


def test_failure_entries_are_refused_by_both(outcomes: list[conformance.Outcome]) -> None:
    for outcome in outcomes:
        if outcome.case.expected is None:
            assert outcome.outcome == "passed", (outcome.engine, outcome.case.name, outcome.detail)


def test_the_command_prints_the_table_and_writes_earl(suite: Path, tmp_path: Path) -> None:
    reason = missing()
    require(reason is None, str(reason))
    result = run_cli("validate", "--conformance", "--third-opinion", "--suite", str(suite), "--earl", str(tmp_path),
                     "-q", timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    header, *rows = result.stdout.splitlines()[:4]
    assert header.split() == ["validator", "tests", "passed", "refused", "wrong"]
    assert [row.split()[0] for row in rows] == ["sparql", "pyshacl", "jena"]
    assert rows[0].split()[-1] == "0"  # the translation: no wrong answer
    for engine in (*conformance.ENGINES, conformance.THIRD_OPINION):
        earl = Graph().parse(tmp_path / f"earl-{engine}.ttl")
        assertions = list(earl.subjects(RDF.type, conformance.EARL.Assertion))
        assert len(assertions) == 120
        outcomes = {earl.value(earl.value(a, conformance.EARL.result), conformance.EARL.outcome) for a in assertions}
        assert outcomes <= set(conformance.OUTCOMES.values())
