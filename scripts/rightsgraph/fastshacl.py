"""SHACL shapes evaluated as SPARQL over an Oxigraph store: the fast validator.

pyshacl runs every constraint once per focus node, in Python, over rdflib; on a large graph that
is millions of small queries. Here each (shape, constraint) becomes one SPARQL query over all its
focus nodes at once, which Oxigraph answers as a join. pyshacl stays the reference: the results
are meant to be the same (focus node, shape, path, severity, value, constraint component), and
the benchmark and tests/test_fast_path.py compare the two.

What is translated, following the SHACL spec and pyshacl's reading of it where they differ:
targets (sh:targetClass with rdfs:subClassOf*, sh:targetSubjectsOf, sh:targetObjectsOf,
sh:targetNode, SPARQL-based targets), property paths (predicate, sequence, alternative, inverse,
zero-or-more, one-or-more, zero-or-one), and the components sh:class, sh:datatype, sh:nodeKind,
sh:minCount, sh:maxCount, sh:pattern, sh:minLength, sh:maxLength, sh:languageIn (pyshacl's
matching: the whole tag or its first subtag), sh:uniqueLang, sh:in, sh:hasValue,
sh:min/maxIn/Exclusive, sh:lessThan, sh:lessThanOrEquals, sh:equals, sh:disjoint, sh:not, sh:or,
sh:and, sh:xone, sh:node (over shapes made of these value tests), sh:qualifiedValueShape with
sh:qualifiedMin/MaxCount, and SPARQL-based constraints ($this pre-bound by a join with the focus
nodes, as pyshacl pre-binds it). A shape using anything else raises Unsupported, and the caller
falls back to pyshacl.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from .oxstore import PRIVATE, XSD_STRING, to_oxigraph
from .sparql_rewrite import Unsupported, rewrite_not_exists

_STRUCTURAL = {SH.property, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
               SH.targetNode, SH.name, SH.description, SH.message, SH.severity, SH.path, SH.deactivated,
               SH.order, SH.group, SH.defaultValue, SH.qualifiedMinCount, SH.qualifiedMaxCount,
               SH.qualifiedValueShapesDisjoint, SH.flags, SH.declare, SH.prefixes}
_TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"


@dataclass(frozen=True)
class RawResult:
    """One result as pyshacl would report it, with store terms for the data."""

    focus: object
    shape: Node
    path: Node | None  # the sh:path node of the shapes graph (property shapes, or a SPARQL ?path)
    value: object | None
    severity: URIRef
    component: URIRef
    messages: tuple[str, ...]
    source_constraint: Node | None = None


def _sparql_term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return str(to_oxigraph(node))  # as the store holds it: N-Triples, which SPARQL reads
    raise Unsupported(f"a blank node {node} as a constraint value")


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _has_datatype(var: str, datatype: Node) -> str:
    """The value's datatype is this one, whether the store holds the value as it is or privately."""
    text = str(datatype)
    test = f"sameTerm(DATATYPE({var}), <{text}>)"
    if text.startswith(str(XSD)) and text != XSD_STRING.value:
        test += f" || sameTerm(DATATYPE({var}), <{PRIVATE}{text[len(str(XSD)):]}>)"
    return f"({test})"


def _numeric(var: str) -> str:
    """A value as the comparisons see it: a literal held privately is typed again with its own
    datatype, which the store reads as a value (oxstore.changed_by_store)."""
    return (f'IF(isLiteral({var}) && STRSTARTS(STR(DATATYPE({var})), "{PRIVATE}"), '
            f'STRDT(STR({var}), IRI(CONCAT("{XSD}", STRAFTER(STR(DATATYPE({var})), "{PRIVATE}")))), {var})')


@dataclass
class _Context:
    shapes: Graph
    prefixes_cache: dict = field(default_factory=dict)

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def value(self, subject: Node, prop: URIRef) -> Node | None:
        return self.shapes.value(subject, prop)

    def path(self, node: Node) -> str:
        """A SHACL path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return f"<{node}>"
        alternative = self.value(node, SH.alternativePath)
        if alternative is not None:
            return "(" + "|".join(self.path(p) for p in self.items(alternative)) + ")"
        for prop, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = self.value(node, prop)
            if inner is not None:
                return f"({self.path(inner)}){suffix}"
        inverse = self.value(node, SH.inversePath)
        if inverse is not None:
            return f"^({self.path(inverse)})"
        if self.value(node, RDF.first) is not None:
            return "(" + "/".join(self.path(p) for p in self.items(node)) + ")"
        raise Unsupported(f"the path {node}")

    def prefixes(self, constraint: Node) -> str:
        lines = []
        for holder in self.shapes.objects(constraint, SH.prefixes):
            if holder not in self.prefixes_cache:
                declared = []
                for declaration in self.shapes.objects(holder, SH.declare):
                    prefix = self.value(declaration, SH.prefix)
                    namespace = self.value(declaration, SH.namespace)
                    if prefix is not None and namespace is not None:
                        declared.append(f"PREFIX {prefix}: <{namespace}>\n")
                self.prefixes_cache[holder] = "".join(sorted(declared))
            lines.append(self.prefixes_cache[holder])
        return "".join(lines)


# ---------------------------------------------------------------------------
# Value tests: a SPARQL expression that is true when a node conforms
# ---------------------------------------------------------------------------


def _lang_in(languages: list[str], var: str) -> str:
    wanted = ", ".join(_string(x.lower()) for x in languages)
    if "*" in languages:
        return f'(isLiteral({var}) && lang({var}) != "")'
    return (f'(isLiteral({var}) && lang({var}) != "" && (LCASE(lang({var})) IN ({wanted}) || '
            f'LCASE(STRBEFORE(CONCAT(lang({var}), "-"), "-")) IN ({wanted})))')


def _node_kind(kind: Node, var: str) -> str:
    tests = {
        SH.IRI: f"isIRI({var})", SH.BlankNode: f"isBlank({var})", SH.Literal: f"isLiteral({var})",
        SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
        SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
        SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
    }
    if kind not in tests:
        raise Unsupported(f"sh:nodeKind {kind}")
    return tests[kind]


def _compare(var: str, bound: Node, operator: str) -> str:
    return f"COALESCE({_numeric(var)} {operator} {_sparql_term(bound)}, false)"


def _value_tests(ctx: _Context, shape: Node, var: str) -> Iterator[tuple[URIRef, str, Node]]:
    """(component, test that holds when the value conforms, parameter) for each value constraint."""
    shapes = ctx.shapes
    for cls in shapes.objects(shape, SH["class"]):
        yield SH.ClassConstraintComponent, f"EXISTS {{ {var} {_TYPE_PATH} {_sparql_term(cls)} }}", cls
    for datatype in shapes.objects(shape, SH.datatype):
        yield (SH.DatatypeConstraintComponent,
               f"(isLiteral({var}) && {_has_datatype(var, datatype)})", datatype)
    for kind in shapes.objects(shape, SH.nodeKind):
        yield SH.NodeKindConstraintComponent, _node_kind(kind, var), kind
    for pattern in shapes.objects(shape, SH.pattern):
        flags = shapes.value(shape, SH.flags)
        arguments = f"STR({var}), {_string(str(pattern))}" + (f", {_string(str(flags))}" if flags else "")
        yield SH.PatternConstraintComponent, f"(!isBlank({var}) && REGEX({arguments}))", pattern
    for length in shapes.objects(shape, SH.minLength):
        test = "true" if int(length) == 0 else f"(!isBlank({var}) && STRLEN(STR({var})) >= {int(length)})"
        yield SH.MinLengthConstraintComponent, test, length
    for length in shapes.objects(shape, SH.maxLength):
        yield SH.MaxLengthConstraintComponent, f"(!isBlank({var}) && STRLEN(STR({var})) <= {int(length)})", length
    for languages in shapes.objects(shape, SH.languageIn):
        yield SH.LanguageInConstraintComponent, _lang_in([str(x) for x in ctx.items(languages)], var), languages
    for allowed in shapes.objects(shape, SH["in"]):
        members = [_sparql_term(x) for x in ctx.items(allowed)]
        test = "(" + " || ".join(f"sameTerm({var}, {m})" for m in members) + ")" if members else "false"
        yield SH.InConstraintComponent, test, allowed
    for prop, component, operator in ((SH.minInclusive, SH.MinInclusiveConstraintComponent, ">="),
                                      (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, "<="),
                                      (SH.minExclusive, SH.MinExclusiveConstraintComponent, ">"),
                                      (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, "<")):
        for bound in shapes.objects(shape, prop):
            yield component, f"(!isBlank({var}) && {_compare(var, bound, operator)})", bound
    for negated in shapes.objects(shape, SH["not"]):
        yield SH.NotConstraintComponent, f"!({conforms(ctx, negated, var)})", negated
    for members in shapes.objects(shape, SH["or"]):
        tests = [conforms(ctx, m, var) for m in ctx.items(members)]
        yield SH.OrConstraintComponent, "(" + " || ".join(tests or ["false"]) + ")", members
    for members in shapes.objects(shape, SH["and"]):
        tests = [conforms(ctx, m, var) for m in ctx.items(members)]
        yield SH.AndConstraintComponent, "(" + " && ".join(tests or ["true"]) + ")", members
    for members in shapes.objects(shape, SH.xone):
        tests = [f"IF({conforms(ctx, m, var)}, 1, 0)" for m in ctx.items(members)]
        yield SH.XoneConstraintComponent, "((" + " + ".join(tests or ["0"]) + ") = 1)", members
    for inner in shapes.objects(shape, SH.node):
        yield SH.NodeConstraintComponent, conforms(ctx, inner, var), inner
    for value in shapes.objects(shape, SH.hasValue):
        if shapes.value(shape, SH.path) is None:
            yield SH.HasValueConstraintComponent, f"sameTerm({var}, {_sparql_term(value)})", value


_VALUE_PROPERTIES = {SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH.minLength, SH.maxLength,
                     SH.languageIn, SH["in"], SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
                     SH["not"], SH["or"], SH["and"], SH.xone, SH.node, SH.hasValue}


def conforms(ctx: _Context, shape: Node, var: str) -> str:
    """An expression true when the node in `var` conforms to an inner shape (sh:not, sh:or, ...)."""
    own = {p for p in ctx.shapes.predicates(shape) if str(p).startswith(str(SH))} - {
        SH.name, SH.description, SH.message, SH.severity}
    if own - _VALUE_PROPERTIES or ctx.shapes.value(shape, SH.path) is not None:
        raise Unsupported(f"an inner shape with {sorted(str(p) for p in own - _VALUE_PROPERTIES)} or a path")
    tests = [test for _, test, _ in _value_tests(ctx, shape, var)]
    return "(" + " && ".join(tests) + ")" if tests else "true"


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------


@dataclass
class CompiledQuery:
    shape: Node
    component: URIRef
    text: str
    value_var: str | None  # which projected variable is sh:value (None: no value)
    sparql_constraint: Node | None = None


def _targets(ctx: _Context, shape: Node) -> list[str]:
    """SPARQL groups binding ?this to the focus nodes of a shape (its own targets and its parents')."""
    shapes = ctx.shapes
    groups: list[str] = []
    holders = [shape, *shapes.subjects(SH.property, shape)]
    for holder in holders:
        for cls in shapes.objects(holder, SH.targetClass):
            groups.append(f"?this {_TYPE_PATH} {_sparql_term(cls)} .")
        if (holder, RDF.type, SH.NodeShape) in shapes and (
                (holder, RDF.type, RDFS.Class) in shapes
                or (holder, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in shapes):
            groups.append(f"?this {_TYPE_PATH} {_sparql_term(holder)} .")
        for prop in shapes.objects(holder, SH.targetSubjectsOf):
            groups.append(f"?this {_sparql_term(prop)} ?anyTargetValue .")
        for prop in shapes.objects(holder, SH.targetObjectsOf):
            groups.append(f"?anyTargetSubject {_sparql_term(prop)} ?this .")
        for node in shapes.objects(holder, SH.targetNode):
            groups.append(f"VALUES ?this {{ {_sparql_term(node)} }}")
        for target in shapes.objects(holder, SH.target):
            select = shapes.value(target, SH.select)
            if select is None:
                raise Unsupported(f"the target {target} of {holder}")
            groups.append(f"{{ {_strip_prologue(str(select))} }}")
    return groups


def _strip_prologue(select: str) -> str:
    return select.replace("$this", "?this").strip()


def _focus(ctx: _Context, shape: Node) -> str | None:
    groups = _targets(ctx, shape)
    if not groups:
        return None
    union = " UNION ".join(f"{{ {g} }}" for g in groups)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def _prefix_block(ctx: _Context, shape: Node) -> str:
    lines = {ctx.prefixes(c) for c in ctx.shapes.objects(shape, SH.sparql)}
    for holder in (shape, *ctx.shapes.subjects(SH.property, shape)):
        for target in ctx.shapes.objects(holder, SH.target):
            lines.add(ctx.prefixes(target))
    return "".join(sorted(lines))


def _inject_focus(select: str, focus: str) -> str:
    """The constraint's query with the focus nodes joined in first: $this pre-bound, as pyshacl does."""
    text = select.replace("$this", "?this")
    upper = text.upper()
    start = upper.find("WHERE")
    brace = text.find("{", start if start >= 0 else 0)
    if brace < 0:
        raise Unsupported("a SPARQL constraint without a WHERE clause")
    return text[: brace + 1] + f" {focus} " + text[brace + 1:]


def compile_shape(ctx: _Context, shape: Node) -> list[CompiledQuery]:
    shapes = ctx.shapes
    if shapes.value(shape, SH.deactivated) == Literal(True):
        return []
    focus = _focus(ctx, shape)
    if focus is None:
        return []
    own = {p for p in shapes.predicates(shape) if str(p).startswith(str(SH))}
    unknown = own - _STRUCTURAL - _VALUE_PROPERTIES - {
        SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint,
        SH.qualifiedValueShape, SH.sparql, SH.closed, SH.ignoredProperties}
    if unknown or SH.closed in own:
        raise Unsupported(f"{shape} uses {sorted(str(u) for u in unknown | (own & {SH.closed}))}")
    path_node = shapes.value(shape, SH.path)
    queries: list[CompiledQuery] = []
    prologue = _prefix_block(ctx, shape)
    values = (f"{focus} BIND(?this AS ?value)" if path_node is None
              else f"{focus} ?this {ctx.path(path_node)} ?value .")
    for component, test, _ in _value_tests(ctx, shape, "?value"):
        if component == SH.HasValueConstraintComponent:
            continue
        queries.append(CompiledQuery(shape, component, prologue +
                                     f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER(!({test})) }}", "value"))
    if path_node is not None:
        path = ctx.path(path_node)
        for value in shapes.objects(shape, SH.hasValue):
            queries.append(CompiledQuery(shape, SH.HasValueConstraintComponent, prologue +
                           f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} "
                           f"{_sparql_term(value)} }} }}", None))
        for count in shapes.objects(shape, SH.minCount):
            number = int(count)
            if number == 1:
                text = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?value }} }}"
            elif number > 1:
                text = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {number})")
            else:
                continue
            queries.append(CompiledQuery(shape, SH.MinCountConstraintComponent, prologue + text, None))
        for count in shapes.objects(shape, SH.maxCount):
            queries.append(CompiledQuery(shape, SH.MaxCountConstraintComponent, prologue +
                           f"SELECT ?this WHERE {{ {focus} ?this {path} ?value }} "
                           f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(count)})", None))
        if shapes.value(shape, SH.uniqueLang) == Literal(True):
            queries.append(CompiledQuery(shape, SH.UniqueLangConstraintComponent, prologue +
                           f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?value , ?other . "
                           f'FILTER(!sameTerm(?value, ?other) && isLiteral(?value) && lang(?value) != "" '
                           f"&& LCASE(lang(?value)) = LCASE(lang(?other))) }}", None))
        for qualified in shapes.objects(shape, SH.qualifiedValueShape):
            if shapes.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            test = conforms(ctx, qualified, "?value")
            counted = (f"SELECT ?this (COUNT(DISTINCT ?good) AS ?n) WHERE {{ {focus} OPTIONAL {{ "
                       f"?this {path} ?value . FILTER({test}) BIND(?value AS ?good) }} }} GROUP BY ?this")
            for bound, component, operator in (
                    (shapes.value(shape, SH.qualifiedMinCount), SH.QualifiedMinCountConstraintComponent, "<"),
                    (shapes.value(shape, SH.qualifiedMaxCount), SH.QualifiedMaxCountConstraintComponent, ">")):
                if bound is not None:
                    text = f"SELECT ?this WHERE {{ {{ {counted} }} FILTER(?n {operator} {int(bound)}) }}"
                    queries.append(CompiledQuery(shape, component, prologue + text, None))
    pairs = ((SH.lessThan, SH.LessThanConstraintComponent, "!COALESCE({v} < {o}, false)"),
             (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, "!COALESCE({v} <= {o}, false)"))
    for prop, component, condition in pairs:
        for other in shapes.objects(shape, prop):
            test = condition.format(v=_numeric("?value"), o=_numeric("?other"))
            queries.append(CompiledQuery(shape, component, prologue +
                           f"SELECT DISTINCT ?this ?value WHERE {{ {values} ?this {_sparql_term(other)} ?other . "
                           f"FILTER({test}) }}", "value"))
    for other in shapes.objects(shape, SH.equals):
        # Values on either side that the other side lacks; pyshacl reports each as sh:value.
        queries.append(CompiledQuery(shape, SH.EqualsConstraintComponent, prologue +
                       f"SELECT DISTINCT ?this ?value WHERE {{ {{ {values} FILTER NOT EXISTS {{ ?this "
                       f"{_sparql_term(other)} ?value }} }} UNION {{ {focus} ?this {_sparql_term(other)} ?value . "
                       f"FILTER NOT EXISTS {{ {values.replace(focus, '')} }} }} }}", "value"))
    for other in shapes.objects(shape, SH.disjoint):
        queries.append(CompiledQuery(shape, SH.DisjointConstraintComponent, prologue +
                       f"SELECT DISTINCT ?this ?value WHERE {{ {values} ?this {_sparql_term(other)} ?value }}",
                       "value"))
    for constraint in shapes.objects(shape, SH.sparql):
        if shapes.value(constraint, SH.deactivated) == Literal(True):
            continue
        select = shapes.value(constraint, SH.select)
        if select is None:
            raise Unsupported(f"the SPARQL constraint {constraint} has no sh:select")
        text = str(select)
        if "$PATH" in text:
            if path_node is None:
                raise Unsupported("$PATH in a node shape")
            text = text.replace("$PATH", ctx.path(path_node))
        if "$currentShape" in text or "$shapesGraph" in text:
            raise Unsupported("$currentShape / $shapesGraph")
        text = ctx.prefixes(constraint) + rewrite_not_exists(_inject_focus(text, focus))
        queries.append(CompiledQuery(shape, SH.SPARQLConstraintComponent, text, "sparql", constraint))
    return queries


def all_shapes(shapes: Graph) -> list[Node]:
    """Every shape that can have focus nodes: typed as a shape, with targets, a path, or sh:property of one."""
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    for prop in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target,
                 SH.property, SH.path):
        found.update(shapes.subjects(prop, None))
    found.update(shapes.objects(None, SH.property))
    return sorted(found, key=str)


@dataclass
class CompiledShapes:
    shapes: Graph
    queries: list[CompiledQuery]


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Every (shape, constraint) as a SPARQL query; Unsupported if any cannot be translated."""
    ctx = _Context(shapes)
    queries: list[CompiledQuery] = []
    for shape in all_shapes(shapes):
        queries.extend(compile_shape(ctx, shape))
    return CompiledShapes(shapes, queries)


def _severity(shapes: Graph, shape: Node) -> URIRef:
    severity = shapes.value(shape, SH.severity)
    return severity if isinstance(severity, URIRef) else SH.Violation


def _format(message: str, bindings: dict[str, object]) -> str:
    for name, value in bindings.items():
        if value is None:
            continue
        text = value.value if hasattr(value, "value") else str(value)
        message = message.replace("{?" + name + "}", text).replace("{$" + name + "}", text)
    return message


def evaluate(store: ox.Store, compiled: CompiledShapes) -> list[RawResult]:
    """Run every compiled query over the store and collect the results as pyshacl would."""
    shapes = compiled.shapes
    results: list[RawResult] = []
    for query in compiled.queries:
        shape = query.shape
        severity = _severity(shapes, shape)
        shape_messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
        is_property = shapes.value(shape, SH.path) is not None
        solutions = store.query(query.text)
        variables = [v.value for v in solutions.variables]
        seen: set = set()
        for solution in solutions:
            row = {name: solution[name] for name in variables}
            focus = row.get("this")
            if query.value_var == "sparql":
                path_value = row.pop("path", None)
                value = row.pop("value", None)
                this = row.pop("this", None)
                key = (this, path_value, value, tuple(sorted((k, str(v)) for k, v in row.items())))
                if key in seen or (path_value is None and value is None and this is None):
                    continue
                seen.add(key)
                if value is None and not is_property:
                    value = focus
                path = _path_from_store(path_value) if path_value is not None else (
                    shapes.value(shape, SH.path) if is_property else None)
                constraint_messages = [m for m in shapes.objects(query.sparql_constraint, SH.message)
                                       if isinstance(m, Literal)]
                bindings = {"this": this, "path": path_value, "value": value, **row}
                texts = [_format(str(m), bindings) for m in constraint_messages
                         if m not in shape_messages] + [_format(str(m), bindings) for m in shape_messages]
                results.append(RawResult(this or focus, shape, path, value, severity, query.component,
                                         tuple(texts), query.sparql_constraint))
                continue
            value = row.get(query.value_var) if query.value_var else None
            path = shapes.value(shape, SH.path) if is_property else None
            texts = tuple(str(m) for m in shape_messages) or (_generic(query.component),)
            results.append(RawResult(focus, shape, path, value, severity, query.component, texts))
    return results


def _path_from_store(term: object) -> Node | None:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    return None


def _generic(component: URIRef) -> str:
    return f"The value does not satisfy {str(component).rsplit('#', 1)[-1]}"


def shapes_supported(shapes: Graph) -> bool:
    try:
        compile_shapes(shapes)
    except Unsupported:
        return False
    return True


def focus_terms(results: Iterable[RawResult]) -> set:
    return {r.focus for r in results}
