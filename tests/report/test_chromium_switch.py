"""Without Chromium the browser tests skip and say how to install it; with OSCAL_POAM_REQUIRE_CHROMIUM=1 (as CI
runs them) they fail instead. Each case runs the browser tests in a child pytest with no browser to be found."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tools.gen_report_screenshots import CHROMIUM_ENV, NO_CHROMIUM, REQUIRE_CHROMIUM_ENV


def _run_browser_tests(**env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in (CHROMIUM_ENV, REQUIRE_CHROMIUM_ENV)}
    environ[CHROMIUM_ENV] = str(ROOT / "no-such-browser")
    environ["COLUMNS"] = "400"  # the skip reason in full on one line
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests/report/test_chromium.py"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_chromium_the_browser_tests_skip_with_the_install_hint() -> None:
    done = _run_browser_tests()
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^\d+ skipped in ", done.stdout.splitlines()[-1]), done.stdout  # skipped, nothing else
    assert NO_CHROMIUM in done.stdout


@pytest.mark.parametrize("value", ["1", "yes"])
def test_when_chromium_is_required_its_absence_fails(value: str) -> None:
    done = _run_browser_tests(**{REQUIRE_CHROMIUM_ENV: value})
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"^\d+ errors in ", done.stdout.splitlines()[-1]), done.stdout  # every one fails to set up
    assert NO_CHROMIUM in done.stdout
