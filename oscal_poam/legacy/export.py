"""Write a POA&M as the spreadsheet contracting officers and assessors ask for: FedRAMP or eMASS layout.

The workbook is a filled copy of the layout's own template (oscal_poam/legacy/templates): its title, header
block, merged cells, column widths, fills and sheets stay as the template has them. Fields the template has no
column for (FedRAMP has no status, eMASS no weakness name or remediation plan) are written in columns added
after the template's own, headed by the field's name, so that editing the sheet and importing it back loses
nothing; `template_columns_only` leaves them out, and the summary lists them as not carried.

Every item is named by an id: its own POA&M ID, else the first hex digits of its uuid. Status columns have
drop-down lists; dates are date cells (a date-time's time of day included); text starting with `=`, `+`, `-`
or `@` is stored as text with Excel's quote prefix, never as a formula. A hidden sheet records what was
written (oscal_poam/legacy/record.py), for `import --onto`.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import sys
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeGuard

import openpyxl
from lxml.etree import SerialisationError
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from oscal_poam.errors import UsageError, WriteError
from oscal_poam.io.write import format_datetime
from oscal_poam.legacy.from_oscal import LegacyDocument
from oscal_poam.legacy.layouts import (
    EMASS,
    FEDRAMP,
    FIELDS_BY_NAME,
    HOMELESS_PROPS,
    KNOWN_LAYOUTS,
    Layout,
    LayoutColumn,
    header_token,
)
from oscal_poam.legacy.milestones import format_milestones
from oscal_poam.legacy.model import LegacyItem, LegacyMilestone, field_value
from oscal_poam.legacy.record import ItemRecord, MilestoneRecord, digests, write_record
from oscal_poam.legacy.status import (
    EMASS_CHOICES,
    GENERIC_WORDS,
    MILESTONE_CHOICES,
    item_status,
    item_word_for,
    milestone_word_for,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

EXCEL_CELL_MAX = 32_767
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "legacy-"
ADDED_FILL = "E7E6E6"
ADDED_NOTE = "Added by oscal-poam: not a column of the template. Import reads it back."

FEDRAMP_BLOCK = (
    (1, "legacy-csp"),
    (2, "legacy-system-name"),
    (3, "legacy-impact-level"),
    (4, "legacy-poam-date"),
)
"""The FedRAMP header block: the value cell in row 3 under each label of row 2, and the prop it holds."""
EMASS_BLOCK = (
    (2, 4, "Date Exported:"),
    (3, 4, "Exported By:"),
    (4, 4, "CC/S/A/FA:"),
    (5, 4, "System / Project Name:"),
    (6, 4, "DoW IT Registration No:"),
    (2, 13, "System Type:"),
    (4, 13, "POC Name:"),
    (5, 13, "POC Phone:"),
    (6, 13, "POC E-Mail:"),
    (2, 17, "OMB Project ID:"),
    (5, 17, "Security Costs:"),
)
"""The eMASS header block: (row, value column, label) as the template lays it out."""

CLOSED_SHEET = "Closed POA&M Items"
CONFIGURATION_SHEET = "Configuration Findings"
OPEN_SHEET = "Open POA&M Items"
DATE_FORMATS = {"fedramp": "m/d/yyyy", "emass": "mm/dd/yyyy"}
LISTS: dict[str, dict[str, tuple[str, ...]]] = {
    "fedramp": {
        "status": tuple(GENERIC_WORDS.values()),
        "Vendor Dependency": ("Yes", "No"),
        "Original Risk Rating": ("Low", "Moderate", "High"),
        "Adjusted Risk Rating": ("Low", "Moderate", "High", "N/A"),
        "Risk Adjustment": ("Yes", "No", "Pending"),
        "False Positive": ("Yes", "No", "Pending"),
        "Operational Requirement": ("Yes", "No", "Pending"),
    },
    "emass": {
        "status": EMASS_CHOICES,
        "milestone_status": MILESTONE_CHOICES,
        "Raw Severity": ("Very Low", "Low", "Moderate", "High", "Very High"),
        "Severity": ("Very Low", "Low", "Moderate", "High", "Very High"),
        "Relevance of Threat": ("Very Low", "Low", "Moderate", "High", "Very High"),
        "Likelihood": ("Very Low", "Low", "Moderate", "High", "Very High"),
        "Impact": ("Very Low", "Low", "Moderate", "High", "Very High"),
        "Residual Risk Level": ("Very Low", "Low", "Moderate", "High", "Very High"),
        "Resulting Residual Risk after Proposed Mitigations": ("Very Low", "Low", "Moderate", "High", "Very High"),
    },
}
"""Drop-down lists of each layout, by field name or template header. The Navy template's own lists point at a
glossary sheet it does not ship (#REF!), so the eMASS lists are the values eMASS accepts."""

MILESTONE_FIELDS = {
    "milestone_id": "key",
    "milestone_description": "title",
    "milestone_status": "status",
    "milestone_comments": "comments",
    "milestone_scheduled": "scheduled",
    "milestone_completed": "completed_on",
}
"""The eMASS milestone columns and the milestone value each holds."""


@dataclass
class ExportSummary:
    layout: str
    items: int = 0
    rows: int = 0
    sheets: dict[str, int] = field(default_factory=dict)
    """Items written to each sheet."""
    not_written: list[tuple[str, str]] = field(default_factory=list)
    """(item, prop) of kept values the layout has no column for."""
    not_carried: dict[str, int] = field(default_factory=dict)
    """What the layout cannot carry, with how many items or milestones have it (kept in the POA&M)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "layout": self.layout,
            "items": self.items,
            "rows": self.rows,
            "sheets": dict(self.sheets),
            "not-written": [{"item": i, "prop": p} for i, p in self.not_written],
            "not-carried": dict(self.not_carried),
        }


def safe_text(value: str) -> str:
    """Text a worksheet can hold: control characters other than tab and line ends dropped."""
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)


def cell_value(value: object) -> object:
    """A value as a cell holds it: a date-time as its wall-clock time in its own offset (Excel has no zones)."""
    if isinstance(value, dt.datetime):
        wall = value.replace(tzinfo=None)
        return wall if wall.time() != dt.time(0) else wall.date()
    return value


def put(ws: Worksheet, row: int, column: int, value: object, where: str = "", date_format: str = "") -> None:
    """Write one cell; strings stay strings, whatever they start with."""
    if value is None or value == "":
        return
    cell = ws.cell(row=row, column=column)
    value = cell_value(value)
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = date_format or "yyyy-mm-dd"
        if isinstance(value, dt.datetime):
            cell.number_format += " hh:mm"
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


def column_key(column: LayoutColumn) -> str:
    """What a column holds: its field, or for a column of the layout only, the prop it is kept as."""
    return column.field or PREFIX + header_token(column.header)


def item_values(item: LegacyItem, status: str, layout: Layout, columns: Sequence[LayoutColumn]) -> dict[str, object]:
    """The value of each item column an export writes for `item`, by column key (milestone columns aside)."""
    values: dict[str, object] = {}
    for column in columns:
        key = column_key(column)
        name = column.field
        if name is None:
            values[key] = item.extra.get(key, "")
        elif name.startswith("milestone_"):
            continue
        elif name in HOMELESS_PROPS and name not in ("poam_id", "weakness_name"):
            values[key] = item.extra.get(HOMELESS_PROPS[name], "")
        elif name == "status":
            values[key] = item_word_for(status, item.status, layout.name)
        elif name == "milestones_text":
            values[key] = format_milestones(item.milestones)
        else:
            value = field_value(item, name)
            if name == "status_date" and value is None and status == "closed" and layout is FEDRAMP:
                value = item.completed  # FedRAMP has no completion column: a closed item's status date is its closing
            if value is None:
                value = item.extra.get(PREFIX + header_token(column.header), "")
            values[key] = value
    return values


def milestone_values(milestone: LegacyMilestone, number: int, layout: Layout) -> dict[str, object]:
    """A milestone as the layout carries it: eMASS has a column for each part, FedRAMP's text gives title and dates."""
    values: dict[str, object] = {
        "title": milestone.title or f"Milestone {number}",
        "scheduled": milestone.scheduled,
        "completed_on": milestone.completed_on,
    }
    if layout.milestone_rows:
        values["key"] = milestone.milestone_id or str(number)
        values["status"] = milestone_word_for(milestone.is_completed, milestone.status)
        values["comments"] = milestone.comments
    else:
        values["status"] = "Completed" if milestone.is_completed else ""
    return values


def more_than_a_day(value: object) -> TypeGuard[dt.datetime]:
    """A date-time a day cell does not give back: a time of day, or an offset, other than a sheet's midnight UTC."""
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        return False
    return value.time() != dt.time(0) or value.utcoffset() != dt.timedelta(0)


def exact_values(values: dict[str, object], status: str, layout: Layout) -> dict[str, str]:
    """Values a cell holds only in part: date-times (time and offset), a status the layout's words coarsen."""
    exact = {key: format_datetime(v) for key, v in values.items() if more_than_a_day(v)}
    word = values.get("status")
    if isinstance(word, str) and word and item_status(word) != status:
        exact["status"] = status
    return exact


class Writer:
    def __init__(self, document: LegacyDocument, layout: Layout, *, template_columns_only: bool = False) -> None:
        self.document = document
        self.layout = layout
        self.columns = layout.columns if template_columns_only else (*layout.columns, *layout.added)
        self.summary = ExportSummary(layout.name)
        self.records: list[ItemRecord] = []
        self.date_format = DATE_FORMATS.get(layout.name, "yyyy-mm-dd")

    def workbook_bytes(self, poam_uuid: str) -> bytes:
        workbook = load_template(self.layout)
        sheets: dict[str, Worksheet] = {}
        for name in self.layout.sheets:
            ws = workbook[name]
            clear_below(ws, self.layout.header_row)
            self.block(ws)
            self.header(ws)
            sheets[name] = ws
            self.summary.sheets[name] = 0
        next_row = {name: self.layout.header_row + 1 for name in sheets}
        for index, item in enumerate(self.document.items):
            name = self.sheet_for(index, item)
            ws = sheets[name]
            written = self.item(ws, next_row[name], index, item)
            next_row[name] += written
            self.summary.rows += written
            self.summary.sheets[name] += 1
            self.summary.items += 1
        for name, ws in sheets.items():
            self.lists(ws, next_row[name] - 1)
        self.not_carried()
        write_record(workbook, poam_uuid, self.layout.name, self.records)
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
        """The values of the template's header block; the template's placeholders go where there is none."""
        meta: dict[str, object] = {name: _date_or_text(value) for name, value in self.document.metadata.items()}
        used = set()
        if self.layout is FEDRAMP:
            for column, name in FEDRAMP_BLOCK:
                value = meta.get(name, "")
                if name == "legacy-poam-date" and not value and self.document.last_modified is not None:
                    value = self.document.last_modified.date()
                ws.cell(row=3, column=column).value = None
                put(ws, 3, column, value, date_format=self.date_format)
                used.add(name)
        else:
            for row, column, label in EMASS_BLOCK:
                name = PREFIX + header_token(label)
                value = meta.get(name, "")
                if name == "legacy-date-exported" and not value and self.document.last_modified is not None:
                    value = self.document.last_modified.date()
                put(ws, row, column, value, date_format=self.date_format)
                used.add(name)
        if ws.title == self.layout.sheets[0]:
            for name in sorted(set(meta) - used):
                self.summary.not_written.append(("metadata", name))

    def header(self, ws: Worksheet) -> None:
        """The template's header row as it is; added columns after it, in the header's style, filled grey."""
        row = self.layout.header_row
        last = self.layout.first_column + len(self.layout.columns) - 1
        model = ws.cell(row=row, column=last)
        width = ws.column_dimensions[get_column_letter(last)].width or 20
        if len(self.columns) > len(self.layout.columns):
            # A template's width may span the empty columns after its own (AE:AY); column ranges must not overlap.
            for dimension in list(ws.column_dimensions.values()):
                if dimension.min is not None and dimension.max is not None and dimension.max > last:
                    dimension.max = max(dimension.min, last)
        for offset, column in enumerate(self.columns[len(self.layout.columns) :], start=1):
            cell = ws.cell(row=row, column=last + offset)
            cell.value = column.header
            cell.font = copy(model.font)
            cell.border = copy(model.border)
            cell.alignment = copy(model.alignment)
            cell.fill = PatternFill("solid", fgColor=ADDED_FILL)
            cell.comment = Comment(ADDED_NOTE, "oscal-poam")
            ws.column_dimensions[get_column_letter(last + offset)].width = max(width, 20)

    def lists(self, ws: Worksheet, last_row: int) -> None:
        """Drop-down lists on the data rows of each column that has one."""
        choices = LISTS.get(self.layout.name, {})
        first = self.layout.header_row + 1
        last = max(last_row, first + 999)
        for offset, column in enumerate(self.columns):
            values = choices.get(column.field or "") or choices.get(column.header)
            if not values:
                continue
            letter = get_column_letter(self.layout.first_column + offset)
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(values) + '"',
                allow_blank=True,
                showErrorMessage=False,
                showDropDown=False,
            )
            validation.add(f"{letter}{first}:{letter}{last}")
            ws.add_data_validation(validation)

    # -- rows ----------------------------------------------------------------------------------------------

    def item(self, ws: Worksheet, row: int, index: int, item: LegacyItem) -> int:
        status = self.document.statuses.get(index, "open")
        label = item.poam_id or item.weakness_name or f"item {index + 1}"
        values = item_values(item, status, self.layout, self.columns)
        for offset, column in enumerate(self.columns):
            key = column_key(column)
            if key in values:
                where = f"{ws.title}!row {row} ({column.header})"
                put(ws, row, self.layout.first_column + offset, values[key], where, self.date_format)
        milestones = [milestone_values(m, n, self.layout) for n, m in enumerate(item.milestones, start=1)]
        if self.layout.milestone_rows:
            for number, milestone in enumerate(item.milestones):
                self.milestone(ws, row + number, milestone, milestones[number], first=number == 0)
        written = {column_key(c) for c in self.columns} | {HOMELESS_PROPS.get(c.field or "", "") for c in self.columns}
        for name in item.extra:
            if name not in written:
                self.summary.not_written.append((label, name))
        self.records.append(self.record(item, status, values, milestones))
        return max(1, len(item.milestones)) if self.layout.milestone_rows else 1

    def record(
        self,
        item: LegacyItem,
        status: str,
        values: dict[str, object],
        milestones: list[dict[str, object]],
    ) -> ItemRecord:
        compared = {k: v for k, v in values.items() if k != "milestones_text"}
        record = ItemRecord(item.poam_id, digests(compared), exact_values(compared, status, self.layout))
        for number, (milestone, mvalues) in enumerate(zip(item.milestones, milestones, strict=True), start=1):
            key = str(mvalues.get("key") or number)
            exact = {k: format_datetime(v) for k, v in mvalues.items() if more_than_a_day(v)}
            record.milestones.append(MilestoneRecord(key, milestone.uuid, digests(mvalues), exact))
        return record

    def milestone(
        self, ws: Worksheet, row: int, milestone: LegacyMilestone, values: dict[str, object], first: bool
    ) -> None:
        for offset, column in enumerate(self.columns):
            col = self.layout.first_column + offset
            where = f"{ws.title}!row {row} ({column.header})"
            part = MILESTONE_FIELDS.get(column.field or "")
            if part is not None:
                put(ws, row, col, values.get(part), where, self.date_format)
                continue
            if first:
                continue
            kept = PREFIX + header_token(column.header)
            if kept in milestone.extra:
                put(ws, row, col, milestone.extra[kept], where, self.date_format)

    def not_carried(self) -> None:
        """What the items hold that the layout has no place for: listed, and kept in the POA&M."""
        counts: Counter[str] = Counter()
        present = {c.field for c in self.columns}
        for item in self.document.items:
            for name in FIELDS_BY_NAME:
                spec = FIELDS_BY_NAME[name]
                if spec.scope == "item" and spec.carried and name not in present and field_value(item, name):
                    counts[f"{spec.label} (item)"] += 1
            for milestone in item.milestones:
                if milestone.description and self.layout.milestone_rows:
                    counts["milestone descriptions"] += 1
                if milestone.comments and not self.layout.milestone_rows:
                    counts["milestone comments"] += 1
            if (
                self.layout is EMASS
                and item.risk_status
                and item_status(item_word_for(item.risk_status, item.status, "emass")) != item.risk_status
            ):
                counts[f"status {item.risk_status} (eMASS writes {item_word_for(item.risk_status, '', 'emass')})"] += 1
        self.summary.not_carried = dict(sorted(counts.items()))


def _date_or_text(value: str) -> object:
    """A header-block value as its cell held it: an ISO date (as import keeps a date cell) is a date again."""
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else value
    except ValueError:
        return value


def load_template(layout: Layout) -> Workbook:
    """A fresh copy of the layout's template workbook; what openpyxl cannot keep of it is not reported."""
    source = resources.files("oscal_poam.legacy").joinpath("templates", layout.template)
    with source.open("rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # data-validation extensions and the like, which the copy does without
        return openpyxl.load_workbook(io.BytesIO(handle.read()))


def clear_below(ws: Worksheet, header_row: int) -> None:
    """Drop the template's formatted empty rows below the header (some format 1,000 rows), which every reader of
    the export would otherwise read through."""
    rows = [key for key in ws._cells if key[0] > header_row]
    for key in rows:
        del ws._cells[key]
    for key in [r for r in ws.row_dimensions if r > header_row]:
        del ws.row_dimensions[key]


def layout_named(name: str) -> Layout:
    if name in ("fedramp", "emass"):
        return KNOWN_LAYOUTS[name]
    raise UsageError(f"unknown layout {name!r}; export writes emass or fedramp")


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


def workbook_bytes(
    document: LegacyDocument, layout: str, poam_uuid: str = "", *, template_columns_only: bool = False
) -> tuple[bytes, ExportSummary]:
    writer = Writer(document, layout_named(layout), template_columns_only=template_columns_only)
    return writer.workbook_bytes(poam_uuid), writer.summary


def layouts() -> Iterable[str]:
    return (FEDRAMP.name, EMASS.name)
