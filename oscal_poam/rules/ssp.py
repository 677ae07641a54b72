"""Reconciling the system security plan with the POA&M and the assessment results.

An SSP's implementation status of each requirement comes from its by-components'
`implementation-status` (on the implemented requirement and on its statements), or else from an
`implementation-status` prop on the implemented requirement; where by-components disagree, the
weakest wins (docs/conventions.md, "System security plan").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.io import pointers
from oscal_poam.io.models import text
from oscal_poam.rules.registry import rule

if TYPE_CHECKING:
    from trestle.oscal.poam import PlanOfActionAndMilestones
    from trestle.oscal.ssp import ImplementedRequirement, SystemSecurityPlan

    from oscal_poam.cmmc.assessment import Assessment
    from oscal_poam.cmmc.catalog import Requirement

FAMILY = "ssp"
ROOT = "system-security-plan"

IMPLEMENTED = "implemented"
ALTERNATIVE = "alternative"
PARTIAL = "partial"
PLANNED = "planned"
NOT_APPLICABLE = "not-applicable"

STRENGTH = (IMPLEMENTED, ALTERNATIVE, PARTIAL, PLANNED)
"""Implementation statuses from strongest to weakest. `not-applicable` is outside the order: it stands
only when every by-component says so, and otherwise the by-components it applies to decide."""

KNOWN = (*STRENGTH, NOT_APPLICABLE)
GAPS = (PARTIAL, PLANNED)
"""Statuses that admit the requirement is not (fully) implemented."""
CONTRADICTED_BY_ITEM = (IMPLEMENTED, NOT_APPLICABLE)
"""Statuses that say there is nothing to remediate."""

SSP_CITATION = "NIST SP 800-171 R2 3.12.4 (CA.L2-3.12.4 System Security Plan)"

REQUIREMENT_MISSING = rule(
    "ssp-requirement-missing",
    Severity.WARNING,
    SSP_CITATION,
    "Every requirement of the level has an implemented-requirement in the SSP.",
    FAMILY,
)
STATUS_MISSING = rule(
    "ssp-status-missing",
    Severity.WARNING,
    SSP_CITATION,
    "Every implemented requirement states its implementation-status (on its by-components, or as a prop).",
    FAMILY,
)
STATUS_UNRECOGNIZED = rule(
    "ssp-status-unrecognized",
    Severity.WARNING,
    SSP_CITATION,
    "Implementation statuses are implemented, partial, planned, alternative or not-applicable.",
    FAMILY,
)
GAP_NOT_ON_POAM = rule(
    "ssp-gap-not-on-poam",
    Severity.WARNING,
    "32 CFR 170.24(c)(2)(i)(B)(6)",
    "Each requirement the SSP marks partial or planned has a POA&M item or is MET in the results.",
    FAMILY,
)
IMPLEMENTED_ON_POAM = rule(
    "ssp-implemented-on-poam",
    Severity.WARNING,
    SSP_CITATION,
    "An open POA&M item for a requirement the SSP marks implemented (or not-applicable) contradicts the SSP.",
    FAMILY,
)


@dataclass(frozen=True)
class SspStatus:
    """One implemented requirement's status; `status` is None where the SSP states none."""

    control_id: str
    status: str | None
    pointer: str


def weakest(statuses: list[str]) -> str | None:
    """The weakest of by-component statuses; unrecognised values are weaker than `planned`."""
    applicable = [s for s in statuses if s != NOT_APPLICABLE]
    if not applicable:
        return NOT_APPLICABLE if statuses else None
    return max(applicable, key=lambda s: STRENGTH.index(s) if s in STRENGTH else len(STRENGTH))


def read_statuses(ssp: SystemSecurityPlan) -> list[SspStatus]:
    """Each implemented requirement's status, in document order (one entry per implemented-requirement)."""
    found = []
    for index, implemented in enumerate(ssp.control_implementation.implemented_requirements):
        where = pointers.join(ROOT, "control-implementation", "implemented-requirements", index)
        found.append(SspStatus(str(implemented.control_id), _status_of(implemented), where))
    return found


def _status_of(implemented: ImplementedRequirement) -> str | None:
    from oscal_poam.cmmc import vocab

    components = list(implemented.by_components or [])
    for statement in implemented.statements or []:
        components.extend(statement.by_components or [])
    states = [text(c.implementation_status.state) for c in components if c.implementation_status is not None]
    if states:
        return weakest(states)
    return vocab.prop_value(implemented.props, "implementation-status", ns=None)


def ssp_implementation_status(ssp: SystemSecurityPlan) -> dict[str, str]:
    """Control id (as the SSP writes it) -> implementation status; the weakest wins across entries.

    Implemented requirements that state no status are left out (`read_statuses` keeps them).
    """
    merged: dict[str, list[str]] = {}
    for entry in read_statuses(ssp):
        if entry.status is not None:
            merged.setdefault(entry.control_id, []).append(entry.status)
    return {control: status for control, values in merged.items() if (status := weakest(values)) is not None}


def reconcile(
    ssp: SystemSecurityPlan,
    poam: PlanOfActionAndMilestones | None = None,
    assessment: Assessment | None = None,
    level: int | None = None,
    *,
    document: str = "",
    poam_document: str = "",
) -> list[Diagnostic]:
    """The SSP against the level's requirements, the POA&M's items and the results' determinations.

    Level: `level`, else the assessment's, else the POA&M's cmmc-level, else the level whose catalog
    the SSP's control ids belong to, else 2. The partial/planned rule runs only with a POA&M.
    """
    from oscal_poam.cmmc.catalog import catalog
    from oscal_poam.rules.items import read_poam

    facts = read_poam(poam) if poam is not None else None
    entries = read_statuses(ssp)
    chosen = level or (assessment.level if assessment is not None else None) or (facts.level if facts else None)
    chosen = chosen or _level_of(entries) or 2
    requirements = catalog(chosen)

    by_requirement: dict[str, list[SspStatus]] = {}
    found: list[Diagnostic] = []
    for entry in entries:
        requirement = _resolve(entry.control_id, chosen)
        if requirement is None:
            continue
        by_requirement.setdefault(requirement.control_id, []).append(entry)
        if entry.status is None:
            found.append(
                STATUS_MISSING.diag(
                    f"{requirement.label} states no implementation-status", entry.pointer, document, requirement.label
                )
            )
        elif entry.status not in KNOWN:
            found.append(
                STATUS_UNRECOGNIZED.diag(
                    f"{requirement.label}: implementation-status {entry.status!r} is not one of {', '.join(KNOWN)}",
                    entry.pointer,
                    document,
                    requirement.label,
                )
            )

    items: dict[str, str] = {}
    open_items: dict[str, str] = {}
    if facts is not None:
        for view in facts.items:
            if view.requirement is not None:
                items.setdefault(view.requirement.control_id, view.pointer)
                if not view.is_closed:
                    open_items.setdefault(view.requirement.control_id, view.pointer)
    met = _met(assessment)
    listing = pointers.join(ROOT, "control-implementation", "implemented-requirements")
    for requirement in requirements.requirements:
        entries_here = by_requirement.get(requirement.control_id)
        if not entries_here:
            found.append(
                REQUIREMENT_MISSING.diag(
                    f"{requirement.label} {requirement.title} is not in the SSP", listing, document, requirement.label
                )
            )
            continue
        statuses = [e.status for e in entries_here if e.status is not None]
        status = weakest(statuses)
        where = entries_here[0].pointer
        found.extend(
            _against_poam(
                requirement, status, where, items, open_items, met, facts is not None, document, poam_document
            )
        )
    return found


def _against_poam(
    requirement: Requirement,
    status: str | None,
    where: str,
    items: dict[str, str],
    open_items: dict[str, str],
    met: set[str] | None,
    have_poam: bool,
    document: str,
    poam_document: str,
) -> Iterator[Diagnostic]:
    if not have_poam:
        return
    control = requirement.control_id
    if status in GAPS and control not in items and control not in (met or set()):
        yield GAP_NOT_ON_POAM.diag(
            f"the SSP marks {requirement.label} {status}, but the POA&M has no item for it"
            + ("" if met is None else " and the results do not find it MET"),
            where,
            document,
            requirement.label,
        )
    if status in CONTRADICTED_BY_ITEM and control in open_items:
        yield IMPLEMENTED_ON_POAM.diag(
            f"the POA&M has an open item for {requirement.label}, which the SSP marks {status}",
            open_items[control],
            poam_document,
            requirement.label,
        )


def _met(assessment: Assessment | None) -> set[str] | None:
    """Requirements the results find MET (N/A scores as MET); None without results."""
    if assessment is None:
        return None
    return {cid for cid, result in assessment.requirements.items() if result.status in ("met", "not-applicable")}


def _resolve(control_id: str, level: int) -> Requirement | None:
    from oscal_poam.cmmc.catalog import catalog, normalize_requirement_id

    found = catalog(level).get(control_id.lower())
    if found is not None:
        return found
    other = normalize_requirement_id(control_id, level)
    return other if other is not None and other.level == level else None


def _level_of(entries: list[SspStatus]) -> int | None:
    """The level whose catalog names most of the SSP's control ids."""
    from oscal_poam.cmmc.catalog import catalog

    counts = {lvl: sum(1 for e in entries if catalog(lvl).get(e.control_id.lower())) for lvl in (1, 2, 3)}
    best = max(counts, key=lambda lvl: (counts[lvl], lvl == 2))
    return best if counts[best] else None
