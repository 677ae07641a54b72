"""Command-line conventions: `-h`, shell completion, help that reads at 80 columns, the same words for the same
fault in every command, and one location style everywhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.cli.app import COMMANDS
from tests.cli_runner import run_main
from tests.derive.conftest import EXAMPLES

NAMES = [name for name, _, _ in COMMANDS]
CONDITIONAL = EXAMPLES / "l2-conditional"


def _help(*args: str) -> str:
    """Help as a user's 80-column terminal shows it (a separate process: the width is read at start)."""
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb"}
    ran = subprocess.run(
        [sys.executable, "-m", "oscal_poam.cli.app", *args], capture_output=True, text=True, env=env, check=False
    )
    assert ran.returncode == 0, ran.stderr
    return ran.stdout


@pytest.mark.parametrize("command", NAMES)
def test_help_reads_well_at_80_columns(command: str) -> None:
    """`-h` as well as `--help`; no line past 80 columns, nothing cut short, no `<bool>` after a flag, and every
    value an option takes named in capitals (FILE, DATE, RULES) or by its choices."""
    shown = _help(command, "-h")
    assert shown == _help(command, "--help")
    assert all(len(line) <= 80 for line in shown.splitlines()), shown
    assert "…" not in shown and "<bool>" not in shown and "<str>" not in shown and "<path>" not in shown
    for line in shown.splitlines():
        found = re.match(r"^\s+(?:-\w, )?(--[a-z0-9-]+)(?: (\S+))?", line)
        if found and found[2] and not found[2].startswith("/"):
            assert re.fullmatch(r"[A-Z]+|<[a-z0-9|-]+>|\[[a-z0-9|-]+\]", found[2]), line


def test_the_command_list_fits_and_completion_is_offered() -> None:
    shown = _help("-h")
    assert all(len(line) <= 80 for line in shown.splitlines())
    assert "--install-completion" in shown and "--show-completion" in shown
    listed = re.findall(r"^  ([a-z]+)\s{2,}\S", shown.split("Commands:", 1)[1], re.M)
    assert listed == NAMES
    assert "..." not in shown.split("Commands:", 1)[1]  # each command's line is whole


@pytest.mark.parametrize(
    "args",
    [
        ["derive", "--ssp", "s.json", "--results", "r.json", "-o", "p.json", "--level", "4"],
        ["check", "p.json", "--level", "4"],
        ["score", "r.json", "--level", "4"],
        ["catalog", "--level", "4"],
    ],
    ids=lambda a: a[0],
)
def test_a_level_that_is_not_one_is_worded_the_same_in_every_command(
    args: list[str], capsys: Any, monkeypatch: Any
) -> None:
    ran = run_main(capsys, monkeypatch, *args)
    assert ran.returncode == 2
    assert "'4' is not a CMMC level: give 1, 2 or 3" in " ".join(ran.stderr.split())


@pytest.mark.parametrize("command", ["derive", "check", "score", "closeout", "validate", "import", "verify"])
def test_verbose_and_quiet_together_are_a_usage_error(command: str, capsys: Any, monkeypatch: Any) -> None:
    args = {
        "derive": ["--ssp", "s.json", "--results", "r.json", "-o", "p.json"],
        "check": ["p.json"],
        "score": ["r.json"],
        "closeout": ["--poam", "p.json", "--results", "r.json"],
        "validate": ["."],
        "import": ["sheet.csv", "-o", "p.json"],
        "verify": ["--poam", "p.json", "r.sarif"],
    }[command]
    ran = run_main(capsys, monkeypatch, command, *args, "-v", "-q")
    assert ran.returncode == 2
    assert "--verbose and --quiet ask for opposite things" in ran.stderr


def test_check_and_validate_print_one_location_style(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    """The same diagnostic of the same file reads the same in `check` and in `validate`."""
    monkeypatch.chdir(EXAMPLES.parent)
    poam = "examples/l2-conditional/poam.json"
    checked = run_main(capsys, monkeypatch, "check", poam, "--as-of", "2026-10-16", "-v").stdout.splitlines()
    validated = run_main(capsys, monkeypatch, "validate", poam, "--as-of", "2026-10-16", "-v").stdout.splitlines()
    style = re.compile(r"^examples/l2-conditional/poam\.json:\d+:\d+: (error|warning|info) [a-z0-9-]+ .+ #/\S+$")
    ours = [line for line in checked if line.startswith(poam)]
    assert ours and all(style.match(line) for line in ours), ours
    assert set(ours) <= set(validated)


@pytest.mark.parametrize("fmt", ["json", "yaml", "xml"])
def test_every_format_places_a_diagnostic_by_line_and_column(
    fmt: str, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    ran = run_main(capsys, monkeypatch, "convert", str(CONDITIONAL / "poam.json"), f"poam.{fmt}")
    assert ran.returncode == 0
    ran = run_main(
        capsys, monkeypatch, "check", f"poam.{fmt}", "--as-of", "2026-10-16", "-v", "--select", "credibility-root-cause"
    )
    lines = Path(f"poam.{fmt}").read_text(encoding="utf-8").splitlines()
    found = re.findall(rf"^poam\.{fmt}:(\d+):(\d+): warning credibility-root-cause ", ran.stdout, re.M)
    assert len(found) == 4
    for line, column in found:
        text = lines[int(line) - 1]
        assert text[: int(column) - 1].strip() in ("", "-"), text  # the place starts the line (after a YAML dash)
        assert ("prop" in text) or ("props" in text), text
