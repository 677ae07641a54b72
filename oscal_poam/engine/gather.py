"""From documents to facts: each input loaded (where it is a path), and read into its facts once."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeAlias

from oscal_poam.engine.inputs import Facts, Source
from oscal_poam.facts.poam import PoamFacts, read_poam
from oscal_poam.facts.results import Assessment, read_assessment
from oscal_poam.facts.ssp import SspFacts, read_ssp
from oscal_poam.io.inputs import document_of
from oscal_poam.io.load import Document

if TYPE_CHECKING:
    from trestle.oscal.assessment_results import AssessmentResults
    from trestle.oscal.poam import PlanOfActionAndMilestones
    from trestle.oscal.ssp import SystemSecurityPlan

PathLike: TypeAlias = "str | os.PathLike[str]"
PoamInput: TypeAlias = "PlanOfActionAndMilestones | Document | str | os.PathLike[str]"
"""A POA&M: a compliance-trestle model, a loaded Document, or a path to load."""
SspInput: TypeAlias = "SystemSecurityPlan | Document | str | os.PathLike[str]"
ResultsInput: TypeAlias = "AssessmentResults | Document | str | os.PathLike[str]"


@dataclass(frozen=True)
class Readers:
    """How each document is read into its facts: the facts modules' readers, or the same behind a cache (the
    versions of a history share most of their documents)."""

    poam: Callable[[Any, str], PoamFacts] = read_poam
    results: Callable[..., Assessment] = read_assessment
    """Called as read_assessment is: (model, level=..., document=...)."""
    ssp: Callable[[Any, str], SspFacts] = read_ssp


READERS = Readers()


def gather(
    *,
    poam: PoamInput | None = None,
    ssp: SspInput | None = None,
    results: ResultsInput | None = None,
    closeout: ResultsInput | None = None,
    level: int | None = None,
    read: Readers = READERS,
) -> Facts:
    """The facts of the documents given. Raises LoadError for an input that cannot be loaded, UsageError for one of
    the wrong kind.

    `results` are initial assessment results, or a closeout's where their cmmc-assessment-kind says so; `closeout`
    are read as a closeout's whatever they say. Results are read at `level`, else the POA&M's cmmc-level, else their
    own. Documents loaded from files are the sources the OSCAL checks run over (a model given alone has no place to
    resolve its imports from). `read`: the readers of the facts (default: `facts.poam`, `facts.results`,
    `facts.ssp`).
    """
    poam_doc = document_of(poam, "plan-of-action-and-milestones") if poam is not None else None
    ssp_doc = document_of(ssp, "system-security-plan") if ssp is not None else None
    given = closeout if closeout is not None else results
    results_doc = document_of(given, "assessment-results") if given is not None else None
    poam_facts = read.poam(poam_doc.model, poam_doc.source) if poam_doc is not None else None
    chosen = level or (poam_facts.level if poam_facts is not None else None)
    assessment = (
        read.results(results_doc.model, level=chosen, document=results_doc.source) if results_doc is not None else None
    )
    ssp_facts = read.ssp(ssp_doc.model, ssp_doc.source) if ssp_doc is not None else None
    documents = tuple(d for d in (poam_doc, results_doc, ssp_doc) if d is not None)
    is_closeout = assessment is not None and (closeout is not None or assessment.kind == "closeout")
    return Facts(
        poam=poam_facts,
        ssp=ssp_facts,
        results=None if is_closeout else assessment,
        closeout=assessment if is_closeout else None,
        sources=tuple(Source(d, data=d.data) for d in documents if d.path is not None),
        documents=documents,
    )


def read_results_of(doc: Document, level: int | None = None, result_index: int = -1) -> Assessment:
    """The facts of assessment results, their diagnostics located by line where the document's format has lines."""
    model: AssessmentResults = doc.model  # type: ignore[assignment]
    assessment = read_assessment(model, level=level, document=doc.source, result_index=result_index)
    if not doc.lines:
        return assessment
    located = {
        d: replace(d, line=doc.line_of(d.pointer))
        for d in assessment.diagnostics
        if d.line is None and d.pointer and d.document == doc.source
    }
    return replace(
        assessment,
        diagnostics=tuple(located.get(d, d) for d in assessment.diagnostics),
        blocking=tuple(located.get(d, d) for d in assessment.blocking),
    )
