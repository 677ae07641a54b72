"""`oscal-poam import` (legacy spreadsheet to OSCAL) and `oscal-poam export` (OSCAL to spreadsheet).

Exit status of import: 0 when no diagnostic at or above `--fail-on` stands, 1 when one does (the POA&M is
written all the same: the diagnostics are what an assessor would flag in it), 3 when the spreadsheet
cannot be read as a POA&M (nothing is written).

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from oscal_poam.cli.common import (
    AsOf,
    Detail,
    ExitCode,
    FailOn,
    Generic,
    Ignore,
    Quiet,
    Select,
    TextOrJson,
    Verbose,
    detail_of,
    err,
    out,
    parse_as_of,
    print_json,
    selection_of,
    show_diagnostics,
    waiting,
)
from oscal_poam.quoting import printable
from oscal_poam.render.counts import counted

if TYPE_CHECKING:
    from rich.console import Console

    from oscal_poam.engine.inputs import Selection
    from oscal_poam.io.write import OutputFormat
    from oscal_poam.legacy.api import ImportResult, OntoResult


def import_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The legacy POA&M: .xlsx workbook or CSV file.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the OSCAL POA&M (.json, .yaml or .xml); with --onto, default: it.",
        ),
    ] = None,
    onto: Annotated[
        Path | None,
        typer.Option(
            "--onto",
            metavar="POAM",
            help="The POA&M the sheet was exported from: apply the sheet's edits to it, keeping everything else.",
        ),
    ] = None,
    close_missing: Annotated[
        bool,
        typer.Option("--close-missing", help="With --onto: close the open items the sheet has no row for."),
    ] = False,
    xml: Annotated[
        Path | None, typer.Option("--xml", metavar="FILE", help="Also write the POA&M as OSCAL XML here.")
    ] = None,
    layout: Annotated[
        Literal["auto", "fedramp", "emass", "emass-2018", "generic"],
        typer.Option("--layout", help="auto tells FedRAMP and eMASS templates by their headers."),
    ] = "auto",
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", metavar="NAME", help="Read only this sheet (default: every sheet with a header row)."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", metavar="FILE", help="MAP.yaml: headers no alias knows, mapped to fields."),
    ] = None,
    ssp: Annotated[
        Path | None,
        typer.Option("--ssp", metavar="FILE", help="The system security plan: system-id, import-ssp."),
    ] = None,
    results: Annotated[
        Path | None,
        typer.Option("--results", metavar="FILE", help="Assessment results: check POA&M eligibility too."),
    ] = None,
    as_of: AsOf = None,
    fail_on: FailOn = "error",
    format: TextOrJson = "text",
    select: Select = None,
    ignore: Ignore = None,
    generic: Generic = False,
    verbose: Verbose = False,
    quiet: Quiet = False,
) -> None:
    """Convert a legacy POA&M spreadsheet (FedRAMP, eMASS or any sheet with recognisable headers) to OSCAL.

    Columns are matched by header name, wherever the header row is; columns with no OSCAL place are kept as
    item props. The summary lists the columns mapped and kept and every row skipped; the rules then show what
    an assessor would flag. With --onto, the sheet's edits are applied to an existing POA&M instead.
    """
    import os

    detail = detail_of(verbose, quiet)
    selection = selection_of(select, ignore)
    if onto is not None:
        _import_onto(
            file, onto, output, xml, layout, sheet, mapping, close_missing, ssp, results, as_of, fail_on, format,
            (selection, generic, detail),
        )  # fmt: skip
        return
    if output is None:
        from oscal_poam.errors import UsageError

        raise UsageError("import needs --output (-o), or --onto to update an existing POA&M")

    from oscal_poam.diagnostics import Severity, has_at_least
    from oscal_poam.io.write import write_as
    from oscal_poam.legacy.api import import_poam

    inputs = [("FILE", file), ("--mapping", mapping), ("--ssp", ssp), ("--results", results)]
    fmt, to_stdout = _checked_outputs(output, xml, inputs, format)
    href = None
    if ssp is not None:
        href = os.path.relpath(ssp.resolve(), output.resolve().parent).replace(os.sep, "/")
    result = import_poam(
        file,
        layout=layout,
        sheet=sheet,
        mapping=mapping,
        ssp=ssp,
        ssp_href=href,
        results=results,
        as_of=parse_as_of(as_of),
        document=str(output),
        generic=generic,
        select=selection.select,
        ignore=selection.ignore,
    )
    written: list[str] = []
    if result.poam is not None:  # both or neither, under the folders' locks
        written = write_as(result.poam, [(output, fmt), (xml, "xml")], waiting(output))
    if format == "json":
        payload = {
            "summary": result.summary.to_dict(),
            "written": written,
            "diagnostics": [d.to_dict() for d in result.diagnostics],
        }
        print_json(payload)
    else:
        _print_summary(result, written, err if to_stdout else out, detail)
    if has_at_least(result.diagnostics, Severity(fail_on)):
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def _checked_outputs(
    output: Path, xml: Path | None, inputs: list[tuple[str, Path | None]], format: str
) -> tuple[OutputFormat, bool]:
    """The POA&M's format and whether anything goes to standard output; UsageError for outputs that cannot be."""
    from oscal_poam.errors import UsageError, WriteError
    from oscal_poam.io.outputs import is_stdout, refuse_overwriting
    from oscal_poam.io.write import format_for

    refuse_overwriting([("--output", output), ("--xml", xml)], inputs)
    to_stdout = is_stdout(output) or (xml is not None and is_stdout(xml))
    if to_stdout and format == "json":
        raise UsageError("the POA&M and --format json would both be written to standard output")
    try:
        return format_for(output), to_stdout
    except WriteError as exc:
        raise UsageError(str(exc)) from None


def _import_onto(
    file: Path,
    onto: Path,
    output: Path | None,
    xml: Path | None,
    layout: Literal["auto", "fedramp", "emass", "emass-2018", "generic"],
    sheet: str | None,
    mapping: Path | None,
    close_missing: bool,
    ssp: Path | None,
    results: Path | None,
    as_of: str | None,
    fail_on: str,
    format: str,
    rules: tuple[Selection, bool, Detail],
) -> None:
    """`import FILE --onto POAM`: the edits of the sheet applied to the POA&M, written to -o (default: POAM).
    `rules`: the rules reported, --generic, and how much of them the text shows."""
    import datetime as dt

    from oscal_poam.diagnostics import Severity, has_at_least
    from oscal_poam.io.outputs import output_locks, same_file
    from oscal_poam.io.write import write_as
    from oscal_poam.legacy.api import import_onto

    selection, generic, detail = rules
    target = output if output is not None else onto
    inputs = [("FILE", file), ("--mapping", mapping), ("--ssp", ssp), ("--results", results)]
    # the POA&M itself may be the output: updating it in place is what --onto is for
    inputs.append(("--onto", None if same_file(onto, target) else onto))
    fmt, to_stdout = _checked_outputs(target, xml, inputs, format)
    # The day every change is dated: --as-of, else the day this runs, said out loud so a rerun can repeat it.
    day = parse_as_of(as_of) or dt.date.today()
    with output_locks([target, xml], on_wait=waiting(target)):
        result = import_onto(
            file,
            onto,
            day=day,
            layout=layout,
            sheet=sheet,
            mapping=mapping,
            close_missing=close_missing,
            ssp=ssp,
            results=results,
            document=str(target),
            select=selection.select,
            ignore=selection.ignore,
            generic=generic,
        )
        written = write_as(result.poam, [(target, fmt), (xml, "xml")])
    if format == "json":
        print_json(
            {
                "summary": result.summary.to_dict(),
                "day": day.isoformat(),
                "changes": [c.to_dict() for c in result.changes],
                "conflicts": [c.to_dict() for c in result.conflicts],
                "added": list(result.added),
                "missing": list(result.missing),
                "closed": list(result.closed),
                "written": written,
                "diagnostics": [d.to_dict() for d in result.diagnostics],
            }
        )
    else:
        _print_onto(result, written, as_of is None, err if to_stdout else out, detail)
    if has_at_least(result.diagnostics, Severity(fail_on)):
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def _print_onto(result: OntoResult, written: list[str], today: bool, out: Console, detail: Detail) -> None:
    from rich.markup import escape

    summary = result.summary
    source = escape(printable(summary.source))
    out.print(f"[bold]{source}[/]: {summary.kind}, layout {summary.layout}, {counted(summary.items, 'row')}")
    _print_table(
        "Changes applied",
        ("Item", "Field", "From", "To", "Cell"),
        [(c.item, c.label, c.old, c.new, c.where) for c in result.changes],
        out,
    )
    _print_table(
        "Conflicts: changed in the sheet and in the POA&M since the export (not applied)",
        ("Item", "Field", "Sheet", "POA&M"),
        [(c.item, c.label, c.sheet, c.poam) for c in result.conflicts],
        out,
    )
    show_diagnostics(result.diagnostics, detail, out)
    dated = f"{result.day.isoformat()}" + (" (today; --as-of sets the day)" if today else "")
    counts = (
        f"{counted(len(result.changes), 'change')}, {counted(len(result.added), 'new item')}, "
        f"{counted(len(result.conflicts), 'conflict')}, {counted(len(result.missing), 'item')} without a row"
        + (f" ({len(result.closed)} closed)" if result.closed else "")
    )
    out.print(f"Wrote {escape(printable(' and '.join(written)))}: {counts}; changes dated {dated}.")


def _print_summary(result: ImportResult, written: list[str], out: Console, detail: Detail) -> None:
    from rich.markup import escape

    from oscal_poam.quoting import printable

    summary = result.summary
    items = counted(summary.items, "item")
    milestones = counted(summary.milestones, "milestone")
    if detail is Detail.QUIET:
        _print_outcome(written, items, milestones, out)
        return
    source = f"[bold]{escape(printable(summary.source))}[/]: {summary.kind}, layout {summary.layout}"
    if summary.kind == "csv":
        source += f", {summary.encoding}, delimiter {summary.delimiter!r}"
    out.print(source)
    for sheet in summary.sheets:
        name = f"sheet {sheet.name!r}" if sheet.name else "rows"
        out.print(
            f"  {escape(printable(name))}: header row {sheet.header_row}, {counted(sheet.items, 'item')}, "
            f"{counted(sheet.milestones, 'milestone')}"
            + (f", {counted(sheet.blank_rows, 'blank row')}" if sheet.blank_rows else "")
        )
    for name, reason in summary.skipped_sheets:
        out.print(f"  sheet {escape(repr(name))} not read: {escape(reason)}")

    mapped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for column in summary.mapped:
        mapped[(column.header, column.field or "", column.place)].append(column.cell)
    _print_table(
        "Columns mapped",
        ("Column", "Header", "Field", "OSCAL place"),
        [(_cells(cells), header, field, place) for (header, field, place), cells in mapped.items()],
        out,
    )
    kept: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for column in summary.kept:
        kept[(column.header, column.place, column.note)].append(column.cell)
    _print_table(
        "Columns kept as props",
        ("Column", "Header", "Kept as", "Note"),
        [(_cells(cells), header or "(no header)", place, note) for (header, place, note), cells in kept.items()],
        out,
    )
    _print_table(
        "Rows skipped",
        ("Row", "Reason"),
        [(skipped.location.ref, skipped.reason) for skipped in summary.skipped_rows],
        out,
    )
    _print_table(
        "Controls that name no CMMC requirement (kept as written)",
        ("Cell", "Text"),
        [(u.location.ref if u.location else "", u.text) for u in summary.unmapped_requirements],
        out,
    )

    show_diagnostics(sorted(result.diagnostics, key=lambda d: d.sort_key), detail, out)
    _print_outcome(written, items, milestones, out)


def _print_outcome(written: list[str], items: str, milestones: str, out: Console) -> None:
    if written:
        out.print(f"Wrote {printable(' and '.join(written))}: {items}, {milestones}.", markup=False)
    else:
        out.print("Nothing written: the spreadsheet holds no POA&M items.", markup=False)


def _print_table(title: str, headings: Sequence[str], rows: Sequence[Sequence[str]], out: Console) -> None:
    """A titled table of plain text (markup shown as written); nothing when there are no rows."""
    if not rows:
        return
    from rich.markup import escape
    from rich.table import Table

    from oscal_poam.quoting import printable

    table = Table(title=title, title_justify="left")
    for heading in headings:
        table.add_column(heading)
    for row in rows:
        table.add_row(*(escape(printable(cell)) for cell in row))
    out.print(table)


def _cells(cells: list[str]) -> str:
    """The header's cell; the sheets are listed above, and a header found on several is shown once."""
    return ", ".join(dict.fromkeys(cells))


def export_command(
    poam: Annotated[Path, typer.Argument(metavar="POAM", help="The OSCAL POA&M (JSON, YAML or XML).")],
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="Where to write the workbook (.xlsx).")
    ],
    layout: Annotated[
        Literal["fedramp", "emass"], typer.Option("--layout", help="The spreadsheet layout to write.")
    ] = "fedramp",
    template_columns_only: Annotated[
        bool,
        typer.Option(
            "--template-columns-only",
            help="Only the template's own columns (for uploads that refuse others); what they cannot carry is listed.",
        ),
    ] = False,
) -> None:
    """Write a POA&M as the spreadsheet contracting officers and assessors ask for (FedRAMP or eMASS layout).

    Text that starts with =, +, - or @ is written as text, never as a formula.
    """
    from rich.markup import escape

    from oscal_poam.errors import UsageError
    from oscal_poam.legacy.api import export_poam

    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"{output}: export writes .xlsx workbooks")
    summary = export_poam(
        poam, output, layout=layout, on_wait=waiting(output), template_columns_only=template_columns_only
    )
    sheets = ", ".join(f"{name!r}: {count}" for name, count in summary.sheets.items())
    out.print(
        f"Wrote {escape(printable(str(output)))} ({layout}): {counted(summary.items, 'item')} in "
        f"{counted(summary.rows, 'row')} ({escape(sheets)})."
    )
    if summary.not_written:
        names = sorted({name for _, name in summary.not_written})
        out.print(f"Kept values with no column in this layout, not written: {escape(', '.join(names))}")
    if summary.not_carried:
        listed = "; ".join(f"{what}: {count}" for what, count in summary.not_carried.items())
        out.print(
            f"Not carried by the {layout} layout (the POA&M keeps them; import --onto leaves them as they are): "
            f"{escape(listed)}"
        )
