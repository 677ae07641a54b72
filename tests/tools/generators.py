"""Running a generator of tools/ over the vendored NIST metaschema, as its tests do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import SCHEMAS


def run_generator(tool: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`tool --metaschema <the vendored 1.2.1 metaschema> args...`, its output captured."""
    return subprocess.run(
        [sys.executable, str(tool), "--metaschema", str(SCHEMAS / "metaschema"), *args],
        capture_output=True,
        text=True,
        check=False,
    )
