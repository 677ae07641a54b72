"""The fourteen verdict rules an assessor's audit of 32 CFR 170.21 and 170.24 settled, one table each.

Each test quotes the paragraph it holds the tool to, and runs the cases through the same entry points a user
calls (`eligibility`, `check`, `closeout`, the report), so that the verdict is the engine's in every command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from trestle.oscal import common

from oscal_poam.cmmc import vocab
from oscal_poam.derivation.api import derive
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.api import check, closeout, eligibility, evaluate_results
from oscal_poam.facts.results import read_assessment
from oscal_poam.report import report
from tests import builders as b
from tests.conftest import ROOT

L3_EXAMPLE = ROOT / "examples" / "l3-conditional"
ONE_POINT = b.requirements_worth(1)
ITEMS = ["AC.L2-3.1.3", "AU.L2-3.3.4", "SC.L2-3.13.11"]
DAY_180 = dt.date(2026, 9, 2)  # 180 days after b.STATUS_DATE, 2026-03-06


def rule_ids(diagnostics: Sequence[Diagnostic], severity: Severity | None = None) -> list[str]:
    return [d.rule_id for d in diagnostics if severity is None or d.severity is severity]


def level3(*findings: common.Finding, assessment_type: str | None = "dibcac", **props: Any) -> Any:
    """A complete Level 3 assessment, MET throughout, with `findings` added."""
    extra = [b.prop(name, value) for name, value in props.items()]
    return b.results([*b.all_findings(3), *findings], level=3, assessment_type=assessment_type, extra_props=extra)


def closeout_of(findings: list[common.Finding], *, end: dt.datetime | None = None, by: str = "c3pao") -> Any:
    end = end or b.day(90)
    start = end - dt.timedelta(days=1)
    return b.results(findings, assessment_type=by, kind="closeout", start=start, end=end, title="POA&M closeout")


# --- 1 ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assessment_type", "not_met", "status", "name"),
    [
        ("dibcac", [], "final", "Final Level 3 (DIBCAC)"),
        ("dibcac", ["AC.L3-3.1.2e"], "conditional", "Conditional Level 3 (DIBCAC)"),
        ("c3pao", [], "none", "No CMMC status"),
        ("c3pao", ["AC.L3-3.1.2e"], "none", "No CMMC status"),
        ("self", [], "none", "No CMMC status"),
    ],
)
def test_rule_01_a_level3_status_is_dibcacs(assessment_type: str, not_met: list[str], status: str, name: str) -> None:
    """Rule 1. 32 CFR 170.21(a)(3): "An OSC is only permitted to achieve the CMMC Status of Conditional Level 3
    (DIBCAC) if all the following conditions are met"; 48 CFR 204.7501: "(6) Conditional Level 3 (DIBCAC). (7) Final
    Level 3 (DIBCAC)." Level 3 results typed self or c3pao earn no Level 3 status: an error."""
    results = b.assessment_results(3, not_met=not_met, assessment_type=assessment_type)
    verdict = eligibility(results, level2_final=True)
    assert (verdict.status, verdict.cmmc_status) == (status, name)
    assert ("eligibility-l3-not-dibcac" in rule_ids(verdict.reasons, Severity.ERROR)) is (assessment_type != "dibcac")


# --- 2 ---------------------------------------------------------------------------------------------------------

OBJECTIVES = "abcde"  # AC.L2-3.1.3 has five assessment objectives, [a] to [e]


def on_objectives(states: dict[str, str], *, not_applicable: str = "") -> list[common.Finding]:
    return [
        b.finding("AC.L2-3.1.3", state, part=f"obj.{letter}", not_applicable=letter in not_applicable)
        for letter, state in states.items()
    ]


@pytest.mark.parametrize(
    ("findings", "status", "verdict"),
    [
        (on_objectives(dict.fromkeys(OBJECTIVES, "satisfied")), "met", "final"),
        (on_objectives(dict.fromkeys("abcd", "satisfied")), "not-assessed", "none"),
        (on_objectives(dict.fromkeys(OBJECTIVES, "satisfied"), not_applicable="a"), "met", "final"),
        (on_objectives(dict.fromkeys(OBJECTIVES, "satisfied"), not_applicable=OBJECTIVES), "not-applicable", "final"),
        (on_objectives({"a": "not-satisfied"}), "not-met", "conditional"),
        ([b.finding("AC.L2-3.1.3", "satisfied")], "met", "final"),
        ([b.finding("AC.L2-3.1.3", "satisfied", part="smt"), *on_objectives({"b": "satisfied"})], "met", "final"),
        ([b.finding("AC.L2-3.1.3", "satisfied", part="smt"), *on_objectives({"b": "not-satisfied"})], "not-met", "conditional"),  # noqa: E501
    ],
    ids=["all", "four-of-five", "one-n/a", "all-n/a", "one-fails", "requirement", "statement", "statement-and-a-failing-objective"],  # noqa: E501
)  # fmt: skip
def test_rule_02_met_only_when_every_objective_is(findings: list[common.Finding], status: str, verdict: str) -> None:
    """Rule 2. 32 CFR 170.24(b)(1): Met: "All applicable objectives for the security requirement are satisfied based
    on evidence"; (b)(3): "an assessment objective assessed as N/A is equivalent to the same assessment objective
    being assessed as MET". A finding on the requirement itself covers every objective; assessed by some objectives
    only, a requirement is not assessed (an error, and no verdict); one N/A objective does not make it N/A."""
    results = b.results([*b.all_findings(2, but=["AC.L2-3.1.3"]), *findings])
    assessment = read_assessment(results)
    found = assessment.by_label("AC.L2-3.1.3")
    assert found is not None and found.status == status
    incomplete = [d for d in assessment.diagnostics if d.rule_id == "results-objectives-incomplete"]
    assert bool(incomplete) is (status == "not-assessed")
    if incomplete:
        assert incomplete[0].severity is Severity.ERROR and "[e]" in incomplete[0].message
    assert eligibility(results).status == verdict


@pytest.mark.parametrize(
    ("findings", "closed"),
    [
        (on_objectives(dict.fromkeys(OBJECTIVES, "satisfied")), True),
        (on_objectives(dict.fromkeys("ab", "satisfied")), False),
        ([b.finding("AC.L2-3.1.3", "satisfied")], True),
    ],
    ids=["every-objective", "two-objectives", "the-requirement"],
)
def test_rule_02_the_same_holds_when_a_closeout_closes_an_item(findings: list[common.Finding], closed: bool) -> None:
    """Rule 2 in a closeout (32 CFR 170.21(b) with 170.24(b)(1)): an item is closed only when its requirement is MET,
    every objective of it."""
    poam = b.poam(["AC.L2-3.1.3"])
    result = closeout(poam, closeout_of(findings), as_of=b.day(90).date())
    assert result.items[0].closed is closed
    assert result.verdict == ("final" if closed else "conditional")


# --- 3 ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "verdict", "early"),
    [
        (b.day(-1), "conditional", True),
        (dt.datetime(2026, 3, 5, 23, 0, tzinfo=dt.UTC), "conditional", True),
        (b.day(0), "final", False),
        (b.day(90), "final", False),
    ],
    ids=["day-before", "an-hour-before", "the-day", "day-90"],
)
def test_rule_03_a_closeout_before_the_status_date_closes_nothing(end: dt.datetime, verdict: str, early: bool) -> None:
    """Rule 3. 32 CFR 170.21(b): "The closing of a POA&M must be confirmed by a POA&M closeout assessment within
    180-days of the Conditional CMMC Status Date": a closeout that ended before that date confirms nothing (error)."""
    results = b.closeout_results(dict.fromkeys(ITEMS, "met"), end=end)
    result = closeout(b.poam(ITEMS), results, as_of=DAY_180)
    assert result.verdict == verdict
    found = [d for d in result.diagnostics if d.rule_id == "closeout-before-status-date"]
    assert [d.severity for d in found] == ([Severity.ERROR] if early else [])


# --- 4 ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", [dt.date(2026, 6, 4), dt.date(2026, 12, 1)], ids=["within-180", "after-180"])
def test_rule_04_level1_has_no_conditional_status_and_no_closeout(as_of: dt.date) -> None:
    """Rule 4. 32 CFR 170.21(a)(1): "A POA&M is not permitted at any time for Level 1 self-assessments"; 48 CFR
    204.7501 lists no Conditional Level 1. A closeout of a Level 1 POA&M is an error, never "Conditional Level 1"."""
    poam = b.poam(["AC.L1-b.1.iii"], level=1, assessment_type="self")
    results = b.closeout_results({"AC.L1-b.1.iii": "met"}, level=1, performed_by="self")
    result = closeout(poam, results, as_of=as_of)
    assert (result.verdict, result.cmmc_status) == ("none", "No CMMC status")
    assert "closeout-level-1" in rule_ids(result.diagnostics, Severity.ERROR)
    checked = check(poam, results=results, as_of=as_of)
    assert checked.cmmc_status == "No CMMC status"
    assert checked.recorded is not None and checked.recorded.status == "none"


# --- 5 ---------------------------------------------------------------------------------------------------------

EASTERN = dt.timezone(dt.timedelta(hours=-5))


@pytest.mark.parametrize(
    ("status_date", "end", "verdict"),
    [
        # the status date is a plain date, read in the POA&M's own time zone (UTC here): day 180 ends 2026-09-02 24:00Z
        ("2026-03-06", dt.datetime(2026, 9, 3, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), "final"),
        ("2026-03-06", dt.datetime(2026, 9, 2, 20, 0, tzinfo=EASTERN), "expired"),
        ("2026-03-06", dt.datetime(2026, 9, 2, 23, 59, 59, tzinfo=dt.UTC), "final"),
        # a date-time names its zone: day 180 ends 2026-09-02 24:00 at -05:00, 2026-09-03 05:00Z
        ("2026-03-06T09:00:00-05:00", dt.datetime(2026, 9, 3, 4, 30, tzinfo=dt.UTC), "final"),
        ("2026-03-06T09:00:00-05:00", dt.datetime(2026, 9, 2, 23, 30, tzinfo=EASTERN), "final"),
        ("2026-03-06T09:00:00-05:00", dt.datetime(2026, 9, 3, 5, 30, tzinfo=dt.UTC), "expired"),
    ],
    ids=["written-day-181-is-day-180", "written-day-180-is-day-181", "last-second", "zone-utc", "zone-own", "zone-late"],  # noqa: E501
)  # fmt: skip
def test_rule_05_deadlines_compare_instants(status_date: str, end: dt.datetime, verdict: str) -> None:
    """Rule 5. 32 CFR 170.21(b): "within 180-days of the Conditional CMMC Status Date". The deadline is the end of
    day 180 in the time zone of the Conditional CMMC Status Date; a closeout's end is compared as an instant, whatever
    offset it is written with."""
    poam = b.poam(ITEMS, status_date=status_date)
    result = closeout(poam, b.closeout_results(dict.fromkeys(ITEMS, "met"), end=end), as_of=dt.date(2026, 9, 10))
    assert result.verdict == verdict
    assert ("closeout-late" in rule_ids(result.diagnostics)) is (verdict == "expired")


# --- 6 ---------------------------------------------------------------------------------------------------------

FINAL_L2 = vocab.LEVEL2_FINAL_DATE


@pytest.mark.parametrize(
    ("results", "level2_final", "status", "qualified", "reason"),
    [
        (level3(), None, "final", True, ("eligibility-l3-precondition", Severity.WARNING)),
        (level3(**{FINAL_L2: "2025-06-01"}), None, "final", False, None),
        (level3(**{FINAL_L2: "2022-06-01"}), None, "final", True, ("eligibility-l3-precondition", Severity.WARNING)),
        (level3(), True, "final", False, None),
        (level3(), False, "none", False, ("eligibility-l3-precondition", Severity.ERROR)),
        (level3(b.finding("AC.L2-3.1.1", "not-satisfied"), **{FINAL_L2: "2025-06-01"}), None, "none", False,
         ("eligibility-l3-level2-not-met", Severity.ERROR)),
        (level3(b.finding("AC.L2-3.1.1", "satisfied"), **{FINAL_L2: "2025-06-01"}), None, "final", False, None),
    ],
    ids=["no-evidence", "evidence", "evidence-too-old", "told-yes", "told-no", "level2-not-met", "level2-met"],
)  # fmt: skip
def test_rule_06_level3_needs_final_level2_c3pao(
    results: Any, level2_final: bool | None, status: str, qualified: bool, reason: tuple[str, Severity] | None
) -> None:
    """Rule 6. 32 CFR 170.24(c)(3): "A maximum score on the Level 2 certification assessment is required to be
    eligible to initiate a Level 3 certification assessment"; 32 CFR 170.18 as DoD's guide quotes it: "The OSC must
    have achieved a CMMC Status of Final Level 2 (C3PAO) ... prior to requesting the Level 3 assessment". Without
    evidence of it (prop cmmc-level2-final-date) the verdict is qualified in words and a warning says why; a Level 2
    requirement NOT MET inside a Level 3 assessment means no Level 3 status."""
    verdict = eligibility(results, level2_final=level2_final)
    assert verdict.status == status
    assert (verdict.qualifier == "subject to Final Level 2 (C3PAO)") is qualified
    said = [(d.rule_id, d.severity) for d in verdict.reasons if d.rule_id.startswith("eligibility-l3-")]
    assert said == ([] if reason is None else [reason])


def test_rule_06_the_same_qualifier_in_score_check_derive_and_the_report() -> None:
    """Rule 6: "the verdict is qualified in words ('subject to Final Level 2 (C3PAO)') and a warning says why, the
    same in score, check, derive and the report"."""
    ssp, results, poam = (L3_EXAMPLE / name for name in ("ssp.json", "assessment-results.json", "poam.json"))
    as_of = dt.date(2026, 11, 20)
    expected = "Conditional Level 3 (DIBCAC), subject to Final Level 2 (C3PAO)"
    scored = evaluate_results(results, as_of=as_of)
    checked = check(poam, results=results, ssp=ssp, as_of=as_of)
    derived = derive(ssp, results, as_of=as_of)
    reported = report(poam, results=results, ssp=ssp, as_of=as_of)
    assert scored.verdict is not None and scored.verdict.statement == expected
    assert checked.standing is not None and checked.standing.statement == expected
    assert derived.verdict is not None and derived.verdict.statement == expected
    assert f"{reported.verdict.cmmc_status}, {reported.verdict.qualifier}" == expected
    for diagnostics in (scored.diagnostics, checked.diagnostics, derived.diagnostics):
        assert ("eligibility-l3-precondition", Severity.WARNING) in [(d.rule_id, d.severity) for d in diagnostics]


# --- 7 ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "part", "state", "status", "severity"),
    [
        ("AC.L2-3.1.1", "obj.z", "not-satisfied", "none", Severity.ERROR),
        ("ac.l2-3.1.99", "", "not-satisfied", "none", Severity.ERROR),
        ("ac.l3-3.1.2e", "", "not-satisfied", "none", Severity.ERROR),
        ("ac-2", "", "not-satisfied", "none", Severity.ERROR),
        ("AC.L2-3.1.1", "obj.z", "satisfied", "final", Severity.WARNING),
        ("ac-2", "", "satisfied", "final", Severity.WARNING),
    ],
)
def test_rule_07_a_not_met_is_never_lost(target: str, part: str, state: str, status: str, severity: Severity) -> None:
    """Rule 7. 32 CFR 170.24(b)(2): Not Met: "One or more applicable objectives for the security requirement is not
    satisfied." A not-satisfied finding the engine cannot place (an unknown objective letter, a target id that is not
    a catalog id) is an error and blocks any Final or Conditional verdict."""
    results = b.results([*b.all_findings(2), b.finding(target, state, part=part)])
    verdict = eligibility(results)
    assert verdict.status == status
    unplaced = [d for d in evaluate_results(results).diagnostics if d.rule_id == "results-unknown-target"]
    assert [d.severity for d in unplaced] == [severity]
    assert (unplaced[0] in verdict.reasons) is (severity is Severity.ERROR)


# --- 8 ---------------------------------------------------------------------------------------------------------

_OPTION_OF = {vocab.LEVEL: "level", vocab.ASSESSMENT_TYPE: "assessment_type", vocab.ASSESSMENT_KIND: "kind"}


@pytest.mark.parametrize(
    ("name", "values", "duplicated"),
    [
        (vocab.LEVEL, ("2", "3"), True),
        (vocab.ASSESSMENT_TYPE, ("self", "c3pao"), True),
        (vocab.STATUS_DATE, ("2026-03-06", "2026-03-07"), True),
        (vocab.ASSESSMENT_KIND, ("initial", "closeout"), True),
        (vocab.ASSESSMENT_TYPE, ("c3pao", "C3PAO"), False),
    ],
)
def test_rule_08_duplicated_cmmc_props_are_an_error_naming_both(
    name: str, values: tuple[str, str], duplicated: bool
) -> None:
    """Rule 8. docs/conventions.md: one result carries one level, assessment type, status date and kind. Two of one
    with different values are an error naming both, and the verdict does not depend on the order of props."""
    findings = [*b.all_findings(2, but=ONE_POINT[:1]), *b.requirement_findings(ONE_POINT[0], "not-met")]
    options: dict[str, Any] = {"level": 2, "assessment_type": "c3pao", "kind": "initial"}
    if name in _OPTION_OF:
        options[_OPTION_OF[name]] = None  # the duplicated prop is the only one of its name
    verdicts = []
    for ordered in (values, values[::-1]):
        results = b.results(findings, extra_props=[b.prop(name, v) for v in ordered], **options)
        verdict = eligibility(results)
        errors = [d for d in verdict.reasons if d.rule_id == "results-prop-duplicated"]
        assert bool(errors) is duplicated
        if duplicated:
            assert errors[0].severity is Severity.ERROR
            assert all(repr(v) in errors[0].message for v in values)
        verdicts.append((verdict.status, verdict.cmmc_status))
    assert verdicts[0] == verdicts[1]
    assert verdicts[0][0] == ("none" if duplicated else "conditional")


# --- 9 ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "finding", "expected"),
    [
        ({vocab.ASSESSMENT_TYPE: "C3PAO"}, None, ("c3pao", "Conditional Level 2 (C3PAO)", 1)),
        ({vocab.ASSESSMENT_TYPE: "Self"}, None, ("self", "Conditional Level 2 (Self)", 1)),
        ({vocab.ASSESSMENT_TYPE: "c3pao", vocab.ASSESSMENT_KIND: "Initial"}, None, ("c3pao", "Conditional Level 2 (C3PAO)", 1)),  # noqa: E501
        ({vocab.ASSESSMENT_TYPE: "c3pao"}, {vocab.PARTIAL: "Encryption-Not-FIPS-Validated"}, ("c3pao", "Conditional Level 2 (C3PAO)", 3)),  # noqa: E501
        ({vocab.ASSESSMENT_TYPE: "c3pao"}, {vocab.DETERMINATION: "Not-Applicable"}, ("c3pao", "Final Level 2 (C3PAO)", 0)),  # noqa: E501
        ({}, None, (None, "Conditional Level 2", 1)),
    ],
    ids=["C3PAO", "Self", "Initial", "partial", "n/a", "no-type"],
)  # fmt: skip
def test_rule_09_values_are_matched_without_regard_to_case(
    props: dict[str, str], finding: dict[str, str] | None, expected: tuple[str | None, str, int]
) -> None:
    """Rule 9. 48 CFR 204.7501 spells the statuses "Conditional Level 2 (C3PAO)", "Final Level 2 (Self)": values are
    matched without regard to case and written in the documented spelling. With no assessment type the verdict
    stands, and a warning says the status cannot be named Self or C3PAO."""
    label = "SC.L2-3.13.11" if finding else "AC.L2-3.1.3"
    state = "satisfied" if finding and vocab.DETERMINATION in finding else "not-satisfied"
    failing = b.finding(label, state, props=[b.prop(k, v) for k, v in (finding or {}).items()])
    results = b.results(
        [*b.all_findings(2, but=[label]), failing],
        assessment_type=None,
        kind=None if vocab.ASSESSMENT_KIND in props else "initial",
        extra_props=[b.prop(k, v) for k, v in props.items()],
    )
    assessment = read_assessment(results)
    verdict = eligibility(results)
    assessment_type, name, points = expected
    assert assessment.assessment_type == assessment_type
    assert verdict.cmmc_status == name
    found = assessment.by_label(label)
    assert found is not None and found.points_deducted == points
    assert not [d for d in assessment.diagnostics if d.rule_id == "results-prop-invalid"]
    warned = [d for d in verdict.reasons if d.rule_id == "eligibility-assessment-type"]
    assert bool(warned) is (assessment_type is None)
    if warned:
        assert warned[0].severity is Severity.WARNING and "cannot be named Self or C3PAO" in warned[0].message


# --- 10 --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status_date", "rule_id", "severity"),
    [
        ("2026-03-01", "results-status-date-before-start", Severity.ERROR),
        ("2026-03-02", None, None),
        ("2026-03-06", None, None),
        ("2026-04-05", None, None),
        ("2026-04-06", "results-status-date-late", Severity.WARNING),
        ("2026-03-02T08:00:00-05:00", None, None),
        ("2026-03-01T23:00:00-05:00", "results-status-date-before-start", Severity.ERROR),
    ],
)
def test_rule_10_status_dates_are_sanity_checked(
    status_date: str, rule_id: str | None, severity: Severity | None
) -> None:
    """Rule 10. 32 CFR 170.21(b) counts the 180 days from the Conditional CMMC Status Date, the day the assessment's
    results stand. A status date before the assessment began is an error; more than 30 days after it ended, a
    warning. (The assessment runs 2026-03-02 09:00 to 2026-03-06 17:00 UTC.)"""
    assessment = read_assessment(b.assessment_results(2, status_date=status_date))
    found = [(d.rule_id, d.severity) for d in assessment.diagnostics if d.rule_id.startswith("results-status-date")]
    assert found == ([] if rule_id is None else [(rule_id, severity)])


# --- 11 --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(DAY_180, "conditional"), (DAY_180 + dt.timedelta(days=1), "expired"), (None, "conditional")],
    ids=["day-180", "day-181", "not-judged"],
)
def test_rule_11_as_of_decides_expiry_in_score_check_and_the_report(as_of: dt.date | None, status: str) -> None:
    """Rule 11. 32 CFR 170.21(b): "If the POA&M is not successfully closed out within the 180-day timeframe, the
    Conditional CMMC Status for the information system will expire." As of day 181 with no closeout the status is
    expired, in score, check and the report as in closeout."""
    results = b.assessment_results(2, not_met=ITEMS[:2])
    scored = evaluate_results(results, as_of=as_of)
    assert scored.verdict is not None and scored.verdict.status == status
    assert ("eligibility-expired" in rule_ids(scored.diagnostics, Severity.ERROR)) is (status == "expired")
    if as_of is None:
        return
    checked = check(b.poam(ITEMS[:2]), results=results, as_of=as_of)
    assert checked.verdict is not None and checked.verdict.status == status
    reported = report(b.poam(ITEMS[:2]), results=results, as_of=as_of)
    assert reported.verdict.kind == status
    if status == "expired":
        assert scored.verdict.cmmc_status == "No CMMC status (Conditional Level 2 (C3PAO) expired)"


@pytest.mark.parametrize(
    ("as_of", "verdict"),
    [(dt.date(2026, 6, 3), "conditional"), (dt.date(2026, 6, 4), "final"), (DAY_180 + dt.timedelta(days=5), "final")],
    ids=["before-it-ended", "the-day-it-ended", "after-day-180"],
)
def test_rule_11_a_closeout_judged_before_it_ended_has_not_happened(as_of: dt.date, verdict: str) -> None:
    """Rule 11: "a closeout judged as of a day before it ended has not happened yet (still conditional)". The closeout
    ends 2026-06-04, day 90."""
    result = closeout(b.poam(ITEMS), b.closeout_results(dict.fromkeys(ITEMS, "met")), as_of=as_of)
    assert result.verdict == verdict
    assert ("closeout-not-yet" in rule_ids(result.diagnostics)) is (verdict == "conditional")


# --- 12 --------------------------------------------------------------------------------------------------------


def _closed_out(findings: list[common.Finding], poam: Any = None) -> Any:
    return closeout(poam or b.poam(ITEMS), closeout_of(findings), as_of=b.day(90).date())


def _all_met(*but: str) -> list[common.Finding]:
    return [f for label in ITEMS if label not in but for f in b.requirement_findings(label, "met")]


@pytest.mark.parametrize(
    ("findings", "poam", "verdict", "rule_id"),
    [
        (_all_met(), None, "final", None),
        (_all_met("AU.L2-3.3.4"), None, "conditional", "closeout-missing-requirement"),
        ([*_all_met(), *b.requirement_findings("AC.L2-3.1.9", "not-met")], None, "conditional", "closeout-extra-not-met"),  # noqa: E501
        ([*_all_met(), *b.requirement_findings("AC.L2-3.1.9", "met")], None, "final", None),
        ([*_all_met("AU.L2-3.3.4"), *b.requirement_findings("AU.L2-3.3.4", "met", met_basis="temporary-deficiency")],
         None, "conditional", "closeout-temporary-deficiency"),
        ([*_all_met("AU.L2-3.3.4"), *b.requirement_findings("AU.L2-3.3.4", "met", met_basis="enduring-exception")],
         None, "final", None),
        ([*_all_met(), *b.requirement_findings("AC.L2-3.1.1", "met")], b.poam([*ITEMS, "AC.L2-3.1.1"]), "none",
         "closeout-no-conditional-status"),
    ],
    ids=["all-met", "one-missing", "a-new-not-met", "a-new-met", "temporary-deficiency", "enduring-exception", "never-conditional"],  # noqa: E501
)  # fmt: skip
def test_rule_12_a_closeout_gives_final_only_when_everything_holds(
    findings: list[common.Finding], poam: Any, verdict: str, rule_id: str | None
) -> None:
    """Rule 12. 32 CFR 170.21(b): "A POA&M closeout assessment is a CMMC assessment that assesses only the NOT MET
    requirements that were identified with POA&M in the initial assessment." Final only if every POA&M requirement is
    now MET, no requirement it assessed is NOT MET, no item was "closed" as a temporary deficiency (170.4: "A
    temporary deficiency is not based on an 'in progress' initial implementation"), and the initial assessment earned
    a Conditional status at all (a 5-point AC.L2-3.1.1 may never be on a POA&M, 170.21(a)(2)(ii))."""
    result = _closed_out(findings, poam)
    assert result.verdict == verdict
    errors = rule_ids(result.diagnostics, Severity.ERROR)
    if rule_id is None:
        assert errors == []
    else:
        assert rule_id in errors


# --- 13 --------------------------------------------------------------------------------------------------------

ENCRYPTION = b.prop(vocab.PARTIAL, vocab.PARTIAL_ENCRYPTION)
MFA = b.prop(vocab.PARTIAL, vocab.PARTIAL_MFA)


@pytest.mark.parametrize(
    ("label", "findings", "points", "warned"),
    [
        ("SC.L2-3.13.11", [("", [ENCRYPTION])], 3, False),
        ("SC.L2-3.13.11", [("", [ENCRYPTION]), ("smt", [])], 5, True),
        ("SC.L2-3.13.11", [("", [ENCRYPTION]), ("smt", [ENCRYPTION])], 3, False),
        ("IA.L2-3.5.3", [("obj.a", []), ("obj.b", [MFA])], 5, True),
        ("IA.L2-3.5.3", [("", [MFA]), ("smt", [])], 5, True),
        ("IA.L2-3.5.3", [("", [MFA])], 3, False),
    ],
    ids=["partial", "partial-and-plain", "both-partial", "objectives-disagree", "mfa-and-plain", "mfa"],
)
def test_rule_13_disagreeing_findings_take_the_stricter_reading(
    label: str, findings: list[tuple[str, list[common.Property]]], points: int, warned: bool
) -> None:
    """Rule 13. 32 CFR 170.24(c)(2)(i)(B)(4): the two requirements "can be partially effective ... and the points
    deducted may be adjusted". Where one finding gives the partial state and another a plain NOT MET, the stricter
    reading stands: the full points, with a warning."""
    failing = [
        b.finding(label, "not-satisfied", part=part, props=props, key=i) for i, (part, props) in enumerate(findings)
    ]
    assessment = read_assessment(b.results([*b.all_findings(2, but=[label]), *failing]))
    found = assessment.by_label(label)
    assert found is not None and found.points_deducted == points
    disagree = [d for d in assessment.diagnostics if d.rule_id == "results-findings-disagree"]
    assert [d.severity for d in disagree] == ([Severity.WARNING] if warned else [])


# --- 14 --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("poam_level", "poam_type", "results_type", "mismatches"),
    [
        (2, "c3pao", "c3pao", []),
        (2, "self", "c3pao", ["poam-assessment-type-mismatch"]),
        (2, "C3PAO", "c3pao", []),
        (3, "dibcac", "c3pao", ["poam-level-mismatch", "poam-assessment-type-mismatch"]),
        (2, None, "self", []),
    ],
)
def test_rule_14_check_compares_the_recorded_assessment_with_the_results(
    poam_level: int, poam_type: str | None, results_type: str, mismatches: list[str]
) -> None:
    """Rule 14. 32 CFR 170.21(b)(1)-(3): the closeout of a Level 2 self-assessment "shall be performed by the OSA",
    of a Level 2 certification assessment "by an authorized or accredited C3PAO", of Level 3 by "DCMA DIBCAC". The
    POA&M's recorded level and assessment type decide who must close out, so `check` reports where they differ from
    the results' (an error)."""
    poam = b.poam(ITEMS[:2], level=poam_level, assessment_type=poam_type)
    results = b.assessment_results(2, not_met=ITEMS[:2], assessment_type=results_type)
    checked = check(poam, results=results, as_of=dt.date(2026, 4, 1), level=2)
    found = [d for d in checked.diagnostics if d.rule_id in ("poam-level-mismatch", "poam-assessment-type-mismatch")]
    assert sorted(d.rule_id for d in found) == sorted(mismatches)
    assert all(d.severity is Severity.ERROR for d in found)
