"""`report`: where a system stands, from its POA&M and, when given, its assessment results and SSP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from oscal_poam.engine.api import check
from oscal_poam.engine.gather import PoamInput, ResultsInput, SspInput
from oscal_poam.facts.poam import read_poam
from oscal_poam.io.boundary import reading_from_inputs
from oscal_poam.report.html import render_html
from oscal_poam.report.markdown import render_markdown
from oscal_poam.report.model import ReportData, build

__all__ = ["render_html", "render_markdown", "report"]


@reading_from_inputs("poam", "results", "ssp")
def report(
    poam: PoamInput,
    *,
    results: ResultsInput | None = None,
    ssp: SspInput | None = None,
    as_of: dt.date,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> ReportData:
    """The report of `poam` as of `as_of`: the engine's verdict, score and diagnostics, laid out.

    Each input is a compliance-trestle model, a loaded Document or a path. `results` (initial or closeout
    assessment results) decide the score and the verdict; without them both are what the POA&M records.
    `ssp` names the system and is reconciled with the POA&M. Raises LoadError for an input that cannot be
    loaded and UsageError for an input of the wrong kind. `select`/`ignore`: the rules whose diagnostics the report
    lists (the verdict is the same whatever they are).
    """
    evaluation = check(poam, ssp=ssp, results=results, as_of=as_of, select=select, ignore=ignore)
    facts = evaluation.facts
    system_name = facts.ssp.system_name if facts.ssp is not None else None
    names = tuple(d.source for d in facts.documents if d.source)  # the POA&M first, then results and SSP
    # a POA&M that is not a CMMC one is laid out all the same: its items and milestones, with no CMMC verdict
    poam_doc = facts.documents[0]
    poam_facts = facts.poam or read_poam(poam_doc.model, poam_doc.source)  # type: ignore[arg-type]
    return build(
        evaluation, poam=poam_facts, poam_document=poam_doc.source, documents=names, system_name=system_name or None
    )
