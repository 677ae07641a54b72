"""Control, statement, objective and parameter ids are checked against the catalog reached through the imports:
import-ap -> import-ssp -> import-profile -> the profile's imports, the shipped CMMC profiles and catalogs
included; where the chain stops, a warning, and the ids are not judged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.constraints.references import reference_diagnostics
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "l2-conditional"


@pytest.fixture
def system(tmp_path: Path) -> Path:
    """The Level 2 example's SSP, plan and results, in a folder of their own: the profile they import by the
    name of a shipped one is found in the package."""
    folder = tmp_path / "examples" / "l2-conditional"
    folder.mkdir(parents=True)
    for name in ("ssp.json", "assessment-plan.json", "assessment-results.json"):
        shutil.copyfile(EXAMPLE / name, folder / name)
    return folder


def _edit(path: Path, change: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return data


def _found(path: Path) -> list[tuple[str, str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(d.rule_id, d.severity.value, d.pointer) for d in reference_diagnostics(data, str(path), path)]


def test_the_shipped_examples_use_only_ids_of_their_catalog(system: Path) -> None:
    for name in ("ssp.json", "assessment-plan.json", "assessment-results.json"):
        assert _found(system / name) == [], name


def test_an_unknown_control_statement_or_parameter_of_an_ssp(system: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        implementation = data["system-security-plan"]["control-implementation"]
        requirement = implementation["implemented-requirements"][0]
        implementation["implemented-requirements"][1]["control-id"] = "ac.l2-9.9.9"
        requirement["statements"] = [
            {"statement-id": "ac.l2-3.1.1_smt.z", "uuid": "8b2f7f30-4b7e-4c41-9b0a-6a0a0a0a0a0a"}
        ]
        implementation["set-parameters"] = [{"param-id": "no-such-param", "values": ["x"]}]

    _edit(system / "ssp.json", change)
    prefix = "/system-security-plan/control-implementation"
    assert sorted(_found(system / "ssp.json")) == [
        ("reference-control-id", "error", f"{prefix}/implemented-requirements/1/control-id"),
        ("reference-param-id", "error", f"{prefix}/set-parameters/0/param-id"),
        ("reference-statement-id", "error", f"{prefix}/implemented-requirements/0/statements/0/statement-id"),
    ]


def test_a_finding_target_is_checked_through_the_plan_and_the_ssp(system: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["assessment-results"]["results"][-1]["findings"][0]["target"]["target-id"] = "ac.l2-3.1.1_obj.z"

    _edit(system / "assessment-results.json", change)
    assert _found(system / "assessment-results.json") == [
        ("reference-target-id", "error", "/assessment-results/results/0/findings/0/target/target-id")
    ]


def test_where_the_chain_stops_a_warning_and_no_verdict_on_the_ids(system: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["system-security-plan"]["import-profile"]["href"] = "missing/profile.json"
        data["system-security-plan"]["control-implementation"]["implemented-requirements"][0]["control-id"] = "x"

    _edit(system / "ssp.json", change)
    assert _found(system / "ssp.json") == [
        ("reference-import-unreachable", "warning", "/system-security-plan/import-profile/href")
    ]
    # from the results, the stop is in the imported SSP, whose text is not quoted
    (unreachable,) = reference_diagnostics(
        json.loads((system / "assessment-results.json").read_text()), "ar.json", system / "assessment-results.json"
    )
    assert unreachable.rule_id == "reference-import-unreachable" and "missing/profile.json" not in unreachable.message


def test_a_remote_profile_is_not_fetched(system: Path) -> None:
    _edit(
        system / "ssp.json",
        lambda data: data["system-security-plan"]["import-profile"].update(href="https://example.com/profile.json"),
    )
    (warning,) = reference_diagnostics(json.loads((system / "ssp.json").read_text()), "ssp.json", system / "ssp.json")
    assert warning.rule_id == "reference-import-unreachable" and "not fetched" in warning.message
