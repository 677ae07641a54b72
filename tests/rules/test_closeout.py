"""POA&M closeout (32 CFR 170.21(b)): coverage, MET now, the 180-day window and who performs it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oscal_poam.diagnostics import Severity
from oscal_poam.engine.api import closeout
from oscal_poam.engine.evaluate import evaluate
from oscal_poam.engine.inputs import Facts, Options
from oscal_poam.facts.poam import read_poam
from oscal_poam.facts.results import read_assessment
from oscal_poam.rules.closeout import CloseoutResult, metadata
from tests import builders as b

ITEMS = ["AC.L2-3.1.3", "AU.L2-3.3.4", "SC.L2-3.13.11"]
ALL_MET = dict.fromkeys(ITEMS, "met")
STATUS_DATE = b.STATUS_DATE  # 2026-03-06; day 180 is 2026-09-02
DAY_180 = dt.date(2026, 9, 2)


def check(
    statuses: dict[str, str] = ALL_MET,
    *,
    as_of: dt.date = dt.date(2026, 6, 4),  # the day the closeout ended: as of an earlier day it has not happened
    poam_options: dict[str, Any] | None = None,
    items: list[str] = ITEMS,
    **closeout_options: Any,
) -> CloseoutResult:
    poam = read_poam(b.poam(items, **(poam_options or {})), "poam.json")
    results = read_assessment(
        b.closeout_results(statuses, **closeout_options), level=poam.level, document="closeout.json"
    )
    checked = evaluate(Facts(poam=poam, closeout=results), Options(as_of=as_of)).closeout
    assert checked is not None
    return checked


def rules(result: CloseoutResult, severity: Severity | None = None) -> list[tuple[str, str]]:
    return [(d.rule_id, d.subject) for d in result.diagnostics if severity is None or d.severity is severity]


def test_a_complete_timely_closeout_by_the_right_party_is_final() -> None:
    result = check()
    assert (result.verdict, result.cmmc_status) == ("final", "Final Level 2 (C3PAO)")
    assert result.diagnostics == ()
    assert [i.requirement.label for i in result.items] == ITEMS
    assert all(i.closed for i in result.items)
    assert (result.status_date, result.deadline) == (STATUS_DATE, DAY_180)
    assert result.closeout_date == dt.date(2026, 6, 4)


@pytest.mark.parametrize(
    ("day", "as_of", "verdict"),
    [
        (180, DAY_180, "final"),
        (180, DAY_180 + dt.timedelta(days=30), "final"),
        (181, DAY_180 + dt.timedelta(days=1), "expired"),
        (0, STATUS_DATE, "final"),
    ],
    ids=["day-180", "day-180-seen-later", "day-181", "day-0"],
)
def test_closeout_must_end_within_180_days(day: int, as_of: dt.date, verdict: str) -> None:
    """The rule: "The closing of a POA&M must be confirmed by a POA&M closeout assessment within 180-days of the
    Conditional CMMC Status Date. If the POA&M is not successfully closed out within the 180-day timeframe,
    the Conditional CMMC Status for the information system will expire." (32 CFR 170.21(b))."""
    result = check(end=b.day(day), as_of=as_of)
    assert result.verdict == verdict
    if verdict == "expired":
        late = next(d for d in result.diagnostics if d.rule_id == "closeout-late")
        assert "day 181" in late.message and "2026-09-02 (day 180)" in late.message
        assert late.pointer == "/assessment-results/results/0/end"
        assert late.document == "closeout.json"
        assert result.cmmc_status == "No CMMC status (Conditional Level 2 (C3PAO) expired)"
        assert "closeout-expired" in [d.rule_id for d in result.diagnostics]
    else:
        assert result.diagnostics == ()


def test_a_closeout_missing_an_item_is_an_error_and_stays_conditional_with_days_left() -> None:
    """The rule: "A POA&M closeout assessment is a CMMC assessment that assesses only the NOT MET requirements that were
    identified with POA&M in the initial assessment" (32 CFR 170.21(b)): each of them."""
    result = check({"AC.L2-3.1.3": "met", "SC.L2-3.13.11": "met"}, as_of=dt.date(2026, 6, 4))
    assert rules(result) == [("closeout-missing-requirement", "AU.L2-3.3.4")]
    assert result.diagnostics[0].severity is Severity.ERROR
    assert result.diagnostics[0].message.startswith("AU.L2-3.3.4 Audit Failure Alerting")
    assert result.verdict == "conditional"
    assert result.cmmc_status == "Conditional Level 2 (C3PAO)"
    assert result.days_left == 90  # 2026-06-04 (the day the closeout ended) to 2026-09-02
    missing = next(i for i in result.items if i.requirement.label == "AU.L2-3.3.4")
    assert (missing.status, missing.closed) == ("not-assessed", False)


def test_the_same_gap_after_day_180_is_expired() -> None:
    result = check({"AC.L2-3.1.3": "met", "SC.L2-3.13.11": "met"}, as_of=DAY_180 + dt.timedelta(days=1))
    assert result.verdict == "expired"
    assert result.days_left == -1


def test_an_extra_requirement_is_a_warning_only() -> None:
    """A closeout "assesses only the NOT MET requirements that were identified with POA&M" (32 CFR 170.21(b))."""
    result = check({**ALL_MET, "AC.L2-3.1.4": "met"})
    assert rules(result) == [("closeout-extra-requirement", "AC.L2-3.1.4")]
    assert result.diagnostics[0].severity is Severity.WARNING
    assert result.extra == ("AC.L2-3.1.4",)
    assert result.verdict == "final"


def test_a_requirement_still_not_met_keeps_the_status_conditional() -> None:
    result = check({**ALL_MET, "AU.L2-3.3.4": "not-met"})
    assert rules(result) == [("closeout-still-not-met", "AU.L2-3.3.4")]
    assert result.verdict == "conditional"


def test_not_applicable_in_the_closeout_counts_as_met() -> None:
    """The rule: "an assessment objective assessed as N/A is equivalent to the same assessment objective being assessed
    as MET" (32 CFR 170.24(b)(3))."""
    result = check({**ALL_MET, "AU.L2-3.3.4": "not-applicable"})
    assert result.verdict == "final"


@pytest.mark.parametrize(
    ("level", "initial", "performed_by", "paragraph"),
    [
        (2, "self", "self", None),
        (2, "self", "c3pao", "32 CFR 170.21(b)(1)"),
        (2, "c3pao", "c3pao", None),
        (2, "c3pao", "self", "32 CFR 170.21(b)(2)"),
        (2, "c3pao", None, "32 CFR 170.21(b)(2)"),
        (3, "dibcac", "dibcac", None),
        (3, "dibcac", "c3pao", "32 CFR 170.21(b)(3)"),
        (3, None, "dibcac", None),
    ],
)
def test_the_closeout_is_performed_by_the_right_party(
    level: int, initial: str | None, performed_by: str | None, paragraph: str | None
) -> None:
    """The rule: "the POA&M closeout self-assessment shall be performed by the OSA in the same manner as the initial
    self-assessment"; a Level 2 certification closeout "must be performed by an authorized or accredited
    C3PAO"; "DCMA DIBCAC will perform the POA&M closeout certification assessment" (32 CFR 170.21(b)(1)-(3))."""
    items = ITEMS if level == 2 else ["AC.L3-3.1.2e", "SI.L3-3.14.1e"]
    result = check(
        dict.fromkeys(items, "met"),
        items=items,
        level=level,
        performed_by=performed_by,
        poam_options={"level": level, "assessment_type": initial},
    )
    wrong = [d for d in result.diagnostics if d.rule_id == "closeout-wrong-party"]
    if paragraph is None:
        assert result.verdict == "final" and result.diagnostics == ()
    else:
        assert [d.citation for d in wrong] == [paragraph]
        assert result.verdict == "conditional"


def test_an_initial_assessment_type_that_does_not_fit_the_level_is_an_error() -> None:
    result = check(poam_options={"assessment_type": "dibcac"})
    assert rules(result, Severity.ERROR) == [("closeout-poam-metadata", "")]
    assert "self or c3pao" in result.diagnostics[0].message
    assert result.verdict == "conditional"


def test_closed_items_still_have_to_be_closed_out() -> None:
    """Closed items (risk status closed) are still requirements of the POA&M the closeout must cover."""
    result = check({"AC.L2-3.1.3": "met", "SC.L2-3.13.11": "met"}, poam_options={"closed": ["AU.L2-3.3.4"]})
    assert rules(result) == [("closeout-missing-requirement", "AU.L2-3.3.4")]


def test_an_item_without_the_prop_is_named_by_its_title() -> None:
    result = check(poam_options={"title_only": ["AU.L2-3.3.4"]})
    assert result.verdict == "final"
    assert [i.requirement.label for i in result.items] == ITEMS


def test_an_item_naming_no_requirement_is_an_error() -> None:
    poam = b.poam(ITEMS, extra_items=[b.poam_item("Fix the firewall"), b.poam_item("Whatever", "AC.L3-3.1.2e")])
    result = closeout(poam, b.closeout_results(ALL_MET), dt.date(2026, 6, 4))
    unknown = [d for d in result.diagnostics if d.rule_id == "closeout-item-unknown-requirement"]
    assert [d.pointer for d in unknown] == [
        "/plan-of-action-and-milestones/poam-items/3",
        "/plan-of-action-and-milestones/poam-items/4",
    ]
    assert "Level 3 requirement" in unknown[1].message
    assert result.verdict == "conditional"


def test_poam_metadata_is_needed() -> None:
    result = check(poam_options={"status_date": None, "assessment_type": None})
    assert sorted(rules(result, Severity.ERROR)) == [("closeout-poam-metadata", ""), ("closeout-poam-metadata", "")]
    assert (result.verdict, result.deadline, result.days_left) == ("conditional", None, None)


def test_the_level_is_inferred_from_the_items_when_the_metadata_lacks_it() -> None:
    scope = read_poam(b.poam(ITEMS, level=None))
    assert scope.inferred_level == 2
    assert [d.rule_id for d in metadata(scope)] == ["closeout-poam-metadata"]
    assert list(scope.requirements()) == ITEMS


def test_a_level1_poam_is_an_error() -> None:
    """The rule: "A POA&M is not permitted at any time for Level 1 self-assessments" (32 CFR 170.21(a)(1))."""
    result = check(
        {"AC.L1-b.1.iii": "met"},
        items=["AC.L1-b.1.iii"],
        level=1,
        performed_by="self",
        poam_options={"level": 1, "assessment_type": "self"},
    )
    assert ("closeout-level-1", "") in rules(result, Severity.ERROR)
    assert result.verdict != "final"


def test_an_unfinished_closeout_confirms_nothing() -> None:
    result = check(end=None)
    assert rules(result) == [("closeout-not-ended", "")]
    assert result.verdict == "conditional"


def test_a_result_not_marked_closeout_is_warned() -> None:
    result = check(kind="initial")
    assert rules(result) == [("closeout-kind", "")]
    assert result.verdict == "final"


def test_to_dict() -> None:
    data = check({"AC.L2-3.1.3": "met", "SC.L2-3.13.11": "met"}, as_of=dt.date(2026, 6, 1)).to_dict()
    assert data["verdict"] == "conditional"
    assert data["deadline"] == "2026-09-02" and data["days-left"] == 93
    assert data["items"][1] == {
        "requirement": "AU.L2-3.3.4",
        "title": "Audit Failure Alerting",
        "status": "not-assessed",
        "closed": False,
        "poam-items": [b.poam(ITEMS).poam_items[1].uuid],
    }
    assert data["diagnostics"][0]["rule-id"] == "closeout-missing-requirement"


@pytest.mark.parametrize(
    ("written", "expected"),
    [("2026-03-06", STATUS_DATE), ("2026-03-06T17:00:00-05:00", STATUS_DATE), ("6 March 2026", None)],
)
def test_the_status_date_is_read_as_check_and_report_read_it(written: str, expected: dt.date | None) -> None:
    """A date-time in cmmc-status-date gives its day, as in check and the report; other text is an error."""
    scope = read_poam(b.poam(ITEMS, status_date=written))
    assert scope.status_date == expected
    assert [d.rule_id for d in metadata(scope)] == ([] if expected else ["closeout-poam-metadata"])
