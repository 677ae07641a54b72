"""The names this project reads and writes in OSCAL documents.

docs/conventions.md explains each place; code refers to these constants only,
so that derive, the rules and the spreadsheet importer agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

NS = "urn:oscal-poam:cmmc"
"""The namespace of every prop this project defines."""
CMMC_PREFIX = "cmmc-"
"""The prefix of every prop that records a CMMC fact (in NS; the `legacy-` props keep spreadsheet columns)."""

# Catalog control props.
LABEL = "label"  # OSCAL's own (no namespace): the official id, AC.L2-3.1.1
SORT_ID = "sort-id"  # OSCAL's own (no namespace): orders controls within a family, 03.01.01
POINTS = "points"  # value subtracted when NOT MET; absent for CA.L2-3.12.4
PARTIAL_POINTS = "partial-points"  # 3 for IA.L2-3.5.3 and SC.L2-3.13.11
REQUIREMENT_TYPE = "requirement-type"  # basic | derived
LEVEL1_ID = "level1-id"  # the Level 1 requirement a Level 2 one maps to
LEVEL2_ID = "level2-id"  # on a Level 1 requirement: each Level 2 (SP 800-171 R2) requirement it maps to
POAM_ELIGIBLE = "poam-eligible"  # yes | no | conditional
SCORING_CITATION = "scoring-citation"

# Assessment results: on each result.
LEVEL = "cmmc-level"  # 1 | 2 | 3
ASSESSMENT_TYPE = "cmmc-assessment-type"  # self | c3pao | dibcac
ASSESSMENT_KIND = "cmmc-assessment-kind"  # initial | closeout
STATUS_DATE = "cmmc-status-date"  # overrides the result's end as Conditional CMMC Status Date
LEVEL2_FINAL_DATE = "cmmc-level2-final-date"  # Level 3: the date of the scope's Final Level 2 (C3PAO) status

# Assessment results: on each finding.
DETERMINATION = "cmmc-determination"  # not-applicable
NOT_APPLICABLE = "not-applicable"  # the one value of DETERMINATION
PARTIAL = "cmmc-partial"  # mfa-remote-and-privileged-only | encryption-not-fips-validated
MET_BASIS = "cmmc-met-basis"  # enduring-exception | temporary-deficiency | dod-cio-adjudication

PARTIAL_MFA = "mfa-remote-and-privileged-only"
PARTIAL_ENCRYPTION = "encryption-not-fips-validated"

# POA&M metadata (so that a closeout needs only the POA&M and the closeout results).
# LEVEL, ASSESSMENT_TYPE and STATUS_DATE are reused there.

# POA&M items.
REQUIREMENT = "cmmc-requirement"  # official id, AC.L2-3.1.20
POINTS_DEDUCTED = "cmmc-points-deducted"
ITEM_ELIGIBLE = "cmmc-poam-eligible"  # yes | no
PARTIAL_STATE = "cmmc-partial-state"  # none | one of the PARTIAL values
ROOT_CAUSE = "cmmc-root-cause"

# Tasks of the planned remediation.
TASK_PURPOSE = "cmmc-task-purpose"  # verification (milestones are tasks of type milestone)
MILESTONE_STATUS = "cmmc-milestone-status"  # pending | completed
COMPLETED_ON = "cmmc-completed-on"  # YYYY-MM-DD
OWNER_ROLE = "remediation-owner"  # role-id of the owner in responsible-roles
EVIDENCE_REL = "evidence"  # link rel of closure evidence

# Automated verification (`oscal-poam verify`; docs/conventions.md, "Automated verification").
# verification-task prop, repeatable: prowler:<check>, sarif:<tool>/<rule>, oscal:<finding target>
VERIFICATION_CHECK = "cmmc-verification-check"
VERIFICATION_STATE = "cmmc-verification-state"  # verification-task prop written by verify: passed | failed | not-run
VERIFICATION_RESULT = "cmmc-verification-result"  # observation prop: passed | failed; subject prop: pass | fail
VERIFIED = "verified"  # the LOG_EVENT of a risk-log entry verify writes
RECORDED_BY = "cmmc-recorded-by"  # prop on the definitions and back-matter resources verify records

# Kept columns from legacy spreadsheets.
LEGACY_COLUMN_PREFIX = "legacy-"
LEGACY_SHEET = "legacy-sheet"  # item prop: the sheet the item was read from
LEGACY_CONTROLS = "legacy-controls"  # item prop: the controls cell as written, when it says more than the ids
LEGACY_STATUS = "legacy-status"  # item or milestone-task prop: the status words as written
LEGACY_MILESTONE_ID = "legacy-milestone-id"  # milestone-task prop
LEGACY_POAM_ID = "legacy-poam-id"  # item prop: the spreadsheet's POA&M ID
POAM_ID = "POAM-ID"  # item prop in FedRAMP's namespace: the POA&M ID of FedRAMP's OSCAL POA&Ms

# Risk-log entries written from spreadsheet dates.
LOG_EVENT = "cmmc-log-event"  # detected | status | completed | verified


def _matching(props: Any, name: str, ns: str | None) -> Iterator[str]:
    for prop in props or []:
        prop_ns = str(prop.ns) if getattr(prop, "ns", None) is not None else None
        if prop.name == name and prop_ns == ns:
            value = prop.value
            while hasattr(value, "root"):
                value = value.root
            yield str(value)


def prop_value(props: Any, name: str, ns: str | None = NS) -> str | None:
    """The value of the first prop called `name` in namespace `ns` (None: OSCAL's own)."""
    return next(_matching(props, name, ns), None)


def prop_values(props: Any, name: str, ns: str | None = NS) -> list[str]:
    """The values of every prop called `name` in namespace `ns`, in document order."""
    return list(_matching(props, name, ns))
