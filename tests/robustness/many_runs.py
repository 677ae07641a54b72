"""Many `oscal-poam` command lines in one child process, each with its exit code and output.

Attacks that could hang (a FIFO opened for reading) or exhaust memory run in a child process under a timeout
and resource limits, so that a regression fails the test instead of taking the test run down; one child for
all the command lines of a test keeps the interpreter's start-up to once.

    python -m tests.robustness.many_runs < [[args...], ...]   ->   [[code, stdout, stderr], ...]
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from tests.conftest import ROOT


class Outcome(NamedTuple):
    code: int
    stdout: str
    stderr: str


def limit_resources(memory: int) -> None:
    """In the child: address space and CPU time bounded, no core files."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_many(
    commands: Sequence[Sequence[str]],
    *,
    timeout: float = 120,
    memory: int = 2 * 1024**3,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> list[Outcome]:
    """Each command line's outcome, from one child process bounded in time and memory."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.robustness.many_runs"],
        input=json.dumps([list(c) for c in commands]),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "300", **(env or {})},
        preexec_fn=lambda: limit_resources(memory),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [Outcome(*o) for o in json.loads(done.stdout)]


def _one(args: list[str]) -> list[object]:
    from oscal_poam.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["oscal-poam", *args]
    code: object = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as exited:
            code = exited.code
    return [code if isinstance(code, int) else (0 if code is None else 1), out.getvalue(), err.getvalue()]


def _main() -> None:
    commands = json.loads(sys.stdin.read())
    real_stdout = sys.stdout
    results = [_one(args) for args in commands]
    real_stdout.write(json.dumps(results))


if __name__ == "__main__":
    _main()
