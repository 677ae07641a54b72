"""`oscal-poam derive`: the POA&M of an assessment, checked before it is written.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oscal_poam.cli.common import ExitCode, Root, err, out, parse_as_of, roots, waiting

if TYPE_CHECKING:
    import datetime as dt

    from rich.console import Console

    from oscal_poam.derivation.api import DeriveResult


def derive(
    ssp: Annotated[Path, typer.Option("--ssp", help="The system security plan (JSON, YAML or XML).")],
    results: Annotated[Path, typer.Option("--results", help="The assessment results (JSON, YAML or XML).")],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Where to write the POA&M (.json, .yaml or .xml); re-derived onto it if it exists."
        ),
    ],
    level: Annotated[
        str,
        typer.Option("--level", help="auto (the results' cmmc-level, else the level the findings target), 1, 2 or 3."),
    ] = "auto",
    poam: Annotated[
        Path | None, typer.Option("--poam", help="An existing POA&M to re-derive onto (default: the output file).")
    ] = None,
    xml: Annotated[Path | None, typer.Option("--xml", help="Also write the POA&M as OSCAL XML here.")] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Completion date of items closed now and the day the rules judge (default: the day the results "
            "ended); the days left count from it (default: today).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write even when error diagnostics stand (the exit code is still 1).")
    ] = False,
    generic: Annotated[
        bool,
        typer.Option("--generic", help="A plain POA&M from the not-satisfied findings of any results; no CMMC rules."),
    ] = False,
    root: Root = None,
) -> None:
    """Derive the POA&M of an assessment (one item per NOT MET requirement), check it, write it, print the verdict."""
    from oscal_poam.derivation.api import derive as run
    from oscal_poam.errors import UsageError, WriteError
    from oscal_poam.io.boundary import reading_roots
    from oscal_poam.io.outputs import (
        existing_file,
        is_stdout,
        output_locks,
        refuse_overwriting,
        same_file,
    )
    from oscal_poam.io.write import format_for, write_as
    from oscal_poam.render.text import render_text

    chosen = _level(level)
    day = parse_as_of(as_of)
    # --poam may be the output itself: re-deriving onto it in place is what derive does
    onto = poam if poam is None or not same_file(poam, output) else None
    refuse_overwriting(
        [("--output", output), ("--xml", xml)], [("--ssp", ssp), ("--results", results), ("--poam", onto)]
    )
    try:
        fmt = format_for(output)
    except WriteError as exc:
        raise UsageError(str(exc)) from None
    say = err if is_stdout(output) or (xml is not None and is_stdout(xml)) else out  # the POA&M has stdout
    # Another derive onto the same output waits here, so that it merges onto this one's POA&M, not the old one.
    with output_locks([output, xml], on_wait=waiting(output)):
        existing = poam if poam is not None else (output if existing_file(output) else None)
        with reading_roots(roots(root)):
            result = run(ssp, results, level=chosen, existing=existing, as_of=day, generic=generic, poam_path=output)
        if result.diagnostics:
            say.print(render_text(result.diagnostics), end="", markup=False)
        _verdict(result, day, say)
        if result.poam is None:
            say.print("Nothing to put on a POA&M: every requirement is MET. Nothing written.")
            raise typer.Exit(ExitCode.OK)
        blocked = not result.ok
        if blocked and not force:
            say.print(
                f"Not written: {len(result.errors)} error diagnostic{'s' if len(result.errors) != 1 else ''} stand "
                "(--force writes anyway)."
            )
            raise typer.Exit(ExitCode.DIAGNOSTICS)
        written = " and ".join(write_as(result.poam, [(output, fmt), (xml, "xml")]))  # both or neither
    items = len(result.poam.poam_items)
    say.print(f"Wrote {written}: {items} POA&M item{'s' if items != 1 else ''}.", markup=False)
    if blocked:
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def _level(value: str) -> int | None:
    if value == "auto":
        return None
    if value in ("1", "2", "3"):
        return int(value)
    raise typer.BadParameter(f"{value!r} is not auto, 1, 2 or 3", param_hint="--level")


def _verdict(result: DeriveResult, as_of: dt.date | None, out: Console) -> None:
    """Final; Conditional with its deadline and days left; or no status with every reason and its citation."""
    import datetime as dt

    from rich.markup import escape

    today = as_of or dt.date.today()
    if result.closeout is not None:
        closed = result.closeout
        line = f"[bold]{escape(closed.cmmc_status)}[/]"
        if closed.verdict != "final" and closed.deadline is not None:
            line += f": closeout due by {closed.deadline.isoformat()}, {_days(closed.deadline, today)}"
        out.print(line)
        if closed.verdict != "final":
            _reasons(result, out)
        return
    verdict = result.verdict
    if verdict is None:
        items = len(result.poam.poam_items) if result.poam is not None else 0
        out.print(f"[bold]Generic POA&M[/]: {items} item{'s' if items != 1 else ''}; the CMMC rules were skipped.")
        return
    line = f"[bold]{escape(verdict.statement)}[/]"
    if verdict.status == "conditional" and verdict.deadline is not None:
        line += f": POA&M closeout due by {verdict.deadline.isoformat()}, {_days(verdict.deadline, today)}"
    out.print(line)
    if verdict.status in ("none", "expired"):
        _reasons(result, out)


def _reasons(result: DeriveResult, out: Console) -> None:
    from rich.markup import escape

    from oscal_poam.diagnostics import Severity
    from oscal_poam.quoting import printable

    reasons = result.verdict.reasons if result.verdict is not None else result.diagnostics
    for d in reasons:
        if d.severity is Severity.ERROR:
            cited = f" [{d.citation}]" if d.citation else ""
            out.print(f"  - {escape(printable(d.message))}{escape(printable(cited))}")


def _days(deadline: dt.date, today: dt.date) -> str:
    left = (deadline - today).days
    if left >= 0:
        return f"{left} day{'s' if left != 1 else ''} left as of {today.isoformat()}"
    return f"{-left} day{'s' if left != -1 else ''} past as of {today.isoformat()}"
