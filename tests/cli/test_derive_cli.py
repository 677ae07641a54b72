"""`oscal-poam derive`: the verdict always printed, written only when no error stands, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests import builders
from tests.cli_runner import run_main as run
from tests.conftest import OSCAL_CONTENT
from tests.derive.conftest import EXAMPLES, xsd_validator


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    for name in ("l2-conditional", "l2-not-eligible", "l2-closeout"):
        shutil.copytree(EXAMPLES / name, tmp_path / name)
    return tmp_path


def inputs(folder: Path) -> list[str]:
    return ["--ssp", str(folder / "ssp.json"), "--results", str(folder / "assessment-results.json")]


def test_conditional_writes_json_and_xml_and_prints_the_deadline(
    examples: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = examples / "l2-conditional"
    (folder / "poam.json").unlink()
    target, xml = folder / "poam.json", folder / "out.xml"
    code, out, _ = run(capsys, monkeypatch, "derive", *inputs(folder), "-o", str(target), "--xml", str(xml),
                       "--as-of", "2026-11-01")  # fmt: skip
    assert code == 0
    verdict = "Verdict: Conditional Level 2 (C3PAO); 4 requirements on the POA&M; closeout due by 2027-04-14"
    assert f"{verdict} (164 days left as of 2026-11-01)" in out
    assert "Wrote" in out
    assert target.read_bytes() == (EXAMPLES / "l2-conditional" / "poam.json").read_bytes()
    assert xsd_validator()(xml.read_bytes()) == []


def test_not_eligible_prints_every_reason_and_writes_nothing(
    examples: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = examples / "l2-not-eligible"
    target = folder / "new.json"
    code, out, _ = run(capsys, monkeypatch, "derive", *inputs(folder), "-o", str(target))
    assert code == 1
    assert not target.exists()
    assert "No CMMC status" in out
    assert "AC.L2-3.1.20 External Connections is NOT MET and may never be on a POA&M [32 CFR 170.21(a)(2)(iii)]" in out
    assert "IA.L2-3.5.3 Multifactor Authentication is NOT MET at 5 points" in out
    assert "[32 CFR 170.21(a)(2)(ii)]" in out
    assert out.splitlines()[0] == (
        "Not written: the assessment earns no CMMC status (2 reasons, the errors below); --force writes it anyway."
    )


def test_force_writes_anyway_and_still_exits_1(
    examples: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = examples / "l2-not-eligible"
    target = folder / "forced.json"
    code, _, _ = run(capsys, monkeypatch, "derive", *inputs(folder), "-o", str(target), "--force")
    assert code == 1
    data = json.loads(target.read_bytes())
    assert len(data["plan-of-action-and-milestones"]["poam-items"]) == 4


def test_an_existing_output_is_untouched_when_errors_stand(
    examples: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = examples / "l2-not-eligible"
    target = folder / "poam.json"  # the committed POA&M, written with --force
    before = target.read_bytes()
    code, _, _ = run(capsys, monkeypatch, "derive", *inputs(folder), "-o", str(target))
    assert code == 1
    assert target.read_bytes() == before
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_an_input_that_cannot_be_loaded_exits_3(
    examples: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = examples / "l2-conditional"
    target = folder / "new.json"
    missing = folder / "missing.json"
    code, _, err = run(capsys, monkeypatch, "derive", "--ssp", str(folder / "ssp.json"), "--results", str(missing),
                       "-o", str(target))  # fmt: skip
    assert code == 3
    assert "missing.json" in err and "file not found" in err
    not_oscal = folder / "not-oscal.json"
    not_oscal.write_text('{"hello": "world"}')
    code, _, err = run(capsys, monkeypatch, "derive", "--ssp", str(not_oscal), "--results",
                       str(folder / "assessment-results.json"), "-o", str(target))  # fmt: skip
    assert code == 3
    assert "not-oscal.json" in err and "not an OSCAL document" in err
    wrong = folder / "assessment-results.json"
    code, _, err = run(capsys, monkeypatch, "derive", "--ssp", str(wrong), "--results", str(wrong), "-o", str(target))
    assert code == 3
    assert "expected a system security plan" in err
    assert not target.exists()


def test_nist_examples_exit_2_naming_generic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "poam.json"
    args = ["derive", "--ssp", str(OSCAL_CONTENT / "ssp" / "json" / "ifa_ssp-example.json"), "--results",
            str(OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"), "-o", str(target)]  # fmt: skip
    code, _, err = run(capsys, monkeypatch, *args)
    assert code == 2
    assert "no CMMC level and target no CMMC requirement" in err and "--generic" in err
    assert not target.exists()
    code, out, _ = run(capsys, monkeypatch, *args, "--generic")
    assert code == 0
    assert "Generic POA&M: 1 item" in out
    assert target.exists()


def test_everything_met_writes_nothing(
    examples: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    results = builders.save(builders.assessment_results(2, per_objective=True), tmp_path / "all-met.json")
    target = tmp_path / "poam.json"
    code, out, _ = run(capsys, monkeypatch, "derive", "--ssp", str(examples / "l2-conditional" / "ssp.json"),
                       "--results", str(results), "-o", str(target))  # fmt: skip
    assert code == 0
    assert out.splitlines()[:2] == [
        "Nothing written: every requirement is MET, so there is nothing to put on a POA&M.",
        "Verdict: Final Level 2 (C3PAO)",
    ]
    assert not target.exists()


def test_closeout_prints_final(
    examples: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = examples / "l2-closeout"
    target = folder / "new.json"
    existing = examples / "l2-conditional" / "poam-maintained.json"
    code, out, _ = run(capsys, monkeypatch, "derive", *inputs(folder), "--poam", str(existing), "-o", str(target))
    assert code == 0
    assert "Verdict: Final Level 2 (C3PAO)" in out
    assert target.read_bytes() == (EXAMPLES / "l2-closeout" / "poam.json").read_bytes()


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--level", "4"], "--level"), (["--xml", "SAME"], " name the same file")],
)
def test_usage_errors_exit_2(
    examples: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: list[str],
    message: str,
) -> None:
    folder = examples / "l2-conditional"
    target = folder / "new.json"
    extra = [str(target) if e == "SAME" else e for e in extra]
    code, out, err = run(capsys, monkeypatch, "derive", *inputs(folder), "-o", str(target), *extra)
    assert code == 2
    assert message in out + err
    assert not target.exists()
