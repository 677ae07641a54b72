"""CMMC scoring (32 CFR 170.24): every figure below is worked out by hand from the rule and the point table."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.catalog import catalog
from oscal_poam.diagnostics import Severity
from oscal_poam.facts.results import read_assessment
from oscal_poam.rules.scoring import Score, score
from tests import builders as b


def scored(level: int = 2, **options: Any) -> Score:
    return score(read_assessment(b.assessment_results(level, **options), document="results.json"))


@pytest.mark.parametrize(
    ("not_met", "expected"),
    [
        ({}, 110),
        ({"AC.L2-3.1.1": None}, 105),  # 5 points, basic
        ({"AC.L2-3.1.12": None}, 105),  # 5 points, derived
        ({"AU.L2-3.3.2": None}, 107),  # 3 points, basic
        ({"AC.L2-3.1.5": None}, 107),  # 3 points, derived
        ({"AC.L2-3.1.3": None}, 109),  # 1 point
        ({"AC.L2-3.1.1": None, "AU.L2-3.3.2": None, "AC.L2-3.1.3": None, "AC.L2-3.1.4": None}, 100),
        ({"AC.L2-3.1.20": None, "PE.L2-3.10.3": None}, 108),  # excluded from POA&Ms, still 1 point each
    ],
)
def test_level2_subtracts_the_value_of_each_not_met(not_met: dict[str, str | None], expected: int) -> None:
    """The rule: "For each requirement NOT MET, the associated value of the security requirement is subtracted from the
    maximum score, which may result in a negative score" (32 CFR 170.24(c)(2))."""
    result = scored(not_met=not_met)
    assert (result.score, result.maximum) == (expected, 110)
    assert result.ratio == pytest.approx(expected / 110)
    assert result.not_met == len(not_met)
    assert result.met == 110 - len(not_met)
    assert result.points_deducted == 110 - expected


@pytest.mark.parametrize(
    ("label", "partial", "expected"),
    [
        ("IA.L2-3.5.3", vocab.PARTIAL_MFA, 107),
        ("IA.L2-3.5.3", None, 105),
        ("SC.L2-3.13.11", vocab.PARTIAL_ENCRYPTION, 107),
        ("SC.L2-3.13.11", None, 105),
    ],
)
def test_partial_credit(label: str, partial: str | None, expected: int) -> None:
    """The rule: "three (3) points are subtracted from the maximum score if MFA is implemented only for remote and
    privileged users. Five (5) points are subtracted from the maximum score if MFA is not implemented for any
    users"; "If encryption is employed, but is not FIPS-validated, three (3) points are subtracted from the
    maximum score; if encryption is not employed; five (5) points are subtracted" (32 CFR
    170.24(c)(2)(i)(B)(4))."""
    result = scored(not_met={label: partial})
    assert result.score == expected
    assert result.diagnostics == ()


def test_partial_credit_on_any_other_requirement_deducts_full_points_and_says_so() -> None:
    """The rule: "Two derived security requirements, IA.L2-3.5.3 and SC.L2-3.13.11, can be partially effective"
    (32 CFR 170.24(c)(2)(i)(B)(4)): no other requirement has a partial value."""
    result = scored(not_met={"AC.L2-3.1.1": vocab.PARTIAL_MFA})
    assert result.score == 105
    assert [d.rule_id for d in result.diagnostics] == ["results-partial-not-allowed"]


@pytest.mark.parametrize("per_objective", [False, True])
def test_not_applicable_counts_as_met(per_objective: bool) -> None:
    """The rule: "an assessment objective assessed as N/A is equivalent to the same assessment objective being assessed
    as MET" (32 CFR 170.24(b)(3))."""
    result = scored(not_applicable=["SC.L2-3.13.5", "AC.L2-3.1.18"], per_objective=per_objective)
    assert result.score == 110
    assert (result.met, result.not_applicable, result.not_met) == (108, 2, 0)
    assert result.diagnostics == ()


@pytest.mark.parametrize("basis", ["enduring-exception", "temporary-deficiency", "dod-cio-adjudication"])
def test_met_through_an_exception_or_adjudication_deducts_nothing(basis: str) -> None:
    """The rule: "Temporary deficiencies that are appropriately addressed in operational plans of action ... shall be
    assessed as MET" (32 CFR 170.24(b)(1)(ii))."""
    assert scored(met_basis={"AC.L2-3.1.1": basis}).score == 110


def test_an_unassessed_requirement_is_an_error_and_never_counts_as_met() -> None:
    """The rule: "A requirement of the level with no finding at all is *not assessed*: an error, never silently MET"
    (docs/conventions.md)."""
    result = scored(missing=["AC.L2-3.1.1", "AC.L2-3.1.3"])
    assert result.score == 104  # both deducted at full value until assessed
    assert (result.met, result.not_met, result.not_assessed) == (108, 0, 2)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert [(d.rule_id, d.subject) for d in errors] == [
        ("score-requirement-not-assessed", "AC.L2-3.1.1"),
        ("score-requirement-not-assessed", "AC.L2-3.1.3"),
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"not_met": ["CA.L2-3.12.4"]},
        {"missing": ["CA.L2-3.12.4"]},
        {"not_applicable": ["CA.L2-3.12.4"]},
    ],
    ids=["not-met", "missing", "n/a"],
)
def test_no_ssp_blocks_the_score(options: dict[str, list[str]]) -> None:
    """The rule: "The absence of an up to date SSP at the time of the assessment would result in a finding that 'an
    assessment could not be completed due to incomplete information and noncompliance with 48 CFR
    252.204-7012'" (32 CFR 170.24(c)(2)(i)(B)(5))."""
    result = scored(**options)  # type: ignore[arg-type]
    assert result.score is None and result.ratio is None and result.blocked
    blocker = next(d for d in result.diagnostics if d.rule_id == "score-ssp-missing")
    assert blocker.severity is Severity.ERROR
    assert blocker.subject == "CA.L2-3.12.4"
    assert blocker.citation == "32 CFR 170.24(c)(2)(i)(B)(5)"


def test_everything_not_met_reaches_the_floor_of_minus_203() -> None:
    """The rule: "which may result in a negative score" (32 CFR 170.24(c)(2)); 110 − 313 = −203 with
    CA.L2-3.12.4 MET."""
    labels = [r.label for r in catalog(2).requirements if r.label != "CA.L2-3.12.4"]
    assert scored(not_met=labels).score == -203


@pytest.mark.parametrize(("not_met", "expected"), [(0, 24), (4, 20), (5, 19), (24, 0)])
def test_level3_score_is_the_number_met(not_met: int, expected: int) -> None:
    """The rule: "The Level 3 certification assessment score is equal to the number of CMMC Level 3 security
    requirements that are assessed as MET" (32 CFR 170.24(c)(3))."""
    labels = [r.label for r in catalog(3).requirements][:not_met]
    result = scored(3, not_met=labels, assessment_type="dibcac")
    assert (result.score, result.maximum, result.not_met) == (expected, 24, not_met)


def test_level3_not_applicable_counts_as_met() -> None:
    result = scored(3, not_applicable=["SI.L3-3.14.1e"], assessment_type="dibcac")
    assert (result.score, result.met, result.not_applicable) == (24, 23, 1)


@pytest.mark.parametrize(("not_met", "expected"), [([], 15), (["AC.L1-b.1.iii"], 14)])
def test_level1_is_met_or_not_in_its_entirety(not_met: list[str], expected: int) -> None:
    """The rule: "self-assessment results are scored as MET or NOT MET in their entirety" (32 CFR 170.24(c)(1)): the
    score counts the 15 requirements MET; only 15 of 15 is MET."""
    result = scored(1, not_met=not_met, assessment_type="self")
    assert (result.score, result.maximum, result.not_met) == (expected, 15, len(not_met))


def test_family_breakdown() -> None:
    result = scored(not_met={"AC.L2-3.1.1": None, "AC.L2-3.1.3": None, "SC.L2-3.13.11": vocab.PARTIAL_ENCRYPTION})
    rows = {row.family: row for row in result.families}
    assert [row.family for row in result.families][:3] == ["AC", "AT", "AU"]
    assert len(rows) == 14
    assert sum(row.requirements for row in result.families) == 110
    assert (rows["AC"].name, rows["AC"].requirements, rows["AC"].not_met, rows["AC"].points_deducted) == (
        "Access Control",
        22,
        2,
        6,
    )
    assert (rows["SC"].not_met, rows["SC"].points_deducted) == (1, 3)
    assert rows["AT"].points_deducted == 0
    data = result.to_dict()
    assert data["score"] == 101 and data["points-deducted"] == 9
    assert data["families"][0] == {
        "family": "AC",
        "name": "Access Control",
        "requirements": 22,
        "met": 20,
        "not-met": 2,
        "not-applicable": 0,
        "not-assessed": 0,
        "points-deducted": 6,
    }


# --- Properties ----------------------------------------------------------------------------------------

LEVEL2 = [r for r in catalog(2).requirements if r.label != "CA.L2-3.12.4"]
PARTIALS = {"IA.L2-3.5.3": vocab.PARTIAL_MFA, "SC.L2-3.13.11": vocab.PARTIAL_ENCRYPTION}


@st.composite
def level2_determinations(draw: st.DrawFn) -> tuple[dict[str, str | None], list[str]]:
    """Random NOT MET (with partial credit sometimes) and N/A requirements; CA.L2-3.12.4 MET so a score exists."""
    chosen = draw(st.lists(st.sampled_from(LEVEL2), unique=True, max_size=110))
    not_met: dict[str, str | None] = {}
    na: list[str] = []
    for requirement in chosen:
        kind = draw(st.sampled_from(["not-met", "not-met-partial", "n/a"]))
        if kind == "n/a":
            na.append(requirement.label)
        else:
            partial = PARTIALS.get(requirement.label) if kind == "not-met-partial" else None
            not_met[requirement.label] = partial
    return not_met, na


def expected_deduction(label: str, partial: str | None) -> int:
    requirement = catalog(2).by_label(label)
    assert requirement is not None and requirement.points is not None
    if partial is not None:
        assert requirement.partial_points is not None
        return requirement.partial_points
    return requirement.points


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(level2_determinations())
def test_property_score_is_110_minus_the_points_of_every_not_met(
    determinations: tuple[dict[str, str | None], list[str]],
) -> None:
    """The rule: "For each requirement NOT MET, the associated value of the security requirement is subtracted from the
    maximum score, which may result in a negative score" (32 CFR 170.24(c)(2)); the minimum is −203."""
    not_met, na = determinations
    result = scored(not_met=not_met, not_applicable=na)
    assert result.score == 110 - sum(expected_deduction(label, partial) for label, partial in not_met.items())
    assert result.score is not None and -203 <= result.score <= 110
    assert (result.not_met, result.not_applicable, result.met) == (len(not_met), len(na), 110 - len(not_met) - len(na))
