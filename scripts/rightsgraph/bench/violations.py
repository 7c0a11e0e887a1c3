"""Turtle that breaks each shape of shapes/, for the synthetic data.

Each recipe makes a new focus node the shape targets (a resource of its target class, a subject
of its target property, a quote, ...) and gives it a value that fails one of the shape's
constraints. The recipes are derived from the shapes themselves, one constraint component at a
time, so a new shape made of Core components is covered without a change here; the SPARQL-based
constraints, which say things no generic rule can guess, have a recipe each (below). A shape that
can be broken by neither is reported, not silently skipped.

Recipes are str.format templates with {id} (a unique name), {number} (the document's number),
{other} (another document's number) and {source} (the document's source IRI). Injected nodes also
break other shapes (a bare resource has no labels, a fact outside a claim has no evidence): the
benchmark only needs each shape broken at least once, and the same files for both validators.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

_RG = "https://w3id.org/rightsgraph/ontology#"
_ID = "https://w3id.org/rightsgraph/id/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
FOCUS = f"<{_ID}{{id}}>"
# Fails any pattern a project IRI must match (upper case, underscore).
BAD_IRI = f"<{_ID}V_{{id}}>"

# SPARQL constraints (and a shape no generic rule breaks), by the shape's local name: a focus and
# data that the shape reports.
SPARQL_RECIPES = {
    "ResourceShape": f"{FOCUS} a <{_RG}City> ; <{_RG}undeclaredPropertyOfTheBenchmark> \"v\"@en .\n",
    "KnownPropertyShape": f"{FOCUS} a <{_RG}City> ; <{_RG}undeclaredPropertyOfTheBenchmark> \"v\"@en .\n",
    "ResourceTypeShape": f"{FOCUS} <http://www.w3.org/2000/01/rdf-schema#label> \"v\"@en .\n",
    "ResourceClassShape": f"{FOCUS} a <http://xmlns.com/foaf/0.1/Person> .\n",
    "EvidenceShape": f"{FOCUS} a <{_RG}City> ; <{_RG}locatedIn> <{_ID}country/KP> .\n",
    "FactualEvidenceShape": (f"{FOCUS} a <{_RG}City> ; <{_RG}locatedIn> <{_ID}country/KP> .\n"
                             f"<{_ID}claim/{{number}}-7{{index:06d}}> <{_RG}status> <{_RG}planned> ; "
                             f"<{_RG}states> [ <{_RG}subject> {FOCUS} ; <{_RG}predicate> <{_RG}locatedIn> ; "
                             f"<{_RG}object> <{_ID}country/KP> ] .\n"),
    "StatedValueShape": (f"<{_ID}claim/{{number}}-6{{index:06d}}> <{_RG}status> <{_RG}recommended> ; "
                         f"<{_RG}states> [ <{_RG}subject> {FOCUS} ; <{_RG}predicate> <{_RG}addressedTo> ; "
                         f"<{_RG}object> <{_ID}central-and-south-america> ] .\n"),
    "LinkedResourceShape": f"{FOCUS} a <{_RG}City> ; <{_RG}locatedIn> <{_ID}{{id}}-undefined> .\n",
    "PropertyDomainShape": f"{FOCUS} a <{_RG}City> ; <{_RG}crimeType> <{_ID}crime/forced-repatriation> .\n",
    "ClaimSourceNumberShape": (f"<{_ID}claim/{{other}}-9{{index:06d}}> a <{_RG}Claim> ; "
                               "<http://www.w3.org/ns/prov#wasDerivedFrom> <{source}> .\n"),
    "QuoteSourceLanguageShape": (f"<{_ID}claim/{{number}}-8{{index:06d}}> a <{_RG}Claim> ; "
                                 "<http://www.w3.org/ns/prov#wasDerivedFrom> <{source}> ; "
                                 f"<{_RG}quote> [ <http://www.w3.org/ns/oa#exact> \"v\"@ko ; "
                                 "<http://www.w3.org/ns/oa#start> 0 ; <http://www.w3.org/ns/oa#end> 1 ] .\n"),
    # sh:or of a negation: a Chinese label without its script fails both branches.
    "ChineseScriptShape": f"{FOCUS} a <{_RG}City> ; <http://www.w3.org/2000/01/rdf-schema#label> \"v\"@zh .\n",
    "SourceLanguageLabelShape": (f"<{_ID}claim/{{number}}-7{{index:06d}}> a <{_RG}Claim> ; "
                                 "<http://www.w3.org/ns/prov#wasDerivedFrom> <{source}> ; "
                                 f"<{_RG}states> [ <{_RG}subject> {FOCUS} ; <{_RG}predicate> <{_RG}locatedIn> ; "
                                 f"<{_RG}object> <{_ID}country/KP> ] .\n"
                                 f"{FOCUS} a <{_RG}City> ; <http://www.w3.org/2000/01/rdf-schema#label> \"v\"@xx .\n"),
    "StateShape": f"{FOCUS} a <{_RG}State> ; <{_RG}iso3166Alpha2> \"KP\" .\n",
    "TimeSpanShape": (f"{FOCUS} a <{_RG}CrimeEvent> ; <{_RG}startDate> \"2020\"^^<{_XSD}gYear> ; "
                      f"<{_RG}endDate> \"2019-05\"^^<{_XSD}gYearMonth> .\n"),
    "FigureLowerBoundShape": (f"{FOCUS} a <{_RG}Figure> ; <{_RG}qualifier> <{_RG}exactly> ; "
                              f"<{_RG}statedAs> \"more than 30\"@en .\n"),
    "AddressedToAgentShape": (f"{FOCUS} a <{_RG}Recommendation> ; "
                              f"<{_RG}addressedTo> <{_ID}central-and-south-america> .\n"),
}


def _name(node: Node) -> str:
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _first_path(shapes: Graph, shape: Node) -> URIRef | None:
    path = shapes.value(shape, SH.path)
    if isinstance(path, URIRef):
        return path
    alternatives = shapes.value(path, SH.alternativePath) if path is not None else None
    if alternatives is not None:
        items = [p for p in Collection(shapes, alternatives) if isinstance(p, URIRef)]
        return items[0] if items else None
    return None


def _focus(shapes: Graph, shape: Node, own_pattern: bool, blank: bool) -> tuple[str, str] | None:
    """(the focus term, Turtle that makes it a target of the shape), from the shape's or its parents' targets."""
    holders = [shape, *shapes.subjects(SH.property, shape)]
    for holder in holders:
        focus = BAD_IRI if own_pattern else ("_:{id}" if blank else FOCUS)
        for target in shapes.objects(holder, SH.targetClass):
            return focus, f"{focus} a <{target}> .\n"
        for _ in shapes.objects(holder, SH.targetSubjectsOf):
            return focus, ""  # the breaking value itself uses the property
        for prop in shapes.objects(holder, SH.targetObjectsOf):
            return "_:{id}", f"<{_ID}{{id}}-holder> <{prop}> _:{{id}} .\n"
    return None


def _value_breaker(shapes: Graph, shape: Node) -> str | None:
    """Turtle (with {focus} and {path}) giving the focus a value that fails a Core constraint."""
    def has(prop: URIRef) -> Node | None:
        return shapes.value(shape, prop)

    if has(SH.maxCount) is not None:
        count = int(has(SH.maxCount)) + 1
        return "{focus} {path} " + ", ".join(f'"v{i}"@en' for i in range(count)) + " .\n"
    if has(SH["class"]) is not None:
        return "{focus} {path} <" + _ID + "{id}-unclassified> .\n"
    datatype = has(SH.datatype)
    if datatype is not None:
        value = '"v"' if datatype == RDF.langString else '"v"@en'
        return "{focus} {path} " + value + " .\n"
    if has(SH.nodeKind) is not None:
        kind = has(SH.nodeKind)
        value = "<" + _ID + "{id}-value>" if kind == SH.Literal else '"v"'
        return "{focus} {path} " + value + " .\n"
    if has(SH["in"]) is not None:
        return "{focus} {path} <" + _RG + "notInTheList> .\n"
    if has(SH.pattern) is not None:
        return '{focus} {path} "!v!" .\n'
    if has(SH.minLength) is not None:
        return '{focus} {path} ""@en .\n'
    if has(SH.minInclusive) is not None:
        return "{focus} {path} -1 .\n"
    if has(SH.lessThan) is not None:
        return "{focus} {path} 5 ; <" + str(has(SH.lessThan)) + "> 3 .\n"
    if has(SH.uniqueLang) is not None:
        return '{focus} {path} "a"@en , "b"@en .\n'
    if has(SH.languageIn) is not None:
        return '{focus} {path} "v"@xx .\n'
    negated = has(SH["not"])
    if negated is not None and shapes.value(negated, SH.languageIn) is not None:
        languages = list(Collection(shapes, shapes.value(negated, SH.languageIn)))
        return "{focus} {path} \"v\"@" + str(languages[0]) + " .\n"
    if has(SH["or"]) is not None:
        return '{focus} {path} "v" .\n'
    if has(SH.minCount) is not None or has(SH.qualifiedMinCount) is not None:
        return ""  # the new focus has no value at all
    return None


def _requires_a_statement(shapes: Graph, shape: Node) -> bool:
    """A property shape whose SPARQL constraint asks for a value, plain or stated by a claim of any
    status (the shapes' minCount written so that planned or recommended things count too)."""
    return any("FILTER NOT EXISTS { $this $PATH ?value }" in str(shapes.value(c, SH.select))
               for c in shapes.objects(shape, SH.sparql))


def _recipe(shapes: Graph, shape: Node) -> str | None:
    name = _name(shape)
    if name in SPARQL_RECIPES:
        return SPARQL_RECIPES[name]
    if shapes.value(shape, SH.sparql) is not None and shapes.value(shape, SH.path) is None:
        return None
    path = _first_path(shapes, shape)
    if path is None:  # a node shape: its own constraints apply to the focus itself
        if shapes.value(shape, SH.pattern) is not None:
            made = _focus(shapes, shape, own_pattern=True, blank=False)
            return made[1] if made else None
        if shapes.value(shape, SH.nodeKind) in (SH.IRI,):
            made = _focus(shapes, shape, own_pattern=False, blank=True)
            return made[1] if made else None
        return None
    breaker = _value_breaker(shapes, shape)
    if breaker is None and _requires_a_statement(shapes, shape):
        breaker = ""  # the new focus has no value, plain or stated by a claim
    made = _focus(shapes, shape, own_pattern=False, blank=False)
    if breaker is None or made is None:
        return None
    focus, making = made
    if breaker == "" and not making:
        return None  # a target by property cannot lack the property
    return making + breaker.replace("{focus}", focus).replace("{path}", f"<{path}>")


def _has_constraints(shapes: Graph, shape: Node) -> bool:
    own = {p for p in shapes.predicates(shape) if str(p).startswith(str(SH))}
    structural = {SH.property, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
                  SH.name, SH.description, SH.message, SH.severity, SH.path, SH.targetNode,
                  SH.deactivated, SH.order, SH.group}
    return bool(own - structural)


def injections(shapes: Graph) -> tuple[dict[URIRef, str], list[URIRef]]:
    """{shape: recipe} for every shape with constraints of its own, and the shapes left unbroken."""
    candidates = {s for s in shapes.subjects(RDF.type, SH.NodeShape)} | {
        s for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    recipes: dict[URIRef, str] = {}
    skipped: list[URIRef] = []
    for shape in sorted(candidates, key=str):
        if isinstance(shape, BNode) or not _has_constraints(shapes, shape):
            continue
        recipe = _recipe(shapes, shape)
        if recipe is None:
            skipped.append(shape)
        else:
            recipes[shape] = recipe
    return recipes, skipped
