"""A short description of any loaded document: what `oscal-poam info` shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from oscal_poam.io.load import Document
from oscal_poam.io.models import text
from oscal_poam.io.write import format_datetime


@dataclass(frozen=True)
class Summary:
    source: str
    model: str
    format: str
    oscal_version: str
    title: str
    last_modified: str
    counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "model": self.model,
            "format": self.format,
            "oscal-version": self.oscal_version,
            "title": self.title,
            "last-modified": self.last_modified,
            "counts": dict(self.counts),
        }


def _len(value: Iterable[Any] | None) -> int:
    return len(list(value)) if value else 0


def _controls(groups: Any, controls: Any) -> int:
    total = 0
    for control in controls or []:
        total += 1 + _controls(None, getattr(control, "controls", None))
    for group in groups or []:
        total += _controls(getattr(group, "groups", None), getattr(group, "controls", None))
    return total


def _counts(root_key: str, model: Any) -> dict[str, int]:
    back = model.back_matter.resources if getattr(model, "back_matter", None) else None
    counts: dict[str, int] = {}
    if root_key == "catalog":
        counts = {"groups": _len(model.groups), "controls": _controls(model.groups, model.controls)}
    elif root_key == "profile":
        counts = {"imports": _len(model.imports)}
    elif root_key == "component-definition":
        counts = {"components": _len(model.components), "capabilities": _len(model.capabilities)}
    elif root_key == "system-security-plan":
        ci = model.control_implementation
        counts = {
            "implemented-requirements": _len(ci.implemented_requirements),
            "components": _len(model.system_implementation.components),
            "users": _len(model.system_implementation.users),
            "inventory-items": _len(model.system_implementation.inventory_items),
        }
    elif root_key == "assessment-plan":
        counts = {"tasks": _len(model.tasks), "reviewed-controls": 1 if model.reviewed_controls else 0}
    elif root_key == "assessment-results":
        results = model.results or []
        counts = {
            "results": len(results),
            "findings": sum(_len(r.findings) for r in results),
            "observations": sum(_len(r.observations) for r in results),
            "risks": sum(_len(r.risks) for r in results),
        }
    elif root_key == "plan-of-action-and-milestones":
        counts = {
            "poam-items": _len(model.poam_items),
            "findings": _len(model.findings),
            "observations": _len(model.observations),
            "risks": _len(model.risks),
        }
    counts["back-matter-resources"] = _len(back)
    return counts


def summarize(doc: Document) -> Summary:
    meta = doc.model.metadata  # type: ignore[attr-defined]
    return Summary(
        source=doc.source,
        model=doc.kind.root_key,
        format=doc.format,
        oscal_version=text(meta.oscal_version),
        title=text(meta.title),
        last_modified=format_datetime(meta.last_modified),
        counts=_counts(doc.kind.root_key, doc.model),
    )
