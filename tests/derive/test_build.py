"""What a derived POA&M holds: items, their props and words, copied objects, the item's risk."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.cmmc import vocab
from oscal_poam.derivation.api import derive
from oscal_poam.io.models import text
from oscal_poam.io.write import dumps
from tests import builders
from tests.derive.conftest import EXAMPLES, Derived
from tests.derive.edits import read, write

SSP = EXAMPLES / "l2-conditional" / "ssp.json"


def as_data(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dumps(result.poam, "json"))["plan-of-action-and-milestones"]
    return data


def item(data: dict[str, Any], label: str) -> dict[str, Any]:
    return next(
        i for i in data["poam-items"] if {"name": vocab.REQUIREMENT, "ns": vocab.NS, "value": label} in i["props"]
    )


def risk(data: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    wanted = found["related-risks"][0]["risk-uuid"]
    return next(r for r in data["risks"] if r["uuid"] == wanted)


def props(found: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["value"] for p in found.get("props") or [] if p.get("ns") == vocab.NS}


@pytest.fixture(scope="module")
def example(derived: dict[str, Derived]) -> dict[str, Any]:
    return as_data(derived["l2-conditional"].result)


def test_metadata(example: dict[str, Any]) -> None:
    meta = example["metadata"]
    assert meta["title"] == "Acme CUI Enclave Plan of Action and Milestones, CMMC Level 2 (C3PAO)"
    assert props(meta) == {vocab.LEVEL: "2", vocab.ASSESSMENT_TYPE: "c3pao", vocab.STATUS_DATE: "2026-10-16"}
    assert meta["last-modified"] == "2026-10-16T18:15:00-04:00"  # the results', never the clock
    assert vocab.OWNER_ROLE in [r["id"] for r in meta["roles"]]
    names = {p["name"] for p in meta["parties"]}
    assert {"Acme Precision Machining, LLC", "Marcus Lee", "Keystone Cyber Assessments, LLC", "Jordan Ellis"} <= names
    assert example["import-ssp"] == {"href": "ssp.json"}
    ssp = read(SSP)["system-security-plan"]
    assert example["system-id"] == ssp["system-characteristics"]["system-ids"][0]


def test_item_props_and_words(example: dict[str, Any]) -> None:
    found = item(example, "AC.L2-3.1.10")
    assert found["title"] == "AC.L2-3.1.10 Session Lock"
    assert props(found) == {
        vocab.REQUIREMENT: "AC.L2-3.1.10",
        vocab.POINTS_DEDUCTED: "1",
        vocab.ITEM_ELIGIBLE: "yes",
        vocab.PARTIAL_STATE: "none",
    }
    assert found["description"].startswith(
        "AC.L2-3.1.10 Session Lock is NOT MET: 1 of 3 assessment objectives not satisfied.\n\n"
        "Objective [b] not satisfied: access to the system and viewing of data is prevented by initiating a "
        "session lock after the defined period of inactivity. The session lock Group Policy"
    )
    assert (
        "Where: Engineering and CNC programming workstations, Active Directory domain (DC01, DC02)."
        in (found["description"])
    )
    encryption = item(example, "SC.L2-3.13.11")
    assert props(encryption)[vocab.POINTS_DEDUCTED] == "3"
    assert props(encryption)[vocab.PARTIAL_STATE] == vocab.PARTIAL_ENCRYPTION
    assert "Partial credit: encryption is employed but is not FIPS-validated" in encryption["description"]
    lead = next(p["uuid"] for p in example["metadata"]["parties"] if p["name"] == "Jordan Ellis")
    assert {"type": "party", "actor-uuid": lead, "role-id": "assessor"} in found["origins"][0]["actors"]


def test_created_risk(example: dict[str, Any]) -> None:
    found = risk(example, item(example, "AC.L2-3.1.10"))
    assert found["status"] == "open"
    assert found["deadline"] == "2027-04-14T23:59:59-04:00"
    assert [e["status-change"] for e in found["risk-log"]["entries"]] == ["open"]
    assert found["risk-log"]["entries"][0]["start"] == "2026-10-16T17:00:00-04:00"
    (plan,) = found["remediations"]
    assert plan["lifecycle"] == "planned"
    (task,) = plan["tasks"]  # no milestone invented
    assert task["type"] == "action"
    assert props(task) == {vocab.TASK_PURPOSE: "verification"}
    assert "authorized or accredited C3PAO" in task["description"] and "170.21(b)(2)" in task["description"]


def test_the_assessors_risk_is_the_items_and_only_completed(example: dict[str, Any]) -> None:
    source = read(EXAMPLES / "l2-conditional" / "assessment-results.json")["assessment-results"]["results"][0]
    (assessors,) = source["risks"]
    found = risk(example, item(example, "SC.L2-3.13.11"))
    assert found["uuid"] == assessors["uuid"]
    for field in ("title", "description", "statement", "status", "related-observations"):
        assert found[field] == assessors[field]
    assert "deadline" not in assessors and found["deadline"] == "2027-04-14T23:59:59-04:00"
    assert [r["lifecycle"] for r in found["remediations"]] == ["planned"]
    (entry,) = found["risk-log"]["entries"]
    assert entry["title"] == "Added to the POA&M"
    assert "no deadline and no planned remediation" in entry["description"]
    assert "status-change" not in entry


def test_an_assessors_risk_with_a_plan_is_copied_unchanged(tmp_path: Path) -> None:
    data = read(EXAMPLES / "l2-conditional" / "assessment-results.json")
    assessors = data["assessment-results"]["results"][0]["risks"][0]
    assessors["deadline"] = "2027-03-31T17:00:00-04:00"
    assessors["remediations"] = [
        {
            "uuid": "4f0d8a9e-6b1c-4d2e-8f3a-1b2c3d4e5f60",
            "lifecycle": "planned",
            "title": "Upgrade the backup appliance firmware",
            "description": "Firmware 8.0 uses a validated module.",
        }
    ]
    results = write(tmp_path / "results.json", data)
    derived = as_data(derive(SSP, results, ssp_href="ssp.json"))
    found = risk(derived, item(derived, "SC.L2-3.13.11"))
    assert found == assessors


def test_copied_objects_and_evidence(example: dict[str, Any]) -> None:
    source = read(EXAMPLES / "l2-conditional" / "assessment-results.json")["assessment-results"]
    result = source["results"][0]
    findings = {f["uuid"]: f for f in result["findings"]}
    observations = {o["uuid"]: o for o in result["observations"]}
    for copied in example["findings"]:
        assert copied == findings[copied["uuid"]]
        assert copied["target"]["status"]["state"] == "not-satisfied"
    for copied in example["observations"]:
        assert copied == observations[copied["uuid"]]
    linked = {e["href"][1:] for o in example["observations"] for e in o.get("relevant-evidence") or []}
    assert {r["uuid"] for r in example["back-matter"]["resources"]} == linked
    assert len(linked) == 2


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"not_met": ["AC.L2-3.1.21"], "not_applicable": ["SC.L2-3.13.5"]}, ["AC.L2-3.1.21"]),
        ({"not_met": ["AU.L2-3.3.8"], "met_basis": {"CM.L2-3.4.8": "enduring-exception"}}, ["AU.L2-3.3.8"]),
        ({"not_met": {"IA.L2-3.5.3": vocab.PARTIAL_MFA}}, ["IA.L2-3.5.3"]),
    ],
)
def test_only_not_met_requirements_are_items(tmp_path: Path, options: dict[str, Any], expected: list[str]) -> None:
    results = builders.save(builders.assessment_results(2, **options), tmp_path / "results.json")
    derived = as_data(derive(SSP, results, ssp_href="ssp.json"))
    assert [props(i)[vocab.REQUIREMENT] for i in derived["poam-items"]] == expected


def test_partial_mfa_is_not_eligible_at_3_points(tmp_path: Path) -> None:
    results = builders.save(
        builders.assessment_results(2, not_met={"IA.L2-3.5.3": vocab.PARTIAL_MFA}), tmp_path / "results.json"
    )
    result = derive(SSP, results, ssp_href="ssp.json")
    found = props(as_data(result)["poam-items"][0])
    assert (found[vocab.POINTS_DEDUCTED], found[vocab.ITEM_ELIGIBLE]) == ("3", "no")
    assert found[vocab.PARTIAL_STATE] == vocab.PARTIAL_MFA
    assert result.verdict is not None and result.verdict.status == "none"


def test_level_1_items_have_no_deadline(tmp_path: Path) -> None:
    results = builders.save(builders.assessment_results(1, not_met=["AC.L1-b.1.i"]), tmp_path / "results.json")
    result = derive(SSP, results, ssp_href="ssp.json")
    data = as_data(result)
    found = item(data, "AC.L1-b.1.i")
    assert props(found)[vocab.ITEM_ELIGIBLE] == "no"
    assert "deadline" not in risk(data, found)
    assert result.verdict is not None and result.verdict.status == "none"


def test_the_level_comes_from_the_findings_or_is_given(tmp_path: Path) -> None:
    data = json.loads(dumps(builders.assessment_results(3, not_met=["CA.L3-3.12.1e"]), "json"))
    result = data["assessment-results"]["results"][0]
    result["props"] = [p for p in result["props"] if p["name"] != vocab.LEVEL]
    results = write(tmp_path / "results.json", data)
    inferred = derive(SSP, results, ssp_href="ssp.json")
    assert inferred.assessment is not None and inferred.assessment.level == 3
    assert props(as_data(inferred)["metadata"])[vocab.LEVEL] == "3"


def test_the_status_date_prop_sets_the_deadline(tmp_path: Path) -> None:
    results = builders.save(
        builders.assessment_results(2, not_met=["AC.L2-3.1.21"], status_date=dt.date(2026, 5, 1)),
        tmp_path / "results.json",
    )
    data = as_data(derive(SSP, results, ssp_href="ssp.json"))
    assert props(data["metadata"])[vocab.STATUS_DATE] == "2026-05-01"
    assert risk(data, item(data, "AC.L2-3.1.21"))["deadline"].startswith("2026-10-28")


def test_the_verification_task_names_who_closes_out(tmp_path: Path) -> None:
    results = builders.save(
        builders.assessment_results(2, not_met=["AC.L2-3.1.21"], assessment_type="self"), tmp_path / "results.json"
    )
    data = as_data(derive(SSP, results, ssp_href="ssp.json"))
    (task,) = risk(data, item(data, "AC.L2-3.1.21"))["remediations"][0]["tasks"]
    assert "the OSA's POA&M closeout self-assessment" in task["description"]
    assert "170.21(b)(1)" in task["description"]
    assert text(data["metadata"]["title"]).endswith("CMMC Level 2 (Self)")
