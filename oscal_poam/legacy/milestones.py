"""Milestones written as text: several in one cell (FedRAMP `Planned Milestones`), or one per row (the 2018
eMASS `Milestone with Completion Dates`).

People write them one per line, numbered or not (`1. Buy scanner - 01/15/2026`), or run them together
(`1) Buy scanner 01/15/2026 2) Deploy 02/15/2026`). The dates in a milestone's text are read, a date right
after `completed` or `done` being the completion date, and taken out of its title (`Buy scanner`); the text
as written stays the milestone's description. Exports write `Buy scanner (due 2026-01-15)`, and `(due ...)`
and `(completed ...)` are read back as the dates they give, not as words of the title.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from oscal_poam.legacy.dates import find_dates
from oscal_poam.legacy.model import LegacyMilestone

_LEADING_NUMBER = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\d{1,3}\s*[-:]|[-*\u2022\u25cf\u25aa\u25e6])\s+")
_INLINE_NUMBER = re.compile(r"(?:^|(?<=\s))\(?(\d{1,3})[.)]\s+")
_DONE_BEFORE = re.compile(r"(?:completed?|done|closed|finished|achieved|met)\s*(?:on|:|-)?\s*$", re.IGNORECASE)
_DONE_MARK = re.compile(r"[\[(]\s*(?:completed?|done|closed|finished)\s*[\])]", re.IGNORECASE)
_MARKER = re.compile(r"\s*\((due|completed) (\d{4}-\d{2}-\d{2})\)|\s*\((completed)\)")
"""What exports append to a title: `(due 2026-01-15)`, `(completed 2026-01-10)`, `(completed)`."""
_LEAD_WORDS = (
    "due date",
    "scheduled for",
    "target date",
    "by",
    "on",
    "due",
    "scheduled",
    "target",
    "completed",
    "complete",
    "done",
    "closed",
    "finished",
    "achieved",
    "met",
)
"""Words that lead up to a date in a milestone's text (`Buy scanner by 01/15/2026`), taken out with it."""
_EMPTY_BRACKETS = re.compile(r"[(\[]\s*[)\]]")


@dataclass(frozen=True)
class Parsed:
    title: str
    scheduled: dt.date | None
    completed_on: dt.date | None
    completed: bool
    """Marked done in words (`[done]`, `(completed)`) or by a completion date."""


def split_milestones(text: str) -> list[LegacyMilestone]:
    return [milestone_of(segment) for segment in _segments(text)]


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


def parse(segment: str) -> Parsed:
    """A milestone's text: its title (first line, dates taken out), due and completion dates."""
    scheduled: dt.date | None = None
    completed: dt.date | None = None
    done = False
    text = segment
    marks = list(_MARKER.finditer(text))
    if marks:
        for mark in marks:
            if mark.group(3):
                done = True
            elif mark.group(1) == "due":
                scheduled = dt.date.fromisoformat(mark.group(2))
            else:
                completed = dt.date.fromisoformat(mark.group(2))
        text = _MARKER.sub("", text)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    pieces: list[str] = []
    position = 0
    for found in find_dates(first):
        before = first[max(0, found.start - 30) : found.start]
        if completed is None and _DONE_BEFORE.search(before):
            completed = found.date
        elif scheduled is None:
            scheduled = found.date
        pieces.append(_without_lead(first[position : found.start]))
        position = found.end
    pieces.append(first[position:])
    title = " ".join(" ".join(p.strip() for p in pieces if p.strip()).split())
    title = _EMPTY_BRACKETS.sub("", title).strip(" -–—:,;")
    if not done and completed is None and _DONE_MARK.search(first):
        done = True
    return Parsed(" ".join(title.split()), scheduled, completed, done or completed is not None)


def _without_lead(piece: str) -> str:
    """The text before a date without what leads up to it: separators and the words of `_LEAD_WORDS`."""
    while True:
        trimmed = piece.rstrip(" \t-–—:,;")
        lowered = trimmed.lower()
        for word in _LEAD_WORDS:
            if lowered.endswith(word) and (len(trimmed) == len(word) or not trimmed[-len(word) - 1].isalnum()):
                trimmed = trimmed[: -len(word)]
                break
        if trimmed == piece:
            return piece
        piece = trimmed


def milestone_of(segment: str) -> LegacyMilestone:
    """A milestone read from text: the title without its dates, the text as written kept as its description."""
    parsed = parse(segment)
    written = _MARKER.sub("", segment).strip()
    status = "Completed" if parsed.completed and parsed.completed_on is None else ""
    return LegacyMilestone(
        title=parsed.title,
        description=written if written != parsed.title else "",
        scheduled=parsed.scheduled,
        completed_on=parsed.completed_on,
        status=status,
    )


def _day(value: dt.date | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def milestone_text(milestone: LegacyMilestone, number: int) -> str:
    """The text of one milestone in a cell: as written when that still says the same, else the title with
    `(due ...)` and `(completed ...)`, so that reading the cell again gives the same title and dates."""
    scheduled, completed_on = _day(milestone.scheduled), _day(milestone.completed_on)

    def says_the_same(text: str) -> bool:
        found = parse(text)
        return (
            found.title == milestone.title
            and found.scheduled == scheduled
            and found.completed_on == completed_on
            and found.completed == milestone.is_completed
        )

    if milestone.description and says_the_same(milestone.description):
        return milestone.description
    text = milestone.title or f"Milestone {number}"
    found = parse(text)
    if scheduled is not None and found.scheduled != scheduled:
        text += f" (due {scheduled.isoformat()})"
    if completed_on is not None and found.completed_on != completed_on:
        text += f" (completed {completed_on.isoformat()})"
    elif milestone.is_completed and completed_on is None and not found.completed:
        text += " (completed)"
    return text


def format_milestones(milestones: list[LegacyMilestone]) -> str:
    """One numbered line per milestone, so that reading the cell again gives the same milestones."""
    lines = []
    for number, milestone in enumerate(milestones, start=1):
        text = milestone_text(milestone, number).replace("\r\n", "\n")
        lines.append(f"{number}. {text}")
    return "\n".join(lines)
