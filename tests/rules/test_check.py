"""`check`: every rule the inputs allow, and the POA&M against the assessment results."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import oscal_poam
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.api import CheckResult, check
from oscal_poam.errors import LoadError, UsageError
from oscal_poam.io.load import load
from tests import builders
from tests.rules import poam_data, ssp_data

AS_OF = dt.date(2026, 2, 1)
ON_POAM = ("AC.L2-3.1.8", "AU.L2-3.3.8")


def poam(edits: list[tuple[str, Any]] = (), level: int = 2) -> Any:  # type: ignore[assignment]
    data = poam_data.credible_poam(level=level)
    for where, value in edits:
        data = poam_data.changed(data, where, value)
    return poam_data.model(data)


def results(not_met: Any = ON_POAM, **kw: Any) -> Any:
    return builders.assessment_results(
        not_met=not_met, status_date=poam_data.STATUS_DATE, **{**poam_data.RESULTS_WINDOW, **kw}
    )


def ids(result: CheckResult, rule_id: str) -> list[tuple[str, Severity]]:
    return [(d.subject, d.severity) for d in result.diagnostics if d.rule_id == rule_id]


def test_credible_poam_matching_its_results_is_clean() -> None:
    """`check` runs credibility always; a credible POA&M holding exactly the NOT MET requirements stands clean
    but for the information that the status is Conditional."""
    result = check(poam(), results=results(), as_of=AS_OF)
    assert [d.rule_id for d in result.diagnostics] == ["eligibility-conditional"]
    assert result.cmmc_status == "Conditional Level 2 (C3PAO)"
    assert result.score is not None and result.score.score == 108
    assert not result.fails(Severity.WARNING)


def test_without_results_no_score_or_verdict() -> None:
    """ "runs all rules that its inputs allow": without results, credibility and item eligibility only."""
    result = check(poam([("/plan-of-action-and-milestones/poam-items/0/props/1", poam_data.DELETE)]), as_of=AS_OF)
    assert (result.score, result.verdict, result.cmmc_status) == (None, None, None)
    assert [d.rule_id for d in result.diagnostics] == ["credibility-root-cause"]
    assert result.level == 2


@pytest.mark.parametrize(
    ("not_met", "rule_id", "expected"),
    [
        (ON_POAM, "poam-missing-item", []),
        ((*ON_POAM, "AC.L2-3.1.9"), "poam-missing-item", [("AC.L2-3.1.9", Severity.ERROR)]),
        (("AC.L2-3.1.8",), "poam-item-for-met-requirement", [("AU.L2-3.3.8", Severity.WARNING)]),
        (ON_POAM, "poam-item-for-met-requirement", []),
    ],
)
def test_poam_against_results(not_met: tuple[str, ...], rule_id: str, expected: list[tuple[str, Severity]]) -> None:
    """ "every NOT MET requirement has an item (170.24(c)(2)(i)(B)(6): "For each NOT MET security requirement the
    OSA must have a POA&M in place") — error; items for requirements that are MET — warning" """
    result = check(poam(), results=results(not_met), as_of=AS_OF)
    assert ids(result, rule_id) == expected
    for d in result.diagnostics:
        if d.rule_id == "poam-missing-item":
            assert d.citation == "32 CFR 170.24(c)(2)(i)(B)(6)"
            assert d.pointer == "/plan-of-action-and-milestones/poam-items"


def test_closed_item_for_met_requirement_is_fine() -> None:
    """ "items for requirements that are MET — warning": only while the item is open."""
    closed = [("/plan-of-action-and-milestones/risks/1/status", "closed")]
    assert (
        ids(check(poam(closed), results=results(("AC.L2-3.1.8",)), as_of=AS_OF), "poam-item-for-met-requirement") == []
    )


REPLACE_FIRST = "/plan-of-action-and-milestones/poam-items/0"


def relabel(label: str, title: str) -> list[tuple[str, Any]]:
    return [(f"{REPLACE_FIRST}/props/0/value", label), (f"{REPLACE_FIRST}/title", f"{label} {title}")]


@pytest.mark.parametrize(
    ("label", "title", "not_met", "severity"),
    [
        ("AC.L2-3.1.1", "Authorized Access Control", None, Severity.ERROR),  # 5 points
        ("AC.L2-3.1.20", "External Connections", None, Severity.ERROR),  # named in 170.21(a)(2)(iii)
        ("AC.L2-3.1.12", "Control Remote Access", None, Severity.ERROR),  # 5-point derived
        ("IA.L2-3.5.3", "Multifactor Authentication", "mfa-remote-and-privileged-only", Severity.ERROR),
        ("SC.L2-3.13.11", "CUI Encryption", "encryption-not-fips-validated", None),
        ("SC.L2-3.13.11", "CUI Encryption", None, Severity.ERROR),  # no encryption: 5 points
        ("AC.L2-3.1.9", "Privacy & Security Notices", None, None),  # 1 point
    ],
)
def test_item_for_ineligible_requirement_with_results(
    label: str, title: str, not_met: str | None, severity: Severity | None
) -> None:
    """ "an item for a non-eligible requirement → error citing 170.21(a)(2)(ii)/(iii)" """
    result = check(poam(relabel(label, title)), results=results({label: not_met, "AU.L2-3.3.8": None}), as_of=AS_OF)
    found = [d for d in result.diagnostics if d.rule_id == "poam-item-not-eligible"]
    assert [(d.subject, d.severity, d.pointer) for d in found] == (
        [(label, severity, REPLACE_FIRST)] if severity else []
    )
    assert all("170.21(a)(2)" in d.citation for d in found)


@pytest.mark.parametrize(
    ("label", "title", "partial_state", "severity"),
    [
        ("AC.L2-3.1.22", "Control Public Information", None, Severity.ERROR),
        ("AC.L2-3.1.1", "Authorized Access Control", None, Severity.ERROR),
        ("SC.L2-3.13.11", "CUI Encryption", "encryption-not-fips-validated", None),
        ("SC.L2-3.13.11", "CUI Encryption", "none", Severity.ERROR),
        ("SC.L2-3.13.11", "CUI Encryption", None, Severity.WARNING),  # unknown whether encryption is employed
        ("AC.L2-3.1.9", "Privacy & Security Notices", None, None),
    ],
)
def test_item_for_ineligible_requirement_without_results(
    label: str, title: str, partial_state: str | None, severity: Severity | None
) -> None:
    """ "an item for a non-eligible requirement → error citing 170.21(a)(2)(ii)/(iii)", judged from the catalog and
    the item's cmmc-partial-state when there are no results"""
    edits = relabel(label, title)
    if partial_state is not None:
        edits.append((f"{REPLACE_FIRST}/props/-", poam_data.prop("cmmc-partial-state", partial_state)))
    found = [d for d in check(poam(edits), as_of=AS_OF).diagnostics if d.rule_id == "poam-item-not-eligible"]
    assert [(d.subject, d.severity) for d in found] == ([(label, severity)] if severity else [])


def test_level_1_poam_items_are_errors() -> None:
    """ "A POA&M is not permitted at any time for Level 1 self-assessments." (32 CFR 170.21(a)(1))"""
    edits = [
        (f"{REPLACE_FIRST}/props/0/value", "AC.L1-b.1.i"),
        (f"{REPLACE_FIRST}/title", "AC.L1-b.1.i Authorized Access Control"),
        ("/plan-of-action-and-milestones/poam-items/1", poam_data.DELETE),
    ]
    found = [d for d in check(poam(edits, level=1), as_of=AS_OF).diagnostics if d.rule_id == "poam-item-level-1"]
    assert [(d.subject, d.severity, d.citation) for d in found] == [
        ("AC.L1-b.1.i", Severity.ERROR, "32 CFR 170.21(a)(1)")
    ]


def test_points_and_level_must_agree_with_results() -> None:
    """The item's cmmc-points-deducted and the POA&M's cmmc-level agree with the results."""
    points = [(f"{REPLACE_FIRST}/props/-", poam_data.prop("cmmc-points-deducted", "3"))]
    found = check(poam(points), results=results(), as_of=AS_OF)
    assert ids(found, "poam-item-points-mismatch") == [("AC.L2-3.1.8", Severity.WARNING)]
    other_level = check(poam(level=3), results=results(), as_of=AS_OF, level=2)
    assert [d.message for d in other_level.diagnostics if d.rule_id == "poam-level-mismatch"] == [
        "the POA&M is for Level 3, the results for Level 2"
    ]


def test_ssp_is_reconciled_when_given() -> None:
    """ "SSP reconciliation" runs with an SSP: here the SSP says both POA&M requirements are implemented."""
    ssp = ssp_data.model(ssp_data.cmmc_ssp({"AC.L2-3.1.9": "planned"}))
    result = check(poam(), ssp=ssp, as_of=AS_OF)
    assert sorted(ids(result, "ssp-implemented-on-poam")) == [(s, Severity.WARNING) for s in ON_POAM]
    assert ids(result, "ssp-gap-not-on-poam") == [("AC.L2-3.1.9", Severity.WARNING)]
    with_results = check(poam(), ssp=ssp, results=results((*ON_POAM,)), as_of=AS_OF)
    # AC.L2-3.1.9 is MET in the results, so its planned status in the SSP needs no item.
    assert ids(with_results, "ssp-gap-not-on-poam") == []


def test_closeout_results_are_checked_as_the_closeout() -> None:
    """With closeout results, `check` checks the closeout of the POA&M (32 CFR 170.21(b))."""
    closeout = builders.closeout_results(
        dict.fromkeys(ON_POAM, "met"), end=dt.datetime(2026, 4, 1, 17, 0, tzinfo=dt.UTC)
    )
    result = check(poam(), results=closeout, as_of=dt.date(2026, 4, 2))
    assert result.closeout is not None and result.closeout.verdict == "final"
    assert result.score is None and result.verdict is None
    assert result.cmmc_status == "Final Level 2 (C3PAO)"
    assert not [d for d in result.diagnostics if d.rule_id.startswith(("poam-", "eligibility-", "score-"))]


def test_inputs_as_models_documents_or_paths(tmp_path: Path) -> None:
    """ "Inputs accept models, Documents or paths"; from a file, diagnostics name it and, in YAML, the line."""
    data = poam_data.changed(
        poam_data.credible_poam(), "/plan-of-action-and-milestones/poam-items/1/props/1", poam_data.DELETE
    )
    json_path = tmp_path / "poam.json"
    json_path.write_text(json.dumps(data), encoding="utf-8")
    yaml_path = tmp_path / "poam.yaml"
    yaml_path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    from_model = check(poam_data.model(data), as_of=AS_OF).diagnostics
    from_path = check(json_path, as_of=AS_OF).diagnostics
    from_str = check(str(json_path), as_of=AS_OF).diagnostics
    from_doc = check(load(yaml_path), as_of=AS_OF).diagnostics

    def strip(found: tuple[Diagnostic, ...]) -> list[tuple[str, str, str]]:
        return [(d.rule_id, d.pointer, d.message) for d in found]

    assert strip(from_model) == strip(from_path) == strip(from_str) == strip(from_doc)
    assert [d.rule_id for d in from_model] == ["credibility-root-cause"]
    assert {d.document for d in from_path} == {str(json_path)}
    assert from_model[0].line is None  # a model has no text to place it in
    assert from_path[0].line == 1  # json.dumps writes one line; the column is the member's key
    column = from_path[0].column
    assert column is not None and json_path.read_text(encoding="utf-8")[column - 1 :].startswith('"props"')
    assert from_doc[0].document == str(yaml_path) and from_doc[0].line is not None and from_doc[0].line > 1


def test_wrong_input_kind_or_missing_file() -> None:
    """Inputs of the wrong kind are usage errors; files that cannot be loaded raise LoadError."""
    with pytest.raises(UsageError, match="plan of action and milestones"):
        check(results())  # type: ignore[arg-type]
    with pytest.raises(LoadError, match="file not found"):
        check("no-such-poam.json")


def test_diagnostics_sorted_and_deterministic() -> None:
    """ "Diagnostics sorted deterministically": by document, severity, then place in document order."""
    twelve = builders.requirements_worth(1)[:12]
    target = builders.poam(twelve, status_date="2026-01-15")
    first = check(target, results=results(twelve), as_of=dt.date(2026, 6, 1))
    again = check(target, results=results(twelve), as_of=dt.date(2026, 6, 1))
    assert first.diagnostics == again.diagnostics
    assert list(first.diagnostics) == sorted(first.diagnostics, key=lambda d: d.sort_key)
    item_pointers = [d.pointer for d in first.diagnostics if d.rule_id == "credibility-root-cause"]
    numbers = [int(p.split("/")[3]) for p in item_pointers]
    assert numbers == sorted(numbers) and numbers[-1] >= 10


def test_public_api() -> None:
    """ "Python API: oscal_poam.check(...) returning typed results with diagnostics." """
    assert oscal_poam.check is check
    assert oscal_poam.CheckResult is CheckResult
    result = oscal_poam.check(poam(), results=results(), as_of=AS_OF)
    data = result.to_dict()
    assert data["cmmc-status"] == "Conditional Level 2 (C3PAO)"
    assert data["score"]["score"] == 108
    assert data["diagnostics"][0]["rule-id"] == "eligibility-conditional"
