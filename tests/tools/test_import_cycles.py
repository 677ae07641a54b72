"""No import cycles in oscal_poam, counting the imports inside functions (tools/import_cycles.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tools import import_cycles


def test_the_package_has_no_import_cycle() -> None:
    """ "There are no import cycles in `oscal_poam` counting function-level imports." """
    edges = import_cycles.graph()
    assert len(edges) > 50
    assert import_cycles.cycles(edges) == []


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # an import inside a function is an import
        (
            {"__init__.py": "", "a.py": "import pkg.b\n", "b.py": "def f():\n    from pkg import a\n"},
            [["pkg.a", "pkg.b"]],
        ),
        # `from package import module` imports the package, whose __init__ imports the module back
        (
            {"__init__.py": "def f():\n    from pkg import a\n", "a.py": "from pkg import b\n", "b.py": ""},
            [["pkg", "pkg.a"]],
        ),
        # the lazy table of a package's __init__ counts, as does import_module with a literal name
        ({"__init__.py": '_LAZY = {"x": "pkg.a"}\n', "a.py": "from pkg import b\n", "b.py": ""}, [["pkg", "pkg.a"]]),
        (
            {
                "__init__.py": "",
                "a.py": "import importlib\nimportlib.import_module('pkg.b')\n",
                "b.py": "import pkg.a\n",
            },
            [["pkg.a", "pkg.b"]],
        ),
        # imports that never run (type checking only) do not
        (
            {
                "__init__.py": "",
                "a.py": "import pkg.b\n",
                "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n",
            },
            [],
        ),
    ],
)
def test_the_tool_sees_every_kind_of_import(tmp_path: Path, files: dict[str, str], expected: list[list[str]]) -> None:
    root = _package(tmp_path, files)
    assert import_cycles.cycles(import_cycles.graph(root, "pkg")) == expected


DEFERRING = {
    "oscal_poam.cli": "the commands import what they run when they run, so that `oscal-poam --version` stays fast",
    "oscal_poam.io": "the readers and writers import lxml, pydantic and the models only for the format at hand",
}
"""The only places imports may be deferred into functions, and why (the root package's lazy API aside)."""


def test_imports_are_deferred_only_where_they_keep_start_up_fast() -> None:
    """ "Deferred imports stay only where they keep the CLI's start-up fast, and say so." """
    found = []
    for module, (path, _) in import_cycles.modules().items():
        if module == "oscal_poam" or any(module.startswith(f"{prefix}.") for prefix in DEFERRING):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                found.extend(
                    f"{module}:{node.lineno}"
                    for node in ast.walk(function)
                    if isinstance(node, ast.Import | ast.ImportFrom)
                )
    assert found == []


def test_the_cli_says_why_it_defers() -> None:
    for module, (path, _) in import_cycles.modules().items():
        if module.startswith("oscal_poam.cli.") and "def " in path.read_text(encoding="utf-8"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            defers = any(
                isinstance(node, ast.Import | ast.ImportFrom)
                for function in ast.walk(tree)
                if isinstance(function, ast.FunctionDef)
                for node in ast.walk(function)
            )
            if defers:
                assert "keep `oscal-poam --version` fast" in (ast.get_docstring(tree) or ""), module
