"""The trends of a system's history, and of a portfolio's: every figure defined here, computed from the versions.

For each version that changed a system's documents, the engine judges the system as of the day the version was
recorded (`history.judge`); the trends are what those judgements and the POA&M's snapshots say, in order:

- **open items over time**: the items not closed in each version;
- **opened and closed per month**: an item is opened on the day its risk log says (its first entry opening it,
  else its earliest entry), else on the day of the first version holding it; it is closed on the day its risk log
  says (its latest entry closing it: the completion date), else on the day of the first version showing it
  closed; a closed item open again in a later version is reopened on that version's day, and counts as opened;
- **time to remediate**: for each item closed in its latest version, the days from its opening to its closing,
  both from its risk log (items whose risk log dates neither are counted apart); the mean and the median;
- **score over time**: the score each version's judgement shows (the results', else what the POA&M records);
- **milestone slips**: a milestone whose date a version moved later than the version before it had it, with the
  justification the new version records (`diff.compare`);
- **the 180-day countdown**: the days from the Conditional CMMC Status Date to day 180, as of each version and
  as of the day asked.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from oscal_poam.diff.compare import compare
from oscal_poam.diff.snapshot import EMPTY, ItemState, PoamState
from oscal_poam.history.judge import Judgement
from oscal_poam.history.versions import Version

EventKind = Literal["opened", "closed", "reopened"]


@dataclass(frozen=True)
class Point:
    """A system as one version left it."""

    day: dt.date
    ref: str
    subject: str
    items: int | None
    open_items: int | None
    score: int | None
    maximum: int | None
    threshold: int | None
    verdict: str
    status: str
    status_date: dt.date | None
    deadline: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "ref": self.ref,
            "subject": self.subject or None,
            "items": self.items,
            "open-items": self.open_items,
            "score": self.score,
            "maximum": self.maximum,
            "verdict": self.verdict,
            "cmmc-status": self.status or None,
        }


@dataclass(frozen=True)
class Event:
    kind: EventKind
    day: dt.date
    item: str
    item_uuid: str
    source: Literal["risk-log", "version"]
    """Where the day comes from: the item's risk log, or the version it first shows in."""


@dataclass(frozen=True)
class Slip:
    day: dt.date
    """The day of the version that moved it."""
    ref: str
    subject: str
    item: str
    milestone: str
    before: str
    after: str
    days: int
    justification: str
    source: str
    """Where the justification was recorded: `risk-log`, `remarks`, or '' when nowhere."""

    def to_dict(self, system: str = "") -> dict[str, Any]:
        data = {"system": system} if system else {}
        return {
            **data,
            "day": self.day.isoformat(),
            "ref": self.ref,
            "subject": self.subject or None,
            "item": self.item,
            "milestone": self.milestone,
            "before": self.before,
            "after": self.after,
            "days": self.days,
            "justification": self.justification or None,
            "justification-source": self.source or None,
        }


@dataclass(frozen=True)
class Remediation:
    item: str
    item_uuid: str
    opened: dt.date
    closed: dt.date

    @property
    def days(self) -> int:
        return (self.closed - self.opened).days


@dataclass(frozen=True)
class Month:
    month: str
    """YYYY-MM."""
    opened: int
    closed: int


def months(events: Iterable[Event], until: dt.date | None = None) -> list[Month]:
    """Items opened (reopened included) and closed in each month, from the first event's month to the last's
    (or `until`'s), months with none included."""
    found = sorted(events, key=lambda e: e.day)
    if not found:
        return []
    first = found[0].day.replace(day=1)
    last = max(found[-1].day, until or found[-1].day).replace(day=1)
    counts: dict[str, list[int]] = {}
    current = first
    while current <= last:
        counts[current.strftime("%Y-%m")] = [0, 0]
        current = (current + dt.timedelta(days=32)).replace(day=1)
    for e in found:
        key = e.day.strftime("%Y-%m")
        if key in counts:
            counts[key][0 if e.kind in ("opened", "reopened") else 1] += 1
    return [Month(m, opened, closed) for m, (opened, closed) in counts.items()]


def mean_days(remediations: Sequence[Remediation]) -> float | None:
    return statistics.fmean(r.days for r in remediations) if remediations else None


def median_days(remediations: Sequence[Remediation]) -> float | None:
    return float(statistics.median(r.days for r in remediations)) if remediations else None


@dataclass
class Track:
    """The history of one system, built version by version."""

    key: str
    name: str = ""
    system_id: str = ""
    points: list[Point] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    slips: list[Slip] = field(default_factory=list)
    latest_items: dict[str, ItemState] = field(default_factory=dict)
    """Each item as the latest version holding it has it."""
    state: PoamState | None = None
    problems: list[str] = field(default_factory=list)

    def add(self, version: Version, judgement: Judgement) -> None:
        state = judgement.state
        score = judgement.score
        self.points.append(
            Point(
                day=version.day,
                ref=version.ref,
                subject=version.subject,
                items=len(state.items) if state is not None else None,
                open_items=state.open_items if state is not None else None,
                score=score.value,
                maximum=score.maximum,
                threshold=score.threshold,
                verdict=judgement.verdict.kind,
                status=judgement.verdict.cmmc_status,
                status_date=judgement.status_date,
                deadline=judgement.deadline,
            )
        )
        if state is None:
            return
        diff = compare(self.state or EMPTY, state)
        for change in diff.changes:
            item = state.item(change.item_uuid)
            if change.kind == "item-added" and item is not None:
                opened = item.opened_on
                self.events.append(Event("opened", opened or version.day, item.label, item.uuid,
                                         "risk-log" if opened else "version"))  # fmt: skip
                if item.closed:
                    self._closed(item, version)
            elif change.kind == "item-closed" and item is not None:
                self._closed(item, version)
            elif change.kind == "item-reopened" and item is not None:
                self.events.append(Event("reopened", version.day, item.label, item.uuid, "version"))
            elif change.slipped and change.days is not None:
                why = change.justification
                self.slips.append(
                    Slip(
                        version.day,
                        version.ref,
                        version.subject,
                        change.item,
                        change.milestone,
                        change.before,
                        change.after,
                        change.days,
                        why.text if why is not None else "",
                        why.source if why is not None else "",
                    )
                )
        for item in state.items:
            self.latest_items[item.uuid] = item
        self.state = state

    def _closed(self, item: ItemState, version: Version) -> None:
        closed = item.closed_on
        self.events.append(Event("closed", closed or version.day, item.label, item.uuid,
                                 "risk-log" if closed else "version"))  # fmt: skip

    def remediations(self) -> tuple[list[Remediation], int]:
        """Items closed in their latest version with both days in their risk log, and how many closed items lack
        one of them."""
        done, undated = [], 0
        for item in self.latest_items.values():
            if not item.closed:
                continue
            opened, closed = item.opened_on, item.closed_on
            if opened is None or closed is None:
                undated += 1
                continue
            done.append(Remediation(item.label, item.uuid, opened, closed))
        return sorted(done, key=lambda r: (r.closed, r.item)), undated


def open_items_over_time(series: Sequence[Sequence[Point]]) -> list[tuple[dt.date, int]]:
    """The open items of several systems on each day a version changed them: each system's latest count, summed
    (a system counts from its first version on; several versions on one day: the last)."""
    changes = sorted(
        ((p.day, n, index, p.open_items) for index, points in enumerate(series) for n, p in enumerate(points)
         if p.open_items is not None),
        key=lambda c: (c[0], c[2], c[1]),
    )  # fmt: skip
    current: dict[int, int] = {}
    found: dict[dt.date, int] = {}
    for day, _, index, value in changes:
        current[index] = value
        found[day] = sum(current.values())
    return list(found.items())
