"""An OSCAL POA&M back to LegacyItems, read from the places docs/conventions.md names.

Items imported from a spreadsheet come back as they were written (the `legacy-*` props and the
marked risk-log entries); items from elsewhere (derive, other tools) are read by the conventions
alone: the deadline, the latest risk-log entry as status date, the tasks of type milestone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from oscal_poam.cmmc import vocab
from oscal_poam.dates import leading_iso_day
from oscal_poam.io.models import text
from oscal_poam.legacy.layouts import HOMELESS_PROPS, PLACED
from oscal_poam.legacy.markup import to_plain
from oscal_poam.legacy.model import LegacyItem, LegacyMilestone
from oscal_poam.legacy.to_oscal import requirements_of

if TYPE_CHECKING:
    from trestle.oscal.common import Risk, Task
    from trestle.oscal.poam import PlanOfActionAndMilestones, PoamItem

ITEM_PROPS_READ = frozenset(
    {
        vocab.REQUIREMENT,
        vocab.LEGACY_CONTROLS,
        *(place.name for place in PLACED.values() if place.task is None),
        vocab.LEGACY_SHEET,
        vocab.LEGACY_STATUS,
        HOMELESS_PROPS["poam_id"],
        HOMELESS_PROPS["weakness_name"],
    }
)
TASK_PROPS_READ = frozenset(
    {vocab.MILESTONE_STATUS, vocab.COMPLETED_ON, vocab.LEGACY_MILESTONE_ID, vocab.LEGACY_STATUS}
)


@dataclass
class LegacyDocument:
    items: list[LegacyItem]
    metadata: dict[str, str] = field(default_factory=dict)
    """Metadata props kept from a sheet's header block (`legacy-system-name` ...)."""
    closed: set[int] = field(default_factory=set)
    """Indexes of items whose risk is closed."""
    statuses: dict[int, str] = field(default_factory=dict)
    """The risk status of each item, by index."""
    last_modified: dt.datetime | None = None


def prop_text(prop: Any) -> str:
    """A prop's full text: its remarks hold it when the value had to be shortened."""
    if prop.remarks:
        return to_plain(str(prop.remarks))
    return text(prop.value)


def _props(props: Any, prefix_only: bool = False) -> Iterator[tuple[str, str]]:
    for p in props or []:
        if p.ns is None or str(p.ns) != vocab.NS:
            continue
        if prefix_only and not p.name.startswith(vocab.LEGACY_COLUMN_PREFIX):
            continue
        yield p.name, prop_text(p)


def _first(props: Any, name: str) -> str:
    return next(iter(_all(props, name)), "")


def _all(props: Any, name: str) -> list[str]:
    # The name first: the text of a prop is read only for the props asked for.
    return [prop_text(p) for p in props or [] if p.name == name and p.ns is not None and str(p.ns) == vocab.NS]


def _day(value: Any) -> dt.date | None:
    """A date-time as OSCAL holds it (time and offset kept), or the day a prop's ISO date gives."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    # Prop values hold no blanks at their ends (OSCAL's string pattern), so stripping changes nothing here.
    return leading_iso_day(str(value))


SHORT_ID = 8
"""Hex digits of an item's uuid that name it in a sheet when it has no POA&M ID of its own."""


def short_ids(uuids: list[str]) -> dict[str, str]:
    """A short id for each uuid: its first 8 hex digits, more where two would share them."""
    length = SHORT_ID
    while length < 32:
        ids = {u: u.replace("-", "")[:length].lower() for u in uuids}
        if len(set(ids.values())) == len(ids):
            return ids
        length += 4
    return {u: u.lower() for u in uuids}


def read_legacy(poam: PlanOfActionAndMilestones) -> LegacyDocument:
    risks = {str(r.uuid): r for r in poam.risks or []}
    parties = {str(p.uuid): p for p in poam.metadata.parties or [] if p.uuid is not None}
    document = LegacyDocument(
        items=[],
        metadata=dict(_props(poam.metadata.props, prefix_only=True)),
        last_modified=poam.metadata.last_modified,
    )
    ids = short_ids([str(i.uuid) for i in poam.poam_items])
    for index, poam_item in enumerate(poam.poam_items):
        risk = next((risks[str(r.risk_uuid)] for r in poam_item.related_risks or [] if str(r.risk_uuid) in risks), None)
        item = _item(poam_item, risk, parties)
        item.uuid = str(poam_item.uuid)
        if not item.poam_id:
            item.poam_id = ids[item.uuid]
        status = text(risk.status) if risk is not None else "open"
        item.risk_status = status
        document.statuses[index] = status
        if status == "closed":
            document.closed.add(index)
        document.items.append(item)
    return document


def _controls(poam_item: PoamItem) -> str:
    labels = _all(poam_item.props, vocab.REQUIREMENT)
    written = _first(poam_item.props, vocab.LEGACY_CONTROLS)
    if not written:
        return "; ".join(labels)
    mapped, unmapped = requirements_of(written)
    if {r.label.lower() for r in mapped} == {label.lower() for label in labels}:
        return written
    return "; ".join([*labels, *unmapped])


def _item(poam_item: PoamItem, risk: Risk | None, parties: dict[str, Any]) -> LegacyItem:
    sheet = _first(poam_item.props, vocab.LEGACY_SHEET)
    imported = bool(sheet)
    item = LegacyItem(
        poam_id=_first(poam_item.props, HOMELESS_PROPS["poam_id"]),
        controls=_controls(poam_item),
        weakness_name=_first(poam_item.props, HOMELESS_PROPS["weakness_name"])
        or ("" if imported else to_plain(text(poam_item.title))),
        description=to_plain(str(poam_item.description or "")),
        comments=to_plain(str(poam_item.remarks or "")),
        status=_first(poam_item.props, vocab.LEGACY_STATUS),
        sheet=sheet,
    )
    for name, value in _props(poam_item.props, prefix_only=True):
        if name not in ITEM_PROPS_READ:
            item.extra[name] = value
    for field_name, place in PLACED.items():
        if place.task is None and (found := place.cell(_all(poam_item.props, place.name))):
            item.placed[field_name] = found
    if risk is None:
        return item
    item.scheduled = _day(risk.deadline)
    _dates(item, risk)
    planned = next((r for r in risk.remediations or [] if text(r.lifecycle) == "planned"), None)
    if planned is None:
        return item
    item.remediation_plan = to_plain(str(planned.description or ""))
    item.resources = "\n".join(to_plain(str(a.description)) for a in planned.required_assets or [] if a.description)
    for task in _walk(planned.tasks or []):
        kind = text(task.type)
        purpose = _first(task.props, vocab.TASK_PURPOSE)
        for field_name, place in PLACED.items():
            found = place.cell(_all(task.props, place.name)) if place.task and place.task == purpose else ""
            if found and field_name not in item.placed:
                item.placed[field_name] = found
        if kind == "milestone":
            item.milestones.append(_milestone(task))
        elif kind == "action" and purpose == "verification":
            if task.description and not item.verification:
                item.verification = to_plain(str(task.description))
            evidence = [
                to_plain(str(link.text)) if link.text else unquote(str(link.href))
                for link in task.links or []
                if text(link.rel) == vocab.EVIDENCE_REL
            ]
            if evidence and not item.evidence:
                item.evidence = "\n".join(evidence)
        if not item.owner:
            item.owner = _owner(task, parties)
    return item


def _walk(tasks: list[Task]) -> Iterator[Task]:
    for task in tasks:
        yield task
        yield from _walk(task.tasks or [])


def _owner(task: Task, parties: dict[str, Any]) -> str:
    for role in task.responsible_roles or []:
        if role.role_id != vocab.OWNER_ROLE:
            continue
        for uuid in role.party_uuids or []:
            party = parties.get(str(uuid))
            if party is not None:
                return to_plain(str(party.remarks)) if party.remarks else text(party.name)
    return ""


def _dates(item: LegacyItem, risk: Risk) -> None:
    entries = list(risk.risk_log.entries) if risk.risk_log is not None else []
    if not entries:
        return
    marked: dict[str, list[Any]] = {}
    unmarked: list[Any] = []
    for entry in entries:
        events = _all(entry.props, vocab.LOG_EVENT)
        for event in events:
            marked.setdefault(event, []).append(entry)
        if not events:
            unmarked.append(entry)
    # Marked entries (a sheet's dates, the changes an import records) say what they are; the others are read by
    # their status changes: the first opening is the detection, and without marks the latest entry the status date.
    opened = [e for e in unmarked if e.status_change is not None and text(e.status_change) == "open"]
    if "detected" in marked:
        item.detected = _day(marked["detected"][-1].start)
    elif opened:
        item.detected = _day(min(opened, key=lambda e: e.start).start)
    if "status" in marked:
        item.status_date = _day(max(marked["status"], key=lambda e: e.start).start)
    elif not marked:
        item.status_date = _day(max(entries, key=lambda e: e.start).start)
    if "completed" in marked:
        item.completed = _day(marked["completed"][-1].start)
    elif text(risk.status) == "closed":
        closed = [e for e in entries if e.status_change is not None and text(e.status_change) == "closed"]
        if closed:
            item.completed = _day(max(closed, key=lambda e: e.start).start)


def _milestone(task: Task) -> LegacyMilestone:
    written = _first(task.props, vocab.LEGACY_STATUS)
    completed_flag = _first(task.props, vocab.MILESTONE_STATUS) == "completed"
    completed_on = _day(_first(task.props, vocab.COMPLETED_ON) or None)
    title = to_plain(text(task.title))
    description = to_plain(str(task.description)) if task.description else ""
    on_date = getattr(task.timing, "on_date", None)
    milestone = LegacyMilestone(
        title=title,
        description=description if description != title else "",
        scheduled=on_date.date if on_date is not None else None,
        uuid=str(task.uuid),
        completed_on=completed_on,
        status=written,
        milestone_id=_first(task.props, vocab.LEGACY_MILESTONE_ID),
        comments=to_plain(str(task.remarks or "")),
    )
    if milestone.is_completed != completed_flag:
        # The task's own status wins over words written before it changed.
        milestone.status = "Completed" if completed_flag else "Pending"
    for name, value in _props(task.props, prefix_only=True):
        if name not in TASK_PROPS_READ:
            milestone.extra[name] = value
    return milestone
