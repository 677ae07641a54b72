"""The changes from one version of a POA&M to the next.

Items are matched by uuid; an item whose uuid is new is matched to a vanished one naming the same requirement
(a POA&M rebuilt from a spreadsheet may give items new uuids), else it is added. Milestones are matched by uuid
within their item, then by title. Changes are listed in item order of the new version (removed items last), and
within an item in a fixed order of kinds, so the same two versions always give the same list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from oscal_poam.diff.snapshot import ItemState, LogEntry, MilestoneState, PoamState

ChangeKind = Literal[
    "status-date-changed",
    "item-added",
    "item-removed",
    "item-closed",
    "item-reopened",
    "status-changed",
    "owner-changed",
    "resources-changed",
    "milestone-added",
    "milestone-removed",
    "milestone-moved",
    "milestone-completed",
    "milestone-reopened",
]

KIND_ORDER: tuple[ChangeKind, ...] = ChangeKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Justification:
    """Why a milestone moved, where the POA&M records it."""

    text: str
    source: Literal["risk-log", "remarks"]


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    item: str
    """The item's label (its requirement), '' for a change of the POA&M itself."""
    item_uuid: str
    before: str = ""
    after: str = ""
    milestone: str = ""
    """The milestone's title, for milestone changes."""
    days: int | None = None
    """For a moved milestone: how many days later (negative: earlier)."""
    justification: Justification | None = None
    """For a milestone moved later: why, where the new version records it."""

    @property
    def slipped(self) -> bool:
        """A milestone moved later."""
        return self.kind == "milestone-moved" and (self.days or 0) > 0

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "item": self.item, "item-uuid": self.item_uuid}
        if self.milestone:
            data["milestone"] = self.milestone
        data["before"] = self.before or None
        data["after"] = self.after or None
        if self.days is not None:
            data["days"] = self.days
        if self.justification is not None:
            data["justification"] = {"text": self.justification.text, "source": self.justification.source}
        return data


@dataclass(frozen=True)
class PoamDiff:
    old: PoamState
    new: PoamState
    changes: tuple[Change, ...]

    def of_kind(self, *kinds: ChangeKind) -> list[Change]:
        return [c for c in self.changes if c.kind in kinds]

    @property
    def slips(self) -> list[Change]:
        return [c for c in self.changes if c.slipped]

    def counts(self) -> dict[str, int]:
        """How many changes of each kind, in the fixed order of kinds, kinds with none left out."""
        found = {kind: sum(c.kind == kind for c in self.changes) for kind in KIND_ORDER}
        return {kind: n for kind, n in found.items() if n}


def compare(old: PoamState, new: PoamState) -> PoamDiff:
    """Every change from `old` to `new`."""
    changes: list[Change] = []
    if old.status_date != new.status_date and old.items and new.items:
        changes.append(Change("status-date-changed", "", "", _day(old.status_date), _day(new.status_date)))
    pairs, added, removed = _match(old.items, new.items)
    for item in new.items:
        before = pairs.get(item.uuid)
        if item.uuid in added:
            changes.append(Change("item-added", item.label, item.uuid, after=item.status or "no status"))
            continue
        assert before is not None
        changes.extend(_item_changes(before, item))
    for item in removed:
        changes.append(Change("item-removed", item.label, item.uuid, before=item.status or "no status"))
    return PoamDiff(old, new, tuple(changes))


def _match(
    old: tuple[ItemState, ...], new: tuple[ItemState, ...]
) -> tuple[dict[str, ItemState], set[str], list[ItemState]]:
    """New uuid -> its old item; the uuids of new items with no old one; old items with no new one."""
    by_uuid = {i.uuid: i for i in old}
    pairs = {i.uuid: by_uuid[i.uuid] for i in new if i.uuid in by_uuid}
    taken = {i.uuid for i in pairs.values()}
    left = [i for i in old if i.uuid not in taken]
    added: set[str] = set()
    for item in new:
        if item.uuid in pairs:
            continue
        twin = _only(left, item.requirement) if item.requirement else None
        if twin is not None and _only([i for i in new if i.uuid not in pairs], item.requirement) is item:
            pairs[item.uuid] = twin
            left.remove(twin)
        else:
            added.add(item.uuid)
    return pairs, added, left


def _only(items: list[ItemState], requirement: str) -> ItemState | None:
    found = [i for i in items if i.requirement == requirement]
    return found[0] if len(found) == 1 else None


def _item_changes(old: ItemState, new: ItemState) -> list[Change]:
    label, uuid = new.label, new.uuid
    found: list[Change] = []
    if old.closed != new.closed:
        kind: ChangeKind = "item-closed" if new.closed else "item-reopened"
        found.append(Change(kind, label, uuid, old.status or "no status", new.status or "no status"))
    elif old.status != new.status:
        found.append(Change("status-changed", label, uuid, old.status or "no status", new.status or "no status"))
    if old.owners != new.owners:
        found.append(Change("owner-changed", label, uuid, ", ".join(old.owners), ", ".join(new.owners)))
    if old.resources != new.resources:
        found.append(Change("resources-changed", label, uuid, "; ".join(old.resources), "; ".join(new.resources)))
    found.extend(_milestone_changes(old, new))
    return sorted(found, key=lambda c: KIND_ORDER.index(c.kind))


def _milestone_changes(old: ItemState, new: ItemState) -> list[Change]:
    label, uuid = new.label, new.uuid
    before = {m.uuid: m for m in old.milestones}
    matched: dict[str, MilestoneState] = {m.uuid: before[m.uuid] for m in new.milestones if m.uuid in before}
    left = [m for m in old.milestones if m.uuid not in {b.uuid for b in matched.values()}]
    for m in new.milestones:
        if m.uuid not in matched:
            twin = next((o for o in left if o.title == m.title), None)
            if twin is not None:
                matched[m.uuid] = twin
                left.remove(twin)
    new_entries = [e for e in new.log if e.uuid not in {o.uuid for o in old.log}]
    found: list[Change] = []
    for m in new.milestones:
        was = matched.get(m.uuid)
        if was is None:
            done = f", completed {_day(m.completed_on) or 'on a day not given'}" if m.completed else ""
            after = (_day(m.due) or "undated") + done
            found.append(Change("milestone-added", label, uuid, after=after, milestone=m.title))
            continue
        if was.due != m.due:
            days = (m.due - was.due).days if m.due is not None and was.due is not None else None
            why = _justification(m, was, new_entries) if days is not None and days > 0 else None
            found.append(Change("milestone-moved", label, uuid, _day(was.due), _day(m.due), m.title, days, why))
        if m.completed and not was.completed:
            found.append(Change("milestone-completed", label, uuid, after=_day(m.completed_on), milestone=m.title))
        elif was.completed and not m.completed:
            found.append(Change("milestone-reopened", label, uuid, before=_day(was.completed_on), milestone=m.title))
    for m in left:
        found.append(Change("milestone-removed", label, uuid, before=_day(m.due), milestone=m.title))
    return found


def _justification(new: MilestoneState, old: MilestoneState, entries: list[LogEntry]) -> Justification | None:
    """Why a milestone moved: a risk-log entry the new version adds to the item, else its changed remarks."""
    if entries:
        said = [": ".join(p for p in (e.title, e.description) if p) for e in entries]
        return Justification("; ".join(s for s in said if s), "risk-log")
    if new.remarks and new.remarks != old.remarks:
        return Justification(new.remarks, "remarks")
    return None


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""
