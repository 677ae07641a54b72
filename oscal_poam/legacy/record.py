"""What an export wrote, kept in the workbook: a hidden sheet `oscal-poam`, one row per item.

`import --onto` compares three things for each cell: what the export wrote (this record), what the sheet says
now (the person's edits) and what the POA&M would export now (changes made to it since). A cell changed only in
the sheet is applied; changed only in the POA&M, it stays; changed in both to different values, it is a
conflict, reported and left alone. The record holds a digest of each cell, not its text, and, where a cell
cannot hold all of a value, the value itself: a date-time's time and offset, a status a layout writes in
coarser words. Reading an exported sheet gives those back as long as the cell still says what was exported.

Row 1: a marker, the record's version, the POA&M's uuid and the layout. Then one row per item: its id, its
uuid, the sheet it is on, and the rest as JSON (split across cells when longer than a cell holds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oscal_poam.legacy.read import CellValue, RawSheet

if TYPE_CHECKING:
    from openpyxl import Workbook

    from oscal_poam.legacy.model import LegacyItem

SHEET = "oscal-poam"
MARKER = "oscal-poam export record"
VERSION = "1"
CELL_MAX = 32_000
NOTE = (
    "Written by oscal-poam export; import --onto reads it to tell your edits from changes made to the POA&M "
    "since the export. Leave it as it is."
)


def comparable(value: CellValue | object) -> str:
    """A cell as compared: text with its line ends unified and ends trimmed; a date or date-time as its day."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def digest(value: CellValue | object) -> str:
    return hashlib.sha256(comparable(value).encode("utf-8")).hexdigest()[:16]


def digests(values: Mapping[str, object]) -> dict[str, str]:
    return {name: digest(v) for name, v in values.items() if comparable(v)}


@dataclass
class MilestoneRecord:
    key: str
    uuid: str
    cells: dict[str, str] = field(default_factory=dict)
    exact: dict[str, str] = field(default_factory=dict)


@dataclass
class ItemRecord:
    id: str
    uuid: str
    sheet: str
    cells: dict[str, str] = field(default_factory=dict)
    """Field (or `legacy-*` prop) -> digest of the cell the export wrote; empty cells are left out."""
    exact: dict[str, str] = field(default_factory=dict)
    """Field -> the value as OSCAL holds it, where the cell holds less (date-time text, risk status)."""
    milestones: list[MilestoneRecord] = field(default_factory=list)

    def to_json(self) -> str:
        data: dict[str, Any] = {"c": self.cells}
        if self.exact:
            data["x"] = self.exact
        if self.milestones:
            data["m"] = [
                {"k": m.key, "u": m.uuid, "c": m.cells, **({"x": m.exact} if m.exact else {})} for m in self.milestones
            ]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


@dataclass
class Record:
    poam_uuid: str
    layout: str
    items: dict[str, ItemRecord] = field(default_factory=dict)
    """By id, case folded."""

    def find(self, item_id: str) -> ItemRecord | None:
        return self.items.get(item_id.strip().casefold())


def write_record(workbook: Workbook, poam_uuid: str, layout: str, items: Iterable[ItemRecord]) -> None:
    ws = workbook.create_sheet(SHEET)
    ws.append([MARKER, VERSION, poam_uuid, layout, NOTE])
    ws.append(["Item ID", "Item UUID", "Sheet", "Record"])
    for item in items:
        text = item.to_json()
        parts = [text[i : i + CELL_MAX] for i in range(0, len(text), CELL_MAX)] or [""]
        ws.append([item.id, item.uuid, item.sheet, *parts])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r":
                cell.data_type = "s"  # an id is text, never a formula
                cell.quotePrefix = True
    ws.sheet_state = "hidden"


def is_record(sheet: RawSheet) -> bool:
    return sheet.name == SHEET and sheet.value(1, 1) == MARKER


def read_record(sheet: RawSheet) -> Record | None:
    """The record an export left, or None when the sheet is not one this version reads (then nothing is assumed)."""
    if not is_record(sheet) or str(sheet.value(1, 2) or "") != VERSION:
        return None
    record = Record(str(sheet.value(1, 3) or ""), str(sheet.value(1, 4) or ""))
    for row in sheet.rows[2:]:
        if not row or row[0] is None:
            continue
        text = "".join(str(v) for v in row[3:] if v is not None)
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            continue  # an edited record row: that item is compared without it
        if not isinstance(data, dict):
            continue
        item = ItemRecord(
            str(row[0]), str(row[1] or "") if len(row) > 1 else "", str(row[2] or "") if len(row) > 2 else ""
        )
        item.cells = _strings(data.get("c"))
        item.exact = _strings(data.get("x"))
        for m in data.get("m") or []:
            if isinstance(m, dict):
                item.milestones.append(
                    MilestoneRecord(
                        str(m.get("k", "")), str(m.get("u", "")), _strings(m.get("c")), _strings(m.get("x"))
                    )
                )
        record.items[item.id.strip().casefold()] = item
    return record


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _exact(key: str, text: str) -> object:
    if key == "status":
        return text
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def restore(items: Iterable[LegacyItem], record: Record) -> None:
    """Give back what the cells hold only in part (a date-time's time and offset, a status the layout's words
    coarsen) wherever a cell still says what the export wrote."""
    for item in items:
        found = record.find(item.poam_id) if item.poam_id else None
        if found is None:
            continue
        for key, text in found.exact.items():
            cell: object = item.status if key == "status" else getattr(item, key, None)
            value = _exact(key, text)
            if value is None or digest(cell) != found.cells.get(key):
                continue
            if key == "status":
                item.risk_status = str(value)
            elif isinstance(cell, dt.date):
                setattr(item, key, value)
        by_key = {m.key: m for m in found.milestones}
        for number, milestone in enumerate(item.milestones, start=1):
            kept = by_key.get(milestone.milestone_id or str(number))
            if kept is None:
                continue
            for key, text in kept.exact.items():
                cell = getattr(milestone, key, None)
                value = _exact(key, text)
                if value is not None and isinstance(cell, dt.date) and digest(cell) == kept.cells.get(key):
                    setattr(milestone, key, value)
