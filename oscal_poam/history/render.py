"""The trends as pages: the charts of each system and of the portfolio (HTML), and a Markdown summary.

The figures are `history.trends`'; the coordinates are `history.charts`'. The HTML is rendered with the portfolio's
templates (`portfolio/templates`): `oscal-poam trend` makes a page of its own, `portfolio --history` adds the same
sections to the portfolio page.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from oscal_poam.cmmc import regulation
from oscal_poam.history.api import SystemTrend, Trends
from oscal_poam.history.charts import BarChart, Spark, StepChart, month_bars, sparkline, step_chart
from oscal_poam.history.trends import Point, Slip
from oscal_poam.portfolio.pages import days_text, environment, page_context
from oscal_poam.report.markdown import escape

VERDICT_WORDS = {"final": "Final", "conditional": "Conditional", "expired": "expired", "none": "no status",
                 "unknown": "not judged"}  # fmt: skip


@dataclass(frozen=True)
class SystemView:
    trend: SystemTrend
    open_items: StepChart | None
    score: StepChart | None
    per_month: BarChart | None
    open_spark: Spark
    score_spark: Spark

    @property
    def slips(self) -> list[tuple[SystemTrend, Slip]]:
        return [(self.trend, slip) for slip in self.trend.slips]


@dataclass(frozen=True)
class TrendView:
    trends: Trends
    open_items: StepChart
    per_month: BarChart
    systems: tuple[SystemView, ...]
    by_key: dict[str, SystemTrend]


def _verdict_strip(points: tuple[Point, ...]) -> list[tuple[dt.date, str, str]]:
    strip: list[tuple[dt.date, str, str]] = []
    for p in points:
        if not strip or strip[-1][1] != p.verdict:
            strip.append(
                (p.day, p.verdict, f"{p.day.isoformat()}: {p.status or VERDICT_WORDS.get(p.verdict, p.verdict)}")
            )
    return strip


def _markers(system: SystemTrend, as_of: dt.date) -> list[tuple[dt.date, str, str]]:
    found = [(as_of, f"as of {as_of.isoformat()}", "today")]
    countdown = system.countdown(as_of)
    if countdown is not None:
        for day, kind in (
            (regulation.PRACTICAL_DEADLINE_DAY, "check"),
            (regulation.EVIDENCE_DAY, "check"),
            (regulation.CONDITIONAL_DAYS, "deadline"),
        ):
            found.append((countdown.status_date + dt.timedelta(days=day), f"day {day}", kind))
    return found


def system_view(system: SystemTrend, start: dt.date, as_of: dt.date) -> SystemView:
    countdown = system.countdown(as_of)
    end = max(as_of, countdown.deadline) if countdown is not None else as_of
    counted = [(p.day, float(p.open_items), _says(p, f"{p.open_items} open of {p.items}"))
               for p in system.points if p.open_items is not None]  # fmt: skip
    scored = [(p.day, float(p.score), _says(p, f"score {p.score} of {p.maximum}"))
              for p in system.points if p.score is not None]  # fmt: skip
    strip = _verdict_strip(system.points)
    markers = _markers(system, as_of)
    open_chart = step_chart(counted, start, end, markers=markers, verdicts=strip) if counted else None
    threshold = next((float(p.threshold) for p in reversed(system.points) if p.threshold is not None), None)
    maximum = next((float(p.maximum) for p in reversed(system.points) if p.maximum is not None), None)
    score_chart = (
        step_chart(scored, start, end, markers=markers, low=None, high=maximum, threshold=threshold) if scored else None
    )
    months = system.months
    return SystemView(
        system,
        open_chart,
        score_chart,
        month_bars(months) if months else None,
        sparkline([(d, v) for d, v, _ in counted], start, as_of),
        sparkline([(d, v) for d, v, _ in scored], start, as_of),
    )


def _says(p: Point, what: str) -> str:
    said = f"{p.day.isoformat()} {p.ref[:10]}: {what}"
    return f"{said} ({p.subject})" if p.subject else said


def trend_view(trends: Trends) -> TrendView:
    start, as_of = trends.start, trends.as_of
    series = [(d, float(n), f"{d.isoformat()}: {n} open items") for d, n in trends.open_items]
    return TrendView(
        trends,
        step_chart(series, start, as_of, markers=[(as_of, f"as of {as_of.isoformat()}", "today")]),
        month_bars(trends.months),
        tuple(system_view(s, start, as_of) for s in trends.systems),
        trends.by_key,
    )


def render_html(trends: Trends) -> str:
    """The trend page: one self-contained page with inline SVG charts; it prints."""
    view = trend_view(trends)
    return environment().get_template("trend.html.j2").render(t=trends, **page_context(view))


def render_json(trends: Trends) -> str:
    return json.dumps(trends.to_dict(), indent=2, ensure_ascii=False) + "\n"


def markdown_lines(trends: Trends) -> list[str]:
    """The trends in Markdown: the portfolio's figures, a row per system, and the milestone slips."""
    total_opened = sum(m.opened for m in trends.months)
    total_closed = sum(m.closed for m in trends.months)
    series = trends.open_items
    lines = [
        f"### Trends since {trends.start.isoformat()}",
        "",
        f"Open items: {series[0][1] if series else 0} → {series[-1][1] if series else 0}. Opened {total_opened}, "
        f"closed {total_closed}. Time to remediate: mean {days_text(trends.mean_days)}, median "
        f"{days_text(trends.median_days)} ({len(trends.remediations)} items closed"
        + (f"; {trends.undated_closures} without risk-log dates" if trends.undated_closures else "")
        + f"). Milestone slips: {len(trends.slips)}.",
        "",
        "| System | Versions | Open items | Score | Opened | Closed | Mean days to remediate | Slips | Day 180 |",
        "|---|---:|---|---|---:|---:|---:|---:|---|",
    ]
    for s in trends.systems:
        first, last = (s.points[0], s.points[-1]) if s.points else (None, None)
        opened = sum(1 for e in s.events if e.kind != "closed")
        closed = sum(1 for e in s.events if e.kind == "closed")
        countdown = s.countdown(trends.as_of)
        clock = "–" if countdown is None else f"day {countdown.day}, {countdown.days_left} days left"
        lines.append(
            f"| {escape(s.name)} | {len(s.points)} | {_change(first, last, 'open_items')} | "
            f"{_change(first, last, 'score')} | {opened} | {closed} | {days_text(s.mean_days)} | {len(s.slips)} | "
            f"{clock} |"
        )
    if trends.slips:
        lines += [
            "",
            "| Moved on | System | Item | Milestone | From | To | Justification |",
            "|---|---|---|---|---|---|---|",
        ]
        for system, slip in trends.slips:
            why = f"{escape(slip.justification)} ({slip.source})" if slip.justification else "**none recorded**"
            lines.append(
                f"| {slip.day.isoformat()} | {escape(system.name)} | {escape(slip.item)} | {escape(slip.milestone)} | "
                f"{slip.before} | {slip.after} (+{slip.days}) | {why} |"
            )
    return lines


def _change(first: Point | None, last: Point | None, name: str) -> str:
    if first is None or last is None:
        return "–"
    a, b = getattr(first, name), getattr(last, name)
    return "–" if a is None and b is None else f"{a} → {b}"


def render_markdown(trends: Trends) -> str:
    return "\n".join([f"## CMMC trends as of {trends.as_of.isoformat()}", "", *markdown_lines(trends)]) + "\n"
