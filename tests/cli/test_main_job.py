"""The main job without friction: derive writes the POA&M it can stand behind, and says first why when it does not.

Each case is one a compliance lead meets with a C3PAO's results: the SSP and the results in a folder, as they arrive
by mail.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.io.load import load
from tests import builders
from tests.cli_runner import Ran, run_main
from tests.derive.conftest import EXAMPLES

CONDITIONAL = EXAMPLES / "l2-conditional"
AS_OF = "2026-10-16"


def _derive(capsys: Any, monkeypatch: Any, *args: str) -> Ran:
    return run_main(capsys, monkeypatch, "derive", *args)


@pytest.fixture
def mailed(tmp_path: Path) -> Path:
    """The SSP and the results alone, as a C3PAO sends them: the assessment plan they import is not at hand."""
    folder = tmp_path / "mail"
    folder.mkdir()
    for name in ("ssp.json", "assessment-results.json"):
        shutil.copy(CONDITIONAL / name, folder / name)
    return folder


def test_a_conditional_assessment_derives_from_the_ssp_and_the_results_alone(
    mailed: Path, capsys: Any, monkeypatch: Any
) -> None:
    """The imported assessment plan that is not beside the results is a warning on the results, and the POA&M is
    written, exit 0: the same POA&M as with the plan at hand."""
    monkeypatch.chdir(mailed)
    ran = _derive(capsys, monkeypatch, "--ssp", "ssp.json", "--results", "assessment-results.json",
                  "-o", "poam.json", "--as-of", AS_OF)  # fmt: skip
    assert ran.returncode == 0, ran.stdout
    lines = ran.stdout.splitlines()
    assert lines[0] == "Wrote poam.json: 4 POA&M items."
    assert lines[1].startswith(
        "Verdict: Conditional Level 2 (C3PAO); 4 requirements on the POA&M; closeout due by 2027-04-14"
    )
    assert re.search(
        r"^\s+1 warning\s+integrity-import-ap: import-ap href 'assessment-plan.json' names no file", ran.stdout, re.M
    )
    assert "0 errors" in lines[-1]
    assert (mailed / "poam.json").read_bytes() == (CONDITIONAL / "poam.json").read_bytes()


def test_the_import_ap_warning_is_located_on_the_results(mailed: Path, capsys: Any, monkeypatch: Any) -> None:
    monkeypatch.chdir(mailed)
    ran = _derive(capsys, monkeypatch, "--ssp", "ssp.json", "--results", "assessment-results.json",
                  "-o", "poam.json", "--as-of", AS_OF, "--format", "json")  # fmt: skip
    assert ran.returncode == 0
    payload = json.loads(ran.stdout)
    assert payload["written"] == ["poam.json"] and payload["withheld"] is None and payload["items"] == 4
    (warning,) = [d for d in payload["diagnostics"] if d["rule-id"] == "integrity-import-ap"]
    assert (warning["severity"], warning["document"], warning["pointer"]) == (
        "warning",
        "assessment-results.json",
        "/assessment-results/import-ap/href",
    )
    text = (mailed / "assessment-results.json").read_text(encoding="utf-8").splitlines()
    assert text[warning["line"] - 1][warning["column"] - 1 :].startswith('"href"')
    # validate judges the results themselves: there the missing plan stays an error
    ran = run_main(capsys, monkeypatch, "validate", "assessment-results.json", "-q")
    assert ran.returncode == 1 and "1 error" in ran.stdout


def test_a_party_logo_comes_along_with_the_party(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    """A party of the SSP with a `#uuid` link (a logo): the back-matter resource is copied with the party, so the
    POA&M passes its own integrity check and is written."""
    data = json.loads((CONDITIONAL / "ssp.json").read_text(encoding="utf-8"))
    ssp = data["system-security-plan"]
    logo = "5b7a8ce4-98a1-4a3e-9b41-3f0a5a0f6b11"
    party = ssp["metadata"]["parties"][0]
    party.setdefault("links", []).append({"href": f"#{logo}", "rel": "logo"})
    ssp.setdefault("back-matter", {}).setdefault("resources", []).append(
        {"uuid": logo, "title": "Logo", "rlinks": [{"href": "https://acme-precision.example/logo.png"}]}
    )
    for name in ("assessment-results.json", "assessment-plan.json"):
        shutil.copy(CONDITIONAL / name, tmp_path / name)
    (tmp_path / "ssp.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ran = _derive(capsys, monkeypatch, "--ssp", "ssp.json", "--results", "assessment-results.json",
                  "-o", "poam.json", "--as-of", AS_OF)  # fmt: skip
    assert ran.returncode == 0, ran.stdout
    poam = json.loads((tmp_path / "poam.json").read_text(encoding="utf-8"))["plan-of-action-and-milestones"]
    assert logo in [r["uuid"] for r in poam["back-matter"]["resources"]]
    assert any(link["href"] == f"#{logo}" for p in poam["metadata"]["parties"] for link in p.get("links", []))
    checked = run_main(capsys, monkeypatch, "check", "poam.json", "--select", "integrity", "-q")
    assert checked.returncode == 0 and checked.stdout.strip() == "0 errors, 0 warnings, 0 info"


def test_nothing_not_met_but_not_assessed_says_so_first_and_exits_1(
    tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    """A requirement not assessed and none NOT MET: no "every requirement is MET", but the one reason, first."""
    results = builders.save(builders.assessment_results(2, missing=["AC.L2-3.1.3"]), tmp_path / "results.json")
    target = tmp_path / "poam.json"
    ran = _derive(capsys, monkeypatch, "--ssp", str(CONDITIONAL / "ssp.json"), "--results", str(results),
                  "-o", str(target))  # fmt: skip
    assert ran.returncode == 1
    lines = ran.stdout.splitlines()
    assert lines[0] == (
        "Nothing written: no requirement is NOT MET, but the assessment earns no CMMC status (1 reason, the errors "
        "below)."
    )
    assert lines[1] == "Verdict: No CMMC status (1 reason: the errors below)"
    assert "every requirement is MET" not in ran.stdout
    errors = [x for x in lines if ": error " in x]
    assert [re.search(r": error (\S+) ", x)[1] for x in errors] == [  # type: ignore[index]
        "eligibility-incomplete",  # at the result, before its findings
        "score-requirement-not-assessed",
    ]
    assert not target.exists()


def test_the_ssp_of_another_system_is_the_reason_given(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    """The SSP of the design office with the results of the CUI enclave: said directly, first, not through an
    integrity error on a subject."""
    target = tmp_path / "poam.json"
    ran = _derive(capsys, monkeypatch, "--ssp", str(EXAMPLES / "l2-not-eligible" / "ssp.json"),
                  "--results", str(CONDITIONAL / "assessment-results.json"), "-o", str(target))  # fmt: skip
    assert ran.returncode == 1
    lines = ran.stdout.splitlines()
    assert lines[0] == ("Not written: the SSP and the results describe different systems; --force writes it anyway.")
    (line,) = [x for x in lines if " ssp-other-system " in x]
    assert (
        "the SSP and the results describe different systems: the SSP (Acme Design Office Network) defines none" in line
    )
    assert line.startswith(f"{EXAMPLES / 'l2-not-eligible' / 'ssp.json'}:")
    assert not target.exists()


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (errno.EROFS, "the file system is read-only"),
        (errno.EACCES, "permission denied"),
        (errno.ENOSPC, "the disk is full"),
    ],
)
def test_a_folder_that_refuses_the_output_is_exit_5_with_the_path_and_the_reason_in_words(
    tmp_path: Path, error: int, words: str, capsys: Any, monkeypatch: Any
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    real = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if Path(kwargs.get("dir") or ".").resolve() == folder.resolve():
            raise OSError(error, os.strerror(error))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    results = str(CONDITIONAL / "assessment-results.json")
    ran = _derive(capsys, monkeypatch, "--ssp", str(CONDITIONAL / "ssp.json"), "--results", results,
                  "-o", str(folder / "poam.json"))  # fmt: skip
    assert ran.returncode == 5, ran.stdout + ran.stderr
    said = " ".join(ran.stderr.split())
    assert said.lower().startswith(f"error: {folder / 'poam.json'}: cannot write in the folder {folder}: {words}")
    assert "internal error" not in said
    assert list(folder.iterdir()) == []


def test_format_json_and_fail_on(mailed: Path, capsys: Any, monkeypatch: Any) -> None:
    """derive takes --format and --fail-on as check does: with --fail-on warning the warnings fail the run, and the
    POA&M is written all the same."""
    monkeypatch.chdir(mailed)
    ran = _derive(capsys, monkeypatch, "--ssp", "ssp.json", "--results", "assessment-results.json",
                  "-o", "poam.json", "--as-of", AS_OF, "--fail-on", "warning", "-f", "json")  # fmt: skip
    assert ran.returncode == 1
    payload = json.loads(ran.stdout)
    assert payload["format"] == "oscal-poam-derive" and payload["written"] == ["poam.json"]
    assert payload["verdict"]["cmmc-status"] == "Conditional Level 2 (C3PAO)"
    assert payload["counts"] == {"error": 0, "warning": 17, "info": 1}
    assert (mailed / "poam.json").exists()


def test_diagnostics_on_the_poam_point_into_the_file_written(mailed: Path, capsys: Any, monkeypatch: Any) -> None:
    monkeypatch.chdir(mailed)
    ran = _derive(capsys, monkeypatch, "--ssp", "ssp.json", "--results", "assessment-results.json",
                  "-o", "poam.yaml", "--as-of", AS_OF, "--verbose")  # fmt: skip
    assert ran.returncode == 0
    lines = (mailed / "poam.yaml").read_text(encoding="utf-8").splitlines()
    placed = re.findall(r"^poam\.yaml:(\d+):(\d+): warning credibility-root-cause .* #(\S+)$", ran.stdout, re.M)
    assert len(placed) == 4
    document = load(mailed / "poam.yaml")
    for line, column, pointer in placed:
        assert document.line_of(pointer) == int(line)
        assert lines[int(line) - 1][int(column) - 1 :].startswith("props:")


def test_quiet_prints_the_outcome_and_the_verdict(mailed: Path, capsys: Any, monkeypatch: Any) -> None:
    monkeypatch.chdir(mailed)
    ran = _derive(capsys, monkeypatch, "--ssp", "ssp.json", "--results", "assessment-results.json",
                  "-o", "poam.json", "--as-of", AS_OF, "-q")  # fmt: skip
    assert ran.returncode == 0
    assert ran.stdout.splitlines() == [
        "Wrote poam.json: 4 POA&M items.",
        "Verdict: Conditional Level 2 (C3PAO); 4 requirements on the POA&M; closeout due by 2027-04-14"
        " (180 days left as of 2026-10-16)",
    ]


def test_the_readme_shows_the_default_output_of_the_quick_start(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    """The README's derive output is what derive prints, and it fits one screen."""
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- derive output -->", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    shutil.copytree(CONDITIONAL, tmp_path / "examples" / "l2-conditional")
    monkeypatch.chdir(tmp_path)
    ran = _derive(capsys, monkeypatch, "--ssp", "examples/l2-conditional/ssp.json",
                  "--results", "examples/l2-conditional/assessment-results.json",
                  "-o", "poam.json", "--xml", "poam.xml", "--as-of", AS_OF)  # fmt: skip
    assert ran.returncode == 0
    assert ran.stdout == block
    assert len(block.splitlines()) <= 24


def test_check_judges_the_derived_poam_as_derive_did(mailed: Path, capsys: Any, monkeypatch: Any) -> None:
    """What a compliance lead runs next: `check` of the POA&M written, with the same SSP and results, says what
    derive said (the assessment plan not at hand is a warning on the results) and exits 0; `validate` judges the
    results themselves, where it is an error."""
    monkeypatch.chdir(mailed)
    derived = _derive(capsys, monkeypatch, "--ssp", "ssp.json", "--results", "assessment-results.json",
                      "-o", "poam.json", "--as-of", AS_OF, "-f", "json")  # fmt: skip
    checked = run_main(capsys, monkeypatch, "check", "poam.json", "--ssp", "ssp.json",
                       "--results", "assessment-results.json", "--as-of", AS_OF, "-f", "json")  # fmt: skip
    assert (derived.returncode, checked.returncode) == (0, 0), checked.stdout
    said = [json.loads(ran.stdout)["diagnostics"] for ran in (derived, checked)]
    for diagnostics in said:
        (plan,) = [d for d in diagnostics if d["rule-id"] == "integrity-import-ap"]
        assert (plan["severity"], plan["document"]) == ("warning", "assessment-results.json")
    by_derive, by_check = (sorted((d["rule-id"], d["severity"]) for d in found) for found in said)
    assert by_derive == by_check
    validated = run_main(capsys, monkeypatch, "validate", "assessment-results.json")
    assert validated.returncode == 1
    assert re.search(r"^assessment-results\.json:\d+:\d+: error integrity-import-ap ", validated.stdout, re.M)
