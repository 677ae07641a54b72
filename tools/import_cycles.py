"""Find import cycles in the oscal_poam package, counting the imports inside functions.

    python tools/import_cycles.py [--graph]

Every module is parsed with `ast`; an edge A -> B is any import of B written anywhere in A: at the top, inside a
function or a method, in a `try`, `importlib.import_module("B")` with a literal name, and the module names of the
lazy public API's table (`_LAZY = {"name": "module"}` in `oscal_poam/__init__.py`). `from P import x` is an import
of P, and of P.x too where P.x is a module. Imports under `if TYPE_CHECKING:` are left out: they never run.
A cycle is a strongly connected set of two or more modules. Exit status 1 when there is one.

`--graph` prints every module's edges instead.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "oscal_poam"
LAZY_TABLE = "_LAZY"


def modules(root: Path = ROOT, package: str = PACKAGE) -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package) for every module of `package` under `root`."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


def _named(module: str, is_package: bool, node: ast.AST) -> Iterator[str]:
    """The dotted names an import statement (or import_module call) names."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = module.split(".") if is_package else module.split(".")[:-1]
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join([*parts, base] if base else parts)
        yield base
        for alias in node.names:
            yield f"{base}.{alias.name}"
    elif isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name == "import_module" and node.args and isinstance(node.args[0], ast.Constant):
            value = node.args[0].value
            if isinstance(value, str):
                yield value
    elif (
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == LAZY_TABLE for t in node.targets)
        and isinstance(node.value, ast.Dict)
    ):
        for value in node.value.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield value.value


def graph(root: Path = ROOT, package: str = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports (at any depth, TYPE_CHECKING blocks left out)."""
    known = modules(root, package)
    edges: dict[str, set[str]] = {}
    for module, (path, is_package) in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        skipped = _type_checking_nodes(tree)
        found: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped or not isinstance(node, ast.Import | ast.ImportFrom | ast.Call | ast.Assign):
                continue
            for name in _named(module, is_package, node):
                if name in known and name != module:
                    found.add(name)
        edges[module] = found
    return edges


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected sets of two or more modules (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Find import cycles in oscal_poam, function-level imports included.")
    parser.add_argument("--graph", action="store_true", help="print every module's imports")
    args = parser.parse_args(argv)
    edges = graph()
    if args.graph:
        for module in sorted(edges):
            print(f"{module}: {', '.join(sorted(edges[module])) or '-'}")
        return 0
    found = cycles(edges)
    for component in found:
        print(f"cycle of {len(component)} modules: {', '.join(component)}")
    if not found:
        print(f"no import cycles among {len(edges)} modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
