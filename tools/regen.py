"""Regenerate every generated file of the project, or check that each one is current.

    python tools/regen.py            # write what its generator would change
    python tools/regen.py --check    # write nothing; exit 1 when a generated file is not current

Runs the seven generators, each in a process of its own and in the order they build on each other:

1. gen_catalogs: `catalogs/` and `profiles/`, from the CMMC tables in `reference/cmmc/`;
2. gen_xml_binding: `oscal_poam/io/xml/binding_table.py`, from NIST's metaschema in `reference/oscal-schemas/`;
3. gen_scanner_fixtures: the example's scanner outputs and `catalogs/mappings/`, made by Prowler and Checkov in
   environments of their own; where those are not installed it says so and is skipped (CI installs them and
   sets OSCAL_POAM_REQUIRE_SCANNERS=1, which makes their absence a failure);
4. gen_constraints: `oscal_poam/constraints/table.py` and `docs/constraints.md`, NIST's constraints from the same
   metaschema, on the definitions of the XML binding;
5. gen_examples: `examples/`, which derive writes with the catalogs and the XML binding, and verify with the scans;
6. gen_rules_doc: `docs/rules.md`, from the rule registry;
7. gen_report_screenshots: `docs/screenshots/`, the reports and the portfolio of the examples and the trends of
   tools/history_demo.py's repository, in headless Chromium. A screenshot is stamped with the page it shows:
   `--check` compares stamps and needs no browser (the trend page needs git); regenerating renders only the
   screenshots whose page changed, and needs Chromium only then.

Every generator runs even when one before it fails; the exit code is 1 when any did.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

GENERATORS = (
    "gen_catalogs",
    "gen_xml_binding",
    "gen_scanner_fixtures",
    "gen_constraints",
    "gen_examples",
    "gen_rules_doc",
    "gen_report_screenshots",
)


def run(name: str, check: bool) -> int:
    command = [sys.executable, str(ROOT / "tools" / f"{name}.py"), *(["--check"] if check else [])]
    print(f"== {' '.join(['python', f'tools/{name}.py', *command[2:]])}", flush=True)
    started = time.perf_counter()
    code = subprocess.run(command, cwd=ROOT, check=False).returncode
    print(f"== {name}: {'ok' if code == 0 else f'exit {code}'} ({time.perf_counter() - started:.1f} s)", flush=True)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is not current")
    args = parser.parse_args(argv)
    failed = [name for name in GENERATORS if run(name, args.check) != 0]
    if failed:
        verb = "are not current" if args.check else "failed"
        print(f"{', '.join(failed)} {verb}", file=sys.stderr)
        return 1
    print("every generated file is current" if args.check else "every generated file is written and current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
