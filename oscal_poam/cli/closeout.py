"""`oscal-poam closeout --poam POAM --results CLOSEOUT`: does a closeout assessment close the POA&M?

JSON output (`--format json`) is one object (README: "Score and closeout as JSON"): `format`
(`oscal-poam-closeout`), `version` (`2`), `verdict` (`final`, `conditional` or `expired`), `cmmc-status`,
`level`, `assessment-type` (the initial assessment's, from the POA&M), `performed-by` (the closeout's),
`status-date`, `deadline` (status date + 180 days), `closeout-date` (the day the closeout ended), `as-of`,
`days-left`, `items` (one per POA&M requirement: `requirement`, `title`, `status` in the closeout, `closed`,
`poam-items`), `extra-requirements`, `counts` (diagnostics by severity) and `diagnostics` (each with
`rule-id`, `severity`, `message`, `pointer`, `citation`, `document`, `subject`, `line`, `column`).

Exit status: 0 when the verdict is final, 1 otherwise, 3 when a file cannot be loaded.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oscal_poam.cli.common import (
    AsOf,
    Detail,
    ExitCode,
    Ignore,
    Quiet,
    Select,
    TextOrJson,
    Verbose,
    detail_of,
    out,
    parse_as_of,
    print_json,
    selection_of,
    show_diagnostics,
)

if TYPE_CHECKING:
    from oscal_poam.rules.closeout import CloseoutResult

_STATUS_NAMES = {"met": "MET", "not-met": "NOT MET", "not-applicable": "N/A", "not-assessed": "not assessed"}


def closeout(
    poam: Annotated[Path, typer.Option("--poam", metavar="FILE", help="The OSCAL POA&M being closed out.")],
    results: Annotated[
        Path,
        typer.Option("--results", metavar="FILE", help="The closeout assessment's OSCAL assessment results."),
    ],
    as_of: AsOf = None,
    format: TextOrJson = "text",
    select: Select = None,
    ignore: Ignore = None,
    verbose: Verbose = False,
    quiet: Quiet = False,
) -> None:
    """Check a POA&M closeout assessment (32 CFR 170.21(b)): Final, still Conditional, or Expired."""
    from oscal_poam.engine.api import closeout as check
    from oscal_poam.io.load import load
    from oscal_poam.render.counts import count_by_severity

    day = parse_as_of(as_of) or dt.date.today()
    detail = detail_of(verbose, quiet)
    selection = selection_of(select, ignore)
    poam_doc = load(poam, expect="plan-of-action-and-milestones")
    results_doc = load(results, expect="assessment-results")
    checked = check(poam_doc, results_doc, day, select=selection.select, ignore=selection.ignore)
    if format == "json":
        diagnostics = sorted(checked.diagnostics, key=lambda d: d.sort_key)
        data = {"format": "oscal-poam-closeout", "version": 2, **checked.to_dict()}
        data["counts"] = count_by_severity(diagnostics)
        data["diagnostics"] = [d.to_dict() for d in diagnostics]
        print_json(data)
    else:
        _print_text(checked, detail)
    if checked.verdict != "final":
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def _print_text(checked: CloseoutResult, detail: Detail) -> None:
    from rich.markup import escape
    from rich.table import Table

    from oscal_poam.quoting import printable

    if detail is not Detail.QUIET:
        table = Table(title="POA&M closeout", title_justify="left")
        for name in ("Requirement", "Title", "Closeout finding", "Closed"):
            table.add_column(name)
        for item in checked.items:
            table.add_row(
                escape(item.requirement.label),
                escape(printable(item.requirement.title)),
                _STATUS_NAMES[item.status],
                "yes" if item.closed else "no",
            )
        out.print(table)
        for label, value in (
            ("Conditional CMMC Status Date", checked.status_date),
            ("Deadline (day 180)", checked.deadline),
            ("Closeout ended", checked.closeout_date),
        ):
            out.print(f"{label}: {value.isoformat() if value else 'not given'}", markup=False)
        out.print(f"Performed by: {printable(checked.performed_by or 'not given')}", markup=False)
    out.print(_verdict_line(checked), markup=False)
    show_diagnostics(sorted(checked.diagnostics, key=lambda d: d.sort_key), detail, out)


def _verdict_line(checked: CloseoutResult) -> str:
    if checked.verdict == "final":
        return f"Verdict: final: {checked.cmmc_status}"
    if checked.verdict == "expired":
        last = checked.deadline.isoformat() if checked.deadline else "unknown"
        return f"Verdict: expired: {checked.cmmc_status}; day 180 was {last}"
    left = checked.days_left
    when = (
        f"{left} day{'' if left == 1 else 's'} left as of {checked.as_of.isoformat()}"
        if left is not None
        else "the deadline is not given"
    )
    return f"Verdict: still conditional: {checked.cmmc_status}, {when}"
