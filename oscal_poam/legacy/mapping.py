"""`--mapping MAP.yaml`: headers that no alias knows, mapped by hand.

columns:                     # header as the sheet writes it -> field
  Fix Owner: owner           # a field by name (poam_id, controls, ...) or label (Point of Contact)
  Ctrl #: controls
  Internal ref: keep         # keep as an item prop legacy-internal-ref, even if an alias matches
header-row: 3                # optional: where the headers are, when detection guesses wrong
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from oscal_poam.errors import LoadError, Problem
from oscal_poam.io import pointers
from oscal_poam.io.files import read_file
from oscal_poam.io.load import read_yaml
from oscal_poam.legacy.layouts import FIELDS, normalize_header

KEEP = "keep"


@dataclass(frozen=True)
class ColumnMap:
    overrides: dict[str, str] = field(default_factory=dict)
    """Normalized header -> canonical field name, or `keep`."""
    header_row: int | None = None
    source: str = ""


_FIELD_NAMES: dict[str, str] = {}
for _f in FIELDS:
    _FIELD_NAMES[normalize_header(_f.name)] = _f.name
    _FIELD_NAMES[normalize_header(_f.label)] = _f.name
_FIELD_NAMES[KEEP] = KEEP


def field_named(text: str) -> str | None:
    return _FIELD_NAMES.get(normalize_header(text))


def load_mapping(path: str | os.PathLike[str]) -> ColumnMap:
    """The mapping in the YAML file at `path`, read as every input is: capped in size, depth and alias expansion."""

    source = str(path)
    data: Any = read_yaml(read_file(path, source), source)
    return parse_mapping(data, source)


def parse_mapping(data: Any, source: str = "<mapping>") -> ColumnMap:
    if data is None:
        return ColumnMap(source=source)
    if not isinstance(data, dict):
        raise LoadError.single("a mapping is a YAML mapping with a `columns` key", source, pointer="")
    unknown = sorted(str(k) for k in data if k not in ("columns", "header-row"))
    problems = [
        Problem(f"unknown key {k!r}; expected `columns` or `header-row`", source, pointers.join(k)) for k in unknown
    ]
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(Problem("`columns` maps each header to a field", source, "/columns"))
        columns = {}
    overrides: dict[str, str] = {}
    for header, target in columns.items():
        where = pointers.join("columns", str(header))
        name = field_named(str(target)) if isinstance(target, str) else None
        if name is None:
            known = ", ".join(f.name for f in FIELDS)
            problems.append(Problem(f"{target!r} is not a field; use one of {known}, or keep", source, where))
            continue
        key = normalize_header(str(header))
        if not key:
            problems.append(Problem(f"header {header!r} has no letters or digits", source, where))
            continue
        overrides[key] = name
    header_row = data.get("header-row")
    if header_row is not None and (not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1):
        problems.append(Problem(f"header-row is {header_row!r}; expected a row number from 1", source, "/header-row"))
        header_row = None
    if problems:
        raise LoadError(problems)
    return ColumnMap(overrides, header_row, source)
