"""The interactive view: one page, the Cytoscape.js data, and Cytoscape.js itself, vendored.

The front-end libraries come from the npm registry through scripts/rightsgraph/export/view/package.json
and its package-lock.json (`npm ci --prefix scripts/rightsgraph/export/view`, run by
scripts/bootstrap.sh); the page never loads anything from another site. The data is a script
(graph.js) rather than JSON fetched at run time, so the page also works opened as a file.

The page opens on one resource and its neighbourhood (START, or #resource=IRI in the URL), not on
the whole network, which no one can read. Edges that only non-factual claims state (planned,
under consideration, recommended, alleged, attributed: Network.unasserted) are drawn dashed.
Claim ids link to their pages on the published site, which publish places beside the view
(view/index.html and id/claim/....html): the links are relative, as the site's own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Literal, URIRef

from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import CRIME
from rightsgraph.core.site_paths import Linker, locate
from rightsgraph.export.cytoscape import cytoscape_data
from rightsgraph.export.network import Network, NetworkEdge, Statement, local_name, prefixed
from rightsgraph.export.properties import edge_properties
from rightsgraph.export.style import KIND_COLOURS

ASSETS = Path(__file__).resolve().parent / "view"
VENDORED = {"vendor/cytoscape.min.js": "node_modules/cytoscape/dist/cytoscape.min.js"}
STATIC = ("view.js", "view.css")
# Where the view opens: the crime type at the heart of the press release (forced repatriation by
# China and Russia), or, in a graph without it, the first source document.
START = CRIME["forced-repatriation"]
# The view's place in the published site (publish writes it under view/), for relative links.
SITE_PAGE = "view/index.html"


def site_link(iri: Any) -> str:
    """The relative link from the published view to the IRI's page on the site, or ''."""
    location = locate(iri) if isinstance(iri, URIRef) else None
    return Linker(SITE_PAGE).file(location.file(), location.fragment) if location else ""


def _label(network: Network, term: Any) -> str:
    if isinstance(term, URIRef):
        node = network.nodes.get(term)
        return node.label("en") if node else network.term_label(term)
    if isinstance(term, Literal) and term.language:
        return f"{term} ({term.language})"
    return str(term)


def _statement(network: Network, statement: Statement) -> dict[str, Any]:
    evidence = statement.evidence
    return {
        "subject": str(statement.subject), "subjectLabel": _label(network, statement.subject),
        "predicate": str(statement.predicate), "predicateLabel": network.term_label(statement.predicate),
        "object": str(statement.value), "objectLabel": _label(network, statement.value),
        "objectIsNode": statement.value in network.nodes,
        "claim": str(evidence.claim), "claimLabel": prefixed(evidence.claim),
        "claimHref": site_link(evidence.claim),
        "source": str(evidence.source or ""),
        "sourceLabel": _label(network, evidence.source) if evidence.source else "",
        "status": local_name(evidence.status) if evidence.status else "",
        "quotes": [{"text": q.text, "lang": q.language} for q in evidence.quotes],
    }


def _unasserted(network: Network, index: int, edge: NetworkEdge) -> dict[str, Any]:
    """An edge that only non-factual claims state, as a Cytoscape.js element of class unasserted."""
    record = {name: values if name in ("claims", "sources", "statuses", "quotes", "quote_languages")
              else values[0] for name, values in edge_properties(network, edge).items()}
    return {"data": {**record, "id": f"u{index}", "source": str(edge.source), "target": str(edge.target)},
            "classes": "unasserted"}


def view_data(network: Network) -> dict[str, Any]:
    crime_types = sorted({e.target for e in network.edges if local_name(e.predicate) == "crimeType"})
    elements = cytoscape_data(network)["elements"]
    elements["edges"] += [_unasserted(network, i, e) for i, e in enumerate(network.unasserted)]
    start = START if START in network.nodes else (network.sources or list(network.nodes) or [""])[0]
    return {
        "elements": elements,
        "start": str(start),
        "pages": {str(iri): site_link(iri) for iri in network.nodes},
        "claimPages": {str(e.claim): site_link(e.claim)
                       for edge in [*network.edges, *network.unasserted] for e in edge.evidence},
        "statements": {str(iri): [_statement(network, s) for s in node.statements]
                       for iri, node in network.nodes.items()},
        "documents": [{"id": str(s), "label": _label(network, s)} for s in network.sources],
        "crimeTypes": [{"id": str(c), "label": _label(network, c)} for c in crime_types],
        "colours": KIND_COLOURS,
    }


def vendored_files(assets: Path = ASSETS) -> dict[str, bytes]:
    files = {}
    for target, source in VENDORED.items():
        path = assets / source
        if not path.is_file():
            raise InputError(f"{path} is missing: install the view's front-end libraries with "
                             f"`npm ci --prefix {assets}` (scripts/bootstrap.sh does this)")
        files[target] = path.read_bytes()
    return files


def to_view(network: Network, assets: Path = ASSETS) -> dict[str, bytes]:
    """The files of the view, by name relative to its folder."""
    environment = Environment(loader=FileSystemLoader(assets), autoescape=select_autoescape(["html"]))
    page = environment.get_template("index.html").render(
        nodes=len(network.nodes), edges=len(network.edges), vendored=list(VENDORED))
    # "</" is escaped so that no value can close the script element.
    data = json.dumps(view_data(network), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    files = {"index.html": page.encode("utf-8"),
             "graph.js": ("window.RIGHTSGRAPH = " + data + ";\n").encode("utf-8")}
    files.update({name: (assets / name).read_bytes() for name in STATIC})
    files.update(vendored_files(assets))
    return files


def summary(network: Network) -> str:
    return (f"{len(network.nodes)} nodes, {len(network.edges)} edges, and {len(network.unasserted)} "
            "statements that only non-factual claims make, drawn dashed")
