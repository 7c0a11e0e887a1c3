"""The Python API, for notebooks and for the command line alike.

    from rightsgraph.api import load, validate, ask
    graph = load()
    ask("states-practising-forced-repatriation", graph, crime="forced-repatriation")
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import Graph

from rightsgraph.core.project import Project, find_project
from rightsgraph.core.store import load_graph
from rightsgraph.query.catalogue import StoredQuery, get_query, load_catalogue, run_stored
from rightsgraph.query.engines import Engine, RemoteEngine, local_engine
from rightsgraph.validate.validator import DEFAULT_VALIDATOR


def load(data: Iterable[Path] | None = None, project: Project | None = None) -> Graph:
    """The merged and derived graph: ontology plus data/ (or the given files and folders)."""
    return load_graph(project or find_project(), data)


def validate(data: Iterable[Path] | None = None, project: Project | None = None,
             validator: str = DEFAULT_VALIDATOR) -> Any:
    """The SHACL validation report of the data (see rightsgraph.validate.validator): validator "auto"
    (the default: the SPARQL translation, pyshacl for the shapes it cannot evaluate), "sparql"
    or "pyshacl", as `rightsgraph validate --validator`."""
    from rightsgraph.validate.validator import validate_project

    return validate_project(project or find_project(), data, validator)


def queries(project: Project | None = None) -> dict[str, StoredQuery]:
    """The stored queries by name."""
    return load_catalogue(project or find_project())


def ask(name: str, graph: Graph | None = None, *, endpoint: str | None = None, engine: str = "oxigraph",
        project: Project | None = None, **params: str) -> Any:
    """Run a stored query by name; a pandas DataFrame when pandas is installed, else Rows."""
    project = project or find_project()
    query = get_query(project, name)
    if endpoint:
        runner: Engine = RemoteEngine(endpoint)
    else:
        runner = local_engine(graph if graph is not None else load_graph(project), engine)
    rows = run_stored(query, runner, params)
    try:
        import pandas as pd
    except ImportError:
        return rows
    return pd.DataFrame([[None if t is None else t.toPython() for t in row] for row in rows.rows],
                        columns=rows.variables)
