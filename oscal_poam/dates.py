"""Days read from text in OSCAL props and on the command line (spreadsheet dates: `legacy.dates`).

A day after LAST_DAY is not read as a day: deadlines and checkpoints are counted from the days a document
gives, and counted from such a day they would pass the end of the calendar (31 December 9999).
"""

from __future__ import annotations

import datetime as dt

LAST_DAY = dt.date(9998, 12, 31)
"""The last day the rules count from: 180 days on, and a report's timeline around it, stay in the calendar."""


def in_range(day: dt.date) -> bool:
    return day <= LAST_DAY


def iso_day(value: str) -> dt.date | None:
    """An ISO date (2026-05-01) or the day of an ISO date-time (2026-05-01T14:00:00-04:00); None for anything else,
    and for a day after LAST_DAY."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        try:
            day = dt.datetime.fromisoformat(value).date()
        except ValueError:
            return None
    return day if in_range(day) else None


def leading_iso_day(value: str | None) -> dt.date | None:
    """The ISO date `value` starts with, blanks around it ignored (a date-time gives its day); None if none, and
    for a day after LAST_DAY."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
    return day if in_range(day) else None
