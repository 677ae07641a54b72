"""Reading OSCAL assessment results into CMMC determinations, per docs/conventions.md."""

from __future__ import annotations

import datetime as dt

import pytest
from trestle.oscal.common import Finding, Property

from oscal_poam.cmmc import vocab
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.errors import UsageError
from oscal_poam.facts.results import Assessment, read_assessment
from oscal_poam.ids import stable_uuid
from oscal_poam.io.load import load
from tests import builders as b
from tests.conftest import OSCAL_CONTENT

NIST_AR = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"


def read(results: object, **options: object) -> Assessment:
    return read_assessment(results, document="results.json", **options)  # type: ignore[arg-type]


def rules_of(diagnostics: tuple[Diagnostic, ...]) -> list[str]:
    return [d.rule_id for d in diagnostics]


def only(diagnostics: tuple[Diagnostic, ...], rule_id: str) -> Diagnostic:
    found = [d for d in diagnostics if d.rule_id == rule_id]
    assert len(found) == 1, rules_of(diagnostics)
    return found[0]


def test_a_complete_met_assessment_reads_clean() -> None:
    assessment = read(b.assessment_results(2))
    assert assessment.level == 2
    assert assessment.assessment_type == "c3pao"
    assert assessment.kind == "initial"
    assert len(assessment.requirements) == 110
    assert {r.status for r in assessment.requirements.values()} == {"met"}
    assert assessment.diagnostics == ()
    assert list(assessment.requirements)[:2] == ["ac.l2-3.1.1", "ac.l2-3.1.2"]


@pytest.mark.parametrize(
    ("findings", "status"),
    [
        (
            [b.finding("AC.L2-3.1.3", "satisfied", part="obj.a"), b.finding("AC.L2-3.1.3", "satisfied", part="obj.b")],
            "not-assessed",  # 3.1.3 has five objectives: two assessed do not make it MET (32 CFR 170.24(b)(1))
        ),
        (
            [
                b.finding("AC.L2-3.1.3", "satisfied", part="obj.a"),
                b.finding("AC.L2-3.1.3", "not-satisfied", part="obj.b"),
            ],
            "not-met",
        ),
        ([b.finding("AC.L2-3.1.3", "satisfied", part="smt")], "met"),
        ([b.finding("AC.L2-3.1.3", "satisfied"), b.finding("AC.L2-3.1.3", "not-satisfied", part="smt")], "not-met"),
        ([b.finding("AC.L2-3.1.3", "satisfied", not_applicable=True)], "not-applicable"),
        (
            [
                b.finding("AC.L2-3.1.3", "satisfied", part="obj.a", not_applicable=True),
                b.finding("AC.L2-3.1.3", "satisfied", part="obj.b"),
            ],
            "not-assessed",  # as above: objectives [c] to [e] have no finding
        ),
        ([], "not-assessed"),
    ],
    ids=["objectives-met", "one-objective-fails", "statement", "statement-fails", "n/a", "part-n/a", "none"],
)
def test_findings_on_a_requirement_are_read_together(findings: list[Finding], status: str) -> None:
    """The rule: "A requirement is NOT MET when it or any of its objectives is not satisfied" (docs/conventions.md)."""
    others = b.all_findings(2, but=["AC.L2-3.1.3"])
    assessment = read(b.results([*others, *findings]))
    result = assessment.by_label("AC.L2-3.1.3")
    assert result is not None
    assert result.status == status
    assert len(result.finding_uuids) == len(findings)
    assert len(result.finding_pointers) == len(findings)


def test_findings_link_their_observations_and_risks() -> None:
    o1, o2, o3, r1 = (stable_uuid("test", name) for name in ("o-1", "o-2", "o-3", "r-1"))
    found = b.finding("AC.L2-3.1.3", "not-satisfied", observations=[o1, o2], risks=[r1])
    again = b.finding("AC.L2-3.1.3", "satisfied", part="obj.a", observations=[o2, o3], risks=[r1])
    assessment = read(b.results([found, again]))
    result = assessment.by_label("AC.L2-3.1.3")
    assert result is not None
    assert result.finding_uuids == (found.uuid, again.uuid)
    assert result.observation_uuids == (o1, o2, o3)
    assert result.risk_uuids == (r1,)
    assert result.finding_pointers == (
        "/assessment-results/results/0/findings/0",
        "/assessment-results/results/0/findings/1",
    )


@pytest.mark.parametrize(
    ("label", "partial", "points", "eligible"),
    [
        ("AC.L2-3.1.3", None, 1, True),
        ("AC.L2-3.1.1", None, 5, False),
        ("AU.L2-3.3.2", None, 3, False),
        ("IA.L2-3.5.3", vocab.PARTIAL_MFA, 3, False),
        ("IA.L2-3.5.3", None, 5, False),
        ("SC.L2-3.13.11", vocab.PARTIAL_ENCRYPTION, 3, True),
        ("SC.L2-3.13.11", None, 5, False),
        ("AC.L2-3.1.20", None, 1, False),
        ("CA.L2-3.12.4", None, 0, False),
    ],
)
def test_not_met_points_and_poam_eligibility(label: str, partial: str | None, points: int, eligible: bool) -> None:
    """The rule: "None of the security requirements included in the POA&M have a point value of greater than 1
    ... except SC.L2-3.13.11 CUI Encryption may be included on a POA&M if encryption is employed but it is not
    FIPS-validated" (32 CFR 170.21(a)(2)(ii)); the six of 170.21(a)(2)(iii) never."""
    assessment = read(b.assessment_results(2, not_met={label: partial}))
    result = assessment.by_label(label)
    assert result is not None
    assert (result.status, result.partial, result.points_deducted, result.poam_eligible) == (
        "not-met",
        partial,
        points,
        eligible,
    )
    assert [r.label for r in assessment.not_met()] == [label]


def test_met_basis_is_recorded_and_met() -> None:
    """The rule: "Enduring exceptions when described, along with any mitigations, in the system security plan shall be
    assessed as MET" (32 CFR 170.24(b)(1)(i))."""
    assessment = read(b.assessment_results(2, met_basis={"SC.L2-3.13.5": "enduring-exception"}))
    result = assessment.by_label("SC.L2-3.13.5")
    assert result is not None
    assert (result.status, result.met_basis, result.points_deducted) == ("met", "enduring-exception", 0)


def test_an_unassessed_requirement_is_an_error_never_met() -> None:
    """The rule: "A requirement of the level with no finding at all is *not assessed*: an error, never silently MET"."""
    assessment = read(b.assessment_results(2, missing=["AC.L2-3.1.20", "SI.L2-3.14.7"]))
    assert [r.label for r in assessment.not_assessed()] == ["AC.L2-3.1.20", "SI.L2-3.14.7"]
    errors = [d for d in assessment.diagnostics if d.rule_id == "score-requirement-not-assessed"]
    assert [d.subject for d in errors] == ["AC.L2-3.1.20", "SI.L2-3.14.7"]
    assert all(d.severity is Severity.ERROR and d.document == "results.json" for d in errors)
    assert errors[0].message.startswith("AC.L2-3.1.20 External Connections")
    assert "1 point" in errors[0].message
    assert errors[0].citation == "32 CFR 170.24(b)"


def test_a_result_without_findings_is_one_error() -> None:
    assessment = read(b.results([]))
    assert rules_of(assessment.diagnostics) == ["results-no-findings"]
    assert len(assessment.not_assessed()) == 110
    assert "110" in assessment.diagnostics[0].message


def test_a_closeout_result_does_not_report_the_requirements_it_rightly_leaves_out() -> None:
    """The rule: "A POA&M closeout assessment ... assesses only the NOT MET requirements that were identified with POA&M
    in the initial assessment" (32 CFR 170.21(b))."""
    assessment = read(b.closeout_results({"AC.L2-3.1.3": "met"}))
    assert assessment.kind == "closeout"
    assert assessment.diagnostics == ()
    assert len(assessment.not_assessed()) == 109


@pytest.mark.parametrize(("state", "severity"), [("satisfied", Severity.WARNING), ("not-satisfied", Severity.ERROR)])
def test_a_finding_on_an_unknown_target_is_left_out(state: str, severity: Severity) -> None:
    typo = b.finding("ac.l2-3.1.99", state)
    assessment = read(b.results([*b.all_findings(2), typo]))
    diagnostic = only(assessment.diagnostics, "results-unknown-target")
    assert diagnostic.severity is severity
    assert diagnostic.subject == typo.uuid
    assert diagnostic.pointer == "/assessment-results/results/0/findings/110/target/target-id"
    assert ("NOT MET it records is lost" in diagnostic.message) is (state == "not-satisfied")


def test_a_finding_on_another_levels_requirement_says_which_level() -> None:
    assessment = read(b.results([*b.all_findings(2), b.finding("AC.L3-3.1.2e")]))
    assert "Level 3 requirement" in only(assessment.diagnostics, "results-unknown-target").message


def test_a_finding_without_a_state_determines_nothing() -> None:
    others = b.all_findings(2, but=["AC.L2-3.1.3"])
    assessment = read(b.results([*others, b.finding("AC.L2-3.1.3", None)]))
    result = assessment.by_label("AC.L2-3.1.3")
    assert result is not None and result.status == "not-assessed"
    assert only(assessment.diagnostics, "results-finding-no-state").severity is Severity.ERROR
    assert only(assessment.diagnostics, "score-requirement-not-assessed").subject == "AC.L2-3.1.3"


@pytest.mark.parametrize(
    ("findings", "status", "points"),
    [
        ([b.finding("AC.L2-3.1.3", "not-satisfied", not_applicable=True)], "not-met", 1),
        ([b.finding("AC.L2-3.1.3", "not-satisfied", met_basis="temporary-deficiency")], "not-met", 1),
        ([b.finding("IA.L2-3.5.3", "satisfied", partial=vocab.PARTIAL_MFA)], "not-met", 3),
        (
            [
                b.finding("SC.L2-3.13.11", "not-satisfied", partial=vocab.PARTIAL_ENCRYPTION),
                b.finding("SC.L2-3.13.11", "not-satisfied", part="smt", partial="encryption-not-employed"),
            ],
            "not-met",
            5,
        ),
    ],
    ids=["n/a-but-failing", "met-basis-but-failing", "partial-but-satisfied", "two-partials"],
)
def test_contradictory_props_keep_the_reading_that_deducts_more(
    findings: list[Finding], status: str, points: int
) -> None:
    label = findings[0].target.target_id
    assessment = read(b.results(findings))
    result = next(r for r in assessment.requirements.values() if r.requirement.control_id == label)
    assert (result.status, result.points_deducted) == (status, points)
    contradiction = only(assessment.diagnostics, "results-contradictory-props")
    assert contradiction.severity is Severity.ERROR
    assert contradiction.subject == result.label


@pytest.mark.parametrize(
    ("label", "partial", "points", "says"),
    [
        ("AC.L2-3.1.1", vocab.PARTIAL_MFA, 5, "only to IA.L2-3.5.3 and SC.L2-3.13.11"),
        ("IA.L2-3.5.3", vocab.PARTIAL_ENCRYPTION, 5, "defines no value for any other partial state"),
        ("IA.L2-3.5.3", "mfa-general-users-only", 5, "defines no value for any other partial state"),
        ("AC.L2-3.1.3", vocab.PARTIAL_ENCRYPTION, 1, "only to IA.L2-3.5.3"),
    ],
)
def test_partial_credit_where_the_rule_gives_none_deducts_full_points(
    label: str, partial: str, points: int, says: str
) -> None:
    """The rule: "Two derived security requirements, IA.L2-3.5.3 and SC.L2-3.13.11, can be partially effective"
    (32 CFR 170.24(c)(2)(i)(B)(4)); any other partial state has no value, and the safe reading is full points."""
    assessment = read(b.assessment_results(2, not_met={label: partial}))
    result = assessment.by_label(label)
    assert result is not None
    assert (result.status, result.partial, result.points_deducted) == ("not-met", None, points)
    warning = only(assessment.diagnostics, "results-partial-not-allowed")
    assert warning.severity is Severity.WARNING
    assert says in warning.message and f"full {points} point" in warning.message


def test_level_comes_from_the_prop_else_from_the_targets() -> None:
    assert read(b.assessment_results(3, declare_level=False)).level == 3
    assert read(b.assessment_results(1, declare_level=False)).level == 1
    assessment = read(b.assessment_results(3, declare_level=False))
    assert assessment.diagnostics == ()


def test_level_asked_for_wins_and_a_mismatch_is_said() -> None:
    assessment = read(b.assessment_results(2), level=3)
    assert assessment.level == 3
    assert "results-level-mismatch" in rules_of(assessment.diagnostics)
    # A Level 3 assessment reads Level 2 findings as the Level 2 requirements of its scope (32 CFR 170.24(c)(3)).
    assert "results-unknown-target" not in rules_of(assessment.diagnostics)
    assert len(assessment.level2) == 110


def test_a_level_that_cannot_be_told_is_an_error_on_a_real_nist_document() -> None:
    doc = load(NIST_AR)
    assessment = read(doc.model)
    assert assessment.level == 2
    assert only(assessment.diagnostics, "results-level-unknown").severity is Severity.ERROR
    assert only(assessment.diagnostics, "results-unknown-target").subject == "45d8a6c2-1368-4bad-9ba0-7141f0a32889"
    # ac-6.1_obj is an SP 800-53 objective: the finding determines nothing, so nothing is MET.
    assert len(assessment.not_assessed()) == 110


@pytest.mark.parametrize(
    ("prop", "attribute", "value"),
    [
        (b.prop(vocab.LEVEL, "4"), "level", 2),
        (b.prop(vocab.ASSESSMENT_TYPE, "rpo"), "assessment_type", None),
        (b.prop(vocab.ASSESSMENT_KIND, "final"), "kind", "initial"),
        (b.prop(vocab.STATUS_DATE, "next week"), "status_date", b.END.date()),
    ],
)
def test_invalid_result_props_are_warned_and_fall_back(prop: Property, attribute: str, value: object) -> None:
    findings = b.all_findings(2)
    others = {
        "level": dict(level=None),
        "assessment_type": dict(assessment_type=None),
        "kind": dict(kind=None),
        "status_date": {},
    }[attribute]
    assessment = read(b.results(findings, extra_props=[prop], **others))  # type: ignore[arg-type]
    assert getattr(assessment, attribute) == value
    warning = only(assessment.diagnostics, "results-prop-invalid")
    assert warning.pointer.startswith("/assessment-results/results/0/props/")


def test_a_prop_without_the_namespace_is_not_read_and_is_warned() -> None:
    bare = b.prop(vocab.PARTIAL, vocab.PARTIAL_MFA, ns=None)
    others = b.all_findings(2, but=["IA.L2-3.5.3"])
    assessment = read(b.results([*others, b.finding("IA.L2-3.5.3", "not-satisfied", props=[bare])]))
    result = assessment.by_label("IA.L2-3.5.3")
    assert result is not None and result.points_deducted == 5
    warning = only(assessment.diagnostics, "results-prop-invalid")
    assert vocab.NS in warning.message and warning.subject == "IA.L2-3.5.3"


def test_status_date_is_the_prop_else_the_end() -> None:
    assert read(b.assessment_results(2, status_date="2026-04-01")).status_date == dt.date(2026, 4, 1)
    assert read(b.assessment_results(2)).status_date == b.END.date()
    assert read(b.assessment_results(2, end=None)).status_date is None


def test_end_is_the_day_in_the_results_own_time_zone() -> None:
    late = dt.datetime(2026, 3, 6, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert read(b.assessment_results(2, end=late)).end == dt.date(2026, 3, 6)


def test_result_index_picks_a_result_and_a_missing_one_is_a_usage_error() -> None:
    first = b.assessment_results(2, not_met=["AC.L2-3.1.3"])
    second = b.assessment_results(2)
    both = first.model_copy(update={"results": [first.results[0], second.results[0]]})
    assert [r.label for r in read(both).not_met()] == []
    assert [r.label for r in read(both, result_index=0).not_met()] == ["AC.L2-3.1.3"]
    assert read(both, result_index=0).result_pointer == "/assessment-results/results/0"
    assert read(both).result_pointer == "/assessment-results/results/1"
    with pytest.raises(UsageError, match="no result number 2"):
        read(both, result_index=2)
    with pytest.raises(UsageError, match="1, 2 or 3"):
        read(both, level=4)
