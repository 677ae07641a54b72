"""`oscal-poam verify --poam POAM RESULTS...`: automated results recorded on the POA&M as verification evidence.

Reads each RESULTS file (Prowler's OCSF JSON, SARIF 2.1.0 from any scanner, OSCAL assessment results from any
tool), records on every item its checks match the observations, the verification state and a dated risk-log entry,
writes the POA&M (in place unless `-o` names another file; `--xml` also as XML), and prints per item what the checks
show, which items are ready for closeout evidence review, and the diagnostics of the verification rules. It never
closes an item.

Exit status: 0 when no diagnostic at or above `--fail-on` stands; 1 when one does (a closed item whose latest check
fails has regressed: an error), the evidence being written all the same; 2 for a usage error; 3 when an input cannot
be read (nothing is written); 5 when the POA&M cannot be written.

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
    Ignore,
    Quiet,
    Root,
    Select,
    TextOrJson,
    Verbose,
    detail_of,
    err,
    out,
    parse_as_of,
    print_json,
    roots,
    selection_of,
    show_diagnostics,
    waiting,
)
from oscal_poam.quoting import printable

if TYPE_CHECKING:
    from rich.console import Console

    from oscal_poam.verification.api import VerifyResult

STATE_STYLE = {"passed": "green", "failed": "bold red", "not-run": "yellow", "no-check": "dim"}


def verify(
    poam: Annotated[Path, typer.Option("--poam", metavar="FILE", help="The OSCAL POA&M (JSON, YAML or XML).")],
    results: Annotated[
        list[Path],
        typer.Argument(
            metavar="RESULTS...",
            help="Automated results: Prowler's OCSF JSON, SARIF 2.1.0 from any scanner, OSCAL assessment results.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the POA&M (.json, .yaml or .xml); default: --poam itself.",
        ),
    ] = None,
    xml: Annotated[
        Path | None, typer.Option("--xml", metavar="FILE", help="Also write the POA&M as OSCAL XML here.")
    ] = None,
    as_of: AsOf = None,
    evidence_days: Annotated[
        int,
        typer.Option(
            "--evidence-days", metavar="DAYS", min=1, help="Automated evidence older than this many days is stale."
        ),
    ] = 30,
    root: Root = None,
    format: TextOrJson = "text",
    fail_on: FailOn = "error",
    select: Select = None,
    ignore: Ignore = None,
    verbose: Verbose = False,
    quiet: Quiet = False,
) -> None:
    """Record automated results (Prowler, SARIF, OSCAL) on a POA&M as verification evidence; say what they show."""
    from oscal_poam.diagnostics import Severity
    from oscal_poam.errors import UsageError, WriteError
    from oscal_poam.io.boundary import reading_roots
    from oscal_poam.io.outputs import is_stdout, output_locks, refuse_overwriting, same_file
    from oscal_poam.io.write import format_for, write_as
    from oscal_poam.verification.api import verify as run

    day = parse_as_of(as_of)
    detail = detail_of(verbose, quiet)
    selection = selection_of(select, ignore)
    target = output if output is not None else poam
    # the POA&M is a living document: written in place unless -o names another file
    elsewhere = output is not None and not same_file(output, poam)
    inputs = [(f"RESULTS {path}", path) for path in results]
    refuse_overwriting([("--output", output), ("--xml", xml)], [*inputs, ("--poam", poam if elsewhere else None)])
    try:
        fmt = format_for(target)
    except WriteError as exc:
        raise UsageError(str(exc)) from None
    if format == "json" and (is_stdout(target) or (xml is not None and is_stdout(xml))):
        raise UsageError("standard output carries the POA&M: --format json needs -o and --xml to name files")
    say = err if is_stdout(target) or (xml is not None and is_stdout(xml)) or format == "json" else out
    with output_locks([target, xml], on_wait=waiting(target)):
        with reading_roots(roots(root)):
            result = run(
                poam,
                results,
                as_of=day,
                output=target,
                evidence_days=evidence_days,
                select=selection.select,
                ignore=selection.ignore,
            )
        written = write_as(result.poam, [(target, fmt), (xml, "xml")])  # both or neither
    if format == "json":
        print_json(_as_json(result, str(poam), written))
    else:
        _print_text(result, written, say, detail)
    if result.evaluation.fails(Severity(fail_on)):
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def _print_text(result: VerifyResult, written: list[str], say: Console, detail: Detail) -> None:
    from rich.text import Text

    from oscal_poam.rules.verification import STATE_NAMES
    from oscal_poam.rules.verification import summary_line as verification_line

    changed = sum(r.changed for r in result.recording.items)
    wrote = Text(f"Wrote {printable(' and '.join(written))}: {changed} item{'s' if changed != 1 else ''} changed.")
    if detail is Detail.QUIET:
        say.print(Text(verification_line(result.summary), style="bold"))
        say.print(wrote)
        return
    for file in result.files:
        runs = "; ".join(f"{run.label}, {sum(len(r) for r in run.results.values())} results" for run in file.runs)
        say.print(Text(f"{printable(file.source)}: {file.format_name} ({printable(runs) or 'no run'})"))
    records = {r.item_uuid: r for r in result.recording.items}
    for item in result.summary.items:
        record = records.get(item.item_uuid)
        line = Text.assemble((f"{item.subject}", "bold"), "  ", (STATE_NAMES[item.state], STATE_STYLE[item.state]))
        if item.closed:
            line.append(" (closed)")
        if item.implied:
            line.append(" [checks from Prowler's SP 800-171 mapping]", style="dim")
        say.print(line)
        for outcome in record.outcomes if record is not None else ():
            shown = f"    {outcome.pointer}: {outcome.result}"
            if outcome.failing:
                shown += f" on {', '.join(outcome.failing[:5])}" + (" ..." if len(outcome.failing) > 5 else "")
            elif outcome.resources:
                shown += f" on {outcome.resources} resource{'s' if outcome.resources != 1 else ''}"
            else:
                shown += " (no failing result; the run lists only failures)"
            if not outcome.recorded:
                shown += "; not recorded: the POA&M holds newer evidence"
            say.print(Text(shown))
        for pointer in item.unreported:
            say.print(Text(f"    {pointer}: no result", style="dim"))
        if record is not None and record.note:
            say.print(Text(f"    note: {record.note}", style="yellow"))
    say.print(Text(verification_line(result.summary), style="bold"))
    unmatched = result.recording.unmatched
    if unmatched:
        say.print(Text(f"{len(unmatched)} check{'s' if len(unmatched) != 1 else ''} in the results match no item."))
    show_diagnostics(result.evaluation.diagnostics, detail, say)
    say.print(wrote)


def _as_json(result: VerifyResult, poam: str, written: list[str]) -> dict[str, object]:
    from oscal_poam.render.counts import count_by_severity

    records = {r.item_uuid: r for r in result.recording.items}
    return {
        "format": "oscal-poam-verify",
        "version": 1,
        "poam": poam,
        "written": written,
        "results": [
            {
                "file": f.source,
                "format": f.format,
                "sha256": f.sha256,
                "tools": [run.label for run in f.runs],
            }
            for f in result.files
        ],
        "items": [
            {
                **item.to_dict(),
                "changed": records[item.item_uuid].changed if item.item_uuid in records else False,
                "recorded": [
                    {
                        "check": o.pointer,
                        "result": o.result,
                        "resources": o.resources,
                        "failing": list(o.failing),
                        "collected": o.collected.isoformat(),
                        "files": list(o.files),
                        "written": o.recorded,
                    }
                    for o in (records[item.item_uuid].outcomes if item.item_uuid in records else ())
                ],
            }
            for item in result.summary.items
        ],
        "summary": {k: v for k, v in result.summary.to_dict().items() if k != "items"},
        "unmatched": list(result.recording.unmatched),
        "counts": count_by_severity(result.evaluation.diagnostics),
        "diagnostics": [d.to_dict() for d in result.evaluation.diagnostics],
    }
