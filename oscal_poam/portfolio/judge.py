"""Judging one system: its documents loaded once, the engine asked through the report module, a row laid out.

A system with a POA&M is judged as `oscal-poam report` judges it (`oscal_poam.report.report`, which asks the
engine as `check` does), and its report is rendered for the portfolio to link to. Assessment results without a
POA&M are judged as `oscal-poam score` judges them. Nothing here decides a verdict, a score or a count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from oscal_poam.engine.api import evaluate_results
from oscal_poam.engine.evaluate import Evaluation
from oscal_poam.errors import OscalPoamError
from oscal_poam.io.boundary import reading_roots
from oscal_poam.io.files import read_file
from oscal_poam.io.load import Document, parse
from oscal_poam.portfolio.documents import Found
from oscal_poam.portfolio.model import Row, counts_of
from oscal_poam.portfolio.systems import System
from oscal_poam.portfolio.verification import regressed_items
from oscal_poam.report import render_html, report
from oscal_poam.report.model import ScoreView, VerdictView, verdict_and_score
from oscal_poam.validate.loaded import Loaded, remember


@dataclass(frozen=True)
class Work:
    system: System
    as_of: dt.date
    roots: tuple[str, ...]
    """The folders given: documents may name files inside them only."""
    with_report: bool = True
    report_href: str | None = None


@dataclass(frozen=True)
class Judged:
    row: Row
    page: str | None = None
    """The system's own HTML report."""


def load_found(found: Found) -> Document:
    """A document discovery found, read again from its real path (it may have changed: read as it is now), with
    its plain data kept for the OSCAL checks, and kept for the documents that import it."""
    data = read_file(found.real, found.shown, follow_links=False)
    document = parse(data, found.shown, expect=found.kind, path=Path(found.real), keep_data=True)
    # the documents that import it (its POA&M and plan import an SSP) find it read, as in a `validate` run
    remember(
        Path(found.real),
        Loaded(document.format, document.data, document.lines, document.kind, document.model, document.notes),
    )
    return document


def judge(work: Work) -> Judged:
    """Where `work.system` stands as of `work.as_of`; a system whose documents cannot be read is a row saying so."""
    system = work.system
    try:
        with reading_roots(work.roots):
            return _judge(work)
    except OscalPoamError as exc:
        problems = getattr(exc, "problems", None)
        why = str(problems[0]) if problems else str(exc)
        return Judged(_unjudged(system, work.as_of, why))


def _judge(work: Work) -> Judged:
    system, as_of = work.system, work.as_of
    poam = load_found(system.poam) if system.poam is not None else None
    results = load_found(system.results) if system.results is not None else None
    ssp = load_found(system.ssp) if system.ssp is not None else None
    if poam is not None:
        data = report(poam, results=results, ssp=ssp, as_of=as_of)
        diagnostics = [d for group in data.diagnostics for d in group.diagnostics]
        row = Row(
            key=system.key,
            name=system.ssp.system_name if system.ssp is not None and system.ssp.system_name else data.system,
            system_id=system.system_id or data.system_id,
            level=data.level,
            assessment_type=data.assessment_type,
            verdict=data.verdict,
            score=data.score,
            status_date=data.status_date,
            deadline=data.deadline,
            as_of=as_of,
            regressed=regressed_items(diagnostics),
            documents=_shown(system),
            report=work.report_href if work.with_report else None,
            notes=system.notes,
            **counts_of(data),
        )
        return Judged(row, render_html(data) if work.with_report else None)
    if results is not None:
        evaluation = evaluate_results(results, as_of=as_of)
        verdict, score = verdict_and_score(evaluation, as_of)
        standing = evaluation.standing
        return Judged(
            _row(
                system,
                as_of,
                verdict,
                score,
                level=evaluation.level,
                assessment_type=standing.assessment_type if standing is not None else None,
                status_date=standing.status_date if standing is not None else None,
                deadline=standing.deadline if standing is not None else None,
                regressed=regressed_items(evaluation.diagnostics),
            )
        )
    return Judged(_unjudged(system, as_of, ""))


def _row(
    system: System,
    as_of: dt.date,
    verdict: VerdictView,
    score: ScoreView,
    *,
    level: int | None = None,
    assessment_type: str | None = None,
    status_date: dt.date | None = None,
    deadline: dt.date | None = None,
    regressed: int | None = None,
    problem: str = "",
) -> Row:
    return Row(
        key=system.key,
        name=system.name,
        system_id=system.system_id,
        level=level,
        assessment_type=assessment_type,
        verdict=verdict,
        score=score,
        status_date=status_date,
        deadline=deadline,
        as_of=as_of,
        items=None,
        open_items=None,
        overdue_items=None,
        overdue_milestones=None,
        milestones_after_deadline=None,
        regressed=regressed,
        errors=None,
        warnings=None,
        documents=_shown(system),
        notes=system.notes,
        problem=problem,
    )


def _unjudged(system: System, as_of: dt.date, problem: str) -> Row:
    """A row for a system that could not be judged (`problem`), or that has nothing to judge."""
    verdict, score = verdict_and_score(Evaluation(diagnostics=(), as_of=as_of, level=None), as_of)
    detail = problem or "neither a POA&M nor assessment results were found for it"
    return _row(system, as_of, replace(verdict, detail=detail), score, problem=problem)


def _shown(system: System) -> tuple[str, ...]:
    return tuple(d.shown for d in system.documents)
