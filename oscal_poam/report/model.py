"""What a report shows, independent of its format: the typed ReportData, laid out from the engine's evaluation.

A report decides nothing: the verdict, the score and the diagnostics are the engine's (`engine.evaluate`), judged
on the documents the report was given; this module only arranges them. With assessment results they rest on the
results (an initial assessment by 32 CFR 170.24 and 170.21(a), a closeout by 170.21(b)); without, on what the
POA&M records of itself. Whatever cannot be known is "not given", never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from oscal_poam.cmmc import regulation, vocab
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.facts.poam import PoamFacts, completed_on, milestone_completed, task_date, task_start
from oscal_poam.io.models import text
from oscal_poam.render.groups import RuleGroup, by_rule
from oscal_poam.rules.recorded import item_points

if TYPE_CHECKING:
    from trestle.oscal.poam import PlanOfActionAndMilestones

    from oscal_poam.engine.evaluate import Evaluation
    from oscal_poam.engine.verdict import Verdict
    from oscal_poam.facts.poam import PoamItemView
    from oscal_poam.rules.verification import VerificationSummary


SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)

VerdictKind = Literal["final", "conditional", "expired", "none", "unknown"]
ScoreSource = Literal["results", "closeout", "poam", "none"]
"""Where a figure comes from: the initial results, the POA&M after its closeout, the POA&M alone, nowhere."""

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
    qualifier: str = ""
    """Words that qualify the status (`subject to Final Level 2 (C3PAO)`), '' when none."""


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
    outcome: str = ""
    """Level 1, which has no points (32 CFR 170.24(c)(1)): `MET` or `NOT MET`; '' at the other levels."""

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
    """The day it is due: its on-date, or the end of its within-date-range."""
    day: int | None
    """Days after the timeline's origin (the Conditional CMMC Status Date where known)."""
    completed: bool
    completed_on: dt.date | None
    overdue: bool
    """Pending, its date before the as-of date, and its item still open."""
    start: dt.date | None = None
    """For a milestone dated by a range: the day the range starts."""


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
    label: str
    """How the item is named where space is short (the timeline): its own id (a spreadsheet's POA&M ID), else its
    requirement, else its title cut short."""
    own_id: str
    """The item's own id, '' when it has none."""
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
    def heading(self) -> str:
        """How a table names the item: its own id and its requirement (else its whole title)."""
        named = self.requirement or self.title or self.label
        return f"{self.own_id} {named}" if self.own_id and named != self.own_id else named

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
    rules: tuple[RuleGroup, ...] = ()
    """The same diagnostics by rule (each rule under the worst severity it has), for lists that expand."""


def diagnostic_groups(diagnostics: tuple[Diagnostic, ...]) -> tuple[DiagnosticGroup, ...]:
    """One group per severity, worst first: its diagnostics, and the rules whose worst severity it is (the
    diagnostics, an Evaluation's, in `sort_key` order, grouped by rule once for all three)."""
    rules = by_rule(diagnostics, ordered=True)
    return tuple(
        DiagnosticGroup(s, tuple(d for d in diagnostics if d.severity is s), tuple(g for g in rules if g.severity is s))
        for s in SEVERITIES
    )


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
    """Day 180 after the Conditional CMMC Status Date; None unless the 180 days run (`clock_runs`)."""
    as_of: dt.date
    verdict: VerdictView
    score: ScoreView
    families: tuple[FamilyRow, ...]
    items: tuple[Item, ...]
    diagnostics: tuple[DiagnosticGroup, ...]
    """One group per severity, worst first; groups may be empty."""
    documents: tuple[str, ...]
    """The names of the documents the report was made from, POA&M first."""
    verification: VerificationSummary | None = None
    """The engine's judgement of each item's automated verification; None when no item names an automated check."""
    clock_runs: bool = False
    """A Conditional status (or one expired): the 180 days run, so the status date, the deadline and the days
    count; without one none of them is shown."""

    @property
    def assessment_type_name(self) -> str:
        return TYPE_NAMES.get(self.assessment_type or "", "type not given")

    @property
    def day(self) -> int | None:
        """Days from the Conditional CMMC Status Date to the as-of date, while the 180 days run."""
        return None if self.status_date is None or not self.clock_runs else (self.as_of - self.status_date).days

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
    evaluation: Evaluation,
    *,
    poam_document: str,
    documents: tuple[str, ...],
    system_name: str | None = None,
    poam: PoamFacts | None = None,
) -> ReportData:
    """The report of the POA&M the engine judged in `evaluation` (with its results and SSP, where given).

    `poam`: the POA&M's facts where the engine read none (a POA&M that is not a CMMC one: its items and milestones
    are laid out, with no CMMC verdict)."""
    facts = evaluation.facts.poam or poam
    assert facts is not None and facts.model is not None, "a report is the report of a POA&M"
    model = facts.model
    standing = evaluation.standing
    level = facts.level or evaluation.level
    assessment_type = _assessment_type(facts.assessment_type, standing)
    status_date = facts.status_date or (standing.status_date if standing is not None else None)
    # the 180 days run only for a Conditional status (or one expired): without it there is no deadline to show
    clock_runs = standing is not None and standing.status in ("conditional", "expired")
    deadline = regulation.deadline(status_date) if status_date is not None and clock_runs else None
    as_of = evaluation.as_of or dt.date.today()

    parties = facts.party_names()
    closeout_status = (
        {i.requirement.label: i.status for i in evaluation.closeout.items} if evaluation.closeout is not None else {}
    )
    by_subject: dict[str, list[Diagnostic]] = {}
    for d in evaluation.diagnostics:
        by_subject.setdefault(d.subject, []).append(d)
    items = tuple(_item(view, parties, by_subject, closeout_status, status_date, as_of) for view in facts.items)

    score = _score(evaluation)
    groups = diagnostic_groups(evaluation.diagnostics)
    return ReportData(
        title=text(model.metadata.title),
        system=system_name or text(model.metadata.title),
        system_id=_system_id(model),
        level=level,
        assessment_type=assessment_type,
        status_date=status_date,
        deadline=deadline,
        as_of=as_of,
        clock_runs=clock_runs,
        verdict=_verdict(standing, evaluation, status_date, deadline, as_of),
        score=score,
        families=_families(evaluation),
        items=items,
        diagnostics=groups,
        documents=tuple(name for name in documents or (poam_document,) if name),
        verification=_verification(evaluation),
    )


def _verification(evaluation: Evaluation) -> VerificationSummary | None:
    found = evaluation.verification
    if found is None or all(i.state == "no-check" for i in found.items):
        return None
    return found


def _assessment_type(recorded: str | None, standing: Verdict | None) -> str | None:
    if recorded is not None:
        return recorded
    return standing.assessment_type if standing is not None else None


def _system_id(poam: PlanOfActionAndMilestones) -> str:
    return text(poam.system_id.id) if poam.system_id is not None else ""


def _item(
    view: PoamItemView,
    parties: dict[str, str],
    by_subject: dict[str, list[Diagnostic]],
    closeout_status: Mapping[str, str],
    status_date: dt.date | None,
    as_of: dt.date,
) -> Item:
    item = view.item
    requirement = view.requirement
    owners = view.owners(parties)
    closed = view.is_closed
    milestones = []
    for located in view.milestones:
        task = located.obj
        date = task_date(task)
        completed = milestone_completed(task)
        milestones.append(
            Milestone(
                title=text(task.title),
                date=date,
                day=(date - status_date).days if date is not None and status_date is not None else None,
                completed=completed,
                completed_on=completed_on(task),
                overdue=date is not None and not completed and not closed and date < as_of,
                start=task_start(task),
            )
        )
    milestones.sort(key=lambda m: (m.date is None, m.date or dt.date.min))
    subjects = {view.subject, str(item.uuid)}
    found = [d for s in sorted(subjects) for d in by_subject.get(s, [])]
    label = requirement.label if requirement is not None else view.requirement_text
    own_id = view.own_id
    return Item(
        index=view.index,
        uuid=str(item.uuid),
        label=own_id or label or _short(text(item.title)) or f"item {view.index + 1}",
        own_id=own_id,
        requirement=label,
        requirement_title=requirement.title if requirement is not None else "",
        title=text(item.title),
        points=item_points(view),
        eligible=vocab.prop_value(item.props, vocab.ITEM_ELIGIBLE),
        owner=", ".join(owners),
        status=view.status or "",
        status_date=view.status_date,
        closeout_status=closeout_status.get(label) if closeout_status else None,
        milestones=tuple(milestones),
        flags=_flags(found),
    )


def _short(title: str, limit: int = 24) -> str:
    """A title short enough to label a row of the timeline."""
    one = " ".join(title.split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def _flags(found: list[Diagnostic]) -> tuple[Flag, ...]:
    """One flag per rule, the worst of its diagnostics, worst first."""
    by_rule: dict[str, Diagnostic] = {}
    for d in found:
        kept = by_rule.get(d.rule_id)
        if kept is None or d.severity.rank > kept.severity.rank:
            by_rule[d.rule_id] = d
    ordered = sorted(by_rule.values(), key=lambda d: (-d.severity.rank, d.rule_id))
    return tuple(Flag(d.rule_id, FLAG_LABELS.get(d.rule_id, d.rule_id), d.severity, d.message) for d in ordered)


def _score(evaluation: Evaluation) -> ScoreView:
    scored = evaluation.score
    if scored is not None and not scored.in_points:
        total = sum(f.requirements for f in scored.families)
        met = scored.met + scored.not_applicable
        return ScoreView(
            None,
            None,
            None,
            "results",
            f"Level 1 has no points: it is MET or NOT MET in its entirety ({regulation.SCORED_AS_WHOLE_CITATION}); "
            f"{met} of {total} requirements MET",
            outcome="MET" if scored.met_all else "NOT MET",
        )
    if scored is not None:
        threshold = regulation.passing_score(scored.level)
        if scored.score is None:
            return ScoreView(
                None,
                scored.maximum,
                threshold,
                "results",
                f"no score: {regulation.SSP_REQUIREMENT} System Security Plan is not MET, so the assessment cannot be "
                "completed",
            )
        return ScoreView(scored.score, scored.maximum, threshold, "results", "from the assessment results")
    recorded = evaluation.recorded_score
    if recorded is None:
        return ScoreView(None, None, None, "none", "not given: the POA&M is not a CMMC POA&M")
    source: ScoreSource = "closeout" if recorded.basis == "closeout" else "poam" if recorded.basis == "poam" else "none"
    return ScoreView(recorded.value, recorded.maximum, recorded.threshold, source, recorded.note)


def _verdict(
    standing: Verdict | None,
    evaluation: Evaluation,
    status_date: dt.date | None,
    deadline: dt.date | None,
    as_of: dt.date,
) -> VerdictView:
    if standing is None:
        return VerdictView("unknown", _HEADLINES["unknown"], "", "nothing to judge", "none")
    kind: VerdictKind = standing.status
    reasons = tuple(Reason(d.message, d.citation) for d in standing.reasons if d.severity is Severity.ERROR)
    if standing.basis == "poam":
        reasons = tuple(Reason(d.message, d.citation) for d in standing.reasons)
    source: ScoreSource = standing.basis
    name = standing.cmmc_status
    if kind == "unknown":
        return VerdictView(kind, _HEADLINES[kind], "", standing.detail, "none")
    if standing.basis == "closeout" and evaluation.closeout is not None:
        ended = evaluation.closeout.closeout_date
        when = ""
        if ended is not None:
            when = f", which ended {ended.isoformat()}"
            if status_date is not None:
                when += f" (day {regulation.day_of(status_date, ended)})"
        if kind == "final":
            detail = f"the POA&M closeout assessment{when} found every POA&M requirement MET"
        elif kind == "expired":
            detail = (
                f"the POA&M was not closed out within {regulation.CONDITIONAL_DAYS} days of the Conditional CMMC "
                "Status Date"
            )
        elif kind == "none":
            detail = _reasons_detail(reasons)
        else:
            detail = _days_detail(deadline, as_of) + "; the closeout has not confirmed every item"
        return VerdictView(kind, _HEADLINES[kind], name, detail, source, reasons if kind == "none" else ())
    if kind == "final":
        detail = standing.detail or "every requirement is MET"
        return VerdictView(kind, _HEADLINES[kind], name, detail, source, qualifier=standing.qualifier)
    if kind == "none":
        detail = standing.detail or _reasons_detail(reasons)
        return VerdictView(kind, _HEADLINES[kind], name, detail, source, reasons)
    if kind == "expired":
        detail = standing.detail or f"the deadline {deadline.isoformat() if deadline else '?'} has passed without a "
        if not standing.detail:
            detail += "closeout assessment"
        return VerdictView(kind, _HEADLINES[kind], name, detail, source)
    detail = _days_detail(deadline, as_of)
    if standing.detail:
        detail += f"; {standing.detail}"
    return VerdictView(kind, _HEADLINES[kind], name, detail, source, qualifier=standing.qualifier)


def _reasons_detail(reasons: tuple[Reason, ...]) -> str:
    n = len(reasons)
    return f"{n} reason{_s(n)} stand{'s' if n == 1 else ''} in the way:"


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


def _families(evaluation: Evaluation) -> tuple[FamilyRow, ...]:
    """The score's families; without initial results, what the POA&M records (unknown counts are None)."""
    if evaluation.score is not None:
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
            for f in evaluation.score.families
        )
    recorded = evaluation.recorded_score
    if recorded is None:
        return ()
    return tuple(
        FamilyRow(
            f.family, f.name, f.requirements, f.requirements - f.not_met, f.not_met, None, None, f.points_deducted
        )
        for f in recorded.families
    )


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def verdict_and_score(evaluation: Evaluation, as_of: dt.date) -> tuple[VerdictView, ScoreView]:
    """The verdict and the score as a report shows them, for any evaluation: also of assessment results with no
    POA&M (a system with a Final status has none), which have no report of their own."""
    standing = evaluation.standing
    status_date = standing.status_date if standing is not None else None
    deadline = regulation.deadline(status_date) if status_date is not None else None
    return _verdict(standing, evaluation, status_date, deadline, as_of), _score(evaluation)
