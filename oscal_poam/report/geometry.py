"""Coordinates for the HTML report's SVG: the score gauge, the milestone timeline and the family bars.

Templates only place what is computed here, so the drawing is typed, testable and the same for the same
data. Every coordinate is rounded to a tenth of a pixel so that the output is stable.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from oscal_poam.cmmc.regulation import CONDITIONAL_DAYS, EVIDENCE_DAY, PRACTICAL_DEADLINE_DAY
from oscal_poam.report.model import (
    FamilyRow,
    Item,
    ReportData,
    ScoreView,
)

Tone = Literal["good", "warn", "bad", "none"]
DotKind = Literal["completed", "pending", "overdue", "late"]


def _r(value: float) -> float:
    return round(value, 1)


@dataclass(frozen=True)
class Gauge:
    """A half-circle dial: the track, the arc up to the score, and a tick at the threshold."""

    width: int
    height: int
    cx: float
    cy: float
    track: str
    value: str
    """SVG path of the filled arc; '' when there is no score or it is 0."""
    tick: tuple[float, float, float, float] | None
    """x1, y1, x2, y2 of the threshold mark."""
    tone: Tone


GAUGE_RADIUS = 80.0
GAUGE_STROKE = 18.0


def _point(cx: float, cy: float, radius: float, fraction: float) -> tuple[float, float]:
    """The point `fraction` of the way along the upper half circle, left to right."""
    angle = math.pi * (1.0 - fraction)
    return _r(cx + radius * math.cos(angle)), _r(cy - radius * math.sin(angle))


def _arc(cx: float, cy: float, radius: float, start: float, end: float) -> str:
    x1, y1 = _point(cx, cy, radius, start)
    x2, y2 = _point(cx, cy, radius, end)
    return f"M {x1} {y1} A {radius} {radius} 0 0 1 {x2} {y2}"


def gauge(score: ScoreView) -> Gauge:
    width, height = 220, 128
    cx, cy = width / 2, 108.0
    track = _arc(cx, cy, GAUGE_RADIUS, 0.0, 1.0)
    if not score.given or not score.maximum:
        return Gauge(width, height, cx, cy, track, "", None, "none")
    assert score.value is not None
    fraction = min(max(score.value / score.maximum, 0.0), 1.0)
    value = _arc(cx, cy, GAUGE_RADIUS, 0.0, fraction) if fraction > 0 else ""
    tick = None
    if score.threshold is not None:
        t = score.threshold / score.maximum
        inner = _point(cx, cy, GAUGE_RADIUS - GAUGE_STROKE / 2 - 5, t)
        outer = _point(cx, cy, GAUGE_RADIUS + GAUGE_STROKE / 2 + 5, t)
        tick = (*inner, *outer)
    tone: Tone
    if score.value >= score.maximum:
        tone = "good"
    elif score.passes:
        tone = "warn"
    else:
        tone = "bad"
    return Gauge(width, height, cx, cy, track, value, tick, tone)


@dataclass(frozen=True)
class Marker:
    x: float
    label: str
    kind: Literal["checkpoint", "deadline", "today"]
    line: int
    """Which line of the header band the label sits on (0 is the top)."""


@dataclass(frozen=True)
class Zone:
    x: float
    width: float
    kind: Literal["practical", "evidence", "late"]


@dataclass(frozen=True)
class Tick:
    x: float
    day: int
    date: str


@dataclass(frozen=True)
class Dot:
    x: float
    kind: DotKind
    title: str


@dataclass(frozen=True)
class Row:
    y: float
    label: str
    closed: bool
    x1: float | None
    x2: float | None
    dots: tuple[Dot, ...]
    note: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    anchored: bool
    """True when the days count from the Conditional CMMC Status Date."""
    origin: dt.date
    zones: tuple[Zone, ...]
    markers: tuple[Marker, ...]
    ticks: tuple[Tick, ...]
    rows: tuple[Row, ...]


TIMELINE_WIDTH = 1000
LABEL_WIDTH = 150.0
ROW_HEIGHT = 26.0
HEADER = 52.0
AXIS = 40.0
TICK_STEPS = (7, 14, 30, 61, 91, 182, 365)
"""Days between the axis's ticks, from a week to a year: the shortest that leaves at most MAX_TICKS ticks."""
MAX_TICKS = 10
"""How many date labels fit under the timeline's width without touching."""


def tick_step(span: int) -> int:
    """Weeks, months, quarters (or longer) between ticks, by the span of days the timeline shows."""
    return next((step for step in TICK_STEPS if span / step <= MAX_TICKS), -(-span // MAX_TICKS))


def timeline(data: ReportData) -> Timeline:
    anchored = data.status_date is not None and data.clock_runs
    dates = [m.date for i in data.items for m in i.milestones if m.date is not None]
    origin = data.status_date if anchored and data.status_date is not None else min([*dates, data.as_of])
    days = [(d - origin).days for d in dates]
    today = (data.as_of - origin).days
    low = min([0, today, *days])
    high = max([CONDITIONAL_DAYS if anchored else 0, today, *days]) + 6
    left, right = LABEL_WIDTH, TIMELINE_WIDTH - 20.0
    top = HEADER
    bottom = top + ROW_HEIGHT * max(len(data.items), 1)

    def x(day: int) -> float:
        return _r(left + (day - low) * (right - left) / max(high - low, 1))

    zones: list[Zone] = []
    markers: list[Marker] = []
    if anchored:
        bands = (
            (PRACTICAL_DEADLINE_DAY, EVIDENCE_DAY, "practical"),
            (EVIDENCE_DAY, CONDITIONAL_DAYS, "evidence"),
            (CONDITIONAL_DAYS, high, "late"),
        )
        for start, end, kind in bands:
            if end > start:
                zones.append(Zone(x(start), _r(x(end) - x(start)), kind))  # type: ignore[arg-type]
        markers.extend(
            [
                # Later days on higher lines: each label sits left of its line, clear of the lines further right.
                Marker(x(PRACTICAL_DEADLINE_DAY), f"day {PRACTICAL_DEADLINE_DAY}: practical deadline", "checkpoint", 2),
                Marker(x(EVIDENCE_DAY), f"day {EVIDENCE_DAY}: submit closeout evidence", "checkpoint", 1),
                Marker(x(CONDITIONAL_DAYS), f"day {CONDITIONAL_DAYS}: deadline", "deadline", 0),
            ]
        )
    markers.append(Marker(x(today), f"as of {data.as_of.isoformat()}", "today", 3))

    step = tick_step(high - low)
    first_tick = -(-low // step) * step
    ticks = tuple(
        Tick(x(day), day, (origin + dt.timedelta(days=day)).isoformat()) for day in range(first_tick, high + 1, step)
    )
    rows = tuple(_row(item, n, top, origin, data.deadline, x) for n, item in enumerate(data.items))
    return Timeline(
        TIMELINE_WIDTH,
        int(bottom + AXIS),
        left,
        right,
        top,
        bottom,
        anchored,
        origin,
        tuple(zones),
        tuple(markers),
        ticks,
        rows,
    )


def _row(
    item: Item, n: int, top: float, origin: dt.date, deadline: dt.date | None, place: Callable[[int], float]
) -> Row:
    dots = []
    for m in item.milestones:
        if m.date is None:
            continue
        kind: DotKind
        if m.completed:
            kind = "completed"
        elif m.overdue:
            kind = "overdue"
        elif deadline is not None and m.date > deadline:
            kind = "late"
        else:
            kind = "pending"
        state = {"completed": "completed", "pending": "pending", "overdue": "overdue", "late": "after the deadline"}
        when = m.date.isoformat() if m.start is None else f"{m.start.isoformat()} to {m.date.isoformat()}"
        if m.completed and m.completed_on is not None:
            when += f", completed {m.completed_on.isoformat()}"
        dots.append(Dot(place((m.date - origin).days), kind, f"{m.title} ({when}; {state[kind]})"))
    undated = sum(m.date is None for m in item.milestones)
    note = ""
    if not item.milestones:
        note = "no milestones"
    elif undated:
        note = f"{undated} undated milestone{'' if undated == 1 else 's'}"
    xs = [d.x for d in dots]
    return Row(
        y=_r(top + ROW_HEIGHT * n + ROW_HEIGHT / 2),
        label=item.label,
        closed=item.closed,
        x1=min(xs) if xs else None,
        x2=max(xs) if xs else None,
        dots=tuple(dots),
        note=note,
    )


@dataclass(frozen=True)
class Bar:
    """A family's requirements as percentages: MET, N/A, NOT MET, not assessed."""

    met: float
    not_applicable: float
    not_met: float
    not_assessed: float


def family_bar(row: FamilyRow) -> Bar:
    total = max(row.requirements, 1)

    def share(n: int | None) -> float:
        return _r(100.0 * (n or 0) / total)

    return Bar(share(row.met), share(row.not_applicable), share(row.not_met), share(row.not_assessed))


@dataclass(frozen=True)
class Clock:
    """How far the 180 days have run: the elapsed share and the checkpoints, as percentages."""

    day: int
    elapsed: float
    checkpoints: tuple[tuple[float, int], ...]
    tone: Tone


def clock(data: ReportData) -> Clock | None:
    """The 180-day clock of a Conditional (or expired) status; None when it does not run or cannot be placed."""
    day = data.day
    if day is None or data.verdict.kind not in ("conditional", "expired"):
        return None
    elapsed = _r(100.0 * min(max(day, 0), CONDITIONAL_DAYS) / CONDITIONAL_DAYS)
    marks = tuple((_r(100.0 * d / CONDITIONAL_DAYS), d) for d in (PRACTICAL_DEADLINE_DAY, EVIDENCE_DAY))
    tone: Tone = "good" if day < PRACTICAL_DEADLINE_DAY else "warn" if day <= CONDITIONAL_DAYS else "bad"
    return Clock(day, elapsed, marks, tone)
