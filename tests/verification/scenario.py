"""The worked example's maintained POA&M with the verification pointers and closed items a test chooses, and the real
scanner outputs it is verified with.

The scanner outputs are the real tools' (tools/gen_scanner_fixtures.py); the OSCAL assessment results are NIST's own
example (an assessor's automation platform, one not-satisfied finding on `ac-6.1_obj`) and the closeout assessment
of the worked example (satisfied findings on the four POA&M requirements' objectives).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oscal_poam.cmmc import vocab
from oscal_poam.ids import stable_uuid
from tests.conftest import OSCAL_CONTENT, ROOT

EXAMPLE = ROOT / "examples" / "l2-conditional"
MAINTAINED = EXAMPLE / "poam-maintained.json"
SCANS = EXAMPLE / "scans"
PROWLER = SCANS / "prowler-output.ocsf.json"
CHECKOV = SCANS / "checkov.sarif"
NIST_RESULTS = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"
CLOSEOUT_RESULTS = ROOT / "examples" / "l2-closeout" / "assessment-results.json"
AS_OF = "2027-02-10"
CLOSED_ON = "2027-02-09T17:00:00-05:00"

LABELS = ("AC.L2-3.1.10", "AU.L2-3.3.4", "CM.L2-3.4.9", "SC.L2-3.13.11")


@dataclass(frozen=True)
class Format:
    """For one input format: its files, and a check that passes, one that fails, and one the files do not hold."""

    name: str
    files: tuple[Path, ...]
    passing: str
    failing: str
    unmatched: str
    failing_resource: str


FORMATS = (
    Format(
        "prowler-ocsf",
        (PROWLER,),
        "prowler:guardduty_is_enabled",
        "prowler:s3_bucket_kms_encryption",
        "prowler:iam_user_mfa_enabled_console_access",
        "arn:aws:s3:::acme-cui-backups-dr",
    ),
    Format(
        "sarif",
        (CHECKOV,),
        "sarif:checkov/CKV_AWS_252",
        "sarif:checkov/CKV_AWS_145",
        "sarif:tfsec/aws-s3-enable-versioning",
        "terraform/main.tf:22",
    ),
    Format(
        "oscal",
        (NIST_RESULTS, CLOSEOUT_RESULTS),
        "oscal:au.l2-3.3.4_obj.c",
        "oscal:ac-6.1_obj",
        "oscal:no-such-target",
        "component 551b9706-d6a4-4d25-8207-f2ccec548b89",
    ),
)


def maintained() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MAINTAINED.read_bytes())
    return data


def items_by_label(body: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        next(p["value"] for p in item["props"] if p["name"] == vocab.REQUIREMENT): item for item in body["poam-items"]
    }


def risk_of(body: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    uuid = item["related-risks"][0]["risk-uuid"]
    found: dict[str, Any] = next(r for r in body["risks"] if r["uuid"] == uuid)
    return found


def verification_task(body: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    planned = next(r for r in risk_of(body, item)["remediations"] if r["lifecycle"] == "planned")
    found: dict[str, Any] = next(
        t for t in planned["tasks"] if any(p["value"] == "verification" for p in t.get("props", []))
    )
    return found


def poam(
    pointers: Mapping[str, Sequence[str]], closed: Iterable[str] = (), base: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The maintained POA&M with exactly `pointers` on each item named (others keep theirs) and `closed` closed."""
    data = copy.deepcopy(dict(base) if base is not None else maintained())
    body = data["plan-of-action-and-milestones"]
    items = items_by_label(body)
    for label, given in pointers.items():
        task = verification_task(body, items[label])
        kept = [p for p in task["props"] if p["name"] != vocab.VERIFICATION_CHECK]
        task["props"] = [*kept, *({"name": vocab.VERIFICATION_CHECK, "ns": vocab.NS, "value": v} for v in given)]
    for label in closed:
        risk = risk_of(body, items[label])
        risk["status"] = "closed"
        risk["risk-log"]["entries"].append(
            {
                "uuid": stable_uuid("test", label, "closed"),
                "title": "Closed",
                "start": CLOSED_ON,
                "status-change": "closed",
            }
        )
    return data


def write(folder: Path, data: Mapping[str, Any], name: str = "poam.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def for_format(fmt: Format) -> dict[str, Any]:
    """AU passing, SC failing, CM closed on the failing check (regressed), AC on a check the files do not hold."""
    return poam(
        {
            "AU.L2-3.3.4": [fmt.passing],
            "SC.L2-3.13.11": [fmt.failing],
            "CM.L2-3.4.9": [fmt.failing],
            "AC.L2-3.1.10": [fmt.unmatched],
        },
        closed=["CM.L2-3.4.9"],
    )
