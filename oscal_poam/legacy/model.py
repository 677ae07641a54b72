"""Typed records of a legacy POA&M: what each spreadsheet row says, before and after OSCAL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from oscal_poam.legacy.layouts import PLACED, column_letter
from oscal_poam.legacy.status import milestone_completed


def field_value(item: LegacyItem, name: str) -> object:
    """The value of a canonical field of an item: an attribute, or for a field held in one prop, `placed`."""
    return item.placed.get(name, "") if name in PLACED else getattr(item, name)


def day_of(value: dt.date) -> dt.date:
    """The calendar day of a date, or of a date-time in its own offset."""
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class Location:
    """A cell (or a whole row when `column` is 0) of a sheet; CSV files have no sheet name."""

    sheet: str
    row: int
    column: int = 0

    @property
    def cell(self) -> str:
        return f"{column_letter(self.column)}{self.row}" if self.column else f"{self.row}:{self.row}"

    @property
    def ref(self) -> str:
        """`'Open POA&M Items'!F12`, as a spreadsheet formula names a cell; `F12` in a CSV file."""
        if not self.sheet:
            return self.cell
        quoted = self.sheet.replace("'", "''")
        return f"'{quoted}'!{self.cell}"

    def describe(self, header: str = "") -> str:
        where = f"sheet {self.sheet!r}, " if self.sheet else ""
        where += f"row {self.row}"
        if self.column:
            where += f", column {column_letter(self.column)}"
            if header:
                where += f" ({header})"
        return where


@dataclass
class LegacyMilestone:
    title: str = ""
    """What the layouts show: one line, any date written in it taken out (the dates have their own fields)."""
    description: str = ""
    """The text as written, where it says more than the title (dates, more lines); '' otherwise."""
    scheduled: dt.date | None = None
    """The day it is due: a date, or a date-time (with its time and offset) read from OSCAL or an export's record."""
    completed_on: dt.date | None = None
    status: str = ""
    """The milestone status as written (`Completed`, `In Progress`, ...); '' when the sheet has none."""
    milestone_id: str = ""
    comments: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    """Task props kept as written, by prop name (`legacy-status` ...)."""
    location: Location | None = field(default=None, compare=False)
    uuid: str = field(default="", compare=False)
    """The OSCAL task it was read from ('' for a spreadsheet row)."""

    @property
    def is_completed(self) -> bool:
        return milestone_completed(self.status, self.completed_on)


@dataclass
class LegacyItem:
    """One POA&M item as a spreadsheet holds it; every value is text or a date, as written."""

    poam_id: str = ""
    controls: str = ""
    weakness_name: str = ""
    description: str = ""
    owner: str = ""
    resources: str = ""
    remediation_plan: str = ""
    verification: str = ""
    evidence: str = ""
    comments: str = ""
    status: str = ""
    detected: dt.date | None = None
    scheduled: dt.date | None = None
    """Dates are days as sheets give them, or date-times (with time and offset) as OSCAL holds them."""
    status_date: dt.date | None = None
    completed: dt.date | None = None
    milestones: list[LegacyMilestone] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    """Item props kept as they are: canonical fields without an OSCAL place and unmapped columns."""
    placed: dict[str, str] = field(default_factory=dict)
    """Fields held in one prop (layouts.PLACED), by field name: `root_cause` ..."""
    milestones_text: str = field(default="", compare=False)
    """A cell holding several milestones, as written; `milestones` holds them one by one."""
    sheet: str = field(default="", compare=False)
    location: Location | None = field(default=None, compare=False)
    cells: dict[str, Location] = field(default_factory=dict, compare=False)
    """Where each canonical field was read, for messages about it."""
    uuid: str = field(default="", compare=False)
    """The OSCAL item it was read from ('' for a spreadsheet row)."""
    risk_status: str = field(default="", compare=False)
    """The OSCAL risk status (`open` ... `closed`) the item has or its row names; '' when not yet known."""

    @property
    def root_cause(self) -> str:
        return self.placed.get("root_cause", "")

    @root_cause.setter
    def root_cause(self, value: str) -> None:
        self.placed["root_cause"] = value
