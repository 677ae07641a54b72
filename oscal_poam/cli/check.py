"""`oscal-poam check POAM [--ssp SSP] [--results RESULTS]`: every rule the inputs allow.

Text output groups the diagnostics by document, one line each (`place: severity rule-id message
[citation]`), then the counts and, with results, the score and the status they earn. `--format json` and
`--format sarif` print the diagnostics in those formats (README: "Diagnostics as JSON").

Exit status: 0 when no diagnostic at or above `--fail-on` stands, 1 when one does, 2 for a usage error,
3 when an input cannot be loaded.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oscal_poam.cli.common import SEVERITY_STYLE, AsOf, ExitCode, FailOn, Root, TextJsonOrSarif, out, parse_as_of, roots

if TYPE_CHECKING:
    from rich.text import Text

    from oscal_poam.diagnostics import Diagnostic
    from oscal_poam.engine.evaluate import Evaluation


def check(
    poam: Annotated[Path, typer.Argument(help="The OSCAL POA&M (JSON, YAML or XML).")],
    ssp: Annotated[Path | None, typer.Option("--ssp", help="The system security plan, to reconcile with.")] = None,
    results: Annotated[
        Path | None,
        typer.Option("--results", help="Assessment results: scored and compared with the POA&M (or its closeout)."),
    ] = None,
    as_of: AsOf = None,
    root: Root = None,
    format: TextJsonOrSarif = "text",
    fail_on: FailOn = "error",
    level: Annotated[
        int | None,
        typer.Option("--level", min=1, max=3, help="CMMC level (default: the POA&M's cmmc-level, else the results')."),
    ] = None,
    stale_days: Annotated[
        int, typer.Option("--stale-days", min=1, help="An open item's status date older than this is stale.")
    ] = 30,
    evidence_days: Annotated[
        int, typer.Option("--evidence-days", min=1, help="Automated verification evidence older than this is stale.")
    ] = 30,
) -> None:
    """Check a POA&M: credibility of each item, eligibility, and, when given, the SSP and the assessment results."""
    from oscal_poam.diagnostics import Severity
    from oscal_poam.engine.api import check as run_check
    from oscal_poam.render import render

    day = parse_as_of(as_of)
    from oscal_poam.io.boundary import reading_roots

    with reading_roots(roots(root)):
        result = run_check(
            poam,
            ssp=ssp,
            results=results,
            as_of=day,
            level=level,
            stale_days=stale_days,
            evidence_days=evidence_days,
        )
    if format == "text":
        _print_text(result, with_results=results is not None)
    else:
        typer.echo(render(result.diagnostics, format), nl=False)
    if result.fails(Severity(fail_on)):
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def _print_text(result: Evaluation, *, with_results: bool) -> None:
    from rich.text import Text

    from oscal_poam.quoting import printable
    from oscal_poam.render.counts import summary_line
    from oscal_poam.rules.verification import summary_line as summary_line_of

    for document, group in groupby(result.diagnostics, key=lambda d: d.document):
        out.print(Text(printable(document or "<input>"), style="bold"))
        for d in group:
            out.print(_styled(d))
    out.print(Text(summary_line(result.diagnostics)))
    if result.verification is not None and any(i.state != "no-check" for i in result.verification.items):
        out.print(Text(summary_line_of(result.verification)))
    if not with_results:
        return
    if result.score is not None:
        if result.score.score is None:
            out.print(Text(f"Score: none (the assessment cannot be completed); maximum {result.score.maximum}"))
        else:
            out.print(Text(f"Score: {result.score.score} / {result.score.maximum}"))
    standing = result.standing
    verdict = f"Verdict: {standing.statement if standing is not None else result.cmmc_status}"
    if result.verdict is not None and result.verdict.deadline is not None:
        verdict += f"; closeout due by {result.verdict.deadline.isoformat()}"
    if result.closeout is not None:
        verdict += f" (closeout: {result.closeout.verdict})"
    out.print(Text(verdict, style="bold"))


def _styled(d: Diagnostic) -> Text:
    """The text renderer's line, indented under its document, with the severity coloured."""
    from rich.text import Text

    from oscal_poam.render.text import cited, place, said

    line = Text.assemble("  ", place(d), ": ", (d.severity.value, SEVERITY_STYLE[d.severity.value]), f" {said(d)}")
    if d.citation:
        line.append(cited(d), style="dim")
    return line
