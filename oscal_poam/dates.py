"""Days read from text in OSCAL props and on the command line (spreadsheet dates: `legacy.dates`)."""

from __future__ import annotations

import datetime as dt


def iso_day(value: str) -> dt.date | None:
    """An ISO date (2026-05-01) or the day of an ISO date-time (2026-05-01T14:00:00-04:00); None for anything else."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


def leading_iso_day(value: str | None) -> dt.date | None:
    """The ISO date `value` starts with, blanks around it ignored (a date-time gives its day); None if none."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
