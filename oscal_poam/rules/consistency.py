"""The POA&M against the assessment results, and each item against POA&M eligibility (32 CFR 170.21(a)).

Every NOT MET requirement must have a POA&M item (170.24(c)(2)(i)(B)(6)); an item for a requirement the
results find MET is out of place; and no item may hold a requirement that 170.21(a) keeps off a POA&M.
Without results, eligibility is judged from the catalog and the item's own cmmc-partial-state.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oscal_poam.cmmc import regulation, vocab
from oscal_poam.cmmc.regulation import L2_POAM_EXCEPTION, L2_POAM_EXCLUDED, L3_POAM_EXCLUDED
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.facts.poam import PoamFacts, PoamItemView, pointer
from oscal_poam.rules.registry import rule

if TYPE_CHECKING:
    from oscal_poam.facts.results import Assessment, RequirementResult

FAMILY = "poam-results"

MISSING_ITEM = rule(
    "poam-missing-item",
    Severity.ERROR,
    "32 CFR 170.24(c)(2)(i)(B)(6)",
    "For each NOT MET security requirement the OSA must have a POA&M in place: every NOT MET requirement "
    "in the results has a POA&M item.",
    FAMILY,
)
ITEM_FOR_MET = rule(
    "poam-item-for-met-requirement",
    Severity.WARNING,
    "32 CFR 170.24(b)(1)",
    "An open POA&M item is for a requirement the results find MET (or N/A).",
    FAMILY,
)
NOT_ELIGIBLE = rule(
    "poam-item-not-eligible",
    Severity.ERROR,
    "32 CFR 170.21(a)(2)(ii)-(iii)",
    "A Level 2 POA&M item holds a requirement worth more than 1 point (other than SC.L2-3.13.11 at 3 with "
    "encryption employed but not FIPS-validated) or one of the six never permitted on a POA&M.",
    FAMILY,
)
NOT_ELIGIBLE_L3 = rule(
    "poam-item-not-eligible-level-3",
    Severity.ERROR,
    "32 CFR 170.21(a)(3)(ii)",
    "A Level 3 POA&M item holds one of the seven requirements never permitted on a Level 3 POA&M.",
    FAMILY,
)
LEVEL_1_ITEM = rule(
    "poam-item-level-1",
    Severity.ERROR,
    "32 CFR 170.21(a)(1)",
    "A POA&M item holds a Level 1 requirement: a POA&M is not permitted at any time for Level 1.",
    FAMILY,
)
POINTS_MISMATCH = rule(
    "poam-item-points-mismatch",
    Severity.WARNING,
    "32 CFR 170.24(c)(2)",
    "An item's cmmc-points-deducted agrees with the points the results deduct for its requirement.",
    FAMILY,
)
LEVEL_MISMATCH = rule(
    "poam-level-mismatch",
    Severity.ERROR,
    regulation.CLOSEOUT_CITATION,
    "The POA&M's cmmc-level agrees with the level of the assessment results: the level decides what may be on the "
    "POA&M and who closes it out.",
    FAMILY,
)
TYPE_MISMATCH = rule(
    "poam-assessment-type-mismatch",
    Severity.ERROR,
    "32 CFR 170.21(b)(1)-(3)",
    "The POA&M's cmmc-assessment-type agrees with the results': the type of the initial assessment decides who must "
    "perform the closeout (the OSA itself, a C3PAO, or DCMA DIBCAC).",
    FAMILY,
)

ITEMS_POINTER = pointer("poam-items")


def against_results(facts: PoamFacts, assessment: Assessment) -> list[Diagnostic]:
    """The POA&M `facts` against `assessment` (an initial assessment of the same level)."""
    document = facts.document
    found: list[Diagnostic] = []
    if facts.level is not None and facts.level != assessment.level:
        found.append(
            LEVEL_MISMATCH.diag(
                f"the POA&M is for Level {facts.level}, the results for Level {assessment.level}",
                pointer("metadata", "props"),
                document,
            )
        )
    recorded, given = facts.assessment_type, assessment.assessment_type
    if recorded is not None and given is not None and recorded != given:
        found.append(
            TYPE_MISMATCH.diag(
                f"the POA&M records {vocab.ASSESSMENT_TYPE} {recorded!r}, the results {given!r}: the closeout of a "
                f"{regulation.TYPE_NAMES[recorded]} assessment and of a {regulation.TYPE_NAMES[given]} one are "
                "performed by different parties (32 CFR 170.21(b))",
                pointer("metadata", "props"),
                document,
            )
        )
    items: dict[str, list[PoamItemView]] = {}
    for view in facts.items:
        if view.requirement is not None:
            items.setdefault(view.requirement.control_id, []).append(view)
    for control_id, result in assessment.requirements.items():
        here = items.get(control_id, [])
        if result.status == "not-met" and not here:
            found.append(
                MISSING_ITEM.diag(
                    f"{result.name} is NOT MET in {assessment.document or 'the results'} but has no POA&M item",
                    ITEMS_POINTER,
                    document,
                    result.label,
                )
            )
        for view in here:
            found.extend(_item_against(view, result, document))
    return found


def _item_against(view: PoamItemView, result: RequirementResult, document: str) -> Iterator[Diagnostic]:
    if result.status in ("met", "not-applicable") and not view.is_closed:
        state = "MET" if result.status == "met" else "N/A"
        basis = f" ({result.met_basis})" if result.met_basis else ""
        yield ITEM_FOR_MET.diag(
            f"the results find {result.label} {state}{basis}, yet this item is open",
            view.pointer,
            document,
            view.subject,
        )
    if result.status != "not-met":
        return
    declared = vocab.prop_value(view.item.props, vocab.POINTS_DEDUCTED)
    if declared is not None and declared.strip() != str(result.points_deducted):
        yield POINTS_MISMATCH.diag(
            f"the item says {declared.strip()} point{'' if declared.strip() == '1' else 's'} deducted, the results "
            f"deduct {result.points_deducted}",
            f"{view.pointer}/props",
            document,
            view.subject,
        )


def item_eligibility(
    facts: PoamFacts, assessment: Assessment | None = None, *, level: int | None = None
) -> list[Diagnostic]:
    """Items whose requirement 32 CFR 170.21(a) keeps off a POA&M.

    With results, their NOT MET reading decides (partial credit included); without, the catalog's
    poam-eligible value and, for SC.L2-3.13.11, the item's cmmc-partial-state.
    """

    document = facts.document
    chosen = level or facts.level or (assessment.level if assessment is not None else None)
    found: list[Diagnostic] = []
    for view in facts.items:
        requirement = view.requirement
        if requirement is None or view.is_closed:
            continue
        label = requirement.label
        result = assessment.requirements.get(requirement.control_id) if assessment is not None else None
        if result is not None and result.status in ("met", "not-applicable"):
            continue  # poam-item-for-met-requirement speaks
        severity: Severity | None = None
        which = NOT_ELIGIBLE
        if chosen == 1 or requirement.level == 1:
            which, reason = LEVEL_1_ITEM, "no POA&M is permitted at any time for Level 1 (32 CFR 170.21(a)(1))"
        elif label in L2_POAM_EXCLUDED:
            reason = "it is one of the six requirements never on a Level 2 POA&M (32 CFR 170.21(a)(2)(iii))"
        elif label in L3_POAM_EXCLUDED:
            which = NOT_ELIGIBLE_L3
            reason = "it is one of the seven requirements never on a Level 3 POA&M (32 CFR 170.21(a)(3)(ii))"
        elif requirement.level == 3:
            continue
        elif result is not None and result.status == "not-met":
            if result.poam_eligible:
                continue
            reason = (
                f"the results deduct {result.points_deducted} points, and a POA&M holds only 1-point requirements "
                f"and {L2_POAM_EXCEPTION} at 3 with encryption employed but not FIPS-validated "
                "(32 CFR 170.21(a)(2)(ii))"
            )
        elif requirement.poam_eligible == "no":
            reason = f"it is worth {requirement.points} points at full value (32 CFR 170.21(a)(2)(ii))"
        elif requirement.poam_eligible == "conditional":
            state = vocab.prop_value(view.item.props, vocab.PARTIAL_STATE)
            if state == vocab.PARTIAL_ENCRYPTION:
                continue
            reason = (
                f"it may be on a POA&M only when encryption is employed but not FIPS-validated "
                f"({vocab.PARTIAL_STATE} {vocab.PARTIAL_ENCRYPTION}); the item says {state or 'nothing'} "
                "(32 CFR 170.21(a)(2)(ii))"
            )
            # Without results, an item that does not state its partial state may still be eligible.
            severity = Severity.WARNING if state is None and result is None else None
        else:
            continue
        found.append(
            which.diag(
                f"{label} may not be on a POA&M: {reason}", view.pointer, document, view.subject, severity=severity
            )
        )
    return found
