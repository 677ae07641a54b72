"""Automated results read once: what each check found on each resource, and the file it came from.

`verification.read.read_results` reads one file of scanner output, telling the format apart by content, not by name:

- Prowler's OCSF JSON (`prowler <provider> --output-formats json-ocsf`): a JSON array of OCSF Detection Findings;
- SARIF 2.1.0 from any scanner (Checkov, tfsec, Semgrep, conftest, Prowler's IaC scans);
- OSCAL assessment results from any tool, in JSON, YAML or XML.

Every file goes through the project's reading boundary (a regular file, under OSCAL_POAM_MAX_BYTES); anything that
is not one of these formats, or does not hold what the format requires, is a LoadError naming the file and the place
(a JSON pointer, with the line where the format has lines). No message quotes the file's content beyond the value
at fault.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import oscal_poam.limits as limits
from oscal_poam.errors import LoadError, Problem
from oscal_poam.io import pointers
from oscal_poam.io.load import decode

Outcome = Literal["pass", "fail"]
Format = Literal["prowler-ocsf", "sarif", "oscal"]

FORMAT_NAMES: Mapping[str, str] = {
    "prowler-ocsf": "Prowler OCSF JSON",
    "sarif": "SARIF 2.1.0",
    "oscal": "OSCAL assessment results",
}
MEDIA_TYPES: Mapping[str, str] = {
    "prowler-ocsf": "application/json",
    "sarif": "application/sarif+json",
    "oscal": "application/oscal.ar+json",
}


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome on one resource."""

    resource: str
    outcome: Outcome
    message: str = ""
    time: dt.datetime | None = None
    """When the check ran, where the result says; else the file's scan time applies."""


@dataclass(frozen=True)
class Run:
    """What one tool reported in one file: the results of each check, by the key pointers are matched on."""

    tool: str
    """The tool's name as the file gives it (`Prowler`, `Checkov`)."""
    version: str
    results: Mapping[tuple[str, str, str], tuple[CheckResult, ...]]
    """(pointer tool, SARIF tool name, check) -> results; see `pointers.Pointer.key`."""
    declared: frozenset[tuple[str, str, str]] = frozenset()
    """Checks the run names as run even without a result (SARIF's rules table)."""
    complete: bool = True
    """False for a SARIF run that says it did not complete: it is no evidence of anything."""
    failures_only: bool = False
    """True where the format lists only what fails (SARIF): a check of the run with no failing result passed."""
    scanned: dt.datetime | None = None
    """When the run ended (or started), where the file says."""

    @property
    def label(self) -> str:
        return f"{self.tool} {self.version}".strip()


@dataclass(frozen=True)
class ResultFile:
    """A file of automated results: its identity (path, hash) and the runs it holds."""

    source: str
    """The file as named on the command line."""
    path: Path
    format: Format
    sha256: str
    runs: tuple[Run, ...] = field(default=())

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES[self.format]


def decode_json(data: bytes, source: str) -> Any:
    """Plain data from JSON, read as every input is (`io.load.decode`: a key twice, a number beyond 64 bits, text
    that is not UTF-8 are located errors)."""
    return decode(data, source, max_bytes=limits.max_bytes())[1]


class Shape:
    """Reads required values out of plain data, raising a LoadError located by JSON pointer when one is wrong.

    Problems are collected up to OSCAL_POAM_MAX_PROBLEMS, so that one run reports the first of them together.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[tuple[str, str]] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append((where, message))
        if len(self.problems) >= limits.max_problems():
            self.raise_if_any()

    def raise_if_any(self) -> None:
        if self.problems:
            raise LoadError([Problem(message, self.source, where) for where, message in self.problems])

    def object(self, value: Any, where: str, what: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.fail(where, f"{what} must be an object, not {_kind(value)}")
        return None

    def array(self, value: Any, where: str, what: str) -> list[Any] | None:
        if isinstance(value, list):
            return value
        self.fail(where, f"{what} must be an array, not {_kind(value)}")
        return None

    def text(self, value: Any, where: str, what: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        self.fail(where, f"{what} must be a non-empty string, not {_kind(value)}")
        return None

    def optional_text(self, value: Any, where: str, what: str) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        self.fail(where, f"{what} must be a string, not {_kind(value)}")
        return ""

    def time(self, value: Any, where: str, what: str) -> dt.datetime | None:
        """An ISO 8601 date-time with its offset (`Z` or `+hh:mm`)."""
        if value is None:
            return None
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is not None:
                return parsed
        shown = repr(value) if isinstance(value, str) and len(value) <= 40 else _kind(value)
        self.fail(where, f"{what}: {shown} is not a date-time with a time zone (2027-02-08T14:30:00Z)")
        return None


def child(where: str, *tokens: str | int) -> str:
    """A JSON pointer below `where`."""
    return where + "".join("/" + pointers.escape(str(token)) for token in tokens)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "an empty string" if not value.strip() else "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def latest(times: Iterable[dt.datetime | None]) -> dt.datetime | None:
    """The latest of the times given (None when none is given)."""
    found = [t for t in times if t is not None]
    return max(found) if found else None
