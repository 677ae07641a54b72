"""Every bound on what an input may cost, in one place, with the environment variable that changes it.

docs/security.md lists them for users. A value that is not a positive whole number is ignored (the default
stands): a typo in CI configuration must not lift a limit.
"""

from __future__ import annotations

import os

from oscal_poam.digits import ascii_digits

MAX_BYTES = 256 * 1024 * 1024
"""A file larger than this is refused before it is read; a workbook may not unpack to more (OSCAL_POAM_MAX_BYTES)."""

MAX_ROWS = 100_000
"""Rows holding a value that a spreadsheet or CSV file may have (OSCAL_POAM_MAX_ROWS)."""

MAX_PROBLEMS = 100
"""Problems reported for one file before the rest are counted, not listed (OSCAL_POAM_MAX_PROBLEMS)."""

YAML_EXPANSION = 10
"""YAML aliases may repeat what their anchors hold, but never grow a document past this many times its own size
(OSCAL_POAM_YAML_EXPANSION), nor past MAX_BYTES."""

YAML_EXPANSION_FLOOR = 1024 * 1024
"""A small document's aliases may always expand to this many bytes: short files with a few anchors are fine."""


def _from_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip().replace("_", "")
    if not ascii_digits(raw) or len(raw) > 18 or int(raw) == 0:
        return default
    return int(raw)


def max_bytes() -> int:
    return _from_env("OSCAL_POAM_MAX_BYTES", MAX_BYTES)


def max_rows() -> int:
    return _from_env("OSCAL_POAM_MAX_ROWS", MAX_ROWS)


def max_problems() -> int:
    return _from_env("OSCAL_POAM_MAX_PROBLEMS", MAX_PROBLEMS)


def yaml_expansion() -> int:
    return _from_env("OSCAL_POAM_YAML_EXPANSION", YAML_EXPANSION)
