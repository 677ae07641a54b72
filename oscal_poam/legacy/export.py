"""Write a POA&M as the spreadsheet contracting officers and assessors ask for: FedRAMP or eMASS layout.

Every text cell is written as text: a value starting with `=`, `+`, `-` or `@` is stored as a string
with Excel's quote prefix, so no spreadsheet program evaluates it as a formula (formula injection).
Dates are written as date cells. Reading the workbook back with `import` gives the same items and
milestones.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml.etree import SerialisationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from oscal_poam.errors import UsageError, WriteError
from oscal_poam.legacy.from_oscal import LegacyDocument
from oscal_poam.legacy.layouts import EMASS, FEDRAMP, HOMELESS_PROPS, KNOWN_LAYOUTS, Layout, header_token
from oscal_poam.legacy.milestones import format_milestones
from oscal_poam.legacy.model import LegacyItem, LegacyMilestone
from oscal_poam.legacy.status import item_word_for, milestone_word_for

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

EXCEL_CELL_MAX = 32_767
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "legacy-"

FEDRAMP_TITLE = "Plan of Action and Milestones (POA&M)"
FEDRAMP_BLOCK = (
    ("CSP", "legacy-csp"),
    ("System Name", "legacy-system-name"),
    ("Impact Level", "legacy-impact-level"),
    ("POAM Date", "legacy-poam-date"),
)
EMASS_BANNER = "***** CONTROLLED UNCLASSIFIED INFORMATION *****"
EMASS_BLOCK = (
    (2, 1, 4, "Date Exported:"),
    (3, 1, 4, "Exported By:"),
    (4, 1, 4, "CC/S/A/FA:"),
    (5, 1, 4, "System / Project Name:"),
    (6, 1, 4, "DoW IT Registration No:"),
    (2, 12, 13, "System Type:"),
    (4, 12, 13, "POC Name:"),
    (5, 12, 13, "POC Phone:"),
    (6, 12, 13, "POC E-Mail:"),
    (2, 16, 17, "OMB Project ID:"),
    (5, 16, 17, "Security Costs:"),
)
"""The eMASS header block: (row, label column, value column, label)."""

CLOSED_SHEET = "Closed POA&M Items"
CONFIGURATION_SHEET = "Configuration Findings"
OPEN_SHEET = "Open POA&M Items"


@dataclass
class ExportSummary:
    layout: str
    items: int = 0
    rows: int = 0
    sheets: dict[str, int] = field(default_factory=dict)
    """Items written to each sheet."""
    not_written: list[tuple[str, str]] = field(default_factory=list)
    """(item, prop) of kept values the layout has no column for."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "layout": self.layout,
            "items": self.items,
            "rows": self.rows,
            "sheets": dict(self.sheets),
            "not-written": [{"item": i, "prop": p} for i, p in self.not_written],
        }


def safe_text(value: str) -> str:
    """Text a worksheet can hold: control characters other than tab and line ends dropped."""
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)


def put(ws: Worksheet, row: int, column: int, value: object, where: str = "") -> None:
    """Write one cell; strings stay strings, whatever they start with."""
    if value is None or value == "":
        return
    cell = ws.cell(row=row, column=column)
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
        return
    text = safe_text(str(value))
    if len(text) > EXCEL_CELL_MAX:
        raise WriteError(
            f"{where or cell.coordinate}: {len(text):,} characters, over Excel's {EXCEL_CELL_MAX:,} per cell"
        )
    cell.value = text
    if text.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True


class Writer:
    def __init__(self, document: LegacyDocument, layout: Layout) -> None:
        self.document = document
        self.layout = layout
        self.summary = ExportSummary(layout.name)

    def workbook_bytes(self) -> bytes:
        workbook = Workbook()
        default = workbook.active
        sheets: dict[str, Worksheet] = {}
        for name in self.layout.sheets:
            ws = workbook.create_sheet(name)
            self.block(ws)
            self.header(ws)
            sheets[name] = ws
            self.summary.sheets[name] = 0
        if default is not None:
            workbook.remove(default)
        next_row = {name: self.layout.header_row + 1 for name in sheets}
        for index, item in enumerate(self.document.items):
            name = self.sheet_for(index, item)
            ws = sheets[name]
            written = self.item(ws, next_row[name], index, item)
            next_row[name] += written
            self.summary.rows += written
            self.summary.sheets[name] += 1
            self.summary.items += 1
        return _save(workbook)

    def sheet_for(self, index: int, item: LegacyItem) -> str:
        if self.layout is not FEDRAMP:
            return self.layout.sheets[0]
        if index in self.document.closed:
            return CLOSED_SHEET
        if item.sheet == CONFIGURATION_SHEET:
            return CONFIGURATION_SHEET
        return OPEN_SHEET

    def block(self, ws: Worksheet) -> None:
        meta = self.document.metadata
        used = set()
        if self.layout is FEDRAMP:
            put(ws, 1, 1, FEDRAMP_TITLE)
            ws.cell(row=1, column=1).font = Font(bold=True, size=14)
            for column, (label, name) in enumerate(FEDRAMP_BLOCK, start=1):
                put(ws, 2, column, label)
                ws.cell(row=2, column=column).font = Font(bold=True)
                put(ws, 3, column, meta.get(name, ""))
                used.add(name)
        else:
            put(ws, 1, 1, EMASS_BANNER)
            ws.cell(row=1, column=1).font = Font(bold=True)
            for row, label_col, value_col, label in EMASS_BLOCK:
                put(ws, row, label_col, label)
                ws.cell(row=row, column=label_col).font = Font(bold=True)
                name = PREFIX + header_token(label)
                put(ws, row, value_col, meta.get(name, ""))
                used.add(name)
        if ws.title == self.layout.sheets[0]:
            for name in sorted(set(meta) - used):
                self.summary.not_written.append(("metadata", name))

    def header(self, ws: Worksheet) -> None:
        fill = PatternFill("solid", fgColor="D9E1F2")
        for offset, column in enumerate(self.layout.columns):
            index = self.layout.first_column + offset
            put(ws, self.layout.header_row, index, column.header)
            cell = ws.cell(row=self.layout.header_row, column=index)
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[get_column_letter(index)].width = 14 if "date" in column.header.lower() else 28
        ws.freeze_panes = ws.cell(row=self.layout.header_row + 1, column=self.layout.first_column)

    # -- rows ----------------------------------------------------------------------------------------------

    def item(self, ws: Worksheet, row: int, index: int, item: LegacyItem) -> int:
        written: set[str] = set()
        status = self.document.statuses.get(index, "open")
        label = item.poam_id or item.weakness_name or f"item {index + 1}"
        milestones = item.milestones if self.layout.milestone_rows else []
        for offset, column in enumerate(self.layout.columns):
            col = self.layout.first_column + offset
            value = self.value(item, column.field, column.header, status, written)
            put(ws, row, col, value, f"{ws.title}!row {row} ({column.header})")
        for number, milestone in enumerate(milestones):
            self.milestone(ws, row + number, milestone, first=number == 0)
        for name in item.extra:
            if name not in written:
                self.summary.not_written.append((label, name))
        return max(1, len(milestones))

    def value(self, item: LegacyItem, name: str | None, header: str, status: str, written: set[str]) -> object:
        kept = PREFIX + header_token(header)
        if name is None:
            written.add(kept)
            return item.extra.get(kept, "")
        if name.startswith("milestone_"):
            return None
        if name in HOMELESS_PROPS and name not in ("poam_id", "weakness_name"):
            written.add(HOMELESS_PROPS[name])
            return item.extra.get(HOMELESS_PROPS[name], "")
        if name == "status":
            return item_word_for(status, item.status, self.layout.name)
        if name == "milestones_text":
            return format_milestones(item.milestones)
        value = getattr(item, name)
        if name == "status_date" and value is None and status == "closed" and self.layout is FEDRAMP:
            value = item.completed  # FedRAMP has no completion column: a closed item's status date is its closing
        if value is None and kept in item.extra:
            written.add(kept)
            return item.extra[kept]
        return value

    def milestone(self, ws: Worksheet, row: int, milestone: LegacyMilestone, first: bool) -> None:
        values = {
            "milestone_id": milestone.milestone_id,
            "milestone_description": milestone.description,
            "milestone_status": milestone_word_for(milestone.is_completed, milestone.status),
            "milestone_comments": milestone.comments,
            "milestone_scheduled": milestone.scheduled,
            "milestone_completed": milestone.completed_on,
        }
        for offset, column in enumerate(self.layout.columns):
            col = self.layout.first_column + offset
            if column.field in values:
                put(ws, row, col, values[column.field], f"{ws.title}!row {row} ({column.header})")
                continue
            if first:
                continue
            kept = PREFIX + header_token(column.header)
            if kept in milestone.extra:
                put(ws, row, col, milestone.extra[kept], f"{ws.title}!row {row} ({column.header})")


def layout_named(name: str) -> Layout:
    try:
        return KNOWN_LAYOUTS[name]
    except KeyError:
        raise UsageError(f"unknown layout {name!r}; export writes {', '.join(sorted(KNOWN_LAYOUTS))}") from None


def _save(workbook: Workbook) -> bytes:
    """The .xlsx bytes; a WriteError when openpyxl cannot write the temporary file it spools each sheet to."""

    buffer = io.BytesIO()
    hook = sys.unraisablehook
    # A failed sheet's stream fails once more when it is collected; that second report is noise on stderr.
    sys.unraisablehook = _ignore
    try:
        try:
            workbook.save(buffer)
        except (OSError, SerialisationError) as exc:
            failure = str(exc)
        else:
            return buffer.getvalue()
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise WriteError(f"cannot write the workbook's temporary files ({failure}): is the disk full?")


def _ignore(_: Any) -> None:
    return None


def workbook_bytes(document: LegacyDocument, layout: str) -> tuple[bytes, ExportSummary]:
    writer = Writer(document, layout_named(layout))
    return writer.workbook_bytes(), writer.summary


def layouts() -> Iterable[str]:
    return (FEDRAMP.name, EMASS.name)
