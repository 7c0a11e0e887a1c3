"""Fuzzing the loading and validation path: mutated Turtle either loads or is refused with an
InputError; nothing escapes as a traceback; and what loads gets the same results from both
validators (the SPARQL translation and pyshacl). Bounded, seeded by hypothesis's database."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rightsgraph.core.errors import RightsgraphError
from rightsgraph.core.store import LoadedData, graph_of, load_files, load_ontology, load_shapes

pytestmark = pytest.mark.slow  # hundreds of fuzzed files through the loader and both validators

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "data" / "reference.ttl").read_bytes() + (ROOT / "data" / "sources.ttl").read_bytes()


@st.composite
def mutated_turtle(draw: st.DrawFn) -> bytes:
    """A real data file with bytes cut, flipped, inserted or duplicated."""
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, max(0, len(data) - 1)))
        operation = draw(st.sampled_from(["flip", "cut", "insert", "duplicate"]))
        if operation == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif operation == "cut":
            del data[position:position + draw(st.integers(1, 40))]
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=12)) if draw(st.booleans()) else \
                draw(st.sampled_from([b'"', b"<", b">", b"@", b";", b".", b"\\u00", b"^^", b"[", b"(", b"\n"]))
        else:
            data[position:position] = data[position:position + draw(st.integers(1, 80))]
    return bytes(data)


def _load(path: Path) -> None:
    with contextlib.suppress(RightsgraphError):  # a clear refusal is right for broken input
        load_files([path])  # the one loader every command uses


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_turtle())
def test_loading_never_crashes(tmp_path: Path, turtle: bytes) -> None:
    path = tmp_path / "fuzzed.ttl"
    path.write_bytes(turtle)
    _load(path)


@pytest.fixture(scope="module")
def shapes_and_ontology(project):
    return load_shapes(project), load_ontology(project)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_turtle())
def test_validation_never_crashes(tmp_path: Path, shapes_and_ontology, turtle: bytes) -> None:
    from rightsgraph.validate.validator import validate

    path = tmp_path / "fuzzed.ttl"
    path.write_bytes(turtle)
    try:
        loaded = load_files([path])
    except RightsgraphError:
        return
    graph = graph_of(loaded.store)
    shapes, ontology = shapes_and_ontology
    reports = []
    for engine in ("sparql", "pyshacl"):
        try:
            reports.append(validate(LoadedData(graph, {}), shapes, ontology, engine))
        except RightsgraphError:
            return
    sparql, reference = reports
    assert isinstance(sparql.conforms, bool) and sparql.conforms == reference.conforms
    keys = [sorted((str(r.focus_node), str(r.shape), str(r.value), r.severity, str(r.constraint))
                   for r in report.results) for report in reports]
    assert keys[0] == keys[1]
