"""What every command shares: consoles, exit codes, option types."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console

from oscal_poam.dates import LAST_DAY, iso_day
from oscal_poam.errors import UsageError


class ExitCode(IntEnum):
    OK = 0
    DIAGNOSTICS = 1
    USAGE = 2
    LOAD = 3
    INTERNAL = 4
    WRITE = 5


out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """JSON for machines on standard output: plain text, no styling, quick even for large reports."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def parse_as_of(value: str | None) -> dt.date | None:
    """`--as-of` accepts a date (2026-05-01), a date-time, or `today`."""
    if value is None:
        return None
    if value == "today":
        return dt.date.today()

    day = iso_day(value)
    if day is None:
        if value[:4].isdigit() and int(value[:4]) > LAST_DAY.year:
            raise typer.BadParameter(f"{value!r} is out of range: the last day deadlines are counted on is {LAST_DAY}")
        raise typer.BadParameter(f"{value!r} is not a date such as 2026-05-01")
    return day


AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Evaluate deadlines as of this date (YYYY-MM-DD) instead of today."),
]

FailOn = Annotated[
    Literal["warning", "error"],
    typer.Option("--fail-on", help="Exit 1 when a diagnostic of this severity or worse stands."),
]

TextOrJson = Annotated[Literal["text", "json"], typer.Option("--format", "-f", help="Output format.")]
TextJsonOrSarif = Annotated[Literal["text", "json", "sarif"], typer.Option("--format", "-f", help="Output format.")]

Root = Annotated[
    Path | None,
    typer.Option(
        "--root",
        file_okay=False,
        help="The folder documents may name files in (imports, back-matter links); nothing outside it is read. "
        "Default: the folders of the documents given.",
    ),
]


def roots(root: Path | None) -> list[Path] | None:
    """The reading roots `--root` sets (None: the default of each command)."""
    if root is None:
        return None
    if not root.is_dir():
        raise UsageError(f"--root {root}: no such folder")
    return [root]


def waiting(path: object) -> Callable[[], None]:
    """What a writer says while another oscal-poam holds the lock of its output's folder."""
    return lambda: err.print(f"waiting for another oscal-poam writing {path}", markup=False)


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
"""The rich style of each severity's name in text output."""
