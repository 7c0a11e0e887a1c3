"""The stored queries in queries/ and ad-hoc ones: their headers, parameters and the binding of
parameter values.

A stored query starts with comment lines in this form (see queries/README.md):

    # Which states practise, or cooperate in, the forced repatriation of North Korean refugees?
    #
    # Parameters:
    #   ?crime  crime  default=forced-repatriation  the crime type to ask about
    #
    # Each row: a state, the crime pattern, the source document and the exact quote.

Parameter values are turned into RDF terms of the declared type here, and never pasted into the
query text: engines bind them (see query/engines.py).

An ad-hoc query (`query --file`, `query --text`) is any SPARQL SELECT query: its header is
optional (it gives the query parameters, as above), and the project's prefixes it does not declare
are added, on one line before it. A syntax error is one line: where the query came from, the line
and column as the user wrote them (the added line is not counted), and what the parser expected.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pycountry
import pyoxigraph as ox
from rdflib import XSD, Literal, URIRef
from rdflib.namespace import FOAF, RDFS, SKOS
from rdflib.term import Identifier

from rightsgraph.core.errors import InputError
from rightsgraph.core.names import SUGGEST_SCORE, rank
from rightsgraph.core.namespaces import COUNTRY, CRIME, PREFIXES, RGID
from rightsgraph.core.project import Project
from rightsgraph.core.results import Rows
from rightsgraph.core.terms import is_valid_iri
from rightsgraph.query.engines import Engine, QuerySyntaxError

_PARAM_LINE = re.compile(r"^\?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)"
                         r"(?:\s+(?P<flag>required|default=\S+))?\s*(?P<description>.*)$")
_IRI = re.compile(r'^[a-z][a-z0-9+.-]*:[^\x00-\x20<>"{}|^`\\]*$', re.IGNORECASE)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$")
_DATE = {
    XSD.date: re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"),
    XSD.gYearMonth: re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    XSD.gYear: re.compile(r"^\d{4}$"),
}


def _country(value: str) -> Identifier:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code) or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError("an ISO 3166-1 alpha-2 country code such as CN, KP or KR")
    return COUNTRY[code]


def _crime(value: str) -> Identifier:
    if not _SLUG.match(value):
        raise ValueError("a crime type such as forced-repatriation or enforced-disappearance")
    return CRIME[value]


def _iri(value: str) -> Identifier:
    if not _IRI.match(value) or not is_valid_iri(value):
        raise ValueError("an absolute IRI without spaces or any of <>\"{}|^`\\")
    return URIRef(value)


def _resource(value: str) -> Identifier:
    if _SLUG.match(value):
        return RGID[value]
    if value.startswith(("http://", "https://")):
        return _iri(value)
    raise ValueError("a resource name such as knpa, or a full http(s) IRI")


def _integer(value: str) -> Identifier:
    if not re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
        raise ValueError("a whole number")
    return Literal(int(value), datatype=XSD.integer)


def _date(value: str) -> Identifier:
    for datatype, pattern in _DATE.items():
        if pattern.match(value):
            return Literal(value, datatype=datatype)
    raise ValueError("a date as YYYY-MM-DD, YYYY-MM or YYYY")


def _lang(value: str) -> Identifier:
    if not _LANG.match(value):
        raise ValueError("a language tag such as en, zh-Hans or ko")
    return Literal(value)


def _string(value: str) -> Identifier:
    return Literal(value)


PARAMETER_TYPES = {
    "country": _country,
    "crime": _crime,
    "resource": _resource,
    "iri": _iri,
    "string": _string,
    "integer": _integer,
    "date": _date,
    "lang": _lang,
}


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    default: str | None
    description: str


@dataclass(frozen=True)
class StoredQuery:
    name: str
    path: Path | None  # None for a query given with --text
    text: str
    question: str
    row: str
    parameters: tuple[Parameter, ...]
    # Lines added before the text as written (the project's prefixes, for ad-hoc queries).
    added_lines: int = 0

    @property
    def origin(self) -> str:
        return str(self.path) if self.path is not None else "--text"

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    @property
    def is_check(self) -> bool:
        """Checks are named *-violation: any row they return is a problem in the data."""
        return self.name.endswith("-violation")


def parse_header(path: Path | str, text: str, required: bool = True) -> tuple[str, str, tuple[Parameter, ...]]:
    """The question, the row description and the parameters from the leading comment block
    (which an ad-hoc query, not `required` to, may leave out)."""
    lines: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[1:].strip())
    sections: dict[str, list[str]] = {"question": [], "parameters": [], "row": []}
    current = "question"
    for line in lines:
        lowered = line.lower()
        if lowered.startswith("parameters:"):
            current = "parameters"
            continue
        if lowered.startswith("each row:"):
            current = "row"
            line = line[len("each row:"):].strip()
        if line:
            sections[current].append(line)
    if not sections["question"] and required:
        raise InputError(f"{path}:1: a stored query must start with a comment giving its question")
    parameters = []
    for line in sections["parameters"]:
        match = _PARAM_LINE.match(line)
        if match is None or match["type"] not in PARAMETER_TYPES:
            raise InputError(f"{path}: cannot read the parameter line '{line}' "
                             f"(expected: ?name TYPE [required|default=VALUE] description; "
                             f"types: {', '.join(PARAMETER_TYPES)})")
        flag = match["flag"] or ""
        parameters.append(Parameter(
            name=match["name"], type=match["type"], required=flag == "required",
            default=flag.removeprefix("default=") if flag.startswith("default=") else None,
            description=match["description"].strip(),
        ))
    return " ".join(sections["question"]), " ".join(sections["row"]), tuple(parameters)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # a byte-order mark, if any, dropped
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({error})") from None


def read_query(path: Path) -> StoredQuery:
    text = _read_text(path)
    question, row, parameters = parse_header(path, text)
    query = StoredQuery(path.stem, path, text, question, row, parameters)
    check_syntax(query)
    return query


_DECLARED_PREFIX = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
# The query form after the prologue: comments, PREFIX and BASE declarations.
_FORM = re.compile(r"(?:\s+|#[^\n]*(?:\n|$)|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
                   r"(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|WITH|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b",
                   re.IGNORECASE)
_UPDATE = ("INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY")


def adhoc_query(text: str, path: Path | None = None) -> StoredQuery:
    """Any SPARQL SELECT query, with the project's prefixes it does not declare added before it
    and its syntax checked."""
    question, row, parameters = parse_header(path or "--text", text, required=False)
    declared = {name or "" for name in _DECLARED_PREFIX.findall(text)}
    missing = [f"PREFIX {prefix}: <{namespace}>" for prefix, namespace in PREFIXES.items() if prefix not in declared]
    # One line, so that the user's line numbers are off by exactly one.
    prologue = " ".join(missing) + "\n" if missing else ""
    query = StoredQuery(path.stem if path else "query", path, prologue + text, question, row, parameters,
                        added_lines=prologue.count("\n"))
    check_syntax(query)
    return query


def read_adhoc(path: Path) -> StoredQuery:
    return adhoc_query(_read_text(path), path)


def check_syntax(query: StoredQuery) -> None:
    """Refuse a query that is not a SELECT query or does not parse, in one line with its origin,
    line and column. Oxigraph parses (its messages give the exact place); on an empty store, and
    a SELECT query's solutions are not read, so nothing is evaluated (no SERVICE call is made)."""
    form = _FORM.match(query.text)
    if form is not None and form[1].upper() != "SELECT":
        kind = "an update" if form[1].upper() in _UPDATE else f"a {form[1].upper()} query"
        raise InputError(f"{query.origin}: {kind}; only SELECT queries can be run (their answers are tables)")
    try:
        solutions = ox.Store().query(query.text)
    except SyntaxError as error:
        raise syntax_error(query, QuerySyntaxError.from_oxigraph(str(error), query.text)) from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise InputError(f"{query.origin}: only SELECT queries can be run (their answers are tables)")


def syntax_error(query: StoredQuery, error: QuerySyntaxError) -> InputError:
    """The error at the place the user wrote it: the added prologue line is not theirs."""
    if error.line is None:
        return InputError(f"{query.origin}: SPARQL syntax error: {error.message}")
    line = max(error.line - query.added_lines, 1)
    return InputError(f"{query.origin}:{line}:{error.column}: SPARQL syntax error: {error.message}")


def load_catalogue(project: Project) -> dict[str, StoredQuery]:
    """Every stored query, by name (the file name without .rq), checks included."""
    paths = sorted(project.queries_dir.rglob("*.rq"))
    return {path.stem: read_query(path) for path in paths}


def get_query(project: Project, name: str) -> StoredQuery:
    catalogue = load_catalogue(project)
    if name in catalogue:
        return catalogue[name]
    close = difflib.get_close_matches(name, catalogue, n=3, cutoff=0.4)
    hint = f"; did you mean {' or '.join(close)}?" if close else "; `rightsgraph queries` lists them"
    raise InputError(f"unknown query '{name}'{hint}")


def parse_assignments(assignments: list[str] | None) -> dict[str, str]:
    """KEY=VALUE strings from --param into a dict; a malformed one is an InputError."""
    values: dict[str, str] = {}
    for assignment in assignments or []:
        key, sep, value = assignment.partition("=")
        key = key.strip().lstrip("?")
        if not sep or not key:
            raise InputError(f"--param '{assignment}': expected KEY=VALUE")
        if key in values:
            raise InputError(f"--param {key} is given twice")
        values[key] = value
    return values


def bind_parameters(query: StoredQuery, values: dict[str, str]) -> dict[str, Identifier]:
    """Typed RDF terms for the query's parameters: given values, else defaults."""
    unknown = [key for key in values if query.parameter(key) is None]
    if unknown:
        known = ", ".join(p.name for p in query.parameters) or "none"
        raise InputError(f"query '{query.name}' has no parameter {', '.join(unknown)} "
                         f"(its parameters: {known})")
    bindings: dict[str, Identifier] = {}
    for parameter in query.parameters:
        raw = values.get(parameter.name, parameter.default)
        if raw is None:
            if parameter.required:
                raise InputError(f"query '{query.name}' needs --param {parameter.name}=... "
                                 f"({parameter.type}: {parameter.description})")
            continue
        try:
            bindings[parameter.name] = PARAMETER_TYPES[parameter.type](raw)
        except ValueError as error:
            raise InputError(f"--param {parameter.name}={raw!r}: expected {error}") from None
    return bindings


# Every name a resource of the data goes by, for suggestions: labels, other names, people's names.
_NAMES = f"""SELECT ?resource ?name WHERE {{
  ?resource <{RDFS.label}>|<{SKOS.altLabel}>|<{FOAF.name}> ?name .
  FILTER(isIRI(?resource) && STRSTARTS(STR(?resource), "{RGID}"))
}}"""


def check_resources(query: StoredQuery, engine: Engine, bindings: dict[str, Identifier]) -> None:
    """A resource parameter must name a resource of the graph: an empty answer to a misspelt name
    would read as "none". The error suggests the closest names."""
    for parameter in query.parameters:
        value = bindings.get(parameter.name)
        if parameter.type != "resource" or not isinstance(value, URIRef):
            continue
        if len(engine.select("SELECT ?p WHERE { ?r ?p ?o } LIMIT 1", {"r": value})):
            continue
        names = [(row[0], str(row[1])) for row in engine.select(_NAMES).rows]
        local = str(value).removeprefix(str(RGID))
        names += [(owner, str(owner).removeprefix(str(RGID))) for owner in {owner for owner, _ in names}]
        closest = rank(local, names, limit=5, min_score=SUGGEST_SCORE)
        hint = "; closest: " + ", ".join(f"{str(m.key).removeprefix(str(RGID))} ({m.name})" for m in closest) \
            if closest else ""
        raise InputError(f"--param {parameter.name}={local}: no resource <{value}> in the graph{hint} "
                         "(`rightsgraph find NAME` looks a resource up by any of its names)")


def run_stored(query: StoredQuery, engine: Engine, values: dict[str, str] | None = None) -> Rows:
    """Run a stored query with its parameters bound: the runner behind every command."""
    bindings = bind_parameters(query, values or {})
    check_resources(query, engine, bindings)
    try:
        return engine.select(query.text, bindings)
    except QuerySyntaxError as error:
        # Bindings are a VALUES block added to the text: the engine's place is not the user's.
        raise syntax_error(query, error if not bindings else QuerySyntaxError(None, None, error.message)) from None
