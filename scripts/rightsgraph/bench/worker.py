"""One stage of the benchmark, for one implementation, in a process of its own.

A fresh process per (stage, implementation) gives each its own peak memory (ru_maxrss) and lets
the runner stop a baseline that runs past its time limit. The worker reads a task (JSON), does
the work through the same functions the command line uses, and writes what it measured, and the
answers to compare, as JSON. Stages that run many items (the stored queries) write after each
one, so a stopped worker still leaves what it finished.

    python -m rightsgraph.bench.worker TASK.json
"""

from __future__ import annotations

import hashlib
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rightsgraph.core.project import Project

# A query slower than this (seconds) is run once, not `runs` times.
SLOW = 10.0


def peak_mib(children: bool = False) -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return usage.ru_maxrss / 1024  # kilobytes on Linux


def _save(task: dict, result: dict) -> None:
    result["peak_mib"] = max(result.get("peak_mib", 0.0), peak_mib())
    path = Path(task["result"])
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)


def _timed_section(task: dict, result: dict) -> None:
    """Say that the part that is timed starts now: the runner's time limit counts from here."""
    result["timed_from"] = time.time()
    _save(task, result)


def _keys(counter) -> list:
    return sorted(([list(key), count] for key, count in counter.items()), key=json.dumps)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_stage(task: dict, project: Project, result: dict) -> None:
    from rightsgraph.bench.reference import derive, read_reference, write_reference
    from rightsgraph.build.files import write_build
    from rightsgraph.core.store import load_ontology, load_store

    data_dir, out = Path(task["data"]), Path(task["out"]) / task["impl"]
    _timed_section(task, result)
    clock = time.perf_counter()
    if task["impl"] == "ours":
        timings: dict[str, float] = {}
        data = load_store(project, [data_dir], timings)
        loaded = time.perf_counter()
        write_build(data, out)
        result["steps"] = {**timings, "serialise": time.perf_counter() - loaded}
        result["triples"] = len(data.store)
    else:
        ontology = load_ontology(project)
        graph = read_reference([data_dir])
        parsed = time.perf_counter()
        derive(graph)
        merged = time.perf_counter()
        result["triples"] = write_reference(ontology, graph, out)
        result["steps"] = {"parse": parsed - clock, "merge": merged - parsed,
                           "serialise": time.perf_counter() - merged}
    result["seconds"] = time.perf_counter() - clock
    result["answer"] = _digest(out / "rightsgraph.nt")


def validate_stage(task: dict, project: Project, result: dict) -> None:
    from rightsgraph.bench.compare import graph_blank_key, store_blank_key, validation_keys
    from rightsgraph.core.store import load_data, load_ontology, load_shapes, load_store
    from rightsgraph.validate.validator import validate

    paths = [Path(p) for p in task["paths"]]
    shapes, ontology = load_shapes(project), load_ontology(project)
    if task["impl"] == "ours":
        data = load_store(project, paths)
        _timed_section(task, result)
        clock = time.perf_counter()
        report = validate(data, shapes, ontology, task["validator"])
        result["seconds"] = time.perf_counter() - clock
        result["engines"] = {engine: len(shapes) for engine, shapes in report.engines.items()}
        blank_key = store_blank_key(data.store)
    else:
        from rdflib import Graph

        data = load_data(project, paths)
        _timed_section(task, result)
        clock = time.perf_counter()
        report = validate(data, shapes, ontology, "pyshacl")
        result["seconds"] = time.perf_counter() - clock
        merged = Graph()
        merged += data.graph
        merged += ontology
        blank_key = graph_blank_key(merged)
    result["results"] = len(report.results)
    result["answer"] = _keys(validation_keys(report, blank_key))


def queries_stage(task: dict, project: Project, result: dict) -> None:
    from rightsgraph.bench.compare import graph_blank_key, rows_keys, store_blank_key
    from rightsgraph.core.store import load_graph, load_store
    from rightsgraph.query.catalogue import load_catalogue, run_stored
    from rightsgraph.query.engines import OxigraphEngine, RdflibEngine, RemoteEngine

    runs = int(task.get("runs", 5))
    catalogue = load_catalogue(project)
    if task["impl"] == "ours":
        data = load_store(project, [Path(task["data"])])
        engine = OxigraphEngine(data.store)
        blank_key = store_blank_key(data.store)
    elif task["impl"] == "server":
        engine = RemoteEngine(task["endpoint"], timeout=3600)  # the runner's --query-limit stops it first
        blank_key = lambda node: "_:"  # noqa: E731 - a server's blank nodes cannot be looked up
    else:
        graph = load_graph(project, [Path(task["data"])])
        engine = RdflibEngine(graph)
        blank_key = graph_blank_key(graph)
    result["queries"] = {}
    result["stuck"] = task.get("stuck", {})
    skip = set(task.get("done", {})) | set(result["stuck"])
    result["queries"].update(task.get("done", {}))
    for name, query in catalogue.items():
        if name in skip:
            continue
        result["current"], result["started"] = name, time.time()
        _save(task, result)
        times = []
        rows = None
        for _ in range(runs):
            result["started"] = time.time()  # the runner's per-query limit counts per run
            _save(task, result)
            clock = time.perf_counter()
            rows = run_stored(query, engine)
            times.append(time.perf_counter() - clock)
            if times[-1] > SLOW:
                break  # one run of a slow query is measure enough
        result["queries"][name] = {"seconds": statistics.median(times), "runs": times, "rows": len(rows.rows),
                                   "answer": _keys(rows_keys(rows, blank_key))}
        result["current"] = None
        _save(task, result)


def server_stage(task: dict, project: Project, result: dict) -> None:
    """Load the built N-Triples into an on-disk Oxigraph store with the oxigraph command (ours), or
    parse them into a plain rdflib graph (the baseline)."""
    nt = Path(task["nt"])
    _timed_section(task, result)
    clock = time.perf_counter()
    if task["impl"] == "ours":
        from rightsgraph.serve.server import oxigraph_binary

        location = Path(task["location"])
        completed = subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file", str(nt)],
                                   capture_output=True, text=True)
        if completed.returncode:
            raise RuntimeError(f"oxigraph load failed: {completed.stderr[-500:]}")
        result["peak_mib"] = peak_mib(children=True)
    else:
        from rdflib import Graph

        graph = Graph()
        graph.parse(nt, format="nt")
        result["triples"] = len(graph)
    result["seconds"] = time.perf_counter() - clock


def run_stage(task: dict, project: Project, result: dict) -> None:
    """The whole `rightsgraph run`, as a user runs it, in a child process."""
    out = Path(task["out"]) / task["impl"]
    command = [sys.executable, "-m", "rightsgraph.cli", "run", "-q", "--out", str(out), "--data", *task["paths"]]
    if task["impl"] == "ours":
        command += ["--validator", task["validator"]]
    else:
        command += ["--engine", "rdflib", "--validator", "pyshacl"]
    command += task.get("extra", [])
    _timed_section(task, result)
    clock = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, cwd=project.root)
    result["seconds"] = time.perf_counter() - clock
    result["peak_mib"] = peak_mib(children=True)
    result["exit"] = completed.returncode
    result["stderr"] = completed.stderr[-2000:]
    answers = sorted((out / "answers").glob("*.csv")) if (out / "answers").is_dir() else []
    result["answer"] = [completed.returncode, {p.name: _digest(p) for p in answers}]


STAGES = {"build": build_stage, "validate": validate_stage, "queries": queries_stage,
          "server": server_stage, "run": run_stage}


def main(argv: list[str] | None = None) -> int:
    task = json.loads(Path((argv or sys.argv[1:])[0]).read_text(encoding="utf-8"))
    project = Project(Path(task["project"]))
    result: dict[str, Any] = {"stage": task["stage"], "impl": task["impl"]}
    STAGES[task["stage"]](task, project, result)
    result["done"] = True
    _save(task, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
