"""`import --onto`: a spreadsheet's edits applied to the POA&M it was exported from, everything else kept.

Rows are matched to items by the id an export writes (the item's POA&M ID, else the first hex digits of its
uuid). For each cell the sheet carries, three values are compared: what the export wrote (its record, see
oscal_poam/legacy/record.py), what the sheet says now, and what the POA&M would export now. Changed only in the
sheet: applied to the item, in the place docs/conventions.md names, and recorded in the item's risk log on the
import's day. Changed only in the POA&M: kept. Changed in both to different values: a conflict, reported and
not applied. Without a record (a sheet not exported by oscal-poam) every difference is an edit.

Nothing else of the POA&M changes: uuids, findings, observations, the risks' other parts, parties, back-matter,
imports. Rows with a new id become new items; items with no row are reported, and closed with
`close_missing`. The POA&M is changed in place as loaded, so strings it was read with stay as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from trestle.oscal.common import AssociatedRisk, OnDate, RiskLog, Timing

import oscal_poam.builders as build
from oscal_poam.cmmc import vocab
from oscal_poam.diagnostics import Diagnostic
from oscal_poam.ids import stable_uuid
from oscal_poam.io.models import text
from oscal_poam.legacy.export import PREFIX, column_key, item_values, milestone_values
from oscal_poam.legacy.from_oscal import read_legacy
from oscal_poam.legacy.layouts import (
    FEDRAMP,
    FIELDS_BY_NAME,
    HOMELESS_PROPS,
    KNOWN_LAYOUTS,
    PLACED,
    Layout,
    LayoutColumn,
    PropPlace,
)
from oscal_poam.legacy.markup import to_markdown as md
from oscal_poam.legacy.model import LegacyItem, LegacyMilestone, day_of
from oscal_poam.legacy.record import ItemRecord, Record, comparable, digest
from oscal_poam.legacy.status import milestone_completed, row_status
from oscal_poam.legacy.text import one_line
from oscal_poam.legacy.to_oscal import (
    OWNER_ROLE_TITLE,
    BuildContext,
    Builder,
    build_poam,
    evidence_links,
    item_keys,
    party_type,
    prop,
    requirements_of,
)
from oscal_poam.rules import legacy as rules

if TYPE_CHECKING:
    from trestle.oscal.common import Entry, Response, Risk, Task
    from trestle.oscal.poam import PlanOfActionAndMilestones, PoamItem

    from oscal_poam.legacy.rows import SheetItems

NOT_COMPARED = frozenset({"poam_id", "milestones_text"})
"""Columns that name or hold others: the id matches rows to items, milestones are compared one by one."""
QUOTE_MAX = 200


@dataclass(frozen=True)
class Change:
    item: str
    """The item's id in the sheet."""
    field: str
    label: str
    old: str
    new: str
    where: str
    """The cell (`'Open POA&M Items'!H6`), or the row for a milestone or a new item."""

    def to_dict(self) -> dict[str, str]:
        return {"item": self.item, "field": self.label, "from": self.old, "to": self.new, "cell": self.where}


@dataclass(frozen=True)
class Conflict:
    item: str
    label: str
    sheet: str
    poam: str
    where: str

    def to_dict(self) -> dict[str, str]:
        return {"item": self.item, "field": self.label, "sheet": self.sheet, "poam": self.poam, "cell": self.where}


@dataclass
class Merged:
    poam: PlanOfActionAndMilestones
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    """Ids of the items new rows became."""
    missing: list[str] = field(default_factory=list)
    """Ids of the open items the sheet has no row for."""
    closed: list[str] = field(default_factory=list)
    """Of those, the ones closed (close_missing)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _quote(value: object) -> str:
    shown = comparable(value)
    shown = " ".join(shown.split())
    return shown if len(shown) <= QUOTE_MAX else shown[: QUOTE_MAX - 1] + "…"


def _at(day: dt.date, poam: PlanOfActionAndMilestones) -> dt.datetime:
    """Midnight of the import's day in the time zone of the POA&M's last-modified."""
    zone = poam.metadata.last_modified.tzinfo or dt.UTC
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


def _props(obj: Any, name: str) -> list[Any]:
    return [p for p in obj.props or [] if p.name == name and p.ns is not None and str(p.ns) == vocab.NS]


def _set_prop(obj: Any, name: str, value: str) -> None:
    """One prop `name` holding `value` (text a prop cannot hold goes whole into its remarks), or none for ''."""
    _set_props(obj, name, [value] if value else [])


def _set_props(obj: Any, name: str, values: list[str]) -> None:
    """The props `name` holding `values`, in place of those there were."""
    kept = [p for p in obj.props or [] if p not in _props(obj, name)]
    kept.extend(made for value in values if (made := prop(name, value)) is not None)
    obj.props = kept or None


class Merger:
    def __init__(
        self, poam: PlanOfActionAndMilestones, read: SheetItems, day: dt.date, close_missing: bool, document: str
    ) -> None:
        self.poam = poam
        self.read = read
        self.day = day
        self.when = _at(day, poam)
        self.close_missing = close_missing
        self.document = document or read.source
        self.result = Merged(poam)
        self.risks = {str(r.uuid): r for r in poam.risks or []}
        self.parties = {str(p.uuid): p for p in poam.metadata.parties or []}
        self.compared: dict[str, tuple[Layout, list[LayoutColumn]]] = {}
        self.keyed: dict[str, dict[str, LayoutColumn]] = {}
        self.record: Record | None = read.record
        if self.record is not None and self.record.poam_uuid and self.record.poam_uuid != str(poam.uuid):
            self.note(
                rules.ONTO_OTHER_POAM.diag(
                    f"{read.source} was exported from another POA&M ({self.record.poam_uuid}); every difference "
                    "is taken as an edit",
                    "",
                    read.source,
                )
            )
            self.record = None

    def note(self, made: Diagnostic) -> None:
        self.result.diagnostics.append(made)

    # -- matching ------------------------------------------------------------------------------------------

    def merge(self) -> Merged:
        current = read_legacy(self.poam)
        items = {str(i.uuid): i for i in self.poam.poam_items}
        by_id: dict[str, LegacyItem] = {}
        for legacy in current.items:
            by_id.setdefault(legacy.poam_id.casefold(), legacy)
            by_id.setdefault(legacy.uuid.casefold(), legacy)
        matched: set[str] = set()
        rows_of: dict[str, LegacyItem] = {}
        new: list[LegacyItem] = []
        for sheet_item in self.read.items:
            key = sheet_item.poam_id.strip().casefold()
            found = by_id.get(key) if key else None
            if found is None and key:
                found = next((i for i in current.items if len(key) >= 8 and i.uuid.startswith(key)), None)
            if found is None:
                if key and self.record is not None and self.record.find(key) is not None:
                    where = sheet_item.location.ref if sheet_item.location else ""
                    self.note(
                        rules.ONTO_GONE.diag(
                            f"{where}: item {sheet_item.poam_id!r} was exported but the POA&M no longer holds it; "
                            "the row is not imported",
                            where,
                            self.read.source,
                            sheet_item.poam_id,
                        )
                    )
                    continue
                new.append(sheet_item)
                continue
            if found.uuid in matched:
                first = rows_of[found.uuid]
                where = sheet_item.location.ref if sheet_item.location else ""
                self.note(
                    rules.ONTO_DUPLICATE.diag(
                        f"{where}: names item {sheet_item.poam_id!r} again (first at "
                        f"{first.location.ref if first.location else 'another row'}); this row is not applied",
                        where,
                        self.read.source,
                        sheet_item.poam_id,
                    )
                )
                continue
            matched.add(found.uuid)
            rows_of[found.uuid] = sheet_item
            self.item(items[found.uuid], found, sheet_item)
        self.add(new)
        self.missing(current.items, matched)
        if self.result.changes or self.result.added or self.result.closed:
            self.poam.metadata.last_modified = self.when
        return self.result

    def columns(self, sheet_item: LegacyItem) -> tuple[Layout, list[LayoutColumn]]:
        found = self.compared.get(sheet_item.sheet)
        if found is None:
            found = self.compared[sheet_item.sheet] = self._columns(sheet_item)
        return found

    def _columns(self, sheet_item: LegacyItem) -> tuple[Layout, list[LayoutColumn]]:
        sheet = next((s for s in self.read.sheets if s.name == sheet_item.sheet), self.read.sheets[0])
        layout = KNOWN_LAYOUTS.get(sheet.layout, FEDRAMP)
        # The milestones cell is compared milestone by milestone, not as the text the export wrote.
        compared = [c for c in sheet.columns if (c.field or c.prop) and c.field != "milestones_text"]
        return layout, [LayoutColumn(c.header, c.field) for c in compared]

    # -- one item ------------------------------------------------------------------------------------------

    def item(self, poam_item: PoamItem, ours: LegacyItem, theirs: LegacyItem) -> None:
        layout, columns = self.columns(theirs)
        theirs_status, _ = row_status(theirs)
        their_values = item_values(theirs, theirs_status, layout, columns)
        our_values = item_values(ours, ours.risk_status or "open", layout, columns)
        base = self.record.find(ours.poam_id) if self.record is not None else None
        if base is None and self.record is not None:
            base = self.record.find(theirs.poam_id)
        by_key = self.keyed.get(theirs.sheet)
        if by_key is None:
            by_key = self.keyed[theirs.sheet] = {column_key(c): c for c in columns}
        for key, value in their_values.items():
            mine = our_values.get(key)
            if value == mine or key in NOT_COMPARED or key not in by_key:
                continue
            label = by_key[key].header
            where = self.cell(theirs, key, label)
            decided = self.decide(
                ours.poam_id, label, value, our_values.get(key), base.cells if base else None, key, where
            )
            if decided:
                self.apply(poam_item, ours, theirs, key, label, our_values.get(key), value, where, theirs_status)
        if self.has_milestones(theirs):
            self.milestones(poam_item, ours, theirs, layout, base)

    def has_milestones(self, sheet_item: LegacyItem) -> bool:
        sheet = next((s for s in self.read.sheets if s.name == sheet_item.sheet), self.read.sheets[0])
        wanted = ("milestones_text", "milestone_description", "milestone_scheduled")
        return any(c.field in wanted for c in sheet.columns)

    def cell(self, item: LegacyItem, key: str, label: str) -> str:
        spec = FIELDS_BY_NAME.get(key)
        located = item.cells.get(spec.name) if spec is not None else None
        if located is not None:
            return located.ref
        return f"{item.location.ref} ({label})" if item.location else label

    def decide(
        self,
        item_id: str,
        label: str,
        theirs: object,
        ours: object,
        base: dict[str, str] | None,
        key: str,
        where: str,
    ) -> bool:
        """Whether the sheet's value is an edit to apply; a conflict is reported and not applied."""
        if comparable(theirs) == comparable(ours):
            return False
        t, o = digest(theirs), digest(ours)
        if base is None:
            return True
        b = base.get(key, digest(""))
        if t == b:
            return False  # changed in the POA&M only: it stays
        if o == b:
            return True
        conflict = Conflict(item_id, label, _quote(theirs), _quote(ours), where)
        self.result.conflicts.append(conflict)
        self.note(
            rules.ONTO_CONFLICT.diag(
                f"item {item_id}, {label}: changed in the sheet (“{conflict.sheet}”) and in the POA&M since the "
                f"export (“{conflict.poam}”); not applied: make the edit again on a fresh export, or in the POA&M",
                where,
                self.read.source,
                item_id,
            )
        )
        return False

    # -- applying ------------------------------------------------------------------------------------------

    def risk_of(self, poam_item: PoamItem) -> Risk:
        for related in poam_item.related_risks or []:
            risk = self.risks.get(str(related.risk_uuid))
            if risk is not None:
                return risk
        risk = build.risk(
            stable_uuid(str(poam_item.uuid), "risk"),
            poam_item.title,
            poam_item.description,
            poam_item.description,
            "open",
        )
        self.poam.risks = [*(self.poam.risks or []), risk]
        self.risks[str(risk.uuid)] = risk
        poam_item.related_risks = [*(poam_item.related_risks or []), AssociatedRisk(risk_uuid=str(risk.uuid))]
        return risk

    def planned(self, risk: Risk, poam_item: PoamItem) -> Response:
        for remediation in risk.remediations or []:
            if text(remediation.lifecycle) == "planned":
                return remediation
        made = build.remediation(stable_uuid(str(poam_item.uuid), "remediation"), "Remediation plan", poam_item.title)
        risk.remediations = [*(risk.remediations or []), made]
        return made

    def log(self, risk: Risk, title: str, description: str, key: str, status_change: str | None = None) -> None:
        entries: list[Entry] = list(risk.risk_log.entries) if risk.risk_log is not None else []
        taken = {str(e.uuid) for e in entries}
        uuid = stable_uuid(str(risk.uuid), "spreadsheet", self.day.isoformat(), key, description)
        count = 1
        while uuid in taken:
            count += 1
            uuid = stable_uuid(str(risk.uuid), "spreadsheet", self.day.isoformat(), key, description, count)
        entry = build.log_entry(
            uuid,
            title,
            self.when,
            description=md(description),
            status_change=status_change,
            props=[build.prop(vocab.LOG_EVENT, "status")],
        )
        entries.append(entry)
        if risk.risk_log is None:
            risk.risk_log = RiskLog(entries=entries)
        else:
            risk.risk_log.entries = entries

    def changed(
        self, risk: Risk, item: LegacyItem, key: str, label: str, old: object, new: object, where: str, **log: Any
    ) -> None:
        change = Change(item.poam_id, key, label, _quote(old), _quote(new), where)
        self.result.changes.append(change)
        was = f"“{change.old}”" if change.old else "empty"
        now = f"“{change.new}”" if change.new else "empty"
        self.log(
            risk,
            f"{label} changed in the spreadsheet",
            f"{label}: {was} became {now} ({self.read.source}, {where}).",
            key,
            **log,
        )

    def apply(
        self,
        poam_item: PoamItem,
        ours: LegacyItem,
        theirs: LegacyItem,
        key: str,
        label: str,
        old: object,
        new: object,
        where: str,
        status: str,
    ) -> None:
        risk = self.risk_of(poam_item)
        value = "" if new is None else new
        extra: dict[str, Any] = {}
        setter = APPLY.get(key) or (_placed(PLACED[key]) if key in PLACED else None)
        if setter is not None:
            setter(self, poam_item, risk, ours, theirs, value)
            if key == "status":
                extra["status_change"] = status
                if status != (ours.risk_status or "open"):
                    risk.status = status  # type: ignore[assignment]
        else:
            name = HOMELESS_PROPS.get(key, key if key.startswith(PREFIX) else "")
            if not name:
                return
            _set_prop(poam_item, name, comparable(value))
        self.changed(risk, ours, key, label, old, value, where, **extra)

    # -- milestones ----------------------------------------------------------------------------------------

    def milestones(
        self, poam_item: PoamItem, ours: LegacyItem, theirs: LegacyItem, layout: Layout, base: ItemRecord | None
    ) -> None:
        risk = self.risk_of(poam_item)
        tasks = {str(t.uuid): t for t in _tasks(self.planned_if_any(risk))}
        recorded = {m.key: m for m in base.milestones} if base is not None else {}
        our_keys = {(m.milestone_id or str(n)): m for n, m in enumerate(ours.milestones, start=1)}
        used: set[str] = set()
        for number, milestone in enumerate(theirs.milestones, start=1):
            key = milestone.milestone_id or str(number)
            kept = recorded.get(key)
            mine: LegacyMilestone | None
            if kept is not None:
                mine = next((m for m in ours.milestones if kept.uuid and m.uuid.startswith(kept.uuid)), None)
            else:
                mine = our_keys.get(key)
            where = milestone.location.ref if milestone.location else f"item {theirs.poam_id}, milestone {key}"
            if mine is None:
                if kept is not None:
                    continue  # removed from the POA&M since the export: not made again
                self.add_milestone(poam_item, risk, ours, milestone, number, where)
                continue
            used.add(mine.uuid)
            their_values = milestone_values(milestone, number, layout)
            our_values = milestone_values(mine, number, layout)
            task = tasks.get(mine.uuid)
            if task is None:
                continue
            for part, value in their_values.items():
                if part == "key" or value == our_values.get(part):
                    continue
                label = f"milestone {key} {MILESTONE_LABELS[part]}"
                base_cells = kept.cells if kept else None
                if self.decide(ours.poam_id, label, value, our_values.get(part), base_cells, part, where):
                    set_milestone(task, part, value, mine)
                    self.changed(risk, ours, f"milestone-{key}-{part}", label, our_values.get(part), value, where)
        if base is not None:
            for kept in base.milestones:
                here = next((u for u in tasks if kept.uuid and u.startswith(kept.uuid)), None)
                if here is not None and here not in used:
                    self.note(
                        rules.ONTO_MILESTONE_MISSING.diag(
                            f"item {ours.poam_id}: milestone {kept.key} is no longer in the sheet; the POA&M keeps it",
                            "",
                            self.read.source,
                            ours.poam_id,
                        )
                    )

    def planned_if_any(self, risk: Risk) -> Response | None:
        return next((r for r in risk.remediations or [] if text(r.lifecycle) == "planned"), None)

    def add_milestone(
        self, poam_item: PoamItem, risk: Risk, ours: LegacyItem, milestone: LegacyMilestone, number: int, where: str
    ) -> None:
        planned = self.planned(risk, poam_item)
        owners = next((t.responsible_roles for t in _tasks(planned) if t.responsible_roles), None)
        task = Builder.milestone(str(poam_item.uuid), number, milestone, list(owners or []))
        task.uuid = stable_uuid(str(poam_item.uuid), "milestone", milestone.title, self.day.isoformat(), number)
        planned.tasks = [*(planned.tasks or []), task]
        self.changed(risk, ours, f"milestone-{number}-added", f"milestone {number}", "", milestone.title, where)

    # -- new rows and missing items ------------------------------------------------------------------------

    def add(self, new: list[LegacyItem]) -> None:
        if not new:
            return
        system = text(self.poam.system_id.id) if self.poam.system_id is not None else str(self.poam.uuid)
        keys, notes = item_keys(new, system, self.read.source)
        self.result.diagnostics.extend(notes)
        context = BuildContext(source=self.read.source, last_modified=self.when, item_keys=keys)
        built = build_poam(new, context)
        self.result.diagnostics.extend(built.diagnostics)
        taken = {str(i.uuid) for i in self.poam.poam_items}
        risks = {str(r.uuid): r for r in built.poam.risks or []}
        for sheet_item, poam_item in zip(new, built.poam.poam_items, strict=True):
            if str(poam_item.uuid) in taken:
                continue
            self.poam.poam_items.append(poam_item)
            for related in poam_item.related_risks or []:
                risk = risks[str(related.risk_uuid)]
                self.poam.risks = [*(self.poam.risks or []), risk]
                self.risks[str(risk.uuid)] = risk
                self.log(
                    risk,
                    "Added from the spreadsheet",
                    f"Added from {self.read.source}, {sheet_item.location.ref if sheet_item.location else 'a row'}.",
                    "added",
                )
            self.result.added.append(sheet_item.poam_id or one_line(str(poam_item.title)))
        for party in built.poam.metadata.parties or []:
            if str(party.uuid) not in self.parties:
                self.poam.metadata.parties = [*(self.poam.metadata.parties or []), party]
                self.parties[str(party.uuid)] = party
        if built.poam.metadata.parties:
            self.owner_role()

    def owner_role(self) -> None:
        roles = list(self.poam.metadata.roles or [])
        if not any(r.id == vocab.OWNER_ROLE for r in roles):
            roles.append(build.role(vocab.OWNER_ROLE, OWNER_ROLE_TITLE))
            self.poam.metadata.roles = roles

    def missing(self, items: list[LegacyItem], matched: set[str]) -> None:
        by_uuid = {str(i.uuid): i for i in self.poam.poam_items}
        for legacy in items:
            if legacy.uuid in matched or legacy.risk_status == "closed":
                continue
            if self.record is not None and self.record.find(legacy.poam_id) is None:
                continue  # added to the POA&M since the export: the sheet never had it
            self.result.missing.append(legacy.poam_id)
            if not self.close_missing:
                self.note(
                    rules.ONTO_MISSING.diag(
                        f"item {legacy.poam_id} ({one_line(str(by_uuid[legacy.uuid].title))}) has no row in "
                        f"{self.read.source}; it is kept (--close-missing closes it)",
                        "",
                        self.read.source,
                        legacy.poam_id,
                    )
                )
                continue
            risk = self.risk_of(by_uuid[legacy.uuid])
            risk.status = "closed"  # type: ignore[assignment]
            self.result.closed.append(legacy.poam_id)
            self.log(
                risk,
                "Closed: no longer in the spreadsheet",
                f"The item has no row in {self.read.source}; closed by import --close-missing.",
                "closed",
                status_change="closed",
            )


MILESTONE_LABELS = {
    "title": "title",
    "scheduled": "date",
    "completed_on": "completion date",
    "status": "status",
    "comments": "comments",
}


def _tasks(remediation: Response | None) -> Iterator[Task]:
    def walk(tasks: list[Task]) -> Iterator[Task]:
        for task in tasks:
            yield task
            yield from walk(task.tasks or [])

    if remediation is not None:
        yield from walk(remediation.tasks or [])


def moved(old: object, new: object) -> object:
    """A new day for a date-time: the old value's time of day and offset kept, unless the cell gives a time."""
    if not isinstance(new, dt.date):
        return None
    if isinstance(new, dt.datetime) and new.tzinfo is not None:
        return new
    day = day_of(new)
    if isinstance(old, dt.datetime) and old.tzinfo is not None:
        if isinstance(new, dt.datetime) and new.time() != dt.time(0):
            return dt.datetime.combine(day, new.time(), tzinfo=old.tzinfo)
        return dt.datetime.combine(day, old.timetz())
    if isinstance(new, dt.datetime) and new.time() != dt.time(0):
        return new.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


def set_milestone(task: Task, part: str, value: object, mine: LegacyMilestone) -> None:
    if part == "title":
        task.title = md(comparable(value)) or task.title
    elif part == "scheduled":
        when = moved(mine.scheduled, value)
        task.timing = Timing(on_date=OnDate(date=when)) if isinstance(when, dt.datetime) else None
    elif part == "completed_on":
        _set_prop(task, vocab.COMPLETED_ON, day_of(value).isoformat() if isinstance(value, dt.date) else "")
        if isinstance(value, dt.date):
            _set_prop(task, vocab.MILESTONE_STATUS, "completed")
    elif part == "status":
        words = comparable(value)
        done = milestone_completed(words, None) if words else False
        _set_prop(task, vocab.MILESTONE_STATUS, "completed" if done else "pending")
        if words and words not in ("Completed", "Pending"):
            _set_prop(task, vocab.LEGACY_STATUS, words)
        else:
            _set_prop(task, vocab.LEGACY_STATUS, "")
    elif part == "comments":
        task.remarks = md(comparable(value)) or None


# -- what each field changes -------------------------------------------------------------------------------

Setter = Callable[[Merger, Any, Any, LegacyItem, LegacyItem, object], None]


def _title(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
    new = comparable(value)
    if _props(item, HOMELESS_PROPS["weakness_name"]):
        if one_line(text(item.title)) == one_line(md(ours.weakness_name)):
            item.title = md(one_line(new)) or item.title
        _set_prop(item, HOMELESS_PROPS["weakness_name"], new)
    else:
        item.title = md(one_line(new)) or item.title


def _description(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
    item.description = md(comparable(value))


def _comments(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
    item.remarks = md(comparable(value)) or None


def _controls(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
    written = comparable(value)
    found, _ = requirements_of(written)
    labels = [r.label for r in found]
    kept = [p for p in item.props or [] if p not in _props(item, vocab.REQUIREMENT)]
    kept = [build.prop(vocab.REQUIREMENT, label) for label in labels] + kept
    item.props = kept or None
    _set_prop(item, vocab.LEGACY_CONTROLS, written if written != "; ".join(labels) else "")


def _status(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
    _set_prop(item, vocab.LEGACY_STATUS, comparable(value))


def _scheduled(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
    when = moved(ours.scheduled, value)
    risk.deadline = when if isinstance(when, dt.datetime) else None


def _remediation_plan(
    m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object
) -> None:
    m.planned(risk, item).description = md(comparable(value))


def _resources(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
    planned = m.planned(risk, item)
    new = comparable(value)
    assets = [a for a in planned.required_assets or [] if a.description]
    parts = new.split("\n")
    if new and len(parts) == len(assets):
        for asset, part in zip(assets, parts, strict=True):
            asset.description = md(part)
        return
    if not new:
        planned.required_assets = None
        return
    first = assets[0] if assets else build.required_asset(stable_uuid(str(item.uuid), "resources"), md(new))
    first.description = md(new)
    planned.required_assets = [first]


def _owner(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
    planned = m.planned(risk, item)
    name = " ".join(comparable(value).split())
    tasks = list(_tasks(planned))
    if not name:
        for task in tasks:
            task.responsible_roles = [r for r in task.responsible_roles or [] if r.role_id != vocab.OWNER_ROLE] or None
        return
    party = next((p for p in m.parties.values() if text(p.name) == name), None)
    if party is None:
        party = build.party(stable_uuid("legacy-party", name), party_type(name), name)
        m.poam.metadata.parties = [*(m.poam.metadata.parties or []), party]
        m.parties[str(party.uuid)] = party
    m.owner_role()
    role = build.responsible_role(vocab.OWNER_ROLE, [str(party.uuid)])
    if not tasks:
        planned.tasks = [build.task(stable_uuid(str(item.uuid), "remediation-task"), "action", "Remediate")]
        tasks = list(_tasks(planned))
    owned = [t for t in tasks if any(r.role_id == vocab.OWNER_ROLE for r in t.responsible_roles or [])] or tasks
    for task in owned:
        others = [r for r in task.responsible_roles or [] if r.role_id != vocab.OWNER_ROLE]
        task.responsible_roles = [*others, role]


def _task_for(m: Merger, item: PoamItem, risk: Risk, purpose: str = "verification") -> Task:
    """The planned remediation's task with this `cmmc-task-purpose`, made when there is none."""
    planned = m.planned(risk, item)
    for task in _tasks(planned):
        purposes = {text(p.value) for p in _props(task, vocab.TASK_PURPOSE)}
        if text(task.type) == "action" and purpose in purposes:
            return task
    task = build.task(
        stable_uuid(str(item.uuid), purpose),
        "action",
        "Verify closure" if purpose == "verification" else purpose.capitalize(),
        props=[build.prop(vocab.TASK_PURPOSE, purpose)],
    )
    planned.tasks = [*(planned.tasks or []), task]
    return task


def _verification(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
    _task_for(m, item, risk).description = md(comparable(value)) or None


def _evidence(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
    task = _task_for(m, item, risk)
    others = [link for link in task.links or [] if text(link.rel) != vocab.EVIDENCE_REL]
    task.links = [*others, *evidence_links(comparable(value))] or None


def _placed(place: PropPlace) -> Setter:
    """A field held in one prop (layouts.PLACED): the prop on the item, or on the task of its purpose."""

    def apply(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
        holder: Any = item if place.task is None else _task_for(m, item, risk, place.task)
        _set_props(holder, place.name, place.values(comparable(value)))

    return apply


def _dated(event: str, change: str | None = None) -> Setter:
    """A date of the risk log: the entry the readers take it from moves (its time of day kept), else one is added."""

    def apply(m: Merger, item: PoamItem, risk: Risk, ours: LegacyItem, theirs: LegacyItem, value: object) -> None:
        old = getattr(ours, event if event != "status" else "status_date")
        entries: list[Entry] = list(risk.risk_log.entries) if risk.risk_log is not None else []
        target = next(
            (
                e
                for e in reversed(entries)
                if old is not None and e.start == old and (event != "detected" or _entry_events(e) in ({event}, set()))
            ),
            None,
        )
        when = moved(old, value)
        if not isinstance(when, dt.datetime):
            return
        if target is not None:
            target.start = when
            return
        entries.append(
            build.log_entry(
                stable_uuid(str(risk.uuid), "risk-log", event, when.isoformat()),
                {"detected": "Weakness detected", "status": "Status date", "completed": "Completed"}[event],
                when,
                status_change=change,
                props=[build.prop(vocab.LOG_EVENT, event)],
            )
        )
        if risk.risk_log is None:
            risk.risk_log = RiskLog(entries=entries)
        else:
            risk.risk_log.entries = entries

    return apply


def _entry_events(entry: Entry) -> set[str]:
    return {text(p.value) for p in _props(entry, vocab.LOG_EVENT)}


APPLY: dict[str, Setter] = {
    "weakness_name": _title,
    "description": _description,
    "comments": _comments,
    "controls": _controls,
    "status": _status,
    "scheduled": _scheduled,
    "remediation_plan": _remediation_plan,
    "resources": _resources,
    "owner": _owner,
    "verification": _verification,
    "evidence": _evidence,
    "detected": _dated("detected"),
    "status_date": _dated("status"),
    "completed": _dated("completed"),
}
"""Where an edit of each field goes (docs/conventions.md); other columns are item props `legacy-*`."""


def merge_onto(
    poam: PlanOfActionAndMilestones,
    read: SheetItems,
    *,
    day: dt.date,
    close_missing: bool = False,
    document: str = "",
) -> Merged:
    return Merger(poam, read, day, close_missing, document).merge()
