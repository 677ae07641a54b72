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
from typing import TYPE_CHECKING

from oscal_poam.legacy.cells import CellValue
from oscal_poam.legacy.read import RawSheet

if TYPE_CHECKING:
    from openpyxl import Workbook

    from oscal_poam.legacy.model import LegacyItem

SHEET = "oscal-poam"
MARKER = "oscal-poam export record"
VERSION = "2"
DIGEST = 8
TASK_ID = 8
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
    """A short digest of a cell's comparable text; an empty cell has none ('')."""
    text = comparable(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST] if text else ""


def digests(values: Mapping[str, object]) -> dict[str, str]:
    found = {name: digest(v) for name, v in values.items()}
    return {name: d for name, d in found.items() if d}


@dataclass
class MilestoneRecord:
    key: str
    uuid: str
    """The first hex digits of the task's uuid: enough to tell an item's tasks apart."""
    cells: dict[str, str] = field(default_factory=dict)
    exact: dict[str, str] = field(default_factory=dict)


@dataclass
class ItemRecord:
    id: str
    cells: dict[str, str] = field(default_factory=dict)
    """Field (or `legacy-*` prop) -> digest of the cell the export wrote; empty cells are left out."""
    exact: dict[str, str] = field(default_factory=dict)
    """Field -> the value as OSCAL holds it, where the cell holds less (date-time text, risk status)."""
    milestones: list[MilestoneRecord] = field(default_factory=list)


@dataclass
class Record:
    poam_uuid: str
    layout: str
    items: dict[str, ItemRecord] = field(default_factory=dict)
    """By id, case folded."""

    def find(self, item_id: str) -> ItemRecord | None:
        return self.items.get(item_id.strip().casefold())


MILESTONE_PARTS = ("title", "scheduled", "completed_on", "status", "comments")
EMPTY = "-" * DIGEST


def _packed(cells: Mapping[str, str], keys: list[str]) -> str:
    """The digests in the order of `keys`, one after the other: a record row costs little to read."""
    return "".join(cells.get(key) or EMPTY for key in keys)


def _unpacked(text: str, keys: list[str]) -> dict[str, str]:
    parts = [text[i : i + DIGEST] for i in range(0, len(text), DIGEST)]
    return {key: part for key, part in zip(keys, parts, strict=False) if part != EMPTY}


def write_record(workbook: Workbook, poam_uuid: str, layout: str, items: list[ItemRecord]) -> None:
    ws = workbook.create_sheet(SHEET)
    keys = list(dict.fromkeys(key for item in items for key in item.cells))
    ws.append([MARKER, VERSION, poam_uuid, layout, NOTE])
    ws.append(["Item ID", json.dumps(keys), json.dumps(MILESTONE_PARTS), "Exact values"])
    for row, item in enumerate(items, start=3):
        exact = dict(item.exact)
        milestones = []
        for m in item.milestones:
            milestones.append(f"{m.key}\t{m.uuid[:TASK_ID]}\t{_packed(m.cells, list(MILESTONE_PARTS))}")
            exact.update({f"milestone\t{m.key}\t{k}": v for k, v in m.exact.items()})
        values = [item.id, _packed(item.cells, keys), "\n".join(milestones)]
        if exact:
            values.append(json.dumps(exact, ensure_ascii=False, sort_keys=True))
        for column, value in enumerate(values, start=1):
            if not value:
                continue
            cell = ws.cell(row=row, column=column, value=value)
            if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                cell.data_type = "s"  # an id is text, never a formula
                cell.quotePrefix = True
    ws.sheet_state = "hidden"


def is_record(sheet: RawSheet) -> bool:
    return sheet.name == SHEET and sheet.value(1, 1) == MARKER


def _list(value: object) -> list[str]:
    try:
        found = json.loads(str(value)) if value else []
    except ValueError:
        return []
    return [str(v) for v in found] if isinstance(found, list) else []


def read_record(sheet: RawSheet) -> Record | None:
    """The record an export left, or None when the sheet is not one this version reads (then nothing is assumed)."""
    if not is_record(sheet) or str(sheet.value(1, 2) or "") != VERSION:
        return None
    record = Record(str(sheet.value(1, 3) or ""), str(sheet.value(1, 4) or ""))
    keys, parts = _list(sheet.value(2, 2)), _list(sheet.value(2, 3))
    for number in range(3, len(sheet.rows) + 1):
        found = [sheet.value(number, c) for c in range(1, 5)]
        if found[0] is None:
            continue
        text = [str(v) if v is not None else "" for v in found]
        item = ItemRecord(text[0], _unpacked(text[1], keys))
        try:
            exact = json.loads(text[3]) if text[3] else {}
        except ValueError:
            exact = {}  # an edited record row: compared without its exact values
        exact = _strings(exact)
        for line in text[2].split("\n") if text[2] else []:
            fields = line.split("\t")
            if len(fields) != 3:
                continue
            key, uuid, packed = fields
            kept = {k.split("\t")[2]: v for k, v in exact.items() if k.startswith(f"milestone\t{key}\t")}
            item.milestones.append(MilestoneRecord(key, uuid, _unpacked(packed, parts), kept))
        item.exact = {k: v for k, v in exact.items() if not k.startswith("milestone\t")}
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
