"""Rules met while reading CMMC determinations out of OSCAL assessment results.

`oscal_poam.cmmc.assessment.read_assessment` yields these; they say where a results document does not
follow docs/conventions.md and which reading the tool chose instead (always the one that does not
overstate compliance).
"""

from __future__ import annotations

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
    "",
    "A finding targets no requirement or objective of the level's catalog and is left out "
    "(an error when the finding is not satisfied: a NOT MET would be lost).",
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
