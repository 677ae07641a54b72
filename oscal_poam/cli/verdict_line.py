"""The one line that states a verdict, worded the same by `derive`, `check` and `score`.

The commands import it when they print, not at start-up: to keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oscal_poam.diagnostics import Severity
from oscal_poam.render.counts import counted

if TYPE_CHECKING:
    import datetime as dt

    from oscal_poam.engine.verdict import Verdict


def verdict_line(verdict: Verdict, day: dt.date | None, *, reasons_at: str = "the errors below") -> str:
    """`Verdict: Conditional Level 2 (C3PAO); 4 requirements on the POA&M; closeout due by 2027-04-14 (180 days
    left as of 2026-10-16)`. `day` is the day counted from (no count without it); `reasons_at` says where the
    reasons for no status are shown."""
    line = f"Verdict: {verdict.statement}"
    if verdict.status in ("conditional", "expired"):
        if verdict.poam:
            line += f"; {counted(len(verdict.poam), 'requirement')} on the POA&M"
        if verdict.deadline is not None:
            due = "closeout due by" if verdict.status == "conditional" else "day 180 was"
            line += f"; {due} {verdict.deadline.isoformat()}"
            if day is not None:
                line += f" ({_days(verdict.deadline, day)})"
    reasons = sum(d.severity is Severity.ERROR for d in verdict.reasons)
    if verdict.status in ("none", "expired") and reasons:
        line += f" ({counted(reasons, 'reason')}: {reasons_at})"
    return line


def _days(deadline: dt.date, day: dt.date) -> str:
    left = (deadline - day).days
    if left >= 0:
        return f"{counted(left, 'day')} left as of {day.isoformat()}"
    return f"{counted(-left, 'day')} past as of {day.isoformat()}"
