"""OSCAL assessment results from any tool, as automated results: each finding's target and what it found.

A finding is the result of the check named by its `target.target-id` (`oscal:<target-id>`): `satisfied` passes,
`not-satisfied` fails. The resources are the subjects of its related observations (their titles, else type and
uuid), else the target itself; the time the latest `collected` of those observations, else the result's `end`, else
its `start`. The document is loaded as every OSCAL input is (JSON, YAML or XML, validated, located errors).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oscal_poam.io.load import parse
from oscal_poam.io.models import text
from oscal_poam.verification.results import CheckResult, Outcome, Run, latest

if TYPE_CHECKING:
    from trestle.oscal.assessment_results import AssessmentResults

OUTCOMES: dict[str, Outcome] = {"satisfied": "pass", "not-satisfied": "fail"}


def read(data: bytes, source: str, path: Path) -> tuple[Run, ...]:
    """One run per result of the document. Raises LoadError, located."""
    document = parse(data, source, expect="assessment-results", path=path)
    model: AssessmentResults = document.model  # type: ignore[assignment]
    tool = text(model.metadata.title)
    version = text(model.metadata.version)
    runs = []
    for result in model.results:
        observations = {str(o.uuid): o for o in result.observations or []}
        checks: dict[tuple[str, str, str], list[CheckResult]] = {}
        for finding in result.findings or []:
            target = finding.target
            status = target.status
            outcome = OUTCOMES.get(text(status.state)) if status is not None else None
            if outcome is None:
                continue
            related = [
                observations[str(r.observation_uuid)]
                for r in finding.related_observations or []
                if str(r.observation_uuid) in observations
            ]
            time = latest(o.collected for o in related) or result.end or result.start
            resources = _resources(related) or [text(target.target_id)]
            message = text(finding.description)
            found = checks.setdefault(("oscal", "", text(target.target_id)), [])
            found.extend(CheckResult(resource, outcome, message, time) for resource in resources)
        runs.append(Run(tool, version, {k: tuple(v) for k, v in checks.items()}, scanned=result.end or result.start))
    return tuple(runs)


def _resources(observations: Iterable[Any]) -> list[str]:
    found: list[str] = []
    for observation in observations:
        for subject in observation.subjects or []:
            name = text(subject.title) or f"{text(subject.type)} {subject.subject_uuid}"
            if name not in found:
                found.append(name)
    return found
