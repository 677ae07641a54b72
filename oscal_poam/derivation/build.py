"""A new POA&M from CMMC assessment results and the system security plan they assess.

Works on plain OSCAL data (dicts as in OSCAL JSON) so that the findings,
observations and risks copied from the results keep exactly what the assessor
wrote; the caller validates the whole into the compliance-trestle model once.
Everything created here has a version-5 UUID over (system id, requirement id,
purpose), so the same inputs always give the same document.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import oscal_poam.derivation.describe as describe
from oscal_poam.cmmc import regulation, vocab
from oscal_poam.derivation.data import (
    Data,
    by_uuid,
    format_datetime,
    parse_datetime,
    prop,
    related,
    unique,
    walk_strings,
)
from oscal_poam.ids import stable_uuid

if TYPE_CHECKING:
    from oscal_poam.facts.results import Assessment, RequirementResult

OSCAL_VERSION = "1.2.1"
ASSESSOR_ROLE = "assessor"
OWNER_ROLE_TITLE = "Remediation Owner"
OWNER_ROLE_DESCRIPTION = "Owns the remediation of a POA&M item: its milestones, resources and closure evidence."


@dataclass(frozen=True)
class Inputs:
    """What a POA&M is derived from, as plain OSCAL data (the content under each root key)."""

    ssp: Data
    results: Data
    result: Data
    assessment: Assessment
    ssp_href: str
    status_date: dt.date | None = None
    """The Conditional CMMC Status Date; None: the assessment's own."""


def system_id(ssp: Data) -> Data:
    ids = (ssp.get("system-characteristics") or {}).get("system-ids") or []
    if not ids:  # the SSP schema requires one; this is a guard for hand-built data
        raise ValueError("the system security plan has no system-id")
    return dict(ids[0])


def result_end(result: Data) -> dt.datetime:
    return parse_datetime(str(result.get("end") or result["start"]))


@dataclass
class _Collected:
    """The objects copied or created for the POA&M, each once, in the order items first reference them."""

    findings: dict[str, Data] = field(default_factory=dict)
    observations: dict[str, Data] = field(default_factory=dict)
    risks: dict[str, Data] = field(default_factory=dict)


class Copier:
    """Copies findings, observations and risks of one result into a POA&M, each once, with what they reference."""

    def __init__(self, ssp: Data, results: Data, result: Data) -> None:
        self.ssp = ssp
        self.results = results
        self.result = result
        self.sysid = system_id(ssp)
        self.system = str(self.sysid["id"])
        self.findings = by_uuid(result.get("findings"))
        self.observations = by_uuid(result.get("observations"))
        self.risks = by_uuid(result.get("risks"))
        self.end = result_end(result)
        self.assessor = self._assessor_parties()
        self.out = _Collected()

    def uuid(self, *keys: object) -> str:
        return stable_uuid(self.system, *keys)

    def document(self, uuid: str, metadata: Data, ssp_href: str, items: list[Data]) -> Data:
        """The POA&M around `items`, with every object they reference."""
        poam: Data = {
            "uuid": uuid,
            "metadata": metadata,
            "import-ssp": {"href": ssp_href},
            "system-id": self.sysid,
        }
        if self.out.observations:
            poam["observations"] = list(self.out.observations.values())
        if self.out.risks:
            poam["risks"] = list(self.out.risks.values())
        if self.out.findings:
            poam["findings"] = list(self.out.findings.values())
        poam["poam-items"] = items
        resources = self.referenced_resources()
        if resources:
            poam["back-matter"] = {"resources": resources}
        return poam

    def metadata(self, title: str, props: list[Data]) -> Data:
        """Title and props as given; roles, parties and locations of the SSP and the results; the owner role."""
        ssp_meta = self.ssp.get("metadata") or {}
        ar_meta = self.results.get("metadata") or {}
        roles = merge_by_key([ssp_meta.get("roles"), ar_meta.get("roles")], "id")
        if not any(r["id"] == vocab.OWNER_ROLE for r in roles):
            roles.append({"id": vocab.OWNER_ROLE, "title": OWNER_ROLE_TITLE, "description": OWNER_ROLE_DESCRIPTION})
        meta: Data = {
            "title": title,
            "last-modified": str(ar_meta.get("last-modified") or self.result.get("end") or self.result["start"]),
            "version": str(ar_meta.get("version") or "1.0"),
            "oscal-version": OSCAL_VERSION,
        }
        if props:
            meta["props"] = props
        meta["roles"] = roles
        locations = merge_by_key([ssp_meta.get("locations"), ar_meta.get("locations")], "uuid")
        if locations:
            meta["locations"] = locations
        parties = merge_by_key([ssp_meta.get("parties"), ar_meta.get("parties")], "uuid")
        if parties:
            meta["parties"] = parties
        responsible = merge_responsible([ssp_meta.get("responsible-parties"), ar_meta.get("responsible-parties")])
        if responsible:
            meta["responsible-parties"] = responsible
        return meta

    # -- copies ------------------------------------------------------------------------------------------------

    def copy_finding(self, finding: Data) -> None:
        uuid = str(finding["uuid"])
        if uuid in self.out.findings:
            return
        self.out.findings[uuid] = copy.deepcopy(finding)
        for o in related(finding, "related-observations", "observation-uuid"):
            self.copy_observation(o)
        for r in related(finding, "related-risks", "risk-uuid"):
            if r in self.risks and r not in self.out.risks:
                self.copy_risk(copy.deepcopy(self.risks[r]))

    def copy_risk(self, risk: Data) -> None:
        self.out.risks[str(risk["uuid"])] = risk
        for o in related(risk, "related-observations", "observation-uuid"):
            self.copy_observation(o)

    def copy_observation(self, uuid: str) -> None:
        if uuid in self.observations and uuid not in self.out.observations:
            self.out.observations[uuid] = copy.deepcopy(self.observations[uuid])

    def referenced_resources(self) -> list[Data]:
        """The results' back-matter resources that the copied objects link to (`#uuid`)."""
        resources = by_uuid((self.results.get("back-matter") or {}).get("resources"))
        if not resources:
            return []
        wanted: set[str] = set()
        for group in (self.out.findings, self.out.observations, self.out.risks):
            for value in walk_strings(list(group.values())):
                if value.startswith("#") and value[1:] in resources:
                    wanted.add(value[1:])
        return [copy.deepcopy(r) for u, r in resources.items() if u in wanted]

    # -- the assessor -----------------------------------------------------------------------------------------

    def _assessor_parties(self) -> list[str]:
        meta = self.results.get("metadata") or {}
        found: list[str] = []
        for rp in meta.get("responsible-parties") or []:
            if rp.get("role-id") == ASSESSOR_ROLE:
                found.extend(str(u) for u in rp.get("party-uuids") or [])
        return unique(found)

    def assessor_actors(self) -> list[Data]:
        return [{"type": "party", "actor-uuid": u, "role-id": ASSESSOR_ROLE} for u in self.assessor]

    @property
    def system_name(self) -> str:
        return str((self.ssp.get("system-characteristics") or {}).get("system-name") or self.system)


class _Builder(Copier):
    def __init__(self, inputs: Inputs) -> None:
        super().__init__(inputs.ssp, inputs.results, inputs.result)
        self.inputs = inputs
        self.assessment = inputs.assessment
        self.status_date = inputs.status_date or self.assessment.status_date
        self.deadline = (
            regulation.deadline_instant(self.status_date, self.end.tzinfo)
            if self.status_date is not None and regulation.conditional_allowed(self.assessment.level)
            else None
        )
        self.components = _component_titles(inputs.ssp)
        self.by_control = _by_control(inputs.ssp)
        self.name = describe.assessment_name(self.assessment, self.result)

    # -- the document -------------------------------------------------------------------------------------------

    def build(self) -> Data:
        items = [self.item(rr) for rr in self.assessment.not_met()]
        level = self.assessment.level
        props = [prop(vocab.LEVEL, str(level))]
        if self.assessment.assessment_type:
            props.append(prop(vocab.ASSESSMENT_TYPE, self.assessment.assessment_type))
        if self.status_date is not None:
            props.append(prop(vocab.STATUS_DATE, self.status_date.isoformat()))
        title = describe.poam_title(self.system_name, level, self.assessment.assessment_type)
        # One POA&M per system and level: a Level 3 POA&M is another document than the Level 2 one.
        return self.document(self.uuid("poam", level), self.metadata(title, props), self.inputs.ssp_href, items)

    # -- one item per NOT MET requirement -------------------------------------------------------------------------

    def item(self, rr: RequirementResult) -> Data:
        requirement = rr.requirement
        cid = requirement.control_id
        findings = self.not_satisfied(rr)
        finding_ids = [str(f["uuid"]) for f in findings]
        observation_ids = unique(o for f in findings for o in related(f, "related-observations", "observation-uuid"))
        risk_ids = self.item_risks(rr, findings, observation_ids)
        for f in findings:
            self.copy_finding(f)
        components = [self.components[c] for c in self.by_control.get(cid, []) if c in self.components]
        item: Data = {
            "uuid": self.uuid(cid, "poam-item"),
            "title": describe.item_title(requirement),
            "description": describe.weakness(rr, findings, components),
            "props": [
                prop(vocab.REQUIREMENT, requirement.label),
                prop(vocab.POINTS_DEDUCTED, str(rr.points_deducted)),
                prop(vocab.ITEM_ELIGIBLE, "yes" if rr.poam_eligible else "no"),
                prop(vocab.PARTIAL_STATE, rr.partial or "none"),
            ],
        }
        if self.assessor:
            item["origins"] = [{"actors": self.assessor_actors()}]
        if finding_ids:
            item["related-findings"] = [{"finding-uuid": u} for u in finding_ids]
        if observation_ids:
            item["related-observations"] = [{"observation-uuid": u} for u in observation_ids]
        item["related-risks"] = [{"risk-uuid": u} for u in risk_ids]
        return item

    def not_satisfied(self, rr: RequirementResult) -> list[Data]:
        """The findings that make the requirement NOT MET (all of its findings when none says so)."""
        findings = [self.findings[u] for u in rr.finding_uuids if u in self.findings]
        failing = [f for f in findings if _state(f) == "not-satisfied"]
        return failing or findings

    def item_risks(self, rr: RequirementResult, findings: Sequence[Data], observation_ids: list[str]) -> list[str]:
        """The item's risks: the assessor's where the findings name some (the first completed), else a new one."""
        named = unique(r for f in findings for r in related(f, "related-risks", "risk-uuid"))
        present = [r for r in named if r in self.risks]
        if present:
            for index, uuid in enumerate(present):
                if uuid not in self.out.risks:
                    risk = copy.deepcopy(self.risks[uuid])
                    if index == 0:
                        self.complete_risk(risk, rr)
                    self.copy_risk(risk)
            return present
        risk = self.new_risk(rr, findings, observation_ids)
        self.out.risks[str(risk["uuid"])] = risk
        return [str(risk["uuid"])]

    # -- risks --------------------------------------------------------------------------------------------------

    def new_risk(self, rr: RequirementResult, findings: Sequence[Data], observation_ids: list[str]) -> Data:
        requirement = rr.requirement
        cid = requirement.control_id
        risk: Data = {
            "uuid": self.uuid(cid, "risk"),
            "title": describe.risk_title(requirement),
            "description": describe.weakness(rr, findings, []),
            "statement": describe.risk_statement(rr),
            "status": "open",
        }
        if self.assessor:
            risk["origins"] = [{"actors": self.assessor_actors()}]
        if self.deadline is not None:
            risk["deadline"] = format_datetime(self.deadline)
        risk["remediations"] = [self.planned_remediation(rr, findings)]
        risk["risk-log"] = {
            "entries": [
                {
                    "uuid": self.uuid(cid, "risk-log", "opened", self.assessment.result_uuid),
                    "title": "Opened",
                    "description": describe.opened(self.name, self.end),
                    "start": format_datetime(self.end),
                    "status-change": "open",
                }
            ]
        }
        if observation_ids:
            risk["related-observations"] = [{"observation-uuid": u} for u in observation_ids]
        return risk

    def complete_risk(self, risk: Data, rr: RequirementResult) -> None:
        """Add what a POA&M item's risk needs and the assessor's lacks, and say so in its log; change nothing else."""
        cid = rr.requirement.control_id
        deadline = self.deadline if "deadline" not in risk else None
        needs_deadline = deadline is not None
        needs_plan = not any(r.get("lifecycle") == "planned" for r in risk.get("remediations") or [])
        if not (needs_deadline or needs_plan):
            return
        if deadline is not None:
            risk["deadline"] = format_datetime(deadline)
        if needs_plan:
            findings = self.not_satisfied(rr)
            risk.setdefault("remediations", []).append(self.planned_remediation(rr, findings))
        entries = risk.setdefault("risk-log", {}).setdefault("entries", [])
        entries.append(
            {
                "uuid": self.uuid(cid, "risk-log", "added", str(risk["uuid"])),
                "title": "Added to the POA&M",
                "description": describe.completed_risk(needs_deadline, needs_plan),
                "start": format_datetime(self.end),
            }
        )

    def planned_remediation(self, rr: RequirementResult, findings: Sequence[Data]) -> Data:
        requirement = rr.requirement
        cid = requirement.control_id
        objectives: list[tuple[str, str]] = []
        for f in findings:
            target = str((f.get("target") or {}).get("target-id", ""))
            objectives.extend((o.letter, o.text) for o in requirement.objectives if o.id == target)
        title, description = describe.verification(requirement, self.assessment.assessment_type)
        return {
            "uuid": self.uuid(cid, "remediation"),
            "lifecycle": "planned",
            "title": describe.remediation_title(requirement),
            "description": describe.remediation_description(rr, sorted(set(objectives))),
            "tasks": [
                {
                    "uuid": self.uuid(cid, "verification"),
                    "type": "action",
                    "title": title,
                    "description": description,
                    "props": [prop(vocab.TASK_PURPOSE, "verification")],
                }
            ],
        }


def _state(finding: Data) -> str:
    return str(((finding.get("target") or {}).get("status") or {}).get("state", ""))


def _component_titles(ssp: Data) -> dict[str, str]:
    components = (ssp.get("system-implementation") or {}).get("components") or []
    return {str(c["uuid"]): str(c.get("title", "")) for c in components if "uuid" in c}


def _by_control(ssp: Data) -> dict[str, list[str]]:
    """The component uuids implementing each control, in the SSP's order."""
    found: dict[str, list[str]] = {}
    for ir in (ssp.get("control-implementation") or {}).get("implemented-requirements") or []:
        cid = str(ir.get("control-id", ""))
        uuids = [str(bc["component-uuid"]) for bc in ir.get("by-components") or [] if "component-uuid" in bc]
        for stmt in ir.get("statements") or []:
            uuids.extend(str(bc["component-uuid"]) for bc in stmt.get("by-components") or [] if "component-uuid" in bc)
        found.setdefault(cid, []).extend(uuids)
    return {cid: unique(u) for cid, u in found.items()}


def merge_by_key(groups: Iterable[list[Data] | None], key: str) -> list[Data]:
    """Objects from several lists, each key once, the first occurrence kept."""
    merged: dict[str, Data] = {}
    for group in groups:
        for obj in group or []:
            merged.setdefault(str(obj.get(key)), copy.deepcopy(obj))
    return list(merged.values())


def merge_responsible(groups: Iterable[list[Data] | None]) -> list[Data]:
    """Responsible parties by role: one entry per role, with the parties of every entry for it."""
    merged: dict[str, Data] = {}
    for group in groups:
        for rp in group or []:
            role = str(rp.get("role-id"))
            if role not in merged:
                merged[role] = copy.deepcopy(rp)
            else:
                parties = merged[role]["party-uuids"]
                parties.extend(u for u in rp.get("party-uuids") or [] if u not in parties)
    return list(merged.values())


def build(inputs: Inputs) -> Data:
    """The POA&M content (under its root key) for `inputs`, items in catalog order."""
    return _Builder(inputs).build()
