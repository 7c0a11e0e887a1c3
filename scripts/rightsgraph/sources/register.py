"""`rightsgraph source add FILE`: a new source document, named, described and copied into place.

What it writes, all or nothing (each file to a temporary name first):
- the file, copied into the sources folder under its name (core/sources.py has the rule);
- its entry, appended to data/sources.ttl in the file's hand-written style;
- data/<name>.ttl, a commented skeleton of the document's data, with one worked claim (its
  quote the first line of the text, at its offsets) to copy.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Literal, URIRef

from rightsgraph.core.errors import InputError
from rightsgraph.core.files import read_bytes
from rightsgraph.core.namespaces import RG
from rightsgraph.core.project import Project
from rightsgraph.core.sources import NAME, SourceName, decode_source, name_for, sha256_of
from rightsgraph.core.terms import bcp47_case
from rightsgraph.core.turtle import parse_turtle
from rightsgraph.core.writing import write_atomically

SOURCE_NAMESPACE = "https://w3id.org/rightsgraph/id/source/"
# A BCP 47 tag as the data writes it (en, ko, zh-Hant, pt-BR).
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# The document kinds `--kind` offers: the ontology's subclasses of rg:Document a source can be.
KINDS = {"news-article": "rg:NewsArticle", "press-release": "rg:PressRelease", "report": "rg:Report"}


@dataclass(frozen=True)
class Description:
    """What the user says of the document; all optional but the file."""

    title: str | None = None
    label: str | None = None  # a short English description, the source's rdfs:label
    publisher: str | None = None  # a resource: rgid:NAME
    issued: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    url: str | None = None
    languages: tuple[str, ...] = ()
    kind: str | None = None


@dataclass(frozen=True)
class Added:
    name: SourceName
    sha256: str
    languages: list[str]
    source_file: Path
    data_file: Path
    catalogue: Path


def _turtle_string(text: str) -> str:
    """A Turtle string literal's quoted form."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _publisher(value: str) -> str:
    local = value.removeprefix("rgid:")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", local):
        raise InputError(f"--publisher {value}: give the publisher as a resource of the graph, rgid:NAME "
                         "(lower-case words joined by hyphens; `rightsgraph find NAME` finds it)")
    return f"rgid:{local}"


def _issued(value: str) -> str:
    for pattern, datatype in ((r"\d{4}-\d{2}-\d{2}", "xsd:date"), (r"\d{4}-\d{2}", "xsd:gYearMonth"),
                              (r"\d{4}", "xsd:gYear")):
        if re.fullmatch(pattern, value):
            if datatype == "xsd:date":
                try:
                    date.fromisoformat(value)
                except ValueError:
                    break
            return f'"{value}"^^{datatype}'
    raise InputError(f"--date {value}: give the date as YYYY-MM-DD, YYYY-MM or YYYY")


def _languages(values: tuple[str, ...]) -> list[str]:
    tags = [tag.strip() for value in values for tag in value.split(",") if tag.strip()]
    for tag in tags:
        if not _LANGUAGE.match(tag):
            raise InputError(f"--lang {tag}: not a BCP 47 language tag (en, ko, zh-Hans, zh-Hant, ...)")
    return [bcp47_case(tag) for tag in tags]


def catalogue_entry(name: SourceName, sha256: str, languages: list[str], about: Description) -> str:
    """The document's entry in data/sources.ttl, written as the entries before it are."""
    kind = KINDS[about.kind] if about.kind else None
    lines = [f"src:{name.name} a rg:SourceDocument{f' , {kind}' if kind else ''} ;"]
    if about.label:
        lines.append(f"    rdfs:label {_turtle_string(about.label)}@en ;")
    else:
        lines.append("    # rdfs:label: a short English description of the document is required (validate says so).")
    if about.title:
        lines.append(f"    dcterms:title {_turtle_string(about.title)}@{languages[0]} ;")
    if about.issued:
        lines.append(f"    dcterms:issued {_issued(about.issued)} ;")
    if about.publisher:
        lines.append(f"    dcterms:publisher {_publisher(about.publisher)} ;")
    lines.append("    dcterms:language " + " , ".join(f'"{tag}"^^xsd:language' for tag in languages) + " ;")
    lines.append('    dcterms:format "text/plain" ;')
    lines.append(f'    rg:fileName "{name.file_name}" ;')
    if about.url:
        if not re.match(r"https?://[^\s<>\"{}|\\^`]+$", about.url):
            raise InputError(f"--url {about.url}: not an http(s) address")
        lines.append(f"    rdfs:seeAlso <{about.url}> ;")
    lines.append(f'    rg:sha256 "{sha256}" .')
    return "\n".join(lines) + "\n"


def _first_sentence(text: str) -> tuple[str, int, int]:
    """The first non-blank line of the text, trimmed, with its offsets: the worked claim's quote."""
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped)
            return stripped, start, start + len(stripped)
        offset += len(line)
    return "", 0, 0


def _source_labels(languages: list[str]) -> str:
    """The example's labels besides the English one: one per other language of the source
    (an English source asks for none, and a second English rdfs:label would be a violation)."""
    return "".join(f' , "(its name as the source writes it)"@{lang}' for lang in languages if lang != "en")


def skeleton(name: SourceName, languages: list[str], text: str, about: Description) -> str:
    """A commented data file for the document: where resources, claims and quotes go."""
    quote, start, end = _first_sentence(text)
    what = about.label or about.title or name.file_name
    return f"""\
# Data of source document {name.number:03d}: {what}
# (src:{name.name}, file {name.file_name} in the sources folder; see data/sources.ttl).
# Languages: {", ".join(languages)}. How to fill this file in: docs/adding-a-document.md.
#
# Part 1 gives each resource its identity only: a type, an English rdfs:label, a label in the
# language of each source that names it (the name as the source writes it), other names as
# skos:altLabel. Look a resource up first with `rightsgraph find NAME`: reuse it if it exists.
# Part 2 holds every statement, each inside a claim with the exact words of the file.
# Write oa:exact only; `rightsgraph quotes --fill` writes oa:start and oa:end.

@prefix rg:      <https://w3id.org/rightsgraph/ontology#> .
@prefix rgid:    <https://w3id.org/rightsgraph/id/> .
@prefix country: <https://w3id.org/rightsgraph/id/country/> .
@prefix crime:   <https://w3id.org/rightsgraph/id/crime/> .
@prefix claim:   <https://w3id.org/rightsgraph/id/claim/> .
@prefix src:     <https://w3id.org/rightsgraph/id/source/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

# ===========================================================================
# Part 1. Resources: identity only
# ===========================================================================
# States are country:XX (data/reference.ttl). A new resource, for example:
#
# rgid:example-agency a rg:StateAgency ;
#     rdfs:label "Example Agency"@en{_source_labels(languages)} ;
#     skos:altLabel "(another name the source gives it)"@{languages[0]} .
#
# One rdfs:label per language; every other name is a skos:altLabel. A person: rdfs:label and
# foaf:name as the source writes the name (a romanised name too). Events, figures, quotations
# and recommendations: see "Patterns" in docs/adding-a-document.md.

# ===========================================================================
# Part 2. Claims, in reading order
# ===========================================================================
# One claim per passage, numbered claim:{name.number:03d}-001, claim:{name.number:03d}-002, ...; rg:status
# says how the source puts it (rg:reported, rg:alleged, rg:planned, ...: ontology/vocabularies.ttl);
# each statement is subject, predicate, object. A worked claim, quoting the first line of the
# file (remove the leading "# " to use it, and put your own statements in):
#
# claim:{name.number:03d}-001 a rg:Claim ;
#     prov:wasDerivedFrom src:{name.name} ;
#     rg:status rg:reported ;
#     rg:quote [ oa:exact {_turtle_string(quote)}@{languages[0]} ; oa:start {start} ; oa:end {end} ] ;
#     rg:states [ rg:subject rgid:example-agency ; rg:predicate rg:basedIn ; rg:object country:KR ] .
"""


@dataclass(frozen=True)
class Registered:
    """What data/sources.ttl already holds: checksums, file names and numbers in use."""

    by_sha256: dict[str, URIRef]
    by_file_name: dict[str, URIRef]
    numbers: set[int]


def registered(project: Project) -> Registered:
    catalogue = project.data_dir / "sources.ttl"
    graph = parse_turtle(catalogue)
    by_sha256 = {str(o): s for s, o in graph.subject_objects(RG.sha256) if isinstance(o, Literal)}
    by_file_name = {str(o): s for s, o in graph.subject_objects(RG.fileName) if isinstance(o, Literal)}
    numbers = {int(m["number"]) for s in {*by_sha256.values(), *by_file_name.values()}
               if (m := NAME.fullmatch(str(s).removeprefix(SOURCE_NAMESPACE)))}
    # Data files and source files count too: a number is taken as soon as anything uses it.
    numbers |= {int(m["number"]) for p in project.data_dir.glob("*.ttl") if (m := NAME.fullmatch(p.stem))}
    if project.sources_dir.is_dir():
        numbers |= {int(p.name[:3]) for p in project.sources_dir.iterdir() if re.match(r"\d{3}_", p.name)}
    return Registered(by_sha256, by_file_name, numbers)


def add_source(project: Project, path: Path, about: Description) -> Added:
    """Register the file as a new source; refuse a file already registered or not UTF-8 text."""
    data = read_bytes(path)
    text = decode_source(path, data)
    sha256 = sha256_of(data)
    known = registered(project)
    if sha256 in known.by_sha256:
        raise InputError(f"{path}: already registered as <{known.by_sha256[sha256]}> (same SHA-256 {sha256})")
    if path.name in known.by_file_name:
        raise InputError(f"{path}: a source named {path.name} is already registered as "
                         f"<{known.by_file_name[path.name]}>")
    if about.kind and about.kind not in KINDS:
        raise InputError(f"--kind {about.kind}: choose one of {', '.join(KINDS)}")
    languages = _languages(about.languages) if about.languages else _detect(text)
    if not languages:
        raise InputError(f"{path}: no language could be detected; give it with --lang (e.g. --lang ko)")
    name = name_for(data, known.numbers)
    target = project.sources_dir / name.file_name
    data_file = project.data_dir / f"{name.name}.ttl"
    catalogue = project.data_dir / "sources.ttl"
    for existing in (target, data_file):
        if existing.exists():
            raise InputError(f"{existing}: already exists; remove it or register the file again once it is gone")
    if not project.sources_dir.is_dir():
        raise InputError(f"{project.sources_dir}: the sources folder does not exist "
                         "(create it, or set RIGHTSGRAPH_SOURCES to the folder of the source files)")
    entry = catalogue_entry(name, sha256, languages, about)
    old = catalogue.read_text(encoding="utf-8")
    new_catalogue = old.rstrip("\n") + "\n\n" + entry
    # The source file first: a catalogue entry without its file would fail validation.
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        shutil.copyfile(path, temporary)
        temporary.replace(target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InputError(f"{target}: cannot copy the file there ({error.strerror})") from None
    write_atomically(data_file, skeleton(name, languages, text, about).encode("utf-8"))
    write_atomically(catalogue, new_catalogue.encode("utf-8"))
    return Added(name, sha256, languages, target, data_file, catalogue)


def _detect(text: str) -> list[str]:
    from rightsgraph.sources.languages import detect_languages  # lingua takes seconds to load its models

    return detect_languages(text)
