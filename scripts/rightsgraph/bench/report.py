"""The benchmark's table (for the terminal), its results page (docs/benchmark-results.md, written
from the saved JSON) and its log-log plot."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from rightsgraph.bench.runner import Record, Run

# Stages shown in the table, in order; every stored query is in the JSON, summarised here.
TABLE_STAGES = ("build", "build:parse", "build:merge", "build:serialise", "validate", "query-median",
                "query-max", "queries", "server:load", "server:queries", "run")
PLOTTED = ("build", "validate", "queries", "run")


def _seconds(value: float | None, lower_bound: bool = False) -> str:
    if value is None:
        return "-"
    text = f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return (">" if lower_bound else "") + text


def _summaries(records: list[Record]) -> list[Record]:
    """One line for all stored queries (their total) and one for all server queries, per size."""
    out = []
    by_size: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_size[record.size].append(record)
    for size, items in by_size.items():
        for prefix, stage in (("query:", "queries"), ("server:query:", "server:queries")):
            chosen = [r for r in items if r.stage.startswith(prefix)]
            if not chosen:
                continue
            ours = sum(r.ours_s or 0 for r in chosen)
            have_baseline = all(r.baseline_s is not None for r in chosen)
            baseline = sum(r.baseline_s or 0 for r in chosen) if have_baseline else None
            identical = None if any(r.identical is None for r in chosen) else all(r.identical for r in chosen)
            out.append(Record(size, chosen[0].triples, stage, ours, baseline,
                              baseline / ours if baseline and ours else None, None, identical,
                              lower_bound=any(r.lower_bound for r in chosen),
                              note=f"{len(chosen)} queries, sum of medians"))
    return out


def table(records: list[Record]) -> str:
    rows = [r for r in records + _summaries(records) if r.stage in TABLE_STAGES]
    order = {stage: i for i, stage in enumerate(TABLE_STAGES)}
    sizes = list(dict.fromkeys(r.size for r in records))
    rows.sort(key=lambda r: (sizes.index(r.size), order[r.stage]))
    lines = ["| size | triples | stage | ours (s) | baseline (s) | ratio | peak MiB (ours) | identical |",
             "|---|---:|---|---:|---:|---:|---:|---|"]
    for r in rows:
        ratio = "-" if r.ratio is None else ((">" if r.lower_bound else "") + f"{r.ratio:.1f}x")
        identical = {True: "yes", False: "**NO**", None: "-"}[r.identical]
        peak = "-" if r.peak_mib is None else f"{r.peak_mib:.0f}"
        lines.append(f"| {r.size} | {r.triples:,} | {r.stage} | {_seconds(r.ours_s)} | "
                     f"{_seconds(r.baseline_s, r.lower_bound)} | {ratio} | {peak} | {identical} |")
    return "\n".join(lines) + "\n"


def plot(records: list[Record], path: Path) -> Path:
    """Time against size, log-log, for the main stages: the fast path solid, the baseline dashed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = records + _summaries(records)
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    for index, stage in enumerate(PLOTTED):
        chosen = sorted((r for r in rows if r.stage == stage), key=lambda r: r.triples)
        if not chosen:
            continue
        colour = f"C{index}"
        axes.plot([r.triples for r in chosen], [r.ours_s for r in chosen], "o-", color=colour,
                  label=f"{stage}: Oxigraph fast path")
        base = [r for r in chosen if r.baseline_s is not None]
        if base:
            axes.plot([r.triples for r in base], [r.baseline_s for r in base], "s--", color=colour,
                      label=f"{stage}: rdflib / pyshacl")
            for r in base:
                if r.lower_bound:
                    axes.annotate("≥", (r.triples, r.baseline_s), textcoords="offset points", xytext=(4, 4),
                                  color=colour)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("triples in the built graph")
    axes.set_ylabel("wall time (s)")
    axes.set_title("rightsgraph bench: time against size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=7, loc="upper left")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return path


def growth(records: list[Record]) -> str:
    """Time per triple of the fast path at each size, relative to the size before (1.0 = linear)."""
    lines = []
    for stage in ("build", "validate", "queries", "run"):
        chosen = sorted((r for r in records + _summaries(records) if r.stage == stage and r.ours_s),
                        key=lambda r: r.triples)
        for before, after in pairwise(chosen):
            factor = (after.ours_s / after.triples) / (before.ours_s / before.triples)
            lines.append(f"- {stage}: time per triple at {after.size} is {factor:.2f} times that at {before.size}")
    return "\n".join(lines) + "\n" if lines else ""


def targets(records: list[Record], size: str = "1M") -> str:
    """The issue's targets at one size, as measured."""
    at = {r.stage: r for r in records + _summaries(records) if r.size == size}
    if not at:
        return ""
    out = []
    validate = at.get("validate")
    if validate and validate.ratio:
        bound = "at least " if validate.lower_bound else ""
        out.append(f"- validation {bound}{validate.ratio:.1f} times faster than pyshacl "
                   f"(identical: {validate.identical}; target 20)")
    run = at.get("run")
    if run:
        out.append(f"- whole run {run.ours_s:.1f} s, peak {run.peak_mib or 0:.0f} MiB (targets 60 s, 2048 MiB)")
    median, worst = at.get("query-median"), at.get("query-max")
    if median and worst:
        out.append(f"- stored queries: median {median.ours_s * 1000:.1f} ms, slowest {worst.ours_s * 1000:.0f} ms "
                   "(targets 20 ms, 500 ms)")
    floor = incremental_floor(at)
    if floor:
        out.append(floor)
    return "\n".join(out) + "\n"


def incremental_floor(at: dict[str, Record]) -> str:
    """Why a run after a one-document change cannot be 20 times faster than the full run: whatever
    it caches, a new process answers the stored queries over the whole changed graph, so it must
    hold that graph in a store, in memory (parsed again) or on disk (the server's store)."""
    run, parse, served, queries = (at.get(s) for s in ("run", "build:parse", "server:queries", "queries"))
    if not (run and run.ours_s and parse and queries):
        return ""
    budget = run.ours_s / 20
    disk = f", an on-disk store (the server's) answers them in {served.ours_s:.2f} s" if served else ""
    return (f"- incremental run (not built): 20 times faster than this run is {budget:.2f} s; the stored queries "
            f"alone take {queries.ours_s:.2f} s in memory, parsing the graph into memory takes "
            f"{parse.ours_s:.2f} s{disk}")


def results_page(runs: list[tuple[str, Run]]) -> str:
    """The benchmark's results as Markdown, one section per saved run (name, Run), newest first:
    the date, the machine and the command, then the table, the growth and the targets."""
    parts = ["# Benchmark results", "",
             "Generated by `rightsgraph bench --report` from the records in `docs/benchmark/`; do not edit",
             "by hand. How the benchmark works, and what the figures mean: [the benchmark](benchmark.md).", ""]
    for name, run in sorted(runs, key=lambda item: item[1].date, reverse=True):
        records = run.records
        parts += [f"## {run.date}: {', '.join(dict.fromkeys(r.size for r in records))}", "",
                  f"Machine: {run.machine}. Records: `docs/benchmark/{name}`. Command:", "",
                  "```sh", run.command, "```", "", table(records), "Growth of the fast path:", "",
                  "```", growth(records).rstrip("\n"), "```", ""]
        for size in dict.fromkeys(r.size for r in records):
            summary = targets(records, size)
            if summary:
                parts += [f"Targets at {size}:", "", "```", summary.rstrip("\n"), "```", ""]
    return "\n".join(parts).rstrip("\n") + "\n"
