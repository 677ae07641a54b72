"""Prowler's findings in OCSF JSON (`--output-formats json-ocsf`): a JSON array of OCSF Detection Findings.

Each finding names its check in `metadata.event_code`, its outcome in `status_code` (`PASS`, `FAIL`; `MANUAL` and
anything else decide nothing), the resources it checked in `resources[].uid`, when in `time_dt` (else `time`, in
seconds since the epoch), and the tool in `metadata.product`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oscal_poam.verification.results import CheckResult, Outcome, Run, Shape, child

OUTCOMES: dict[str, Outcome] = {"PASS": "pass", "FAIL": "fail"}


def read(raw: list[Any], source: str) -> tuple[Run, ...]:
    """The runs of an OCSF findings array, one per product and version. Raises LoadError, located."""
    shape = Shape(source)
    by_tool: dict[tuple[str, str], dict[tuple[str, str, str], list[CheckResult]]] = {}
    for index, entry in enumerate(raw):
        here = f"/{index}"
        finding = shape.object(entry, here, "a finding")
        if finding is None:
            continue
        metadata = shape.object(finding.get("metadata"), child(here, "metadata"), "metadata")
        if metadata is None:
            continue
        check = shape.text(metadata.get("event_code"), child(here, "metadata", "event_code"), "the check id")
        product = shape.object(metadata.get("product"), child(here, "metadata", "product"), "metadata.product")
        status = shape.text(finding.get("status_code"), child(here, "status_code"), "status_code")
        resources = shape.array(finding.get("resources"), child(here, "resources"), "resources")
        time = _time(finding, here, shape)
        if check is None or product is None or status is None or resources is None:
            continue
        name = shape.text(product.get("name"), child(here, "metadata", "product", "name"), "the product name")
        version = shape.optional_text(
            product.get("version"), child(here, "metadata", "product", "version"), "the product version"
        )
        message = shape.optional_text(finding.get("status_detail"), child(here, "status_detail"), "status_detail")
        outcome = OUTCOMES.get(status.strip().upper())
        if name is None or outcome is None:
            continue
        found = by_tool.setdefault((name, version), {}).setdefault(("prowler", "", check.strip()), [])
        for r_index, resource in enumerate(resources):
            place = child(here, "resources", r_index)
            described = shape.object(resource, place, "a resource")
            if described is None:
                continue
            uid = described.get("uid") or described.get("name")
            named = shape.text(uid, child(place, "uid"), "the resource uid")
            if named is not None:
                found.append(CheckResult(named, outcome, message, time))
    shape.raise_if_any()
    return tuple(
        Run(tool, version, {key: tuple(results) for key, results in checks.items()})
        for (tool, version), checks in sorted(by_tool.items())
    )


def _time(finding: dict[str, Any], here: str, shape: Shape) -> dt.datetime | None:
    if "time_dt" in finding:
        return shape.time(finding["time_dt"], child(here, "time_dt"), "time_dt")
    seconds = finding.get("time")
    if isinstance(seconds, int) and not isinstance(seconds, bool) and 0 <= seconds < 2**40:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    if seconds is not None:
        shape.fail(child(here, "time"), "time must be seconds since 1970 (a whole number)")
    return None
