"""Nothing lost: failed writes keep the previous output, inputs are never modified, concurrent derives don't interleave.

A full disk is a real one for the process: RLIMIT_FSIZE makes every write past the limit fail with EFBIG,
in the middle of the output, as ENOSPC would. A failed rename is injected at `os.replace`, and is real when
the output path is a folder.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oscal_poam.cli.app import app
from oscal_poam.cli.common import ExitCode
from oscal_poam.errors import WriteError
from oscal_poam.io.load import load
from oscal_poam.io.write import atomic_write_bytes, output_lock, write
from tests.conftest import ROOT
from tests.legacy import sheets

EXAMPLE = ROOT / "examples" / "l2-conditional"
OTHER_SYSTEM = ROOT / "examples" / "l3-conditional"
AS_OF = "2026-10-16"  # the day examples/l2-conditional/poam.json was derived as of


def snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under `folder`: content hash, modification time and mode."""
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns, p.stat().st_mode)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A scratch copy of the Level 2 Conditional example and a filled FedRAMP workbook."""
    folder = tmp_path / "work"
    shutil.copytree(EXAMPLE, folder)
    sheets.fedramp_workbook(folder / "legacy.xlsx")
    return folder


@contextlib.contextmanager
def full_disk_after(limit: int) -> Iterator[None]:
    """Writes of this process past `limit` bytes of a file fail (EFBIG), as on a full disk."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


def _full_disk_in_child(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))


def run_cli(*args: str | Path, cwd: Path, disk_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """`oscal-poam ARGS` in its own process, as a user runs it."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "200"}
    env.pop("OSCAL_POAM_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "oscal_poam.cli.app", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=(lambda: _full_disk_in_child(disk_limit)) if disk_limit is not None else None,
    )


# -- a write that fails midway ----------------------------------------------------------------------------


def test_failed_rename_keeps_the_previous_output(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = work / "poam.json"
    before = snapshot(work)
    model = load(work / "poam-maintained.json").model

    def refuse(*_: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError, match="Input/output error"):
        write(model, target)
    assert snapshot(work) == before  # the old file as it was, and no temporary file beside it


def test_rename_over_a_folder_fails_and_leaves_it(work: Path) -> None:
    folder = work / "out.json"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine", encoding="utf-8")
    before = snapshot(work)
    with pytest.raises(WriteError):
        atomic_write_bytes(folder, b"{}")
    assert snapshot(work) == before


@pytest.mark.parametrize("fmt", ["json", "xml", "yaml"])
def test_full_disk_midway_keeps_the_previous_output(work: Path, fmt: str) -> None:
    target = work / f"poam.{fmt}"
    if not target.exists():
        shutil.copyfile(work / "poam.json", target)
    before = snapshot(work)
    model = load(work / "poam-maintained.json").model
    with full_disk_after(8192), pytest.raises(WriteError, match="too large"):
        write(model, target)  # over 40 KB: the temporary file fails after its first 8 KB
    assert snapshot(work) == before


FULL_DISK_COMMANDS = {
    "derive onto its own output": (
        "derive", "--ssp", "ssp.json", "--results", "assessment-results.json", "-o", "poam-maintained.json",
        "--xml", "poam-maintained.xml", "--as-of", AS_OF,
    ),
    "convert": ("convert", "ssp.json", "ssp.xml"),
    "import": ("import", "legacy.xlsx", "-o", "poam.json", "--as-of", AS_OF),
    "export": ("export", "poam.json", "-o", "legacy.xlsx"),
    "report": ("report", "--poam", "poam.json", "-o", "report.html", "--as-of", AS_OF),
}  # fmt: skip


@pytest.mark.parametrize("args", FULL_DISK_COMMANDS.values(), ids=FULL_DISK_COMMANDS.keys())
def test_full_disk_during_a_command_keeps_every_file(work: Path, args: tuple[str, ...]) -> None:
    (work / "report.html").write_text("<p>the previous report</p>" * 400, encoding="utf-8")
    before = snapshot(work)
    done = run_cli(*args, cwd=work, disk_limit=4096)
    assert done.returncode == ExitCode.WRITE, done.stdout + done.stderr
    assert "error" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(work) == before


# -- inputs are never modified ----------------------------------------------------------------------------

READ_ONLY_COMMANDS = [
    ["info", "poam.json"],
    ["check", "poam-maintained.json", "--ssp", "ssp.json", "--results", "assessment-results.json", "--as-of", AS_OF],
    ["score", "assessment-results.xml"],
    ["closeout", "--poam", "poam.json", "--results", "assessment-results.json", "--as-of", AS_OF],
    ["validate", "."],
]
WRITING_COMMANDS = [
    ["derive", "--ssp", "ssp.xml", "--results", "assessment-results.xml", "-o", "out/new.json", "--as-of", AS_OF],
    ["derive", "--ssp", "ssp.json", "--results", "assessment-results.json", "--poam", "poam-maintained.json",
     "-o", "out/merged.json", "--as-of", AS_OF],
    ["convert", "poam.xml", "out/poam.yaml"],
    ["import", "legacy.xlsx", "-o", "out/legacy.json", "--xml", "out/legacy.xml", "--as-of", AS_OF],
    ["export", "poam.xml", "-o", "out/poam.xlsx", "--layout", "emass"],
    ["report", "--poam", "poam-maintained.json", "--results", "assessment-results.json", "-o", "out/report.html"],
    ["validate", ".", "-f", "sarif", "-o", "out/validate.sarif"],
]  # fmt: skip


def test_no_command_modifies_its_inputs(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (work / "out").mkdir()
    before = snapshot(work)
    monkeypatch.chdir(work)
    runner = CliRunner()
    for args in READ_ONLY_COMMANDS + WRITING_COMMANDS:
        done = runner.invoke(app, args)
        assert done.exception is None or isinstance(done.exception, SystemExit), (args, done.exception)
    after = snapshot(work)
    written = {name for name in after if name.startswith("out/")}
    assert {name: after[name] for name in after if name not in written} == before
    assert written == {
        "out/new.json",
        "out/merged.json",
        "out/poam.yaml",
        "out/legacy.json",
        "out/legacy.xml",
        "out/poam.xlsx",
        "out/report.html",
        "out/validate.sarif",
    }


def test_derive_refuses_to_write_over_an_input(work: Path) -> None:
    """`-o` naming the assessment results: refused before anything is read, naming both."""
    before = snapshot(work)
    done = run_cli("derive", "--ssp", "ssp.json", "--results", "assessment-results.json", "-o",
                   "assessment-results.json", cwd=work)  # fmt: skip
    assert done.returncode == ExitCode.USAGE, done.stdout + done.stderr
    assert "--output assessment-results.json would overwrite the input --results assessment-results.json" in done.stderr
    assert snapshot(work) == before


def test_derive_onto_another_systems_poam_leaves_it(work: Path) -> None:
    other = work / "other-poam.json"
    shutil.copyfile(OTHER_SYSTEM / "poam.json", other)
    before = snapshot(work)
    done = run_cli("derive", "--ssp", "ssp.json", "--results", "assessment-results.json", "-o", other, cwd=work)
    assert done.returncode == ExitCode.USAGE, done.stdout + done.stderr
    assert snapshot(work) == before


# -- two processes deriving into one output ---------------------------------------------------------------


def _derive(output: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "oscal_poam.cli.app", "derive", "--ssp", "ssp.json", "--results",
         "assessment-results.json", "-o", output, "--as-of", AS_OF],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip


def test_concurrent_derives_give_one_complete_document(work: Path) -> None:
    before = set(snapshot(work))
    processes = [_derive("concurrent.json", work) for _ in range(3)]
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stdout + stderr
    assert set(snapshot(work)) == before | {"concurrent.json"}  # no temporary file left behind
    # each derive wrote, or merged onto another's output, the same POA&M: the committed example's bytes
    assert (work / "concurrent.json").read_bytes() == (EXAMPLE / "poam.json").read_bytes()


def test_a_second_derive_waits_and_merges_onto_the_first_ones_output(work: Path) -> None:
    """While one writer holds the output, derive waits; then it merges onto what that writer left, not the old file."""
    target = work / "poam.json"  # the fresh derivation, without people's edits
    with output_lock(target):
        waiting = _derive("poam.json", work)
        assert waiting.stderr is not None
        line = waiting.stderr.readline()  # printed before it blocks on the lock
        assert line.startswith("waiting for another oscal-poam writing poam.json"), line
        assert target.read_bytes() == (EXAMPLE / "poam.json").read_bytes()
        # the first writer now leaves the POA&M people maintained
        atomic_write_bytes(target, (EXAMPLE / "poam-maintained.json").read_bytes())
    stdout, stderr = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, stdout + stderr
    # re-deriving onto the maintained POA&M keeps every edit: the same bytes
    assert target.read_bytes() == (EXAMPLE / "poam-maintained.json").read_bytes()
