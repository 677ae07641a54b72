"""Benchmark: `oscal-poam verify` on 10,000 Prowler findings (target: under 2 s).

    python bench/verify_bench.py [--findings 10000] [--repeat 3]

The findings are Prowler's own (examples/l2-conditional/scans/prowler-output.ocsf.json, written by Prowler 5.46.0's
OCSF output class), copied as they are and varied only in the check, the resource and the outcome: every check
Prowler's NIST SP 800-171 mapping names, each on as many resources as it takes to reach `--findings`, one in seven
failing. The POA&M is the worked example's as derive writes it (examples/l2-conditional/poam.json), whose items
point at the mapping's checks. Timed: what `oscal-poam verify --poam POAM FINDINGS -o OUT` does (read the findings,
match, record, judge, write JSON).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "examples" / "l2-conditional" / "scans" / "prowler-output.ocsf.json"
POAM = ROOT / "examples" / "l2-conditional" / "poam.json"
AS_OF = dt.date(2027, 2, 10)


def prowler_findings(path: Path, count: int) -> int:
    """Write `count` Prowler findings to `path`; returns the number of distinct checks."""
    sys.path.insert(0, str(ROOT))
    from oscal_poam.verification.mapping import prowler_mapping

    checks = sorted({c for found in prowler_mapping().checks.values() for c in found})
    templates = json.loads(TEMPLATE.read_bytes())
    passing = next(f for f in templates if f["status_code"] == "PASS")
    failing = next(f for f in templates if f["status_code"] == "FAIL")
    findings: list[dict[str, Any]] = []
    for index in range(count):
        check = checks[index % len(checks)]
        resource = index // len(checks)
        finding = copy.deepcopy(failing if index % 7 == 3 else passing)
        uid = f"arn:aws:ec2:us-east-1:123456789012:resource/{check}-{resource:05d}"
        finding["metadata"]["event_code"] = check
        finding["finding_info"]["uid"] = f"prowler-aws-{check}-123456789012-us-east-1-{resource:05d}"
        finding["resources"][0]["uid"] = uid
        finding["resources"][0]["name"] = f"{check}-{resource:05d}"
        findings.append(finding)
    path.write_text(json.dumps(findings, indent=4), encoding="utf-8")
    return len(checks)


def verify_and_write(poam: Path, findings: Path, out: Path) -> int:
    """What `oscal-poam verify --poam POAM FINDINGS -o OUT` does; returns the number of items changed."""
    from oscal_poam.io.write import atomic_write_bytes, dumps
    from oscal_poam.verification.api import verify

    result = verify(poam, [findings], as_of=AS_OF, output=out)
    atomic_write_bytes(out, dumps(result.poam, "json"))
    return sum(r.changed for r in result.recording.items)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="oscal-poam-verify-bench-") as scratch:
        folder = Path(scratch)
        findings = folder / "prowler.ocsf.json"
        checks = prowler_findings(findings, args.findings)
        print(f"{args.findings:,} findings of {checks} checks, {findings.stat().st_size / 1e6:.1f} MB")
        verify_and_write(POAM, TEMPLATE, folder / "warm.json")
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            changed = verify_and_write(POAM, findings, folder / "out.json")
            times.append(time.perf_counter() - started)
        print(f"verify: median {statistics.median(times):.3f} s, best {min(times):.3f} s; {changed} items changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
