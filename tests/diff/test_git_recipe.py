"""The `git diff` recipes of docs/history.md, run in a real repository with the real `git`:

- a textconv filter (`diff.oscal-poam.textconv`): git compares the POA&Ms one fact per line;
- an external diff command (`diff.oscal-poam.command`): git shows `oscal-poam diff`'s summary;
- a difftool (`git difftool -x`), on demand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shlex
import sys
from pathlib import Path

import pytest

from tests.history.conftest import require_git
from tools.history_demo import Entry, Item, Milestone, Repository, poam_document

D = dt.date
A = "AC.L2-3.1.10"
OPENED = Entry("opened", D(2026, 2, 2), "Opened", "open")
STEP = Milestone("1", "Move the workstations", D(2026, 3, 1))
COMMAND = f"{shlex.quote(sys.executable)} -m oscal_poam.cli.app diff"
"""`oscal-poam diff` as the recipe runs it (the console script of the environment the tests run in)."""

GITATTRIBUTES = "*poam*.json diff=oscal-poam\n"


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    require_git()
    repo = Repository.create(tmp_path / "repo")
    repo.write(".gitattributes", GITATTRIBUTES)
    repo.write("poam.json", poam_document("s", [Item(A, log=(OPENED,), milestones=(STEP,))],
                                          status_date=D(2026, 2, 2), modified=D(2026, 2, 3)))  # fmt: skip
    repo.commit(D(2026, 2, 3), "the POA&M")
    moved = dataclasses.replace(STEP, due=D(2026, 3, 20))
    repo.write("poam.json", poam_document("s", [Item(A, "remediating", (OPENED,), (moved,), owner="Marcus Lee")],
                                          status_date=D(2026, 2, 2), modified=D(2026, 2, 20)))  # fmt: skip
    repo.commit(D(2026, 2, 20), "moved the OU change")
    return repo


def test_textconv(repo: Repository) -> None:
    repo.git("config", "diff.oscal-poam.textconv", f"{COMMAND} --textconv")
    shown = repo.git("diff", "HEAD~1", "HEAD", "--", "poam.json")
    removed = [line for line in shown.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line for line in shown.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert removed == [
        "-AC.L2-3.1.10: status open",
        "-AC.L2-3.1.10: owner Luis Ortega",
        '-AC.L2-3.1.10: milestone "Move the workstations" due 2026-03-01',
    ]
    assert added == [
        "+AC.L2-3.1.10: status remediating",
        "+AC.L2-3.1.10: owner Marcus Lee",
        '+AC.L2-3.1.10: milestone "Move the workstations" due 2026-03-20',
    ]


def test_external_diff_command(repo: Repository) -> None:
    repo.git("config", "diff.oscal-poam.command", f"{COMMAND} --git")
    shown = repo.git("diff", "HEAD~1", "HEAD")
    assert (
        shown.splitlines()[0]
        == "a/poam.json -> b/poam.json: 3 changes: 1 status changed, 1 owner changed, 1 milestone moved"
    )
    assert (
        'milestone "Move the workstations" moved: 2026-03-01 -> 2026-03-20 (+19 days); no justification recorded'
        in shown
    )
    repo.write("poam.json", "{ not json")
    said = repo.git("diff")  # a broken working copy: said in the output, and git carries on
    assert "poam.json: not read as a POA&M:" in said


def test_difftool(repo: Repository) -> None:
    shown = repo.git("difftool", "-y", "-x", COMMAND, "HEAD~1", "HEAD", "--", "poam.json")
    assert ": 3 changes: 1 status changed, 1 owner changed, 1 milestone moved" in shown.splitlines()[0]
