"""Neo4j: CSV files in the `neo4j-admin database import` header format, and Cypher to load them.

- nodes.csv: `uri:ID` (the IRI, stored as the property `uri` as neosemantics (n10s) names it),
  `:LABEL` (`Resource` plus the local names of the rdf:types, as n10s labels imported RDF),
  `name:string` (the plain display name, which Neo4j Browser and Bloom show), then
  one typed column per property (`quantity:long`, `isOngoing:boolean`, `date:date`, arrays as
  `label:string[]`). Language-tagged values are kept side by side as "text@lang" (n10s's
  keepLangTag), so `n10s.rdf.getLangValue('zh-Hans', n.label)` reads them.
- relationships.csv: `:START_ID`, `:END_ID`, `:TYPE` (the predicate's local name), the predicate
  IRI, its labels, and the evidence (claims, sources, statuses, quotes).
- neo4j-admin-import.sh: the `neo4j-admin database import full` command for an empty database.
- load-neo4j.cypher: LOAD CSV statements for a running Neo4j 5 (no plugin needed).
- load-kuzu.cypher: the same CSVs into Kuzu, whose Cypher needs a schema and COPY FROM.

Arrays are joined with "|" (neo4j-admin's --array-delimiter, written into the import script and
the Cypher), or with the first of DELIMITERS that no value contains. A property is an array in
every row when it is a list by nature (properties.list_names) or has several values anywhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from rightsgraph.core.errors import InputError
from rightsgraph.export.network import Network, local_name
from rightsgraph.export.properties import (
    Value,
    edge_predicates,
    edge_properties,
    is_date,
    list_names,
    node_predicates,
    node_properties,
    property_names,
)

DELIMITERS = ("|", "¦", "¤", "§")
NODE_FILE = "nodes.csv"
RELATIONSHIP_FILE = "relationships.csv"

_KUZU_TYPES = {"string": "STRING", "long": "INT64", "double": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}
_NEO4J_CONVERT = {"string": "{}", "long": "toInteger({})", "double": "toFloat({})",
                  "boolean": "toBoolean({})", "date": "date({})"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string, long, double, boolean or date
    array: bool

    @property
    def header(self) -> str:
        return f"{self.name}:{self.type}{'[]' if self.array else ''}"


def _columns(records: list[dict[str, list[Value]]], dates: set[str], skip: set[str]) -> list[Column]:
    arrays = list_names(records, "tagged")
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    columns = []
    for name in sorted(n for n in names if n not in skip):
        values = [v for r in records for v in r.get(name, [])]
        array = name in arrays
        if name in dates:
            kind = "date"
        elif all(isinstance(v, bool) for v in values):
            kind = "boolean"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            kind = "long"
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            kind = "double"
        else:
            kind = "string"
        columns.append(Column(name, kind, array))
    return columns


def _date_names(network: Network, names: dict) -> set[str]:
    """Properties whose every value is an xsd:date: typed `date` rather than string."""
    values: dict[str, list[bool]] = {}
    for node in network.nodes.values():
        for predicate, terms in node.attributes.items():
            values.setdefault(names[predicate], []).extend(is_date(t) for t in terms)
    return {name for name, flags in values.items() if flags and all(flags)}


def _delimiter(records: Iterable[dict[str, list[Value]]]) -> str:
    texts = [str(v) for r in records for values in r.values() for v in values]
    for candidate in DELIMITERS:
        if not any(candidate in text for text in texts):
            return candidate
    raise InputError(f"cannot write Neo4j CSV: values contain every array delimiter ({' '.join(DELIMITERS)})")


def _cell(values: list[Value] | None, column: Column, delimiter: str) -> str:
    if not values:
        return ""
    text = [("true" if v else "false") if isinstance(v, bool) else str(v) for v in values]
    return delimiter.join(text) if column.array else text[0]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _labels(network: Network, iri) -> list[str]:
    node = network.nodes[iri]
    return ["Resource", *sorted({local_name(t) for t in node.types} - {"Resource"})]


def _cypher_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _neo4j_value(column: Column, delimiter: str) -> str:
    cell = f"row.{_ident(column.header)}"
    convert = _NEO4J_CONVERT[column.type]
    if not column.array:
        return convert.format(cell)
    item = convert.format("x")
    mapped = f"split({cell}, {_cypher_string(delimiter)})"
    if item != "x":
        mapped = f"[x IN {mapped} | {item}]"
    return f"CASE WHEN {cell} IS NULL THEN null ELSE {mapped} END"


def _neo4j_script(label_sets: list[list[str]], types: list[str], node_columns: list[Column],
                  edge_columns: list[Column], delimiter: str) -> str:
    lines = [
        "// Load the rightsgraph network into a running Neo4j 5 (no plugin needed).",
        f"// Copy {NODE_FILE} and {RELATIONSHIP_FILE} into the database's import folder, then:",
        "//   cypher-shell -u neo4j -p PASSWORD -f load-neo4j.cypher",
        "// Re-running it updates the same nodes and relationships (MERGE on uri and predicate).",
        "",
        "CREATE CONSTRAINT rightsgraph_resource_uri IF NOT EXISTS FOR (n:Resource) REQUIRE n.uri IS UNIQUE;",
        "",
    ]
    node_sets = ",\n    ".join(f"n.{_ident(c.name)} = {_neo4j_value(c, delimiter)}" for c in node_columns)
    lines += [
        f"LOAD CSV WITH HEADERS FROM 'file:///{NODE_FILE}' AS row",
        "MERGE (n:Resource {uri: row.`uri:ID`})",
        f"SET {node_sets};",
        "",
        "// Labels cannot be parameters in Cypher: one statement per set of labels.",
    ]
    for labels in label_sets:
        extra = "".join(f":{_ident(label)}" for label in labels if label != "Resource")
        if extra:
            lines += [
                f"LOAD CSV WITH HEADERS FROM 'file:///{NODE_FILE}' AS row",
                f"WITH row WHERE row.`:LABEL` = {_cypher_string(delimiter.join(labels))}",
                f"MATCH (n:Resource {{uri: row.`uri:ID`}}) SET n{extra};",
            ]
    lines.append("")
    edge_sets = ",\n    ".join(f"r.{_ident(c.name)} = {_neo4j_value(c, delimiter)}"
                               for c in edge_columns if c.name != "predicate")
    for rel_type in types:
        lines += [
            f"LOAD CSV WITH HEADERS FROM 'file:///{RELATIONSHIP_FILE}' AS row",
            f"WITH row WHERE row.`:TYPE` = {_cypher_string(rel_type)}",
            "MATCH (a:Resource {uri: row.`:START_ID`})",
            "MATCH (b:Resource {uri: row.`:END_ID`})",
            f"MERGE (a)-[r:{_ident(rel_type)} {{predicate: row.`predicate:string`}}]->(b)",
            f"SET {edge_sets};",
            "",
        ]
    return "\n".join(lines)


def _kuzu_type(column: Column) -> str:
    return _KUZU_TYPES[column.type] + ("[]" if column.array else "")


def _kuzu_value(column: Column, delimiter: str) -> str:
    cell = _ident(column.header)
    target = _KUZU_TYPES[column.type]
    if column.array:
        split = f"string_split({cell}, {_cypher_string(delimiter)})"
        if target != "STRING":
            split = f"list_transform({split}, x -> CAST(x AS {target}))"
        return f"CASE WHEN {cell} IS NULL THEN NULL ELSE {split} END"
    return cell if target == "STRING" else f"CAST({cell} AS {target})"


def _kuzu_script(types: list[str], node_header: list[str], node_columns: list[Column],
                 edge_header: list[str], edge_columns: list[Column], delimiter: str) -> str:
    node_schema = ", ".join(f"{_ident(c.name)} {_kuzu_type(c)}" for c in node_columns)
    edge_schema = ", ".join(f"{_ident(c.name)} {_kuzu_type(c)}" for c in edge_columns)
    # Every column is read as text and converted here, so Kuzu's type sniffing cannot differ.
    node_load = ", ".join(f"{_ident(h)} STRING" for h in node_header)
    edge_load = ", ".join(f"{_ident(h)} STRING" for h in edge_header)
    options = "(header=true, parallel=false)"  # parallel=false: quotes may span lines
    node_values = ", ".join(
        ["`uri:ID`", f"string_split(`:LABEL`, {_cypher_string(delimiter)})"]
        + [_kuzu_value(c, delimiter) for c in node_columns])
    lines = [
        "// Load the rightsgraph network into Kuzu (run from the folder holding the CSV files).",
        "// One node table, Resource (labels as a list), and one relationship table per type.",
        f"CREATE NODE TABLE Resource(uri STRING PRIMARY KEY, labels STRING[], {node_schema});",
        f"COPY Resource FROM (LOAD WITH HEADERS ({node_load}) FROM '{NODE_FILE}' {options} "
        f"RETURN {node_values});",
    ]
    edge_values = ", ".join(["`:START_ID`", "`:END_ID`"] + [_kuzu_value(c, delimiter) for c in edge_columns])
    for rel_type in types:
        lines += [
            f"CREATE REL TABLE {_ident(rel_type)}(FROM Resource TO Resource, {edge_schema});",
            f"COPY {_ident(rel_type)} FROM (LOAD WITH HEADERS ({edge_load}) FROM '{RELATIONSHIP_FILE}' "
            f"{options} WHERE `:TYPE` = {_cypher_string(rel_type)} RETURN {edge_values});",
        ]
    return "\n".join(lines) + "\n"


def _import_script(delimiter: str) -> str:
    return (
        "#!/bin/sh\n"
        "# Import the rightsgraph network into an empty Neo4j 5 database (the server stopped).\n"
        "# Usage: sh neo4j-admin-import.sh [DATABASE]   (default: neo4j)\n"
        'cd "$(dirname "$0")"\n'
        'exec neo4j-admin database import full "${1:-neo4j}" --overwrite-destination=true \\\n'
        f"    --nodes={NODE_FILE} --relationships={RELATIONSHIP_FILE} \\\n"
        f"    --array-delimiter='{delimiter}' --multiline-fields=true\n"
    )


def to_neo4j(network: Network) -> dict[str, bytes]:
    """The files of the Neo4j export, by name."""
    names = property_names(node_predicates(network))
    types = property_names(edge_predicates(network))
    node_records = {iri: node_properties(network, node, names, "tagged")
                    for iri, node in network.nodes.items()}
    edge_records = [edge_properties(network, edge, "tagged") for edge in network.edges]
    delimiter = _delimiter([*node_records.values(), *edge_records])
    node_columns = _columns(list(node_records.values()), _date_names(network, names), {"uri"})
    edge_columns = _columns(edge_records, set(), set())

    node_header = ["uri:ID", ":LABEL", *(c.header for c in node_columns)]
    node_rows = [
        [str(iri), delimiter.join(_labels(network, iri)),
         *(_cell(record.get(c.name), c, delimiter) for c in node_columns)]
        for iri, record in node_records.items()
    ]
    edge_header = [":START_ID", ":END_ID", ":TYPE", *(c.header for c in edge_columns)]
    edge_rows = [
        [str(edge.source), str(edge.target), types[edge.predicate],
         *(_cell(record.get(c.name), c, delimiter) for c in edge_columns)]
        for edge, record in zip(network.edges, edge_records, strict=True)
    ]
    label_sets = sorted({tuple(_labels(network, iri)) for iri in network.nodes})
    rel_types = sorted(set(types.values()))
    return {
        NODE_FILE: _csv(node_header, node_rows),
        RELATIONSHIP_FILE: _csv(edge_header, edge_rows),
        "load-neo4j.cypher": _neo4j_script([list(s) for s in label_sets], rel_types, node_columns,
                                           edge_columns, delimiter).encode("utf-8"),
        "load-kuzu.cypher": _kuzu_script(rel_types, node_header, node_columns, edge_header,
                                         edge_columns, delimiter).encode("utf-8"),
        "neo4j-admin-import.sh": _import_script(delimiter).encode("utf-8"),
    }
