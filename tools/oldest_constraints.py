"""Print pip constraints that pin every dependency to the lower bound pyproject.toml gives it.

    python tools/oldest_constraints.py > constraints.txt
    pip install -c constraints.txt '.[test]'

`.ci/run-oldest` runs the tests with these releases, so that each lower bound is one the tests pass with.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;]*)")
LOWER = re.compile(r">=\s*([^,\s]+)")


def normal(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(extra: str | None = None, root: Path = ROOT) -> dict[str, str]:
    """The dependencies (or an extra's), normalised distribution name to version specifier."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {}
    for requirement in project["dependencies"] if extra is None else project["optional-dependencies"][extra]:
        match = REQUIREMENT.match(requirement)
        if match is None:
            raise ValueError(f"not a requirement: {requirement!r}")
        found[normal(match.group(1))] = match.group(2).strip()
    return found


def constraints(root: Path = ROOT) -> list[str]:
    """One `name==lower-bound` line for each dependency and test requirement."""
    lines = []
    for name, specifier in {**declared(root=root), **declared("test", root)}.items():
        lower = LOWER.search(specifier)
        if lower is None:
            raise ValueError(f"{name} has no lower bound")
        lines.append(f"{name}=={lower.group(1)}")
    return lines


def main() -> int:
    print("\n".join(constraints()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
