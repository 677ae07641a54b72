"""The words derive writes: titles and descriptions of items, risks and tasks.

Descriptions are OSCAL markup-multiline (Markdown in JSON): plain paragraphs
only, so that they read the same in JSON and XML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from oscal_poam.cmmc import regulation, vocab
from oscal_poam.derivation.data import Data

if TYPE_CHECKING:
    from oscal_poam.cmmc.catalog import Requirement
    from oscal_poam.facts.results import Assessment, RequirementResult

PARTIAL_TEXT = {
    vocab.PARTIAL_MFA: "multi-factor authentication is implemented for remote and privileged users only",
    vocab.PARTIAL_ENCRYPTION: "encryption is employed but is not FIPS-validated",
}


def status_name(level: int, assessment_type: str | None) -> str:
    """`CMMC Level 2 (C3PAO)`."""
    kind = regulation.TYPE_NAMES.get(assessment_type or "")
    return f"CMMC Level {level}" + (f" ({kind})" if kind else "")


def poam_title(system_name: str, level: int, assessment_type: str | None) -> str:
    return f"{system_name} Plan of Action and Milestones, {status_name(level, assessment_type)}"


def item_title(requirement: Requirement) -> str:
    return f"{requirement.label} {requirement.title}"


def assessment_name(assessment: Assessment, result: Data) -> str:
    title = str(result.get("title") or "").strip()
    return title or f"{status_name(assessment.level, assessment.assessment_type)} assessment"


def _sentence(text: str) -> str:
    """One sentence from a catalog fragment: `...is defined; and` -> `...is defined.`"""
    text = " ".join(text.split()).rstrip(";,. ")
    for tail in (" and", " or"):
        if text.endswith(tail):
            text = text[: -len(tail)].rstrip(";,. ")
    return text + "." if text else ""


def _objective_letter(requirement: Requirement, target_id: str) -> tuple[str, str] | None:
    for objective in requirement.objectives:
        if objective.id == target_id:
            return objective.letter, objective.text
    return None


def weakness(
    rr: RequirementResult,
    findings: Sequence[Data],
    components: Sequence[str],
) -> str:
    """What is missing and where: one paragraph per not-satisfied finding, objectives first by letter."""
    requirement = rr.requirement
    paragraphs: list[str] = []
    by_objective: list[tuple[str, str, Data]] = []
    whole: list[Data] = []
    for finding in findings:
        target = str((finding.get("target") or {}).get("target-id", ""))
        found = _objective_letter(requirement, target)
        if found is None:
            whole.append(finding)
        else:
            by_objective.append((found[0], found[1], finding))
    by_objective.sort(key=lambda entry: entry[0])
    head = f"{item_title(requirement)} is NOT MET"
    if by_objective and requirement.objectives:
        letters = sorted({letter for letter, _, _ in by_objective})
        head += f": {len(letters)} of {len(requirement.objectives)} assessment objectives not satisfied."
    else:
        head += "."
    paragraphs.append(head)
    for letter, text, finding in by_objective:
        paragraphs.append(f"Objective [{letter}] not satisfied: {_sentence(text)} {_finding_text(finding)}".rstrip())
    for finding in whole:
        paragraphs.append(f"Not satisfied: {_finding_text(finding)}".rstrip())
    if rr.partial:
        points = rr.points_deducted
        paragraphs.append(
            f"Partial credit: {PARTIAL_TEXT.get(rr.partial, rr.partial)}, so {points} points are deducted instead of "
            f"{requirement.points} ({regulation.PARTIAL_CITATION.get(rr.partial, regulation.PARTIAL_CREDIT_CITATION)})."
        )
    if components:
        paragraphs.append(f"Where: {', '.join(components)}.")
    return "\n\n".join(paragraphs)


def _finding_text(finding: Data) -> str:
    description = str(finding.get("description") or "").strip()
    title = str(finding.get("title") or "").strip()
    return description or title


def risk_title(requirement: Requirement) -> str:
    return f"{item_title(requirement)} not met"


def risk_statement(rr: RequirementResult) -> str:
    requirement = rr.requirement
    statement = _sentence(requirement.statement)
    text = f"Until {requirement.label} is met, this requirement is not fully in place: {statement}"
    if rr.points_deducted:
        unit = "point" if rr.points_deducted == 1 else "points"
        text += f" The assessment score is {rr.points_deducted} {unit} lower while it stays NOT MET."
    return text


def remediation_title(requirement: Requirement) -> str:
    return f"Implement {item_title(requirement)}"


def remediation_description(rr: RequirementResult, objectives: Sequence[tuple[str, str]]) -> str:
    label = rr.requirement.label
    if objectives:
        listed = "; ".join(f"[{letter}] {_sentence(text).rstrip('.')}" for letter, text in objectives)
        return f"Bring {label} to MET by satisfying the objectives not satisfied: {listed}."
    return f"Bring {label} to MET: {_sentence(rr.requirement.statement)}"


def verification(requirement: Requirement, assessment_type: str | None) -> tuple[str, str]:
    """The verification task's title and description."""
    party = regulation.CLOSEOUT_PARTY.get((requirement.level, assessment_type or ""))
    who = party.does if party else "a POA&M closeout assessment"
    citation = party.citation if party else regulation.CLOSEOUT_CITATION
    title = f"Verify {requirement.label} in the POA&M closeout assessment"
    description = (
        f"Closure is verified when {who} assesses {requirement.label} as MET, every assessment objective "
        f"satisfied on evidence in final form, within {regulation.CONDITIONAL_DAYS} days of the Conditional CMMC "
        f"Status Date ({citation})."
    )
    return title, description


def opened(assessment_name: str, end: dt.datetime) -> str:
    return f"Assessed NOT MET in {assessment_name}, which ended on {end.date().isoformat()}."


def completed_risk(deadline: bool, remediation: bool) -> str:
    """The risk-log text when derive adds the POA&M fields an assessor's risk lacks."""
    missing = [name for name, absent in (("deadline", deadline), ("planned remediation", remediation)) if absent]
    added = []
    if deadline:
        added.append(
            f"the deadline, the Conditional CMMC Status Date plus {regulation.CONDITIONAL_DAYS} days "
            f"({regulation.CLOSEOUT_CITATION})"
        )
    if remediation:
        added.append("a planned remediation with its verification task")
    return (
        f"Copied from the assessment results, which gave this risk no {' and no '.join(missing)}. "
        f"Added on the POA&M: {'; '.join(added)}."
    )


def closed(label: str, assessment_name: str, end: dt.datetime) -> str:
    return f"{label} assessed MET in {assessment_name}, which ended on {end.date().isoformat()}."


def reopened(label: str, assessment_name: str, end: dt.datetime) -> str:
    return f"{label} assessed NOT MET again in {assessment_name}, which ended on {end.date().isoformat()}."
