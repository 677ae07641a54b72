"""ReportData: the score, verdict, items and families a report shows, read from the POA&M and the results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oscal_poam.cmmc.catalog import catalog
from oscal_poam.cmmc.regulation import minimum_score
from oscal_poam.diagnostics import Severity
from oscal_poam.engine.api import evaluate_results
from oscal_poam.io.load import validate
from oscal_poam.report import report
from oscal_poam.report.model import ReportData
from tests import builders
from tests.rules import poam_data
from tests.rules.poam_data import ROOT, STATUS_DATE
from tools.gen_report_screenshots import EXAMPLES, Example

STATUS = dt.date.fromisoformat(STATUS_DATE)


def poam_model(data: dict[str, Any]) -> Any:
    return validate(data, "poam.json")[1]


def credible(as_of: dt.date, data: dict[str, Any] | None = None) -> ReportData:
    return report(poam_model(data or poam_data.credible_poam()), as_of=as_of)


def test_without_results_the_score_is_the_maximum_less_the_items_points() -> None:
    data = credible(STATUS + dt.timedelta(days=10))
    points = [r.points for r in (catalog(2).by_label(label) for label, _ in poam_data.ITEMS) if r is not None]
    assert data.score.value == 110 - sum(p or 0 for p in points)
    assert (data.score.maximum, data.score.threshold, data.score.source) == (110, minimum_score(110), "poam")
    assert data.verdict.kind == "conditional"
    assert data.verdict.cmmc_status == "Conditional Level 2 (C3PAO)"
    assert data.days_left == 170 and data.day == 10
    assert data.deadline == STATUS + dt.timedelta(days=180)


def test_items_carry_requirement_owner_next_milestone_and_status() -> None:
    data = credible(dt.date(2026, 3, 1))
    assert [i.requirement for i in data.items] == [label for label, _ in poam_data.ITEMS]
    first = data.items[0]
    assert first.requirement_title == poam_data.ITEMS[0][1]
    assert first.owner == "Jane Doe"
    assert first.status == "open" and first.status_date == STATUS
    assert [m.day for m in first.milestones] == [(dt.date.fromisoformat(d) - STATUS).days for d in poam_dates()]
    # 2026-02-15 is overdue on 2026-03-01; the next pending one is the earliest still pending.
    assert [m.overdue for m in first.milestones] == [True, False, False]
    assert first.next_milestone is not None and first.next_milestone.date == dt.date(2026, 2, 15)
    assert data.overdue_milestones == 2
    assert "credibility-milestone-overdue" in {f.rule_id for f in first.flags}


def poam_dates() -> list[str]:
    tasks = poam_data.credible_poam()[ROOT]["risks"][0]["remediations"][0]["tasks"]
    return [t["timing"]["on-date"]["date"][:10] for t in tasks if t["type"] == "milestone"]


def test_completed_milestones_are_neither_next_nor_overdue() -> None:
    data = poam_data.credible_poam()
    task = data[ROOT]["risks"][0]["remediations"][0]["tasks"][0]
    task["props"] = [
        poam_data.prop("cmmc-milestone-status", "completed"),
        poam_data.prop("cmmc-completed-on", "2026-02-14"),
    ]
    first = credible(dt.date(2026, 3, 1), data).items[0]
    assert first.milestones[0].completed and first.milestones[0].completed_on == dt.date(2026, 2, 14)
    assert not first.milestones[0].overdue
    assert first.next_milestone is not None and first.next_milestone.date == dt.date(2026, 4, 1)


def test_past_the_deadline_with_open_items_the_status_has_expired() -> None:
    data = credible(STATUS + dt.timedelta(days=181))
    assert data.verdict.kind == "expired" and data.verdict.headline == "Expired"
    assert data.days_left == -1
    assert data.count(Severity.ERROR) >= 1  # credibility-deadline-passed stands too


def test_an_ineligible_item_makes_the_poam_not_eligible_with_reasons() -> None:
    model = builders.poam(["AC.L2-3.1.20", "AU.L2-3.3.8"])
    data = report(model, as_of=builders.STATUS_DATE)
    assert data.verdict.kind == "none" and data.verdict.headline == "Not eligible"
    assert any("AC.L2-3.1.20" in r.message for r in data.verdict.reasons)
    assert all(r.citation.startswith("32 CFR 170.21") for r in data.verdict.reasons)


def test_without_level_score_and_verdict_are_not_given() -> None:
    data = report(builders.poam(["AU.L2-3.3.8"], level=None, status_date=None), as_of=builders.STATUS_DATE)
    assert data.level is None
    assert data.score.value is None and data.score.note.startswith("not given")
    assert data.verdict.kind == "unknown" and data.verdict.headline == "Not given"
    assert data.families == ()
    assert data.status_date is None and data.deadline is None and data.days_left is None


def test_level_1_poam_is_never_eligible() -> None:
    label = catalog(1).requirements[0].label
    data = report(builders.poam([label], level=1, assessment_type="self"), as_of=builders.STATUS_DATE)
    assert data.verdict.kind == "none"
    assert (data.score.maximum, data.score.threshold) == (catalog(1).max_score, catalog(1).max_score)


def example_report(example: Example) -> ReportData:
    poam, results, ssp = example.paths()
    return report(poam, results=results, ssp=ssp, as_of=example.as_of)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.name != "l2-closeout"], ids=lambda e: e.name)
def test_with_initial_results_score_and_verdict_are_the_assessments(example: Example) -> None:
    data = example_report(example)
    evaluation = evaluate_results(example.paths()[1])
    scored, verdict = evaluation.score, evaluation.verdict
    assert scored is not None and verdict is not None
    assert data.score.source == "results"
    assert (data.score.value, data.score.maximum) == (scored.score, scored.maximum)
    assert data.score.threshold == minimum_score(scored.maximum)
    assert data.verdict.cmmc_status == verdict.cmmc_status
    assert data.verdict.kind == verdict.status
    assert [(f.family, f.not_met, f.points_deducted) for f in data.families] == [
        (f.family, f.not_met, f.points_deducted) for f in scored.families
    ]
    if verdict.status == "none":
        assert len(data.verdict.reasons) == sum(d.severity is Severity.ERROR for d in verdict.reasons)


def test_the_ssp_names_the_system() -> None:
    example = EXAMPLES[0]
    data = example_report(example)
    from oscal_poam.io.load import load

    ssp = load(example.paths()[2]).model
    assert data.system == ssp.system_characteristics.system_name  # type: ignore[attr-defined]


def test_a_successful_closeout_is_final_at_the_maximum() -> None:
    (example,) = [e for e in EXAMPLES if e.name == "l2-closeout"]
    data = example_report(example)
    assert data.verdict.kind == "final" and data.verdict.source == "closeout"
    assert data.score.value == data.score.maximum == 110
    assert all(i.closeout_status == "met" for i in data.items)
    assert sum(f.not_met for f in data.families) == 0


def test_a_closeout_that_leaves_an_item_not_met_keeps_its_points_off() -> None:
    labels = ["AU.L2-3.3.8", "AC.L2-3.1.8"]
    poam = builders.poam(labels)
    closeout = builders.closeout_results({"AU.L2-3.3.8": "met", "AC.L2-3.1.8": "not-met"})
    data = report(poam, results=closeout, as_of=builders.STATUS_DATE + dt.timedelta(days=91))
    assert data.verdict.kind == "conditional" and data.verdict.source == "closeout"
    points = catalog(2).by_label("AC.L2-3.1.8")
    assert points is not None and data.score.value == 110 - (points.points or 0)
    assert [i.closeout_status for i in data.items] == ["met", "not-met"]


def test_diagnostics_are_grouped_worst_first() -> None:
    data = credible(STATUS + dt.timedelta(days=181))
    assert [g.severity for g in data.diagnostics] == [Severity.ERROR, Severity.WARNING, Severity.INFO]
    for group in data.diagnostics:
        assert all(d.severity is group.severity for d in group.diagnostics)
        assert all(d.citation for d in group.diagnostics)


def test_report_refuses_a_document_of_the_wrong_kind() -> None:
    from oscal_poam.errors import UsageError

    with pytest.raises(UsageError):
        report(builders.assessment_results(2), as_of=builders.STATUS_DATE)
