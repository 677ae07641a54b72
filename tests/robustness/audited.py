"""`oscal-poam` with every file it opens recorded: `python -m tests.robustness.audited ARGS...`.

An audit hook (PEP 578) sees each `open` the interpreter makes, `os.open` included, in this process and in
the worker processes it forks; each path is appended, made absolute, to the file OSCAL_POAM_OPENS_LOG names.
The log is opened before the hook is installed, and written with os.write on that descriptor, so recording
opens nothing more.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _install(log_path: str) -> None:
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or not args:
            return
        target = args[0]
        if isinstance(target, int):  # an open descriptor (os.fdopen): nothing new is opened
            return
        if isinstance(target, os.PathLike):
            target = os.fspath(target)
        if isinstance(target, bytes):
            target = os.fsdecode(target)
        if isinstance(target, str):
            os.write(log, os.fsencode(os.path.abspath(target)) + b"\n")

    sys.addaudithook(hook)


if __name__ == "__main__":
    _install(os.environ["OSCAL_POAM_OPENS_LOG"])
    from oscal_poam.cli.app import main

    sys.argv = ["oscal-poam", *sys.argv[1:]]
    main()
