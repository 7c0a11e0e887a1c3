"""SHACL shapes evaluated as SPARQL over an Oxigraph store: the fast validator.

pyshacl runs every constraint once per focus node, in Python, over rdflib; on a large graph that
is millions of small queries. Here each (shape, constraint) becomes one SPARQL query over all its
focus nodes at once, which Oxigraph answers as a join. The results are SHACL's: the W3C test suite
(rightsgraph.validate.conformance) checks them, and tests/run/test_fast_path.py compares them with pyshacl's.

A shape with targets (a "root") is translated whole, with every shape it reaches through
sh:property, or refused whole: compile_shapes records why in `refused`, naming the shape and the
feature, and validator.validate runs refused roots on pyshacl (--validator auto) or refuses the
shapes (--validator sparql). What is translated, following the SHACL spec:

- targets: sh:targetClass (with rdfs:subClassOf*), implicit class targets, sh:targetSubjectsOf,
  sh:targetObjectsOf, sh:targetNode, SPARQL-based targets (their PREFIX lines hoisted);
- paths: predicate, sequence, alternative, inverse, zero-or-more, one-or-more, zero-or-one; a path
  node that is none of these, or several at once, is refused;
- nested sh:property (on node shapes and property shapes: the value nodes are the focus nodes of
  the nested shape), sh:deactivated;
- the Core components but sh:closed on property shapes; sh:node, sh:not, sh:and, sh:or, sh:xone
  and sh:qualifiedValueShape over shapes made of value tests and simple property constraints;
- SPARQL-based constraints with $this pre-bound as SHACL 5.2.1 defines it (see _prebind), the
  query forms the spec excludes refused.

Literals: a store may hold literals under a private datatype (terms.PRIVATE + the XSD name), so
that Oxigraph keeps them as the data writes them; `private` names which XSD datatypes a store
encodes that way. Value tests decode them (_value), constants are encoded the same way (_term).
SPARQL-based constraints see the store as it is: where that could change their answer (a private
literal the query compares or asks the datatype of), they are refused (_observes_private).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Collection as Container
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from rightsgraph.core.sparql import Unsupported, closing_brace, rewrite_not_exists
from rightsgraph.core.terms import PRIVATE, to_oxigraph

_TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
# Properties of a shape that are not constraints (or are read together with one).
_STRUCTURAL = {SH.property, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
               SH.targetNode, SH.name, SH.description, SH.message, SH.severity, SH.path, SH.deactivated,
               SH.order, SH.group, SH.defaultValue, SH.qualifiedMinCount, SH.qualifiedMaxCount,
               SH.qualifiedValueShapesDisjoint, SH.flags, SH.declare, SH.prefixes, SH.ignoredProperties}
_VALUE_PROPERTIES = {SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.minLength, SH.maxLength,
                     SH.languageIn, SH["in"], SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
                     SH["not"], SH["or"], SH["and"], SH.xone, SH.node, SH.hasValue}
_PAIR_PROPERTIES = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals, SH.equals,
                    SH.disjoint, SH.qualifiedValueShape, SH.sparql, SH.closed}
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
_PATH_FORMS = (SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath, SH.inversePath)

# Lexical forms of the XSD datatypes sh:datatype checks (XML Schema 1.1 Part 2); a literal whose
# form does not match is ill-typed and fails sh:datatype. Dates and times are also cast, which
# rejects impossible days ("2025-02-30"). Other XSD datatypes are refused.
_TZ = r"(Z|[+-][0-9]{2}:[0-9]{2})?"
_LEXICAL = {
    "string": None,
    "boolean": r"^(true|false|1|0)$",
    "decimal": r"^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$",
    "integer": r"^[+-]?[0-9]+$",
    "double": r"^([+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$",
    "float": r"^([+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$",
    "date": r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}" + _TZ + "$",
    "dateTime": r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?" + _TZ + "$",
    "dateTimeStamp": r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$",
    "time": r"^[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?" + _TZ + "$",
    "gYear": r"^-?[0-9]{4,}" + _TZ + "$",
    "gYearMonth": r"^-?[0-9]{4,}-(0[1-9]|1[0-2])" + _TZ + "$",
    "language": r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$",
}
_CAST = {"date": "date", "dateTime": "dateTime", "dateTimeStamp": "dateTime", "time": "time",
         "gYear": "gYear", "gYearMonth": "gYearMonth"}
_INTEGER_RANGES = {
    "nonNegativeInteger": (0, None), "positiveInteger": (1, None), "negativeInteger": (None, -1),
    "nonPositiveInteger": (None, 0), "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1),
    "short": (-2**15, 2**15 - 1), "byte": (-128, 127), "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1), "unsignedByte": (0, 255),
}


@dataclass(frozen=True)
class RawResult:
    """One result, with store terms for the data."""

    focus: object
    shape: Node
    path: Node | None  # the sh:path node of the shapes graph, or a property a SPARQL query gave
    value: object | None
    severity: URIRef
    component: URIRef
    messages: tuple[str, ...]
    source_constraint: Node | None = None


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


@dataclass
class _Context:
    shapes: Graph
    private: Container[str] = frozenset()
    # The properties that have a literal under a private datatype as a value (asked only when a
    # SPARQL constraint reads literal values; see _observes_private).
    private_properties: Callable[[], set[str]] = lambda: set()
    nesting: list[Node] = field(default_factory=list)  # the shapes conforms() is inside of
    prefixes_cache: dict = field(default_factory=dict)
    counter: Iterator[int] = field(default_factory=itertools.count)

    def fresh(self, name: str) -> str:
        return f"?{name}_{next(self.counter)}"

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def value(self, subject: Node, prop: URIRef) -> Node | None:
        return self.shapes.value(subject, prop)

    def is_on(self, shape: Node) -> bool:
        return self.value(shape, SH.deactivated) != Literal(True)

    def term(self, node: Node) -> str:
        """A constant as the store holds it: a literal the store would change, under the private
        datatype, as store.load_files stores it."""
        if isinstance(node, Literal) and node.datatype is not None and not node.language:
            return str(to_oxigraph(node))  # N-Triples, which SPARQL reads
        return _term(node)

    def path(self, node: Node) -> str:
        """A SHACL path as a SPARQL property path; an ill-formed path node is refused."""
        if isinstance(node, URIRef):
            return f"<{node}>"
        if not isinstance(node, BNode):
            raise Unsupported(f"the path {node} is not an IRI or a blank node")
        forms = [p for p in _PATH_FORMS if (node, p, None) in self.shapes]
        is_list = (node, RDF.first, None) in self.shapes
        if len(forms) + is_list != 1 or any(len(list(self.shapes.objects(node, p))) != 1 for p in forms):
            raise Unsupported(f"an ill-formed path node ({len(forms) + is_list} path forms at once)")
        if is_list:
            members = self.items(node)
            if len(members) < 2:
                raise Unsupported("a sequence path of fewer than two members")
            return "(" + "/".join(self.path(p) for p in members) + ")"
        form, inner = forms[0], self.value(node, forms[0])
        if form == SH.alternativePath:
            members = self.items(inner)
            if len(members) < 2:
                raise Unsupported("an alternative path of fewer than two members")
            return "(" + "|".join(self.path(p) for p in members) + ")"
        if form == SH.inversePath:
            return f"^({self.path(inner)})"
        suffix = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}[form]
        return f"({self.path(inner)}){suffix}"

    def prefixes(self, holder_of: Node) -> str:
        """PREFIX lines of the sh:declare of the sh:prefixes values and what they owl:imports."""
        lines = []
        for holder in self.shapes.objects(holder_of, SH.prefixes):
            if holder not in self.prefixes_cache:
                declared = []
                imported = self.shapes.transitive_objects(holder, OWL.imports)
                for declaration in (d for h in imported for d in self.shapes.objects(h, SH.declare)):
                    prefix = self.value(declaration, SH.prefix)
                    namespace = self.value(declaration, SH.namespace)
                    if prefix is not None and namespace is not None:
                        declared.append(f"PREFIX {prefix}: <{namespace}>\n")
                self.prefixes_cache[holder] = "".join(sorted(declared))
            lines.append(self.prefixes_cache[holder])
        return "".join(lines)


def _xsd_name(datatype: Node) -> str | None:
    text = str(datatype)
    return text[len(str(XSD)):] if text.startswith(str(XSD)) else None


def _term(node: Node) -> str:
    """A constant as written, for comparisons with decoded values (see _value)."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        if node.language:
            return f"{_string(str(node))}@{node.language}"
        if node.datatype is not None:
            return f"{_string(str(node))}^^<{node.datatype}>"
        return _string(str(node))
    raise Unsupported(f"a blank node {node} as a constraint value")


def _value(var: str) -> str:
    """A value as comparisons see it: a literal under a private datatype back under its XSD one."""
    return (f'IF(isLiteral({var}) && STRSTARTS(STR(DATATYPE({var})), "{PRIVATE}"), '
            f'STRDT(STR({var}), IRI(CONCAT("{XSD}", STRAFTER(STR(DATATYPE({var})), "{PRIVATE}")))), {var})')


# ---------------------------------------------------------------------------
# Value tests: a SPARQL expression that is true when a node conforms
# ---------------------------------------------------------------------------


def _well_formed(name: str, var: str) -> str:
    """True when the literal's lexical form is valid for the XSD datatype `name`."""
    if name in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[name]
        tests = [f'REGEX(STR({var}), {_string(_LEXICAL["integer"])})']
        number = f"<{XSD.integer}>(STR({var}))"
        if low is not None:
            tests.append(f"COALESCE({number} >= {low}, false)")
        if high is not None:
            tests.append(f"COALESCE({number} <= {high}, false)")
        return "(" + " && ".join(tests) + ")"
    if name not in _LEXICAL:
        raise Unsupported(f"sh:datatype xsd:{name} (its lexical forms are not checked)")
    pattern = _LEXICAL[name]
    if pattern is None:
        return "true"
    test = f"REGEX(STR({var}), {_string(pattern)})"
    if name in _CAST:
        test += f' && COALESCE(STR(<{XSD}{_CAST[name]}>(STR({var}))), "!") != "!"'
    return f"({test})"


def _datatype_test(ctx: _Context, datatype: Node, var: str) -> str:
    name = _xsd_name(datatype)
    if name is None:
        return f"(isLiteral({var}) && sameTerm(DATATYPE({var}), {_term(datatype)}))"
    forms = [f"<{datatype}>"] + ([f"<{PRIVATE}{name}>"] if name in ctx.private else [])
    typed = " || ".join(f"sameTerm(DATATYPE({var}), {form})" for form in forms)
    return f"(isLiteral({var}) && ({typed}) && {_well_formed(name, var)})"


def _lang_in(languages: list[Node], var: str) -> str:
    """sh:languageIn as the spec defines it: langMatches of the value's tag with any listed range."""
    if not all(isinstance(x, Literal) for x in languages):
        raise Unsupported("sh:languageIn with a member that is not a literal")
    if not languages:
        return "false"
    tests = " || ".join(f"langMatches(lang({var}), {_string(str(x))})" for x in languages)
    return f"(isLiteral({var}) && ({tests}))"


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


def _count(node: Node, prop: URIRef) -> int:
    if not (isinstance(node, Literal) and isinstance(node.value, int)) or node.value < 0:
        raise Unsupported(f"{prop} {node}, not a non-negative integer")
    return int(node.value)


def _value_tests(ctx: _Context, shape: Node, var: str) -> Iterator[tuple[URIRef, str, Node]]:
    """(component, test that holds when the value conforms, parameter) for each value constraint."""
    shapes = ctx.shapes
    for cls in shapes.objects(shape, SH["class"]):
        yield SH.ClassConstraintComponent, f"EXISTS {{ {var} {_TYPE_PATH} {_term(cls)} }}", cls
    for datatype in shapes.objects(shape, SH.datatype):
        yield SH.DatatypeConstraintComponent, _datatype_test(ctx, datatype, var), datatype
    for kind in shapes.objects(shape, SH.nodeKind):
        yield SH.NodeKindConstraintComponent, _node_kind(kind, var), kind
    flags = list(shapes.objects(shape, SH.flags))
    if len(flags) > 1:
        raise Unsupported("several sh:flags")
    for pattern in shapes.objects(shape, SH.pattern):
        arguments = f"STR({var}), {_string(str(pattern))}" + (f", {_string(str(flags[0]))}" if flags else "")
        yield SH.PatternConstraintComponent, f"(!isBlank({var}) && REGEX({arguments}))", pattern
    for length in shapes.objects(shape, SH.minLength):
        number = _count(length, SH.minLength)
        yield SH.MinLengthConstraintComponent, f"(!isBlank({var}) && STRLEN(STR({var})) >= {number})", length
    for length in shapes.objects(shape, SH.maxLength):
        number = _count(length, SH.maxLength)
        yield SH.MaxLengthConstraintComponent, f"(!isBlank({var}) && STRLEN(STR({var})) <= {number})", length
    for languages in shapes.objects(shape, SH.languageIn):
        yield SH.LanguageInConstraintComponent, _lang_in(ctx.items(languages), var), languages
    for allowed in shapes.objects(shape, SH["in"]):
        members = [ctx.term(x) for x in ctx.items(allowed)]
        test = "(" + " || ".join(f"sameTerm({var}, {m})" for m in members) + ")" if members else "false"
        yield SH.InConstraintComponent, test, allowed
    for prop, component, operator in ((SH.minInclusive, SH.MinInclusiveConstraintComponent, ">="),
                                      (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, "<="),
                                      (SH.minExclusive, SH.MinExclusiveConstraintComponent, ">"),
                                      (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, "<")):
        for bound in shapes.objects(shape, prop):
            if not isinstance(bound, Literal):
                raise Unsupported(f"{prop} {bound}, not a literal")
            yield component, f"COALESCE({_value(var)} {operator} {_term(bound)}, false)", bound
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


_INNER_PATH_PROPERTIES = {SH.minCount, SH.maxCount, SH.hasValue}
_IGNORED = {SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group, SH.defaultValue}

def conforms(ctx: _Context, shape: Node, var: str) -> str:
    """An expression true when the node in `var` conforms to a shape used as a parameter (sh:node,
    sh:not, sh:or, ...): its value tests, and for a property shape its counts, sh:hasValue and
    the value tests of its values; nested sh:property shapes likewise. Anything else is refused."""
    if not ctx.is_on(shape):
        return "true"  # a deactivated shape: every node conforms (SHACL 2.1.5)
    if shape in ctx.nesting:
        raise Unsupported("a recursive shape")
    ctx.nesting.append(shape)
    try:
        return _conforms(ctx, shape, var)
    finally:
        ctx.nesting.pop()


def _conforms(ctx: _Context, shape: Node, var: str) -> str:
    shapes = ctx.shapes
    own = {p for p in shapes.predicates(shape) if str(p).startswith(str(SH))} - _IGNORED - {
        SH.property, SH.path, SH.deactivated, SH.flags}
    path_node = shapes.value(shape, SH.path)
    allowed = _VALUE_PROPERTIES | (_INNER_PATH_PROPERTIES if path_node is not None else {SH.hasValue})
    if own - allowed:
        raise Unsupported(f"{_names(own - allowed)} in a shape used by sh:node, sh:not, sh:or, ...")
    _refuse_custom(ctx, shape)
    tests: list[str] = []
    if path_node is None:
        tests.extend(test for _, test, _ in _value_tests(ctx, shape, var))
        tests.extend(f"sameTerm({var}, {ctx.term(v)})" for v in shapes.objects(shape, SH.hasValue))
        subject = var
    else:
        path = ctx.path(path_node)
        item = ctx.fresh("item")
        for _, test, _ in _value_tests(ctx, shape, item):
            tests.append(f"NOT EXISTS {{ {var} {path} {item} FILTER(!({test})) }}")
        for value in shapes.objects(shape, SH.hasValue):
            tests.append(f"EXISTS {{ {var} {path} {ctx.term(value)} }}")
        for count in shapes.objects(shape, SH.minCount):
            number = _count(count, SH.minCount)
            if number > 1:
                raise Unsupported("sh:minCount above 1 in a shape used by sh:node, sh:not, sh:or, ...")
            if number == 1:
                tests.append(f"EXISTS {{ {var} {path} {ctx.fresh('any')} }}")
        for count in shapes.objects(shape, SH.maxCount):
            number = _count(count, SH.maxCount)
            first, second = ctx.fresh("one"), ctx.fresh("two")
            if number == 0:
                tests.append(f"NOT EXISTS {{ {var} {path} {first} }}")
            elif number == 1:
                tests.append(f"NOT EXISTS {{ {var} {path} {first}, {second} FILTER(!sameTerm({first}, {second})) }}")
            else:
                raise Unsupported("sh:maxCount above 1 in a shape used by sh:node, sh:not, sh:or, ...")
        subject = item
    for child in shapes.objects(shape, SH.property):
        inner = conforms(ctx, child, subject)
        if path_node is None:
            tests.append(inner)
        else:
            tests.append(f"NOT EXISTS {{ {var} {ctx.path(path_node)} {subject} FILTER(!({inner})) }}")
    return "(" + " && ".join(tests) + ")" if tests else "true"


def _names(properties: Iterable[Node]) -> str:
    return ", ".join(sorted("sh:" + str(p)[len(str(SH)):] if str(p).startswith(str(SH)) else f"<{p}>"
                            for p in properties))


def _refuse_custom(ctx: _Context, shape: Node) -> None:
    """A parameter of a SPARQL-based constraint component declared in the shapes graph: refused."""
    for component, parameter in ctx.shapes.subject_objects(SH.parameter):
        path = ctx.value(parameter, SH.path)
        if path is not None and (shape, path, None) in ctx.shapes:
            raise Unsupported(f"the constraint component {component} (SPARQL-based constraint components "
                              "are not translated)")


# ---------------------------------------------------------------------------
# SPARQL texts: prologues, and pre-binding $this (SHACL 5.2.1)
# ---------------------------------------------------------------------------

_PROLOGUE = re.compile(r"^\s*(?:PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>|BASE\s*<[^>]*>|#[^\n]*\n)", re.IGNORECASE)
_STRING_OR_IRI = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                            r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s"{}|^`\\]*>|#[^\n]*')
_THIS = re.compile(r"[?$]this\b")


def _split_prologue(text: str) -> tuple[dict[str, str], str]:
    """The PREFIX declarations at the head of a query, and the rest; BASE is refused."""
    prefixes: dict[str, str] = {}
    while (match := _PROLOGUE.match(text)) is not None:
        if match.group(0).lstrip().upper().startswith("BASE"):
            raise Unsupported("a BASE declaration in a SPARQL text")
        if match.group(2) is not None:
            prefixes[match.group(1) or ""] = match.group(2)
        text = text[match.end():]
    return prefixes, text


def _merge_prefixes(into: dict[str, str], more: dict[str, str]) -> None:
    for prefix, namespace in more.items():
        if into.setdefault(prefix, namespace) != namespace:
            raise Unsupported(f"the prefix {prefix}: bound to two namespaces")


def _declared(ctx: _Context, holder: Node, text: str) -> tuple[dict[str, str], str]:
    """A SPARQL text's prefixes (sh:prefixes and its own PREFIX lines) and its body."""
    prefixes: dict[str, str] = {}
    _merge_prefixes(prefixes, _split_prologue(ctx.prefixes(holder))[0])
    own, body = _split_prologue(text)
    _merge_prefixes(prefixes, own)
    return prefixes, body


def _prologue(prefixes: dict[str, str]) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


def _code(text: str) -> str:
    """The text with strings, IRIs and comments blanked out (same length): what is left is syntax."""
    return _STRING_OR_IRI.sub(lambda m: " " * len(m.group(0)), text)


def _prebind(body: str, focus: str, *, kind: str = "SELECT") -> str:
    """The query with the focus nodes joined into every group that mentions $this.

    SHACL pre-binds $this by substitution: the query is run once per focus node with $this
    replaced by it everywhere, nested groups, UNION branches and sub-selects included. Joining
    the focus nodes into the outermost group and into every group that mentions $this gives the
    same solutions (every group that could see $this sees it bound, to the same node). Groups
    after EXISTS are left alone (they see the outer binding), and a sub-select gets the focus
    nodes in its own WHERE (SHACL requires it to project $this). The forms SHACL 5.2.1 excludes
    are refused: MINUS, VALUES, SERVICE, `AS $this`, a sub-select that does not project $this;
    and so are those whose answers substitution and a join would not share: LIMIT or OFFSET,
    aggregates not grouped by $this, and $shapesGraph.
    """
    code = _code(body)
    upper = code.upper()
    for word, why in (("MINUS", "MINUS"), ("VALUES", "VALUES"), ("SERVICE", "SERVICE (federated query)"),
                      ("LIMIT", "LIMIT"), ("OFFSET", "OFFSET")):
        if re.search(rf"\b{word}\b", upper):
            raise Unsupported(f"{why} in a SPARQL constraint (SHACL 5.2.1 pre-binding)")
    if re.search(r"\bAS\s+[?$]this\b", code, re.IGNORECASE):
        raise Unsupported("`AS $this` in a SPARQL constraint (SHACL 5.2.1 pre-binding)")
    if "$shapesGraph" in code or "?shapesGraph" in code:
        raise Unsupported("$shapesGraph")
    selects = [m.start() for m in re.finditer(r"\bSELECT\b", upper)]
    starts = selects[1:] if kind == "SELECT" else selects
    for start in starts:
        projection = code[start + 6: code.find("{", start)]
        projection = re.split(r"\bWHERE\b", projection, flags=re.IGNORECASE)[0]
        if not _THIS.search(projection):
            raise Unsupported("a sub-select that does not project $this (SHACL 5.2.1 pre-binding)")
    top_end = code.find("{")
    if kind == "SELECT":
        head = code[:top_end].upper()
        tail = code[closing_brace(code, top_end) + 1:] if top_end >= 0 else ""
        grouped = re.search(r"\bGROUP\s+BY\b(.*)", tail, re.IGNORECASE | re.DOTALL)
        aggregates = re.search(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", head)
        if (aggregates or grouped) and not (grouped and _THIS.search(grouped.group(1))):
            raise Unsupported("aggregates in a SPARQL constraint not grouped by $this")
    if top_end < 0:
        raise Unsupported("a SPARQL text without a WHERE clause")
    inserts: list[int] = []
    for index, char in enumerate(code):
        if char != "{":
            continue
        inside = code[index + 1:closing_brace(code, index)]
        before = code[:index].rstrip().upper()
        if index != top_end and (before.endswith("EXISTS") or not _THIS.search(inside)):
            continue
        if inside.lstrip().upper().startswith("SELECT"):
            continue  # a group holding a sub-select: the sub-select's own WHERE gets the focus
        inserts.append(index + 1)
    text = body
    for position in reversed(inserts):
        text = text[:position] + f" {focus} " + text[position:]
    return _THIS.sub("?this", text)


def _observes_private(code: str) -> bool:
    """Could the query's answer depend on a literal's datatype or value (not only its text)?"""
    return bool(re.search(r"\b(datatype|isNumeric|STRDT|ABS|ROUND|CEIL|FLOOR|YEAR|MONTH|DAY|HOURS|MINUTES|"
                          r"SECONDS|TIMEZONE|TZ|SUM|AVG|MIN|MAX)\s*\(|[<>]|[-+*/]\s*[0-9?$(]|\w+:\w*\s*\(",
                          code, re.IGNORECASE))


def _may_read(body: str, prefixes: dict[str, str], properties: set[str]) -> bool:
    """Could the query match a triple of one of these properties? Yes if it names one, or has a
    triple pattern with a variable as its predicate."""
    if not properties:
        return False
    code = _code(body)
    where = code[code.find("{"):code.rfind("}")]
    if re.search(r"[?$]\w+\s+[?$]\w+\s", where):
        return True
    for prop in properties:
        names = [f"<{prop}>"] + [f"{p}:{prop[len(ns):]}" for p, ns in prefixes.items() if prop.startswith(ns)]
        if any(re.search(re.escape(name) + r"(?![\w.-])", body) for name in names):
            return True
    return False


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------


@dataclass
class CompiledQuery:
    shape: Node
    component: URIRef
    text: str
    value_var: str | None  # which projected variable is sh:value (None: no value; "sparql": a SPARQL constraint)
    sparql_constraint: Node | None = None
    path_var: str | None = None  # a projected variable that is sh:resultPath (sh:closed)


def _targets(ctx: _Context, shape: Node, prefixes: dict[str, str]) -> list[str]:
    """SPARQL groups binding ?this to the focus nodes of a shape's own targets."""
    shapes = ctx.shapes
    groups: list[str] = []
    for cls in shapes.objects(shape, SH.targetClass):
        groups.append(f"?this {_TYPE_PATH} {_term(cls)} .")
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        groups.append(f"?this {_TYPE_PATH} {_term(shape)} .")
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        groups.append(f"?this {_term(prop)} ?anyTargetValue .")
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        groups.append(f"?anyTargetSubject {_term(prop)} ?this .")
    for node in shapes.objects(shape, SH.targetNode):
        groups.append(f"BIND({ctx.term(node)} AS ?this)")
    for target in shapes.objects(shape, SH.target):
        select = shapes.value(target, SH.select)
        if select is None or len(list(shapes.objects(target, SH.select))) > 1:
            raise Unsupported(f"the target {target} (only SPARQL-based targets with sh:select are translated)")
        own, body = _declared(ctx, target, str(select))
        _merge_prefixes(prefixes, own)
        groups.append(f"{{ {body.replace('$this', '?this')} }}")
    return groups


def shape_roots(shapes: Graph) -> list[Node]:
    """The shapes with targets of their own (explicit, or implicit class targets)."""
    found = {s for p in _TARGETS for s in shapes.subjects(p, None)}
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in shapes.subjects(RDF.type, kind):
            if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
                found.add(shape)
    return sorted(found, key=str)


def _severity(shapes: Graph, shape: Node) -> URIRef:
    severity = shapes.value(shape, SH.severity)
    return severity if isinstance(severity, URIRef) else SH.Violation


class _Compiler:
    """The queries of one root: its constraints and those of every shape reached by sh:property.

    The focus nodes of a property shape nested in another are the value nodes of the outer one,
    once per outer focus node: SHACL validates each value node of each focus node, so a node
    reached from two focus nodes is reported twice. The outer focus nodes travel along as ?via
    variables, part of what makes each result distinct.
    """

    def __init__(self, ctx: _Context, root: Node) -> None:
        self.ctx = ctx
        self.prefixes: dict[str, str] = {}
        self.queries: list[CompiledQuery] = []
        groups = _targets(ctx, root, self.prefixes)
        self.focus = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(f"{{ {g} }}" for g in groups) + " } }"
        self.chain: list[Node] = []
        self.vias: list[str] = []

    @property
    def keys(self) -> str:
        return " ".join(["?this", *self.vias])

    def add(self, shape: Node, component: URIRef, text: str, value_var: str | None, **extra: object) -> None:
        self.queries.append(CompiledQuery(shape, component, text, value_var, **extra))

    def finish(self) -> list[CompiledQuery]:
        head = _prologue(self.prefixes)
        for query in self.queries:
            query.text = head + query.text
        return self.queries

    def shape(self, shape: Node, focus: str) -> None:
        ctx = self.ctx
        if not ctx.is_on(shape):
            return
        if shape in self.chain:
            raise Unsupported("a recursive shape")
        self.chain.append(shape)
        path_node = ctx.value(shape, SH.path)
        self.constraints(shape, focus, path_node)
        for child in ctx.shapes.objects(shape, SH.property):
            if path_node is None:
                self.shape(child, focus)
                continue
            outer = self.keys
            via = f"?via{len(self.vias)}"
            self.vias.append(via)
            renamed = outer.replace("?this", f"(?this AS {via})")
            values = (f"{{ SELECT DISTINCT {self.keys} WHERE {{ {{ SELECT {renamed} WHERE {{ {focus} }} }} "
                      f"{via} {ctx.path(path_node)} ?this }} }}")
            self.shape(child, values)
            self.vias.pop()
        self.chain.pop()

    def constraints(self, shape: Node, focus: str, path_node: Node | None) -> None:
        ctx, shapes, keys = self.ctx, self.ctx.shapes, self.keys
        own = {p for p in shapes.predicates(shape) if str(p).startswith(str(SH))}
        if (shape, SH.sparql, shape) in shapes:  # a shape that is its own SPARQL constraint
            own -= {SH.select}
        unknown = own - _STRUCTURAL - _VALUE_PROPERTIES - _PAIR_PROPERTIES
        if unknown:
            raise Unsupported(_names(unknown))
        if len(list(shapes.objects(shape, SH.path))) > 1:
            raise Unsupported("several sh:path values")
        _refuse_custom(ctx, shape)
        path = ctx.path(path_node) if path_node is not None else None
        values = f"{focus} BIND(?this AS ?value)" if path is None else f"{focus} ?this {path} ?value ."
        for component, test, _ in _value_tests(ctx, shape, "?value"):
            self.add(shape, component, f"SELECT DISTINCT {keys} ?value WHERE {{ {values} FILTER(!({test})) }}",
                     "value")
        for value in shapes.objects(shape, SH.hasValue):
            if path is None:  # no sh:value: the focus node is not a value of anything (SHACL 4.8.3)
                text = f"SELECT {keys} WHERE {{ {focus} FILTER(!sameTerm(?this, {ctx.term(value)})) }}"
            else:
                text = f"SELECT {keys} WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} {ctx.term(value)} }} }}"
            self.add(shape, SH.HasValueConstraintComponent, text, None)
        if path is not None:
            self.counts(shape, focus, path)
        elif own & {SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape}:
            raise Unsupported(f"{_names(own & {SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape})} "
                              "on a node shape")
        self.pairs(shape, focus, values, path)
        if shapes.value(shape, SH.closed) == Literal(True):
            self.closed(shape, focus, path)
        for constraint in shapes.objects(shape, SH.sparql):
            if self.vias:
                raise Unsupported("a SPARQL constraint in a property shape nested in another")
            self.sparql(shape, constraint, focus, path)

    def counts(self, shape: Node, focus: str, path: str) -> None:
        ctx, shapes, keys = self.ctx, self.ctx.shapes, self.keys
        for count in shapes.objects(shape, SH.minCount):
            number = _count(count, SH.minCount)
            if number == 1:
                text = f"SELECT {keys} WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?value }} }}"
            elif number > 1:
                text = (f"SELECT {keys} WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} "
                        f"GROUP BY {keys} HAVING (COUNT(DISTINCT ?value) < {number})")
            else:
                continue
            self.add(shape, SH.MinCountConstraintComponent, text, None)
        for count in shapes.objects(shape, SH.maxCount):
            self.add(shape, SH.MaxCountConstraintComponent,
                     f"SELECT {keys} WHERE {{ {focus} ?this {path} ?value }} "
                     f"GROUP BY {keys} HAVING (COUNT(DISTINCT ?value) > {_count(count, SH.maxCount)})", None)
        if shapes.value(shape, SH.uniqueLang) == Literal(True):
            # One result per language used by two values or more (SHACL 4.5.5), with no sh:value.
            self.add(shape, SH.UniqueLangConstraintComponent,
                     f"SELECT DISTINCT {keys} ?language WHERE {{ {focus} ?this {path} ?value , ?other . "
                     f'FILTER(!sameTerm(?value, ?other) && isLiteral(?value) && lang(?value) != "" '
                     f"&& LCASE(lang(?value)) = LCASE(lang(?other))) BIND(LCASE(lang(?value)) AS ?language) }}", None)
        parent_shapes = list(shapes.subjects(SH.property, shape))
        for qualified in shapes.objects(shape, SH.qualifiedValueShape):
            test = conforms(ctx, qualified, "?value")
            if shapes.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
                # A value counts only if it conforms to none of the siblings' qualified shapes.
                siblings = {q for parent in parent_shapes for sibling in shapes.objects(parent, SH.property)
                            if sibling != shape for q in shapes.objects(sibling, SH.qualifiedValueShape)}
                for sibling in siblings:
                    test = f"({test} && !({conforms(ctx, sibling, '?value')}))"
            counted = (f"SELECT {keys} (COUNT(DISTINCT ?good) AS ?n) WHERE {{ {focus} OPTIONAL {{ "
                       f"?this {path} ?value . FILTER({test}) BIND(?value AS ?good) }} }} GROUP BY {keys}")
            for bound, component, operator in (
                    (shapes.value(shape, SH.qualifiedMinCount), SH.QualifiedMinCountConstraintComponent, "<"),
                    (shapes.value(shape, SH.qualifiedMaxCount), SH.QualifiedMaxCountConstraintComponent, ">")):
                if bound is not None:
                    number = _count(bound, SH.qualifiedMinCount)
                    text = f"SELECT {keys} WHERE {{ {{ {counted} }} FILTER(?n {operator} {number}) }}"
                    self.add(shape, component, text, None)

    def pairs(self, shape: Node, focus: str, values: str, path: str | None) -> None:
        ctx, shapes, keys = self.ctx, self.ctx.shapes, self.keys
        for prop, component, operator in ((SH.lessThan, SH.LessThanConstraintComponent, "<"),
                                          (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, "<=")):
            for other in shapes.objects(shape, prop):
                # One result per pair of values that are not in order (SHACL 4.5.3).
                test = f"!COALESCE({_value('?value')} {operator} {_value('?other')}, false)"
                self.add(shape, component, f"SELECT DISTINCT {keys} ?value ?other WHERE {{ {values} ?this "
                         f"{ctx.path(other)} ?other . FILTER({test}) }}", "value")
        for other in shapes.objects(shape, SH.equals):
            # Values on either side that the other side lacks, each as sh:value.
            mine = ("FILTER(!sameTerm(?value, ?this))" if path is None
                    else f"FILTER NOT EXISTS {{ ?this {path} ?value }}")
            self.add(shape, SH.EqualsConstraintComponent,
                     f"SELECT DISTINCT {keys} ?value WHERE {{ {{ {values} FILTER NOT EXISTS {{ ?this "
                     f"{ctx.path(other)} ?value }} }} UNION {{ {focus} ?this {ctx.path(other)} ?value . {mine} }} }}",
                     "value")
        for other in shapes.objects(shape, SH.disjoint):
            self.add(shape, SH.DisjointConstraintComponent,
                     f"SELECT DISTINCT {keys} ?value WHERE {{ {values} ?this {ctx.path(other)} ?value }}", "value")

    def closed(self, shape: Node, focus: str, path: str | None) -> None:
        ctx, shapes = self.ctx, self.ctx.shapes
        if path is not None:
            raise Unsupported("sh:closed on a property shape")
        allowed = {p for child in shapes.objects(shape, SH.property)
                   if isinstance(p := shapes.value(child, SH.path), URIRef)}
        for ignored in shapes.objects(shape, SH.ignoredProperties):
            allowed.update(ctx.items(ignored))
        test = f"FILTER(?predicate NOT IN ({', '.join(_term(p) for p in sorted(allowed))}))" if allowed else ""
        self.add(shape, SH.ClosedConstraintComponent,
                 f"SELECT {self.keys} ?predicate ?value WHERE {{ {focus} ?this ?predicate ?value {test} }}", "value",
                 path_var="predicate")

    def sparql(self, shape: Node, constraint: Node, focus: str, path: str | None) -> None:
        ctx, shapes = self.ctx, self.ctx.shapes
        if not ctx.is_on(constraint):
            return
        select = shapes.value(constraint, SH.select)
        if select is None or len(list(shapes.objects(constraint, SH.select))) > 1:
            raise Unsupported(f"the SPARQL constraint {constraint} has not one sh:select")
        prefixes, body = _declared(ctx, constraint, str(select))
        if "$PATH" in body:
            if path is None:
                raise Unsupported("$PATH in a node shape")
            body = body.replace("$PATH", path)
        if "$currentShape" in body or "?currentShape" in body:
            if not isinstance(shape, URIRef):
                raise Unsupported("$currentShape of a blank-node shape")
            body = re.sub(r"[?$]currentShape\b", f"<{shape}>", body)
        if _observes_private(_code(body)) and _may_read(body, prefixes, ctx.private_properties()):
            raise Unsupported("a SPARQL constraint that reads literal values, of a property whose values the store "
                              "holds under private datatypes")
        text = _prologue(prefixes) + rewrite_not_exists(_prebind(body, focus))
        self.queries.append(CompiledQuery(shape, SH.SPARQLConstraintComponent, text, "sparql", constraint))


@dataclass
class CompiledShapes:
    shapes: Graph
    queries: list[CompiledQuery]
    roots: list[Node] = field(default_factory=list)  # the shapes with targets the translation evaluates
    refused: dict[Node, str] = field(default_factory=dict)  # the others, with why


def compile_shapes(shapes: Graph, private: Container[str] = frozenset(),
                   private_properties: Callable[[], set[str]] = lambda: set()) -> CompiledShapes:
    """Every root shape's constraints as SPARQL queries, or the reason it cannot be translated.

    `private`: the XSD datatypes the store keeps under terms.PRIVATE; `private_properties`: the
    properties with such literals among their values (a SPARQL constraint that reads literal
    values of one of them is refused: it would see the private datatype).
    """
    ctx = _Context(shapes, private, private_properties)
    compiled = CompiledShapes(shapes, [])
    for root in shape_roots(shapes):
        if not ctx.is_on(root):
            continue
        try:
            compiler = _Compiler(ctx, root)
            compiler.shape(root, compiler.focus)
            compiled.queries.extend(compiler.finish())
        except Unsupported as why:
            compiled.refused[root] = str(why)
        except RecursionError:
            compiled.refused[root] = "shapes nested too deeply"
        else:
            compiled.roots.append(root)
    return compiled


def _format(message: str, bindings: dict[str, object]) -> str:
    for name, value in bindings.items():
        if value is None:
            continue
        text = value.value if hasattr(value, "value") else str(value)
        message = message.replace("{?" + name + "}", text).replace("{$" + name + "}", text)
    return message


def evaluate(store: ox.Store, compiled: CompiledShapes) -> list[RawResult]:
    """Run every compiled query over the store and collect the results, one per solution."""
    shapes = compiled.shapes
    results: list[RawResult] = []
    for query in compiled.queries:
        shape = query.shape
        severity = _severity(shapes, shape)
        shape_messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
        shape_path = shapes.value(shape, SH.path)
        try:
            solutions = store.query(query.text)
        except (SyntaxError, OSError, RuntimeError) as error:
            raise Unsupported(f"{shape}: Oxigraph cannot run the translated query ({error})") from None
        variables = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {name: solution[name] for name in variables}
            focus = row.get("this")
            if query.value_var == "sparql":
                path_value = row.pop("path", None)
                value = row.pop("value", None)
                this = row.pop("this", None)
                if this is None:
                    continue
                if value is None and shape_path is None:
                    value = this
                path = _path_from_store(path_value) if path_value is not None else shape_path
                constraint_messages = [m for m in shapes.objects(query.sparql_constraint, SH.message)
                                       if isinstance(m, Literal)]
                bindings = {"this": this, "path": path_value, "value": value, **row}
                texts = [_format(str(m), bindings) for m in constraint_messages
                         if m not in shape_messages] + [_format(str(m), bindings) for m in shape_messages]
                results.append(RawResult(this, shape, path, value, severity, query.component,
                                         tuple(texts), query.sparql_constraint))
                continue
            value = row.get(query.value_var) if query.value_var else None
            path = _path_from_store(row.get(query.path_var)) if query.path_var else shape_path
            texts = tuple(str(m) for m in shape_messages) or (_generic(query.component),)
            results.append(RawResult(focus, shape, path, value, severity, query.component, texts))
    return results


def _path_from_store(term: object) -> Node | None:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    return None


def _generic(component: URIRef) -> str:
    return f"The value does not satisfy {str(component).rsplit('#', 1)[-1]}"
