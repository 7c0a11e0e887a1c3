"""rightsgraph bench"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import sys
from pathlib import Path

from rightsgraph.cli.common import add_verbosity, say
from rightsgraph.cli.validate import add_validator_option
from rightsgraph.core.errors import InputError, ValidationFailed
from rightsgraph.core.project import find_project


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench", help="measure the fast path against rdflib/pyshacl on synthetic data of growing size",
        description="Generate synthetic data in the shape of the real graph at each size (seeded, "
        "with injected violations of every shape), then time each stage - build (parse, merge, "
        "serialise), validate, every stored query (median of several runs), load into the Oxigraph "
        "server and query it, and the whole `rightsgraph run` - on the Oxigraph fast path and on the "
        "rdflib/pyshacl baseline, with peak memory. Checks at every size that both give the same "
        "answers and exits 1 if they do not. Prints a table and writes DIR/bench.json and "
        "DIR/bench.png (time against size, log-log).",
    )
    parser.add_argument("--sizes", default="10k,100k,1M",
                        help="comma-separated sizes in triples, such as 10k,100k,1M (default)")
    parser.add_argument("--report", type=Path, metavar="DIR",
                        help="run nothing: write the results page (--page) from the saved runs in DIR "
                        "(docs/benchmark/*.json, as --json writes them)")
    parser.add_argument("--page", type=Path, default=Path("docs/benchmark-results.md"), metavar="FILE",
                        help="the results page --report writes (default: docs/benchmark-results.md)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="where to write the records (default: DIR/bench.json)")
    parser.add_argument("--out", type=Path, default=Path("dist/bench"), metavar="DIR",
                        help="folder for the data, work files, JSON and plot (default: dist/bench)")
    parser.add_argument("--baseline-timeout", type=float, default=600.0, metavar="SECONDS",
                        help="stop a baseline stage after this long; its ratio is then a lower bound (default 600)")
    parser.add_argument("--runs", type=int, default=5, help="runs per stored query; the median is kept (default 5)")
    parser.add_argument("--query-limit", type=float, default=120.0, metavar="SECONDS",
                        help="stop a stored query that runs longer than this (either path) and go on "
                        "with the others; its time is then a lower bound (default 120)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic data (default 0)")
    parser.add_argument("--violations", type=float, default=0.01, metavar="SHARE",
                        help="violations injected, as a share of the claims; at least one of every shape "
                        "(default 0.01)")
    parser.add_argument("--no-baseline", action="store_true", help="time the fast path only (e.g. at 10M)")
    parser.add_argument("--no-server", action="store_true", help="skip loading into the Oxigraph server")
    add_validator_option(parser)
    add_verbosity(parser)
    parser.set_defaults(handler=handle)


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}")


def report(folder: Path, page: Path) -> int:
    """Write the results page from every saved run in the folder."""
    from rightsgraph.bench.report import results_page
    from rightsgraph.bench.runner import read_json
    from rightsgraph.core.writing import write_atomically

    saved = sorted(folder.glob("*.json"))
    if not saved:
        raise InputError(f"--report {folder}: no benchmark records (*.json) there")
    write_atomically(page, results_page([(path.name, read_json(path)) for path in saved]).encode("utf-8"))
    return 0


def handle(args: argparse.Namespace) -> int:
    from rightsgraph.bench.report import growth, plot, table, targets
    from rightsgraph.bench.runner import Run, Settings, differences, run_bench, write_json

    if args.report:
        return report(args.report, args.page)

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if not sizes:
        raise InputError("--sizes: give at least one size, such as 10k")
    if args.runs < 1:
        raise InputError("--runs must be at least 1")
    settings = Settings(find_project(), args.out.resolve(), args.baseline_timeout, runs=args.runs,
                        baseline_runs=min(args.runs, 3), seed=args.seed, violation_share=args.violations,
                        baselines=not args.no_baseline, server=not args.no_server, query_limit=args.query_limit,
                        validator=args.validator)
    records = run_bench(settings, sizes, lambda message: say(args, message))
    json_path = args.json or args.out / "bench.json"
    command = "rightsgraph bench " + " ".join(shlex.quote(a) for a in sys.argv[2:])
    write_json(Run(datetime.date.today().isoformat(), machine(), command, records), json_path)
    picture = plot(records, args.out / "bench.png")
    sys.stdout.write(f"\nMachine: {machine()}\n\n" + table(records))
    sys.stdout.write("\nGrowth of the fast path:\n" + growth(records))
    for size in dict.fromkeys(r.size for r in records):
        summary = targets(records, size)
        if summary:
            sys.stdout.write(f"\nTargets at {size}:\n" + summary)
    say(args, f"\nrecords -> {json_path}\nplot    -> {picture}")
    wrong = differences(records)
    if wrong:
        names = ", ".join(f"{r.stage} at {r.size}" for r in wrong)
        raise ValidationFailed(f"the fast path and the baseline gave different answers: {names}")
    return 0
