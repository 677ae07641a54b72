"""`oscal-poam score` and `oscal-poam closeout`: output, JSON keys and exit codes."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from trestle.oscal.assessment_results import AssessmentResults
from trestle.oscal.poam import PlanOfActionAndMilestones

from oscal_poam.cli.common import ExitCode
from oscal_poam.cmmc import vocab
from tests import builders as b
from tests.cli_runner import Ran, run_main

ONE_POINT = b.requirements_worth(1)
POAM_ITEMS = ONE_POINT[:3]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("score")
    made: dict[str, AssessmentResults | PlanOfActionAndMilestones] = {
        "88": b.assessment_results(2, not_met=ONE_POINT[:22]),
        "87": b.assessment_results(2, not_met=ONE_POINT[:23]),
        "ssp": b.assessment_results(2, not_met=["CA.L2-3.12.4"]),
        "l3": b.assessment_results(3, assessment_type="dibcac"),
        "missing": b.assessment_results(2, missing=["AC.L2-3.1.3"]),
        "partial": b.assessment_results(2, not_met={"SC.L2-3.13.11": vocab.PARTIAL_ENCRYPTION}),
        "poam": b.poam(POAM_ITEMS),
        "closeout": b.closeout_results(dict.fromkeys(POAM_ITEMS, "met")),
        "late": b.closeout_results(dict.fromkeys(POAM_ITEMS, "met"), end=b.day(181)),
        "short": b.closeout_results(dict.fromkeys(POAM_ITEMS[:2], "met")),
    }
    paths = {name: b.save(model, folder / f"{name}.json") for name, model in made.items()}
    paths["missing-yaml"] = b.save(made["missing"], folder / "missing.yaml")
    return paths


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> Ran:
    """Run the console entry point in this process, 200 columns wide: exit code, stdout, stderr."""
    monkeypatch.setenv("COLUMNS", "200")
    return run_main(capsys, monkeypatch, *args)


Run = tuple[pytest.CaptureFixture[str], pytest.MonkeyPatch]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return capsys, monkeypatch


def test_score_88_is_conditional_and_exits_0(cli: Run, files: dict[str, Path]) -> None:
    code, out, _ = run(*cli, "score", str(files["88"]), "--as-of", "2026-05-01")
    assert code == ExitCode.OK
    assert "Score: 88 / 110 (ratio 0.800)" in out
    assert "Verdict: Conditional Level 2 (C3PAO); 22 requirements on the POA&M; closeout due by 2026-09-02" in out
    assert "(124 days left as of 2026-05-01)" in out
    assert "AC Access Control" in out
    assert "1 info    eligibility-conditional: " in out  # counted by rule; -v lists it with its place
    code, out, _ = run(*cli, "score", str(files["88"]), "--as-of", "2026-05-01", "-v")
    assert re.search(r"88\.json:\d+:\d+: info eligibility-conditional ", out)


def test_score_87_is_no_status_and_exits_1(cli: Run, files: dict[str, Path]) -> None:
    code, out, _ = run(*cli, "score", str(files["87"]))
    assert code == ExitCode.DIAGNOSTICS
    assert "Score: 87 / 110 (ratio 0.791)" in out
    assert "Verdict: No CMMC status (1 reason: the errors below)" in out
    assert "error eligibility-l2-threshold" in out and "[32 CFR 170.21(a)(2)(i)]" in out


def test_score_json_has_the_documented_keys(cli: Run, files: dict[str, Path]) -> None:
    code, out, _ = run(*cli, "score", str(files["partial"]), "--format", "json", "--as-of", "2026-03-06")
    assert code == ExitCode.OK
    data = json.loads(out)
    assert set(data) == {"format", "version", "document", "score", "verdict", "counts", "diagnostics"}
    assert (data["format"], data["version"], data["counts"]) == (
        "oscal-poam-score",
        2,
        {"error": 0, "warning": 0, "info": 1},
    )
    assert set(data["score"]) == {
        "level",
        "score",
        "maximum",
        "ratio",
        "points-deducted",
        "met-all",
        "met",
        "not-met",
        "not-applicable",
        "not-assessed",
        "families",
    }
    assert (data["score"]["score"], data["score"]["maximum"], data["score"]["ratio"]) == (107, 110, 0.9727)
    sc = next(row for row in data["score"]["families"] if row["family"] == "SC")
    assert (sc["not-met"], sc["points-deducted"]) == (1, 3)
    assert data["verdict"] == {
        "status": "conditional",
        "cmmc-status": "Conditional Level 2 (C3PAO)",
        "qualifier": None,
        "level": 2,
        "assessment-type": "c3pao",
        "status-date": "2026-03-06",
        "deadline": "2026-09-02",
        "poam-requirements": ["SC.L2-3.13.11"],
        "as-of": "2026-03-06",
        "days-left": 180,
    }
    assert [d["rule-id"] for d in data["diagnostics"]] == ["eligibility-conditional"]


def test_a_missing_ssp_has_no_score(cli: Run, files: dict[str, Path]) -> None:
    code, out, _ = run(*cli, "score", str(files["ssp"]), "-f", "json")
    assert code == ExitCode.DIAGNOSTICS
    data = json.loads(out)
    assert data["score"]["score"] is None and data["score"]["ratio"] is None
    assert data["verdict"]["status"] == "none"
    assert {"score-ssp-missing", "eligibility-no-score", "eligibility-l2-excluded"} <= {
        d["rule-id"] for d in data["diagnostics"]
    }
    code, out, _ = run(*cli, "score", str(files["ssp"]))
    assert "Score: none (the assessment cannot be completed); maximum 110" in out


def test_diagnostics_in_yaml_carry_their_line(cli: Run, files: dict[str, Path]) -> None:
    code, out, _ = run(*cli, "score", str(files["missing-yaml"]), "-f", "json")
    assert code == ExitCode.DIAGNOSTICS
    unassessed = next(d for d in json.loads(out)["diagnostics"] if d["rule-id"] == "score-requirement-not-assessed")
    assert unassessed["subject"] == "AC.L2-3.1.3"
    assert isinstance(unassessed["line"], int) and unassessed["line"] > 1
    lines = files["missing-yaml"].read_text().splitlines()
    assert lines[unassessed["line"] - 1].strip().startswith("findings:")


def test_level3_precondition_and_the_level2_final_flag(cli: Run, files: dict[str, Path]) -> None:
    code, out, _ = run(*cli, "score", str(files["l3"]))
    assert code == ExitCode.OK
    # Without evidence of Final Level 2 (C3PAO) the status is qualified in words, and a warning says why.
    assert "Verdict: Final Level 3 (DIBCAC), subject to Final Level 2 (C3PAO)" in out
    assert "warning eligibility-l3-precondition" in out
    code, out, _ = run(*cli, "score", str(files["l3"]), "--no-level2-final")
    assert code == ExitCode.DIAGNOSTICS
    assert "error eligibility-l3-precondition" in out
    code, out, _ = run(*cli, "score", str(files["l3"]), "--level2-final")
    assert code == ExitCode.OK and "eligibility-l3-precondition" not in out


def test_the_level_option_overrides_the_prop(cli: Run, files: dict[str, Path]) -> None:
    code, out, _ = run(*cli, "score", str(files["88"]), "--level", "3", "-f", "json")
    data = json.loads(out)
    assert data["score"]["level"] == 3
    assert "results-level-mismatch" in {d["rule-id"] for d in data["diagnostics"]}
    assert code == ExitCode.DIAGNOSTICS  # every Level 3 requirement is unassessed


def test_score_load_failures_exit_3(cli: Run, files: dict[str, Path], tmp_path: Path) -> None:
    code, _, err = run(*cli, "score", str(tmp_path / "absent.json"))
    assert code == ExitCode.LOAD and "file not found" in err
    code, _, err = run(*cli, "score", str(files["poam"]))
    assert code == ExitCode.LOAD and "assessment results" in err and "plan of action and milestones" in err


def test_closeout_final_exits_0(cli: Run, files: dict[str, Path]) -> None:
    code, out, _ = run(
        *cli, "closeout", "--poam", str(files["poam"]), "--results", str(files["closeout"]), "--as-of", "2026-06-10"
    )
    assert code == ExitCode.OK
    assert "Verdict: final: Final Level 2 (C3PAO)" in out
    assert "Deadline (day 180): 2026-09-02" in out
    assert all(label in out for label in POAM_ITEMS)


def test_closeout_missing_item_is_still_conditional_with_days_left(cli: Run, files: dict[str, Path]) -> None:
    code, out, _ = run(
        *cli, "closeout", "--poam", str(files["poam"]), "--results", str(files["short"]), "--as-of", "2026-06-01"
    )
    assert code == ExitCode.DIAGNOSTICS
    assert "Verdict: still conditional: Conditional Level 2 (C3PAO), 93 days left as of 2026-06-01" in out
    assert f"error closeout-missing-requirement {POAM_ITEMS[2]}" in out


def test_closeout_late_json(cli: Run, files: dict[str, Path]) -> None:
    args = ["closeout", "--poam", str(files["poam"]), "--results", str(files["late"]), "--as-of", "2026-09-10"]
    code, out, _ = run(*cli, *args, "-f", "json")
    assert code == ExitCode.DIAGNOSTICS
    data = json.loads(out)
    assert (data["format"], data["version"], data["counts"]["error"]) == ("oscal-poam-closeout", 2, 2)
    assert set(data) == {
        "format",
        "version",
        "counts",
        "verdict",
        "cmmc-status",
        "level",
        "assessment-type",
        "performed-by",
        "status-date",
        "deadline",
        "closeout-date",
        "as-of",
        "days-left",
        "items",
        "extra-requirements",
        "diagnostics",
    }
    assert (data["verdict"], data["closeout-date"], data["days-left"]) == ("expired", "2026-09-03", -8)
    assert {"closeout-late", "closeout-expired"} <= {d["rule-id"] for d in data["diagnostics"]}


def test_closeout_as_of_defaults_to_today(cli: Run, files: dict[str, Path]) -> None:
    code, out, _ = run(*cli, "closeout", "--poam", str(files["poam"]), "--results", str(files["short"]), "-f", "json")
    assert json.loads(out)["as-of"] == dt.date.today().isoformat()
    assert code == ExitCode.DIAGNOSTICS


def test_closeout_usage_and_load_errors(cli: Run, files: dict[str, Path]) -> None:
    code, _, _ = run(*cli, "closeout", "--results", str(files["closeout"]))
    assert code == ExitCode.USAGE
    code, _, err = run(*cli, "closeout", "--poam", str(files["closeout"]), "--results", str(files["closeout"]))
    assert code == ExitCode.LOAD and "plan of action and milestones" in err


def test_the_installed_command_runs_score(files: dict[str, Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "oscal_poam.cli.app", "score", str(files["87"]), "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == ExitCode.DIAGNOSTICS, done.stderr
    assert json.loads(done.stdout)["score"]["score"] == 87
