"""Editing example documents as plain OSCAL JSON data: a later assessment, a person's changes to a POA&M."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.catalog import catalog
from oscal_poam.ids import stable_uuid

Data = dict[str, Any]


def read(path: Path) -> Data:
    data: Data = json.loads(path.read_bytes())
    return data


def write(path: Path, data: Data) -> Path:
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def reassessed(
    results: Data,
    *,
    key: str,
    end: str,
    now_met: Iterable[str] = (),
    now_not_met: Mapping[str, str] | None = None,
) -> Data:
    """The same assessment repeated later (`key` makes its result new): `now_met` requirements satisfied in every
    objective, `now_not_met` requirements (label -> objective letter) not satisfied in that objective."""
    data = copy.deepcopy(results)
    body = data["assessment-results"]
    result = body["results"][-1]
    result["uuid"] = stable_uuid("tests", key, "result")
    result["title"] = f"Reassessment {key}"
    result["end"] = end
    body["metadata"]["last-modified"] = end
    met = {catalog(2).by_label(label).control_id for label in now_met}  # type: ignore[union-attr]
    failing = {
        f"{catalog(2).by_label(label).control_id}_obj.{letter}": label  # type: ignore[union-attr]
        for label, letter in (now_not_met or {}).items()
    }
    for finding in result["findings"]:
        target = finding["target"]
        control = target["target-id"].split("_obj.")[0]
        if control in met:
            target["status"]["state"] = "satisfied"
            finding.pop("related-risks", None)
            finding["props"] = [p for p in finding.get("props") or [] if p["name"] != vocab.PARTIAL] or None
            if finding["props"] is None:
                del finding["props"]
        if target["target-id"] in failing:
            target["status"]["state"] = "not-satisfied"
            finding["title"] = finding["title"].replace("satisfied", "not satisfied")
            finding["description"] = "Found not satisfied on reassessment."
    return data


def item_for(poam: Data, label: str) -> Data:
    for item in poam["plan-of-action-and-milestones"]["poam-items"]:
        if any(p["name"] == vocab.REQUIREMENT and p["value"] == label for p in item.get("props") or []):
            return item  # type: ignore[no-any-return]
    raise KeyError(label)


def risk_for(poam: Data, label: str) -> Data:
    item = item_for(poam, label)
    wanted = item["related-risks"][0]["risk-uuid"]
    return next(r for r in poam["plan-of-action-and-milestones"]["risks"] if r["uuid"] == wanted)  # type: ignore[no-any-return]


def planned(risk: Data) -> Data:
    return next(r for r in risk["remediations"] if r["lifecycle"] == "planned")  # type: ignore[no-any-return]
