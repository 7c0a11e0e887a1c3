"""The nesting limit (core/nesting.py): what counts as a level, and the limit read on both paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from rightsgraph.core.errors import InputError
from rightsgraph.core.nesting import MAX_NESTING, check_nesting

HEAD = ("@prefix rg: <https://w3id.org/rightsgraph/ontology#> .\n"
        "@prefix rgid: <https://w3id.org/rightsgraph/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
        'rgid:a a rg:Region ;\n    rdfs:label "A"@en ;\n    rdfs:comment ')

def nested(depth: int, inner: str = '"x"') -> str:
    """HEAD with depth levels of ( [ ... ] ), alternating: the costliest for rdflib's parser."""
    opening = "".join("( " if level % 2 == 0 else "[ rdfs:comment " for level in range(depth))
    closing = "".join(" )" if level % 2 == 0 else " ]" for level in reversed(range(depth)))
    return HEAD + opening + inner + closing + " .\n"


@pytest.mark.parametrize("path", ["build", "run"])
def test_nesting_up_to_the_limit_is_read_on_both_paths(path: str, tmp_path: Path) -> None:
    """MAX_NESTING levels, the alternation rdflib finds hardest, parse on the rdflib path (build)
    and the Oxigraph one (run): the limit is below where rdflib's stack runs out."""
    data = tmp_path / "deep.ttl"
    data.write_text(nested(MAX_NESTING), encoding="utf-8")
    result = run_cli(path, "--data", str(data), "--out", str(tmp_path / "out"), "-q", timeout=300)
    assert "Traceback" not in result.stderr
    assert "nested" not in result.stderr
    assert (tmp_path / "out" / "rightsgraph.nt").exists(), result.stderr


def test_brackets_in_strings_iris_comments_and_escapes_do_not_count(tmp_path: Path) -> None:
    path = tmp_path / "x.ttl"
    inner = ('"((((" , \'[[[[\' , """ ( [ \n ( """ , \'\'\'[ ( \'\'\' , <http://example.org/(> , rg:a\\(b # ((((\n'
             * MAX_NESTING)
    check_nesting(path, nested(MAX_NESTING, inner))  # within the limit: no error
    with pytest.raises(InputError, match=r"x\.ttl:7: .*nested more than"):
        check_nesting(path, nested(MAX_NESTING + 1))
