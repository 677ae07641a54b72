"""`oscal-poam check POAM [--ssp SSP] [--results RESULTS]`: every rule the inputs allow.

Text output shows the diagnostics as every command does (`cli.common.show_diagnostics`: the errors in full, one
line each in the location style `path:line:column: severity rule-id message [citation] #/pointer`, and the other
rules counted; `--verbose` lists every one, `--quiet` none), then, with results, the score and the status they
earn. `--format json` and `--format sarif` print the diagnostics in those formats (README: "Diagnostics as
JSON").

Exit status: 0 when no diagnostic at or above `--fail-on` stands, 1 when one does, 2 for a usage error,
3 when an input cannot be loaded.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oscal_poam.cli.common import (
    AsOf,
    Detail,
    ExitCode,
    FailOn,
    Generic,
    Ignore,
    Level,
    Quiet,
    Root,
    Select,
    TextJsonOrSarif,
    Verbose,
    detail_of,
    out,
    parse_as_of,
    parse_level,
    roots,
    selection_of,
    show_diagnostics,
)

if TYPE_CHECKING:
    import datetime as dt

    from oscal_poam.engine.evaluate import Evaluation


def check(
    poam: Annotated[Path, typer.Argument(metavar="POAM", help="The OSCAL POA&M (JSON, YAML or XML).")],
    ssp: Annotated[
        Path | None, typer.Option("--ssp", metavar="FILE", help="The system security plan, to reconcile with.")
    ] = None,
    results: Annotated[
        Path | None,
        typer.Option(
            "--results",
            metavar="FILE",
            help="Assessment results: scored and compared with the POA&M (or its closeout).",
        ),
    ] = None,
    as_of: AsOf = None,
    root: Root = None,
    format: TextJsonOrSarif = "text",
    fail_on: FailOn = "error",
    level: Level = None,
    stale_days: Annotated[
        int,
        typer.Option(
            "--stale-days", metavar="DAYS", min=1, help="An open item's status date older than this is stale."
        ),
    ] = 30,
    evidence_days: Annotated[
        int,
        typer.Option(
            "--evidence-days", metavar="DAYS", min=1, help="Automated verification evidence older than this is stale."
        ),
    ] = 30,
    select: Select = None,
    ignore: Ignore = None,
    generic: Generic = False,
    verbose: Verbose = False,
    quiet: Quiet = False,
) -> None:
    """Check a POA&M: credibility of each item, eligibility, and, when given, the SSP and the assessment results."""
    from oscal_poam.diagnostics import Severity
    from oscal_poam.engine.api import check as run_check
    from oscal_poam.io.boundary import reading_roots
    from oscal_poam.render.formats import render

    day = parse_as_of(as_of)
    chosen = parse_level(level)
    detail = detail_of(verbose, quiet)
    selection = selection_of(select, ignore)
    with reading_roots(roots(root)):
        result = run_check(
            poam,
            ssp=ssp,
            results=results,
            as_of=day,
            level=chosen,
            stale_days=stale_days,
            evidence_days=evidence_days,
            select=selection.select,
            ignore=selection.ignore,
            generic=generic,
        )
    if format == "text":
        _print_text(result, detail, day, with_results=results is not None, generic=generic)
    else:
        typer.echo(render(result.diagnostics, format), nl=False)
    if result.fails(Severity(fail_on)):
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def _print_text(result: Evaluation, detail: Detail, day: dt.date | None, *, with_results: bool, generic: bool) -> None:
    from rich.text import Text

    from oscal_poam.cli.verdict_line import verdict_line
    from oscal_poam.render.counts import summary_line
    from oscal_poam.rules.verification import summary_line as summary_line_of

    show_diagnostics(result.diagnostics, detail, out)
    if (
        detail is not Detail.QUIET
        and result.verification is not None
        and any(i.state != "no-check" for i in result.verification.items)
    ):
        out.print(Text(summary_line_of(result.verification)))
    if not with_results:
        if detail is Detail.QUIET:
            out.print(Text(summary_line(result.diagnostics)))
        return
    if result.score is not None and result.score.level != 1 and detail is not Detail.QUIET:
        if result.score.score is None:
            out.print(Text(f"Score: none (the assessment cannot be completed); maximum {result.score.maximum}"))
        else:
            out.print(Text(f"Score: {result.score.score} / {result.score.maximum}"))
    standing = result.standing
    if standing is None:
        why = "--generic" if generic else "the documents are not CMMC documents"
        out.print(Text(f"Verdict: not judged ({why}: only the OSCAL checks ran)", style="bold"))
        return
    verdict = verdict_line(standing, day)
    if result.closeout is not None:
        verdict += f" (closeout: {result.closeout.verdict})"
    out.print(Text(verdict, style="bold"))
