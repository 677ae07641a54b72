"""`report`: where a system stands, from its POA&M and, when given, its assessment results and SSP."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oscal_poam.io.boundary import reading_from_inputs
from oscal_poam.io.inputs import document_of
from oscal_poam.report.html import render_html
from oscal_poam.report.markdown import render_markdown
from oscal_poam.report.model import ReportData, build

__all__ = ["render_html", "render_markdown", "report"]


@reading_from_inputs("poam", "results", "ssp")
def report(poam: Any, *, results: Any = None, ssp: Any = None, as_of: dt.date) -> ReportData:
    """The report of `poam` as of `as_of`.

    Each input is a compliance-trestle model, a loaded Document or a path. `results` (initial or closeout
    assessment results) decide the score and the verdict; without them both are read from the POA&M.
    `ssp` names the system and is reconciled with the POA&M. Raises LoadError for an input that cannot be
    loaded and UsageError for an input of the wrong kind.
    """
    from oscal_poam.io.models import text
    from oscal_poam.rules.check import check

    poam_doc = document_of(poam, "plan-of-action-and-milestones")
    ssp_doc = document_of(ssp, "system-security-plan") if ssp is not None else None
    results_doc = document_of(results, "assessment-results") if results is not None else None
    checked = check(poam_doc, ssp=ssp_doc, results=results_doc, as_of=as_of)
    system_name = None
    if ssp_doc is not None:
        system_name = text(ssp_doc.model.system_characteristics.system_name) or None  # type: ignore[attr-defined]
    names = tuple(d.source for d in (poam_doc, results_doc, ssp_doc) if d is not None and d.source)
    return build(
        poam_doc.model,  # type: ignore[arg-type]
        checked,
        poam_document=poam_doc.source,
        documents=names,
        system_name=system_name,
    )
