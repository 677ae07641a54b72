"""The NIST example documents as plain data, and a POA&M assembled from the NIST assessment results.

NIST publishes no POA&M example among the shared documents; `poam_from_results` moves the observations,
risks and findings of the IFA GoodRead results into a POA&M with one item per finding, which is how a
POA&M carries them.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from tests.conftest import OSCAL_CONTENT

IFA_SSP = ("ssp", "ifa_ssp-example")
IFA_AP = ("ap", "ifa_assessment-plan-example")
IFA_AR = ("ar", "ifa_assessment-results-example")
SSP_EXAMPLE = ("ssp", "ssp-example")
CATALOG = ("catalog", "basic-catalog")

POAM_UUID = "5f3c0b0e-1d2a-4c55-9a34-0d3b8f6b7a10"
ITEM_UUID = "0b8e6f4e-3f0a-4b7a-8f57-5b9c2d1e6a21"


@cache
def _read(folder: str, stem: str) -> str:
    return (OSCAL_CONTENT / folder / "json" / f"{stem}.json").read_text(encoding="utf-8")


def nist(doc: tuple[str, str]) -> dict[str, Any]:
    """A fresh, mutable copy of a NIST example document."""
    data: dict[str, Any] = json.loads(_read(*doc))
    return data


def poam_from_results(results: dict[str, Any], import_ssp: str | None = None) -> dict[str, Any]:
    ar = results["assessment-results"]
    result = ar["results"][0]
    items = []
    for position, finding in enumerate(result["findings"]):
        items.append(
            {
                "uuid": ITEM_UUID if position == 0 else f"{ITEM_UUID[:-2]}{position:02d}",
                "title": finding["title"],
                "description": finding["description"],
                "related-findings": [{"finding-uuid": finding["uuid"]}],
                "related-observations": copy.deepcopy(finding.get("related-observations", [])),
                "related-risks": copy.deepcopy(finding.get("related-risks", [])),
            }
        )
    poam: dict[str, Any] = {
        "uuid": POAM_UUID,
        "metadata": copy.deepcopy(ar["metadata"]),
        "observations": copy.deepcopy(result["observations"]),
        "risks": copy.deepcopy(result["risks"]),
        "findings": copy.deepcopy(result["findings"]),
        "poam-items": items,
    }
    poam["metadata"]["title"] = "IFA GoodRead Plan of Action and Milestones"
    if import_ssp is not None:
        poam = {"uuid": poam.pop("uuid"), "metadata": poam.pop("metadata"), "import-ssp": {"href": import_ssp}, **poam}
    return {"plan-of-action-and-milestones": poam}
