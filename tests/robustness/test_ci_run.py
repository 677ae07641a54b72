"""`validate` as CI runs it on a pull request, over a repository holding every hostile file at once.

Each run is a child process as CI starts it, under an address-space limit and a timeout, with every file it
opens recorded by an audit hook (tests/robustness/audited.py). Whatever the output format and the number of
jobs: no byte of the secret planted outside the repository appears, nothing outside the repository is opened
but the tool's own installation, and the exit code is the documented 1 (errors stand).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.robustness.hostile import SECRET, Planted, every_attack
from tests.robustness.many_runs import limit_resources

MEMORY = 2 * 1024**3
TIMEOUT = 240  # seconds for one whole run; each takes a few on an idle machine


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    return every_attack(tmp_path_factory.mktemp("ci"))


def _installation() -> list[str]:
    """Where the tool's own files are: the interpreter, its packages, and (in a checkout) the project; and
    /dev/null, which multiprocessing gives its workers as standard input."""
    places = {sys.prefix, sys.base_prefix, sys.exec_prefix, *sysconfig.get_paths().values(), str(ROOT), os.devnull}
    return sorted(os.path.realpath(p) for p in places if p)


def _inside(path: str, folders: list[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def _run(hostile: Planted, log: Path, *args: str) -> tuple[subprocess.CompletedProcess[bytes], float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "tests.robustness.audited", "validate", ".", "--as-of", "2026-10-20", *args],
        cwd=hostile.repo,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), "OSCAL_POAM_OPENS_LOG": str(log), "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=lambda: limit_resources(MEMORY),
    )
    return done, time.monotonic() - started


@pytest.mark.parametrize(("fmt", "jobs"), [("text", "1"), ("json", "2"), ("sarif", "1")])
def test_validate_over_every_attack_at_once(hostile: Planted, tmp_path: Path, fmt: str, jobs: str) -> None:
    log = tmp_path / "opens.log"
    done, took = _run(hostile, log, "--format", fmt, "--jobs", jobs)
    output = done.stdout + done.stderr
    assert done.returncode == 1, done.stderr.decode(errors="replace")[-3000:]
    assert b"Traceback" not in output and b"internal error" not in output
    # no byte of the secret, in any encoding a message could carry it in
    for form in (SECRET, SECRET.encode().hex(), json.dumps(SECRET)[1:-1]):
        assert form.encode() not in output
    # nothing opened outside the repository but the tool's own installation, and nothing at all outside it
    opened = {os.path.realpath(line) for line in log.read_text(encoding="utf-8", errors="replace").splitlines()}
    repo = os.path.realpath(hostile.repo)
    foreign = sorted(p for p in opened if not _inside(p, [repo, *_installation()]))
    assert foreign == [], foreign
    assert not [p for p in opened if _inside(p, [os.path.realpath(hostile.outside)])]
    assert len([p for p in opened if _inside(p, [repo])]) > 40  # the run did read the repository
    # text lines can be steered by no name: none starts a workflow command
    if fmt == "text":
        assert not [line for line in output.splitlines() if line.lstrip().startswith(b"::")]
        assert b"\x1b" not in output
    else:
        report = json.loads(done.stdout)
        assert report.get("format") == "oscal-poam-diagnostics" if fmt == "json" else report["version"] == "2.1.0"
    assert took < TIMEOUT
