"""The main job, `rightsgraph run`: build, validate, answer every stored query, on either path.

- the files are loaded into one Oxigraph store, derived there and written from it, whatever the
  engine (build/files.py), so `build` and `run` write the same bytes;
- engine "oxigraph" (the default) answers the queries in that store, "rdflib" in an rdflib Graph
  of the same triples;
- the validator: see below.

`validator` picks the validator ("auto", the default, "sparql" or "pyshacl", as for
`rightsgraph validate`) on either path, so that the same data gets the same verdict from every
command. The command line, the tests and the benchmark all call run_pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rightsgraph.build.files import build
from rightsgraph.core.errors import InputError
from rightsgraph.core.project import Project
from rightsgraph.core.results import Rows
from rightsgraph.core.store import graph_of, load_shapes
from rightsgraph.core.writing import atomic_outputs
from rightsgraph.query.catalogue import load_catalogue, run_stored
from rightsgraph.query.engines import ENGINES, Engine, RdflibEngine, store_engine
from rightsgraph.query.formatting import format_csv, iri_nodes
from rightsgraph.validate.report import ValidationReport
from rightsgraph.validate.validator import DEFAULT_VALIDATOR, VALIDATORS, validate


@dataclass
class RunOutcome:
    triples: int
    report: ValidationReport
    answers: dict[str, Rows] = field(default_factory=dict)
    questions: int = 0
    checks: int = 0
    answered: int = 0
    failed_checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.conforms and not self.failed_checks


def run_pipeline(project: Project, out: Path, data_paths: Iterable[Path] | None = None,
                 engine: str = "oxigraph", validator: str = DEFAULT_VALIDATOR,
                 progress: Callable[[str], None] = lambda _: None) -> RunOutcome:
    """Build into `out`, validate, and (if the data conforms) answer every stored query into out/answers."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if validator not in VALIDATORS:
        raise InputError(f"unknown validator {validator!r}; choose one of {', '.join(VALIDATORS)}")
    paths = list(data_paths) if data_paths else None
    runner: Engine
    built = build(project, out, paths)
    triples, ontology = built.triples, built.ontology
    runner = store_engine(built.data.store) if engine == "oxigraph" else RdflibEngine(graph_of(built.data.store))
    progress(f"built    {triples:,} triples -> {out}/rightsgraph.{{ttl,nt,jsonld}}")
    report = validate(built.data, load_shapes(project), ontology, validator, sources_dir=project.sources_dir)
    outcome = RunOutcome(triples, report)
    if not report.conforms:
        return outcome
    progress(f"valid    conforms to the shapes ({report.warnings} warnings for a reviewer)")
    catalogue = load_catalogue(project)
    with atomic_outputs(out / "answers") as pending:
        for name, query in catalogue.items():
            rows = run_stored(query, runner)
            outcome.answers[name] = rows
            pending[f"{name}.csv"] = format_csv(rows, runner.labels(iri_nodes(rows))).encode("utf-8")
            if query.is_check and len(rows):
                outcome.failed_checks.append(f"{name} ({len(rows)} rows)")
            outcome.answered += bool(len(rows)) and not query.is_check
    outcome.questions = sum(not q.is_check for q in catalogue.values())
    outcome.checks = len(catalogue) - outcome.questions
    return outcome
