"""Which Prowler checks test each CMMC Level 2 requirement: Prowler's own NIST SP 800-171 Rev. 2 mapping.

The shipped data file `catalogs/mappings/prowler-nist-800-171-rev2-aws.json` is Prowler's compliance mapping
(`prowler/compliance/aws/nist_800_171_revision_2_aws.json`, Apache-2.0, its notice beside it), with each SP 800-171
number (`3_1_1`) written as the CMMC requirement it is (`AC.L2-3.1.1`); `tools/gen_scanner_fixtures.py` makes it
from the Prowler release it names. `derive` writes these checks as an item's verification pointers, and `verify`
matches an item that has no pointers by them.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from oscal_poam.resources import shipped

MAPPINGS = "mappings"
PROWLER_FILE = "prowler-nist-800-171-rev2-aws.json"


@dataclass(frozen=True)
class CheckMapping:
    """Official requirement id -> the checks that test it, in the mapping's order; and where it comes from."""

    checks: dict[str, tuple[str, ...]]
    source: dict[str, Any]

    def for_requirement(self, label: str) -> tuple[str, ...]:
        return self.checks.get(label, ())


@functools.cache
def prowler_mapping() -> CheckMapping:
    """The shipped Prowler mapping."""
    data = json.loads(shipped("catalogs").joinpath(MAPPINGS).joinpath(PROWLER_FILE).read_text(encoding="utf-8"))
    return CheckMapping({k: tuple(v) for k, v in data["requirements"].items()}, dict(data["source"]))


def prowler_checks(label: str) -> tuple[str, ...]:
    """The Prowler checks that test the requirement with this official id (none outside Level 2)."""
    return prowler_mapping().for_requirement(label)
