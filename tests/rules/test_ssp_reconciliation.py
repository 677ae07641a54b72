"""SSP reconciliation: the SSP's implementation status of each requirement against the level, the POA&M and results."""

from __future__ import annotations

from typing import Any

import pytest

from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.facts.poam import read_poam
from oscal_poam.facts.ssp import implementation_status, read_ssp, weakest
from oscal_poam.rules import ssp as ssp_rules
from tests.rules import poam_data, ssp_data

ON_POAM = "AC.L2-3.1.8"  # the credible POA&M has items for AC.L2-3.1.8 and AU.L2-3.3.8
NOT_ON_POAM = "AC.L2-3.1.9"


def reconcile(
    ssp: Any, poam: Any = None, level: int | None = None, *, document: str = "", poam_document: str = ""
) -> list[Diagnostic]:
    """The SSP reconciliation rules over the facts of `ssp` and `poam` (models), as the engine runs them."""
    poam_facts = read_poam(poam, poam_document) if poam is not None else None
    return ssp_rules.reconcile(read_ssp(ssp, document), poam_facts, None, level=level)


def of(diagnostics: list[Diagnostic], rule_id: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.rule_id == rule_id]


def statuses(overrides: dict[str, Any], level: int = 2) -> dict[str, str]:
    return implementation_status(read_ssp(ssp_data.model(ssp_data.cmmc_ssp(overrides, level=level))))


STATEMENT_PARTIAL = {
    "statements": [
        {
            "statement-id": "ac.l2-3.1.9_smt",
            "uuid": "00000000-0000-4000-8000-000000000001",
            "by-components": [
                {
                    "component-uuid": ssp_data.THIS_SYSTEM,
                    "uuid": "00000000-0000-4000-8000-000000000002",
                    "description": "Logon banners are planned.",
                    "implementation-status": {"state": "partial"},
                }
            ],
        }
    ]
}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("implemented", "implemented"),
        (["implemented", "partial"], "partial"),
        (["alternative", "implemented"], "alternative"),
        (["partial", "planned"], "planned"),
        (["not-applicable", "not-applicable"], "not-applicable"),
        (["not-applicable", "implemented"], "implemented"),
        (["not-applicable", "planned"], "planned"),
        (["implemented", "vendor-managed"], "vendor-managed"),
        ({"props": [{"name": "implementation-status", "value": "planned"}]}, "planned"),
        (STATEMENT_PARTIAL, "partial"),
        (None, None),
    ],
)
def test_ssp_status_weakest_wins(given: Any, expected: str | None) -> None:
    """ "SSP status: from its by-components' implementation-status (implemented, partial, planned, alternative,
    not-applicable), or from an implementation-status prop on the implemented requirement; where by-components
    disagree, the weakest wins." """
    found = statuses({NOT_ON_POAM: given})
    assert found.get("ac.l2-3.1.9") == expected
    assert found["ac.l2-3.1.1"] == "implemented"


def test_weakest_of_nothing_is_nothing() -> None:
    """ "not-applicable stands only when every by-component says so" (docs/conventions.md)"""
    assert weakest([]) is None
    assert weakest(["not-applicable"]) == "not-applicable"


def test_requirement_missing_from_ssp_warns() -> None:
    """ "a requirement of the level missing from the SSP warns" """
    ssp = ssp_data.model(ssp_data.cmmc_ssp(omit=("AC.L2-3.1.1", "SC.L2-3.13.11")))
    found = of(reconcile(ssp, document="ssp.json"), "ssp-requirement-missing")
    assert [(d.subject, d.severity, d.document) for d in found] == [
        ("AC.L2-3.1.1", Severity.WARNING, "ssp.json"),
        ("SC.L2-3.13.11", Severity.WARNING, "ssp.json"),
    ]
    assert found[0].pointer == "/system-security-plan/control-implementation/implemented-requirements"


@pytest.mark.parametrize(("level", "count"), [(1, 15), (2, 110), (3, 24)])
def test_nist_example_ssp_names_no_cmmc_requirement(level: int, count: int) -> None:
    """ "a requirement of the level missing from the SSP warns": the NIST example speaks of SP 800-53 controls."""
    found = reconcile(ssp_data.model(ssp_data.nist_ssp()), level=level)
    assert len(of(found, "ssp-requirement-missing")) == count
    assert len(found) == count


def test_complete_ssp_is_clean_at_level_3() -> None:
    """ "a requirement of the level missing from the SSP warns": none missing, none reported."""
    assert reconcile(ssp_data.model(ssp_data.cmmc_ssp(level=3)), level=3) == []


@pytest.mark.parametrize(
    ("given", "rule_id"),
    [(None, "ssp-status-missing"), ("vendor-managed", "ssp-status-unrecognized"), ("implemented", None)],
)
def test_status_stated_and_recognised(given: Any, rule_id: str | None) -> None:
    """ "SSP status: from its by-components' implementation-status (implemented, partial, planned, alternative,
    not-applicable), or from an implementation-status prop" """
    found = reconcile(ssp_data.model(ssp_data.cmmc_ssp({NOT_ON_POAM: given})))
    assert [(d.rule_id, d.subject) for d in found] == ([(rule_id, NOT_ON_POAM)] if rule_id else [])
    if rule_id:
        assert found[0].pointer.startswith("/system-security-plan/control-implementation/implemented-requirements/")


@pytest.mark.parametrize(
    ("label", "status", "with_poam", "warns"),
    [
        (NOT_ON_POAM, "partial", True, True),
        (NOT_ON_POAM, "planned", True, True),
        (NOT_ON_POAM, ["implemented", "planned"], True, True),
        (NOT_ON_POAM, "alternative", True, False),
        (ON_POAM, "partial", True, False),
        (ON_POAM, "planned", True, False),
        (NOT_ON_POAM, "planned", False, False),  # without a POA&M there is nothing to reconcile against
    ],
)
def test_gap_in_ssp_has_poam_item(label: str, status: Any, with_poam: bool, warns: bool) -> None:
    """ "each requirement the SSP marks partial or planned has a POA&M item or is MET in the results" """
    ssp = ssp_data.model(ssp_data.cmmc_ssp({label: status}))
    poam = poam_data.model(poam_data.credible_poam()) if with_poam else None
    found = of(reconcile(ssp, poam, document="ssp.json", poam_document="poam.json"), "ssp-gap-not-on-poam")
    assert [(d.subject, d.document) for d in found] == ([(label, "ssp.json")] if warns else [])


@pytest.mark.parametrize(
    ("status", "warns"),
    [("implemented", True), ("not-applicable", True), ("partial", False), ("planned", False), ("alternative", False)],
)
def test_poam_item_for_implemented_requirement_is_contradiction(status: str, warns: bool) -> None:
    """ "a POA&M item for a requirement the SSP marks implemented is a contradiction (warning)" """
    ssp = ssp_data.model(ssp_data.cmmc_ssp({ON_POAM: status}))
    poam = poam_data.model(poam_data.credible_poam())
    found = of(reconcile(ssp, poam, document="ssp.json", poam_document="poam.json"), "ssp-implemented-on-poam")
    # The other item (AU.L2-3.3.8) is implemented in this SSP and always contradicts it.
    assert sorted((d.subject, d.pointer, d.document, d.severity) for d in found) == sorted(
        [("AU.L2-3.3.8", "/plan-of-action-and-milestones/poam-items/1", "poam.json", Severity.WARNING)]
        + ([(ON_POAM, "/plan-of-action-and-milestones/poam-items/0", "poam.json", Severity.WARNING)] if warns else [])
    )


def test_closed_item_for_implemented_requirement_is_no_contradiction() -> None:
    """ "a POA&M item for a requirement the SSP marks implemented is a contradiction": not once the item is closed,
    which is how a remediated requirement reads after its closeout."""
    ssp = ssp_data.model(ssp_data.cmmc_ssp())
    data = poam_data.changed(poam_data.credible_poam(), "/plan-of-action-and-milestones/risks/0/status", "closed")
    found = of(reconcile(ssp, poam_data.model(data), poam_document="poam.json"), "ssp-implemented-on-poam")
    assert [d.subject for d in found] == ["AU.L2-3.3.8"]
    assert found[0].message == "the POA&M has an open item for AU.L2-3.3.8, which the SSP marks implemented"
