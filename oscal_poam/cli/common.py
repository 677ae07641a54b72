"""What every command shares, declared once: consoles, exit codes, the options, rule selection, and how
diagnostics are shown.

A command that runs rules takes `--select`/`--ignore` (merged with the configuration file, `oscal_poam.config`),
`-v/--verbose` and `-q/--quiet`, and shows its diagnostics with `show_diagnostics`: by default the errors in full
and every other rule counted on one line; with `--verbose` every diagnostic on its own line; with `--quiet` none
(the verdict alone, and the exit code).

Imports inside the functions are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console

from oscal_poam.dates import LAST_DAY, iso_day
from oscal_poam.digits import ascii_digits
from oscal_poam.errors import UsageError

if TYPE_CHECKING:
    from rich.text import Text

    from oscal_poam.diagnostics import Diagnostic
    from oscal_poam.engine.inputs import Selection


class ExitCode(IntEnum):
    OK = 0
    DIAGNOSTICS = 1
    USAGE = 2
    LOAD = 3
    INTERNAL = 4
    WRITE = 5


out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 80}
"""`-h` as well as `--help`, and help laid out for 80 columns (narrower terminals wrap it to their width)."""


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
        if ascii_digits(value[:4]) and int(value[:4]) > LAST_DAY.year:
            raise typer.BadParameter(
                f"{value!r} is out of range: the last day deadlines are counted on is {LAST_DAY}", param_hint="--as-of"
            )
        raise typer.BadParameter(f"{value!r} is not a date such as 2026-05-01", param_hint="--as-of")
    return day


def parse_level(value: str | None) -> int | None:
    """`--level`: 1, 2 or 3; `auto` (or nothing) leaves it to the documents. The same words in every command."""
    if value is None or value == "auto":
        return None
    if value.strip() in ("1", "2", "3"):
        return int(value)
    raise typer.BadParameter(f"{value!r} is not a CMMC level: give 1, 2 or 3", param_hint="--level")


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Judge deadlines as of this date (YYYY-MM-DD or today).", show_default=False
    ),
]

Level = Annotated[
    str | None,
    typer.Option("--level", metavar="LEVEL", help="The CMMC level, 1, 2 or 3 (default: what the documents state)."),
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
        metavar="FOLDER",
        file_okay=False,
        help="The folder documents may name files in (imports, back-matter links); nothing outside it is read. "
        "Default: the folders of the documents given.",
    ),
]

Jobs = Annotated[
    int | None,
    typer.Option("--jobs", "-j", metavar="N", min=1, help="Processes to work in; default: the number of cores."),
]

Exclude = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude", "-e", metavar="PATTERN", help="A .gitignore-style pattern of paths to skip; repeat for more."
    ),
]

Select = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        metavar="RULES",
        help="Report only these rules: ids, families or id prefixes, separated by commas or given again "
        "(default: the configuration file's, else every rule).",
    ),
]

Ignore = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore",
        metavar="RULES",
        help="Never report these rules: ids, families or id prefixes (added to the configuration file's).",
    ),
]

Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="List every diagnostic on its own line.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print the verdict alone; the exit code says the rest.")]

Generic = Annotated[
    bool,
    typer.Option(
        "--generic",
        help="Read the documents as plain OSCAL: only the OSCAL checks run, no CMMC rule (default: "
        "the CMMC rules run on CMMC documents).",
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


class Detail(StrEnum):
    """How much of the diagnostics text output shows."""

    QUIET = "quiet"
    SUMMARY = "summary"
    VERBOSE = "verbose"


def detail_of(verbose: bool, quiet: bool) -> Detail:
    if verbose and quiet:
        from oscal_poam.errors import UsageError

        raise UsageError("--verbose and --quiet ask for opposite things: give one of them")
    return Detail.VERBOSE if verbose else Detail.QUIET if quiet else Detail.SUMMARY


def selection_of(select: Sequence[str] | None, ignore: Sequence[str] | None) -> Selection:
    """The rules to report: `--select` (else the configuration file's), less `--ignore` and the file's `ignore`.

    Raises UsageError (exit 2) for a selector that names no rule, and for a configuration file that cannot be read.
    """
    from oscal_poam.config import find_settings
    from oscal_poam.engine.inputs import Selection

    settings = find_settings()
    given_select, given_ignore = _split(select), _split(ignore)
    _known(given_select, "--select")
    _known(given_ignore, "--ignore")
    if settings.source is not None:
        _known(settings.select, f"{settings.source}: select")
        _known(settings.ignore, f"{settings.source}: ignore")
    return Selection(given_select or settings.select, (*settings.ignore, *given_ignore))


def _split(values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(part.strip() for value in values or () for part in value.split(",") if part.strip())


def _known(selectors: Sequence[str], where: str) -> None:
    from oscal_poam.engine.ruleset import unknown_selectors
    from oscal_poam.errors import UsageError
    from oscal_poam.quoting import excerpt

    unknown = unknown_selectors(selectors)
    if unknown:
        names = ", ".join(excerpt(u) for u in unknown)
        noun = "names no rule" if len(unknown) == 1 else "name no rule"
        raise UsageError(f"{where} {names} {noun}, family or id prefix; docs/rules.md lists them")


def show_diagnostics(diagnostics: Sequence[Diagnostic], detail: Detail, console: Console, counted: str = "") -> None:
    """Diagnostics as text, in document order (see the module docstring), then the counts, after `counted`."""
    from rich.text import Text

    from oscal_poam.diagnostics import Severity
    from oscal_poam.render.counts import summary_line

    if detail is Detail.QUIET:
        return
    shown = [d for d in diagnostics if detail is Detail.VERBOSE or d.severity is Severity.ERROR]
    for d in shown:
        console.print(styled(d))
    listed = set(shown)
    rest = [d for d in diagnostics if d not in listed]
    if rest:
        from oscal_poam.render.groups import by_rule

        console.print(Text("By rule (--verbose lists each one with its place):"))
        for group in by_rule(rest):
            console.print(_group_line(group.count, group.severity.value, group.rule_id, group.message))
    console.print(Text(counted + summary_line(diagnostics)))


GROUP_LINE = 100
"""The longest a rule's line of the summary runs: its message is cut short to fit (--verbose shows it all)."""


def _group_line(count: int, severity: str, rule_id: str, message: str) -> Text:
    from rich.text import Text

    from oscal_poam.quoting import printable

    head = f"  {count:>3} {severity:<7} {rule_id}: "
    said = printable(message)
    room = max(GROUP_LINE - len(head), 20)
    if len(said) > room:
        said = said[: room - 1].rstrip() + "…"
    return Text.assemble(head[:6], (head[6:13], SEVERITY_STYLE[severity]), head[13:], said)


def styled(d: Diagnostic) -> Text:
    """The text renderer's line with its parts styled: the location bold, the severity coloured."""
    from rich.text import Text

    from oscal_poam.render.text import cited, location, pointed, said

    line = Text.assemble(
        (location(d.document, d.line, d.column), "bold"),
        ": ",
        (d.severity.value, SEVERITY_STYLE[d.severity.value]),
        f" {said(d)}",
    )
    line.append(cited(d), style="dim")
    line.append(pointed(d), style="dim")
    return line
