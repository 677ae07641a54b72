"""`check`: every rule a POA&M's inputs allow, in one call.

- always: the credibility of each item, and each item against POA&M eligibility (32 CFR 170.21(a));
- with an SSP: reconciliation of the SSP with the POA&M (and the results, when given);
- with assessment results: reading and scoring them (170.24), the status they earn (170.21(a)) and the
  POA&M against them; a closeout result is checked as the closeout of the POA&M (170.21(b)) instead;
- for inputs loaded from files: OSCAL integrity (unique uuids, references that resolve).

Inputs may be compliance-trestle models, loaded Documents, or paths. Diagnostics come back sorted by
document, severity (worst first), pointer, rule and subject, with source lines filled in where the
document's format has them.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from oscal_poam.diagnostics import Diagnostic, Severity, has_at_least, worst
from oscal_poam.io.boundary import reading_from_inputs

if TYPE_CHECKING:
    from trestle.oscal.assessment_results import AssessmentResults
    from trestle.oscal.poam import PlanOfActionAndMilestones
    from trestle.oscal.ssp import SystemSecurityPlan

    from oscal_poam.io.load import Document
    from oscal_poam.rules.closeout import CloseoutResult
    from oscal_poam.rules.eligibility import Verdict
    from oscal_poam.rules.scoring import Score


@dataclass(frozen=True)
class CheckResult:
    """What `check` found: the diagnostics and, with results, the score and the status they earn."""

    diagnostics: tuple[Diagnostic, ...]
    as_of: dt.date
    level: int | None
    score: Score | None = None
    """With initial assessment results: the 170.24 score."""
    verdict: Verdict | None = None
    """With initial assessment results: the status they earn (170.21(a))."""
    closeout: CloseoutResult | None = None
    """With closeout assessment results: the closeout of this POA&M (170.21(b))."""

    @property
    def worst(self) -> Severity | None:
        return worst(self.diagnostics)

    def fails(self, threshold: Severity = Severity.ERROR) -> bool:
        """Does a diagnostic at or above `threshold` stand."""
        return has_at_least(self.diagnostics, threshold)

    @property
    def cmmc_status(self) -> str | None:
        """The status the results earn, as 48 CFR 204.7501 names it; None without results."""
        if self.closeout is not None:
            return self.closeout.cmmc_status
        return self.verdict.cmmc_status if self.verdict is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "as-of": self.as_of.isoformat(),
            "level": self.level,
            "cmmc-status": self.cmmc_status,
            "score": self.score.to_dict() if self.score is not None else None,
            "verdict": self.verdict.to_dict(self.as_of) if self.verdict is not None else None,
            "closeout": self.closeout.to_dict() if self.closeout is not None else None,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


@dataclass(frozen=True)
class _Input:
    model: Any
    name: str
    document: Document


@reading_from_inputs("poam", "ssp", "results")
def check(
    poam: PlanOfActionAndMilestones | Document | str | os.PathLike[str],
    *,
    ssp: SystemSecurityPlan | Document | str | os.PathLike[str] | None = None,
    results: AssessmentResults | Document | str | os.PathLike[str] | None = None,
    as_of: dt.date | None = None,
    level: int | None = None,
    stale_days: int | None = None,
) -> CheckResult:
    """Run every rule the inputs allow; see the module docstring.

    `as_of`: the day deadlines and staleness are judged on (default: today). `level`: the CMMC level, else the
    POA&M's cmmc-level prop, else the results'. Raises LoadError for inputs that cannot be loaded and
    UsageError for inputs of the wrong kind.
    """
    from oscal_poam.rules.consistency import against_results, item_eligibility
    from oscal_poam.rules.credibility import DEFAULT_STALE_DAYS, credibility
    from oscal_poam.rules.items import read_poam
    from oscal_poam.rules.ssp import reconcile

    day = as_of or dt.date.today()
    the_poam = _coerce(poam, "plan-of-action-and-milestones")
    the_ssp = _coerce(ssp, "system-security-plan") if ssp is not None else None
    the_results = _coerce(results, "assessment-results") if results is not None else None

    facts = read_poam(the_poam.model)
    chosen = level or facts.level
    found: list[Diagnostic] = []
    found.extend(
        credibility(
            the_poam.model,
            as_of=day,
            document=the_poam.name,
            stale_days=DEFAULT_STALE_DAYS if stale_days is None else stale_days,
            facts=facts,
        )
    )

    assessment = score = verdict = closed_out = None
    if the_results is not None:
        from oscal_poam.cmmc.assessment import read_assessment
        from oscal_poam.rules.closeout import closeout
        from oscal_poam.rules.eligibility import eligibility
        from oscal_poam.rules.scoring import score as compute_score

        assessment = read_assessment(the_results.model, level=chosen, document=the_results.name)
        if assessment.kind == "closeout":
            closed_out = closeout(
                the_poam.model,
                the_results.model,
                day,
                poam_document=the_poam.name,
                results_document=the_results.name,
            )
            found.extend(closed_out.diagnostics)
            assessment = None  # a closeout assesses only the POA&M's requirements: not a basis for the rest
        else:
            score = compute_score(assessment)
            verdict = eligibility(assessment, score)
            found.extend(score.diagnostics)
            found.extend(verdict.reasons)
            found.extend(against_results(facts, assessment, document=the_poam.name))
        chosen = chosen or (assessment.level if assessment is not None else None)

    found.extend(item_eligibility(facts, assessment, level=chosen, document=the_poam.name))
    if the_ssp is not None:
        found.extend(
            reconcile(
                the_ssp.model,
                the_poam.model,
                assessment,
                level=chosen,
                document=the_ssp.name,
                poam_document=the_poam.name,
            )
        )
    for given in (the_poam, the_ssp, the_results):
        if given is not None and given.document.path is not None:
            from oscal_poam.rules.integrity import integrity

            found.extend(integrity(given.document))

    located = _with_lines(found, [g for g in (the_poam, the_ssp, the_results) if g is not None])
    return CheckResult(
        diagnostics=tuple(sorted(set(located), key=lambda d: d.sort_key)),
        as_of=day,
        level=chosen,
        score=score,
        verdict=verdict,
        closeout=closed_out,
    )


def _coerce(value: Any, root_key: str) -> _Input:
    """A model, Document or path of the model named by `root_key`."""
    from oscal_poam.io.inputs import document_of

    document = document_of(value, root_key)
    return _Input(document.model, document.source, document)


def _with_lines(diagnostics: Sequence[Diagnostic], inputs: Sequence[_Input]) -> list[Diagnostic]:
    """Fill in source lines for documents whose format has them (XML, YAML)."""
    by_name = {i.name: i.document for i in inputs if i.document.lines}
    if not by_name:
        return list(diagnostics)
    located = []
    for d in diagnostics:
        document = by_name.get(d.document)
        if d.line is None and document is not None:
            line = document.line_of(d.pointer)
            if line is not None:
                d = replace(d, line=line)
        located.append(d)
    return located
