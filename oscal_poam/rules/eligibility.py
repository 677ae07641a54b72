"""Which CMMC status an assessment earns: Final, Conditional (with a POA&M), or none (32 CFR 170.21(a)).

Final: every requirement MET (N/A counts as MET). Conditional: the NOT MET requirements may all sit on a
POA&M, which must be closed out within 180 days of the Conditional CMMC Status Date (170.21(b)). Level 1
never allows a POA&M. Every reason that stands in the way is a diagnostic with its citation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from oscal_poam.cmmc import regulation, vocab
from oscal_poam.cmmc.assessment import Assessment, RequirementResult
from oscal_poam.cmmc.regulation import (
    CONDITIONAL_DAYS,
    L2_POAM_EXCEPTION,
    L2_POAM_EXCLUDED,
    L3_POAM_EXCLUDED,
    PARTIAL_CREDIT,
    implied_type,
    meets_threshold,
    minimum_score,
    status_name,
)
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.rules.registry import Rule, rule
from oscal_poam.rules.scoring import Score
from oscal_poam.rules.scoring import score as compute_score

FAMILY = "eligibility"

L1_NOT_MET = rule(
    "eligibility-l1-not-met",
    Severity.ERROR,
    "32 CFR 170.21(a)(1)",
    "A Level 1 requirement is NOT MET: no POA&M is permitted at Level 1, so there is no CMMC status.",
    FAMILY,
)
L2_THRESHOLD = rule(
    "eligibility-l2-threshold",
    Severity.ERROR,
    "32 CFR 170.21(a)(2)(i)",
    "The Level 2 score divided by 110 is below 0.8 (a score under 88): no Conditional status.",
    FAMILY,
)
L2_POINT_VALUE = rule(
    "eligibility-l2-point-value",
    Severity.ERROR,
    "32 CFR 170.21(a)(2)(ii)",
    "A NOT MET Level 2 requirement is worth more than 1 point (other than SC.L2-3.13.11 at 3 with encryption "
    "employed but not FIPS-validated), so it may not be on a POA&M.",
    FAMILY,
)
L2_EXCLUDED = rule(
    "eligibility-l2-excluded",
    Severity.ERROR,
    "32 CFR 170.21(a)(2)(iii)",
    "A NOT MET requirement is one of the six Level 2 requirements never permitted on a POA&M.",
    FAMILY,
)
L3_THRESHOLD = rule(
    "eligibility-l3-threshold",
    Severity.ERROR,
    "32 CFR 170.21(a)(3)(i)",
    "The Level 3 score divided by 24 is below 0.8 (a score under 20): no Conditional status.",
    FAMILY,
)
L3_EXCLUDED = rule(
    "eligibility-l3-excluded",
    Severity.ERROR,
    "32 CFR 170.21(a)(3)(ii)",
    "A NOT MET requirement is one of the seven Level 3 requirements never permitted on a POA&M.",
    FAMILY,
)
L3_PRECONDITION = rule(
    "eligibility-l3-precondition",
    Severity.INFO,
    "32 CFR 170.24(c)(3)",
    "A Level 3 assessment presupposes Final Level 2 (C3PAO) status; the tool checks it only when told.",
    FAMILY,
)
INCOMPLETE = rule(
    "eligibility-incomplete",
    Severity.ERROR,
    "32 CFR 170.24(b)",
    "Requirements of the level are not assessed: no CMMC status rests on an incomplete assessment.",
    FAMILY,
)
NO_SCORE = rule(
    "eligibility-no-score",
    Severity.ERROR,
    "32 CFR 170.24(c)(2)(i)(B)(5)",
    "The assessment could not be completed (CA.L2-3.12.4 System Security Plan), so it earns no status.",
    FAMILY,
)
ASSESSMENT_TYPE = rule(
    "eligibility-assessment-type",
    Severity.WARNING,
    "48 CFR 204.7501",
    "The result's cmmc-assessment-type is missing or does not fit the level, so the status name is incomplete.",
    FAMILY,
)
CONDITIONAL = rule(
    "eligibility-conditional",
    Severity.INFO,
    "32 CFR 170.21(b)",
    "Conditional status: the NOT MET requirements go on a POA&M, closed out within 180 days of the status date.",
    FAMILY,
)
STATUS_DATE_UNKNOWN = rule(
    "eligibility-status-date-unknown",
    Severity.WARNING,
    "32 CFR 170.21(b)",
    "Conditional status, but the result has neither cmmc-status-date nor an end, so the 180-day deadline is unknown.",
    FAMILY,
)

VerdictStatus = Literal["final", "conditional", "none"]


@dataclass(frozen=True)
class Verdict:
    level: int
    assessment_type: str | None
    status: VerdictStatus
    cmmc_status: str
    """The status as 48 CFR 204.7501 names it, e.g. `Conditional Level 2 (C3PAO)`, or `No CMMC status`."""
    reasons: tuple[Diagnostic, ...]
    """Everything that decides the verdict, each with its citation."""
    status_date: dt.date | None
    deadline: dt.date | None
    """Conditional only: the Conditional CMMC Status Date + 180 days, the last day a closeout may end."""
    poam: tuple[RequirementResult, ...]
    """The NOT MET requirements a POA&M must hold (170.24(c)(2)(i)(B)(6)), in catalog order."""

    @property
    def eligible(self) -> bool:
        """Does the assessment earn a status at all (Final or Conditional)."""
        return self.status != "none"

    def days_left(self, as_of: dt.date) -> int | None:
        """Days from `as_of` to the deadline (0 on day 180, negative once past); None without a deadline."""
        return None if self.deadline is None else (self.deadline - as_of).days

    def to_dict(self, as_of: dt.date | None = None) -> dict[str, Any]:
        """The JSON form `oscal-poam score --format json` prints under `verdict`."""
        data: dict[str, Any] = {
            "status": self.status,
            "cmmc-status": self.cmmc_status,
            "level": self.level,
            "assessment-type": self.assessment_type,
            "status-date": self.status_date.isoformat() if self.status_date else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "poam-requirements": [r.label for r in self.poam],
        }
        if as_of is not None:
            data["as-of"] = as_of.isoformat()
            data["days-left"] = self.days_left(as_of)
        return data


def eligibility(assessment: Assessment, score: Score | None = None, *, level2_final: bool | None = None) -> Verdict:
    """The status `assessment` earns under 32 CFR 170.21(a).

    `level2_final`: for Level 3, whether the scope holds Final Level 2 (C3PAO) status; None when unknown.
    """
    scored = score if score is not None else compute_score(assessment)
    check = _Check(assessment)
    not_met = assessment.not_met()

    unassessed = assessment.not_assessed()
    if unassessed:
        shown = ", ".join(r.label for r in unassessed[:5]) + (", ..." if len(unassessed) > 5 else "")
        closeout_hint = ""
        if assessment.kind == "closeout":
            closeout_hint = "; this result is a closeout: check it against its POA&M with `oscal-poam closeout`"
        check.add(
            INCOMPLETE,
            f"{len(unassessed)} of {len(assessment.requirements)} Level {assessment.level} requirements are not "
            f"assessed ({shown}): no CMMC status rests on an incomplete assessment{closeout_hint}",
        )
    if assessment.level == 2 and scored.score is None:
        check.add(NO_SCORE, "CA.L2-3.12.4 System Security Plan is not MET: the assessment could not be completed")

    if assessment.level == 1:
        for r in not_met:
            check.add(
                L1_NOT_MET,
                f"{r.name} is NOT MET: Level 1 requires every requirement MET and permits no POA&M",
                subject=r.label,
                pointer=_pointer(r, assessment),
            )
    elif assessment.level == 2:
        _threshold(check, scored, L2_THRESHOLD)
        for r in not_met:
            _level2_item(check, r, assessment)
    else:
        _threshold(check, scored, L3_THRESHOLD)
        for r in not_met:
            if r.label in L3_POAM_EXCLUDED:
                check.add(
                    L3_EXCLUDED,
                    f"{r.name} is NOT MET and may never be on a Level 3 POA&M",
                    subject=r.label,
                    pointer=_pointer(r, assessment),
                )
        _precondition(check, level2_final)

    type_ok = _assessment_type(check, assessment)
    blocked = any(d.severity is Severity.ERROR for d in check.reasons)
    status: VerdictStatus = "none" if blocked else ("conditional" if not_met else "final")
    deadline = None
    if status == "conditional":
        if assessment.status_date is not None:
            deadline = regulation.deadline(assessment.status_date)
        points = sum(r.points_deducted for r in not_met)
        until = f"within {CONDITIONAL_DAYS} days of the Conditional CMMC Status Date"
        if deadline is not None and assessment.status_date is not None:
            until += f" {assessment.status_date.isoformat()}, by {deadline.isoformat()}"
        check.add(
            CONDITIONAL,
            f"{len(not_met)} NOT MET requirement{_s(len(not_met))} ({points} point{_s(points)}) must be on the "
            f"POA&M and closed out {until}: {', '.join(r.label for r in not_met)}",
        )
        if assessment.status_date is None:
            check.add(
                STATUS_DATE_UNKNOWN,
                f"the result has no {vocab.STATUS_DATE} prop and no end, so the closeout deadline is unknown",
            )
    return Verdict(
        level=assessment.level,
        assessment_type=assessment.assessment_type or implied_type(assessment.level),
        status=status,
        cmmc_status=status_name(status, assessment.level, assessment.assessment_type if type_ok else None),
        reasons=tuple(check.reasons),
        status_date=assessment.status_date,
        deadline=deadline,
        poam=tuple(not_met) if status == "conditional" else (),
    )


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _pointer(r: RequirementResult, assessment: Assessment) -> str:
    return r.finding_pointers[0] if r.finding_pointers else assessment.result_pointer


class _Check:
    def __init__(self, assessment: Assessment) -> None:
        self.assessment = assessment
        self.reasons: list[Diagnostic] = []

    def add(
        self,
        rule: Rule,
        message: str,
        subject: str = "",
        pointer: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        self.reasons.append(
            rule.diag(
                message,
                pointer=self.assessment.result_pointer if pointer is None else pointer,
                document=self.assessment.document,
                subject=subject,
                severity=severity,
            )
        )


def _threshold(check: _Check, scored: Score, which: Rule) -> None:
    if scored.score is None:
        return
    if meets_threshold(scored.score, scored.maximum):
        return
    check.add(
        which,
        f"score {scored.score} / {scored.maximum} = {scored.score / scored.maximum:.3f} is below 0.8: "
        f"Conditional status needs a score of at least {minimum_score(scored.maximum)}",
    )


def _level2_item(check: _Check, r: RequirementResult, assessment: Assessment) -> None:
    where = _pointer(r, assessment)
    if r.label in L2_POAM_EXCLUDED:
        check.add(L2_EXCLUDED, f"{r.name} is NOT MET and may never be on a POA&M", subject=r.label, pointer=where)
        return
    if r.poam_eligible:
        return
    points = f"{r.points_deducted} point{_s(r.points_deducted)}"
    if r.label == L2_POAM_EXCEPTION:
        message = (
            f"{r.name} is NOT MET at {points} (encryption not employed); it may be on a POA&M only at 3 points, "
            f"when encryption is employed but not FIPS-validated ({vocab.PARTIAL} {PARTIAL_CREDIT[r.label]})"
        )
    elif r.partial is not None:
        message = (
            f"{r.name} is NOT MET at {points} with partial credit ({r.partial}); partial credit lowers the points "
            f"but a POA&M may hold only 1-point requirements and {L2_POAM_EXCEPTION} at 3, so it is not eligible"
        )
    else:
        message = (
            f"{r.name} is NOT MET at {points}; a POA&M may hold only 1-point requirements "
            f"(and {L2_POAM_EXCEPTION} at 3 with encryption employed but not FIPS-validated)"
        )
    check.add(L2_POINT_VALUE, message, subject=r.label, pointer=where)


def _precondition(check: _Check, level2_final: bool | None) -> None:
    if level2_final is True:
        return
    if level2_final is None:
        check.add(
            L3_PRECONDITION,
            "a Level 3 assessment presupposes a Final Level 2 (C3PAO) status for the same scope "
            "(32 CFR 170.24(c)(3); 32 CFR 170.18 as DoD's Level 3 guide quotes it, UNVERIFIED); "
            "not checked: it was not given",
        )
        return
    check.add(
        L3_PRECONDITION,
        "the scope has no Final Level 2 (C3PAO) status: a Level 3 assessment cannot proceed without it "
        "(32 CFR 170.24(c)(3); 32 CFR 170.18 as DoD's Level 3 guide quotes it, UNVERIFIED)",
        severity=Severity.ERROR,
    )


def _assessment_type(check: _Check, assessment: Assessment) -> bool:
    """Whether the result's assessment type fits its level; warns when it is missing at Level 2 or does not fit."""
    allowed = regulation.TYPES_BY_LEVEL[assessment.level]
    given = assessment.assessment_type
    if given is None:
        if len(allowed) > 1:
            check.add(
                ASSESSMENT_TYPE,
                f"the result has no {vocab.ASSESSMENT_TYPE} prop: a Level 2 assessment is self or c3pao, and "
                "the status name depends on it",
            )
        return False
    if given not in allowed:
        check.add(
            ASSESSMENT_TYPE,
            f"{vocab.ASSESSMENT_TYPE} is {given!r}, but a Level {assessment.level} assessment is "
            f"{' or '.join(allowed)}",
        )
        return False
    return True
