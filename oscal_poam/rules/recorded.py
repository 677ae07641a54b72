"""A POA&M as it records itself: the score its items imply and the status that score and its items allow.

Without assessment results a POA&M still says a great deal (docs/conventions.md): the level, the Conditional CMMC
Status Date, and for each item its requirement and the points it deducts. A POA&M holds every NOT MET requirement
(32 CFR 170.24(c)(2)(i)(B)(6)), so the maximum less the points of its items is the score it records; after a
closeout, only the items the closeout did not find MET still count. The status it records is Conditional when
every item may be on a POA&M (170.21(a)) and that score reaches the threshold; a closeout then decides Final.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from oscal_poam.cmmc import regulation, vocab
from oscal_poam.cmmc.catalog import catalog
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.verdict import Verdict, as_recorded
from oscal_poam.facts.poam import PoamFacts, PoamItemView, pointer
from oscal_poam.rules.registry import rule

FAMILY = "poam-results"

MARKED_NOT_ELIGIBLE = rule(
    "poam-item-marked-not-eligible",
    Severity.ERROR,
    "32 CFR 170.21(a)",
    "An open item's cmmc-poam-eligible prop says no: the POA&M itself records a requirement that may not be on it.",
    FAMILY,
)
SCORE_BELOW_THRESHOLD = rule(
    "poam-score-below-threshold",
    Severity.ERROR,
    "32 CFR 170.21(a)(2)(i), (a)(3)(i)",
    "Without results, the score the POA&M records (the maximum less the points of its items) is below 0.8 of the "
    "maximum: the POA&M records no Conditional status.",
    FAMILY,
)

INELIGIBLE_ITEM_RULES = frozenset(
    {"poam-item-not-eligible", "poam-item-not-eligible-level-3", "poam-item-level-1", MARKED_NOT_ELIGIBLE.id}
)
"""The rules that find an item which may not be on a POA&M (32 CFR 170.21(a))."""

ScoreBasis = Literal["poam", "closeout", "none"]


@dataclass(frozen=True)
class RecordedFamily:
    family: str
    name: str
    requirements: int
    not_met: int
    points_deducted: int


@dataclass(frozen=True)
class RecordedScore:
    """The score a POA&M records: its level's maximum less the points of its items."""

    level: int | None
    value: int | None
    """None when it cannot be told: no level, or an item whose points are not known."""
    maximum: int | None
    threshold: int | None
    """The least score that earns a status: 88 of 110, 20 of 24; at Level 1 all 15."""
    basis: ScoreBasis
    note: str
    """Where the figure comes from, or why it is not given."""
    families: tuple[RecordedFamily, ...] = ()

    @property
    def passes(self) -> bool | None:
        if self.value is None or self.threshold is None:
            return None
        return self.value >= self.threshold


def item_points(view: PoamItemView) -> int | None:
    """The points an item records: its cmmc-points-deducted, else its requirement's value (partial where stated).

    None at Level 1, which is all or nothing (32 CFR 170.24(c)(1)), and for an item naming no requirement.
    """
    if view.points is not None:
        return view.points
    requirement = view.requirement
    if requirement is None or requirement.level == 1:
        return None
    partial = regulation.partial_points(requirement, view.partial_state)
    return partial if partial is not None else regulation.full_points(requirement)


def recorded_score(poam: PoamFacts, closed: Collection[str] = (), *, after_closeout: bool = False) -> RecordedScore:
    """The score `poam` records; `closed`: official ids a closeout found MET, which no longer count."""
    level = poam.level
    if level is None:
        return RecordedScore(
            None, None, None, None, "none", "not given: no CMMC level in the POA&M and no results given"
        )
    maximum = regulation.MAXIMUM_SCORE[level]
    threshold = regulation.passing_score(level)
    counted = [v for v in poam.items if v.requirement is not None and v.requirement.label not in closed]
    by_label = {v.requirement.label: v for v in counted if v.requirement is not None}
    families = []
    for family, name in catalog(level).families():
        members = [v for label, v in by_label.items() if label.startswith(f"{family}.")]
        total = sum(r.family == family for r in catalog(level).requirements)
        lost = len(members) if level == 1 else sum(item_points(v) or 0 for v in members)
        families.append(RecordedFamily(family, name, total, len(members), lost))
    if level == 1:
        lost_total = len(by_label)
    else:
        unknown = [v for v in counted if item_points(v) is None]
        if unknown:
            names = ", ".join(v.requirement.label if v.requirement else str(v.index) for v in unknown)
            return RecordedScore(
                level, None, maximum, threshold, "none", f"not given: the points of {names} are not known"
            )
        lost_total = sum(item_points(v) or 0 for v in counted)
    if after_closeout:
        note = "after the closeout: the maximum less the POA&M items it did not find MET"
        return RecordedScore(level, maximum - lost_total, maximum, threshold, "closeout", note, tuple(families))
    what = "requirements" if level == 1 else "points"
    count = len(counted)
    note = f"as the POA&M records it: {maximum} less the {what} of its {count} item{'' if count == 1 else 's'}"
    return RecordedScore(level, maximum - lost_total, maximum, threshold, "poam", note, tuple(families))


def marked_not_eligible(poam: PoamFacts, already: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Open items whose own cmmc-poam-eligible says no, where no eligibility rule has named them already."""
    named = {d.subject for d in already if d.rule_id in INELIGIBLE_ITEM_RULES}
    return [
        MARKED_NOT_ELIGIBLE.diag(
            f"{view.subject} is marked {vocab.ITEM_ELIGIBLE} no: it may not be on a POA&M",
            view.pointer,
            poam.document,
            view.subject,
        )
        for view in poam.items
        if view.eligible == "no" and not view.is_closed and view.subject not in named
    ]


def below_threshold(poam: PoamFacts, score: RecordedScore) -> list[Diagnostic]:
    if score.passes is not False or score.level == 1:
        return []
    return [
        SCORE_BELOW_THRESHOLD.diag(
            f"the POA&M records a score of {score.value} of {score.maximum} ({score.note}), below {score.threshold}: "
            "a Conditional status needs at least that",
            pointer("poam-items"),
            poam.document,
        )
    ]


def recorded_verdict(
    poam: PoamFacts, score: RecordedScore, item_findings: Sequence[Diagnostic], as_of: dt.date | None
) -> Verdict:
    """The status `poam` records: `item_findings` are the eligibility diagnostics on its items."""
    level = poam.level
    reasons = [d for d in item_findings if d.rule_id in INELIGIBLE_ITEM_RULES and d.severity is Severity.ERROR]
    reasons.extend(below_threshold(poam, score))
    return as_recorded(
        level=level,
        assessment_type=poam.assessment_type or (regulation.implied_type(level) if level is not None else None),
        reasons=reasons,
        items=len(poam.items),
        open_items=sum(not v.is_closed for v in poam.items),
        status_date=poam.status_date,
        as_of=as_of,
    )
