"""Where the shipped catalogs and profiles are.

Installed, they sit inside the package (the wheel maps the top-level
`catalogs/` and `profiles/` folders into it); in a source checkout they sit
beside the package.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Literal

Folder = Literal["catalogs", "profiles"]


def shipped(folder: Folder) -> Traversable:
    inside = resources.files("oscal_poam").joinpath(folder)
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parent.parent / folder


def shipped_file(folder: Folder, name: str) -> Traversable:
    return shipped(folder).joinpath(name)
