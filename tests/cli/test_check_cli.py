"""`oscal-poam check POAM [--ssp SSP] [--results RESULTS] [--as-of DATE] [--format ...] [--fail-on ...]`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests import builders
from tests.cli_runner import Runner, runner
from tests.rules import poam_data, ssp_data

AS_OF = "2026-02-01"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    """`oscal-poam check ARGS` through the console entry point, in this process (exit codes included)."""
    return runner(capsys, monkeypatch, "check")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("check")
    clean = poam_data.credible_poam()
    warned = poam_data.changed(clean, "/plan-of-action-and-milestones/poam-items/1/props/1", poam_data.DELETE)
    found = {"clean": folder / "clean.json", "warned": folder / "warned.json", "ssp": folder / "ssp.json"}
    found["clean"].write_text(json.dumps(clean), encoding="utf-8")
    found["warned"].write_text(json.dumps(warned), encoding="utf-8")
    found["ssp"].write_text(json.dumps(ssp_data.cmmc_ssp({"AC.L2-3.1.8": "partial", "AU.L2-3.3.8": "planned"})))
    found["results"] = builders.save(with_plan(["AC.L2-3.1.8", "AU.L2-3.3.8"]), folder / "results.json")
    found["missing-item"] = builders.save(
        with_plan(["AC.L2-3.1.8", "AU.L2-3.3.8", "AC.L2-3.1.9"]), folder / "results-missing-item.json"
    )
    return found


def with_plan(not_met: list[str]) -> Any:
    """Assessment results whose import-ap names a back-matter resource, so that integrity holds."""
    from trestle.oscal import common

    from oscal_poam.ids import stable_uuid

    results = builders.assessment_results(
        not_met=not_met, status_date=poam_data.STATUS_DATE, **poam_data.RESULTS_WINDOW
    )
    plan = stable_uuid("test", "assessment-plan")
    results.import_ap.href = f"#{plan}"
    results.back_matter = common.BackMatter(
        resources=[
            common.Resource(
                uuid=plan,
                title="Assessment plan",
                rlinks=[common.Rlink(href="https://assessor.example.com/plans/enclave.json")],
            )
        ]
    )
    return results


def test_clean_check_prints_counts_score_and_verdict(run: Any, files: dict[str, Path]) -> None:
    """`check` with results prints the verdict; a clean POA&M exits 0."""
    result = run(str(files["clean"]), "--ssp", str(files["ssp"]), "--results", str(files["results"]), "--as-of", AS_OF)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    # the two infos, counted by rule: the verdict's POA&M requirements, and the remote assessment plan not fetched;
    # the warning: the SSP (NIST's example made CMMC) links its baseline in back matter by a path out of its folder,
    # so its control ids cannot be checked against a catalog
    assert "0 errors, 1 warning, 2 info" in lines
    assert any(re.match(r"^\s+1 info\s+integrity-not-followed: import-ap href", line) for line in lines)
    assert any(re.match(r"^\s+1 warning\s+reference-import-unreachable: ", line) for line in lines)
    verbose = run(str(files["clean"]), "--ssp", str(files["ssp"]), "--results", str(files["results"]),
                  "--as-of", AS_OF, "-v").stdout.splitlines()  # fmt: skip
    assert any("info integrity-not-followed" in x and "a remote document: not fetched" in x for x in verbose)
    assert any(
        re.match(
            r"^\S*ssp\.json:\d+:\d+: warning reference-import-unreachable .* "
            r"#/system-security-plan/import-profile/href$",
            x,
        )
        for x in verbose
    )
    assert "Score: 108 / 110" in lines
    # day 180 of a status dated 2026-01-15 is 2026-07-14: 27 + 31 + 30 + 31 + 30 + 14 days after 2026-02-01
    verdict = "Verdict: Conditional Level 2 (C3PAO); 2 requirements on the POA&M; closeout due by 2026-07-14"
    assert f"{verdict} (163 days left as of 2026-02-01)" in lines


@pytest.mark.parametrize(("fail_on", "code"), [(None, 0), ("error", 0), ("warning", 1)])
def test_fail_on(run: Any, files: dict[str, Path], fail_on: str | None, code: int) -> None:
    """ "--fail-on (default error) → exit 1 when a diagnostic at/above it stands" """
    args = [str(files["warned"]), "--as-of", AS_OF] + (["--fail-on", fail_on] if fail_on else [])
    result = run(*args)
    assert result.returncode == code, result.stdout + result.stderr
    assert "credibility-root-cause" in result.stdout


def test_error_exits_1_and_errors_are_shown_in_full_in_the_location_style(run: Any, files: dict[str, Path]) -> None:
    """An error diagnostic exits 1; text output shows each error on its own line: `path:line:column: severity
    rule-id message [citation] #/pointer`, the place where the document's text is at hand."""
    result = run(str(files["clean"]), "--results", str(files["missing-item"]), "--as-of", AS_OF)
    assert result.returncode == 1
    (line,) = [x for x in result.stdout.splitlines() if " poam-missing-item " in x]
    assert re.match(
        rf"{re.escape(str(files['clean']))}:1:\d+: error poam-missing-item AC\.L2-3\.1\.9 Privacy & Security Notices "
        r"is NOT MET in .* \[32 CFR 170\.24\(c\)\(2\)\(i\)\(B\)\(6\)\] #/plan-of-action-and-milestones/poam-items$",
        line,
    ), line


def test_json_output(run: Any, files: dict[str, Path]) -> None:
    """`--format json|sarif prints the renderer output to stdout`: JSON as the README documents it."""
    result = run(str(files["warned"]), "--as-of", AS_OF, "--format", "json")
    assert result.returncode == 0
    payload = json.loads(result.stdout)
    assert (payload["format"], payload["version"]) == ("oscal-poam-diagnostics", 2)
    assert payload["counts"] == {"error": 0, "warning": 1, "info": 0}
    (only,) = payload["diagnostics"]
    assert only == {
        "rule-id": "credibility-root-cause",
        "severity": "warning",
        "message": "no root cause (item prop cmmc-root-cause)",
        "pointer": "/plan-of-action-and-milestones/poam-items/1/props",
        "citation": "assessor practice (CMMC Assessment Process)",
        "document": str(files["warned"]),
        "subject": "AU.L2-3.3.8",
        "line": 1,  # the file is JSON on one line
        "column": only["column"],
    }
    text = files["warned"].read_text(encoding="utf-8")
    assert text[only["column"] - 1 :].startswith('"props"')


def test_sarif_output(run: Any, files: dict[str, Path]) -> None:
    """`--format sarif` prints a SARIF 2.1.0 log."""
    result = run(str(files["clean"]), "--results", str(files["missing-item"]), "--as-of", AS_OF, "--format", "sarif")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert "poam-missing-item" in rule_ids
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in run_["results"])


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.json"], 3, "missing.json: error file not found"),
        (["{results}"], 3, "expected a plan of action and milestones"),
        (["{clean}", "--ssp", "{results}"], 3, "expected a system security plan"),
        (["{clean}", "--as-of", "someday"], 2, "is not a date"),
        (["{clean}", "--format", "xml"], 2, "xml"),
    ],
)
def test_usage_and_load_errors(run: Any, files: dict[str, Path], args: list[str], code: int, message: str) -> None:
    """ "3 load errors"; bad options are usage errors (2)."""
    result = run(*[a.format(**{k: str(v) for k, v in files.items()}) for a in args])
    assert result.returncode == code, result.stdout + result.stderr
    assert message in result.stderr
    assert result.stdout == ""
