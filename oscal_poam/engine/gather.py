"""From documents to facts: each input loaded (where it is a path), and read into its facts once."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeAlias

from oscal_poam.engine.inputs import Facts, Source
from oscal_poam.engine.places import place_all
from oscal_poam.facts.detect import cmmc_ssp_level, is_cmmc_poam, is_cmmc_results
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
    generic: bool = False,
    cmmc: bool = False,
    judged: str | None = None,
) -> Facts:
    """The facts of the documents given. Raises LoadError for an input that cannot be loaded, UsageError for one of
    the wrong kind.

    Only CMMC documents (`facts.detect`) are read into CMMC facts; a `level` (or `cmmc`) says the documents are CMMC
    ones whatever they carry, `generic` says none is. `results` are initial assessment results, or a closeout's
    where their cmmc-assessment-kind says so; `closeout` are read as a closeout's whatever they say. Results are
    read at `level`, else the POA&M's cmmc-level, else their own. Documents loaded from files are the sources the
    OSCAL checks run over (a model given alone has no place to resolve its imports from). `read`: the readers of
    the facts (default: `facts.poam`, `facts.results`, `facts.ssp`). `judged`: the root key of the document under
    judgment; the others are given as its context (`Source.context`). None: every document is judged.
    """
    poam_doc = document_of(poam, "plan-of-action-and-milestones") if poam is not None else None
    ssp_doc = document_of(ssp, "system-security-plan") if ssp is not None else None
    given = closeout if closeout is not None else results
    results_doc = document_of(given, "assessment-results") if given is not None else None
    reading = _CmmcReading(None if not (generic or cmmc or level) else not generic)
    poam_facts = read.poam(poam_doc.model, poam_doc.source) if poam_doc is not None and reading.poam(poam_doc) else None
    chosen = level or (poam_facts.level if poam_facts is not None else None)
    assessment = (
        read.results(results_doc.model, level=chosen, document=results_doc.source)
        if results_doc is not None and reading.results(results_doc, closeout is not None or poam_facts is not None)
        else None
    )
    paired = poam_facts is not None or assessment is not None
    ssp_facts = (
        read.ssp(ssp_doc.model, ssp_doc.source) if ssp_doc is not None and reading.ssp(ssp_doc, paired) else None
    )
    documents = tuple(d for d in (poam_doc, results_doc, ssp_doc) if d is not None)
    is_closeout = assessment is not None and (closeout is not None or assessment.kind == "closeout")
    return Facts(
        poam=poam_facts,
        ssp=ssp_facts,
        results=None if is_closeout else assessment,
        closeout=assessment if is_closeout else None,
        sources=tuple(
            Source(d, data=d.data, context=judged is not None and d.kind.root_key != judged)
            for d in documents
            if d.path is not None
        ),
        documents=documents,
    )


@dataclass(frozen=True)
class _CmmcReading:
    """Which documents are read as CMMC documents: those `facts.detect` finds, unless `forced` says all (True) or
    none (False)."""

    forced: bool | None

    def _wanted(self, doc: Document | None, detected: Callable[[Any], bool]) -> bool:
        if doc is None:
            return False
        return self.forced if self.forced is not None else detected(doc.model)

    def poam(self, doc: Document | None) -> bool:
        return self._wanted(doc, is_cmmc_poam)

    def results(self, doc: Document | None, paired: bool) -> bool:
        """Results checked against a CMMC POA&M (or given as its closeout) are read as CMMC results: what the
        POA&M is judged against must be read, and a closeout that reads as no CMMC assessment is one that fails."""
        return self._wanted(doc, lambda model: paired or is_cmmc_results(model))

    def ssp(self, doc: Document | None, paired: bool) -> bool:
        """An SSP given with a CMMC POA&M or CMMC results is reconciled with them, whatever profile it imports."""
        return self._wanted(doc, lambda model: paired or cmmc_ssp_level(model) is not None)


def read_results_of(doc: Document, level: int | None = None, result_index: int = -1) -> Assessment:
    """The facts of assessment results, their diagnostics located by line where the document's format has lines."""
    model: AssessmentResults = doc.model  # type: ignore[assignment]
    assessment = read_assessment(model, level=level, document=doc.source, result_index=result_index)
    located = place_all(assessment.diagnostics, (doc,))
    return replace(
        assessment,
        diagnostics=tuple(located.get(d, d) for d in assessment.diagnostics),
        blocking=tuple(located.get(d, d) for d in assessment.blocking),
    )
