"""Every package the code imports is declared in pyproject.toml, with a lower and an upper bound.

The package's own imports must be among its dependencies (a package that arrives only through another's
requirements can leave with that package's next release); the tests' and the tools' may also come from the
`test` extra. bench/ is left out: its comparison tools live in an environment of their own; so is tools/scanners/,
which runs inside the scanners' own environments (tools/gen_scanner_fixtures.py).
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from tests.conftest import ROOT
from tools.oldest_constraints import constraints, declared, normal

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
FIRST_PARTY = {"oscal_poam", "tests", "tools"}
RUNTIME = declared()
TEST = declared("test")


def _imported(folder: str) -> set[str]:
    """The top-level modules imported anywhere under the folder, the standard library's and our own left out."""
    modules: set[str] = set()
    for path in (ROOT / folder).rglob("*.py"):
        if path.is_relative_to(ROOT / "tools" / "scanners"):
            continue
        for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - FIRST_PARTY - {"__future__"}


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    """Each imported module's distributions (normalised names), from the installed packages' metadata."""
    by_module = importlib.metadata.packages_distributions()
    found = {module: {normal(name) for name in by_module.get(module, [])} for module in modules}
    assert all(found.values()), f"imported but not installed: {sorted(m for m, d in found.items() if not d)}"
    return found


def test_the_package_imports_only_its_dependencies() -> None:
    imported = _distributions(_imported("oscal_poam"))
    assert "orjson" in imported  # imported directly, and also a requirement of compliance-trestle
    undeclared = {module: names for module, names in imported.items() if not names & RUNTIME.keys()}
    assert not undeclared, f"imported by oscal_poam but not in [project] dependencies: {undeclared}"


def test_the_tests_and_tools_import_only_declared_packages() -> None:
    imported = _distributions(_imported("tests") | _imported("tools"))
    undeclared = {module: names for module, names in imported.items() if not names & (RUNTIME.keys() | TEST.keys())}
    assert not undeclared, f"imported by tests/ or tools/ but declared nowhere: {undeclared}"


def test_every_requirement_has_a_lower_and_an_upper_bound() -> None:
    for name, specifier in {**RUNTIME, **TEST}.items():
        assert re.search(r">=\s*\d", specifier), f"{name} has no lower bound"
        assert re.search(r"<\s*\d", specifier), f"{name} has no upper bound"


def test_test_extra_does_not_repeat_a_runtime_dependency() -> None:
    assert not RUNTIME.keys() & TEST.keys()


def test_the_declared_licence_is_the_licence_file() -> None:
    assert PROJECT["license"] == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text
    assert "Version 2.0, January 2004" in text


def test_the_oldest_constraints_pin_every_requirement_to_its_lower_bound() -> None:
    pins = dict(line.split("==") for line in constraints())
    assert pins.keys() == RUNTIME.keys() | TEST.keys()
    assert pins["orjson"] == "3.10"
    assert pins["compliance-trestle"] == "5.2"
