"""Import legacy POA&M spreadsheets into OSCAL, and export OSCAL POA&Ms as spreadsheets.

result = import_poam("poam.xlsx")            # FedRAMP, eMASS or any sheet with recognisable headers
result.poam                                   # the OSCAL POA&M (None when the sheet holds no items)
result.summary                                # columns mapped and kept, rows skipped, counts
result.diagnostics                            # what the importer and the rules (credibility, ...) found
export_poam(result.poam, "poam-emass.xlsx", layout="emass")
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from oscal_poam.collector import collector_paused
from oscal_poam.diagnostics import Diagnostic
from oscal_poam.engine.api import check
from oscal_poam.engine.inputs import Selection
from oscal_poam.engine.ruleset import family_of
from oscal_poam.errors import LoadError, Problem, UsageError
from oscal_poam.io.inputs import document_of
from oscal_poam.io.outputs import refuse_overwriting, write_bytes
from oscal_poam.legacy.dates import NotADate, parse_date
from oscal_poam.legacy.export import ExportSummary, workbook_bytes
from oscal_poam.legacy.from_oscal import read_legacy
from oscal_poam.legacy.layouts import FIELDS_BY_NAME, LAYOUTS
from oscal_poam.legacy.mapping import ColumnMap, load_mapping
from oscal_poam.legacy.model import LegacyItem
from oscal_poam.legacy.onto import Change, Conflict, merge_onto
from oscal_poam.legacy.read import RawWorkbook, read_spreadsheet
from oscal_poam.legacy.record import is_record, read_record, restore
from oscal_poam.legacy.rows import (
    HEADER_SCAN_ROWS,
    SheetItems,
    SheetReader,
    SheetResult,
    SkippedRow,
    find_header_row,
    skip_reason,
)
from oscal_poam.legacy.to_oscal import BuildContext, UnmappedRequirement, build_poam, item_keys
from oscal_poam.rules import legacy as rules

if TYPE_CHECKING:
    from trestle.oscal.assessment_results import AssessmentResults
    from trestle.oscal.poam import PlanOfActionAndMilestones
    from trestle.oscal.ssp import SystemSecurityPlan

    from oscal_poam.io.load import Document

LayoutChoice = Literal["auto", "fedramp", "emass", "emass-2018", "generic"]
MAX_PROBLEMS = 100
METADATA_DATES = ("legacy-poam-date", "legacy-date-exported", "legacy-date")


@dataclass(frozen=True)
class ColumnReport:
    sheet: str
    cell: str
    header: str
    field: str | None
    place: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "cell": self.cell,
            "header": self.header,
            "field": self.field,
            "place": self.place,
            "note": self.note,
        }


@dataclass(frozen=True)
class SheetReport:
    name: str
    header_row: int
    layout: str
    items: int
    milestones: int
    blank_rows: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "header-row": self.header_row,
            "layout": self.layout,
            "items": self.items,
            "milestones": self.milestones,
            "blank-rows": self.blank_rows,
        }


@dataclass(frozen=True)
class ImportSummary:
    source: str
    kind: str
    layout: str
    sheets: tuple[SheetReport, ...]
    skipped_sheets: tuple[tuple[str, str], ...]
    mapped: tuple[ColumnReport, ...]
    kept: tuple[ColumnReport, ...]
    skipped_rows: tuple[SkippedRow, ...]
    unmapped_requirements: tuple[UnmappedRequirement, ...]
    items: int
    milestones: int
    level: int | None = None
    encoding: str = ""
    delimiter: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "layout": self.layout,
            "encoding": self.encoding or None,
            "delimiter": self.delimiter or None,
            "level": self.level,
            "items": self.items,
            "milestones": self.milestones,
            "sheets": [s.to_dict() for s in self.sheets],
            "skipped-sheets": [{"name": n, "reason": r} for n, r in self.skipped_sheets],
            "columns-mapped": [c.to_dict() for c in self.mapped],
            "columns-kept": [c.to_dict() for c in self.kept],
            "rows-skipped": [{"row": s.location.ref, "reason": s.reason} for s in self.skipped_rows],
            "requirements-unmapped": [
                {"cell": u.location.ref if u.location else None, "text": u.text} for u in self.unmapped_requirements
            ],
        }


@dataclass(frozen=True)
class ImportResult:
    poam: PlanOfActionAndMilestones | None
    """None when the spreadsheet holds no items: an OSCAL POA&M needs at least one."""
    summary: ImportSummary
    diagnostics: tuple[Diagnostic, ...]
    items: tuple[LegacyItem, ...]


@collector_paused()
def import_poam(
    path: str | os.PathLike[str],
    *,
    layout: LayoutChoice = "auto",
    sheet: str | None = None,
    mapping: str | os.PathLike[str] | ColumnMap | None = None,
    ssp: str | os.PathLike[str] | SystemSecurityPlan | Document | None = None,
    ssp_href: str | None = None,
    results: str | os.PathLike[str] | AssessmentResults | Document | None = None,
    as_of: dt.date | None = None,
    document: str = "",
    generic: bool = False,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> ImportResult:
    """Read a legacy POA&M spreadsheet (.xlsx or CSV) into an OSCAL POA&M and check it.

    `layout`: `auto` tells FedRAMP and eMASS sheets by their headers; any other sheet is read by header
    aliases (`generic`). `sheet`: read only this sheet (default: every sheet with a header row, except
    example and instruction sheets). `mapping`: a MAP.yaml or ColumnMap for headers no alias knows.
    `ssp`: the system security plan, for system-id and import-ssp (`ssp_href`, default its path).
    `results`: assessment results, so that eligibility is checked too. `as_of`: the day rules judge
    deadlines by, and the POA&M's last-modified (default: the latest date the spreadsheet gives).
    `document`: the name the POA&M will be written under, for the rules' diagnostics. The CMMC rules run on a CMMC
    POA&M (one whose items name CMMC requirements, `facts.detect`), none with `generic`; `select`/`ignore`: the
    rules reported (ids, families or id prefixes).

    Raises LoadError (naming file, sheet, row and column) when the spreadsheet cannot be read as a POA&M.
    """
    read = read_items(path, layout=layout, sheet=sheet, mapping=mapping)
    workbook, results_read, skipped_sheets, items = read.workbook, read.sheets, read.skipped, read.items
    notes, metadata, banners, source = read.notes, read.metadata, read.banners, read.source

    ssp_model = _ssp_model(ssp)
    system_name = metadata.get("legacy-system-name") or metadata.get("legacy-system-project-name") or ""
    system_id = system_id_type = None
    if ssp_model is not None:
        characteristics = ssp_model.system_characteristics
        system_name = str(characteristics.system_name)
        if characteristics.system_ids:
            system_id = str(characteristics.system_ids[0].id)
            if characteristics.system_ids[0].identifier_type is not None:
                system_id_type = str(characteristics.system_ids[0].identifier_type)
    system_key = system_id or system_name
    keys, duplicates = item_keys(items, system_key, source)
    notes.extend(duplicates)

    context = BuildContext(
        source=source,
        last_modified=_last_modified(as_of, metadata, items, workbook, Path(path)),
        system_name=system_name,
        system_id=system_id,
        system_id_type=system_id_type,
        import_ssp=(ssp_href or str(ssp)) if isinstance(ssp, str | os.PathLike) or ssp_href else None,
        metadata_props=metadata,
        banners=banners,
        item_keys=keys,
    )
    poam = None
    unmapped: list[UnmappedRequirement] = []
    level = None
    diagnostics = list(notes)
    if items:
        built = build_poam(items, context)
        poam, unmapped, level = built.poam, built.unmapped, built.level
        diagnostics.extend(built.diagnostics)
        found = _rules(poam, ssp_model, results, as_of, document, generic, Selection(tuple(select), tuple(ignore)))
        diagnostics = [*(d for d in diagnostics if _reported(d, select, ignore)), *found]

    summary = _summary(workbook, results_read, skipped_sheets, items, unmapped, level, source)
    return ImportResult(poam, summary, tuple(diagnostics), tuple(items))


def read_items(
    path: str | os.PathLike[str],
    *,
    layout: LayoutChoice = "auto",
    sheet: str | None = None,
    mapping: str | os.PathLike[str] | ColumnMap | None = None,
) -> SheetItems:
    """Read the sheets of a spreadsheet into items, with what was noted on the way and an export's record."""
    if layout not in ("auto", *LAYOUTS):
        raise UsageError(f"unknown layout {layout!r}; choose auto, {', '.join(LAYOUTS)}")
    column_map = (
        mapping if isinstance(mapping, ColumnMap) else load_mapping(mapping) if mapping is not None else ColumnMap()
    )
    source = Path(path).name
    workbook = read_spreadsheet(Path(path), sheet)
    record_sheet = next((raw for raw in workbook.sheets if is_record(raw)), None)
    record = read_record(record_sheet) if record_sheet is not None else None
    results_read, skipped_sheets = _read_sheets(workbook, sheet, column_map, layout, str(path))
    items = [item for r in results_read for item in r.items]
    if record is not None:
        restore(items, record)

    notes: list[Diagnostic] = [n for r in results_read for n in r.notes]
    notes.extend(
        rules.ROW_SKIPPED.diag(f"{s.location.describe()}: {s.reason}", s.location.ref, source)
        for r in results_read
        for s in r.skipped
    )
    metadata: dict[str, str] = {}
    banners: list[str] = []
    for r in results_read:
        for name, value in r.metadata.items():
            metadata.setdefault(name, value)
        banners.extend(b for b in r.banners if b not in banners)
    return SheetItems(source, workbook, results_read, skipped_sheets, items, notes, metadata, banners, record)


def _read_sheets(
    workbook: RawWorkbook, only: str | None, column_map: ColumnMap, layout: LayoutChoice, source: str
) -> tuple[list[SheetResult], list[tuple[str, str]]]:
    forced = None if layout == "auto" else layout
    read: list[SheetResult] = []
    skipped: list[tuple[str, str]] = []
    for raw in workbook.sheets:
        if is_record(raw):
            continue  # an export's record of what it wrote (oscal_poam/legacy/record.py), no items
        if only is None and workbook.kind == "xlsx":
            reason = skip_reason(raw.name)
            if reason is not None:
                skipped.append((raw.name, reason))
                continue
        if column_map.header_row is not None:
            if column_map.header_row > len(raw.rows):
                skipped.append((raw.name, f"has {len(raw.rows)} rows, fewer than header-row {column_map.header_row}"))
                continue
            header_row = column_map.header_row
        else:
            found = find_header_row(raw, column_map.overrides)
            if found is None:
                skipped.append((raw.name, f"no header row in rows 1 to {HEADER_SCAN_ROWS}"))
                continue
            header_row = found[0]
        read.append(SheetReader(raw, header_row, column_map, forced, source).read())
    if not read:
        raise LoadError([_no_header(workbook, skipped, source)])
    problems = [p for r in read for p in r.problems]
    if problems:
        if len(problems) > MAX_PROBLEMS:
            rest = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS], Problem(f"... and {rest} more problems", source)]
        raise LoadError(problems)
    return read, skipped


def _no_header(workbook: RawWorkbook, skipped: list[tuple[str, str]], source: str) -> Problem:
    wanted = ", ".join(FIELDS_BY_NAME[f].label for f in ("poam_id", "controls", "weakness_name", "description"))
    expected = f"a row naming at least two POA&M columns, one of them {wanted}"
    if workbook.kind == "csv":
        return Problem(f"no header row found in rows 1 to {HEADER_SCAN_ROWS}: expected {expected}", source)
    listed = "; ".join(f"sheet {name!r} {reason}" for name, reason in skipped) or "the workbook has no sheets"
    return Problem(f"no header row found: {listed}. Expected {expected}", source)


def _last_modified(
    as_of: dt.date | None, metadata: dict[str, str], items: list[LegacyItem], workbook: RawWorkbook, path: Path
) -> dt.datetime:
    """From an explicit as-of date, else the dates the spreadsheet itself gives, never the clock."""
    if as_of is not None:
        return dt.datetime.combine(as_of, dt.time(0), tzinfo=dt.UTC)
    for name in METADATA_DATES:
        try:
            day = parse_date(metadata.get(name))
        except NotADate:
            day = None
        if day is not None:
            return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
    days = [
        d
        for item in items
        for d in (item.detected, item.status_date, item.completed, *(m.completed_on for m in item.milestones))
        if d is not None
    ]
    if days:
        return dt.datetime.combine(max(days), dt.time(0), tzinfo=dt.UTC)
    if workbook.modified is not None:
        modified = workbook.modified
        return modified if modified.tzinfo else modified.replace(tzinfo=dt.UTC)
    stamp = path.stat().st_mtime
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)


def _ssp_model(ssp: Any) -> SystemSecurityPlan | None:
    if ssp is None:
        return None

    return document_of(ssp, "system-security-plan").model  # type: ignore[return-value]


def _rules(
    poam: PlanOfActionAndMilestones,
    ssp: SystemSecurityPlan | None,
    results: Any,
    as_of: dt.date | None,
    document: str,
    generic: bool,
    selection: Selection,
) -> list[Diagnostic]:
    """What an assessor would flag: credibility always, eligibility when results are given (the engine, as `check`)."""

    found = check(
        poam, ssp=ssp, results=results, as_of=as_of, generic=generic, select=selection.select, ignore=selection.ignore
    )
    if not document:
        return list(found.diagnostics)  # naming no document leaves every finding as it is
    return [replace(d, document=document) if not d.document else d for d in found.diagnostics]


def _reported(d: Diagnostic, select: Sequence[str], ignore: Sequence[str]) -> bool:
    return Selection(tuple(select), tuple(ignore)).wants(d.rule_id, family_of(d.rule_id))


def _summary(
    workbook: RawWorkbook,
    sheets: list[SheetResult],
    skipped_sheets: list[tuple[str, str]],
    items: list[LegacyItem],
    unmapped: list[UnmappedRequirement],
    level: int | None,
    source: str,
) -> ImportSummary:
    mapped: list[ColumnReport] = []
    kept: list[ColumnReport] = []
    layouts = Counter(s.layout for s in sheets)
    for sheet in sheets:
        for column in sheet.columns:
            cell = f"{column.letter}{sheet.header_row}"
            if column.field is not None:
                spec = FIELDS_BY_NAME[column.field]
                mapped.append(ColumnReport(sheet.name, cell, column.header, column.field, spec.home))
            else:
                kept.append(
                    ColumnReport(sheet.name, cell, column.header, None, f"item prop {column.prop}", column.note)
                )
    return ImportSummary(
        source=source,
        kind=workbook.kind,
        layout=layouts.most_common(1)[0][0] if layouts else "generic",
        sheets=tuple(
            SheetReport(
                s.name, s.header_row, s.layout, len(s.items), sum(len(i.milestones) for i in s.items), s.blank_rows
            )
            for s in sheets
        ),
        skipped_sheets=tuple(skipped_sheets),
        mapped=tuple(mapped),
        kept=tuple(kept),
        skipped_rows=tuple(s for r in sheets for s in r.skipped),
        unmapped_requirements=tuple(unmapped),
        items=len(items),
        milestones=sum(len(i.milestones) for i in items),
        level=level,
        encoding=workbook.encoding,
        delimiter=workbook.delimiter,
    )


@dataclass(frozen=True)
class OntoResult:
    poam: PlanOfActionAndMilestones
    """The POA&M with the sheet's edits applied (the one given, changed in place when it was loaded here)."""
    summary: ImportSummary
    changes: tuple[Change, ...]
    conflicts: tuple[Conflict, ...]
    added: tuple[str, ...]
    missing: tuple[str, ...]
    closed: tuple[str, ...]
    day: dt.date
    diagnostics: tuple[Diagnostic, ...]


@collector_paused()
def import_onto(
    path: str | os.PathLike[str],
    onto: PlanOfActionAndMilestones | Document | str | os.PathLike[str],
    *,
    day: dt.date,
    layout: LayoutChoice = "auto",
    sheet: str | None = None,
    mapping: str | os.PathLike[str] | ColumnMap | None = None,
    close_missing: bool = False,
    ssp: str | os.PathLike[str] | SystemSecurityPlan | Document | None = None,
    results: str | os.PathLike[str] | AssessmentResults | Document | None = None,
    document: str = "",
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    generic: bool = False,
) -> OntoResult:
    """Apply a spreadsheet's edits to the POA&M it was exported from (oscal_poam/legacy/onto.py).

    `day` dates every risk-log entry the import writes (there is no default: the caller decides, from --as-of or
    the day it runs). `close_missing` closes the open items the sheet has no row for. `select`/`ignore`/`generic`:
    the rules reported, as `import_poam` takes them. Raises LoadError when the spreadsheet or the POA&M cannot be
    read.
    """
    read = read_items(path, layout=layout, sheet=sheet, mapping=mapping)
    given = document_of(onto, "plan-of-action-and-milestones")
    model: PlanOfActionAndMilestones = given.model  # type: ignore[assignment]
    if not isinstance(onto, str | os.PathLike):
        model = model.model_copy(deep=True)  # a model the caller holds is not changed under them
    merged = merge_onto(model, read, day=day, close_missing=close_missing, document=document)
    diagnostics = [d for d in (*read.notes, *merged.diagnostics) if _reported(d, select, ignore)]
    selection = Selection(tuple(select), tuple(ignore))
    diagnostics.extend(_rules(model, _ssp_model(ssp), results, day, document, generic, selection))
    summary = _summary(read.workbook, read.sheets, read.skipped, read.items, [], None, read.source)
    return OntoResult(
        model,
        summary,
        tuple(merged.changes),
        tuple(merged.conflicts),
        tuple(merged.added),
        tuple(merged.missing),
        tuple(merged.closed),
        day,
        tuple(diagnostics),
    )


def export_poam(
    poam: PlanOfActionAndMilestones | Document | str | os.PathLike[str],
    path: str | os.PathLike[str],
    layout: Literal["fedramp", "emass"] = "fedramp",
    on_wait: Callable[[], None] | None = None,
    *,
    template_columns_only: bool = False,
) -> ExportSummary:
    """Write the POA&M as an .xlsx workbook in the FedRAMP or eMASS layout, atomically (never over the POA&M).

    The workbook is a filled copy of the layout's template; fields the template has no column for are written in
    columns added after it, unless `template_columns_only`. `summary.not_carried` lists what the layout cannot
    carry (the POA&M keeps it: `import --onto` leaves it as it is).
    """

    given = poam if isinstance(poam, str | os.PathLike) else getattr(poam, "path", None)
    refuse_overwriting([("the workbook", path)], [("POA&M", given)])
    data, summary = export_bytes(poam, layout, template_columns_only=template_columns_only)
    write_bytes(path, data, on_wait)
    return summary


def export_bytes(
    poam: PlanOfActionAndMilestones | Document | str | os.PathLike[str],
    layout: Literal["fedramp", "emass"] = "fedramp",
    *,
    template_columns_only: bool = False,
) -> tuple[bytes, ExportSummary]:
    document = document_of(poam, "plan-of-action-and-milestones")
    model: PlanOfActionAndMilestones = document.model  # type: ignore[assignment]
    return workbook_bytes(read_legacy(model), layout, str(model.uuid), template_columns_only=template_columns_only)
