"""Query results as one shape for every engine: variable names and rows of rdflib terms."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib.term import Node


@dataclass
class Rows:
    variables: list[str]
    rows: list[tuple[Node | None, ...]]

    def __len__(self) -> int:
        return len(self.rows)

    def as_dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.variables, row)) for row in self.rows]

    def column(self, name: str) -> list[Node | None]:
        index = self.variables.index(name)
        return [row[index] for row in self.rows]
