"""Is each POA&M item credible to an assessor?

These rules encode what CMMC assessors look for in a POA&M item: one requirement per item, a
specific weakness and its root cause, a named owner, three to five dated milestones inside the
180-day window, committed resources, a way to verify closure, and a current status. All are
warnings except where the rule says otherwise: an item covering several requirements, and, on a
Conditional POA&M, milestones after the deadline or open items once the deadline has passed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.regulation import (
    ASSESSMENT_TYPES,
    CHECKPOINT_CITATION,
    CONDITIONAL_DAYS,
    EVIDENCE_DAY,
    PRACTICAL_DEADLINE_DAY,
)
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.facts.poam import (
    RISK_STATUSES,
    PoamFacts,
    PoamItemView,
    pointer,
    task_date,
)
from oscal_poam.io.models import text
from oscal_poam.quoting import excerpt
from oscal_poam.rules.registry import Rule, rule

if TYPE_CHECKING:
    pass

FAMILY = "credibility"
PRACTICE = CHECKPOINT_CITATION
CLOSEOUT = "32 CFR 170.21(b)"

MIN_MILESTONES = 3
MAX_MILESTONES = 5
MIN_DESCRIPTION_WORDS = 6
DEFAULT_STALE_DAYS = 30

PLACEHOLDERS = frozenset(
    {"", "tbd", "tba", "todo", "na", "n/a", "none", "unknown", "pending", "see above", "to be determined", "-", "?"}
)
"""Texts that fill a field without saying anything."""

TEAM_WORDS = frozenset(
    {
        "team",
        "teams",
        "group",
        "groups",
        "department",
        "departments",
        "dept",
        "staff",
        "everyone",
        "everybody",
        "all",
        "committee",
        "division",
        "personnel",
        "crew",
        "unit",
    }
)
"""An owner named with one of these words is a collective, not a person or a named role."""

VAGUE_WORDS = frozenset(
    {
        "it",
        "tbd",
        "tba",
        "na",
        "none",
        "unknown",
        "unassigned",
        "various",
        "multiple",
        "security",
        "ops",
        "operations",
        "admin",
        "admins",
        "administrators",
        "helpdesk",
        "the",
        "and",
        "of",
        "our",
    }
)
"""An owner named only with these words ("IT", "Security", "TBD") names nobody."""

ONE_REQUIREMENT = rule(
    "credibility-one-requirement-per-item",
    Severity.ERROR,
    PRACTICE,
    "Each POA&M item covers exactly one requirement; an item covering several requirements is an error.",
    FAMILY,
)
REQUIREMENT_UNKNOWN = rule(
    "credibility-requirement-unknown",
    Severity.WARNING,
    PRACTICE,
    "Each POA&M item names its CMMC requirement (item prop cmmc-requirement, or the title's leading id).",
    FAMILY,
)
DUPLICATE_REQUIREMENT = rule(
    "credibility-duplicate-requirement",
    Severity.WARNING,
    PRACTICE,
    "A requirement has one POA&M item, not several.",
    FAMILY,
)
WEAKNESS = rule(
    "credibility-weakness-description",
    Severity.WARNING,
    PRACTICE,
    f"The item's description states the specific weakness (what is missing, where): at least "
    f"{MIN_DESCRIPTION_WORDS} words, not a placeholder, not a copy of the title or the requirement.",
    FAMILY,
)
ROOT_CAUSE = rule(
    "credibility-root-cause",
    Severity.WARNING,
    PRACTICE,
    "The item states the weakness's root cause (item prop cmmc-root-cause). Closed items are not judged.",
    FAMILY,
)
OWNER_MISSING = rule(
    "credibility-owner-missing",
    Severity.WARNING,
    PRACTICE,
    "The planned remediation names an owner: responsible-role remediation-owner with a party defined in metadata. "
    "Closed items are not judged.",
    FAMILY,
)
OWNER_IS_TEAM = rule(
    "credibility-owner-is-team",
    Severity.WARNING,
    PRACTICE,
    "The owner is a person or a named role, not a team, department or placeholder ('IT team' warns). "
    "Closed items are not judged.",
    FAMILY,
)
MILESTONE_COUNT = rule(
    "credibility-milestone-count",
    Severity.WARNING,
    PRACTICE,
    f"The planned remediation has {MIN_MILESTONES} to {MAX_MILESTONES} milestones. Closed items are not judged.",
    FAMILY,
)
MILESTONE_UNDATED = rule(
    "credibility-milestone-undated",
    Severity.WARNING,
    PRACTICE,
    "Every milestone has a date (timing on-date, or the end of within-date-range). Closed items are not judged.",
    FAMILY,
)
MILESTONE_OVERDUE = rule(
    "credibility-milestone-overdue",
    Severity.WARNING,
    PRACTICE,
    "A pending milestone's date has not passed (cmmc-milestone-status pending, date before the as-of date).",
    FAMILY,
)
RESOURCES = rule(
    "credibility-resources",
    Severity.WARNING,
    PRACTICE,
    "The planned remediation commits resources (required-assets with a description). Closed items are not judged.",
    FAMILY,
)
VERIFICATION = rule(
    "credibility-verification",
    Severity.WARNING,
    PRACTICE,
    "The planned remediation says how closure will be verified (a verification task with a description) "
    "or links closure evidence.",
    FAMILY,
)
STATUS = rule(
    "credibility-status",
    Severity.WARNING,
    PRACTICE,
    "The item has a status: a related risk with status open, investigating, remediating, deviation-requested, "
    "deviation-approved or closed.",
    FAMILY,
)
STATUS_DATE = rule(
    "credibility-status-date",
    Severity.WARNING,
    PRACTICE,
    "The item has a status date: a risk-log entry on its risk.",
    FAMILY,
)
STATUS_STALE = rule(
    "credibility-status-stale",
    Severity.WARNING,
    PRACTICE,
    f"An open item's status date is recent (not older than {DEFAULT_STALE_DAYS} days by default).",
    FAMILY,
)
AFTER_DEADLINE = rule(
    "credibility-milestone-after-deadline",
    Severity.WARNING,
    CLOSEOUT,
    f"No milestone falls after the deadline (Conditional CMMC Status Date + {CONDITIONAL_DAYS} days); "
    "an error on a Conditional POA&M. Closed items are not judged.",
    FAMILY,
)
DEADLINE_PASSED = rule(
    "credibility-deadline-passed",
    Severity.ERROR,
    CLOSEOUT,
    f"On a Conditional POA&M, no item is still open once {CONDITIONAL_DAYS} days have passed since the "
    "Conditional CMMC Status Date: the Conditional status has expired.",
    FAMILY,
)
CHECKPOINT_120 = rule(
    "credibility-checkpoint-day-120",
    Severity.WARNING,
    PRACTICE,
    f"An open item at day {PRACTICAL_DEADLINE_DAY} after the Conditional CMMC Status Date has reached the "
    "practical deadline for remediation.",
    FAMILY,
)
CHECKPOINT_150 = rule(
    "credibility-checkpoint-day-150",
    Severity.WARNING,
    PRACTICE,
    f"An open item at day {EVIDENCE_DAY} after the Conditional CMMC Status Date: time to submit closeout evidence.",
    FAMILY,
)
METADATA = rule(
    "credibility-metadata",
    Severity.WARNING,
    "docs/conventions.md (POA&M metadata)",
    "The POA&M's metadata props cmmc-level (1, 2 or 3) and cmmc-status-date (YYYY-MM-DD) are readable.",
    FAMILY,
)


PLANNING = frozenset(
    r.id
    for r in (
        ROOT_CAUSE,
        OWNER_MISSING,
        OWNER_IS_TEAM,
        MILESTONE_COUNT,
        MILESTONE_UNDATED,
        MILESTONE_OVERDUE,
        AFTER_DEADLINE,
        RESOURCES,
    )
)
"""The rules that judge an item's plan (its root cause, owner, milestones and resources): they do not run on
closed items, whose plan is done."""


def credibility(facts: PoamFacts, *, as_of: dt.date, stale_days: int = DEFAULT_STALE_DAYS) -> list[Diagnostic]:
    """Every credibility finding on the POA&M's items, evaluated as of `as_of`, in document order."""
    document = facts.document
    found = list(_metadata(facts, document))
    parties = facts.parties()
    found.extend(_duplicates(facts, document))
    for view in facts.items:
        found.extend(_item(view, facts, parties, as_of, document, stale_days))
    return found


def _metadata(facts: PoamFacts, document: str) -> Iterator[Diagnostic]:
    where = pointer("metadata", "props")
    if facts.level_text is not None and facts.level is None:
        yield METADATA.diag(f"cmmc-level is {facts.level_text!r}, not 1, 2 or 3", where, document)
    if facts.status_date_text is not None and facts.status_date is None:
        # an error, not the rule's warning: without the date no deadline can be judged, and none may pass unseen
        message = (
            f"cmmc-status-date is {excerpt(facts.status_date_text)}, not a date (YYYY-MM-DD) the 180 days can be "
            "counted from"
        )
        yield METADATA.diag(message, where, document, severity=Severity.ERROR)
    if facts.type_text is not None and facts.assessment_type is None:
        yield METADATA.diag(
            f"cmmc-assessment-type is {facts.type_text!r}, not {', '.join(ASSESSMENT_TYPES)}", where, document
        )


def _duplicates(facts: PoamFacts, document: str) -> Iterator[Diagnostic]:
    first: dict[str, PoamItemView] = {}
    for view in facts.items:
        if view.requirement is None:
            continue
        earlier = first.setdefault(view.requirement.control_id, view)
        if earlier is not view:
            yield DUPLICATE_REQUIREMENT.diag(
                f"a second item for {view.requirement.label}; the first is poam-items/{earlier.index}",
                view.pointer,
                document,
                view.subject,
            )


def _item(
    view: PoamItemView,
    facts: PoamFacts,
    parties: Mapping[str, tuple[int, object]],
    as_of: dt.date,
    document: str,
    stale_days: int,
) -> Iterator[Diagnostic]:
    diag = _Emit(document, view.subject)
    yield from _requirement(view, diag)
    planning = not view.is_closed  # a closed item needs no plan: its record is the weakness, status and evidence
    for found in (*_weakness(view, diag), *_owner(view, parties, diag), *_plan(view, facts, as_of, diag)):
        if planning or found.rule_id not in PLANNING:
            yield found
    yield from _status(view, facts, as_of, stale_days, diag)


@dataclass(frozen=True)
class _Emit:
    """Stamps the item's document and subject on each diagnostic."""

    document: str
    subject: str

    def __call__(self, r: Rule, message: str, where: str, severity: Severity | None = None) -> Diagnostic:
        return r.diag(message, where, self.document, self.subject, severity=severity)


def _requirement(view: PoamItemView, diag: _Emit) -> Iterator[Diagnostic]:
    if len(view.named_requirements) > 1:
        yield diag(
            ONE_REQUIREMENT,
            f"the item covers {len(view.named_requirements)} requirements ({', '.join(view.named_requirements)}); "
            "split it into one item per requirement",
            view.pointer,
        )
    if view.requirement is None:
        if view.requirement_text:
            message = f"{view.requirement_text!r} is not a CMMC requirement this project knows"
        else:
            message = "the item names no requirement: add prop cmmc-requirement or start the title with its id"
        yield diag(REQUIREMENT_UNKNOWN, message, view.pointer)


def _weakness(view: PoamItemView, diag: _Emit) -> Iterator[Diagnostic]:
    item = view.item
    description = _plain(item.description)
    words = description.split()
    where = f"{view.pointer}/description"
    copies = {_plain(item.title)}
    if view.requirement is not None:
        copies |= {_plain(view.requirement.statement), _plain(view.requirement.title)}
    if _is_placeholder(description):
        yield diag(WEAKNESS, "the weakness description is empty or a placeholder", where)
    elif description.lower() in {c.lower() for c in copies if c}:
        yield diag(WEAKNESS, "the description repeats the title or the requirement instead of the weakness", where)
    elif len(words) < MIN_DESCRIPTION_WORDS:
        yield diag(
            WEAKNESS,
            f"the weakness description has {len(words)} words; say what is missing and where",
            where,
        )
    root_cause = vocab.prop_value(item.props, vocab.ROOT_CAUSE)
    if root_cause is None or _is_placeholder(root_cause):
        message = (
            "no root cause (item prop cmmc-root-cause)" if root_cause is None else "the root cause is a placeholder"
        )
        yield diag(ROOT_CAUSE, message, f"{view.pointer}/props" if item.props else view.pointer)


def _owner(view: PoamItemView, parties: Mapping[str, tuple[int, object]], diag: _Emit) -> Iterator[Diagnostic]:
    if view.planned is None:
        yield diag(OWNER_MISSING, _no_plan("no owner"), _plan_place(view))
        return
    named = [(role, str(uuid)) for role in view.owner_roles for uuid in role.obj.party_uuids or []]
    if not named:
        yield diag(
            OWNER_MISSING,
            "no task of the planned remediation names a party in responsible-role remediation-owner",
            view.owner_roles[0].pointer if view.owner_roles else view.planned.pointer,
        )
        return
    seen: set[str] = set()
    for role, uuid in named:
        if uuid in seen:
            continue  # the same owner named on several tasks is judged once
        seen.add(uuid)
        if uuid not in parties:
            yield diag(OWNER_MISSING, f"the owner {uuid} is not a party in metadata.parties", role.pointer)
            continue
        index, party = parties[uuid]
        name = text(getattr(party, "name", None)) or text(getattr(party, "short_name", None))
        if not name:
            yield diag(OWNER_MISSING, f"the owner party {uuid} has no name", pointer("metadata", "parties", index))
        elif is_team_name(name):
            yield diag(
                OWNER_IS_TEAM,
                f"the owner of {diag.subject}, {name!r}, is a team or placeholder; name a person or a role "
                "(for example the ISSO)",
                pointer("metadata", "parties", index, "name"),
            )


def is_team_name(name: str) -> bool:
    """True for names of collectives or placeholders ("IT team", "IT", "TBD"), false for "Jane Doe" or "ISSO"."""
    words = re.findall(r"[a-z0-9]+", name.lower().replace("n/a", "na"))
    if not words:
        return True
    return any(w in TEAM_WORDS for w in words) or all(w in VAGUE_WORDS for w in words)


def _plan(view: PoamItemView, facts: PoamFacts, as_of: dt.date, diag: _Emit) -> Iterator[Diagnostic]:
    if view.planned is None:
        yield diag(MILESTONE_COUNT, _no_plan("no milestones"), _plan_place(view))
        yield diag(RESOURCES, _no_plan("no resources"), _plan_place(view))
        yield diag(VERIFICATION, _no_plan("no verification method"), _plan_place(view))
        return
    plan = view.planned
    count = len(view.milestones)
    if not MIN_MILESTONES <= count <= MAX_MILESTONES:
        tasks_place = f"{plan.pointer}/tasks" if plan.obj.tasks else plan.pointer
        yield diag(
            MILESTONE_COUNT,
            f"{count} milestone{'' if count == 1 else 's'}; plan {MIN_MILESTONES} to {MAX_MILESTONES}",
            tasks_place,
        )
    deadline = facts.deadline
    basis = f"Conditional CMMC Status Date {facts.status_date} + {CONDITIONAL_DAYS} days"
    if deadline is None and view.risk is not None and view.risk.obj.deadline is not None:
        deadline, basis = view.risk.obj.deadline.date(), "the risk's deadline"
    for milestone in view.milestones:
        task = milestone.obj
        date = task_date(task)
        if date is None:
            yield diag(
                MILESTONE_UNDATED,
                f"milestone {task.title!r} has no date (timing on-date, or within-date-range)",
                milestone.pointer,
            )
            continue
        date_place = f"{milestone.pointer}/timing/" + (
            "on-date/date" if getattr(task.timing, "on_date", None) is not None else "within-date-range/end"
        )
        if deadline is not None and date > deadline:
            yield diag(
                AFTER_DEADLINE,
                f"milestone {task.title!r} is due {date.isoformat()}, "
                f"after the deadline {deadline.isoformat()} ({basis})",
                date_place,
                Severity.ERROR if facts.conditional else None,
            )
        pending = vocab.prop_value(task.props, vocab.MILESTONE_STATUS) != "completed"
        if pending and not view.is_closed and date < as_of:
            yield diag(
                MILESTONE_OVERDUE,
                f"milestone {task.title!r} was due {date.isoformat()} and is not marked completed",
                date_place,
            )
    assets = plan.obj.required_assets or []
    if not any(not _is_placeholder(_plain(a.description)) for a in assets):
        message = "no required-assets" if not assets else "the required-assets say nothing (placeholders)"
        yield diag(RESOURCES, f"{message}: commit people, hours or money", f"{plan.pointer}/required-assets")
    if not any(_verifies(v.obj) for v in view.verifications):
        where = view.verifications[0].pointer if view.verifications else plan.pointer
        message = (
            "the verification task neither describes the method nor links evidence"
            if view.verifications
            else "no verification task (type action, prop cmmc-task-purpose=verification) and no closure evidence"
        )
        yield diag(VERIFICATION, message, where)


def _verifies(task: object) -> bool:
    description = _plain(getattr(task, "description", None) or "")
    links = getattr(task, "links", None) or []
    return not _is_placeholder(description) or any(text(link.rel) == vocab.EVIDENCE_REL for link in links)


def _status(view: PoamItemView, facts: PoamFacts, as_of: dt.date, stale_days: int, diag: _Emit) -> Iterator[Diagnostic]:
    if view.risk is None:
        yield diag(STATUS, f"the item {view.risk_problem}", view.pointer)
        yield diag(STATUS_DATE, "the item has no risk, so no risk-log and no status date", view.pointer)
    else:
        status = view.status or ""
        if status not in RISK_STATUSES:
            yield diag(
                STATUS, f"status {status!r} is not one of {', '.join(RISK_STATUSES)}", f"{view.risk.pointer}/status"
            )
        entry = view.status_entry()
        if entry is None:
            yield diag(STATUS_DATE, "the risk has no risk-log entry, so no status date", view.risk.pointer)
        elif not view.is_closed:
            date = entry.obj.start.date()
            age = (as_of - date).days
            if age > stale_days:
                yield diag(
                    STATUS_STALE,
                    f"the status date {date.isoformat()} is {age} days old (more than {stale_days}) as of {as_of}",
                    f"{entry.pointer}/start",
                )
    if view.is_closed or not facts.conditional or facts.status_date is None:
        return
    day = (as_of - facts.status_date).days
    where = view.risk.pointer + "/status" if view.risk is not None else view.pointer
    if day > CONDITIONAL_DAYS:
        yield diag(
            DEADLINE_PASSED,
            f"still open on day {day} after the Conditional CMMC Status Date {facts.status_date}; "
            f"the deadline {facts.deadline} has passed and the Conditional status has expired",
            where,
        )
    elif day >= EVIDENCE_DAY:
        yield diag(
            CHECKPOINT_150,
            f"still open on day {day} of {CONDITIONAL_DAYS}: submit closeout evidence now (deadline {facts.deadline})",
            where,
        )
    elif day >= PRACTICAL_DEADLINE_DAY:
        yield diag(
            CHECKPOINT_120,
            f"still open on day {day} of {CONDITIONAL_DAYS}: the practical deadline for remediation has passed "
            f"(deadline {facts.deadline})",
            where,
        )


def _no_plan(what: str) -> str:
    return f"{what}: the item's risk has no planned remediation (a remediation with lifecycle 'planned')"


def _plan_place(view: PoamItemView) -> str:
    return f"{view.risk.pointer}/remediations" if view.risk is not None else view.pointer


def _plain(value: object) -> str:
    """Text with markdown emphasis and extra whitespace removed, for comparing and counting words."""
    return " ".join(re.sub(r"[*_`#>]", " ", text(value)).split())


def _is_placeholder(value: str) -> bool:
    return value.strip().strip(".").lower() in PLACEHOLDERS
