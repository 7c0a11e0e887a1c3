"""Check the data against the shapes with pyshacl, and report the results for people and machines.

`validate` is the one place that runs pyshacl; the command line, the tests and the benchmark all
call it (or `validate_project`, which loads the project's files first). Its choices, and why:

- What is validated: a copy of the derived data (claims' statements asserted, both Chinese
  scripts, country names) merged with what the shapes read of the ontology
  (`ontology_for_validation`: declarations, class hierarchy, domains, and the controlled lists'
  concepts whole), validated in place. sh:class and sh:targetClass then see rdfs:subClassOf and
  the concepts (crime:forced-repatriation a rg:CrimeType). pyshacl's own `ont_graph` mixing copies
  RDFS/OWL axioms but not the concepts, so sh:class rg:CrimeType would fail on every crime type;
  and it copies the data graph too, so merging here costs nothing more.
- inference="none": RDFS inference would type every subject of rg:crimeType as a crime (from
  rdfs:domain) and every object of rg:perpetrator as an agent (from rdfs:range), so the checks of
  classes would pass on exactly the data they exist to catch; it is also the slowest step. SHACL
  follows rdfs:subClassOf by itself, and the hierarchy is all the shapes need.
- advanced=True: the shapes that must reach every resource, including one written with no class,
  use SPARQL-based targets (SHACL Advanced Features); no Core target can. No SHACL rules or
  functions are used, so nothing is added to the graph.
- allow_warnings=True: sh:Warning results are reported but do not make the data fail.
- meta_shacl=False: the shapes are checked against SHACL's own shapes once, in the tests, not on
  every run.
- SPARQL texts are parsed once per process (`_PreparedQueryGraph`): pyshacl runs a SPARQL
  constraint once per focus node, and rdflib's parsing, not the evaluation, was most of the time.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Node, URIRef

from rightsgraph.core.errors import InputError
from rightsgraph.core.project import Project
from rightsgraph.core.store import LoadedData, load_data, load_ontology, load_shapes, load_store
from rightsgraph.validate.evidence import check_evidence
from rightsgraph.validate.pyshacl import run_pyshacl
from rightsgraph.validate.report import EngineRun, ValidationReport, copy_descriptions, sort_key

if TYPE_CHECKING:
    from rightsgraph.core.store import StoreData


VALIDATORS = ("auto", "sparql", "pyshacl")


DEFAULT_VALIDATOR = "auto"


class RefusedShape(InputError):
    """A shape the SPARQL translation cannot evaluate, with --validator sparql: exit 2."""

    def __init__(self, shape: Node, why: str) -> None:
        super().__init__(f"the SPARQL translation cannot evaluate the shape {_name(shape)}: {why} "
                         "(use --validator auto or pyshacl)")


def _name(node: Node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else f"_:{node}"


def validate(data: LoadedData | StoreData, shapes: Graph, ontology: Graph | None,
             validator: str = DEFAULT_VALIDATOR, *, plain: bool = False,
             sources_dir: Path | None = None) -> ValidationReport:
    """Validate the data against the shapes with the validator chosen.

    - "pyshacl": pyshacl, the reference, for every shape;
    - "sparql": the shapes translated to SPARQL over Oxigraph (validate/translation.py); a shape it cannot
      translate is refused (RefusedShape, exit 2), never skipped;
    - "auto" (the default): the shapes the translation supports run on it, the rest on pyshacl, in
      the same run; the report says which shapes ran where (ValidationReport.engines).

    Either kind of data works with every validator: LoadedData (rdflib, the reference loader) is
    copied into a store for the translation, StoreData (Oxigraph, the fast loader) into an rdflib
    graph for pyshacl. `ontology`: merged into LoadedData for validation (see the module's
    docstring); StoreData already holds it, and None merges nothing (--plain). pyshacl is imported
    only when used: it takes a second to import.
    `plain` (--plain): SHACL's own reading: every result as often as SHACL produces it, and any
    result, a warning too, makes the data not conform. Otherwise (the project's data) equal
    results are reported once and only violations make the data fail.
    `sources_dir`: the source files; given, the evidence is checked against them too
    (validate/evidence.py), with whichever validator, as the engine "evidence" of the report.
    """
    from rightsgraph.validate.sparql import store_of
    from rightsgraph.validate.translation import compile_shapes

    if validator not in VALIDATORS:
        raise InputError(f"unknown validator {validator!r}; choose one of {', '.join(VALIDATORS)}")
    evidence = [check_evidence(data, sources_dir)] if sources_dir is not None else []
    if validator == "pyshacl":
        run = run_pyshacl(data, shapes, ontology, None)
        return merge_runs([run, *evidence], plain)
    store = store_of(data, ontology)
    compiled = compile_shapes(shapes, store.private, store.private_properties)
    if validator == "sparql" and compiled.refused:
        shape, why = next(iter(compiled.refused.items()))
        raise RefusedShape(shape, why)
    runs = [store.run(shapes, compiled)]
    if compiled.refused:
        runs.append(run_pyshacl(data, shapes, ontology, compiled))
    return merge_runs([*runs, *evidence], plain)


def merge_runs(runs: list[EngineRun], plain: bool) -> ValidationReport:
    results = [r for run in runs for r in run.results]
    ordered = sorted(results if plain else set(results), key=sort_key)
    conforms = not ordered if plain else not any(r.severity == "Violation" for r in ordered)
    context = Graph()
    for run in runs:
        context += run.context
    shapes = next((run.shapes_graph for run in runs if run.shapes_graph is not None), None)
    if shapes is not None:  # only the blank shapes and paths the results name, not the whole graph
        copy_descriptions(context, shapes, (t for r in results for t in (r.shape, r.result_path)))
    report = ValidationReport(conforms, ordered, context)
    report.engines = {run.engine: run.shapes for run in runs}
    report.refused = {shape: why for run in runs for shape, why in run.refused.items()}
    return report


def validate_project(project: Project, data_paths: Iterable[Path] | None = None,
                     validator: str = DEFAULT_VALIDATOR) -> ValidationReport:
    """Load the project's ontology, shapes and data (or the files given) and validate them, and
    their evidence against the source files.

    The data is loaded into Oxigraph (the fast loader) unless pyshacl alone is asked for: the
    translation then needs no copy, and pyshacl gets one only for the shapes it is handed.
    """
    if validator == "pyshacl":
        return validate(load_data(project, data_paths), load_shapes(project), load_ontology(project), validator,
                        sources_dir=project.sources_dir)
    return validate(load_store(project, data_paths), load_shapes(project), None, validator,
                    sources_dir=project.sources_dir)
