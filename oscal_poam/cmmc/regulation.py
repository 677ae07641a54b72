"""32 CFR Part 170 and 48 CFR 204.7501 as data: every number, list and test the tool applies, with its citation.

This module is the one place the regulation lives. The rules, the scoring, the verdicts, the POA&M builders and
the reports ask it; none holds a copy. The rule text it follows is quoted, with how sure the project is of each
paragraph, in the reference material (`reference/cmmc/rules.md`); where this module and that text disagree, the
text wins and this module is wrong.

The requirements themselves (ids, titles, point values, objectives) are data in the shipped catalogs
(`oscal_poam.cmmc.catalog`); what the regulation says about them is here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from oscal_poam.cmmc import vocab

if TYPE_CHECKING:
    from oscal_poam.cmmc.catalog import Requirement

# --- Levels and their maximum scores -------------------------------------------------------------------------

LEVELS: tuple[int, ...] = (1, 2, 3)
"""The CMMC levels (32 CFR 170.14(c))."""

MAXIMUM_SCORE: dict[int, int] = {1: 15, 2: 110, 3: 24}
"""The number of requirements of each level, the score when all are MET.

Level 1: the 15 requirements of 48 CFR 52.204-21(b)(1)(i)-(xv) (32 CFR 170.14(c)(2)); Level 2: the 110 of
NIST SP 800-171 R2 (170.14(c)(3), 170.24(c)(2)); Level 3: the 24 of Table 1 to 170.14(c)(4) (170.24(c)(3)).
The shipped catalogs are checked against these counts when they are read."""

MAXIMUM_CITATION: dict[int, str] = {
    1: "32 CFR 170.24(c)(1)",
    2: "32 CFR 170.24(c)(2)",
    3: "32 CFR 170.24(c)(3)",
}

SCORED_AS_WHOLE_CITATION = "32 CFR 170.24(c)(1)"
"""'self-assessment results are scored as MET or NOT MET in their entirety' (Level 1)."""


def scored_in_points(level: int) -> bool:
    """Does an assessment of `level` have a score in points? Level 1 is MET or NOT MET in its entirety
    (170.24(c)(1)); Levels 2 and 3 score points against a maximum (170.24(c)(2), (c)(3))."""
    return level != 1


# --- Findings: MET, NOT MET, N/A -----------------------------------------------------------------------------

Determination = Literal["met", "not-met", "not-applicable", "not-assessed"]

MET_CITATION = "32 CFR 170.24(b)(1)"
"""'All applicable objectives for the security requirement are satisfied based on evidence.'"""
NOT_MET_CITATION = "32 CFR 170.24(b)(2)"
"""'One or more applicable objectives for the security requirement is not satisfied.'"""
NOT_APPLICABLE_CITATION = "32 CFR 170.24(b)(3)"
"""'an assessment objective assessed as N/A is equivalent to the same assessment objective being assessed as MET.'"""


def combine(determinations: Iterable[Determination]) -> Determination:
    """The determination of a requirement from those of all of its objectives (170.24(b)(1)-(3)).

    NOT MET when one objective is NOT MET; N/A only when every objective is N/A; MET when every objective is MET
    or N/A (an N/A objective counts as MET, so one N/A objective does not make the requirement N/A); not
    assessed when any objective is not assessed and none is NOT MET: an objective never assessed is never MET.
    """
    found = list(determinations)
    if not found:
        return "not-assessed"
    if "not-met" in found:
        return "not-met"
    if "not-assessed" in found:
        return "not-assessed"
    if all(d == "not-applicable" for d in found):
        return "not-applicable"
    return "met"


def counts_as_met(determination: Determination) -> bool:
    """MET or N/A: 'an assessment objective assessed as N/A is equivalent to ... MET' (170.24(b)(3))."""
    return determination in ("met", "not-applicable")


MetBasis = Literal["enduring-exception", "temporary-deficiency", "dod-cio-adjudication"]

MET_BASES: dict[str, str] = {
    "enduring-exception": "32 CFR 170.24(b)(1)(i)",
    "temporary-deficiency": "32 CFR 170.24(b)(1)(ii)",
    "dod-cio-adjudication": "32 CFR 170.24(c)(2)(i)(B)(8)",
}
"""The ways a requirement with a known gap is assessed as MET, and the paragraph that allows each."""

TEMPORARY_DEFICIENCY = "temporary-deficiency"
TEMPORARY_DEFICIENCY_CITATION = "32 CFR 170.4 (temporary deficiency)"
"""'A temporary deficiency is not based on an "in progress" initial implementation of a CMMC security requirement
but arises after implementation': a POA&M item, an initial implementation in progress, is never closed as one."""

# --- Points (Level 2) ----------------------------------------------------------------------------------------

PARTIAL_CREDIT: dict[str, str] = {
    "IA.L2-3.5.3": vocab.PARTIAL_MFA,
    "SC.L2-3.13.11": vocab.PARTIAL_ENCRYPTION,
}
"""The only partial states 32 CFR 170.24(c)(2)(i)(B)(4) gives a value: requirement -> its cmmc-partial value
(the spelling is the conventions', `oscal_poam.cmmc.vocab`).
Any other partial implementation of these two has no defined value and deducts the full points."""

PARTIAL_CITATION: dict[str, str] = {
    vocab.PARTIAL_MFA: "32 CFR 170.24(c)(2)(i)(B)(4)(i)",
    vocab.PARTIAL_ENCRYPTION: "32 CFR 170.24(c)(2)(i)(B)(4)(ii)",
}
PARTIAL_CREDIT_CITATION = "32 CFR 170.24(c)(2)(i)(B)(4)"

SSP_REQUIREMENT = "CA.L2-3.12.4"
"""32 CFR 170.24(c)(2)(i)(B)(5): it has no point value, and without it MET the assessment cannot be completed."""
SSP_CITATION = "32 CFR 170.24(c)(2)(i)(B)(5)"
SSP_FINDING = (
    "an assessment could not be completed due to incomplete information and noncompliance with 48 CFR 252.204-7012"
)
"""The finding the rule prescribes when the SSP is absent or out of date."""


def full_points(requirement: Requirement) -> int:
    """What NOT MET deducts at full value.

    Level 2: the catalog's value, 5, 3 or 1 (170.24(c)(2)(i)(B)(1)-(3)), none for CA.L2-3.12.4 ((B)(5)).
    Level 3: 1 for each requirement (170.24(c)(3)). Level 1: each requirement counts 1 towards the all-or-nothing
    MET (170.24(c)(1)).
    """
    if requirement.level == 2:
        return requirement.points or 0
    return requirement.points if requirement.level == 3 and requirement.points is not None else 1


def partial_points(requirement: Requirement, partial: str | None) -> int | None:
    """The reduced value of a NOT MET requirement in its one defined partial state, else None."""
    if partial is None or PARTIAL_CREDIT.get(requirement.label) != partial:
        return None
    return requirement.partial_points


# --- Threshold -----------------------------------------------------------------------------------------------

THRESHOLD = Fraction(8, 10)
"""32 CFR 170.21(a)(2)(i), (a)(3)(i): 'The assessment score divided by the total number of CMMC Level 2 [3]
security requirements is greater than or equal to 0.8'; compared exactly, in fractions."""

THRESHOLD_CITATION: dict[int, str] = {2: "32 CFR 170.21(a)(2)(i)", 3: "32 CFR 170.21(a)(3)(i)"}


def meets_threshold(score: int, maximum: int) -> bool:
    """score / maximum >= 0.8."""
    return Fraction(score, maximum) >= THRESHOLD


def minimum_score(maximum: int) -> int:
    """The least integer score with score / maximum >= 0.8: 88 of 110, 20 of 24."""
    return -(-maximum * THRESHOLD.numerator // THRESHOLD.denominator)


def passing_score(level: int) -> int:
    """The least score that earns a status: every requirement at Level 1 (170.24(c)(1)), else 0.8 of the maximum."""
    maximum = MAXIMUM_SCORE[level]
    return maximum if level == 1 else minimum_score(maximum)


# --- POA&M eligibility (32 CFR 170.21(a)) --------------------------------------------------------------------

POAM_ALLOWED: dict[int, bool] = {1: False, 2: True, 3: True}
"""170.21(a)(1): 'A POA&M is not permitted at any time for Level 1 self-assessments.'"""
NO_POAM_AT_LEVEL_1 = "32 CFR 170.21(a)(1)"

L2_POAM_MAX_POINTS = 1
"""170.21(a)(2)(ii): 'None of the security requirements included in the POA&M have a point value of greater than
1', except SC.L2-3.13.11 at 3 when encryption is employed but not FIPS-validated."""
L2_POAM_EXCEPTION = "SC.L2-3.13.11"
L2_POAM_EXCEPTION_STATE = vocab.PARTIAL_ENCRYPTION
L2_POINT_VALUE_CITATION = "32 CFR 170.21(a)(2)(ii)"

L2_POAM_EXCLUDED: tuple[str, ...] = (
    "AC.L2-3.1.20",
    "AC.L2-3.1.22",
    "CA.L2-3.12.4",
    "PE.L2-3.10.3",
    "PE.L2-3.10.4",
    "PE.L2-3.10.5",
)
"""32 CFR 170.21(a)(2)(iii): never on a Level 2 POA&M."""
L2_EXCLUDED_CITATION = "32 CFR 170.21(a)(2)(iii)"

L3_POAM_EXCLUDED: tuple[str, ...] = (
    "IR.L3-3.6.1e",
    "IR.L3-3.6.2e",
    "RA.L3-3.11.1e",
    "RA.L3-3.11.6e",
    "RA.L3-3.11.7e",
    "RA.L3-3.11.4e",
    "SI.L3-3.14.3e",
)
"""32 CFR 170.21(a)(3)(ii): never on a Level 3 POA&M."""
L3_EXCLUDED_CITATION = "32 CFR 170.21(a)(3)(ii)"

POAM_FOR_EVERY_NOT_MET = "32 CFR 170.24(c)(2)(i)(B)(6)"
"""'For each NOT MET security requirement the OSA must have a POA&M in place.'"""


def excluded_from_poam(requirement: Requirement) -> bool:
    """One of the requirements 170.21(a)(2)(iii) or (a)(3)(ii) names: never on a POA&M."""
    return requirement.label in (L2_POAM_EXCLUDED if requirement.level == 2 else L3_POAM_EXCLUDED)


def poam_eligible(requirement: Requirement, points_deducted: int, partial: str | None) -> bool:
    """May this requirement, NOT MET with these points (and this partial state), sit on a POA&M (170.21(a))."""
    if not POAM_ALLOWED[requirement.level]:
        return False
    if excluded_from_poam(requirement):
        return False
    if requirement.level == 3:
        return True
    if points_deducted <= L2_POAM_MAX_POINTS:
        return True
    return requirement.label == L2_POAM_EXCEPTION and partial == L2_POAM_EXCEPTION_STATE


# --- Assessment types, parties and status names --------------------------------------------------------------

AssessmentType = Literal["self", "c3pao", "dibcac"]
ASSESSMENT_TYPES: tuple[str, ...] = ("self", "c3pao", "dibcac")
ASSESSMENT_KINDS: tuple[str, ...] = ("initial", "closeout")

TYPE_NAMES: dict[str, str] = {"self": "Self", "c3pao": "C3PAO", "dibcac": "DIBCAC"}
"""How 48 CFR 204.7501 writes each assessment type in a status name."""

TYPES_BY_LEVEL: dict[int, tuple[str, ...]] = {1: ("self",), 2: ("self", "c3pao"), 3: ("dibcac",)}
"""Who performs an assessment of each level: Level 1 is a self-assessment (170.15), Level 2 a self-assessment
(170.16) or a C3PAO's certification assessment (170.17), Level 3 DCMA DIBCAC's (170.18, 170.21(a)(3))."""
TYPES_CITATION = "48 CFR 204.7501"


def implied_type(level: int) -> str | None:
    """The only type an assessment of `level` can have (self at Level 1, dibcac at Level 3); None at Level 2."""
    choices = TYPES_BY_LEVEL[level]
    return choices[0] if len(choices) == 1 else None


def type_fits(level: int, assessment_type: str) -> bool:
    return assessment_type in TYPES_BY_LEVEL[level]


@dataclass(frozen=True)
class Party:
    """Who performs a POA&M closeout assessment."""

    assessment_type: str
    citation: str
    who: str
    does: str
    """How the rule words the closeout this party performs, for the verification task."""


CLOSEOUT_PARTY: dict[tuple[int, str], Party] = {
    (2, "self"): Party(
        "self",
        "32 CFR 170.21(b)(1)",
        "the OSA itself, in the same manner as the initial self-assessment",
        "the OSA's POA&M closeout self-assessment, performed in the same manner as the initial self-assessment",
    ),
    (2, "c3pao"): Party(
        "c3pao",
        "32 CFR 170.21(b)(2)",
        "an authorized or accredited C3PAO",
        "a POA&M closeout assessment by an authorized or accredited C3PAO",
    ),
    (3, "dibcac"): Party(
        "dibcac",
        "32 CFR 170.21(b)(3)",
        "DCMA DIBCAC",
        "the POA&M closeout certification assessment by DCMA DIBCAC",
    ),
}
"""(level, initial assessment type) -> who performs the closeout (170.21(b)(1)-(3)). Level 1 has no closeout."""

CLOSEOUT_CITATION = "32 CFR 170.21(b)"

StatusKind = Literal["final", "conditional"]

STATUSES: tuple[str, ...] = (
    "Final Level 1 (Self)",
    "Conditional Level 2 (Self)",
    "Final Level 2 (Self)",
    "Conditional Level 2 (C3PAO)",
    "Final Level 2 (C3PAO)",
    "Conditional Level 3 (DIBCAC)",
    "Final Level 3 (DIBCAC)",
)
"""48 CFR 204.7501: 'The potential statuses are as follows: (1) Final Level 1 (Self). ... (7) Final Level 3
(DIBCAC).' There is no Conditional Level 1."""
STATUS_CITATION = "48 CFR 204.7501"
NO_STATUS = "No CMMC status"


def conditional_allowed(level: int) -> bool:
    """Level 1 has no Conditional status (170.21(a)(1); 48 CFR 204.7502(b)(2))."""
    return POAM_ALLOWED[level]


def status_name(status: str, level: int, assessment_type: str | None) -> str:
    """`Final Level 2 (Self)`, `Conditional Level 3 (DIBCAC)`, ... as 48 CFR 204.7501 lists them.

    A status the rule does not list (Conditional Level 1) is 'No CMMC status'. With no assessment type at
    Level 2 the name has no suffix (`Final Level 2`): the status stands, but whose it is cannot be said.
    """
    if status not in ("final", "conditional"):
        return NO_STATUS
    if status == "conditional" and not conditional_allowed(level):
        return NO_STATUS
    kind = assessment_type if assessment_type is not None else implied_type(level)
    if kind is not None and not type_fits(level, kind):
        return NO_STATUS
    name = f"{status.capitalize()} Level {level}"
    if kind is None:
        return name
    named = f"{name} ({TYPE_NAMES[kind]})"
    return named if named in STATUSES else NO_STATUS


def expired_name(level: int, assessment_type: str | None) -> str:
    """What a Conditional status that was not closed out in time has become."""
    return f"{NO_STATUS} ({status_name('conditional', level, assessment_type)} expired)"


# --- Level 3 presupposes Final Level 2 (C3PAO) ---------------------------------------------------------------

LEVEL3_PREREQUISITE = "Final Level 2 (C3PAO)"
LEVEL3_PREREQUISITE_CITATION = "32 CFR 170.24(c)(3); 32 CFR 170.18"
"""170.24(c)(3): 'A maximum score on the Level 2 certification assessment is required to be eligible to initiate a
Level 3 certification assessment.' DoD's Level 3 guide quotes 170.18: 'The OSC must have achieved a CMMC Status
of Final Level 2 (C3PAO) of all systems included within the Level 3 CMMC Assessment Scope prior to requesting the
Level 3 assessment.' A Final Level 2 (Self) does not qualify."""
LEVEL3_QUALIFIER = f"subject to {LEVEL3_PREREQUISITE}"

FINAL_VALIDITY_YEARS: dict[int, int] = {1: 1, 2: 3, 3: 3}
"""48 CFR 204.7501 ('current'): a Final Level 1 (Self) status is not older than 1 year, a Final Level 2 or 3 not
older than 3 years."""


def final_still_current(level: int, status_day: dt.date, on: dt.date) -> bool:
    """Is a Final status of `level` dated `status_day` still current on `on`."""
    years = FINAL_VALIDITY_YEARS[level]
    try:
        expires = status_day.replace(year=status_day.year + years)
    except ValueError:  # 29 February
        expires = status_day.replace(year=status_day.year + years, day=28)
    return status_day <= on <= expires


# --- The 180 days (32 CFR 170.21(b)) -------------------------------------------------------------------------

CONDITIONAL_DAYS = 180
"""'The closing of a POA&M must be confirmed by a POA&M closeout assessment within 180-days of the Conditional CMMC
Status Date. If the POA&M is not successfully closed out within the 180-day timeframe, the Conditional CMMC Status
for the information system will expire.' (170.21(b); 48 CFR 204.7502(b)(2))"""
PRACTICAL_DEADLINE_DAY = 120
"""Assessor practice: by day 120 remediation should be done, leaving time for the closeout."""
EVIDENCE_DAY = 150
"""Assessor practice: by day 150 closeout evidence should be submitted."""
CHECKPOINT_CITATION = "assessor practice (CMMC Assessment Process)"

STATUS_DATE_LATE_DAYS = 30
"""A Conditional CMMC Status Date more than this many days after the assessment ended is suspicious: the status
date is the day the assessment's results are final, not a later day chosen to move the deadline."""


def deadline(status_date: dt.date) -> dt.date:
    """Day 180 after the Conditional CMMC Status Date: the last day a closeout may end."""
    return status_date + dt.timedelta(days=CONDITIONAL_DAYS)


def deadline_instant(status_date: dt.date, zone: dt.tzinfo | None) -> dt.datetime:
    """The end of day 180 (its last second), in the time zone of the Conditional CMMC Status Date (UTC if none)."""
    return dt.datetime.combine(deadline(status_date), dt.time(23, 59, 59), tzinfo=zone or dt.UTC)


def start_instant(status_date: dt.date, zone: dt.tzinfo | None) -> dt.datetime:
    """The first instant of the Conditional CMMC Status Date, in its time zone (UTC if none)."""
    return dt.datetime.combine(status_date, dt.time(0, 0), tzinfo=zone or dt.UTC)


def day_of(status_date: dt.date, day: dt.date) -> int:
    """Which day after the Conditional CMMC Status Date `day` is (day 180 is the deadline)."""
    return (day - status_date).days


def expired_on(status_date: dt.date, as_of: dt.date) -> bool:
    """Has a Conditional status of `status_date` expired by `as_of` (day 181 or later) without a closeout."""
    return as_of > deadline(status_date)
