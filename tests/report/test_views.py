"""What the report shows and how: no deadline without a Conditional status, ticks that fit the span, items named by
their own id, milestones dated by a range, diagnostics grouped by rule, and Level 1 without points."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from oscal_poam.engine.api import check
from oscal_poam.report import render_html, render_markdown, report
from oscal_poam.report.geometry import MAX_TICKS, tick_step, timeline
from tests import builders
from tests.derive.conftest import EXAMPLES
from tests.rules import poam_data
from tests.rules.test_cmmc_only import FEDRAMP_CSV
from tools.gen_report_screenshots import EXAMPLES as REPORTS

AS_OF = dt.date(2026, 2, 1)


def _example(name: str) -> Any:
    (example,) = [e for e in REPORTS if e.name == name]
    poam, results, ssp = example.paths()
    return report(poam, results=results, ssp=ssp, as_of=example.as_of)


def test_no_deadline_or_countdown_without_a_conditional_status() -> None:
    data = _example("l2-not-eligible")
    assert data.verdict.kind == "none" and not data.clock_runs
    page = render_html(data)
    tree = lxml.html.document_fromstring(page)
    facts = tree.xpath("//ul[@class='facts']")[0].text_content()
    assert "Deadline" not in facts and "Status Date" not in facts and "(day " not in facts
    assert tree.xpath("//*[contains(@class, 'clock')]") == []
    assert "day 180" not in tree.xpath("//section[@id='timeline']")[0].text_content()
    assert "no Conditional status, so no 180-day deadline" in render_markdown(data)
    conditional = _example("l2-conditional")
    assert conditional.clock_runs and "Deadline (day 180)" in render_html(conditional)


@pytest.mark.parametrize(("span", "step"), [(60, 7), (130, 14), (300, 30), (600, 61), (800, 91), (1500, 182)])
def test_ticks_adapt_to_the_span(span: int, step: int) -> None:
    assert tick_step(span) == step
    assert span / tick_step(span) <= MAX_TICKS


def test_a_long_timeline_does_not_crowd_its_labels() -> None:
    """800 days of milestones: ticks a quarter apart, never closer than a label is wide."""
    data = poam_data.credible_poam()
    task = data["plan-of-action-and-milestones"]["risks"][0]["remediations"][0]["tasks"][2]
    task["timing"]["on-date"]["date"] = "2028-04-01T00:00:00Z"
    drawn = timeline(report(poam_data.model(data), as_of=AS_OF))
    assert 3 <= len(drawn.ticks) <= MAX_TICKS
    gaps = [b.x - a.x for a, b in zip(drawn.ticks, drawn.ticks[1:], strict=False)]
    assert min(gaps) >= 70  # a date label is about 60 pixels wide at the axis's size


def test_items_are_named_by_their_own_id(tmp_path: Path) -> None:
    """Imported items are named by the POA&M IDs of the sheet, on the timeline and in the tables."""
    from oscal_poam.legacy.api import import_poam

    sheet = tmp_path / "fedramp.csv"
    sheet.write_text(FEDRAMP_CSV, encoding="utf-8")
    imported = import_poam(sheet, as_of=AS_OF)
    assert imported.poam is not None
    data = report(imported.poam, as_of=AS_OF)
    assert [i.label for i in data.items] == ["FR-0001", "FR-0002"]
    assert [row.label for row in timeline(data).rows] == ["FR-0001", "FR-0002"]
    page = lxml.html.document_fromstring(render_html(data))
    assert [e.text_content() for e in page.xpath("//tr[@class='item']//span[@class='req']")] == ["FR-0001", "FR-0002"]
    assert "FR-0001 Inactive accounts are not disabled" in render_markdown(data)


def test_milestones_dated_by_a_range_are_drawn_and_accepted() -> None:
    data = poam_data.credible_poam()
    task = data["plan-of-action-and-milestones"]["risks"][0]["remediations"][0]["tasks"][1]
    task["timing"] = {"within-date-range": {"start": "2026-03-01T00:00:00Z", "end": "2026-04-01T00:00:00Z"}}
    model = poam_data.model(data)
    assert check(model, as_of=AS_OF).diagnostics == ()  # dated, inside the deadline: nothing to say
    drawn = report(model, as_of=AS_OF)
    (milestone,) = [m for m in drawn.items[0].milestones if m.title == task["title"]]
    assert (milestone.start, milestone.date) == (dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    dots = timeline(drawn).rows[0].dots
    assert len(dots) == 3 and any("2026-03-01 to 2026-04-01" in d.title for d in dots)
    late = json.loads(json.dumps(data))
    late_task = late["plan-of-action-and-milestones"]["risks"][0]["remediations"][0]["tasks"][1]
    late_task["timing"]["within-date-range"]["end"] = "2026-09-01T00:00:00Z"
    (found,) = check(poam_data.model(late), as_of=AS_OF).diagnostics
    assert found.rule_id == "credibility-milestone-after-deadline"
    assert found.pointer.endswith("/timing/within-date-range/end")


def test_html_groups_repeated_diagnostics_by_rule_and_expands_them() -> None:
    data = _example("l2-not-eligible")
    tree = lxml.html.document_fromstring(render_html(data))
    groups = tree.xpath("//section[@id='diagnostics']//li[@class='rule-group']")
    assert groups
    for group in groups:
        summary = group.xpath(".//summary")[0].text_content()
        count = int(re.search(r"× (\d+)", summary)[1])  # type: ignore[index]
        assert len(group.xpath(".//ul[@class='each']/li")) == count > 1
    warnings = next(g for g in data.diagnostics if g.severity.value == "warning")
    assert len(warnings.rules) < len(warnings.diagnostics)  # 16 warnings, 4 rules


def test_level_1_has_no_points(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    """Level 1 is MET or NOT MET in its entirety (32 CFR 170.24(c)(1)): no "14 of 15" points anywhere."""
    from tests.cli_runner import run_main

    one_missing = builders.save(builders.assessment_results(1, not_met=["AC.L1-b.1.i"]), tmp_path / "l1.json")
    ran = run_main(capsys, monkeypatch, "score", str(one_missing))
    assert "Result: NOT MET: 1 of 15 requirements not MET (Level 1 is MET or NOT MET in its entirety" in ran.stdout
    assert "14 / 15" not in ran.stdout and "Score:" not in ran.stdout and "Points" not in ran.stdout
    payload = json.loads(run_main(capsys, monkeypatch, "score", str(one_missing), "-f", "json").stdout)["score"]
    assert (payload["score"], payload["maximum"], payload["points-deducted"], payload["met-all"]) == (
        None,
        None,
        None,
        False,
    )
    met = builders.save(builders.assessment_results(1), tmp_path / "met.json")
    ran = run_main(capsys, monkeypatch, "score", str(met))
    assert ran.returncode == 0 and "Result: MET: all 15 requirements are MET" in ran.stdout


def test_the_report_of_the_examples_still_names_the_conditional_items() -> None:
    data = _example("l2-conditional")
    assert [i.label for i in data.items] == [i.requirement for i in data.items]
    assert all(EXAMPLES.name not in i.label for i in data.items)
