"""From a sheet's cells to LegacyItems: find the header row, map columns, read every row.

Nothing here guesses silently: a column that maps to no field is kept under its own name, a row that
cannot be read is listed with the reason, and a cell that cannot be trusted (a formula error, a date
that is not one, a merged range over data rows, a header written twice) is a Problem naming its cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.errors import Problem
from oscal_poam.legacy.cells import CellValue
from oscal_poam.legacy.dates import NotADate, is_placeholder, parse_date
from oscal_poam.legacy.layouts import (
    FIELDS_BY_NAME,
    HOMELESS_PROPS,
    PLACED,
    LayoutName,
    column_letter,
    detect_layout,
    header_token,
    match_field,
    normalize_header,
)
from oscal_poam.legacy.mapping import KEEP, ColumnMap
from oscal_poam.legacy.milestones import split_milestones
from oscal_poam.legacy.model import LegacyItem, LegacyMilestone, Location, field_value
from oscal_poam.legacy.read import FORMULA_ERRORS, RawSheet, RawWorkbook
from oscal_poam.legacy.record import Record
from oscal_poam.legacy.text import one_line
from oscal_poam.rules import legacy as rules

HEADER_SCAN_ROWS = 50
MIN_HEADER_FIELDS = 2
PREFIX = "legacy-"
RESERVED_PROPS = frozenset({*HOMELESS_PROPS.values(), "legacy-controls", "legacy-status", "legacy-sheet"})
TEMPLATE_PLACEHOLDERS = frozenset({"Text", "Date"})
"""What the empty FedRAMP template writes where the CSP, system name and POA&M date go."""


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    field: str | None
    prop: str | None
    note: str = ""

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class SkippedRow:
    location: Location
    reason: str


@dataclass
class SheetResult:
    name: str
    header_row: int
    layout: LayoutName
    columns: list[Column]
    items: list[LegacyItem] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    blank_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    banners: list[str] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)
    """What was kept in another place than its column says: placeholders in date columns, milestone-row values."""


NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters an OSCAL document cannot hold in XML, so not in any of its forms."""


def cell_text(value: CellValue) -> str:
    """A cell as text: numbers without a needless `.0`, dates as ISO, line ends as `\\n`, ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return NOT_IN_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def find_header_row(sheet: RawSheet, overrides: Mapping[str, str]) -> tuple[int, int] | None:
    """The row (1-based) whose cells name the most fields, with the count; None when no row names enough."""
    best: tuple[int, int] | None = None
    for index, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS], start=1):
        fields = {match_field(cell_text(v), overrides) for v in cells if v is not None}
        fields.discard(None)
        fields.discard(KEEP)
        identifying = any(FIELDS_BY_NAME[f].identifying for f in fields if f in FIELDS_BY_NAME)
        if len(fields) >= MIN_HEADER_FIELDS and identifying and (best is None or len(fields) > best[1]):
            best = (index, len(fields))
    return best


class SheetReader:
    """Reads one sheet whose header row is known."""

    def __init__(
        self,
        sheet: RawSheet,
        header_row: int,
        mapping: ColumnMap,
        layout: LayoutName | None,
        source: str,
    ) -> None:
        self.sheet = sheet
        self.header_row = header_row
        self.source = source
        self.overrides = mapping.overrides
        headers = [cell_text(v) for v in sheet.rows[header_row - 1]] if header_row <= len(sheet.rows) else []
        self.result = SheetResult(sheet.name, header_row, layout or detect_layout(headers), [])
        self.columns = self._columns(headers)
        self.result.columns = self.columns
        self.headers = {c.index: c.header.strip().casefold() for c in self.columns}
        self.milestone_columns = any(
            c.field and (c.field.startswith("milestone_") or c.field == "milestones_text") for c in self.columns
        )
        self.current: LegacyItem | None = None

    # -- columns -------------------------------------------------------------------------------------------

    def _columns(self, headers: list[str]) -> list[Column]:
        width = max([len(headers), *(len(r) for r in self.sheet.rows[self.header_row :])], default=0)
        seen: dict[str, int] = {}
        taken: dict[str, str] = {}
        props: set[str] = set(RESERVED_PROPS)
        columns: list[Column] = []
        for index in range(1, width + 1):
            header = headers[index - 1] if index <= len(headers) else ""
            here = Location(self.sheet.name, self.header_row, index)
            key = normalize_header(header)
            if not key:
                if not self._column_has_data(index):
                    continue
                prop = self._unique(f"{PREFIX}column-{column_letter(index).lower()}", props)
                columns.append(Column(index, header, None, prop, "no header"))
                continue
            if key in seen:
                first = Location(self.sheet.name, self.header_row, seen[key])
                self.result.problems.append(
                    self._problem(
                        f"duplicated header {header!r} in {first.cell} and {here.cell} "
                        f"({here.describe()}): rename one of them, or map them with --mapping",
                        here,
                    )
                )
                continue
            seen[key] = index
            target = match_field(header, self.overrides)
            if target == KEEP:
                target = None
            if target is not None and target in taken:
                prop = self._unique(PREFIX + (header_token(header) or f"column-{column_letter(index).lower()}"), props)
                note = f"{FIELDS_BY_NAME[target].label} is already read from {taken[target]!r}"
                columns.append(Column(index, header, None, prop, note))
                continue
            if target is not None:
                taken[target] = header
                columns.append(Column(index, header, target, HOMELESS_PROPS.get(target)))
                continue
            prop = self._unique(PREFIX + (header_token(header) or f"column-{column_letter(index).lower()}"), props)
            columns.append(Column(index, header, None, prop))
        return columns

    def _column_has_data(self, index: int) -> bool:
        return any(len(r) >= index and cell_text(r[index - 1]) for r in self.sheet.rows[self.header_row :])

    @staticmethod
    def _unique(name: str, used: set[str]) -> str:
        candidate, counter = name, 2
        while candidate in used:
            candidate = f"{name}-{counter}"
            counter += 1
        used.add(candidate)
        return candidate

    def _problem(self, message: str, where: Location) -> Problem:
        return Problem(message, self.source, where.ref)

    # -- the sheet -----------------------------------------------------------------------------------------

    def read(self) -> SheetResult:
        self._merged()
        self._metadata()
        for row in range(self.header_row + 1, len(self.sheet.rows) + 1):
            self._row(row)
        return self.result

    def _merged(self) -> None:
        for merge in self.sheet.merged:
            first_data = max(merge.min_row, self.header_row + 1)
            if merge.max_row > first_data:
                top = Location(self.sheet.name, merge.min_row, merge.min_col)
                span = f"{top.cell}:{column_letter(merge.max_col)}{merge.max_row}"
                self.result.problems.append(
                    self._problem(
                        f"merged cells {span} span data rows {first_data} to {merge.max_row} ({top.describe()}): "
                        "unmerge them and fill in each row",
                        top,
                    )
                )

    def _metadata(self) -> None:
        """Label/value pairs above the header: `Date Exported:` and its value, or labels over values."""
        rows = self.sheet.rows[: self.header_row - 1]
        used: set[tuple[int, int]] = set()
        for r, cells in enumerate(rows, start=1):
            texts = {c: cell_text(v) for c, v in enumerate(cells, start=1) if cell_text(v)}
            for c, text in texts.items():
                if text.endswith(":") and (r, c) not in used:
                    used.add((r, c))
                    value_col = next((k for k in sorted(texts) if k > c), None)
                    if value_col is not None and not texts[value_col].endswith(":"):
                        used.add((r, value_col))
                        self._meta(text[:-1], texts[value_col], cells[value_col - 1])
            below = rows[r] if r < len(rows) else ()
            labels = [c for c, t in texts.items() if not t.endswith(":") and (r, c) not in used]
            if len(labels) >= 2 and below:
                under = {c: cell_text(below[c - 1]) for c in labels if c <= len(below)}
                if any(under.values()) and all(c in labels for c, v in enumerate(below, start=1) if cell_text(v)):
                    for c in labels:
                        used.add((r, c))
                        used.add((r + 1, c))
                        if under.get(c) and under[c] not in TEMPLATE_PLACEHOLDERS:
                            self._meta(texts[c], under[c], below[c - 1])
        for r, cells in enumerate(rows, start=1):
            for c, v in enumerate(cells, start=1):
                text = cell_text(v)
                if text and (r, c) not in used and not text.endswith(":") and text not in self.result.banners:
                    self.result.banners.append(text)

    def _meta(self, label: str, text: str, raw: CellValue) -> None:
        token = header_token(label)
        if token and text:
            self.result.metadata.setdefault(PREFIX + token, cell_text(raw) if raw is not None else text)

    def _row(self, row: int) -> None:
        cells = self.sheet.rows[row - 1]
        values: dict[int, CellValue] = {}
        formulas = self.sheet.formulas
        for column in self.columns:
            raw = cells[column.index - 1] if column.index <= len(cells) else None
            saved = formulas.get((row, column.index)) if formulas else None
            if saved is not None and not self._formula(row, column, saved, raw):
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            if isinstance(raw, str) and raw.strip() in FORMULA_ERRORS:
                where = Location(self.sheet.name, row, column.index)
                self.result.problems.append(
                    self._problem(
                        f"formula error {raw.strip()} in {where.describe(column.header)}: "
                        "the cell has lost its value; fix the formula or type the value",
                        where,
                    )
                )
                continue
            if isinstance(raw, str) and NOT_IN_XML.search(raw):
                where = Location(self.sheet.name, row, column.index)
                count = len(NOT_IN_XML.findall(raw))
                self.result.notes.append(
                    rules.CONTROL_CHARACTERS.diag(
                        f"{where.describe(column.header)} holds {count} control character(s) that OSCAL cannot hold; "
                        "they were left out",
                        where.ref,
                        self.source,
                    )
                )
            values[column.index] = raw
        if not values:
            self.result.blank_rows += 1
            return
        if self._repeats_header(values):
            self._skip(row, "repeats the header row")
            return

        item_values: dict[str, object] = {}
        milestone_values: dict[str, object] = {}
        kept: dict[str, str] = {}
        locations: dict[str, Location] = {}
        ok = True
        for column in self.columns:
            if column.index not in values:
                continue
            raw = values[column.index]
            where = Location(self.sheet.name, row, column.index)
            if column.field is None:
                assert column.prop is not None
                kept[column.prop] = cell_text(raw)
                continue
            spec = FIELDS_BY_NAME[column.field]
            value: object
            if spec.kind == "date":
                try:
                    value = parse_date(raw)
                except NotADate as exc:
                    text = cell_text(raw)
                    if is_placeholder(text):
                        name = PREFIX + (header_token(column.header) or column.field)
                        kept[name] = text
                        self.result.notes.append(
                            rules.DATE_PLACEHOLDER.diag(
                                f"{text!r} in {where.describe(column.header)} is no date; kept as prop {name}",
                                where.ref,
                                self.source,
                            )
                        )
                        continue
                    self.result.problems.append(
                        self._problem(f"unparseable date in {where.describe(column.header)}: {exc}", where)
                    )
                    ok = False
                    continue
                if value is None:
                    continue
            else:
                value = cell_text(raw)
            locations[column.field] = where
            target = milestone_values if spec.scope == "milestone" else item_values
            target[column.field] = value
        if not ok:
            return

        identifying = any(FIELDS_BY_NAME[f].identifying for f in item_values)
        # Sheets with milestone columns may repeat the item's ID on each milestone row (eMASS exports do).
        continues = (
            self.current is not None
            and self.milestone_columns
            and bool(item_values.get("poam_id"))
            and item_values.get("poam_id") == self.current.poam_id
        )
        if identifying and not continues:
            self._new_item(row, item_values, kept, locations)
            if milestone_values:
                self._milestone(row, milestone_values, {}, locations)
            return
        if self.current is None:
            self._skip(row, self._no_item_reason(values))
            return
        written = item_values.pop("milestones_text", None)
        if written:
            # One milestone per row (the 2018 eMASS export): the row's text is one more milestone of the item above.
            found = split_milestones(str(written))
            for milestone in found:
                milestone.location = locations.get("milestones_text")
                self.current.milestones.append(milestone)
            if found and kept:
                found[-1].extra.update(kept)
                kept = {}
            if not item_values and not milestone_values:
                return
        if not milestone_values and not continues:
            self._skip(row, self._no_item_reason(values))
            return
        differing = self._merge_into_current(row, item_values, kept)
        for name in differing:
            self.result.notes.append(
                rules.MILESTONE_ROW_VALUES.diag(
                    f"row {row} gives the item another value than its first row; kept on the row's milestone as {name}",
                    Location(self.sheet.name, row).ref,
                    self.source,
                    self.current.poam_id if self.current is not None else "",
                )
            )
        if milestone_values:
            self._milestone(row, milestone_values, differing, locations)
        elif self.current is not None:
            # The item's ID repeated on a row without a milestone: its other values stay on the item.
            for name, text in differing.items():
                self.current.extra[f"{name}-row-{row}"] = text

    def _formula(self, row: int, column: Column, saved: bool, raw: CellValue) -> bool:
        """A formula cell: its saved value is read, with a warning; with none saved, the cell cannot be trusted."""
        where = Location(self.sheet.name, row, column.index)
        if not saved:
            self.result.problems.append(
                self._problem(
                    f"{where.describe(column.header)} holds a formula with no value saved in the file (a program "
                    "that does not calculate wrote it): open and save it in a spreadsheet program, or type the value",
                    where,
                )
            )
            return False
        if raw is not None and not (isinstance(raw, str) and raw.strip() in FORMULA_ERRORS):
            self.result.notes.append(
                rules.FORMULA_CACHED.diag(
                    f"{where.describe(column.header)} holds a formula; its saved value is imported, not the formula",
                    where.ref,
                    self.source,
                )
            )
        return True

    def _repeats_header(self, values: dict[int, CellValue]) -> bool:
        same = sum(1 for i, v in values.items() if isinstance(v, str) and v.strip().casefold() == self.headers.get(i))
        return same >= 2 and same * 2 >= len(values)

    def _no_item_reason(self, values: dict[int, CellValue]) -> str:
        by_index = {c.index: c for c in self.columns}
        where = ", ".join(f"{column_letter(i)} ({by_index[i].header or 'no header'})" for i in sorted(values))
        if self.current is None:
            return f"comes before any item and names none (no ID, controls, weakness, description); values in {where}"
        return f"names no POA&M item (no ID, controls, weakness or description) and no milestone; values in {where}"

    def _skip(self, row: int, reason: str) -> None:
        self.result.skipped.append(SkippedRow(Location(self.sheet.name, row), reason))

    def _new_item(
        self, row: int, values: dict[str, object], kept: dict[str, str], locations: dict[str, Location]
    ) -> None:
        item = LegacyItem(sheet=self.sheet.name, location=Location(self.sheet.name, row))
        for name, value in values.items():
            self._set(item, name, value)
        item.extra.update(kept)
        item.cells.update(locations)
        if item.milestones_text:
            for milestone in split_milestones(item.milestones_text):
                milestone.location = locations.get("milestones_text")
                item.milestones.append(milestone)
        self.result.items.append(item)
        self.current = item

    @staticmethod
    def _set(item: LegacyItem, name: str, value: object) -> None:
        if name in PLACED:
            item.placed[name] = str(value)
            return
        prop = HOMELESS_PROPS.get(name)
        if prop is not None and name != "poam_id" and name != "weakness_name":
            item.extra[prop] = str(value)
            return
        setattr(item, name, value)

    def _merge_into_current(self, row: int, values: dict[str, object], kept: dict[str, str]) -> dict[str, str]:
        """Item fields repeated on a milestone row: equal values are the item's; others stay with the milestone."""
        item = self.current
        assert item is not None
        differing: dict[str, str] = {}
        by_field = {c.field: c for c in self.columns if c.field}
        for name, value in values.items():
            prop = HOMELESS_PROPS.get(name)
            current: object = (
                item.extra.get(prop, "")
                if prop and name not in ("poam_id", "weakness_name")
                else field_value(item, name)
            )
            if current in ("", None):
                self._set(item, name, value)
            elif current != value:
                header = by_field[name].header
                text = value.isoformat() if isinstance(value, dt.date) else str(value)
                differing[PREFIX + (header_token(header) or name)] = text
        for prop, text in kept.items():
            if not item.extra.get(prop):
                item.extra[prop] = text
            elif item.extra[prop] != text:
                differing[prop] = text
        return differing

    def _milestone(
        self, row: int, values: dict[str, object], differing: dict[str, str], locations: dict[str, Location]
    ) -> None:
        item = self.current
        assert item is not None
        text = str(values.get("milestone_description", ""))
        title = one_line(text)
        milestone = LegacyMilestone(
            title=title,
            description=text if text != title else "",
            scheduled=_date(values.get("milestone_scheduled")),
            completed_on=_date(values.get("milestone_completed")),
            status=str(values.get("milestone_status", "")),
            milestone_id=str(values.get("milestone_id", "")),
            comments=str(values.get("milestone_comments", "")),
            extra=dict(differing),
            location=Location(self.sheet.name, row),
        )
        item.milestones.append(milestone)


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


_SKIP_SHEETS = re.compile(r"example|sample|instruction|read\s*me|record of changes|change log", re.IGNORECASE)


def skip_reason(name: str) -> str | None:
    """Sheets that hold examples or instructions are not imported unless named with --sheet."""
    if _SKIP_SHEETS.search(name):
        return "holds examples or instructions, not POA&M items (import it with --sheet to read it anyway)"
    return None


@dataclass
class SheetItems:
    """A spreadsheet read into LegacyItems: what import builds a POA&M of, and import --onto merges."""

    source: str
    workbook: RawWorkbook
    sheets: list[SheetResult]
    skipped: list[tuple[str, str]]
    items: list[LegacyItem]
    notes: list[Diagnostic]
    metadata: dict[str, str]
    banners: list[str]
    record: Record | None
