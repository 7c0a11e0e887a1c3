"""`rightsgraph publish`: the whole static site, from the public view of the graph.

Everything is rendered into memory first and written into a fresh folder that then replaces the
old site in one rename, so a failure leaves the old site as it was, and nothing from an earlier
publish (a resource since marked restricted, say) survives in the new one.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from rightsgraph.core.derive import converter
from rightsgraph.core.disclosure import Disclosure, disclosed_view, load_for_disclosure
from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import OA, RG, bind_prefixes
from rightsgraph.core.project import Project
from rightsgraph.core.site_paths import RDF_EXTENSIONS, SITE_IRI, Linker, locate, resource_document
from rightsgraph.core.store import load_ontology
from rightsgraph.core.turtle import read_files
from rightsgraph.publish.dataset import DATASET, DESCRIPTION, dcat_catalogue, make_dumps, void_description
from rightsgraph.publish.describe import Describer, Value, describe
from rightsgraph.publish.evidence import SourceTexts, hidden_spans, statement_index
from rightsgraph.publish.formats import FORMAT_NAMES, MEDIA_TYPES, readable_context, serialize_all
from rightsgraph.publish.labels import all_labels, name_of, short_name
from rightsgraph.publish.linked import add_links, resource_description
from rightsgraph.publish.negotiation import NEGOTIATED
from rightsgraph.publish.ontology_docs import concept_schemes, ontology_page
from rightsgraph.publish.shapes_docs import document_shapes
from rightsgraph.query.accounts import Accounts, competing_accounts

MARKER = ".rightsgraph-site"
# Whitespace inside a quote (a line break of the source file) between two CJK characters is no
# space in the text: "监控朝\n鲜难民" reads 监控朝鲜难民, and is searched as such.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
SERVED_TYPES = {**{ext: MEDIA_TYPES[ext] for ext in (*RDF_EXTENSIONS, "html", "gz")},
                "css": "text/css", "js": "application/javascript", "png": "image/png"}


@dataclass
class PublishResult:
    out: Path
    files: int
    resources: int
    triples: int


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("rightsgraph.publish", "templates"),
        autoescape=select_autoescape(["html", "htm"], default_for_string=False, default=False),
        undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True,
    )
    return env


def _html_env() -> Environment:
    env = _environment()
    env.autoescape = True  # every .html template and fragment escapes what it prints
    return env


def public_graph(project: Project, disclosure: Disclosure, data_paths: Iterable[Path] | None) -> tuple[Graph, Graph]:
    """(the full merged graph, the view of it that may be published)."""
    full, origins = load_for_disclosure(project, data_paths)
    return full, disclosed_view(full, disclosure, origins)


def load_shapes_if_any(project: Project) -> Graph:
    folder = project.shapes_dir
    if not folder.is_dir() or not any(folder.rglob("*.ttl")):
        return bind_prefixes(Graph())
    graph, _ = read_files([folder])
    return graph


def page_resources(graph: Graph) -> list[URIRef]:
    """Every IRI of ours under id/ that the graph names, as subject or object: each gets a page."""
    nodes = {t for triple in graph for t in (triple[0], triple[2]) if isinstance(t, URIRef)}
    return sorted(n for n in nodes if resource_document(n))


def _searchable(text: str) -> str:
    return " ".join(_CJK_BREAK.sub("", text).split())


def _other_scripts(text: str) -> list[str]:
    """The text in Simplified and in Traditional characters (OpenCC), where that differs from it,
    so that a query in either script finds a text written in the other."""
    forms = [converter("t2s").convert(text), converter("s2t").convert(text)]
    return [form for form in dict.fromkeys(forms) if form != text]


def _search_index(graph: Graph, resources: list[URIRef]) -> bytes:
    """Every resource by its names, and every claim by the words of its quotes, each text also in
    the other Chinese script. A script assigning one JSON document, so that search.html works from
    file:// too, where a browser will not fetch a JSON file."""
    entries = []
    for node in resources:
        kind = graph.value(node, RDF.type)
        names = sorted({_searchable(str(literal)) for _, literal in all_labels(graph, node)})
        quotes = sorted({(exact.language or "", _searchable(str(exact))) for quote in graph.objects(node, RG.quote)
                         for exact in graph.objects(quote, OA.exact) if isinstance(exact, Literal)})
        status = graph.value(node, RG.status)
        entries.append({
            "name": name_of(graph, node), "iri": str(node),
            "href": resource_document(node) + ".html",  # type: ignore[operator]
            "type": name_of(graph, kind) if kind is not None else "",
            "status": name_of(graph, status) if status is not None else "",
            "names": names + sorted({form for name in names for form in _other_scripts(name)} - set(names)),
            # Each quote: its language, the words as the source writes them, then in the other
            # script; the search page shows the source's words around what matched.
            "quotes": [[language, quote, *_other_scripts(quote)] for language, quote in quotes],
        })
    body = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    return f"window.RIGHTSGRAPH_SEARCH = {body};\n".encode()


def _vocabularies(env: Environment, ontology: Graph, link: Linker) -> str:
    schemes = []
    for scheme, concepts in concept_schemes(ontology):
        fragment = locate(scheme).fragment if locate(scheme) else None  # type: ignore[union-attr]
        rows = []
        for concept in concepts:
            location = locate(concept)
            rows.append({
                "short": short_name(ontology, concept),
                "fragment": location.fragment if location and location.document == "ontology" else None,
                "href": link.iri(concept) if location and location.document != "ontology" else None,
                "labels": [literal for _, literal in all_labels(ontology, concept)],
                "definition": ontology.value(concept, SKOS.definition),
            })
        schemes.append({"name": name_of(ontology, scheme), "short": short_name(ontology, scheme),
                        "fragment": fragment, "definition": ontology.value(scheme, SKOS.definition),
                        "concepts": rows})
    return env.get_template("vocabularies.html").render(schemes=schemes)


def interactive_view(graph: Graph, competing: Accounts | None = None) -> dict[str, bytes]:
    """The files of the interactive view (see exporting.view), or none when its front-end
    libraries are not installed: the site is complete without it, and says how to add it."""
    from rightsgraph.export.network import network_of
    from rightsgraph.export.view import to_view

    try:
        return to_view(network_of(graph, competing))
    except InputError as missing:
        logging.getLogger(__name__).warning("the interactive view is left out: %s", missing)
        return {}


def render_site(project: Project, *, base_url: str | None = None, endpoint: str | None = None,
                disclosure: Disclosure = Disclosure.PUBLIC,
                data_paths: Iterable[Path] | None = None) -> tuple[dict[str, bytes], int, int]:
    """{path in the site: bytes} for every file of the site, and the resource and triple counts."""
    full, graph = public_graph(project, disclosure, data_paths)
    ontology = load_ontology(project)
    shapes = load_shapes_if_any(project)
    sources = SourceTexts(project.sources_dir, hidden_spans(full, graph))
    add_links(graph, sources)
    evidence = statement_index(graph)
    competing = competing_accounts(project, graph)
    html = _html_env()
    plain = _environment()
    files: dict[str, bytes] = {}
    formats = [(ext, FORMAT_NAMES[ext]) for ext in RDF_EXTENSIONS]
    # The interactive view of the network, when its vendored front-end libraries are installed;
    # every page's navigation links to it.
    view_files = interactive_view(graph, competing)

    def common(path: str) -> dict:
        return {"link": Linker(path, base_url), "media_types": MEDIA_TYPES, "formats": formats,
                "has_view": bool(view_files)}

    resources = page_resources(graph)
    for node in resources:
        document = resource_document(node)
        path = f"{document}.html"
        describer = Describer(graph, Linker(path, base_url), evidence, sources, competing)
        page = describe(describer, node)
        files[path] = html.get_template("resource.html").render(page=page, title=page.title, **common(path)).encode()
        for ext, content in serialize_all(resource_description(graph, node, DATASET), RDF_EXTENSIONS).items():
            files[f"{document}.{ext}"] = content

    # The ontology: pyLODE's page, and the ontology as data.
    link = Linker("ontology.html", base_url)
    nav = html.get_template("ontology_nav.html").render(link=link, has_view=bool(view_files))
    files["ontology.html"] = ontology_page(ontology, nav, _vocabularies(html, ontology, link)).encode()
    for ext, content in serialize_all(ontology, RDF_EXTENSIONS).items():
        files[f"ontology.{ext}"] = content

    # The shapes.
    shapes_describer = Describer(bind_prefixes(graph + shapes), Linker("shapes.html", base_url), {}, sources)
    files["shapes.html"] = html.get_template("shapes.html").render(
        shapes=document_shapes(shapes, shapes_describer), title="Shapes", **common("shapes.html")).encode()
    for ext, content in serialize_all(shapes, RDF_EXTENSIONS).items():
        files[f"shapes.{ext}"] = content

    # Dumps and the descriptions of the dataset.
    dumps = make_dumps(graph)
    for dump in dumps:
        files[dump.path] = dump.content
    files["dump/context.jsonld"] = (json.dumps({"@context": readable_context()}, indent=2) + "\n").encode()
    download_base = base_url or SITE_IRI
    files[".well-known/void"] = serialize_all(void_description(graph, dumps, download_base, endpoint), ("ttl",))["ttl"]
    catalogue = serialize_all(dcat_catalogue(dumps, download_base, endpoint), ("ttl", "jsonld", "nt", "rdf"))
    for ext, content in catalogue.items():
        files[f"catalog.{ext}"] = content

    files.update({f"view/{name}": content for name, content in view_files.items()})

    # The index, the search and the server configurations.
    files["index.html"] = html.get_template("index.html").render(
        title="rightsgraph", description=DESCRIPTION, triples=len(graph), resource_count=len(resources),
        claim_count=len(set(graph.subjects(RDF.type, RG.Claim))),
        sources=_sources(graph, Linker("index.html", base_url)),
        dumps=dumps, endpoint=endpoint, by_type=_by_type(graph, resources, Linker("index.html", base_url)),
        **common("index.html"),
    ).encode()
    files["search.html"] = html.get_template("search.html").render(title="Search", **common("search.html")).encode()
    files["search-index.js"] = _search_index(graph, resources)
    files["search.js"] = plain.get_template("search.js").render().encode()
    files["style.css"] = plain.get_template("style.css").render().encode()
    types = sorted(SERVED_TYPES.items())
    files["nginx.conf"] = plain.get_template("nginx.conf").render(
        negotiated=NEGOTIATED, types=types, root="/var/www/rightsgraph").encode()
    files[".htaccess"] = plain.get_template("htaccess").render(negotiated=NEGOTIATED, types=types).encode()
    files[MARKER] = b"A site written by `rightsgraph publish`; the next publish replaces this folder whole.\n"
    return files, len(resources), len(graph)


def _sources(graph: Graph, link: Linker) -> list[dict]:
    describer = Describer(graph, link, {}, SourceTexts(Path()))
    counts = Counter(graph.objects(None, PROV.wasDerivedFrom))
    found = []
    for source in sorted(set(graph.subjects(RDF.type, RG.SourceDocument)), key=str):
        title = next((t for t in graph.objects(source, DCTERMS.title) if isinstance(t, Literal)), None)
        found.append({"link": describer.value(source), "title": title, "claims": counts.get(source, 0)})
    return found


def _by_type(graph: Graph, resources: list[URIRef], link: Linker) -> list[tuple[Value, list[Value]]]:
    describer = Describer(graph, link, {}, SourceTexts(Path()))
    members: dict[URIRef, list[URIRef]] = defaultdict(list)
    for node in resources:
        kinds = [k for k in graph.objects(node, RDF.type) if isinstance(k, URIRef)] or [RDFS.Resource]
        for kind in kinds:
            members[kind].append(node)
    ordered = sorted(members, key=lambda k: name_of(graph, k).lower())
    return [(describer.value(kind), sorted((describer.value(n) for n in members[kind]), key=lambda v: v.text.lower()))
            for kind in ordered]


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _remove_stale_staging(out: Path) -> None:
    """Remove the staging and old folders that an earlier publish into OUT left when it was killed
    (SIGKILL, power loss): those whose process, named in the folder's name, is gone. A publish
    still running keeps its own."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:staging|old)-(\d+)(?:-\w+)?")
    if not out.parent.is_dir():
        return
    for entry in out.parent.iterdir():
        found = pattern.fullmatch(entry.name)
        if found and entry.is_dir() and not _is_running(int(found.group(1))):
            shutil.rmtree(entry, ignore_errors=True)


def _replace_folder(out: Path, files: dict[str, bytes]) -> None:
    """Write the site to a fresh folder beside OUT, then swap it in. On any failure or Ctrl-C the
    staging folder is removed and the old site stays (or is put back) where it was."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise InputError(f"{out}: the folder is not empty and was not written by `rightsgraph publish`; "
                         "choose an empty or new folder with --out")
    _remove_stale_staging(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.staging-{os.getpid()}-"))
    except OSError as error:
        raise InputError(f"{out}: cannot create the output folder ({error.strerror})") from None
    old, moved = out.with_name(f".{out.name}.old-{os.getpid()}"), False
    try:
        for name, content in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        staging.chmod(0o755)
        if out.exists():
            os.replace(out, old)
            moved = True
        os.replace(staging, out)
    except BaseException as error:  # KeyboardInterrupt and SystemExit too: never leave staging behind
        shutil.rmtree(staging, ignore_errors=True)
        if moved and not out.exists():
            os.replace(old, out)
        if isinstance(error, OSError):
            raise InputError(f"{out}: cannot write the site ({error.strerror})") from None
        raise
    if moved:
        shutil.rmtree(old, ignore_errors=True)


def publish(project: Project, out: Path, *, base_url: str | None = None, endpoint: str | None = None,
            disclosure: Disclosure = Disclosure.PUBLIC, data_paths: Iterable[Path] | None = None) -> PublishResult:
    files, resources, triples = render_site(project, base_url=base_url, endpoint=endpoint,
                                            disclosure=disclosure, data_paths=data_paths)
    _replace_folder(out, files)
    return PublishResult(out, len(files), resources, triples)
