"""The facts of a POA&M: its CMMC metadata and what it says about each item, read once.

Every rule and command that looks at a POA&M (credibility, eligibility, the POA&M against its results, SSP
reconciliation, the closeout, the report) reads it here: the level, assessment type and Conditional CMMC Status
Date its metadata records, and for each item which requirement it is for, its risk and status, its planned
remediation with milestones, owner, resources and verification, and the points and eligibility it records. Each
fact keeps the JSON pointer of its place, so that every rule points at the place a person must edit.
docs/conventions.md names the places.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oscal_poam.cmmc import regulation, vocab
from oscal_poam.cmmc.catalog import normalize_requirement_id
from oscal_poam.dates import leading_iso_day
from oscal_poam.digits import ascii_digits
from oscal_poam.io import pointers
from oscal_poam.io.models import text

if TYPE_CHECKING:
    from trestle.oscal.common import Risk, Task
    from trestle.oscal.poam import PlanOfActionAndMilestones, PoamItem

    from oscal_poam.cmmc.catalog import Requirement

ROOT = "plan-of-action-and-milestones"

RISK_STATUSES = ("open", "investigating", "remediating", "deviation-requested", "deviation-approved", "closed")
CLOSED = "closed"

# A CMMC id (AC.L2-3.1.1, AC.L1-b.1.i, AC.L3-3.1.2e) or a bare NIST SP 800-171/172 number (3.1.1, 3.1.2e).
_REQUIREMENT_ID = re.compile(
    r"\b[A-Za-z]{2}\.L[123]-(?:b\.\d+\.[ivxlcdm]+|\d+\.\d+\.\d+e?)\b|(?<![\w.])3\.\d{1,2}\.\d{1,2}e?(?![\w.])",
    re.IGNORECASE,
)


def pointer(*tokens: str | int) -> str:
    """A JSON pointer below the POA&M's root key."""
    return pointers.join(ROOT, *tokens)


@dataclass(frozen=True)
class Located:
    """A model object and the JSON pointer of its place in the POA&M."""

    obj: Any
    pointer: str


@dataclass(frozen=True)
class PoamItemView:
    """The credibility facts of one POA&M item; pointers are into the POA&M document."""

    index: int
    item: PoamItem
    pointer: str
    requirement: Requirement | None
    requirement_text: str
    """What the item names as its requirement (prop value or the title's leading id), '' when nothing."""
    named_requirements: tuple[str, ...]
    """Official ids (labels) of every distinct requirement the item's props and title name, in order."""
    risk: Located | None
    risk_problem: str
    """Why no risk could be read ('' when one was), for the status rule's message."""
    planned: Located | None
    milestones: tuple[Located, ...]
    verifications: tuple[Located, ...]
    owner_roles: tuple[Located, ...]
    """responsible-roles entries with role-id `remediation-owner` on the planned remediation's tasks."""
    points: int | None = None
    """The item's cmmc-points-deducted, where it is a whole number."""
    eligible: str | None = None
    """The item's cmmc-poam-eligible: `yes`, `no` or None."""
    partial_state: str | None = None
    """The item's cmmc-partial-state."""
    checks: tuple[Located, ...] = ()
    """The cmmc-verification-check props of the verification tasks: each value (a str) and the prop's place."""
    evidence: tuple[Located, ...] = ()
    """The observations the item relates that record an automated check (props cmmc-verification-check and
    cmmc-verification-result), in the item's order."""

    @property
    def subject(self) -> str:
        if self.requirement is not None:
            return self.requirement.label
        if self.item.uuid:
            return str(self.item.uuid)
        return str(self.item.title)

    @property
    def own_id(self) -> str:
        """The item's own id where it has one: the POA&M ID a spreadsheet gave it (prop legacy-poam-id), or FedRAMP's
        POAM-ID prop; '' when it has none."""
        kept = vocab.prop_value(self.item.props, vocab.LEGACY_POAM_ID)
        if kept is None:
            kept = next((text(p.value) for p in self.item.props or [] if p.name == vocab.POAM_ID), None)
        return " ".join((kept or "").split())

    @property
    def status(self) -> str | None:
        return text(self.risk.obj.status) if self.risk is not None else None

    @property
    def is_closed(self) -> bool:
        return self.status == CLOSED

    def owners(self, names: dict[str, str]) -> list[str]:
        """The remediation owners' names (`names`: party uuid -> name, as `PoamFacts.party_names` gives), each
        once, in document order; a party not in `names` by its uuid."""
        found: list[str] = []
        for role in self.owner_roles:
            for uuid in role.obj.party_uuids or []:
                name = names.get(str(uuid), str(uuid))
                if name not in found:
                    found.append(name)
        return found

    def status_entry(self) -> Located | None:
        """The latest risk-log entry people wrote (not one `verify` recorded): its `start` is the item's status date."""
        if self.risk is None or self.risk.obj.risk_log is None:
            return None
        entries = [(i, e) for i, e in enumerate(self.risk.obj.risk_log.entries) if not recorded_by_verify(e)]
        if not entries:
            return None
        index, latest = max(entries, key=lambda pair: (pair[1].start, pair[0]))
        return Located(latest, f"{self.risk.pointer}/risk-log/entries/{index}")

    @property
    def status_date(self) -> dt.date | None:
        entry = self.status_entry()
        return entry.obj.start.date() if entry is not None else None


@dataclass(frozen=True)
class PoamFacts:
    """The POA&M's own CMMC metadata and every item read per the conventions."""

    level: int | None
    """The metadata's cmmc-level, where it is 1, 2 or 3."""
    level_text: str | None
    """The metadata's cmmc-level as written (values given twice with a difference: joined by ' and ')."""
    status_date: dt.date | None
    status_date_text: str | None
    items: tuple[PoamItemView, ...]
    assessment_type: str | None = None
    """The metadata's cmmc-assessment-type in its documented spelling (`self`, `c3pao`, `dibcac`), where valid."""
    type_text: str | None = None
    status_zone: dt.tzinfo | None = None
    """The time zone of the status date: the offset it is written with, else that of the metadata's last-modified."""
    model: PlanOfActionAndMilestones | None = field(default=None, compare=False, repr=False)
    document: str = ""

    @property
    def inferred_level(self) -> int | None:
        """The recorded level, else the one level every item's requirement belongs to."""
        if self.level is not None:
            return self.level
        levels = {v.requirement.level for v in self.items if v.requirement is not None}
        return levels.pop() if len(levels) == 1 else None

    @property
    def title(self) -> str:
        return text(self.model.metadata.title) if self.model is not None else ""

    def parties(self) -> dict[str, tuple[int, Any]]:
        """Parties of the metadata by uuid, with their index."""
        found = self.model.metadata.parties if self.model is not None else None
        return {str(p.uuid): (i, p) for i, p in enumerate(found or []) if p.uuid is not None}

    def party_names(self) -> dict[str, str]:
        """Party uuid -> how the party is named: its name, else its short name, else its uuid."""
        return {uuid: text(getattr(p, "name", None)) or text(getattr(p, "short_name", None)) or uuid
                for uuid, (_, p) in self.parties().items()}  # fmt: skip

    def requirements(self, level: int | None = None) -> dict[str, tuple[Requirement, tuple[str, ...]]]:
        """Official id -> (requirement, uuids of the items naming it), in item order; closed items count too.

        With `level`, only requirements of that level (items naming another are for `unknown_items`).
        """
        found: dict[str, tuple[Requirement, tuple[str, ...]]] = {}
        for view in self.items:
            requirement = view.requirement
            if requirement is None or (level is not None and requirement.level != level):
                continue
            _, uuids = found.get(requirement.label, (requirement, ()))
            found[requirement.label] = (requirement, (*uuids, str(view.item.uuid or "")))
        return found

    @property
    def conditional(self) -> bool:
        """Level 2 or 3 with a Conditional CMMC Status Date: the 180-day clock runs."""
        return self.level is not None and regulation.conditional_allowed(self.level) and self.status_date is not None

    @property
    def deadline(self) -> dt.date | None:
        if self.status_date is None:
            return None
        return regulation.deadline(self.status_date)


def read_poam(poam: PlanOfActionAndMilestones, document: str = "") -> PoamFacts:
    """The facts of `poam` (`document` is the name diagnostics give it)."""
    meta = poam.metadata.props
    level_text = _one(meta, vocab.LEVEL)
    level = int(level_text) if level_text in ("1", "2", "3") else None
    type_text = _one(meta, vocab.ASSESSMENT_TYPE)
    wanted = type_text.strip().casefold() if type_text is not None else None
    assessment_type = next((t for t in regulation.ASSESSMENT_TYPES if t == wanted), None)
    date_text = _one(meta, vocab.STATUS_DATE)
    status_date = leading_iso_day(date_text)
    zone = _zone(date_text) or _zone_of(poam.metadata.last_modified)
    risks = {str(r.uuid): Located(r, pointer("risks", i)) for i, r in enumerate(poam.risks or [])}
    observations = {
        str(o.uuid): Located(o, pointer("observations", i))
        for i, o in enumerate(poam.observations or [])
        if vocab.prop_value(o.props, vocab.VERIFICATION_CHECK) is not None
    }
    items = tuple(_read_item(i, item, risks, observations, level) for i, item in enumerate(poam.poam_items))
    return PoamFacts(
        level,
        level_text,
        status_date,
        date_text,
        items,
        assessment_type=assessment_type,
        type_text=type_text,
        status_zone=zone,
        model=poam,
        document=document,
    )


def _one(props: Any, name: str) -> str | None:
    """The prop's value; values given twice with a difference are joined (' and '), which no reading accepts."""
    values = list(dict.fromkeys(vocab.prop_values(props, name)))
    return " and ".join(values) if values else None


def _zone(value: str | None) -> dt.tzinfo | None:
    if value is None or "T" not in value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip()).tzinfo
    except ValueError:
        return None


def _zone_of(value: Any) -> dt.tzinfo | None:
    return value.tzinfo if isinstance(value, dt.datetime) else None


def requirement_ids_in(value: str) -> list[str]:
    """Every requirement-like id in `value`, in order of appearance."""
    return [m.group(0) for m in _REQUIREMENT_ID.finditer(value)]


def _leading_id(title: str) -> str:
    first = title.strip().split(maxsplit=1)[0] if title.strip() else ""
    return first.strip(":,;-–—()[]")


def _read_item(
    index: int, item: PoamItem, risks: dict[str, Located], observations: dict[str, Located], level: int | None
) -> PoamItemView:
    here = pointer("poam-items", index)
    declared = vocab.prop_values(item.props, vocab.REQUIREMENT)
    requirement_text = declared[0] if declared else _leading_id(item.title)
    requirement = normalize_requirement_id(requirement_text, level) if requirement_text else None
    if requirement is None and not declared:
        requirement_text = ""

    named: list[str] = []
    for source in [*declared, item.title]:
        for found in requirement_ids_in(source):
            resolved = normalize_requirement_id(found, level)
            if resolved is not None and resolved.label not in named:
                named.append(resolved.label)

    risk, problem = _related_risk(item, risks)
    planned = _planned_remediation(risk)
    milestones: list[Located] = []
    verifications: list[Located] = []
    owners: list[Located] = []
    if planned is not None:
        for t_index, task in enumerate(planned.obj.tasks or []):
            task_pointer = f"{planned.pointer}/tasks/{t_index}"
            for located in _walk_task(task, task_pointer):
                kind = text(located.obj.type)
                if kind == "milestone":
                    milestones.append(located)
                elif kind == "action" and vocab.prop_value(located.obj.props, vocab.TASK_PURPOSE) == "verification":
                    verifications.append(located)
                for r_index, role in enumerate(located.obj.responsible_roles or []):
                    if role.role_id == vocab.OWNER_ROLE:
                        owners.append(Located(role, f"{located.pointer}/responsible-roles/{r_index}"))
    points = vocab.prop_value(item.props, vocab.POINTS_DEDUCTED)
    checks = [
        Located(value, f"{task.pointer}/props/{p_index}")
        for task in verifications
        for p_index, prop in enumerate(task.obj.props or [])
        if prop.name == vocab.VERIFICATION_CHECK and str(prop.ns or "") == vocab.NS
        for value in [text(prop.value)]
    ]
    related = dict.fromkeys(str(r.observation_uuid) for r in item.related_observations or [])
    evidence = [observations[uuid] for uuid in related if uuid in observations]
    return PoamItemView(
        index=index,
        item=item,
        pointer=here,
        requirement=requirement,
        requirement_text=requirement_text,
        named_requirements=tuple(named),
        risk=risk,
        risk_problem=problem,
        planned=planned,
        milestones=tuple(milestones),
        verifications=tuple(verifications),
        owner_roles=tuple(owners),
        points=int(points.strip()) if points is not None and ascii_digits(points.strip()) else None,
        eligible=vocab.prop_value(item.props, vocab.ITEM_ELIGIBLE),
        partial_state=vocab.prop_value(item.props, vocab.PARTIAL_STATE),
        checks=tuple(checks),
        evidence=tuple(evidence),
    )


def recorded_by_verify(entry: Any) -> bool:
    """Whether a risk-log entry is one `verify` recorded (cmmc-log-event `verified`), not a person's status."""
    return vocab.prop_value(entry.props, vocab.LOG_EVENT) == vocab.VERIFIED


def _walk_task(task: Task, here: str) -> list[Located]:
    """A task and its subtasks, depth first: milestones may be grouped under a parent task."""
    found = [Located(task, here)]
    for index, sub in enumerate(task.tasks or []):
        found.extend(_walk_task(sub, f"{here}/tasks/{index}"))
    return found


def _related_risk(item: PoamItem, risks: dict[str, Located]) -> tuple[Located | None, str]:
    related = [str(r.risk_uuid) for r in item.related_risks or []]
    if not related:
        return None, "has no related risk, so it has no status"
    for uuid in related:
        if uuid in risks:
            return risks[uuid], ""
    return None, f"names related risk {related[0]}, which is not among the POA&M's risks"


def _planned_remediation(risk: Located | None) -> Located | None:
    if risk is None:
        return None
    found: Risk = risk.obj
    for index, response in enumerate(found.remediations or []):
        if text(response.lifecycle) == "planned":
            return Located(response, f"{risk.pointer}/remediations/{index}")
    return None


def task_date(task: Task) -> dt.date | None:
    """A milestone's date: `timing.on-date.date`, else the end of `timing.within-date-range` (the day it is due
    by); None for a milestone with neither (an undated one, or one `at-frequency`)."""
    timing = task.timing
    on_date = getattr(timing, "on_date", None)
    if on_date is not None:
        date: dt.datetime = on_date.date
        return date.date()
    within = getattr(timing, "within_date_range", None)
    if within is not None:
        end: dt.datetime = within.end
        return end.date()
    return None


def task_start(task: Task) -> dt.date | None:
    """The day a milestone dated by `within-date-range` starts; None for one dated `on-date` or undated."""
    within = getattr(task.timing, "within_date_range", None)
    if within is None:
        return None
    start: dt.datetime = within.start
    return start.date()


def milestone_completed(task: Task) -> bool:
    """Is the milestone marked completed (`cmmc-milestone-status`)."""
    return vocab.prop_value(task.props, vocab.MILESTONE_STATUS) == "completed"


def completed_on(task: Task) -> dt.date | None:
    """The day a milestone was completed (`cmmc-completed-on`), where given."""
    return leading_iso_day(vocab.prop_value(task.props, vocab.COMPLETED_ON))
