"""Scoring, eligibility and closeout for documents given as models, loaded Documents or paths.

These are the public entry points `oscal_poam.score`, `oscal_poam.eligibility` and `oscal_poam.closeout`.
Diagnostics name the document each fact came from and, where its format has lines (XML, YAML), the line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.io.inputs import document_of
from oscal_poam.io.load import Document

if TYPE_CHECKING:
    from trestle.oscal.assessment_results import AssessmentResults
    from trestle.oscal.poam import PlanOfActionAndMilestones

    from oscal_poam.cmmc.assessment import Assessment
    from oscal_poam.rules.closeout import CloseoutResult
    from oscal_poam.rules.eligibility import Verdict
    from oscal_poam.rules.scoring import Score

Source = Any
"""A trestle model, a loaded `Document`, or a path (str or os.PathLike) to load."""


def _located(diagnostics: Iterable[Diagnostic], *documents: Document) -> tuple[Diagnostic, ...]:
    """Each diagnostic with the source line of its pointer, where its document has lines."""
    by_name = {d.source: d for d in documents if d.lines}
    located = []
    for diagnostic in diagnostics:
        doc = by_name.get(diagnostic.document)
        if doc is not None and diagnostic.line is None and diagnostic.pointer:
            diagnostic = replace(diagnostic, line=doc.line_of(diagnostic.pointer))
        located.append(diagnostic)
    return tuple(located)


def read_results(results: Source, level: int | None = None, result_index: int = -1) -> Assessment:
    """The CMMC determinations of an assessment results document (see `cmmc.assessment.read_assessment`)."""
    from oscal_poam.cmmc.assessment import read_assessment

    doc = document_of(results, "assessment-results")
    model: AssessmentResults = doc.model  # type: ignore[assignment]
    assessment = read_assessment(model, level=level, document=doc.source, result_index=result_index)
    return replace(assessment, diagnostics=_located(assessment.diagnostics, doc))


def score(results: Source, level: int | None = None) -> Score:
    """Score the last result of an assessment results document by 32 CFR 170.24."""
    from oscal_poam.rules.scoring import score as compute

    doc = document_of(results, "assessment-results")
    scored = compute(read_results(doc, level))
    return replace(scored, diagnostics=_located(scored.diagnostics, doc))


def eligibility(results: Source, level: int | None = None, *, level2_final: bool | None = None) -> Verdict:
    """The CMMC status the last result earns under 32 CFR 170.21(a): Final, Conditional or none."""
    from oscal_poam.rules.eligibility import eligibility as decide

    doc = document_of(results, "assessment-results")
    verdict = decide(read_results(doc, level), level2_final=level2_final)
    return replace(verdict, reasons=_located(verdict.reasons, doc))


def evaluate(results: Source, level: int | None = None, *, level2_final: bool | None = None) -> tuple[Score, Verdict]:
    """Both the score and the verdict of the last result, read once."""
    from oscal_poam.rules.eligibility import eligibility as decide

    doc = document_of(results, "assessment-results")
    scored = score(doc, level)
    verdict = decide(scored.assessment, scored, level2_final=level2_final)
    return scored, replace(verdict, reasons=_located(verdict.reasons, doc))


def closeout(poam: Source, results: Source, as_of: dt.date | None = None) -> CloseoutResult:
    """Check a POA&M closeout assessment against its POA&M (32 CFR 170.21(b)); `as_of` defaults to today."""
    from oscal_poam.rules.closeout import closeout as check

    poam_doc = document_of(poam, "plan-of-action-and-milestones")
    results_doc = document_of(results, "assessment-results")
    poam_model: PlanOfActionAndMilestones = poam_doc.model  # type: ignore[assignment]
    results_model: AssessmentResults = results_doc.model  # type: ignore[assignment]
    checked = check(
        poam_model,
        results_model,
        as_of or dt.date.today(),
        poam_document=poam_doc.source,
        results_document=results_doc.source,
    )
    return replace(checked, diagnostics=_located(checked.diagnostics, poam_doc, results_doc))
