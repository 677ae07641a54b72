"""Reconciling the system security plan with the POA&M and the assessment results.

The SSP's facts (`oscal_poam.facts.ssp`) give each requirement's implementation status; these rules compare it
with the level's requirements, the POA&M's items and the results' determinations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oscal_poam.cmmc.catalog import Requirement, catalog
from oscal_poam.cmmc.regulation import counts_as_met
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.facts.ssp import (
    IMPLEMENTED,
    KNOWN,
    LISTING,
    NOT_APPLICABLE,
    PARTIAL,
    PLANNED,
    SspFacts,
    SspStatus,
    weakest,
)
from oscal_poam.rules.registry import rule

if TYPE_CHECKING:
    from oscal_poam.facts.poam import PoamFacts
    from oscal_poam.facts.results import Assessment

FAMILY = "ssp"

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
OTHER_SYSTEM = rule(
    "ssp-other-system",
    Severity.ERROR,
    "OSCAL 1.2.1 (subject-reference/@subject-uuid); 32 CFR 170.19 (the assessment scope)",
    "The SSP describes the system the results assess: it defines at least one of the components, inventory items "
    "and users the results' observations name.",
    FAMILY,
)
IMPLEMENTED_ON_POAM = rule(
    "ssp-implemented-on-poam",
    Severity.WARNING,
    SSP_CITATION,
    "An open POA&M item for a requirement the SSP marks implemented (or not-applicable) contradicts the SSP.",
    FAMILY,
)


def reconcile(
    ssp: SspFacts,
    poam: PoamFacts | None = None,
    assessment: Assessment | None = None,
    level: int | None = None,
) -> list[Diagnostic]:
    """The SSP against the level's requirements, the POA&M's items and the results' determinations.

    Level: `level`, else the assessment's, else the POA&M's cmmc-level, else the level whose catalog
    the SSP's control ids belong to, else 2. The partial/planned rule runs only with a POA&M.
    """
    document = ssp.document
    poam_document = poam.document if poam is not None else ""
    chosen = level or (assessment.level if assessment is not None else None) or (poam.level if poam else None)
    chosen = chosen or ssp.level or 2
    by_requirement = ssp.by_requirement(chosen)

    found: list[Diagnostic] = list(_same_system(ssp, assessment))
    for control_id, entries in by_requirement.items():
        requirement = catalog(chosen).get(control_id)
        assert requirement is not None
        for entry in entries:
            found.extend(_stated(entry, requirement, document))
    found.sort(key=lambda d: _order(d, ssp))

    items: dict[str, str] = {}
    open_items: dict[str, str] = {}
    if poam is not None:
        for view in poam.items:
            if view.requirement is not None:
                items.setdefault(view.requirement.control_id, view.pointer)
                if not view.is_closed:
                    open_items.setdefault(view.requirement.control_id, view.pointer)
    met = _met(assessment)
    for requirement in catalog(chosen).requirements:
        entries_here = by_requirement.get(requirement.control_id)
        if not entries_here:
            found.append(
                REQUIREMENT_MISSING.diag(
                    f"{requirement.label} {requirement.title} is not in the SSP", LISTING, document, requirement.label
                )
            )
            continue
        status = weakest([e.status for e in entries_here if e.status is not None])
        where = entries_here[0].pointer
        found.extend(
            _against_poam(requirement, status, where, items, open_items, met, poam is not None, document, poam_document)
        )
    return found


def _same_system(ssp: SspFacts, assessment: Assessment | None) -> Iterator[Diagnostic]:
    """The results name parts of the system they assess; an SSP that defines none of them is another system's."""
    if assessment is None or not assessment.system_subjects or ssp.model is None:
        return
    if any(uuid in ssp.parts for uuid, _ in assessment.system_subjects):
        return
    count = len(assessment.system_subjects)
    name = f" ({ssp.system_name})" if ssp.system_name else ""
    yield OTHER_SYSTEM.diag(
        f"the SSP and the results describe different systems: the SSP{name} defines none of the {count} "
        f"component{'' if count == 1 else 's'}, inventory items and users the results' observations name "
        f"(the first at {assessment.system_subjects[0][1]} in {assessment.document or 'the results'})",
        "/system-security-plan/system-implementation",
        ssp.document,
    )


def _order(d: Diagnostic, ssp: SspFacts) -> int:
    """Document order of the implemented requirements, as the SSP lists them."""
    pointers = [e.pointer for e in ssp.entries]
    return pointers.index(d.pointer) if d.pointer in pointers else len(pointers)


def _stated(entry: SspStatus, requirement: Requirement, document: str) -> Iterator[Diagnostic]:
    if entry.status is None:
        yield STATUS_MISSING.diag(
            f"{requirement.label} states no implementation-status", entry.pointer, document, requirement.label
        )
    elif entry.status not in KNOWN:
        yield STATUS_UNRECOGNIZED.diag(
            f"{requirement.label}: implementation-status {entry.status!r} is not one of {', '.join(KNOWN)}",
            entry.pointer,
            document,
            requirement.label,
        )


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
    return {cid for cid, result in assessment.requirements.items() if counts_as_met(result.status)}
