"""The `oscal-poam` console entry point run in this process: exit code, standard output and standard error."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NamedTuple

import pytest

from oscal_poam.cli.app import main


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


Runner = Callable[..., Ran]


def run_main(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> Ran:
    """`oscal-poam ARGS` through `main()`, which always ends in SystemExit (exit codes included)."""
    monkeypatch.setattr(sys, "argv", ["oscal-poam", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    code = exited.value.code
    captured = capsys.readouterr()
    # sys.exit("message") exits with status 1, as the shell would see it.
    return Ran(code if isinstance(code, int) else (0 if code is None else 1), captured.out, captured.err)


def runner(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *command: str) -> Runner:
    """A function running `oscal-poam COMMAND ARGS` for the ARGS it is given."""

    def invoke(*args: str) -> Ran:
        return run_main(capsys, monkeypatch, *command, *args)

    return invoke
