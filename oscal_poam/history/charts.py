"""Coordinates of the trend charts (inline SVG): time on the x axis, counts, scores and days on the y axis.

Templates only place what is computed here, so the drawing is typed, testable and the same for the same data.
Every coordinate is rounded to a tenth of a pixel so that the output is stable.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from oscal_poam.history.trends import Month

WIDTH = 600
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 44.0, 16.0, 34.0, 34.0


def _r(value: float) -> float:
    return round(value, 1)


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Frame:
    """The plotting area of a chart and its axes."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]


@dataclass(frozen=True)
class TimeScale:
    start: dt.date
    end: dt.date
    left: float
    right: float

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        return _r(self.left + (day - self.start).days * (self.right - self.left) / span)


def time_ticks(scale: TimeScale) -> tuple[Tick, ...]:
    """Ticks by week, month or quarter, whichever keeps about four to twelve of them on the span."""
    span = (scale.end - scale.start).days
    ticks: list[Tick] = []
    if span <= 70:
        day = scale.start + dt.timedelta(days=(7 - scale.start.weekday()) % 7)
        while day <= scale.end:
            ticks.append(Tick(scale.x(day), day.isoformat()[5:]))
            day += dt.timedelta(days=7)
        return tuple(ticks)
    step = 1 if span <= 400 else 3 if span <= 1200 else 12
    month = dt.date(scale.start.year, scale.start.month, 1)
    while month <= scale.end:
        if month >= scale.start and (month.month - 1) % step == 0:
            ticks.append(Tick(scale.x(month), month.strftime("%Y-%m") if step < 12 else str(month.year)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return tuple(ticks)


def nice_step(high: float, wanted: int = 5) -> float:
    """A step of 1, 2 or 5 times a power of ten giving about `wanted` steps up to `high`."""
    if high <= 0:
        return 1.0
    raw = high / wanted
    power = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


@dataclass(frozen=True)
class ValueScale:
    low: float
    high: float
    top: float
    bottom: float

    def y(self, value: float) -> float:
        span = max(self.high - self.low, 1e-9)
        return _r(self.bottom - (value - self.low) * (self.bottom - self.top) / span)


def value_scale(
    low: float, high: float, top: float, bottom: float, whole: bool = True
) -> tuple[ValueScale, tuple[Tick, ...]]:
    step = max(nice_step(high - low), 1.0) if whole else nice_step(high - low)
    low = math.floor(low / step) * step
    high = max(math.ceil(high / step) * step, low + step)
    scale = ValueScale(low, high, top, bottom)
    ticks = []
    value = low
    while value <= high + 1e-9:
        ticks.append(Tick(scale.y(value), f"{value:g}"))
        value += step
    return scale, tuple(ticks)


@dataclass(frozen=True)
class Marker:
    x: float
    label: str
    kind: str
    """`check` (day 120, 150), `deadline` (day 180), `today` (the as-of day)."""


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    kind: str
    title: str


@dataclass(frozen=True)
class StepChart:
    """A value that holds from one version to the next: open items, or the score."""

    frame: Frame
    path: str
    area: str
    dots: tuple[Dot, ...]
    markers: tuple[Marker, ...]
    bands: tuple[Band, ...]
    """The verdict of each stretch, as a strip under the plot."""
    threshold: float | None = None
    """The y of the score threshold line."""


def step_chart(
    series: Sequence[tuple[dt.date, float, str]],
    start: dt.date,
    end: dt.date,
    *,
    markers: Sequence[tuple[dt.date, str, str]] = (),
    verdicts: Sequence[tuple[dt.date, str, str]] = (),
    low: float | None = 0.0,
    high: float | None = None,
    threshold: float | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> StepChart:
    """A step line through `series` (day, value, what the dot says) from `start` to `end`."""
    band = 8.0 if verdicts else 0.0
    bottom = height - BOTTOM - band
    times = TimeScale(start, end, LEFT, width - RIGHT)
    values = [v for _, v, _ in series]
    if threshold is not None:
        values.append(threshold)
    floor = min(values, default=0.0) if low is None else low
    if low is None:
        floor = max(0.0, floor - max((max(values, default=1.0) - floor) * 0.2, 2.0))
    scale, y_ticks = value_scale(floor, max([*values, high or 0.0, floor + 1.0]), TOP, bottom)
    path, area, dots = "", "", []
    if series:
        xs = [times.x(d) for d, _, _ in series]
        ys = [scale.y(v) for _, v, _ in series]
        parts = [f"M {xs[0]} {ys[0]}"]
        for n in range(1, len(xs)):
            parts.append(f"H {xs[n]} V {ys[n]}")
        parts.append(f"H {times.x(end)}")
        path = " ".join(parts)
        area = f"{path} V {_r(bottom)} H {xs[0]} Z"
        dots = [Dot(x, y, title) for x, y, (_, _, title) in zip(xs, ys, series, strict=True)]
    frame = Frame(width, height, LEFT, width - RIGHT, TOP, bottom, time_ticks(times), y_ticks)
    placed = tuple(Marker(times.x(day), label, kind) for day, label, kind in markers if start <= day <= end)
    bands = []
    for n, (day, kind, title) in enumerate(verdicts):
        until = verdicts[n + 1][0] if n + 1 < len(verdicts) else end
        x1, x2 = times.x(max(day, start)), times.x(min(until, end))
        if x2 > x1:
            bands.append(Band(x1, _r(x2 - x1), kind, title))
    line = scale.y(threshold) if threshold is not None else None
    return StepChart(frame, path, area, tuple(dots), placed, tuple(bands), line)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    kind: str
    title: str


@dataclass(frozen=True)
class BarChart:
    frame: Frame
    bars: tuple[Bar, ...]
    labels: tuple[Tick, ...]


def month_bars(found: Sequence[Month], *, width: int = WIDTH, height: int = HEIGHT) -> BarChart:
    """Opened and closed items side by side for each month."""
    bottom = height - BOTTOM
    left, right = LEFT, width - RIGHT
    high = max([1, *(m.opened for m in found), *(m.closed for m in found)])
    scale, y_ticks = value_scale(0, high, TOP, bottom)
    slot = (right - left) / max(len(found), 1)
    bar = max(min(slot * 0.38, 18.0), 1.0)
    bars, labels = [], []
    every = max(1, math.ceil(len(found) / 12))
    for n, m in enumerate(found):
        middle = left + slot * (n + 0.5)
        for offset, kind, value in ((-bar, "opened", m.opened), (0.0, "closed", m.closed)):
            top = scale.y(value)
            title = f"{m.month}: {value} {kind}"
            bars.append(Bar(_r(middle + offset), top, _r(bar), _r(bottom - top), kind, title))
        if n % every == 0:
            labels.append(Tick(_r(middle), m.month))
    frame = Frame(width, height, left, right, TOP, bottom, tuple(labels), y_ticks)
    return BarChart(frame, tuple(bars), tuple(labels))


@dataclass(frozen=True)
class Spark:
    width: int
    height: int
    path: str
    last: str


def sparkline(series: Sequence[tuple[dt.date, float]], start: dt.date, end: dt.date, width: int = 160,
              height: int = 32) -> Spark:  # fmt: skip
    """A small step line of `series`, for a table cell."""
    if not series:
        return Spark(width, height, "", "")
    times = TimeScale(start, end, 2.0, width - 2.0)
    values = [v for _, v in series]
    low, high = min(values), max(values)
    scale = ValueScale(low if high > low else low - 1, high if high > low else high + 1, 3.0, height - 3.0)
    parts = [f"M {times.x(series[0][0])} {scale.y(series[0][1])}"]
    for day, value in series[1:]:
        parts.append(f"H {times.x(day)} V {scale.y(value)}")
    parts.append(f"H {times.x(end)}")
    return Spark(width, height, " ".join(parts), f"{series[-1][1]:g}")
