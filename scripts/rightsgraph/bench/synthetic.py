"""Synthetic data in the shape and proportions of the real graph, at any size, repeatably.

The real documents (data/NNN-*.ttl) are the templates: each copy renames the resources the
document defines (rgid:x -> rgid:x-sK), its claims (claim:004-012 -> claim:NNN-00000K012) and its
source (src:NNN-<hash>), and keeps what all documents share (states, crime types, the reference
data, the ontology). A copy therefore has the same claims, quotes (Chinese and English), events,
agencies, people, victim groups and figures as its template, and the stored queries find rows in
every copy. Set 0 is the real data itself, so queries with default parameters answer as on the
real graph.

Quote offsets must be right, so each document gets a synthetic source file in which every quote
of the template sits at its offsets (the rest is filler); sources.ttl describes those files with
their SHA-256, as data/sources.ttl describes the real ones. The real source texts are not needed.

Violations of the shapes are injected into separate files (violations/<document>.ttl), so one
generated dataset serves both the validation comparison (data + violations) and the run of the
whole pipeline, which needs conforming data (data only).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from rightsgraph.bench.violations import injections
from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import OA, RG, RGID, SRC
from rightsgraph.core.project import Project
from rightsgraph.core.turtle import parse_turtle

_DOCUMENT = re.compile(r"^(?P<number>[0-9]{3})-(?P<digest>[0-9a-f]{16})\.ttl$")
_RGID = re.compile(r"\brgid:([A-Za-z0-9_][A-Za-z0-9_-]*)")
_CLAIM = re.compile(r"\bclaim:([0-9]{3})-([0-9]+)")
_SRC = re.compile(r"\bsrc:([0-9]{3})-([0-9a-f]{16})")
_FILLER = "\u3000"  # an ideographic space: never part of a quote's words
_SIZE_UNITS = {"k": 1_000, "m": 1_000_000}


def parse_size(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmM]?)\s*", text)
    if match is None:
        raise InputError(f"size {text!r}: expected a number of triples such as 10k, 100k, 1M")
    number, unit = match.groups()
    return int(float(number) * _SIZE_UNITS.get(unit.lower(), 1))


def size_label(triples: int) -> str:
    if triples >= 1_000_000 and triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}M"
    if triples >= 1_000 and triples % 1_000 == 0:
        return f"{triples // 1_000}k"
    return str(triples)


@dataclass
class Template:
    """One real document: its Turtle, its number and source, and a source text its quotes fit."""

    stem: str
    number: str
    digest: str
    text: str
    source_text: str
    source_block: str  # the Turtle describing its source, with {iri}, {file} and {sha} slots
    renamed: frozenset[str]  # rgid: local names the document defines


@dataclass
class Dataset:
    """A generated dataset: data/ (conforming), violations/ and sources/ under one folder."""

    root: Path
    target: int
    seed: int
    sets: int
    documents: list[str] = field(default_factory=list)
    claims: int = 0
    violations: int = 0
    shapes_injected: list[str] = field(default_factory=list)
    shapes_not_injected: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def violations_dir(self) -> Path:
        return self.root / "violations"

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    def save(self) -> None:
        manifest = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}
        (self.root / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def open(cls, root: Path) -> Dataset:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        manifest["root"] = root
        return cls(**manifest)


def _source_text(graph: Graph, claim_quotes: list[tuple[str, int, int]]) -> str:
    """A text in which every quote is found at its offsets; filler elsewhere."""
    length = max((end for _, _, end in claim_quotes), default=0)
    chars = [_FILLER] * (length + 1)
    for exact, start, end in claim_quotes:
        if end - start == len(exact) and start >= 0:
            chars[start:end] = list(exact)
    # Line breaks in the filler keep the file readable; a quote's own characters are untouched.
    for index in range(80, len(chars), 81):
        if chars[index] == _FILLER:
            chars[index] = "\n"
    return "".join(chars) + "\n"


def _source_block(sources: Graph, source: URIRef) -> str:
    """The catalogue entry of a source as Turtle, with slots for the copy's IRI, file and hash."""
    lines = []
    for predicate, value in sorted(sources.predicate_objects(source)):
        if predicate in (RG.fileName, RG.sha256):
            continue
        lines.append(f"    {predicate.n3()} {value.n3()}")
    lines.append(f"    {RG.fileName.n3()} \"{{file}}\"")
    lines.append(f"    {RG.sha256.n3()} \"{{sha}}\"")
    return "<{iri}>\n" + " ;\n".join(lines) + " .\n"


def load_templates(project: Project) -> tuple[list[Template], str]:
    """The real documents of data/ as templates, and the shared reference data (verbatim)."""
    data_dir = project.data_dir
    sources = parse_turtle(data_dir / "sources.ttl")
    reference = data_dir / "reference.ttl"
    reference_names = set()
    reference_text = ""
    if reference.exists():
        reference_text = reference.read_text(encoding="utf-8")
        reference_names = {str(s)[len(str(RGID)):] for s in parse_turtle(reference).subjects()
                           if isinstance(s, URIRef) and str(s).startswith(str(RGID))}
    templates = []
    for path in sorted(data_dir.glob("*.ttl")):
        match = _DOCUMENT.match(path.name)
        if match is None:
            continue
        graph = parse_turtle(path)
        quotes = [(str(graph.value(q, OA.exact)), int(graph.value(q, OA.start)), int(graph.value(q, OA.end)))
                  for q in set(graph.objects(None, RG.quote))
                  if None not in (graph.value(q, OA.exact), graph.value(q, OA.start), graph.value(q, OA.end))]
        defined = {str(s)[len(str(RGID)):] for s in graph.subjects(RDF.type, None)
                   if isinstance(s, URIRef) and str(s).startswith(str(RGID))
                   and "/" not in str(s)[len(str(RGID)):]}
        source = SRC[f"{match['number']}-{match['digest']}"]
        templates.append(Template(
            stem=path.stem, number=match["number"], digest=match["digest"],
            text=path.read_text(encoding="utf-8"), source_text=_source_text(graph, quotes),
            source_block=_source_block(sources, source),
            renamed=frozenset(defined - reference_names),
        ))
    if not templates:
        raise InputError(f"{data_dir}: no document files (NNN-<hash>.ttl) to generate data from")
    return templates, reference_text


def _copy(template: Template, set_index: int, numbers: dict[str, tuple[str, str]]) -> str:
    """The template's Turtle with its resources, claims and sources renamed for one set."""
    if set_index == 0:
        return template.text
    suffix = f"-s{set_index}"

    def rgid(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"rgid:{name}{suffix}" if name in template.renamed else match.group(0)

    def claim(match: re.Match[str]) -> str:
        number, _ = numbers.get(match.group(1), (match.group(1), ""))
        return f"claim:{number}-{set_index:06d}{match.group(2)}"

    def src(match: re.Match[str]) -> str:
        number, digest = numbers.get(match.group(1), (match.group(1), match.group(2)))
        return f"src:{number}-{digest}"

    text = _RGID.sub(rgid, template.text)
    text = _CLAIM.sub(claim, text)
    return _SRC.sub(src, text)


def _numbers(templates: list[Template], set_index: int, seed: int) -> dict[str, tuple[str, str]]:
    """Document number and hash of each template's copy in a set (set 0 keeps the real ones)."""
    if set_index == 0:
        return {t.number: (t.number, t.digest) for t in templates}
    result = {}
    for position, template in enumerate(templates):
        number = f"{(set_index * len(templates) + position) % 1000:03d}"
        digest = hashlib.sha256(f"{seed}/{set_index}/{template.stem}".encode()).hexdigest()[:16]
        result[template.number] = (number, digest)
    return result


_PREFIXES = """@prefix rg: <https://w3id.org/rightsgraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""


def _derived_triples(texts: list[str]) -> int:
    """How many triples these documents add to the built graph, derived triples included."""
    import pyoxigraph as ox

    from rightsgraph.core.derive import derive_store

    store = ox.Store()
    for text in texts:
        store.load(input=text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri="file:///generated/")
    return len(derive_store(store))


def generate(project: Project, out: Path, triples: int, seed: int = 0, violation_share: float = 0.01,
             ontology_triples: int = 0) -> Dataset:
    """Write a dataset of about `triples` triples (ontology included) under `out`; repeatable by seed.

    The count is of the files as written; the loader adds derived triples (asserted statements,
    labels in the other Chinese script, country names), which the benchmark reports separately.
    """
    from rightsgraph.core.store import load_shapes

    templates, reference_text = load_templates(project)
    set_texts = [_copy(t, 1, _numbers(templates, 1, seed)) for t in templates]
    per_set = max(1, _derived_triples(set_texts) + len(templates) * 10)  # and the catalogue entries
    sets = max(1, round((triples - ontology_triples) / per_set))
    dataset = Dataset(root=out, target=triples, seed=seed, sets=sets)
    for folder in (dataset.data_dir, dataset.violations_dir, dataset.sources_dir):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
    if reference_text:
        (dataset.data_dir / "reference.ttl").write_text(reference_text, encoding="utf-8")
    catalogue = [_PREFIXES]
    documents: list[tuple[str, str, str]] = []  # (stem, claim number prefix, source IRI)
    for set_index in range(sets):
        numbers = _numbers(templates, set_index, seed)
        for template in templates:
            number, digest = numbers[template.number]
            stem = f"{number}-{digest}"
            text = _copy(template, set_index, numbers)
            (dataset.data_dir / f"{stem}.ttl").write_text(text, encoding="utf-8")
            source_text = template.source_text
            if set_index:
                source_text += f"[synthetic copy {set_index} of {template.stem}]\n"
            file_name = f"{number}_{digest}.txt"
            (dataset.sources_dir / file_name).write_text(source_text, encoding="utf-8")
            sha = hashlib.sha256(source_text.encode("utf-8")).hexdigest()
            iri = str(SRC[stem])
            catalogue.append(template.source_block.replace("{iri}", iri).replace("{file}", file_name)
                             .replace("{sha}", sha) + "\n")
            documents.append((stem, number, iri))
            dataset.claims += text.count(" a rg:Claim")
    (dataset.data_dir / "sources.ttl").write_text("".join(catalogue), encoding="utf-8")
    dataset.documents = [stem for stem, _, _ in documents]
    _inject(dataset, documents, load_shapes(project), violation_share, random.Random(seed))
    dataset.save()
    return dataset


def _inject(dataset: Dataset, documents: list[tuple[str, str, str]], shapes: Graph,
            share: float, rng: random.Random) -> None:
    """Violations of every shape that can be broken: at least one each, else `share` of the claims."""
    recipes, skipped = injections(shapes)
    dataset.shapes_injected = sorted(str(s) for s in recipes)
    dataset.shapes_not_injected = sorted(str(s) for s in skipped)
    if not recipes:
        return
    count = max(len(recipes), round(share * dataset.claims))
    order = sorted(recipes, key=str)
    chunks: dict[str, list[str]] = {}
    for index in range(count):
        stem, number, source = documents[rng.randrange(len(documents))]
        shape = order[index % len(order)]
        ident = f"violation-{stem}-{index}"
        chunks.setdefault(stem, []).append(f"# breaks {shape}\n" + recipes[shape].format(
            id=ident, number=number, other=f"{(int(number) + 1) % 1000:03d}", source=source, index=index))
    for stem, parts in chunks.items():
        (dataset.violations_dir / f"{stem}.ttl").write_text("\n".join(parts), encoding="utf-8")
    dataset.violations = count
