"""What may leave the project: the public view of the graph.

A resource or claim marked rg:restricted or rg:confidential (rg:sensitivity) is withheld from
everything rightsgraph publishes, exports or serves, and so is everything that would reveal it. The
rules, and the tests that hold each of them, are in docs/sensitivity.md:

- a withheld node takes its parts with it: the blank nodes under it, and the statements and quotes
  a claim links to by rg:states and rg:quote (IRI or blank node). What a part merely references (a
  statement's subject and value, the claim's source document and status) is not a part;
- a claim that links to a withheld node, from itself or from one of its parts, by any property
  (rg:accordingTo as much as a statement's rg:object) is withheld, and so is a quotation (words
  attributed to someone, rg:Quotation) that links to one, directly or through a statement about it;
- a claim whose quote contains, repeats or overlaps the words of a withheld claim's quote in the
  same source document is withheld whole, not cut: a cut quote is no longer the source's words;
- a fact that only withheld claims state is withheld; every triple that names a withheld node is;
- a level that is not exactly one of the known levels refuses the whole input: nothing is
  disclosed by guessing what a misspelt level meant.

The user widens the view only by an explicit choice (Disclosure).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from rightsgraph.core.errors import InputError
from rightsgraph.core.namespaces import OA, RG, bind_prefixes
from rightsgraph.core.project import Project
from rightsgraph.core.store import graph_of, load_store

# {node: the files it was described in}, as store.LoadedData.origins has it.
Origins = Mapping[URIRef | BNode, Sequence[Path]]


class Disclosure(Enum):
    """How much a command may disclose."""

    PUBLIC = "public"
    RESTRICTED = "restricted"  # public and restricted; never confidential
    ALL = "all"


# The levels of rg:sensitivityLevels (ontology/vocabularies.ttl); a test keeps the two the same.
KNOWN_LEVELS = frozenset({RG.public, RG.restricted, RG.confidential})

LEVELS_HIDDEN = {
    Disclosure.PUBLIC: {RG.restricted, RG.confidential},
    Disclosure.RESTRICTED: {RG.confidential},
    Disclosure.ALL: set(),
}

# The links from a claim to the nodes that are part of it, whatever kind of node they are.
PART_LINKS = frozenset({RG.states, RG.quote})

# Resources that are someone's words, withheld like a claim when they cite a withheld node.
WORDS_CLASSES = frozenset({RG.Quotation})


def load_for_disclosure(project: Project, data_paths: Iterable[Path] | None = None) -> tuple[Graph, Origins]:
    """The graph `load_graph` gives, with the files each data subject was described in, so that a
    refusal can name the file."""
    data = load_store(project, data_paths)
    return graph_of(data.store), data.origins


def files_of(origins: Origins | None, node: Node) -> str:
    if origins is None or not isinstance(node, (URIRef, BNode)):
        return ""  # a literal subject, asserted from a malformed statement, has no file of its own
    return ", ".join(str(path) for path in origins.get(node, ()))


def check_levels(graph: Graph, origins: Origins | None = None) -> None:
    """Refuse (InputError, exit 2) any rg:sensitivity that is not exactly one known level."""
    problems: list[str] = []
    for node in sorted(set(graph.subjects(RG.sensitivity)), key=str):
        values = sorted(graph.objects(node, RG.sensitivity), key=str)
        shown = ", ".join(value.n3(graph.namespace_manager) for value in values)
        if len(values) > 1:
            why = f"has {len(values)} sensitivity levels ({shown}): expected exactly one"
        elif values[0] not in KNOWN_LEVELS:
            why = f"has rg:sensitivity {shown}, which is not a level"
        else:
            continue
        files = files_of(origins, node)
        problems.append(f"{files + ': ' if files else ''}{node.n3(graph.namespace_manager)} {why}")
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"{problems[0]}{more}; the levels are rg:public, rg:restricted and "
                         "rg:confidential, and nothing is disclosed until each is one of them")


def _parts(graph: Graph, node: Node) -> Iterator[Node]:
    """The node, and what belongs to it: blank nodes under it, and what it links to by PART_LINKS,
    recursively."""
    seen = {node}
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for link, value in graph.predicate_objects(current):
            if value not in seen and (isinstance(value, BNode) or link in PART_LINKS):
                seen.add(value)
                stack.append(value)


def _claims(graph: Graph) -> set[Node]:
    return set(graph.subjects(RG.states)) | set(graph.subjects(RG.quote))


def _owners(graph: Graph, claims: Iterable[Node]) -> dict[Node, set[Node]]:
    """{node: the claims it is part of}, each claim included as part of itself."""
    owners: dict[Node, set[Node]] = defaultdict(set)
    for claim in claims:
        for part in _parts(graph, claim):
            owners[part].add(claim)
    return owners


def _is_words(graph: Graph, node: Node) -> bool:
    return any((node, RDF.type, cls) in graph for cls in WORDS_CLASSES)


def _spread(graph: Graph, owners: Mapping[Node, set[Node]], seeds: Iterable[Node], withheld: set[Node]) -> None:
    """Add the seeds to `withheld`, with their parts and everything that cites a withheld node."""
    queue = [seed for seed in seeds if seed not in withheld]
    while queue:
        node = queue.pop()
        if node in withheld:
            continue
        for part in _parts(graph, node):
            if part in withheld:
                continue
            withheld.add(part)
            for citing, link in graph.subject_predicates(part):
                queue.extend(owners.get(citing, ()))  # a claim, through itself or a part of it
                if _is_words(graph, citing):
                    queue.append(citing)
                # A statement about a quotation that names the withheld node as its value.
                about = graph.value(citing, RG.subject) if link == RG.object else None
                if about is not None and _is_words(graph, about):
                    queue.append(about)


@dataclass(frozen=True)
class _Words:
    """A quote's words and where it says they are in its source document."""

    text: str
    start: int | None
    end: int | None

    def shared_with(self, other: _Words) -> bool:
        """Whether either holds the other's words, or their offsets overlap."""
        if self.text and other.text and (self.text in other.text or other.text in self.text):
            return True
        if self.start is None or self.end is None or other.start is None or other.end is None:
            return False
        return self.start < other.end and other.start < self.end


def _offset(value: Node | None) -> int | None:
    number = value.toPython() if isinstance(value, Literal) else None
    return number if isinstance(number, int) else None


def _quotes(graph: Graph, claim: Node) -> Iterator[tuple[Node | None, _Words]]:
    """(source document, words) of each quote of a claim."""
    source = graph.value(claim, PROV.wasDerivedFrom)
    for quote in graph.objects(claim, RG.quote):
        yield source, _Words(str(graph.value(quote, OA.exact) or ""),
                             _offset(graph.value(quote, OA.start)), _offset(graph.value(quote, OA.end)))


def _containing(graph: Graph, claims: set[Node], withheld: set[Node]) -> set[Node]:
    """Public claims whose quotes share words with a withheld claim's quote of the same document."""
    secret: dict[Node | None, list[_Words]] = defaultdict(list)
    for claim in claims & withheld:
        for source, words in _quotes(graph, claim):
            secret[source].append(words)
    return {claim for claim in claims - withheld
            for source, words in _quotes(graph, claim)
            if any(words.shared_with(other) for other in secret.get(source, ()))}


def withheld_nodes(graph: Graph, disclosure: Disclosure = Disclosure.PUBLIC) -> set[Node]:
    """Every node `disclosure` does not allow, with its parts (see the module's rules)."""
    levels = LEVELS_HIDDEN[disclosure]
    roots = {node for node, level in graph.subject_objects(RG.sensitivity) if level in levels}
    if not roots:
        return set()
    claims = _claims(graph)
    owners = _owners(graph, claims)
    withheld: set[Node] = set()
    _spread(graph, owners, roots, withheld)
    # Once, not to a fixed point: the words of a claim withheld for containing others are not secret.
    _spread(graph, owners, _containing(graph, claims, withheld), withheld)
    return withheld


def disclosed_view(graph: Graph, disclosure: Disclosure = Disclosure.PUBLIC,
                   origins: Origins | None = None) -> Graph:
    """A copy of the graph without what `disclosure` does not allow (the graph itself when nothing
    is withheld); InputError, naming the file from `origins`, for a level that is not a level."""
    check_levels(graph, origins)
    withheld = withheld_nodes(graph, disclosure)
    if not withheld:
        return graph
    # Facts that only withheld claims state are withheld too.
    supported_elsewhere: set[tuple[Node, Node, Node]] = set()
    only_withheld: set[tuple[Node, Node, Node]] = set()
    for claim, statement in graph.subject_objects(RG.states):
        triple = (graph.value(statement, RG.subject), graph.value(statement, RG.predicate),
                  graph.value(statement, RG.object))
        (only_withheld if claim in withheld else supported_elsewhere).add(triple)  # type: ignore[arg-type]
    drop_facts = only_withheld - supported_elsewhere
    view = bind_prefixes(Graph())
    for triple in graph:
        if any(term in withheld for term in triple) or triple in drop_facts:
            continue
        view.add(triple)
    return view
