"""What stands between an initial assessment and a CMMC status (32 CFR 170.21(a)): the eligibility rules.

Final: every requirement MET (N/A counts as MET). Conditional: the NOT MET requirements may all sit on a
POA&M, which must be closed out within 180 days of the Conditional CMMC Status Date (170.21(b)). Level 1
never allows a POA&M. Every reason that stands in the way is a diagnostic with its citation; the verdict itself
is decided in `oscal_poam.engine.verdict`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from oscal_poam.cmmc import regulation, vocab
from oscal_poam.cmmc.regulation import (
    CONDITIONAL_DAYS,
    L2_POAM_EXCEPTION,
    PARTIAL_CREDIT,
    SSP_REQUIREMENT,
    excluded_from_poam,
    implied_type,
    meets_threshold,
    minimum_score,
)
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.verdict import Verdict, judged
from oscal_poam.facts.results import Assessment, RequirementResult
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
    Severity.WARNING,
    regulation.LEVEL3_PREREQUISITE_CITATION,
    "A Level 3 assessment presupposes Final Level 2 (C3PAO) status of its scope. Without evidence of it (result "
    "prop cmmc-level2-final-date, or --level2-final) the status is qualified 'subject to Final Level 2 (C3PAO)'; "
    "told it is missing (--no-level2-final), there is no Level 3 status.",
    FAMILY,
)
L3_LEVEL2_NOT_MET = rule(
    "eligibility-l3-level2-not-met",
    Severity.ERROR,
    regulation.LEVEL3_PREREQUISITE_CITATION,
    "A Level 2 requirement is NOT MET inside a Level 3 assessment: Level 3 presupposes every Level 2 requirement "
    "MET, so there is no Level 3 status.",
    FAMILY,
)
L3_NOT_DIBCAC = rule(
    "eligibility-l3-not-dibcac",
    Severity.ERROR,
    "32 CFR 170.21(a)(3); 48 CFR 204.7501",
    "A Level 3 status is DCMA DIBCAC's (Conditional or Final Level 3 (DIBCAC)): Level 3 results typed self or c3pao "
    "earn no Level 3 status.",
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
EXPIRED = rule(
    "eligibility-expired",
    Severity.ERROR,
    "32 CFR 170.21(b); 48 CFR 204.7502(b)(2)",
    "The assessment earned a Conditional status, but as of the day judged day 180 after the Conditional CMMC Status "
    "Date has passed with no closeout given: the status has expired.",
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


def eligibility(
    assessment: Assessment,
    score: Score | None = None,
    *,
    level2_final: bool | None = None,
    as_of: dt.date | None = None,
) -> Verdict:
    """The status `assessment` earns under 32 CFR 170.21(a), as of `as_of` (None: as of the assessment itself).

    `level2_final`: for Level 3, whether the scope holds Final Level 2 (C3PAO) status; None: the result's
    cmmc-level2-final-date prop says, else it is not known and the status is qualified.
    """
    scored = score if score is not None else compute_score(assessment)
    check = _Check(assessment)
    not_met = assessment.not_met()
    # A NOT MET that could not be placed, or the result's level, type, kind or status date in doubt: no status.
    check.reasons.extend(assessment.blocking)

    unassessed = assessment.not_assessed()
    if unassessed:
        shown = ", ".join(r.label for r in unassessed[:5]) + (", ..." if len(unassessed) > 5 else "")
        closeout_hint = ""
        if assessment.kind == "closeout":
            closeout_hint = "; this result is a closeout: check it against its POA&M with `oscal-poam closeout`"
        check.add(
            INCOMPLETE,
            f"{len(unassessed)} of {len(assessment.requirements)} Level {assessment.level} requirements "
            f"{'is' if len(unassessed) == 1 else 'are'} not assessed ({shown}): no CMMC status rests on an incomplete "
            f"assessment{closeout_hint}",
        )
    if assessment.level == 2 and scored.score is None:
        check.add(NO_SCORE, f"{SSP_REQUIREMENT} System Security Plan is not MET: the assessment could not be completed")

    qualifier = ""
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
            if excluded_from_poam(r.requirement):
                check.add(
                    L3_EXCLUDED,
                    f"{r.name} is NOT MET and may never be on a Level 3 POA&M",
                    subject=r.label,
                    pointer=_pointer(r, assessment),
                )
        qualifier = _level3_prerequisite(check, assessment, level2_final)

    name_type = _assessment_type(check, assessment)
    verdict = judged(
        level=assessment.level,
        assessment_type=assessment.assessment_type or implied_type(assessment.level),
        reasons=check.reasons,
        not_met=not_met,
        status_date=assessment.status_date,
        as_of=as_of,
        basis="results",
        name_type=name_type,
        qualifier=qualifier,
    )
    if verdict.status in ("conditional", "expired"):
        points = sum(r.points_deducted for r in not_met)
        until = f"within {CONDITIONAL_DAYS} days of the Conditional CMMC Status Date"
        if verdict.deadline is not None and assessment.status_date is not None:
            until += f" {assessment.status_date.isoformat()}, by {verdict.deadline.isoformat()}"
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
    if verdict.status == "expired" and as_of is not None and verdict.deadline is not None:
        check.add(
            EXPIRED,
            f"as of {as_of.isoformat()}, day {regulation.day_of(assessment.status_date or as_of, as_of)} after the "
            f"Conditional CMMC Status Date, no closeout is given: the Conditional status expired after "
            f"{verdict.deadline.isoformat()}",
        )
    return replace(verdict, reasons=tuple(check.reasons))


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
    if scored.score is None or meets_threshold(scored.score, scored.maximum):
        return
    check.add(
        which,
        f"score {scored.score} / {scored.maximum} = {scored.score / scored.maximum:.3f} is below "
        f"{float(regulation.THRESHOLD)}: Conditional status needs a score of at least {minimum_score(scored.maximum)}",
    )


def _level2_item(check: _Check, r: RequirementResult, assessment: Assessment) -> None:
    where = _pointer(r, assessment)
    if excluded_from_poam(r.requirement):
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


def _level3_prerequisite(check: _Check, assessment: Assessment, level2_final: bool | None) -> str:
    """Level 3 presupposes Final Level 2 (C3PAO) and every Level 2 requirement MET; the qualifier where unknown."""
    for r in assessment.level2.values():
        if r.status == "not-met":
            check.add(
                L3_LEVEL2_NOT_MET,
                f"{r.name} is NOT MET in this Level 3 assessment: Level 3 presupposes every Level 2 requirement MET "
                f"({regulation.LEVEL3_PREREQUISITE_CITATION}), so there is no Level 3 status",
                subject=r.label,
                pointer=_pointer(r, assessment),
            )
    if level2_final is True:
        return ""
    if level2_final is False:
        check.add(
            L3_PRECONDITION,
            f"the scope has no {regulation.LEVEL3_PREREQUISITE} status: a Level 3 assessment cannot proceed without "
            f"it ({regulation.LEVEL3_PREREQUISITE_CITATION})",
            severity=Severity.ERROR,
        )
        return ""
    evidence = assessment.level2_final
    began = assessment.start or assessment.end
    if evidence is not None and (began is None or regulation.final_still_current(2, evidence, began)):
        return ""
    why = "no result prop " + vocab.LEVEL2_FINAL_DATE + " gives its date"
    if evidence is not None:
        why = (
            f"the {regulation.LEVEL3_PREREQUISITE} status of {evidence.isoformat()} was not current when the Level 3 "
            f"assessment began ({began.isoformat() if began else 'unknown'})"
        )
    check.add(
        L3_PRECONDITION,
        f"a Level 3 status presupposes {regulation.LEVEL3_PREREQUISITE} of the same scope "
        f"({regulation.LEVEL3_PREREQUISITE_CITATION}), and {why}: the status stands "
        f"{regulation.LEVEL3_QUALIFIER}",
    )
    return regulation.LEVEL3_QUALIFIER


def _assessment_type(check: _Check, assessment: Assessment) -> str | None:
    """The type the status is named with: the result's where it fits its level, else the level's only type.

    Warns when it is missing at Level 2 or does not fit; at Level 3 a type other than dibcac is an error.
    """
    allowed = regulation.TYPES_BY_LEVEL[assessment.level]
    given = assessment.assessment_type
    if given is None:
        if len(allowed) > 1:
            check.add(
                ASSESSMENT_TYPE,
                f"the result has no {vocab.ASSESSMENT_TYPE} prop: a Level 2 assessment is self or c3pao, and the "
                "status cannot be named Self or C3PAO without it",
            )
        return None
    if given in allowed:
        return given
    if assessment.level == 3:
        check.add(
            L3_NOT_DIBCAC,
            f"{vocab.ASSESSMENT_TYPE} is {given!r}: a Level 3 status is named (DIBCAC) only when DCMA DIBCAC performed "
            "the assessment, so these results earn no Level 3 status",
        )
        return None
    check.add(
        ASSESSMENT_TYPE,
        f"{vocab.ASSESSMENT_TYPE} is {given!r}, but a Level {assessment.level} assessment is {' or '.join(allowed)}",
    )
    return None
