"""The W3C SHACL test suite, run on both validators: `rightsgraph validate --conformance`.

Every sht:Validate entry of the suite's tests/core and tests/sparql manifests is run through
plain.validate_plain and report.format_turtle, the functions behind `rightsgraph validate
--plain --format turtle`, once per validator (--validator sparql, --validator pyshacl), and with
--third-opinion also through Apache Jena's `shacl validate` (validate/jena.py). The
report is compared with the expected one as SHACL's test suite intends: the sh:result entries as
a multiset of (focus node, path, value, source shape, constraint component, severity), and
sh:conforms. Blank nodes (a property shape written inline, a complex path, a blank focus node)
are matched by graph isomorphism of the two result sets, each with the triples that describe
its blank nodes. Messages and sh:detail are not compared. An sht:Failure entry expects a
refusal: the command's exit 2.

Outcomes, as EARL writes them (one earl:Assertion per test and validator):
- passed (earl:passed): the expected report, or the refusal an sht:Failure entry expects;
- refused (earl:inapplicable): the validator refused the shapes (exit 2) where the suite expects
  a report. A refusal says "this validator does not evaluate this feature", which is what EARL's
  inapplicable means ("the test does not apply to the subject"); it is not a wrong answer;
- wrong (earl:failed): another report, a report where a refusal was expected, or an error.

The suite is read where it is (../shared/w3c-shacl-test-suite beside the checkout, or
$RIGHTSGRAPH_SHACL_SUITE), never copied. Known wrong answers of each validator, with the reason,
are listed in scripts/rightsgraph/validate/shacl-known-failures.yaml; any other wrong answer makes the run fail.
"""

from __future__ import annotations

import datetime
import itertools
import os
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, SH
from rdflib.term import Node

from rightsgraph.core.errors import EXIT_INVALID, EXIT_OK, InputError, RightsgraphError
from rightsgraph.core.project import find_project
from rightsgraph.core.turtle import graph_of_quads, parse_quads, quiet_rdflib, read_text

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
EARL = Namespace("http://www.w3.org/ns/earl#")
DOAP = Namespace("http://usefulinc.com/ns/doap#")
SUITE_ENV = "RIGHTSGRAPH_SHACL_SUITE"
ENGINES = ("sparql", "pyshacl")
THIRD_OPINION = "jena"  # not one of ours: run beside them, to say which reading is right where they differ
SECTIONS = ("core", "sparql")
# What a result is compared on (SHACL 3.6.2); messages and sh:detail are not compared.
RESULT_KEYS = (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraintComponent,
               SH.resultSeverity)
OUTCOMES = {"passed": EARL.passed, "refused": EARL.inapplicable, "wrong": EARL.failed}
ASSERTORS = {"sparql": "rightsgraph's SHACL-to-SPARQL translation over Oxigraph (--validator sparql)",
             "pyshacl": "pySHACL, as rightsgraph runs it (--validator pyshacl)",
             "jena": "Apache Jena's SHACL validator 4.5 (Debian's libapache-jena-java), as its shacl command runs"}


@dataclass(frozen=True)
class Case:
    name: str  # core/node/hasValue-001
    label: str
    data: Path
    shapes: Path
    expected: Graph | None  # the expected report with what describes its blank nodes; None: sht:Failure


@dataclass(frozen=True)
class Outcome:
    case: Case
    engine: str
    outcome: str  # passed, refused, wrong
    detail: str = ""


def default_suite() -> Path:
    configured = os.environ.get(SUITE_ENV)
    if configured:
        return Path(configured)
    return find_project().root.parent / "shared" / "w3c-shacl-test-suite"


def report_graph(turtle: str) -> Graph:
    """A report written as Turtle, its terms exactly as written (rdflib's parser would read a
    value written `01` as "1", and Jena writes integers so)."""
    return graph_of_quads(ox.parse(input=turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE))


def _parse(path: Path) -> Graph:
    """A file of the suite, terms as written; its ill-typed literals are test data, not faults."""
    return graph_of_quads(parse_quads(path, read_text(path)))


def _file(uri: Node, manifest: Path) -> Path:
    text = str(uri)
    if not text.startswith("file://"):
        raise InputError(f"{manifest}: {text} is not a file of the suite")
    return Path(text[len("file://"):])


def cases(suite: Path) -> list[Case]:
    """Every sht:Validate entry of the core and SPARQL manifests, in manifest order."""
    tests = suite / "tests"
    if not (tests / "manifest.ttl").is_file():
        raise InputError(f"{suite}: not the W3C SHACL test suite (no tests/manifest.ttl); set {SUITE_ENV} "
                         "or pass --suite")
    found: list[Case] = []
    todo = [tests / section / "manifest.ttl" for section in SECTIONS]
    while todo:
        manifest = todo.pop(0)
        graph = _parse(manifest)
        for (_, _, included) in sorted(graph.triples((None, MF.include, None))):
            todo.append(_file(included, manifest))
        for (_, _, entries) in graph.triples((None, MF.entries, None)):
            for entry in Collection(graph, entries):
                if (entry, RDF.type, SHT.Validate) in graph:
                    found.append(_case(graph, entry, manifest, tests))
    return found


def _case(graph: Graph, entry: Node, manifest: Path, tests: Path) -> Case:
    action = graph.value(entry, MF.action)
    data = _file(graph.value(action, SHT.dataGraph), manifest)
    shapes = _file(graph.value(action, SHT.shapesGraph), manifest)
    result = graph.value(entry, MF.result)
    name = str(manifest.parent.relative_to(tests) / str(entry).rsplit("/", 1)[-1])
    expected = None if result == SHT.Failure else _comparable(graph, result)
    return Case(name, str(graph.value(entry, rdflib.RDFS.label) or name), data, shapes, expected)


def _normal(term: Node) -> Node:
    """Language tags compared case-insensitively, as RDF 1.1 says they are."""
    if isinstance(term, Literal) and term.language:
        return Literal(str(term), lang=term.language.lower())
    return term


def _unfold(graph: Graph, node: Node, out: Graph, fresh: Iterator[int], inside: tuple[Node, ...] = ()) -> Node:
    """`node` as a tree in `out`: each blank node a new copy wherever it occurs, so that a path
    written with a shared blank node (`( _:p _:p )`) equals the same path written out twice."""
    if not isinstance(node, BNode):
        return _normal(node)
    copy = BNode(f"b{next(fresh)}")
    if node in inside:  # a cycle: stop unfolding here
        return copy
    for prop, value in sorted(graph.predicate_objects(node)):
        out.add((copy, prop, _unfold(graph, value, out, fresh, (*inside, node))))
    return copy


def _comparable(graph: Graph, report: Node) -> Graph:
    """The report's conformance and results, each result with its own copy of the triples that
    describe the blank nodes it names (a report may share one path node among results, or not)."""
    out = Graph()
    fresh = itertools.count()
    out.add((BNode("report"), SH.conforms, Literal(graph.value(report, SH.conforms) == Literal(True))))
    for result in graph.objects(report, SH.result):
        own = BNode(f"b{next(fresh)}")
        out.add((BNode("report"), SH.result, own))
        for key in RESULT_KEYS:
            for value in graph.objects(result, key):
                out.add((own, key, _unfold(graph, value, out, fresh)))
    return out


def _bare(comparable: Graph) -> Graph:
    """A comparable report without what describes its blank nodes: each blank node then matches
    any blank node in the same place. For Jena, whose report names a blank node (a focus node, an
    inline shape) without the triples that would tell which node of the test it is."""
    results = set(comparable.objects(BNode("report"), SH.result))
    bare = Graph()
    for triple in comparable:
        if triple[0] == BNode("report") or triple[0] in results:
            bare.add(triple)
    return bare


def run_case(case: Case, engine: str) -> Outcome:
    """One test on one validator, through the functions behind `validate --plain --format turtle`."""
    from rightsgraph.validate.jena import jena_report
    from rightsgraph.validate.plain import validate_plain
    from rightsgraph.validate.report import format_turtle

    try:
        if engine == THIRD_OPINION:
            turtle = jena_report(case.data, case.shapes)
        else:
            turtle = format_turtle(validate_plain([case.data], [case.shapes], engine))
        actual = report_graph(turtle)
    except RightsgraphError as refusal:
        if case.expected is None:
            return Outcome(case, engine, "passed", str(refusal))
        return Outcome(case, engine, "refused", str(refusal))
    except Exception as error:  # the runner reports every test; an error is a wrong answer
        return Outcome(case, engine, "wrong", f"error: {type(error).__name__}: {error}")
    if case.expected is None:
        return Outcome(case, engine, "wrong", "gave a report where the suite expects a failure")
    (report,) = actual.subjects(RDF.type, SH.ValidationReport)
    got, expected = _comparable(actual, report), case.expected
    if engine == THIRD_OPINION:
        got, expected = _bare(got), _bare(expected)
    if isomorphic(got, expected):
        return Outcome(case, engine, "passed")
    expected_count = len(list(case.expected.objects(BNode("report"), SH.result)))
    got_count = len(list(got.objects(BNode("report"), SH.result)))
    return Outcome(case, engine, "wrong", f"{got_count} results where {expected_count} were expected")


def _drop(record: object) -> bool:
    return False


def run_suite(suite: Path, engines: tuple[str, ...] = ENGINES) -> list[Outcome]:
    """Every test on every validator; pyshacl's warnings about the suite's odd shapes silenced.
    Jena's tests run two at a time: each is a Java process of its own, mostly starting up."""
    import logging
    from concurrent.futures import ThreadPoolExecutor

    # pyshacl.validate makes its logger anew on every call (level, handler), so a filter, which
    # it keeps, is what silences it.
    logger = logging.getLogger("pyshacl-validate")
    logger.addFilter(_drop)
    try:
        with quiet_rdflib(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # rdflib and pyshacl on the suite's deliberately odd input
            found = cases(suite)
            outcomes: list[Outcome] = []
            for engine in engines:
                if engine == THIRD_OPINION:
                    from rightsgraph.validate.jena import JenaUnavailable, missing

                    if reason := missing():
                        raise JenaUnavailable(f"--third-opinion: {reason}")
                    with ThreadPoolExecutor(max_workers=2) as pool:
                        outcomes += pool.map(run_case, found, itertools.repeat(engine))
                else:
                    outcomes += [run_case(case, engine) for case in found]
            return outcomes
    finally:
        logger.removeFilter(_drop)


def load_known_failures(path: Path) -> dict[str, dict[str, str]]:
    """{engine: {test name: reason}} from scripts/rightsgraph/validate/shacl-known-failures.yaml."""
    import yaml

    if not path.is_file():
        return {}
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {engine: dict(document.get(engine) or {}) for engine in (*ENGINES, THIRD_OPINION)}


def table(outcomes: list[Outcome]) -> str:
    lines = [f"{'validator':<10} {'tests':>5} {'passed':>7} {'refused':>8} {'wrong':>6}"]
    for engine in dict.fromkeys(o.engine for o in outcomes):
        mine = [o for o in outcomes if o.engine == engine]
        counts = {kind: sum(o.outcome == kind for o in mine) for kind in OUTCOMES}
        lines.append(f"{engine:<10} {len(mine):>5} {counts['passed']:>7} {counts['refused']:>8} {counts['wrong']:>6}")
    return "\n".join(lines) + "\n"


def earl(outcomes: list[Outcome], engine: str) -> Graph:
    """An EARL report of one validator, one earl:Assertion per test, as implementations publish
    their results for this suite (tests named urn:x-shacl-test:/core/node/hasValue-001)."""
    graph = Graph()
    graph.bind("earl", EARL)
    graph.bind("doap", DOAP)
    graph.bind("dct", DCTERMS)
    subject = URIRef(f"https://w3id.org/rightsgraph/validator/{engine}")
    graph.add((subject, RDF.type, EARL.Software))
    graph.add((subject, RDF.type, DOAP.Project))
    graph.add((subject, DOAP.name, Literal(ASSERTORS[engine])))
    today = Literal(datetime.date.today())
    for outcome in (o for o in outcomes if o.engine == engine):
        assertion, result = BNode(), BNode()
        graph.add((assertion, RDF.type, EARL.Assertion))
        graph.add((assertion, EARL.assertedBy, subject))
        graph.add((assertion, EARL.subject, subject))
        graph.add((assertion, EARL.test, URIRef(f"urn:x-shacl-test:/{outcome.case.name}")))
        graph.add((assertion, EARL.mode, EARL.automatic))
        graph.add((assertion, EARL.result, result))
        graph.add((result, RDF.type, EARL.TestResult))
        graph.add((result, EARL.outcome, OUTCOMES[outcome.outcome]))
        graph.add((result, DCTERMS.date, today))
        if outcome.detail:
            graph.add((result, EARL.info, Literal(outcome.detail)))
    return graph


def unexpected(outcomes: list[Outcome], known: dict[str, dict[str, str]]) -> list[Outcome]:
    """Wrong answers not listed as known failures of their validator."""
    return [o for o in outcomes if o.outcome == "wrong" and o.case.name not in known.get(o.engine, {})]


def main(suite: Path | None, earl_dir: Path | None, quiet: bool = False, third_opinion: bool = False) -> int:
    """`rightsgraph validate --conformance`: the table, the EARL reports, exit 1 on a new wrong answer."""
    from rightsgraph.core.writing import atomic_outputs

    suite = suite or default_suite()
    engines = (*ENGINES, THIRD_OPINION) if third_opinion else ENGINES
    outcomes = run_suite(suite, engines)
    known = load_known_failures(Path(__file__).with_name("shacl-known-failures.yaml"))
    out = earl_dir or Path("dist") / "conformance"
    with atomic_outputs(out) as pending:
        for engine in engines:
            pending[f"earl-{engine}.ttl"] = earl(outcomes, engine).serialize(format="turtle").encode("utf-8")
    sys.stdout.write(table(outcomes))
    for outcome in outcomes:
        if outcome.outcome != "passed" and not quiet:
            note = " (known)" if outcome.case.name in known.get(outcome.engine, {}) else ""
            sys.stdout.write(f"  {outcome.engine:<8} {outcome.outcome:<8} {outcome.case.name}{note}: "
                             f"{outcome.detail.splitlines()[0] if outcome.detail else ''}\n")
    new = unexpected(outcomes, known)
    if new:
        print(f"{len(new)} wrong answers not listed in shacl-known-failures.yaml (beside conformance.py)",
              file=sys.stderr)
    return EXIT_INVALID if new else EXIT_OK
