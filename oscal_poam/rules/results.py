"""Rules met while reading CMMC determinations out of OSCAL assessment results.

`oscal_poam.facts.results.read_assessment` yields these; they say where a results document does not
follow docs/conventions.md and which reading the tool chose instead (always the one that does not
overstate compliance).
"""

from __future__ import annotations

from oscal_poam.cmmc.regulation import CONDITIONAL_DAYS, STATUS_DATE_LATE_DAYS
from oscal_poam.diagnostics import Severity
from oscal_poam.rules.registry import rule

FAMILY = "results"

NOT_ASSESSED = rule(
    "score-requirement-not-assessed",
    Severity.ERROR,
    "32 CFR 170.24(b)",
    "A requirement of the level has no finding in the result: it is not assessed, never silently MET.",
    "scoring",
)
NO_FINDINGS = rule(
    "results-no-findings",
    Severity.ERROR,
    "32 CFR 170.24(b)",
    "The result holds no findings, so no requirement of the level is assessed.",
    FAMILY,
)
LEVEL_UNKNOWN = rule(
    "results-level-unknown",
    Severity.ERROR,
    "",
    "The result has no cmmc-level prop and its findings target no CMMC requirement, so the level is unknown.",
    FAMILY,
)
LEVEL_MISMATCH = rule(
    "results-level-mismatch",
    Severity.WARNING,
    "",
    "The level asked for differs from the result's cmmc-level prop, or findings target another level's catalog.",
    FAMILY,
)
PROP_INVALID = rule(
    "results-prop-invalid",
    Severity.WARNING,
    "",
    "A CMMC prop has a value docs/conventions.md does not define, or lacks the urn:oscal-poam:cmmc namespace.",
    FAMILY,
)
UNKNOWN_TARGET = rule(
    "results-unknown-target",
    Severity.WARNING,
    "32 CFR 170.24(b)(2)",
    "A finding targets no requirement or objective of the level's catalog (an unknown id, an objective letter the "
    "requirement does not have) and is left out; an error when the finding is not satisfied: the NOT MET it records "
    "cannot be placed, and no Final or Conditional status rests on an assessment that loses one.",
    FAMILY,
)
FINDING_NO_STATE = rule(
    "results-finding-no-state",
    Severity.ERROR,
    "32 CFR 170.24(b)",
    "A finding's target has no status state (satisfied or not-satisfied), so it determines nothing.",
    FAMILY,
)
CONTRADICTORY = rule(
    "results-contradictory-props",
    Severity.ERROR,
    "32 CFR 170.24(b)",
    "A requirement's findings say contradictory things (N/A or a MET basis on a not-satisfied finding, partial "
    "credit on a satisfied requirement, two partial values); the reading that deducts more points is kept.",
    FAMILY,
)
PARTIAL_NOT_ALLOWED = rule(
    "results-partial-not-allowed",
    Severity.WARNING,
    "32 CFR 170.24(c)(2)(i)(B)(4)",
    "A cmmc-partial value on a requirement that has no such partial credit: the full points are deducted.",
    FAMILY,
)
PROP_DUPLICATED = rule(
    "results-prop-duplicated",
    Severity.ERROR,
    "docs/conventions.md (Assessment results)",
    "A CMMC prop (level, assessment type, kind, status date) is given twice on one result with different values; "
    "neither is read, since the verdict must not depend on the order of props, and no status rests on it.",
    FAMILY,
)
OBJECTIVES_INCOMPLETE = rule(
    "results-objectives-incomplete",
    Severity.ERROR,
    "32 CFR 170.24(b)(1)",
    "A requirement is assessed by findings on its objectives, but not on all of them: 'All applicable objectives' "
    "decide MET, so the requirement is not assessed.",
    FAMILY,
)
STATUS_DATE_BEFORE_START = rule(
    "results-status-date-before-start",
    Severity.ERROR,
    "32 CFR 170.21(b)",
    "The Conditional CMMC Status Date is before the assessment began.",
    FAMILY,
)
STATUS_DATE_LATE = rule(
    "results-status-date-late",
    Severity.WARNING,
    "32 CFR 170.21(b)",
    f"The Conditional CMMC Status Date is more than {STATUS_DATE_LATE_DAYS} days after the assessment ended, which "
    f"moves the {CONDITIONAL_DAYS}-day deadline later than the results support.",
    FAMILY,
)
FINDINGS_DISAGREE = rule(
    "results-findings-disagree",
    Severity.WARNING,
    "32 CFR 170.24(c)(2)(i)(B)(4)",
    "A requirement's findings disagree on its partial credit (one gives cmmc-partial, another records a plain NOT "
    "MET): the stricter reading, the full points, is kept.",
    FAMILY,
)
