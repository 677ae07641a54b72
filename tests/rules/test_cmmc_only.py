"""The CMMC rules run on CMMC documents only, detected once (`facts.detect`), and the planning rules leave closed
items alone."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.derivation.api import derive
from oscal_poam.engine.api import check
from oscal_poam.engine.ruleset import family_of
from oscal_poam.facts.detect import is_cmmc_poam
from oscal_poam.io.load import load
from oscal_poam.legacy.api import import_poam
from oscal_poam.rules.credibility import PLANNING
from tests.cli_runner import run_main
from tests.conftest import OSCAL_CONTENT
from tests.legacy import sheets
from tests.rules import poam_data

AS_OF = dt.date(2026, 2, 1)
NIST_RESULTS = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"
NIST_SSP = OSCAL_CONTENT / "ssp" / "json" / "ssp-example.json"
CMMC_FAMILIES = {"credibility", "consistency", "eligibility", "recorded", "scoring", "ssp", "results", "closeout"}

FEDRAMP_CSV = "\n".join(
    [
        "POAM ID,Controls,Weakness Name,Weakness Description,Original Detection Date,Scheduled Completion Date",
        "FR-0001,AC-2,Inactive accounts are not disabled,Twelve accounts unused for 90 days remain enabled.,"
        "2025-09-02,2026-01-15",
        "FR-0002,SI-2,Kernel patches are late,The web tier runs a kernel two releases behind the security fixes.,"
        "2025-09-02,2026-01-15",
        "",
    ]
)
"""A FedRAMP-style sheet: its items name SP 800-53 controls."""


def _families(found: Any) -> set[str]:
    return {family_of(d.rule_id) for d in found}


@pytest.fixture(scope="module")
def nist_poam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A POA&M of NIST's example assessment results: no CMMC props, SP 800-53 controls."""
    folder = tmp_path_factory.mktemp("nist")
    target = folder / "poam.json"
    result = derive(NIST_SSP, NIST_RESULTS, generic=True, poam_path=target)
    assert result.poam is not None
    from oscal_poam.io.write import dumps

    target.write_bytes(dumps(result.poam, "json"))
    return target


def test_a_nist_poam_gets_the_oscal_checks_only(nist_poam: Path) -> None:
    assert not is_cmmc_poam(load(nist_poam).model)  # type: ignore[arg-type]
    found = check(nist_poam, as_of=AS_OF).diagnostics
    assert not _families(found) & CMMC_FAMILIES
    assert check(nist_poam, as_of=AS_OF).standing is None


def test_a_fedramp_sheet_imported_gets_no_cmmc_warning(tmp_path: Path) -> None:
    """The `legacy-` props an import keeps do not make a POA&M a CMMC one: its items name SP 800-53 controls."""
    sheet = tmp_path / "fedramp.csv"
    sheet.write_text(FEDRAMP_CSV, encoding="utf-8")
    imported = import_poam(sheet, as_of=AS_OF)
    assert imported.poam is not None and not is_cmmc_poam(imported.poam)
    assert not _families(imported.diagnostics) & {"credibility", "recorded", "consistency"}
    cmmc = import_poam(sheets.fedramp_workbook(tmp_path / "cmmc.xlsx"), as_of=AS_OF)  # items name CMMC requirements
    assert cmmc.poam is not None and is_cmmc_poam(cmmc.poam)
    assert "credibility" in _families(cmmc.diagnostics)


def test_generic_says_so_of_a_cmmc_document(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    poam = tmp_path / "poam.json"
    poam.write_text(
        json.dumps(
            poam_data.changed(
                poam_data.credible_poam(), "/plan-of-action-and-milestones/poam-items/1/props/1", poam_data.DELETE
            )
        ),
        encoding="utf-8",
    )
    assert [d.rule_id for d in check(poam, as_of=AS_OF).diagnostics] == ["credibility-root-cause"]
    assert check(poam, as_of=AS_OF, generic=True).diagnostics == ()
    for command in (["check", str(poam)], ["validate", str(poam)]):
        ran = run_main(capsys, monkeypatch, *command, "--as-of", AS_OF.isoformat(), "--generic", "-v")
        assert ran.returncode == 0 and "credibility-" not in ran.stdout, ran.stdout
    sheet = sheets.fedramp_workbook(tmp_path / "cmmc.xlsx")
    ran = run_main(capsys, monkeypatch, "import", str(sheet), "-o", str(tmp_path / "i.json"), "--generic", "-f", "json")
    assert ran.returncode == 0
    assert not {family_of(d["rule-id"]) for d in json.loads(ran.stdout)["diagnostics"]} & CMMC_FAMILIES


def test_planning_rules_leave_closed_items_alone() -> None:
    """Items closed with no root cause, owner, milestones or resources: no planning warning."""
    data = poam_data.credible_poam()
    risks = data["plan-of-action-and-milestones"]["risks"]
    items = data["plan-of-action-and-milestones"]["poam-items"]
    for risk in risks:
        planned = next(r for r in risk["remediations"] if r.get("lifecycle") == "planned")
        planned.pop("required-assets", None)
        planned.pop("tasks", None)
    for item in items:
        item["props"] = [p for p in item["props"] if p["name"] != "cmmc-root-cause"]
    opened = {d.rule_id for d in check(poam_data.model(data), as_of=AS_OF).diagnostics}
    assert opened & PLANNING >= {"credibility-root-cause", "credibility-resources", "credibility-milestone-count"}
    for risk in risks:
        risk["status"] = "closed"
    closed = {d.rule_id for d in check(poam_data.model(data), as_of=AS_OF).diagnostics}
    assert not closed & PLANNING
    assert "credibility-verification" in closed  # how closure was verified still matters on a closed item
