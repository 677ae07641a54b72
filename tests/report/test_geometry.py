"""The SVG geometry: the gauge's arc and threshold, the timeline's day markers, milestones and rows."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from oscal_poam.io.load import validate
from oscal_poam.report import report
from oscal_poam.report.geometry import GAUGE_RADIUS, clock, family_bar, gauge, timeline
from oscal_poam.report.model import FamilyRow, ScoreView
from tests.rules import poam_data
from tests.rules.poam_data import ROOT


def angle_of(x: float, y: float, cx: float, cy: float) -> float:
    """0 at the gauge's left end, 1 at its right end."""
    return 1.0 - math.atan2(cy - y, x - cx) / math.pi


@pytest.mark.parametrize(
    ("value", "maximum", "threshold", "tone"),
    [(104, 110, 88, "warn"), (110, 110, 88, "good"), (80, 110, 88, "bad"), (20, 24, 20, "warn")],
)
def test_gauge_arc_ends_at_the_score_and_ticks_the_threshold(
    value: int, maximum: int, threshold: int, tone: str
) -> None:
    drawn = gauge(ScoreView(value, maximum, threshold, "results", ""))
    end = drawn.value.split()[-2:]
    x, y = float(end[0]), float(end[1])
    assert angle_of(x, y, drawn.cx, drawn.cy) == pytest.approx(value / maximum, abs=0.003)
    assert math.hypot(x - drawn.cx, y - drawn.cy) == pytest.approx(GAUGE_RADIUS, abs=0.1)
    assert drawn.tick is not None
    x1, y1, x2, y2 = drawn.tick
    assert angle_of(x1, y1, drawn.cx, drawn.cy) == pytest.approx(threshold / maximum, abs=0.003)
    assert angle_of(x2, y2, drawn.cx, drawn.cy) == pytest.approx(threshold / maximum, abs=0.003)
    assert drawn.tone == tone


def test_gauge_without_a_score_draws_only_the_track() -> None:
    drawn = gauge(ScoreView(None, 110, 88, "results", "no score"))
    assert drawn.value == "" and drawn.tick is None and drawn.tone == "none" and drawn.track


def test_timeline_marks_days_120_150_180_and_today_in_order() -> None:
    data = report(validate(poam_data.credible_poam(), "p.json")[1], as_of=dt.date(2026, 3, 1))
    drawn = timeline(data)
    assert drawn.anchored and drawn.origin == data.status_date
    by_label = {m.label.split(":")[0]: m for m in drawn.markers}
    x120, x150, x180 = (by_label[f"day {d}"].x for d in (120, 150, 180))
    today = by_label["as of 2026-03-01"].x
    assert drawn.left <= today < x120 < x150 < x180 <= drawn.right
    # The day axis is linear: 30 days are as wide between 120 and 150 as between 150 and 180.
    assert x150 - x120 == pytest.approx(x180 - x150, abs=0.2)
    ticks = {t.day: t.x for t in drawn.ticks}
    assert ticks[120] == pytest.approx(x120, abs=0.1) and ticks[0] == pytest.approx(drawn.left, abs=0.1)
    assert len(drawn.rows) == len(data.items)
    first = drawn.rows[0]
    assert first.label == data.items[0].requirement
    assert [d.kind for d in first.dots] == ["overdue", "pending", "pending"]
    assert first.x1 == min(d.x for d in first.dots) and first.x2 == max(d.x for d in first.dots)
    assert [z.kind for z in drawn.zones] == ["practical", "evidence", "late"]


def test_milestones_after_the_deadline_stretch_the_axis_and_are_marked_late() -> None:
    data = poam_data.credible_poam()
    tasks = data[ROOT]["risks"][0]["remediations"][0]["tasks"]
    tasks[2]["timing"]["on-date"]["date"] = "2026-08-30T00:00:00Z"  # day 227, after day 180
    drawn = timeline(report(validate(data, "p.json")[1], as_of=dt.date(2026, 1, 20)))
    late = drawn.rows[0].dots[-1]
    assert late.kind == "late" and "after the deadline" in late.title
    x180 = next(m.x for m in drawn.markers if m.kind == "deadline")
    assert x180 < late.x <= drawn.right


def test_without_a_status_date_the_timeline_is_not_anchored() -> None:
    data = report(validate(poam_data.credible_poam(status_date=None), "p.json")[1], as_of=dt.date(2026, 1, 20))
    drawn = timeline(data)
    assert not drawn.anchored and drawn.zones == ()
    assert [m.kind for m in drawn.markers] == ["today"]
    assert drawn.origin == dt.date(2026, 1, 20)  # earlier than every milestone


def test_the_clock_runs_only_for_a_conditional_status() -> None:
    data = report(validate(poam_data.credible_poam(), "p.json")[1], as_of=dt.date(2026, 3, 1))
    running = clock(data)
    assert running is not None and running.day == data.day
    assert running.elapsed == pytest.approx(100 * data.day / 180, abs=0.1)  # type: ignore[operator]
    assert [day for _, day in running.checkpoints] == [120, 150]


def test_family_bar_shares_add_up() -> None:
    bar = family_bar(FamilyRow("AC", "Access Control", 22, 19, 1, 2, 0, 1))
    assert bar.met + bar.not_met + bar.not_applicable + bar.not_assessed == pytest.approx(100, abs=0.2)
    assert bar.not_met == pytest.approx(100 / 22, abs=0.1)
