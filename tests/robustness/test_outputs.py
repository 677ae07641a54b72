"""Outputs never destroy anything: not an input, not a device, not half of a pair; every failure is exit code 5.

An output naming an input (directly, or through a link) is refused before any work with exit code 2, naming
both; outputs that are not regular files are written to, never renamed over; derive's and import's JSON and
XML are written both or neither; the system refusing a write at any step is exit code 5, with nothing left.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.errors import WriteError
from oscal_poam.io.outputs import output_lock, write_outputs
from tests.cli_runner import run_main
from tests.conftest import ROOT
from tests.legacy import sheets
from tests.robustness.many_runs import run_many
from tests.robustness.test_nothing_lost import AS_OF, EXAMPLE, snapshot

DERIVE = ["derive", "--ssp", "ssp.json", "--results", "assessment-results.json", "--as-of", AS_OF]
IMPORT = ["import", "legacy.csv", "--as-of", AS_OF]

OVERWRITES = {
    "derive -o the SSP": ([*DERIVE, "-o", "ssp.json"], "--output ssp.json", "--ssp ssp.json"),
    "derive -o the results": ([*DERIVE, "-o", "assessment-results.json"], "--output", "--results"),
    "derive --xml the SSP": ([*DERIVE, "-o", "new.json", "--xml", "ssp.json"], "--xml", "--ssp"),
    "derive --xml the results": ([*DERIVE, "-o", "new.json", "--xml", "assessment-results.json"], "--xml", "--results"),
    "derive --xml the POA&M": ([*DERIVE, "--poam", "poam.json", "-o", "new.json", "--xml", "poam.json"], "--xml",
                               "--poam"),
    "derive -o a link to the SSP": ([*DERIVE, "-o", "link-to-ssp.json"], "--output link-to-ssp.json", "--ssp"),
    "import -o the sheet": ([*IMPORT, "-o", "legacy.csv"], "--output legacy.csv", "FILE legacy.csv"),
    "import -o the SSP": ([*IMPORT, "--ssp", "ssp.json", "-o", "ssp.json"], "--output", "--ssp"),
    "import -o the results": ([*IMPORT, "--results", "assessment-results.json", "-o", "assessment-results.json"],
                              "--output", "--results"),
    "import -o the mapping": ([*IMPORT, "--mapping", "map.yaml", "-o", "map.yaml"], "--output", "--mapping"),
    "import --xml the sheet": ([*IMPORT, "-o", "new.json", "--xml", "legacy.csv"], "--xml", "FILE"),
    "validate --output a file it checks": (["validate", ".", "--output", "poam.json"], "--output poam.json",
                                           "poam.json"),
    "validate --output a link to one": (["validate", ".", "--output", "link-to-ssp.json"], "--output", "ssp.json"),
    "report -o the POA&M": (["report", "--poam", "poam.json", "-o", "poam.json"], "--output", "--poam"),
    "report -o the results": (["report", "--poam", "poam.json", "--results", "assessment-results.json", "-o",
                               "assessment-results.json"], "--output", "--results"),
    "report -o the SSP": (["report", "--poam", "poam.json", "--ssp", "ssp.md", "-o", "ssp.md"], "--output",
                          "--ssp"),
    "convert onto itself": (["convert", "ssp.json", "ssp.json"], "OUT ssp.json", "IN ssp.json"),
    "convert onto a link to itself": (["convert", "ssp.json", "link-to-ssp.json"], "OUT", "IN"),
    "export onto the POA&M": (["export", "poam-as.xlsx", "-o", "poam-as.xlsx"], "the workbook", "POA&M"),
    "derive -o and --xml one file": ([*DERIVE, "-o", "new.json", "--xml", "new.json"], "--xml new.json",
                                     "--output new.json"),
}  # fmt: skip


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    shutil.copytree(EXAMPLE, folder)
    shutil.copyfile(folder / "ssp.json", folder / "ssp.md")  # an SSP that looks like a report (content decides)
    shutil.copyfile(folder / "poam.json", folder / "poam-as.xlsx")  # a POA&M that looks like a workbook
    os.symlink("ssp.json", folder / "link-to-ssp.json")
    sheets.write_csv(folder / "legacy.csv")
    (folder / "map.yaml").write_text("columns:\n  Weakness Name: title\n", encoding="utf-8")
    return folder


def test_an_output_that_is_an_input_is_refused_before_any_work(work: Path) -> None:
    before = snapshot(work)
    outcomes = run_many([args for args, _, _ in OVERWRITES.values()], cwd=work)
    for (name, (_, output, given)), outcome in zip(OVERWRITES.items(), outcomes, strict=True):
        assert outcome.code == 2, (name, outcome.stderr)
        message = " ".join(outcome.stderr.split())
        assert output in message and given in message, (name, message)
        assert "overwrite the input" in message or "name the same file" in message, (name, message)
    assert snapshot(work) == before
    assert os.path.islink(work / "link-to-ssp.json")
    assert len(OVERWRITES) == 20


def _fifo_reader(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, received


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "ssp.json", "{out}", "--to", "json"],
        [*DERIVE, "-o", "{out}"],
        [*IMPORT, "-o", "{out}"],
        ["validate", "ssp.json", "--format", "sarif", "--output", "{out}"],
        ["report", "--poam", "poam.json", "-o", "{out}.md"],
    ],
    ids=["convert", "derive", "import", "validate", "report"],
)
def test_an_output_that_is_a_fifo_is_written_to_not_replaced(
    work: Path, args: list[str], capsys: Any, monkeypatch: Any
) -> None:
    fifo = work / ("pipe.md" if args[-1] == "{out}.md" else "pipe.json")
    os.mkfifo(fifo)
    reader, received = _fifo_reader(fifo)
    monkeypatch.chdir(work)
    ran = run_main(
        capsys, monkeypatch, *[a.format(out="pipe") if a == "{out}.md" else a.format(out="pipe.json") for a in args]
    )
    reader.join(timeout=60)
    assert ran.returncode in (0, 1), ran.stdout + ran.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the FIFO, not a file renamed over it
    assert received and len(received[0]) > 100
    assert not [p for p in work.iterdir() if p.name.endswith(".tmp")]


def test_standard_output_streams(work: Path) -> None:
    """`-` and /dev/stdout: the document alone on standard output, what the command says on standard error."""
    outcomes = [
        subprocess.run(
            [sys.executable, "-m", "oscal_poam.cli.app", *args],
            cwd=work,
            capture_output=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for args in (
            ["convert", "ssp.json", "-"],
            ["convert", "ssp.json", "/dev/stdout", "--to", "yaml"],
            [*DERIVE, "-o", "-"],
            [*IMPORT, "-o", "-"],
            ["validate", "ssp.json", "--format", "sarif", "--output", "-"],
        )
    ]
    for done in outcomes:
        assert done.returncode in (0, 1), done.stderr
    assert json.loads(outcomes[0].stdout)["system-security-plan"]
    assert outcomes[1].stdout.startswith(b"system-security-plan:")
    assert json.loads(outcomes[2].stdout)["plan-of-action-and-milestones"]
    assert b"Conditional Level 2" in outcomes[2].stderr
    assert json.loads(outcomes[3].stdout)["plan-of-action-and-milestones"]
    assert json.loads(outcomes[4].stdout)["version"] == "2.1.0"
    assert not (work / "-").exists()


def test_a_symlink_output_writes_its_target_and_stays_a_link(work: Path, capsys: Any, monkeypatch: Any) -> None:
    (work / "real.yaml").write_text("previous", encoding="utf-8")
    os.symlink("real.yaml", work / "out.yaml")
    monkeypatch.chdir(work)
    ran = run_main(capsys, monkeypatch, "convert", "ssp.json", "out.yaml")
    assert ran.returncode == 0, ran.stderr
    assert os.readlink(work / "out.yaml") == "real.yaml"
    assert (work / "real.yaml").read_text(encoding="utf-8").startswith("system-security-plan:")
    os.symlink("missing.yaml", work / "dangling.yaml")
    ran = run_main(capsys, monkeypatch, "convert", "ssp.json", "dangling.yaml")
    assert ran.returncode == 0, ran.stderr
    assert os.path.islink(work / "dangling.yaml") and (work / "missing.yaml").is_file()


def _refuse_in(folder: Path, error: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The system refuses temporary files in `folder` (a read-only folder for root too, a full disk)."""
    real = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if Path(kwargs.get("dir") or ".").resolve() == folder.resolve():
            raise OSError(error, os.strerror(error))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


@pytest.mark.parametrize("error", [errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EACCES])
@pytest.mark.parametrize("command", ["derive", "import"])
def test_json_and_xml_are_written_both_or_neither(
    work: Path, command: str, error: int, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o OK --xml <a folder that refuses>`: exit 5 naming the XML, and the JSON not written either."""
    (work / "ro").mkdir()
    (work / "ok").mkdir()
    (work / "ok" / "poam.json").write_bytes((EXAMPLE / "poam.json").read_bytes())
    before = snapshot(work)
    _refuse_in(work / "ro", error, monkeypatch)
    monkeypatch.chdir(work)
    base = DERIVE if command == "derive" else IMPORT
    ran = run_main(capsys, monkeypatch, *base, "-o", "ok/poam.json", "--xml", "ro/poam.xml")
    assert ran.returncode == 5, ran.stdout + ran.stderr
    assert "ro/poam.xml" in ran.stderr and os.strerror(error) in " ".join(ran.stderr.split())
    assert snapshot(work) == before


def test_a_failed_second_rename_puts_the_first_output_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.xml"
    first.write_bytes(b"old a")
    real = os.replace
    calls: list[str] = []

    def replace(src: Any, dst: Any) -> None:
        calls.append(str(dst))
        if str(dst) == str(second):
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(WriteError, match="nothing written"):
        write_outputs([(first, b"new a"), (second, b"new b")])
    assert first.read_bytes() == b"old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
    assert calls[:2] == [str(first), str(second)]


def test_many_outputs_are_written_all_or_none(tmp_path: Path) -> None:
    """Many outputs (a portfolio's reports) are prepared several at a time: one that cannot be written leaves
    none of them, and no temporary file."""
    ok = [(tmp_path / f"report-{n:02d}.html", b"page %d" % n) for n in range(40)]
    (tmp_path / "old.html").write_bytes(b"old")
    with pytest.raises(WriteError, match="missing"):
        write_outputs([*ok[:20], (tmp_path / "missing" / "x.html", b"x"), *ok[20:], (tmp_path / "old.html", b"new")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.html"]
    assert (tmp_path / "old.html").read_bytes() == b"old"
    write_outputs(ok)
    assert [p.read_bytes() for p, _ in ok] == [data for _, data in ok]


WRITERS = {
    "convert": ["convert", "ssp.json", "out/ssp.xml"],
    "derive": [*DERIVE, "-o", "out/poam.json"],
    "import": [*IMPORT, "-o", "out/poam.json"],
    "export": ["export", "poam.json", "-o", "out/poam.xlsx"],
    "report": ["report", "--poam", "poam.json", "-o", "out/report.html"],
    "validate": ["validate", "ssp.json", "--output", "out/report.sarif"],
}


@pytest.mark.parametrize("error", [errno.EROFS, errno.ENOSPC, errno.EDQUOT])
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_every_refused_write_is_exit_5(
    work: Path, command: str, error: int, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (work / "out").mkdir()
    _refuse_in(work / "out", error, monkeypatch)
    monkeypatch.chdir(work)
    ran = run_main(capsys, monkeypatch, *WRITERS[command])
    assert ran.returncode == 5, ran.stdout + ran.stderr
    assert os.strerror(error) in " ".join(ran.stderr.split())
    assert list((work / "out").iterdir()) == []


@pytest.mark.parametrize("command", ["import", "convert", "report"])
def test_every_writer_takes_the_folders_lock(work: Path, command: str) -> None:
    """Held by another writer, the lock makes import (and every writer) wait, and say so."""
    (work / "out").mkdir()
    target = work / "out" / "x.json"
    args = WRITERS[command]
    with output_lock(target):
        waiting = subprocess.Popen(
            [sys.executable, "-m", "oscal_poam.cli.app", *args],
            cwd=work,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "300"},
        )
        assert waiting.stderr is not None
        line = waiting.stderr.readline()
        assert line.startswith("waiting for another oscal-poam writing out/"), line
        assert list((work / "out").iterdir()) == []
    stdout, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode in (0, 1), stdout + stderr
    assert len(list((work / "out").iterdir())) == 1
