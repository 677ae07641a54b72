"""`oscal-poam --version` and `--help` stay fast: the command line loads none of the heavy libraries until a command
runs (the commands import what they run, see tests/tools/test_import_cycles.py)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "lxml",
    "pydantic",
    "trestle",
    "yaml",
    "jsonschema_rs",
    "openpyxl",
    "jinja2",
    "oscal_poam.constraints",
    "oscal_poam.engine",
    "oscal_poam.io.load",
    "oscal_poam.render.sarif",
)


def test_the_command_line_loads_no_heavy_module_before_a_command_runs() -> None:
    probe = (
        "import sys, oscal_poam.cli.app\n"
        f"heavy = {HEAVY!r}\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(heavy))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []


def test_the_probe_sees_a_heavy_module_when_one_is_loaded() -> None:
    probe = "import sys, oscal_poam.render.formats\nprint('oscal_poam.render.sarif' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "True"
