"""`oscal-poam diff OLD NEW`: text, JSON and Markdown, the exit codes, and the two ways git calls it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from tests.cli_runner import Runner, runner
from tools.history_demo import Entry, Item, Milestone, poam_document, write_json

D = dt.date
A, B = "AC.L2-3.1.10", "AU.L2-3.3.4"
OPENED = Entry("opened", D(2026, 2, 2), "Opened", "open")
STEP = Milestone("1", "Move the workstations", D(2026, 3, 1))


@pytest.fixture
def diff(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    return runner(capsys, monkeypatch, "diff")


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    write_json(old, poam_document("s", [Item(A, log=(OPENED,), milestones=(STEP,)), Item(B, log=(OPENED,))],
                                  status_date=D(2026, 2, 2), modified=D(2026, 2, 3)))  # fmt: skip
    moved = dataclasses.replace(STEP, due=D(2026, 4, 1))
    why = Entry("moved", D(2026, 2, 25), "Milestone moved", None, "The OU change needs a maintenance window.")
    closed = Item(B, "closed", (OPENED, Entry("c", D(2026, 3, 1), "Closed", "closed")))
    write_json(new, poam_document("s", [Item(A, "remediating", (OPENED, why), (moved,)), closed],
                                  status_date=D(2026, 2, 2), modified=D(2026, 3, 2)))  # fmt: skip
    return old, new


def test_text(diff: Runner, versions: tuple[Path, Path]) -> None:
    old, new = versions
    ran = diff(str(old), str(new), "--as-of", "2026-03-02")
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[0] == f"{old} -> {new}: 3 changes: 1 item closed, 1 status changed, 1 milestone moved"
    assert "AC.L2-3.1.10  status changed: open -> remediating" in ran.stdout
    assert (
        'AC.L2-3.1.10  milestone "Move the workstations" moved: 2026-03-01 -> 2026-04-01 (+31 days); why (risk-log): '
        "Milestone moved: The OU change needs a maintenance window." in ran.stdout
    )
    assert "AU.L2-3.3.4   item closed: open -> closed" in ran.stdout


def test_json_and_markdown(diff: Runner, versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = versions
    data = json.loads(diff(str(old), str(new), "-f", "json", "--as-of", "2026-03-02").stdout)
    assert data["summary"] == {"item-closed": 1, "status-changed": 1, "milestone-moved": 1}
    moved = next(c for c in data["changes"] if c["kind"] == "milestone-moved")
    assert (moved["days"], moved["justification"]["source"]) == (31, "risk-log")
    assert data["old"]["standing"] == {"status": "Conditional Level 2 (C3PAO)", "score": "108 of 110", "open-items": 2}
    assert data["new"]["open-items"] == 1
    comment = tmp_path / "comment.md"
    ran = diff(str(old), str(new), "-o", str(comment), "--as-of", "2026-03-02")
    assert ran.returncode == 0 and ran.stdout == ""
    text = comment.read_text(encoding="utf-8")
    assert text.startswith("### POA&M changes: S POA&M\n")
    assert (
        "| AC.L2-3.1.10 | milestone moved: Move the workstations | 2026-03-01 | 2026-04-01 | +31 days; why (risk-log)"
        in text
    )


def test_exit_code_and_refusals(diff: Runner, versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = versions
    assert diff(str(old), str(old), "--exit-code").returncode == 0
    assert diff(str(old), str(new), "--exit-code").returncode == 1
    refused = diff(str(old), str(new), "-o", str(new))
    assert refused.returncode == 2 and "would overwrite the input" in refused.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"plan-of-action-and-milestones": {"uuid": 1}}', encoding="utf-8")
    failed = diff(str(old), str(broken))
    assert failed.returncode == 3 and str(broken) in failed.stderr
    assert diff(str(old)).returncode == 2


def test_added_and_deleted_files(diff: Runner, versions: tuple[Path, Path]) -> None:
    old, _ = versions
    ran = diff("/dev/null", str(old), "-f", "json")
    assert json.loads(ran.stdout)["summary"] == {"item-added": 2}
    gone = json.loads(diff(str(old), "/dev/null", "-f", "json").stdout)
    assert gone["summary"] == {"item-removed": 2} and gone["new"]["exists"] is False


def test_textconv_and_git_arguments(diff: Runner, versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = versions
    lines = diff("--textconv", str(new)).stdout.splitlines()
    assert lines[:2] == ["POA&M S POA&M", "status date: 2026-02-02"]
    assert 'AC.L2-3.1.10: milestone "Move the workstations" due 2026-04-01' in lines
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    said = diff("--textconv", str(bad))
    assert said.returncode == 0 and said.stdout.startswith("not read as a POA&M: ")  # git carries on
    ran = diff("--git", "poam.json", str(old), "a" * 40, "100644", str(new), "b" * 40, "100644")
    assert ran.returncode == 0
    assert ran.stdout.startswith("a/poam.json -> b/poam.json: 3 changes")
    assert diff("--git", "poam.json").stdout == "poam.json: unmerged\n"
