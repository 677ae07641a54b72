"""Where the shipped catalogs, profiles and NIST schemas are.

Installed, they sit inside the package (the wheel maps the top-level
`catalogs/` and `profiles/` folders, and NIST's XSDs and JSON schemas from
`reference/oscal-schemas/1.2.1/`, into it); in a source checkout they are read
where they are in the repository.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Literal

Folder = Literal["catalogs", "profiles"]
SchemaFormat = Literal["xml", "json"]

_CHECKOUT = Path(__file__).resolve().parent.parent
SCHEMA_VERSION = "1.2.1"


def shipped(folder: Folder) -> Traversable:
    inside = resources.files("oscal_poam").joinpath(folder)
    if inside.is_dir():
        return inside
    return _CHECKOUT / folder


def shipped_file(folder: Folder, name: str) -> Traversable:
    return shipped(folder).joinpath(name)


def schemas(fmt: SchemaFormat) -> Traversable:
    """The folder of NIST's OSCAL schemas in `fmt`: XSDs for "xml", JSON schemas for "json"."""
    inside = resources.files("oscal_poam").joinpath("schemas", fmt)
    if inside.is_dir():
        return inside
    return _CHECKOUT / "reference" / "oscal-schemas" / SCHEMA_VERSION / fmt


def schema_file(fmt: SchemaFormat, model: str) -> Traversable:
    """NIST's schema of `model` (as its file names spell it: ssp, poam, catalog, ...) in `fmt`."""
    suffix = "xsd" if fmt == "xml" else "json"
    return schemas(fmt).joinpath(f"oscal_{model}_schema.{suffix}")
