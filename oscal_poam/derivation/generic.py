"""A plain POA&M from any assessment results: one item per not-satisfied finding, no CMMC rules.

For results that are not a CMMC assessment (NIST's examples, a FedRAMP
assessment): each not-satisfied finding becomes an item titled like the
finding, with its observations and risks copied. A finding with no risk gets
one, `open`, with no deadline (there is no CMMC clock to set one). Items are
ordered by the finding's target, then as the results list them. Re-deriving
onto an existing POA&M keeps every existing item as it is and adds items for
findings it does not yet hold.
"""

from __future__ import annotations

import copy

from trestle.oscal import common
from trestle.oscal.poam import PoamItem

import oscal_poam.builders as build_
from oscal_poam.derivation.build import Copier, Fresh
from oscal_poam.derivation.data import Data, related, unique


class _Generic(Copier):
    def build(self, ssp_href: str) -> Fresh:
        failing = [f for f in self.findings.values() if _state(f) == "not-satisfied"]
        ordered = sorted(enumerate(failing), key=lambda pair: (_target(pair[1]), pair[0]))
        items = [self.item(f) for _, f in ordered]
        title = f"{self.system_name} Plan of Action and Milestones"
        return self.fresh(self.uuid("poam", "generic"), self.metadata(title, []), ssp_href, items)

    def item(self, finding: Data) -> PoamItem:
        key = str(finding["uuid"])
        self.copy_finding(finding)
        observations = related(finding, "related-observations", "observation-uuid")
        risks = [r for r in related(finding, "related-risks", "risk-uuid") if r in self.risks]
        if not risks:
            risk = self.new_risk(finding, observations)
            self.out.risks[str(risk.uuid)] = risk
            risks = [str(risk.uuid)]
        return build_.poam_item(
            self.uuid("generic", key, "poam-item"),
            str(finding.get("title") or _target(finding)),
            str(finding.get("description") or finding.get("title") or _target(finding)),
            origins=self.assessor_actors(),
            related_findings=[key],
            related_observations=unique(observations),
            related_risks=risks,
        )

    def new_risk(self, finding: Data, observations: list[str]) -> common.Risk:
        key = str(finding["uuid"])
        title = str(finding.get("title") or _target(finding))
        opened = build_.log_entry(
            self.uuid("generic", key, "risk-log", "opened"),
            "Opened",
            self.end,
            description=f"Found not satisfied in {self.result.get('title') or 'the assessment'}.",
            status_change="open",
        )
        return build_.risk(
            self.uuid("generic", key, "risk"),
            title,
            str(finding.get("description") or title),
            f"{_target(finding)} is not satisfied.",
            "open",
            log=[opened],
            related_observations=unique(observations),
        )


def _state(finding: Data) -> str:
    return str(((finding.get("target") or {}).get("status") or {}).get("state", ""))


def _target(finding: Data) -> str:
    return str((finding.get("target") or {}).get("target-id", ""))


def build_generic(ssp: Data, results: Data, result: Data, ssp_href: str) -> Fresh:
    return _Generic(ssp, results, result).build(ssp_href)


def merge_generic(existing: Data, fresh: Data) -> Data:
    """Existing items as they are; fresh items (by uuid) added with the objects they reference."""
    merged = copy.deepcopy(existing)
    have = {str(i.get("uuid")) for i in merged.get("poam-items") or []}
    added = [copy.deepcopy(i) for i in fresh["poam-items"] if str(i.get("uuid")) not in have]
    merged["poam-items"] = [*(merged.get("poam-items") or []), *added]
    for kind in ("observations", "risks", "findings"):
        present = {str(o["uuid"]) for o in merged.get(kind) or []}
        extra = [copy.deepcopy(o) for o in fresh.get(kind) or [] if str(o["uuid"]) not in present]
        if extra:
            merged[kind] = [*(merged.get(kind) or []), *extra]
    resources = (fresh.get("back-matter") or {}).get("resources") or []
    if resources:
        held = merged.setdefault("back-matter", {}).setdefault("resources", [])
        present = {str(r["uuid"]) for r in held}
        held.extend(copy.deepcopy(r) for r in resources if str(r["uuid"]) not in present)
    return merged
