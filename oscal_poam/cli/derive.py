"""`oscal-poam derive`: the POA&M of an assessment, checked before it is written.

Text output: the first line says what happened (written, or the one reason nothing was written), the second the
verdict, then the diagnostics as every command shows them (`cli.common.show_diagnostics`), located in the files
written. `--format json` prints one object: `format` (`oscal-poam-derive`), `version` (`1`), `written` (the
files), `withheld` (why nothing was written, else null), `items`, `verdict` (as `score` prints it, or the
closeout's, or null for a generic POA&M), `counts` and `diagnostics`.

Exit status: 0 when written (or when every requirement is MET) and no diagnostic at or above `--fail-on`
stands; 1 when one does (with `--force` the POA&M is written all the same); 2 for a usage error, 3 when an input
cannot be loaded, 5 when an output cannot be written.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from oscal_poam.cli.common import (
    Detail,
    ExitCode,
    FailOn,
    Ignore,
    Level,
    Quiet,
    Root,
    Select,
    TextOrJson,
    Verbose,
    detail_of,
    err,
    out,
    parse_as_of,
    parse_level,
    print_json,
    roots,
    selection_of,
    show_diagnostics,
    waiting,
)
from oscal_poam.quoting import printable
from oscal_poam.render.counts import counted

if TYPE_CHECKING:
    import datetime as dt

    from rich.console import Console

    from oscal_poam.derivation.api import DeriveResult
    from oscal_poam.diagnostics import Diagnostic


def derive(
    ssp: Annotated[Path, typer.Option("--ssp", metavar="FILE", help="The system security plan (JSON, YAML or XML).")],
    results: Annotated[
        Path, typer.Option("--results", metavar="FILE", help="The assessment results (JSON, YAML or XML).")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the POA&M (.json, .yaml or .xml; - for standard output); re-derived onto it "
            "if it exists.",
        ),
    ],
    level: Level = None,
    poam: Annotated[
        Path | None,
        typer.Option("--poam", metavar="FILE", help="An existing POA&M to re-derive onto (default: the output file)."),
    ] = None,
    xml: Annotated[
        Path | None, typer.Option("--xml", metavar="FILE", help="Also write the POA&M as OSCAL XML here.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Completion date of items closed now and the day the rules judge (default: the day the results "
            "ended); the days left count from it (default: today).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write even when errors stand (the exit code is still 1).")
    ] = False,
    generic: Annotated[
        bool,
        typer.Option(
            "--generic", help="Derive a plain POA&M from the not-satisfied findings of any results; no CMMC rule runs."
        ),
    ] = False,
    root: Root = None,
    format: TextOrJson = "text",
    fail_on: FailOn = "error",
    select: Select = None,
    ignore: Ignore = None,
    verbose: Verbose = False,
    quiet: Quiet = False,
) -> None:
    """Derive the POA&M of an assessment (one item per NOT MET requirement), check it, and write it when no
    error stands; print the verdict."""
    from oscal_poam.derivation.api import derive as run
    from oscal_poam.diagnostics import Severity, has_at_least
    from oscal_poam.errors import UsageError, WriteError
    from oscal_poam.io.boundary import reading_roots
    from oscal_poam.io.outputs import (
        existing_file,
        is_stdout,
        output_locks,
        refuse_overwriting,
        same_file,
    )
    from oscal_poam.io.write import format_for, written_as

    chosen = parse_level(level)
    day = parse_as_of(as_of)
    detail = detail_of(verbose, quiet)
    selection = selection_of(select, ignore)
    # --poam may be the output itself: re-deriving onto it in place is what derive does
    onto = poam if poam is None or not same_file(poam, output) else None
    refuse_overwriting(
        [("--output", output), ("--xml", xml)], [("--ssp", ssp), ("--results", results), ("--poam", onto)]
    )
    to_stdout = is_stdout(output) or (xml is not None and is_stdout(xml))
    if to_stdout and format == "json":
        raise UsageError("the POA&M and --format json would both be written to standard output")
    try:
        fmt = format_for(output)
    except WriteError as exc:
        raise UsageError(str(exc)) from None
    say = err if to_stdout else out  # the POA&M has standard output
    written: list[str] = []
    # Another derive onto the same output waits here, so that it merges onto this one's POA&M, not the old one.
    with output_locks([output, xml], on_wait=waiting(output)):
        existing = poam if poam is not None else (output if existing_file(output) else None)
        with reading_roots(roots(root)):
            result = run(
                ssp,
                results,
                level=chosen,
                existing=existing,
                as_of=day,
                generic=generic,
                poam_path=output,
                select=selection.select,
                ignore=selection.ignore,
            )
        diagnostics = result.diagnostics
        withheld = withheld_because(result, force)
        if result.poam is not None and withheld is None:
            outputs = written_as(result.poam, [(output, fmt), (xml, "xml")])  # both or neither
            written = [path for path, _ in outputs]
            diagnostics = placed_in_output(diagnostics, output, fmt, outputs[0][1])
    if format == "json":
        print_json(_as_json(result, written, withheld, diagnostics, day))
    else:
        _print_text(result, written, withheld, diagnostics, day, detail, say)
    if not result.ok or has_at_least(diagnostics, Severity(fail_on)):
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def withheld_because(result: DeriveResult, force: bool) -> str | None:
    """Why nothing is written, in one sentence that starts the output (None: the POA&M is written)."""
    from oscal_poam.diagnostics import Severity
    from oscal_poam.rules.ssp import OTHER_SYSTEM

    verdict = result.closeout.outcome if result.closeout is not None else result.verdict
    reasons = sum(d.severity is Severity.ERROR for d in verdict.reasons) if verdict is not None else 0
    if result.poam is None:
        if verdict is not None and verdict.status == "none":
            return (
                "Nothing written: no requirement is NOT MET, but the assessment earns no CMMC status "
                f"({counted(reasons, 'reason')}, the errors below)"
            )
        return "Nothing written: every requirement is MET, so there is nothing to put on a POA&M"
    errors = result.errors
    if not errors or force:
        return None
    anyway = "; --force writes it anyway"
    if any(d.rule_id == OTHER_SYSTEM.id for d in errors):
        return f"Not written: the SSP and the results describe different systems{anyway}"
    if verdict is not None and verdict.status == "none":
        why = f"{counted(reasons, 'reason')}, the errors below"
        return f"Not written: the assessment earns no CMMC status ({why}){anyway}"
    on_poam = [d for d in errors if d.document == result.document]
    if on_poam:
        return f"Not written: the derived POA&M fails {counted(len(on_poam), 'check')} (the errors below){anyway}"
    stand = "stands" if len(errors) == 1 else "stand"
    return f"Not written: {counted(len(errors), 'error')} {stand} in the inputs (below){anyway}"


def placed_in_output(
    diagnostics: tuple[Diagnostic, ...], output: Path, fmt: str, data: bytes
) -> tuple[Diagnostic, ...]:
    """The diagnostics on the POA&M, placed by line and column in the file written."""
    from oscal_poam.engine.places import placed_in_text

    return placed_in_text(diagnostics, output.as_posix(), fmt, data)


def _print_text(
    result: DeriveResult,
    written: list[str],
    withheld: str | None,
    diagnostics: tuple[Diagnostic, ...],
    day: dt.date | None,
    detail: Detail,
    say: Console,
) -> None:
    if written:
        items = len(result.poam.poam_items) if result.poam is not None else 0
        say.print(f"Wrote {printable(' and '.join(written))}: {counted(items, 'POA&M item')}.", markup=False)
    elif withheld is not None:
        say.print(f"{withheld}.", markup=False)
    say.print(_verdict_line(result, day, detail), markup=False)
    show_diagnostics(diagnostics, detail, say)


def _verdict_line(result: DeriveResult, as_of: dt.date | None, detail: Detail) -> str:
    """The verdict (the closeout's where one is given), as `check` and `score` word it."""
    import datetime as dt

    from oscal_poam.cli.verdict_line import verdict_line

    verdict = result.closeout.outcome if result.closeout is not None else result.verdict
    if verdict is None:
        if result.closeout is not None:
            return f"Verdict: {result.closeout.cmmc_status}"
        items = len(result.poam.poam_items) if result.poam is not None else 0
        return f"Generic POA&M: {counted(items, 'item')}; the CMMC rules were skipped."
    where = "run without --quiet to see them" if detail is Detail.QUIET else "the errors below"
    return verdict_line(verdict, as_of or dt.date.today(), reasons_at=where)


def _as_json(
    result: DeriveResult,
    written: list[str],
    withheld: str | None,
    diagnostics: tuple[Diagnostic, ...],
    day: dt.date | None,
) -> dict[str, Any]:
    from oscal_poam.render.counts import count_by_severity

    verdict: dict[str, Any] | None = None
    if result.closeout is not None:
        verdict = result.closeout.to_dict()
    elif result.verdict is not None:
        verdict = result.verdict.to_dict(day)
    return {
        "format": "oscal-poam-derive",
        "version": 1,
        "written": written,
        "withheld": withheld,
        "items": len(result.poam.poam_items) if result.poam is not None else 0,
        "verdict": verdict,
        "counts": count_by_severity(diagnostics),
        "diagnostics": [d.to_dict() for d in diagnostics],
    }
