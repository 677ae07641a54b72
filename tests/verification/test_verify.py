"""`oscal-poam verify` on the real scanners' output: for each input format a passing, a failing, a regressed and an
unmatched item; what it writes and never writes; running it twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.cmmc import vocab
from oscal_poam.io.load import load
from oscal_poam.verification.api import verify
from tests.cli_runner import Ran, Runner, runner
from tests.verification import scenario
from tests.verification.scenario import AS_OF, FORMATS, Format

DAY = dt.date.fromisoformat(AS_OF)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    return runner(capsys, monkeypatch, "verify")


def _verify(run: Runner, poam: Path, files: tuple[Path, ...], *args: str) -> Ran:
    return run("--poam", str(poam), *map(str, files), "--as-of", AS_OF, *args)


def _body(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_bytes())["plan-of-action-and-milestones"]
    return data


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_each_format_gives_a_passing_failing_regressed_and_unmatched_item(fmt: Format, tmp_path: Path) -> None:
    poam = scenario.write(tmp_path, scenario.for_format(fmt))
    result = verify(poam, fmt.files, as_of=DAY)
    states = {i.subject: i.state for i in result.summary.items}
    assert states == {
        "AU.L2-3.3.4": "passed",
        "SC.L2-3.13.11": "failed",
        "CM.L2-3.4.9": "failed",
        "AC.L2-3.1.10": "not-run",
    }
    summary = result.summary
    assert [i.subject for i in summary.regressed] == ["CM.L2-3.4.9"]
    assert [i.subject for i in summary.failing] == ["SC.L2-3.13.11"]
    assert [i.subject for i in summary.not_run] == ["AC.L2-3.1.10"]
    failing = summary.of("SC.L2-3.13.11")
    assert failing is not None and failing.failing == ((fmt.failing, (fmt.failing_resource,)),)
    regressed = [d for d in result.evaluation.diagnostics if d.rule_id == "verification-regressed"]
    assert [(d.subject, d.severity.value) for d in regressed] == [("CM.L2-3.4.9", "error")]
    assert fmt.failing in regressed[0].message and fmt.failing_resource in regressed[0].message
    assert fmt.unmatched in summary.of("AC.L2-3.1.10").unreported  # type: ignore[union-attr]
    # results no item points at are counted, not recorded
    unmatched = set(result.recording.unmatched)
    assert unmatched and not unmatched & {fmt.passing, fmt.failing}
    recorded = {o.pointer for r in result.recording.items for o in r.outcomes}
    assert recorded == {fmt.passing, fmt.failing}


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_the_cli_records_the_evidence_and_exits_1_on_the_regressed_item(
    fmt: Format, run: Runner, tmp_path: Path
) -> None:
    poam = scenario.write(tmp_path, scenario.for_format(fmt))
    before = poam.read_bytes()
    out = tmp_path / "verified.json"
    done = _verify(run, poam, fmt.files, "-o", str(out))
    assert done.returncode == 1, done.stderr
    assert poam.read_bytes() == before  # -o: the POA&M given is not touched
    assert "regressed: CM.L2-3.4.9" in done.stdout
    assert "failing: SC.L2-3.13.11" in done.stdout
    assert "verification-regressed" in done.stdout
    body = _body(out)
    items = scenario.items_by_label(body)
    observations = {o["uuid"]: o for o in body["observations"]}
    failing = [
        observations[r["observation-uuid"]]
        for r in items["SC.L2-3.13.11"]["related-observations"]
        if r["observation-uuid"] in observations
        and any(p["name"] == vocab.VERIFICATION_CHECK for p in observations[r["observation-uuid"]].get("props", []))
    ]
    assert len(failing) == 1
    observation = failing[0]
    assert observation["methods"] == ["TEST"]
    assert {(p["name"], p["value"]) for p in observation["props"]} == {
        (vocab.VERIFICATION_CHECK, fmt.failing),
        (vocab.VERIFICATION_RESULT, "failed"),
    }
    subjects = {s["title"]: s for s in observation["subjects"]}
    assert subjects[fmt.failing_resource]["props"][0]["value"] == "fail"
    assert all(s["type"] == "inventory-item" for s in subjects.values())
    inventory = {i["uuid"] for i in body["local-definitions"]["inventory-items"]}
    assert {s["subject-uuid"] for s in subjects.values()} <= inventory
    tools = {c["uuid"]: c["title"] for c in body["local-definitions"]["components"]}
    actors = [a for o in observation["origins"] for a in o["actors"]]
    assert all(a["type"] == "tool" and a["actor-uuid"] in tools for a in actors)
    resources = {r["uuid"]: r for r in body["back-matter"]["resources"]}
    for evidence in observation["relevant-evidence"]:
        resource = resources[evidence["href"][1:]]
        (rlink,) = resource["rlinks"]
        source = next(f for f in fmt.files if f.name == Path(rlink["href"]).name)
        assert (out.parent / rlink["href"]).resolve() == source.resolve()
        assert rlink["hashes"] == [{"algorithm": "SHA-256", "value": hashlib.sha256(source.read_bytes()).hexdigest()}]
    assert load(out).model is not None  # a valid POA&M


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_verify_twice_gives_the_same_bytes(fmt: Format, run: Runner, tmp_path: Path) -> None:
    poam = scenario.write(tmp_path, scenario.for_format(fmt))
    _verify(run, poam, fmt.files)
    once = poam.read_bytes()
    again = _verify(run, poam, fmt.files)
    assert poam.read_bytes() == once
    assert "0 items changed" in again.stdout


def test_the_states_are_written_on_the_task_and_dated_in_the_risk_log(run: Runner, tmp_path: Path) -> None:
    fmt = FORMATS[0]
    poam = scenario.write(tmp_path, scenario.for_format(fmt))
    _verify(run, poam, fmt.files)
    body = _body(poam)
    items = scenario.items_by_label(body)
    expected = {"AU.L2-3.3.4": "passed", "SC.L2-3.13.11": "failed", "CM.L2-3.4.9": "failed"}
    for label, state in expected.items():
        task = scenario.verification_task(body, items[label])
        states = [p["value"] for p in task["props"] if p["name"] == vocab.VERIFICATION_STATE]
        assert states == [state]
        entries = scenario.risk_of(body, items[label])["risk-log"]["entries"]
        recorded = [e for e in entries if any(p["value"] == vocab.VERIFIED for p in e.get("props", []))]
        assert len(recorded) == 1
        assert recorded[0]["start"] == "2027-02-10T21:30:00Z"  # the scan time Prowler recorded, not today
        assert recorded[0]["title"] == f"Automated verification: {state}"
    # AC's check is in no file: nothing recorded, its task keeps no state
    untouched = scenario.verification_task(body, items["AC.L2-3.1.10"])
    assert not [p for p in untouched["props"] if p["name"] == vocab.VERIFICATION_STATE]


def test_it_never_closes_an_item_nor_changes_what_people_wrote(run: Runner, tmp_path: Path) -> None:
    fmt = FORMATS[0]
    given = scenario.for_format(fmt)
    poam = scenario.write(tmp_path, given)
    _verify(run, poam, fmt.files)
    before, after = given["plan-of-action-and-milestones"], _body(poam)
    assert [r["status"] for r in after["risks"]] == [r["status"] for r in before["risks"]]
    for old, new in zip(before["risks"], after["risks"], strict=True):
        assert new["risk-log"]["entries"][: len(old["risk-log"]["entries"])] == old["risk-log"]["entries"]
        old_tasks = [t for r in old["remediations"] for t in r.get("tasks", [])]
        new_tasks = [t for r in new["remediations"] for t in r.get("tasks", [])]
        for old_task, new_task in zip(old_tasks, new_tasks, strict=True):
            mine = {vocab.VERIFICATION_STATE}
            assert [p for p in new_task["props"] if p["name"] not in mine] == old_task["props"]
            assert new_task.get("links") == old_task.get("links")
            assert new_task["description"] == old_task["description"]
    for old_item, new_item in zip(before["poam-items"], after["poam-items"], strict=True):
        kept = {k: v for k, v in new_item.items() if k != "related-observations"}
        assert kept == {k: v for k, v in old_item.items() if k != "related-observations"}
        assert (
            new_item["related-observations"][: len(old_item["related-observations"])]
            == old_item["related-observations"]
        )


def test_older_results_do_not_replace_newer_evidence(run: Runner, tmp_path: Path) -> None:
    """The closeout's findings (17 February) are recorded; NIST's (June 2023) on the same target are older."""
    target = "oscal:au.l2-3.3.4_obj.c"
    poam = scenario.write(tmp_path, scenario.poam({"AU.L2-3.3.4": [target]}))
    _verify(run, poam, (scenario.CLOSEOUT_RESULTS,))
    newer = poam.read_bytes()
    older = tmp_path / "older.json"
    data = json.loads(scenario.CLOSEOUT_RESULTS.read_bytes())
    result = data["assessment-results"]["results"][-1]
    result["start"], result["end"] = "2026-12-01T09:00:00-05:00", "2026-12-01T17:00:00-05:00"
    for observation in result.get("observations", []):
        observation["collected"] = "2026-12-01T12:00:00-05:00"
    older.write_text(json.dumps(data), encoding="utf-8")
    done = _verify(run, poam, (older,))
    assert "not recorded: the POA&M holds newer evidence" in done.stdout
    assert poam.read_bytes() == newer


def test_a_ready_item_is_said_to_be_ready_for_closeout_evidence_review(run: Runner, tmp_path: Path) -> None:
    poam = scenario.write(tmp_path, scenario.maintained())
    done = _verify(run, poam, (scenario.PROWLER, scenario.CHECKOV))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ready for closeout evidence review: AU.L2-3.3.4, CM.L2-3.4.9;" in done.stdout
    assert "failing: SC.L2-3.13.11;" in done.stdout
    assert "no automated check: AC.L2-3.1.10" in done.stdout
    assert "arn:aws:s3:::acme-cui-backups-dr" in done.stdout


def test_the_committed_example_is_what_verify_writes(run: Runner, tmp_path: Path) -> None:
    """The README's command writes examples/l2-conditional/poam-verified.json byte for byte."""
    out = tmp_path / "l2-conditional" / "poam-verified.json"
    out.parent.mkdir()
    shutil.copytree(scenario.SCANS, out.parent / "scans")
    done = run(
        "--poam",
        str(scenario.MAINTAINED),
        str(out.parent / "scans" / "prowler-output.ocsf.json"),
        str(out.parent / "scans" / "checkov.sarif"),
        "--as-of",
        AS_OF,
        "-o",
        str(out),
        "--xml",
        str(out.with_suffix(".xml")),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes() == (scenario.EXAMPLE / "poam-verified.json").read_bytes()
    assert out.with_suffix(".xml").read_bytes() == (scenario.EXAMPLE / "poam-verified.xml").read_bytes()


def test_json_output(run: Runner, tmp_path: Path) -> None:
    fmt = FORMATS[1]
    poam = scenario.write(tmp_path, scenario.for_format(fmt))
    done = _verify(run, poam, fmt.files, "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["format"] == "oscal-poam-verify"
    assert report["summary"]["regressed"] == ["CM.L2-3.4.9"]
    assert report["summary"]["ready"] == ["AU.L2-3.3.4"]
    assert report["results"][0]["tools"] == ["Checkov 3.3.30"]
    by_subject = {i["subject"]: i for i in report["items"]}
    assert by_subject["SC.L2-3.13.11"]["failing"] == [{"check": fmt.failing, "resources": [fmt.failing_resource]}]
    assert report["counts"]["error"] == 1


def test_fail_on_warning_counts_stale_evidence(run: Runner, tmp_path: Path) -> None:
    poam = scenario.write(tmp_path, scenario.maintained())
    done = _verify(run, poam, (scenario.PROWLER, scenario.CHECKOV), "--evidence-days", "1", "--fail-on", "warning")
    assert done.returncode == 0, done.stdout  # scanned on the as-of day: current
    later = run("--poam", str(poam), str(scenario.PROWLER), "--as-of", "2027-03-30", "--fail-on", "warning")
    assert later.returncode == 1
    assert "verification-evidence-stale" in later.stdout


def _readme_commands() -> list[list[str]]:
    """The `oscal-poam` commands of the README's worked example, continuation lines joined."""
    readme = (scenario.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Verifying with automated checks", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    joined = block.group(1).replace("\\\n", " ")
    return [shlex.split(line) for line in joined.splitlines() if line.startswith("oscal-poam ")]


def test_the_readme_flow_runs_as_written(tmp_path: Path) -> None:
    """verify → check → report, as the README runs them from the root of a fresh checkout (here a copy of examples/)."""
    shutil.copytree(scenario.ROOT / "examples", tmp_path / "examples")
    commands = _readme_commands()
    assert [c[1] for c in commands] == ["verify", "check", "report"]
    outputs = []
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-m", "oscal_poam.cli.app", *command[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "COLUMNS": "400"},
        )
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append(done.stdout)
    verified = "examples/l2-conditional/poam-verified"
    for suffix in (".json", ".xml"):
        assert (tmp_path / f"{verified}{suffix}").read_bytes() == (scenario.ROOT / f"{verified}{suffix}").read_bytes()
    summary = (
        "Verification: ready for closeout evidence review: AU.L2-3.3.4, CM.L2-3.4.9; failing: SC.L2-3.13.11; "
        "regressed: none; not run: none; stale: none; no automated check: AC.L2-3.1.10"
    )
    assert summary in outputs[0] and summary in outputs[1]
    readme = (scenario.ROOT / "README.md").read_text(encoding="utf-8")
    assert " ".join(summary.split()) in " ".join(readme.split())  # the README shows what check prints
    assert '<section id="verification">' in (tmp_path / "report.html").read_text(encoding="utf-8")
