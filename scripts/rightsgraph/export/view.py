"""The interactive view: one page, the Cytoscape.js data, and Cytoscape.js itself, vendored.

The front-end libraries come from the npm registry through scripts/rightsgraph/export/view/package.json
and its package-lock.json (`npm ci --prefix scripts/rightsgraph/export/view`, run by
scripts/bootstrap.sh); the page never loads anything from another site. The data is a script
(graph.js) rather than JSON fetched at run time, so the page also works opened as a file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Literal, URIRef

from rightsgraph.core.errors import InputError
from rightsgraph.export.cytoscape import cytoscape_data
from rightsgraph.export.network import Network, Statement, local_name, prefixed
from rightsgraph.export.style import KIND_COLOURS

ASSETS = Path(__file__).resolve().parent / "view"
VENDORED = {"vendor/cytoscape.min.js": "node_modules/cytoscape/dist/cytoscape.min.js"}
STATIC = ("view.js", "view.css")


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
        "source": str(evidence.source or ""),
        "sourceLabel": _label(network, evidence.source) if evidence.source else "",
        "status": local_name(evidence.status) if evidence.status else "",
        "quotes": [{"text": q.text, "lang": q.language} for q in evidence.quotes],
    }


def view_data(network: Network) -> dict[str, Any]:
    crime_types = sorted({e.target for e in network.edges if local_name(e.predicate) == "crimeType"})
    return {
        "elements": cytoscape_data(network)["elements"],
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
