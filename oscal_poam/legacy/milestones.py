"""Milestones written together in one cell (FedRAMP `Planned Milestones`, older eMASS layouts).

People write them one per line, numbered or not (`1. Buy scanner - 01/15/2026`), or run them together
(`1) Buy scanner 01/15/2026 2) Deploy 02/15/2026`). Each milestone keeps its text as written; the
dates in it are read, a date right after `completed` or `done` being the completion date.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from oscal_poam.legacy.dates import find_dates
from oscal_poam.legacy.model import LegacyMilestone

_LEADING_NUMBER = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\d{1,3}\s*[-:]|[-*\u2022\u25cf\u25aa\u25e6])\s+")
_INLINE_NUMBER = re.compile(r"(?:^|(?<=\s))\(?(\d{1,3})[.)]\s+")
_DONE_BEFORE = re.compile(r"(?:completed?|done|closed|finished|achieved|met)\s*(?:on|:|-)?\s*$", re.IGNORECASE)
_DONE_MARK = re.compile(r"[\[(]\s*(?:completed?|done|closed|finished)\s*[\])]", re.IGNORECASE)


def split_milestones(text: str) -> list[LegacyMilestone]:
    return [parse_milestone(segment) for segment in _segments(text)]


def _segments(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]
    if not lines:
        return []
    if len(lines) == 1:
        return _split_one_line(lines[0])
    if not any(_LEADING_NUMBER.match(line) for line in lines):
        return [line.strip() for line in lines]
    segments: list[str] = []
    for line in lines:
        if _LEADING_NUMBER.match(line) or not segments:
            segments.append(_LEADING_NUMBER.sub("", line, count=1).strip())
        else:
            segments[-1] += "\n" + line.strip()
    return segments


def _split_one_line(line: str) -> list[str]:
    markers = list(_INLINE_NUMBER.finditer(line))
    expected = 1
    starts: list[re.Match[str]] = []
    for marker in markers:
        if int(marker.group(1)) == expected:
            starts.append(marker)
            expected += 1
    if len(starts) >= 2 and not line[: starts[0].start()].strip():
        bounds = [m.start() for m in starts] + [len(line)]
        return [_LEADING_NUMBER.sub("", line[a:b], count=1).strip() for a, b in itertools.pairwise(bounds)]
    parts = [p.strip() for p in line.split(";") if p.strip()]
    if len(parts) >= 2 and all(any(True for _ in find_dates(p)) for p in parts):
        return [_LEADING_NUMBER.sub("", p, count=1).strip() for p in parts]
    return [_LEADING_NUMBER.sub("", line, count=1).strip()]


def parse_milestone(segment: str) -> LegacyMilestone:
    scheduled: dt.date | None = None
    completed: dt.date | None = None
    for found in find_dates(segment):
        if completed is None and _DONE_BEFORE.search(segment[max(0, found.start - 30) : found.start]):
            completed = found.date
        elif scheduled is None:
            scheduled = found.date
    status = "Completed" if completed is None and _DONE_MARK.search(segment) else ""
    return LegacyMilestone(description=segment, scheduled=scheduled, completed_on=completed, status=status)


def format_milestones(milestones: list[LegacyMilestone]) -> str:
    """One numbered line per milestone, so that reading the cell again gives the same milestones."""
    lines = []
    for number, milestone in enumerate(milestones, start=1):
        text = milestone.description.strip() or f"Milestone {number}"
        parsed = parse_milestone(text)
        if milestone.scheduled is not None and parsed.scheduled != milestone.scheduled:
            text += f" (due {milestone.scheduled.isoformat()})"
        if (milestone.is_completed and not parsed.is_completed) or milestone.completed_on != parsed.completed_on:
            if milestone.completed_on is not None:
                text += f" (completed {milestone.completed_on.isoformat()})"
            elif milestone.is_completed:
                text += " (completed)"
        lines.append(f"{number}. {text}")
    return "\n".join(lines)
