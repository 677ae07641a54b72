"""The consultant's repository of tools/history_demo.py, built once for the history tests with the real `git`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tools import history_demo

REQUIRE_GIT_ENV = "OSCAL_POAM_REQUIRE_GIT"
"""Set to 1 (CI does), a missing git is a failure instead of a skip."""


def require_git() -> str:
    found = shutil.which("git")
    if found is None:
        if os.environ.get(REQUIRE_GIT_ENV, "") not in ("", "0"):
            pytest.fail(f"{history_demo.NO_GIT} ({REQUIRE_GIT_ENV} is set)")
        pytest.skip(history_demo.NO_GIT)
    return found


@pytest.fixture(scope="session")
def consultant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository of three client systems and a year of commits (tools/history_demo.build)."""
    require_git()
    root = tmp_path_factory.mktemp("history") / "consultant"
    history_demo.build(root)
    return root
