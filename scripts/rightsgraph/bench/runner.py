"""`rightsgraph bench`: every stage, at every size, on the fast path and on the baseline.

For each size the synthetic dataset is generated once (bench/data/<size>/, reused while the seed
and the shapes are the same), and every stage runs on those files, each implementation in its
own process (worker.py):

- build: parse, merge (derive), serialise; ours = Oxigraph (store.load_store +
  build.files.write_build), baseline = rdflib (bench/reference.py: its parser, the same rules
  written for rdflib, its serialisers). Same answer: the bytes of rightsgraph.nt.
- validate: data plus injected violations; ours = validator.validate with the validator chosen
  (--validator, default auto: the shapes as SPARQL over Oxigraph, pyshacl for any it refuses),
  baseline = pyshacl. Same answer: the results as (focus node, shape,
  path, severity, value, constraint component).
- query:NAME: every stored query with its default parameters, median of several runs; ours =
  OxigraphEngine over the fast store, baseline = RdflibEngine. Same answer: the rows.
- server:load and server:query:NAME: the built N-Triples loaded with `oxigraph load` into an
  on-disk store and served (serving.run_oxigraph), every stored query asked over HTTP; the
  baseline for the load is parsing the same file into a plain rdflib graph. Same answer: the
  rows of the embedded store, with the datatypes Oxigraph's store changes (see core/terms.py) read
  as it stores them.
- run: the whole `rightsgraph run` in a child process (--engine rdflib for the baseline). Same
  answer: the exit code and every answers/*.csv.

A baseline that runs past its time limit is stopped; its time is then the limit, and the ratio a
lower bound. A difference in any answer is an error: the benchmark says which and exits 1.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from rightsgraph.bench.synthetic import Dataset, generate, parse_size, size_label
from rightsgraph.core.errors import InputError, ValidationFailed
from rightsgraph.core.project import Project
from rightsgraph.validate.validator import DEFAULT_VALIDATOR

Say = Callable[[str], None]
# How long a worker may take to load its input before the timed part starts (rdflib at 1M: minutes).
LOAD_ALLOWANCE = 1800.0


@dataclass
class Record:
    size: str
    triples: int
    stage: str
    ours_s: float | None
    baseline_s: float | None
    ratio: float | None
    peak_mib: float | None
    identical: bool | None
    baseline_peak_mib: float | None = None
    lower_bound: bool = False
    note: str = ""


@dataclass
class Outcome:
    seconds: float | None
    result: dict
    timed_out: bool


def run_worker(task: dict, folder: Path, timeout: float, query_limit: float | None = None) -> Outcome:
    """Run one worker; on timeout stop it (its process group) and return what it saved.

    With query_limit, a worker running stored queries is also stopped when one query has run
    longer than that; the result then names the query (`current`) and when it started.
    """
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{task['stage']}-{task['impl']}"
    task_file, result_file = folder / f"{name}.task.json", folder / f"{name}.result.json"
    result_file.unlink(missing_ok=True)
    task = {**task, "result": str(result_file)}
    task_file.write_text(json.dumps(task), encoding="utf-8")
    log = (folder / f"{name}.log").open("ab")
    process = subprocess.Popen([sys.executable, "-m", "rightsgraph.bench.worker", str(task_file)],
                               stdout=log, stderr=log, start_new_session=True)
    timed_out = False
    # The limit counts from the start of the timed part when the worker says where that is (a
    # baseline's loading is not what is timed), with a hard cap for the loading itself.
    hard_deadline = time.monotonic() + timeout + LOAD_ALLOWANCE
    stopped_at = None
    try:
        while process.poll() is None:
            current = _read(result_file)
            timed_from = current.get("timed_from")
            over = (time.time() - timed_from > timeout) if timed_from else False
            if over or time.monotonic() > hard_deadline or (query_limit and _query_overdue(current, query_limit)):
                timed_out, stopped_at = True, time.time()
                _stop(process)
                break
            time.sleep(0.5)
    finally:
        log.close()
    result = _read(result_file)
    if timed_out and result.get("timed_from"):
        result["stopped_after"] = stopped_at - result["timed_from"]
    if not timed_out and process.returncode != 0:
        tail = (folder / f"{name}.log").read_text(errors="replace")[-3000:]
        raise ValidationFailed(f"the {task['impl']} {task['stage']} stage failed:\n{tail}")
    return Outcome(result.get("seconds"), result, timed_out)


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _query_overdue(result: dict, limit: float) -> bool:
    return bool(result.get("current")) and time.time() - float(result.get("started", time.time())) > limit


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, 15)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()


def run_queries(task: dict, folder: Path, timeout: float, query_limit: float) -> Outcome:
    """Every stored query, restarting the worker past any query that runs over query_limit
    (recorded in `stuck` with the time it had run), until all are done or the stage's time is up."""
    done: dict = {}
    stuck: dict = {}
    started = time.monotonic()
    timed_out = False
    result: dict = {}
    while True:
        remaining = timeout - (time.monotonic() - started)
        if remaining <= 0:
            timed_out = True
            break
        outcome = run_worker({**task, "done": done, "stuck": stuck}, folder, remaining, query_limit)
        result = outcome.result
        done.update(result.get("queries", {}))
        if not outcome.timed_out:
            break
        current = result.get("current")
        if not current:
            timed_out = True
            break
        stuck[current] = time.time() - float(result.get("started", time.time()))
    result = {**result, "queries": done, "stuck": stuck}
    return Outcome(None, result, timed_out)


def _answer(outcome: Outcome | None) -> object:
    return outcome.result.get("answer") if outcome is not None and not outcome.timed_out else None


def _ratio(ours: float | None, baseline: float | None) -> float | None:
    if not ours or baseline is None:
        return None
    return baseline / ours


def _same(ours: object, baseline: object) -> bool | None:
    if ours is None or baseline is None:
        return None
    return ours == baseline


def _normalise_server_rows(answer: list) -> list:
    """Rows as the server holds them: blank nodes anonymous, integer-derived datatypes xsd:integer,
    language tags in lower case (RDF compares them case-insensitively; Oxigraph lower-cases them)."""
    import re

    pattern = re.compile(r"\^\^<http://www\.w3\.org/2001/XMLSchema#(nonNegativeInteger|positiveInteger|"
                         r"negativeInteger|nonPositiveInteger|long|int|short|byte|unsignedLong|unsignedInt|"
                         r"unsignedShort|unsignedByte)>")
    language = re.compile(r"@([A-Za-z0-9-]+)$")
    rows = []
    for key, count in answer:
        fixed = [None if t is None else ("_:" if t.startswith("_:") else language.sub(
                 lambda m: "@" + m.group(1).lower(), pattern.sub("^^<http://www.w3.org/2001/XMLSchema#integer>", t)))
                 for t in key]
        rows.append([fixed, count])
    return sorted(rows, key=json.dumps)


@dataclass
class Settings:
    project: Project
    out: Path
    baseline_timeout: float = 600.0
    ours_timeout: float = 3600.0
    runs: int = 5
    baseline_runs: int = 3
    seed: int = 0
    violation_share: float = 0.01
    baselines: bool = True
    server: bool = True
    query_limit: float = 120.0
    validator: str = DEFAULT_VALIDATOR  # the validator of the fast path (validate and run stages)


def dataset_for(settings: Settings, triples: int, say: Say) -> Dataset:
    from rightsgraph.core.store import load_ontology

    root = settings.out / "data" / size_label(triples)
    if (root / "manifest.json").exists():
        dataset = Dataset.open(root)
        if dataset.target == triples and dataset.seed == settings.seed:
            return dataset
    say(f"[{size_label(triples)}] generating the synthetic data")
    return generate(settings.project, root, triples, settings.seed, settings.violation_share,
                    ontology_triples=len(load_ontology(settings.project)))


def bench_size(settings: Settings, triples: int, say: Say) -> list[Record]:
    label = size_label(triples)
    dataset = dataset_for(settings, triples, say)
    work = settings.out / "work" / label
    shutil.rmtree(work, ignore_errors=True)
    base = {"project": str(settings.project.root), "data": str(dataset.data_dir)}
    records: list[Record] = []

    def pair(stage: str, task: dict) -> tuple[Outcome, Outcome | None]:
        say(f"[{label}] {stage}: fast path")
        ours = run_worker({**base, **task, "stage": stage, "impl": "ours"}, work, settings.ours_timeout)
        baseline = None
        if settings.baselines:
            say(f"[{label}] {stage}: baseline (time limit {settings.baseline_timeout:g} s)")
            baseline = run_worker({**base, **task, "stage": stage, "impl": "baseline"}, work,
                                  settings.baseline_timeout)
        return ours, baseline

    def record(stage: str, ours: Outcome, baseline: Outcome | None, identical: bool | None,
               ours_s: float | None = None, baseline_s: float | None = None, note: str = "") -> Record:
        ours_s = ours.seconds if ours_s is None else ours_s
        timed_out = baseline is not None and baseline.timed_out
        if baseline is not None and baseline_s is None:
            baseline_s = (baseline.result.get("stopped_after", settings.baseline_timeout) if timed_out
                          else baseline.seconds)
        item = Record(label, size, stage, ours_s, baseline_s, _ratio(ours_s, baseline_s),
                      ours.result.get("peak_mib"), identical,
                      baseline.result.get("peak_mib") if baseline else None, timed_out,
                      note + (" baseline stopped at the time limit: the ratio is a lower bound"
                              if timed_out else ""))
        records.append(item)
        return item

    # Build
    ours, baseline = pair("build", {"out": str(work / "dist")})
    size = int(ours.result.get("triples", 0))
    identical = _same(ours.result.get("answer"), _answer(baseline))
    record("build", ours, baseline, identical)
    for step in ("parse", "merge", "serialise"):
        b = baseline.result.get("steps", {}).get(step) if baseline and not baseline.timed_out else None
        records.append(Record(label, size, f"build:{step}", ours.result["steps"][step], b,
                              _ratio(ours.result["steps"][step], b), None, None))
    # Validate (data and injected violations)
    paths = [str(dataset.data_dir), str(dataset.violations_dir)]
    ours, baseline = pair("validate", {"paths": paths, "validator": settings.validator})
    identical = _same(ours.result.get("answer"), _answer(baseline))
    record("validate", ours, baseline, identical, note=f"{ours.result.get('results')} results")
    # Stored queries: one worker per implementation, past any query over its limit
    say(f"[{label}] queries: fast path")
    ours = run_queries({**base, "stage": "queries", "impl": "ours", "runs": settings.runs}, work,
                       settings.ours_timeout, settings.query_limit)
    baseline = None
    if settings.baselines:
        say(f"[{label}] queries: baseline (at most {settings.query_limit:g} s a query)")
        baseline = run_queries({**base, "stage": "queries", "impl": "baseline", "runs": settings.baseline_runs},
                               work, settings.baseline_timeout, settings.query_limit)
    from rightsgraph.query.catalogue import load_catalogue

    for name in load_catalogue(settings.project):
        mine = ours.result["queries"].get(name)
        other = baseline.result["queries"].get(name) if baseline else None
        ours_s = mine["seconds"] if mine else ours.result["stuck"].get(name)
        note = f"{mine['rows']} rows" if mine else f"fast path stopped after {ours_s:.0f} s"
        if other:
            base_s, bound = other["seconds"], False
        elif baseline is not None and name in baseline.result["stuck"]:
            base_s, bound = baseline.result["stuck"][name], True
        else:
            base_s, bound = None, False
            if baseline is not None:
                note += "; the baseline's time was up before this query"
        records.append(Record(label, size, f"query:{name}", ours_s, base_s,
                              None if not mine else _ratio(ours_s, base_s), None,
                              _same(mine["answer"] if mine else None, other["answer"] if other else None),
                              None, bound, note))
    # Server
    if settings.server:
        nt = work / "dist" / "ours" / "rightsgraph.nt"
        location = work / "server-store"
        ours_load, baseline_load = pair("server", {"nt": str(nt), "location": str(location)})
        record("server:load", ours_load, baseline_load, None, note="oxigraph load vs rdflib parse of rightsgraph.nt")
        records.extend(_server_queries(settings, label, size, work, location, ours.result.get("queries", {}), say))
    # The whole run (clean data)
    ours_run, baseline_run = pair("run", {"out": str(work / "run"), "paths": [str(dataset.data_dir)],
                                          "validator": settings.validator})
    identical = _same(ours_run.result.get("answer"),
                      baseline_run.result.get("answer") if baseline_run and not baseline_run.timed_out else None)
    record("run", ours_run, baseline_run, identical, note=f"exit {ours_run.result.get('exit')}")
    query_times = [r.ours_s for r in records if r.stage.startswith("query:") and r.ours_s is not None]
    if query_times:
        records.append(Record(label, size, "query-median", statistics.median(query_times), None, None, None, None))
        records.append(Record(label, size, "query-max", max(query_times), None, None, None, None))
    return records


def _server_queries(settings: Settings, label: str, size: int, work: Path, location: Path,
                    embedded: dict, say: Say) -> list[Record]:
    from rightsgraph.serve.server import free_port, run_oxigraph

    records = []
    say(f"[{label}] server: every stored query over HTTP")
    # The bench's own stored queries on loopback: measure the Oxigraph server itself, without
    # serve's gate in front, and let --query-limit (not the server's timeout) stop a query.
    with run_oxigraph(location, "127.0.0.1", free_port(), False, work / "server.log",
                      timeout=math.ceil(settings.query_limit) + 1, allow_service=True) as server:
        outcome = run_queries({"project": str(settings.project.root), "stage": "queries", "impl": "server",
                               "endpoint": server.url, "runs": settings.runs}, work, settings.ours_timeout,
                              settings.query_limit)
    for name, seconds in outcome.result.get("stuck", {}).items():
        records.append(Record(label, size, f"server:query:{name}", seconds, None, None, None, None,
                              note=f"stopped after {seconds:.0f} s (--query-limit)"))
    for name, mine in outcome.result.get("queries", {}).items():
        reference = embedded.get(name)
        same = None if reference is None else (
            _normalise_server_rows(mine["answer"]) == _normalise_server_rows(reference["answer"]))
        records.append(Record(label, size, f"server:query:{name}", mine["seconds"], None, None, None, same,
                              note=f"{mine['rows']} rows over HTTP"))
    return records


def run_bench(settings: Settings, sizes: list[str], say: Say) -> list[Record]:
    records: list[Record] = []
    for text in sizes:
        started = time.perf_counter()
        records.extend(bench_size(settings, parse_size(text), say))
        say(f"[{size_label(parse_size(text))}] done in {time.perf_counter() - started:.0f} s")
    return records


def differences(records: list[Record]) -> list[Record]:
    return [r for r in records if r.identical is False]


@dataclass
class Run:
    """A benchmark run as saved: when, on what machine, by which command, and its records."""

    date: str
    machine: str
    command: str
    records: list[Record]


def write_json(run: Run, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"date": run.date, "machine": run.machine, "command": run.command,
                "records": [asdict(r) for r in run.records]}
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read_json(path: Path) -> Run:
    """A run written by write_json, or an InputError naming the file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return Run(document["date"], document["machine"], document["command"],
                   [Record(**record) for record in document["records"]])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{path}: not a benchmark record written by `rightsgraph bench` ({error})") from None
