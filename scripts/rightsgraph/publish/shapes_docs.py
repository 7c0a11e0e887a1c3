"""The SHACL shapes explained for contributors: what each shape applies to and demands."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from rightsgraph.core.namespaces import RGSH
from rightsgraph.publish.describe import Describer, Value
from rightsgraph.publish.labels import short_name

_TARGETS = ((SH.targetClass, "every"), (SH.targetNode, "the node"),
            (SH.targetSubjectsOf, "every subject of"), (SH.targetObjectsOf, "every object of"))
_SKIPPED = {RDF.type, SH.property, SH.path, SH.name, SH.description, RDFS.comment, RDFS.label,
            *(t for t, _ in _TARGETS)}


@dataclass
class PropertyDoc:
    path: str
    name: str | None
    constraints: list[tuple[str, list[Value]]] = field(default_factory=list)


@dataclass
class ShapeDoc:
    fragment: str
    name: str
    descriptions: list[Value]
    targets: list[tuple[str, Value]]
    constraints: list[tuple[str, list[Value]]]
    properties: list[PropertyDoc]


def _path(shapes: Graph, path: Node | None) -> str:
    """A SHACL path written as a SPARQL property path."""
    if path is None:
        return "?"
    if isinstance(path, URIRef):
        return short_name(shapes, path)
    if (path, RDF.first, None) in shapes:
        return " / ".join(_path(shapes, p) for p in Collection(shapes, path))
    for kind, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                           (SH.zeroOrOnePath, "{}?")):
        inner = shapes.value(path, kind)
        if inner is not None:
            return template.format(_path(shapes, inner))
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    return "?"


def _constraints(shapes: Graph, describer: Describer, node: Node) -> list[tuple[str, list[Value]]]:
    found = []
    for predicate in sorted(set(shapes.predicates(node)) - _SKIPPED, key=str):
        values = []
        for obj in sorted(shapes.objects(node, predicate), key=str):
            if isinstance(obj, BNode) and (obj, RDF.first, None) in shapes:
                values.extend(describer.value(item) for item in Collection(shapes, obj))
            elif isinstance(obj, BNode) and predicate == SH.sparql:
                select = shapes.value(obj, SH.select)
                message = shapes.value(obj, SH.message)
                values.append(Value(str(message or select or "a SPARQL constraint")))
            else:
                values.append(describer.value(obj))
        found.append((short_name(shapes, predicate), values))
    return found


def document_shapes(shapes: Graph, describer: Describer) -> list[ShapeDoc]:
    nodes = sorted({s for s in shapes.subjects(RDF.type, SH.NodeShape)}
                   | {s for s in shapes.subjects(RDF.type, SH.PropertyShape) if (None, SH.property, s) not in shapes},
                   key=str)
    docs = []
    for index, node in enumerate(nodes, 1):
        text = str(node)
        fragment = text[len(str(RGSH)):] if text.startswith(str(RGSH)) else f"shape-{index}"
        name = shapes.value(node, SH.name) or shapes.value(node, RDFS.label)
        descriptions = [describer.value(d) for p in (SH.description, RDFS.comment)
                        for d in sorted(shapes.objects(node, p), key=str)]
        targets = [(kind, describer.value(t)) for prop, kind in _TARGETS
                   for t in sorted(shapes.objects(node, prop), key=str)]
        properties = []
        for prop in sorted(shapes.objects(node, SH.property), key=lambda p: _path(shapes, shapes.value(p, SH.path))):
            prop_name = shapes.value(prop, SH.name)
            properties.append(PropertyDoc(_path(shapes, shapes.value(prop, SH.path)),
                                          str(prop_name) if prop_name else None,
                                          _constraints(shapes, describer, prop)))
        docs.append(ShapeDoc(fragment, str(name) if name else short_name(shapes, node), descriptions, targets,
                             _constraints(shapes, describer, node), properties))
    return docs
