"""The tree, the import contract and docs/architecture.md agree: layers import only downward
(import-linter's contracts in pyproject.toml), no module imports another's private names, there
is no import cycle, and every room the architecture page names is a package of the tree."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx

from conftest import ROOT

PACKAGE = ROOT / "scripts" / "rightsgraph"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "node_modules" in path.parts:
            continue
        name = ".".join(("rightsgraph", *path.relative_to(PACKAGE).with_suffix("").parts))
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path) -> list[ast.ImportFrom]:
    return [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rightsgraph")]


def test_the_layer_contracts_hold() -> None:
    command = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    result = subprocess.run([sys.executable, "-c", command, str(ROOT / "pyproject.toml"), "--no-cache"],
                            cwd=ROOT / "scripts", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_imports_another_modules_private_names() -> None:
    offending = [f"{path.relative_to(ROOT)}:{node.lineno} {alias.name} from {node.module}"
                 for path in _modules().values() for node in _imports(path) for alias in node.names
                 if alias.name.startswith("_") and alias.name != "__version__"]
    assert offending == []


def test_there_is_no_import_cycle() -> None:
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        for node in _imports(path):
            target = node.module or ""
            if target in modules and target != name:
                graph.add_edge(name, target)
    cycles = [cycle for cycle in nx.simple_cycles(graph) if len(cycle) > 1]
    assert cycles == []


def test_the_architecture_page_names_the_rooms_of_the_tree() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`rightsgraph/([a-z_]+)/`", page))
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert named == packages
    # and the layers the contract checks are the ones the page draws
    contract = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for room in packages:
        assert f'"rightsgraph.{room}' in contract or f"rightsgraph.{room} |" in contract \
            or f"| rightsgraph.{room}" in contract, room
