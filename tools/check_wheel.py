"""Build the wheel and check that it carries the shipped catalogs, profiles and NIST schemas inside the package.

    python tools/check_wheel.py

The wheel maps the top-level `catalogs/` and `profiles/` folders, and NIST's
XSDs and JSON schemas from `reference/oscal-schemas/1.2.1/` (the one copy in
the repository), into `oscal_poam/` (pyproject's hatch `force-include`), where
`oscal_poam.resources` finds them with importlib.resources. Building needs
pip and the build backend (fetched by pip unless already cached).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("catalogs", "profiles")
SCHEMAS = {"xml": "*.xsd", "json": "*.json"}
"""The schema folders under reference/oscal-schemas/1.2.1/, shipped as oscal_poam/schemas/<folder>/."""


def expected_members(root: Path = ROOT) -> set[str]:
    """The wheel paths of every shipped document and schema, and of the check mappings with their notice."""
    documents = {
        f"oscal_poam/{folder}/{path.name}" for folder in FOLDERS for path in sorted((root / folder).glob("*.json"))
    }
    mappings = root / "catalogs" / "mappings"
    documents |= {f"oscal_poam/catalogs/mappings/{p.name}" for p in sorted(mappings.glob("*")) if p.is_file()}
    schemas = {
        f"oscal_poam/schemas/{folder}/{path.name}"
        for folder, pattern in SCHEMAS.items()
        for path in sorted((root / "reference" / "oscal-schemas" / "1.2.1" / folder).glob(pattern))
    }
    return documents | schemas


def wheel_members(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def build_wheel(out: Path, root: Path = ROOT) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(root), "--no-deps", "--quiet", "--wheel-dir", str(out)],
        check=True,
    )
    (wheel,) = out.glob("oscal_poam-*.whl")
    return wheel


def main() -> int:
    wanted = expected_members()
    if not wanted:
        print("error: no shipped catalogs, profiles or schemas to check", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="oscal-poam-wheel-") as folder:
        wheel = build_wheel(Path(folder))
        missing = sorted(wanted - wheel_members(wheel))
        name = wheel.name
    for member in missing:
        print(f"missing from {name}: {member}", file=sys.stderr)
    if missing:
        return 1
    print(f"{name} carries all {len(wanted)} shipped documents and schemas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
