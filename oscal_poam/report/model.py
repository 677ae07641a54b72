"""What a report shows, independent of its format: the typed ReportData and how it is read from the documents.

A report stands on the POA&M alone. Assessment results, when given, decide the score and the verdict (an
initial assessment by 32 CFR 170.24 and 170.21(a), a closeout by 170.21(b)); without them both are read from
the POA&M's own CMMC props (docs/conventions.md): the maximum less the points of its items, and the
eligibility of each item. Whatever cannot be known is "not given", never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from oscal_poam.cmmc import regulation, vocab
from oscal_poam.dates import leading_iso_day
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.io.models import text

if TYPE_CHECKING:
    from trestle.oscal.poam import PlanOfActionAndMilestones

    from oscal_poam.rules.check import CheckResult
    from oscal_poam.rules.items import PoamFacts, PoamItemView


SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)

VerdictKind = Literal["final", "conditional", "expired", "none", "unknown"]
ScoreSource = Literal["results", "closeout", "poam", "none"]

TYPE_NAMES = {"self": "Self-assessment", "c3pao": "C3PAO assessment", "dibcac": "DIBCAC assessment"}

FLAG_LABELS = {
    "credibility-one-requirement-per-item": "several requirements",
    "credibility-requirement-unknown": "unknown requirement",
    "credibility-duplicate-requirement": "duplicate item",
    "credibility-weakness-description": "vague weakness",
    "credibility-root-cause": "no root cause",
    "credibility-owner-missing": "no owner",
    "credibility-owner-is-team": "owner is a team",
    "credibility-milestone-count": "milestone count",
    "credibility-milestone-undated": "undated milestone",
    "credibility-milestone-overdue": "milestone overdue",
    "credibility-milestone-after-deadline": "milestone after deadline",
    "credibility-resources": "no resources",
    "credibility-verification": "no verification",
    "credibility-status": "no status",
    "credibility-status-date": "no status date",
    "credibility-status-stale": "stale status",
    "credibility-deadline-passed": "deadline passed",
    "credibility-checkpoint-day-120": "past day 120",
    "credibility-checkpoint-day-150": "past day 150",
    "poam-item-not-eligible": "not POA&M-eligible",
    "poam-item-not-eligible-level-3": "not POA&M-eligible",
    "poam-item-level-1": "no POA&M at Level 1",
    "eligibility-l2-excluded": "never on a POA&M",
    "eligibility-l3-excluded": "never on a POA&M",
    "eligibility-l2-point-value": "more than 1 point",
    "eligibility-l1-not-met": "no POA&M at Level 1",
}
"""Short names for the item flags; other rules are shown by their id."""


@dataclass(frozen=True)
class VerdictView:
    kind: VerdictKind
    headline: str
    """`Final`, `Conditional`, `Expired`, `Not eligible` or `Not given`."""
    cmmc_status: str
    """The status as 48 CFR 204.7501 names it (`Conditional Level 2 (C3PAO)`), or '' when unknown."""
    detail: str
    """One sentence: the days left and the deadline, or why there is no status."""
    source: ScoreSource
    reasons: tuple[Reason, ...] = ()
    """What stands in the way of a status, each with its citation."""


@dataclass(frozen=True)
class Reason:
    message: str
    citation: str


@dataclass(frozen=True)
class ScoreView:
    value: int | None
    maximum: int | None
    threshold: int | None
    """The least score that may earn Conditional status: 88 of 110, 20 of 24; at Level 1 all 15."""
    source: ScoreSource
    note: str
    """Where the figure comes from, or why it is not given."""

    @property
    def given(self) -> bool:
        return self.value is not None and self.maximum is not None

    @property
    def passes(self) -> bool | None:
        if self.value is None or self.threshold is None:
            return None
        return self.value >= self.threshold


@dataclass(frozen=True)
class FamilyRow:
    family: str
    name: str
    requirements: int
    met: int | None
    not_met: int
    not_applicable: int | None
    not_assessed: int | None
    points_deducted: int
    """None values are unknown: without assessment results only the POA&M's items are known."""


@dataclass(frozen=True)
class Milestone:
    title: str
    date: dt.date | None
    day: int | None
    """Days after the timeline's origin (the Conditional CMMC Status Date where known)."""
    completed: bool
    completed_on: dt.date | None
    overdue: bool
    """Pending, its date before the as-of date, and its item still open."""


@dataclass(frozen=True)
class Flag:
    rule_id: str
    label: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class Item:
    index: int
    uuid: str
    requirement: str
    """The official id (`AC.L2-3.1.20`), else whatever the item names, else ''."""
    requirement_title: str
    title: str
    points: int | None
    eligible: str | None
    """The item's cmmc-poam-eligible prop: `yes`, `no` or None."""
    owner: str
    status: str
    """The related risk's status, '' when the item has none."""
    status_date: dt.date | None
    closeout_status: str | None
    """With closeout results: `met`, `not-met`, `not-applicable` or `not-assessed` there."""
    milestones: tuple[Milestone, ...]
    flags: tuple[Flag, ...]

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    @property
    def next_milestone(self) -> Milestone | None:
        """The earliest pending dated milestone of an open item."""
        if self.closed:
            return None
        pending = [m for m in self.milestones if not m.completed and m.date is not None]
        return min(pending, key=lambda m: m.date or dt.date.max) if pending else None

    @property
    def overdue(self) -> int:
        return sum(m.overdue for m in self.milestones)

    @property
    def worst_flag(self) -> Severity | None:
        return max((f.severity for f in self.flags), key=lambda s: s.rank, default=None)


@dataclass(frozen=True)
class DiagnosticGroup:
    severity: Severity
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, in the order it shows it."""

    title: str
    system: str
    """The SSP's system name where the SSP is given, else the POA&M's title."""
    system_id: str
    level: int | None
    assessment_type: str | None
    status_date: dt.date | None
    deadline: dt.date | None
    as_of: dt.date
    verdict: VerdictView
    score: ScoreView
    families: tuple[FamilyRow, ...]
    items: tuple[Item, ...]
    diagnostics: tuple[DiagnosticGroup, ...]
    """One group per severity, worst first; groups may be empty."""
    documents: tuple[str, ...]
    """The names of the documents the report was made from, POA&M first."""

    @property
    def assessment_type_name(self) -> str:
        return TYPE_NAMES.get(self.assessment_type or "", "Assessment type not given")

    @property
    def day(self) -> int | None:
        """Days from the Conditional CMMC Status Date to the as-of date."""
        return None if self.status_date is None else (self.as_of - self.status_date).days

    @property
    def days_left(self) -> int | None:
        return None if self.deadline is None else (self.deadline - self.as_of).days

    @property
    def open_items(self) -> int:
        return sum(not i.closed for i in self.items)

    @property
    def closed_items(self) -> int:
        return sum(i.closed for i in self.items)

    @property
    def overdue_milestones(self) -> int:
        return sum(i.overdue for i in self.items)

    @property
    def milestones_after_deadline(self) -> int:
        if self.deadline is None:
            return 0
        return sum(1 for i in self.items for m in i.milestones if m.date is not None and m.date > self.deadline)

    def count(self, severity: Severity) -> int:
        return sum(len(g.diagnostics) for g in self.diagnostics if g.severity is severity)


def build(
    poam: PlanOfActionAndMilestones,
    checked: CheckResult,
    *,
    poam_document: str,
    documents: tuple[str, ...],
    system_name: str | None = None,
) -> ReportData:
    """The report of `poam`, judged by `checked` (what `rules.check.check` found on the same inputs)."""
    from oscal_poam.rules.items import read_poam

    facts = read_poam(poam)
    level = facts.level or checked.level
    assessment_type = _assessment_type(poam, checked)
    status_date = facts.status_date or _status_date_from_results(checked)
    deadline = regulation.deadline(status_date) if status_date is not None else None
    as_of = checked.as_of

    parties = {str(p.uuid): _party_name(p) for p in poam.metadata.parties or []}
    closeout_status = (
        {i.requirement.label: i.status for i in checked.closeout.items} if checked.closeout is not None else {}
    )
    by_subject: dict[str, list[Diagnostic]] = {}
    for d in checked.diagnostics:
        by_subject.setdefault(d.subject, []).append(d)
    items = tuple(
        _item(view, facts, parties, by_subject, closeout_status, status_date, as_of, level) for view in facts.items
    )

    score = _score(checked, items, level)
    verdict = _verdict(checked, items, level, assessment_type, score, status_date, deadline, as_of)
    groups = tuple(DiagnosticGroup(s, tuple(d for d in checked.diagnostics if d.severity is s)) for s in SEVERITIES)
    return ReportData(
        title=text(poam.metadata.title),
        system=system_name or text(poam.metadata.title),
        system_id=_system_id(poam),
        level=level,
        assessment_type=assessment_type,
        status_date=status_date,
        deadline=deadline,
        as_of=as_of,
        verdict=verdict,
        score=score,
        families=_families(checked, items, level),
        items=items,
        diagnostics=groups,
        documents=tuple(name for name in documents or (poam_document,) if name),
    )


def _assessment_type(poam: PlanOfActionAndMilestones, checked: CheckResult) -> str | None:
    given = vocab.prop_value(poam.metadata.props, vocab.ASSESSMENT_TYPE)
    if given in TYPE_NAMES:
        return given
    if checked.closeout is not None and checked.closeout.assessment_type:
        return checked.closeout.assessment_type
    if checked.verdict is not None:
        return checked.verdict.assessment_type
    return None


def _status_date_from_results(checked: CheckResult) -> dt.date | None:
    if checked.closeout is not None:
        return checked.closeout.status_date
    if checked.verdict is not None:
        return checked.verdict.status_date
    return None


def _system_id(poam: PlanOfActionAndMilestones) -> str:
    return text(poam.system_id.id) if poam.system_id is not None else ""


def _party_name(party: Any) -> str:
    return text(getattr(party, "name", None)) or text(getattr(party, "short_name", None)) or text(party.uuid)


def _item(
    view: PoamItemView,
    facts: PoamFacts,
    parties: dict[str, str],
    by_subject: dict[str, list[Diagnostic]],
    closeout_status: Mapping[str, str],
    status_date: dt.date | None,
    as_of: dt.date,
    level: int | None,
) -> Item:
    from oscal_poam.rules.items import task_date

    item = view.item
    requirement = view.requirement
    owners: list[str] = []
    for role in view.owner_roles:
        for uuid in role.obj.party_uuids or []:
            name = parties.get(str(uuid), str(uuid))
            if name not in owners:
                owners.append(name)
    closed = view.is_closed
    milestones = []
    for located in view.milestones:
        task = located.obj
        date = task_date(task)
        completed = vocab.prop_value(task.props, vocab.MILESTONE_STATUS) == "completed"
        done_on = vocab.prop_value(task.props, vocab.COMPLETED_ON)
        milestones.append(
            Milestone(
                title=text(task.title),
                date=date,
                day=(date - status_date).days if date is not None and status_date is not None else None,
                completed=completed,
                completed_on=leading_iso_day(done_on),
                overdue=date is not None and not completed and not closed and date < as_of,
            )
        )
    milestones.sort(key=lambda m: (m.date is None, m.date or dt.date.min))
    subjects = {view.subject, str(item.uuid)}
    found = [d for s in sorted(subjects) for d in by_subject.get(s, [])]
    label = requirement.label if requirement is not None else view.requirement_text
    return Item(
        index=view.index,
        uuid=str(item.uuid),
        requirement=label,
        requirement_title=requirement.title if requirement is not None else "",
        title=text(item.title),
        points=_points(view, level),
        eligible=vocab.prop_value(item.props, vocab.ITEM_ELIGIBLE),
        owner=", ".join(owners),
        status=view.status or "",
        status_date=view.status_date,
        closeout_status=closeout_status.get(label) if closeout_status else None,
        milestones=tuple(milestones),
        flags=_flags(found),
    )


def _points(view: PoamItemView, level: int | None) -> int | None:
    """The item's cmmc-points-deducted, else the catalog's value for its requirement (partial where stated)."""
    given = vocab.prop_value(view.item.props, vocab.POINTS_DEDUCTED)
    if given is not None and given.strip().isdigit():
        return int(given.strip())
    requirement = view.requirement
    if requirement is None:
        return None
    if requirement.level == 1:
        return None  # Level 1 is all or nothing: there are no points (32 CFR 170.24(c)(1))
    partial = vocab.prop_value(view.item.props, vocab.PARTIAL_STATE)
    if partial not in (None, "none") and requirement.partial_points is not None:
        return requirement.partial_points
    return requirement.points


def _flags(found: list[Diagnostic]) -> tuple[Flag, ...]:
    """One flag per rule, the worst of its diagnostics, worst first."""
    by_rule: dict[str, Diagnostic] = {}
    for d in found:
        kept = by_rule.get(d.rule_id)
        if kept is None or d.severity.rank > kept.severity.rank:
            by_rule[d.rule_id] = d
    ordered = sorted(by_rule.values(), key=lambda d: (-d.severity.rank, d.rule_id))
    return tuple(Flag(d.rule_id, FLAG_LABELS.get(d.rule_id, d.rule_id), d.severity, d.message) for d in ordered)


def _threshold(level: int, maximum: int) -> int:
    return maximum if level == 1 else regulation.minimum_score(maximum)


def _maximum(level: int) -> int:
    from oscal_poam.cmmc.catalog import catalog

    return catalog(level).max_score


def _score(checked: CheckResult, items: tuple[Item, ...], level: int | None) -> ScoreView:
    if checked.score is not None:
        scored = checked.score
        threshold = _threshold(scored.level, scored.maximum)
        if scored.score is None:
            return ScoreView(
                None,
                scored.maximum,
                threshold,
                "results",
                "no score: CA.L2-3.12.4 System Security Plan is not MET, so the assessment cannot be completed",
            )
        return ScoreView(scored.score, scored.maximum, threshold, "results", "from the assessment results")
    if level is None:
        return ScoreView(None, None, None, "none", "not given: no CMMC level in the POA&M and no results given")
    maximum = _maximum(level)
    threshold = _threshold(level, maximum)
    counted = [i for i in items if i.requirement]
    if checked.closeout is not None:
        counted = [i for i in counted if i.closeout_status not in ("met", "not-applicable")]
    if level == 1:
        lost = len({i.requirement for i in counted})
    else:
        if any(i.points is None for i in counted):
            unknown = ", ".join(i.requirement or str(i.index) for i in counted if i.points is None)
            return ScoreView(None, maximum, threshold, "none", f"not given: the points of {unknown} are not known")
        lost = sum(i.points or 0 for i in counted)
    if checked.closeout is not None:
        return ScoreView(
            maximum - lost,
            maximum,
            threshold,
            "closeout",
            "after the closeout: the maximum less the POA&M items it did not find MET",
        )
    return ScoreView(
        maximum - lost,
        maximum,
        threshold,
        "poam",
        f"as the POA&M records it: {maximum} less the {'requirements' if level == 1 else 'points'} of its "
        f"{len(counted)} item{_s(len(counted))}",
    )


def _verdict(
    checked: CheckResult,
    items: tuple[Item, ...],
    level: int | None,
    assessment_type: str | None,
    score: ScoreView,
    status_date: dt.date | None,
    deadline: dt.date | None,
    as_of: dt.date,
) -> VerdictView:
    if checked.closeout is not None:
        closed = checked.closeout
        kind: VerdictKind = closed.verdict
        ended = closed.closeout_date
        when = ""
        if ended is not None:
            when = f", which ended {ended.isoformat()}"
            if status_date is not None:
                when += f" (day {(ended - status_date).days})"
        if kind == "final":
            detail = f"the POA&M closeout assessment{when} found every POA&M requirement MET"
        elif kind == "expired":
            detail = (
                f"the POA&M was not closed out within {regulation.CONDITIONAL_DAYS} days of the Conditional CMMC "
                "Status Date"
            )
        else:
            detail = _days_detail(deadline, as_of) + "; the closeout has not confirmed every item"
        return VerdictView(kind, _HEADLINES[kind], closed.cmmc_status, detail, "closeout")

    if checked.verdict is not None:
        verdict = checked.verdict
        if verdict.status == "final":
            return VerdictView("final", "Final", verdict.cmmc_status, "every requirement is MET", "results")
        if verdict.status == "none":
            reasons = tuple(Reason(d.message, d.citation) for d in verdict.reasons if d.severity is Severity.ERROR)
            detail = f"{len(reasons)} reason{_s(len(reasons))} stand{'s' if len(reasons) == 1 else ''} in the way:"
            return VerdictView("none", "Not eligible", verdict.cmmc_status, detail, "results", reasons)
        if deadline is not None and as_of > deadline:
            return VerdictView(
                "expired",
                "Expired",
                f"{regulation.NO_STATUS} (Conditional status expired)",
                f"the deadline {deadline.isoformat()} has passed without a closeout assessment",
                "results",
            )
        return VerdictView("conditional", "Conditional", verdict.cmmc_status, _days_detail(deadline, as_of), "results")

    if level is None:
        return VerdictView("unknown", "Not given", "", "the POA&M states no CMMC level", "none")
    if not items:
        return VerdictView("unknown", "Not given", "", "the POA&M holds no items and no results were given", "none")
    if level == 1:
        detail = "a POA&M is not permitted at Level 1 (32 CFR 170.21(a)(1))"
        return VerdictView("none", "Not eligible", regulation.NO_STATUS, detail, "poam")
    blocking = [Reason(d.message, d.citation) for d in checked.diagnostics if d.rule_id in INELIGIBLE_ITEM_RULES]
    named = {d.subject for d in checked.diagnostics if d.rule_id in INELIGIBLE_ITEM_RULES}
    blocking.extend(
        Reason(f"{i.requirement} is marked {vocab.ITEM_ELIGIBLE} no: it may not be on a POA&M", "32 CFR 170.21(a)")
        for i in items
        if i.eligible == "no" and i.requirement not in named
    )
    if blocking:
        detail = f"{len(blocking)} item{_s(len(blocking))} may not be on a POA&M:"
        return VerdictView("none", "Not eligible", regulation.NO_STATUS, detail, "poam", tuple(blocking))
    if score.passes is False:
        return VerdictView(
            "none",
            "Not eligible",
            regulation.NO_STATUS,
            f"the score {score.value} is below {score.threshold} of {score.maximum} (32 CFR 170.21(a))",
            "poam",
        )
    name = regulation.status_name("conditional", level, assessment_type)
    open_items = [i for i in items if not i.closed]
    if deadline is not None and as_of > deadline and open_items:
        return VerdictView(
            "expired",
            "Expired",
            f"{regulation.NO_STATUS} (Conditional status expired)",
            f"{len(open_items)} item{_s(len(open_items))} still open after the deadline {deadline.isoformat()}",
            "poam",
        )
    detail = _days_detail(deadline, as_of)
    if not open_items:
        detail += "; every item is closed, and a POA&M closeout assessment decides Final status"
    return VerdictView("conditional", "Conditional", name, detail, "poam")


INELIGIBLE_ITEM_RULES = frozenset({"poam-item-not-eligible", "poam-item-not-eligible-level-3", "poam-item-level-1"})
"""The rules of `rules.consistency` that find an item which may not be on a POA&M (32 CFR 170.21(a))."""

_HEADLINES: dict[str, str] = {
    "final": "Final",
    "conditional": "Conditional",
    "expired": "Expired",
    "none": "Not eligible",
    "unknown": "Not given",
}


def _days_detail(deadline: dt.date | None, as_of: dt.date) -> str:
    if deadline is None:
        return (
            f"the Conditional CMMC Status Date is not given, so the {regulation.CONDITIONAL_DAYS}-day deadline is "
            "unknown"
        )
    left = (deadline - as_of).days
    if left < 0:
        return f"the deadline {deadline.isoformat()} passed {-left} day{_s(-left)} ago"
    return f"{left} day{_s(left)} left: the POA&M must be closed out by {deadline.isoformat()}"


def _families(checked: CheckResult, items: tuple[Item, ...], level: int | None) -> tuple[FamilyRow, ...]:
    """The score's families; without initial results, what the POA&M implies, as its score does.

    A POA&M holds every NOT MET requirement (32 CFR 170.24(c)(2)(i)(B)(6)), so a requirement not on it counts
    as MET (or N/A, which scores as MET); after a closeout, only the items it did not find MET stay NOT MET.
    """
    if checked.score is not None:
        return tuple(
            FamilyRow(
                f.family,
                f.name,
                f.requirements,
                f.met,
                f.not_met,
                f.not_applicable,
                f.not_assessed,
                f.points_deducted,
            )
            for f in checked.score.families
        )
    if level is None:
        return ()
    from oscal_poam.cmmc.catalog import catalog, normalize_requirement_id

    cat = catalog(level)
    counted = [i for i in items if i.closeout_status not in ("met", "not-applicable")]
    rows = []
    for family, name in cat.families():
        members = {
            i.requirement: i
            for i in counted
            if (req := normalize_requirement_id(i.requirement, level)) is not None and req.family == family
        }
        total = sum(r.family == family for r in cat.requirements)
        lost = len(members) if level == 1 else sum(i.points or 0 for i in members.values())
        rows.append(FamilyRow(family, name, total, total - len(members), len(members), None, None, lost))
    return tuple(rows)


def _s(n: int) -> str:
    return "" if n == 1 else "s"
