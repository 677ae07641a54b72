"""A POA&M as people track it: each item's status, owners, resources, milestones and risk log, by uuid.

Read from the POA&M's facts (`oscal_poam.facts.poam`), so that items, milestones, owners and statuses are found in
the places docs/conventions.md names, as every rule and the report find them. A snapshot decides nothing: it
records what one version of the POA&M says, for `compare` and for the trends of its history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oscal_poam.facts.poam import CLOSED, completed_on, milestone_completed, task_date
from oscal_poam.io.models import text

if TYPE_CHECKING:
    from oscal_poam.facts.poam import PoamFacts, PoamItemView

OPENED = "open"
"""The risk-log `status-change` that opens an item (docs/conventions.md)."""


@dataclass(frozen=True)
class MilestoneState:
    uuid: str
    title: str
    due: dt.date | None
    """`timing.on-date.date`, the day as written."""
    completed: bool
    completed_on: dt.date | None
    remarks: str


@dataclass(frozen=True)
class LogEntry:
    """One risk-log entry of the item's risk."""

    uuid: str
    title: str
    description: str
    day: dt.date
    """The day of its `start`, as written."""
    status_change: str | None


@dataclass(frozen=True)
class ItemState:
    uuid: str
    requirement: str
    """The official id of the item's requirement, else what the item names, else ''."""
    title: str
    status: str
    """The related risk's status; '' when the item has none."""
    owners: tuple[str, ...]
    """The names of the remediation owners (their parties' names), in document order."""
    resources: tuple[str, ...]
    """The planned remediation's required assets (their descriptions)."""
    milestones: tuple[MilestoneState, ...]
    log: tuple[LogEntry, ...]
    """The risk log, in document order."""

    @property
    def label(self) -> str:
        """How the item is named in changes and charts: its requirement, else its title, else its uuid."""
        return self.requirement or self.title or self.uuid

    @property
    def closed(self) -> bool:
        return self.status == CLOSED

    @property
    def opened_on(self) -> dt.date | None:
        """When the risk log says the item was opened: its first entry opening it, else its earliest entry."""
        opening = [e.day for e in self.log if e.status_change == OPENED]
        days = opening or [e.day for e in self.log]
        return min(days) if days else None

    @property
    def closed_on(self) -> dt.date | None:
        """When the risk log says a closed item was closed: its latest entry closing it (the completion date)."""
        if not self.closed:
            return None
        closing = [e.day for e in self.log if e.status_change == CLOSED]
        return max(closing) if closing else None

    def milestone(self, uuid: str) -> MilestoneState | None:
        return next((m for m in self.milestones if m.uuid == uuid), None)


@dataclass(frozen=True)
class PoamState:
    """One version of a POA&M."""

    uuid: str
    title: str
    system_id: str
    level: int | None
    status_date: dt.date | None
    """The Conditional CMMC Status Date the metadata records."""
    deadline: dt.date | None
    items: tuple[ItemState, ...]

    @property
    def open_items(self) -> int:
        return sum(not i.closed for i in self.items)

    def item(self, uuid: str) -> ItemState | None:
        return next((i for i in self.items if i.uuid == uuid), None)


EMPTY = PoamState("", "", "", None, None, None, ())
"""The POA&M before it existed (a file added in a commit: `git diff` gives /dev/null)."""


def snapshot(facts: PoamFacts) -> PoamState:
    """What `facts` record of the POA&M they were read from."""
    model = facts.model
    parties = facts.party_names()
    system_id = text(model.system_id.id) if model is not None and model.system_id is not None else ""
    return PoamState(
        uuid=str(model.uuid) if model is not None else "",
        title=facts.title,
        system_id=system_id,
        level=facts.level,
        status_date=facts.status_date,
        deadline=facts.deadline,
        items=tuple(_item(view, parties) for view in facts.items),
    )


def _item(view: PoamItemView, parties: dict[str, str]) -> ItemState:
    owners = view.owners(parties)
    resources: tuple[str, ...] = ()
    if view.planned is not None:
        resources = tuple(text(asset.description) for asset in view.planned.obj.required_assets or [])
    milestones = []
    for located in view.milestones:
        task = located.obj
        milestones.append(
            MilestoneState(
                uuid=str(task.uuid),
                title=text(task.title),
                due=task_date(task),
                completed=milestone_completed(task),
                completed_on=completed_on(task),
                remarks=text(task.remarks),
            )
        )
    log: list[LogEntry] = []
    if view.risk is not None and view.risk.obj.risk_log is not None:
        for entry in view.risk.obj.risk_log.entries:
            change = text(entry.status_change) or None
            day = entry.start.date()
            log.append(LogEntry(str(entry.uuid), text(entry.title), text(entry.description), day, change))
    label = view.requirement.label if view.requirement is not None else view.requirement_text
    return ItemState(
        uuid=str(view.item.uuid),
        requirement=label,
        title=text(view.item.title),
        status=view.status or "",
        owners=tuple(owners),
        resources=resources,
        milestones=tuple(milestones),
        log=tuple(log),
    )
