"""A portfolio's rows: where each system stands, as its report shows it, and the order of urgency.

Every figure of a row is the engine's, laid out by the report module (`oscal_poam.report.model`): the verdict,
the score, the items and milestones. This module only picks them and decides the order in which the rows are
shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypedDict

from oscal_poam.cmmc import regulation
from oscal_poam.diagnostics import Severity
from oscal_poam.report.model import ReportData, ScoreView, VerdictView

CHECKPOINTS: tuple[tuple[int, str], ...] = (
    (regulation.PRACTICAL_DEADLINE_DAY, "practical deadline"),
    (regulation.EVIDENCE_DAY, "submit closeout evidence"),
    (regulation.CONDITIONAL_DAYS, "deadline"),
)
"""The days of a Conditional status that matter, after the Conditional CMMC Status Date, and what each is."""

URGENCY: dict[str, int] = {"expired": 0, "conditional": 1, "none": 2, "unknown": 3, "final": 4}
"""The order of verdicts: an expired status first, then Conditional ones (fewest days left first), then no
status, then systems the documents do not let us judge, then Final ones."""

CLOCK_RUNS = ("conditional", "expired")
"""The verdicts with a 180-day clock."""


@dataclass(frozen=True)
class Checkpoint:
    day: int
    what: str
    date: dt.date
    days_until: int


def next_checkpoint(status_date: dt.date, as_of: dt.date) -> Checkpoint | None:
    """The first of day 120, 150 and 180 on or after `as_of`; None once day 180 has passed."""
    for day, what in CHECKPOINTS:
        date = status_date + dt.timedelta(days=day)
        if date >= as_of:
            return Checkpoint(day, what, date, (date - as_of).days)
    return None


@dataclass(frozen=True)
class Row:
    """One system of the portfolio."""

    key: str
    name: str
    system_id: str
    level: int | None
    assessment_type: str | None
    verdict: VerdictView
    score: ScoreView
    status_date: dt.date | None
    deadline: dt.date | None
    as_of: dt.date
    items: int | None
    """POA&M items; None without a POA&M."""
    open_items: int | None
    overdue_items: int | None
    """Open items with a pending milestone whose date has passed."""
    overdue_milestones: int | None
    milestones_after_deadline: int | None
    regressed: int | None
    """Items whose verification regressed; None where the engine does not report it."""
    errors: int | None
    warnings: int | None
    documents: tuple[str, ...]
    """The documents judged: POA&M, results, SSP, as far as found."""
    report: str | None = None
    """The href of the system's own report, relative to the portfolio page; None when it has none."""
    notes: tuple[str, ...] = ()
    problem: str = ""
    """Why the system could not be judged ('' when it was)."""

    @property
    def clock_runs(self) -> bool:
        return self.verdict.kind in CLOCK_RUNS and self.deadline is not None

    @property
    def day(self) -> int | None:
        if not self.clock_runs or self.status_date is None:
            return None
        return regulation.day_of(self.status_date, self.as_of)

    @property
    def days_left(self) -> int | None:
        """Days to day 180 (negative once past), with a Conditional or expired status only."""
        if not self.clock_runs or self.deadline is None:
            return None
        return (self.deadline - self.as_of).days

    @property
    def checkpoint(self) -> Checkpoint | None:
        if not self.clock_runs or self.status_date is None:
            return None
        return next_checkpoint(self.status_date, self.as_of)

    def urgency(self) -> tuple[int, int, int, int, str]:
        """Sort key: see URGENCY; then more overdue milestones, more open items, and the name."""
        left = self.days_left
        return (
            URGENCY.get(self.verdict.kind, len(URGENCY)) if not self.problem else len(URGENCY),
            left if left is not None else 0,
            -(self.overdue_milestones or 0),
            -(self.open_items or 0),
            self.name.casefold() + "\0" + self.key,
        )

    def to_dict(self) -> dict[str, Any]:
        checkpoint = self.checkpoint
        return {
            "key": self.key,
            "name": self.name,
            "system-id": self.system_id or None,
            "level": self.level,
            "assessment-type": self.assessment_type,
            "verdict": self.verdict.kind,
            "headline": self.verdict.headline,
            "cmmc-status": self.verdict.cmmc_status or None,
            "qualifier": self.verdict.qualifier or None,
            "detail": self.verdict.detail,
            "score": self.score.value,
            "maximum": self.score.maximum,
            "threshold": self.score.threshold,
            "score-source": self.score.source,
            "status-date": _day(self.status_date),
            "deadline": _day(self.deadline) if self.clock_runs else None,
            "day": self.day,
            "days-left": self.days_left,
            "next-checkpoint": {
                "day": checkpoint.day,
                "what": checkpoint.what,
                "date": checkpoint.date.isoformat(),
                "days-until": checkpoint.days_until,
            }
            if checkpoint is not None
            else None,
            "items": self.items,
            "open-items": self.open_items,
            "overdue-items": self.overdue_items,
            "overdue-milestones": self.overdue_milestones,
            "milestones-after-deadline": self.milestones_after_deadline,
            "regressed-verification": self.regressed,
            "errors": self.errors,
            "warnings": self.warnings,
            "documents": list(self.documents),
            "report": self.report,
            "notes": list(self.notes),
            "problem": self.problem or None,
        }


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


class Counts(TypedDict):
    items: int
    open_items: int
    overdue_items: int
    overdue_milestones: int
    milestones_after_deadline: int
    errors: int
    warnings: int


def counts_of(data: ReportData) -> Counts:
    """What a row counts of a report: items, open, overdue, milestones overdue and after day 180, diagnostics."""
    return {
        "items": len(data.items),
        "open_items": data.open_items,
        "overdue_items": sum(1 for i in data.items if not i.closed and i.overdue),
        "overdue_milestones": data.overdue_milestones,
        "milestones_after_deadline": data.milestones_after_deadline,
        "errors": data.count(Severity.ERROR),
        "warnings": data.count(Severity.WARNING),
    }
