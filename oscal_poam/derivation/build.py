"""A new POA&M from CMMC assessment results and the system security plan they assess.

What the POA&M copies (the assessor's findings, observations and risks, the parties and roles of the inputs) is
copied from the inputs' plain OSCAL data as it is, so that it keeps exactly what the assessor wrote; everything it
creates (items, risks, remediations, tasks, risk-log entries, props) is built as a compliance-trestle model by
`oscal_poam.builders`. Everything created has a version-5 UUID over (system id, requirement id, purpose), so the
same inputs always give the same document.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from trestle.oscal import common
from trestle.oscal.poam import PlanOfActionAndMilestones, PoamItem

import oscal_poam.builders as build_
import oscal_poam.derivation.describe as describe
from oscal_poam.cmmc import regulation, vocab
from oscal_poam.cmmc.catalog import Requirement
from oscal_poam.derivation.data import Data, by_uuid, parse_datetime, related, unique
from oscal_poam.facts.results import Assessment, RequirementResult
from oscal_poam.ids import stable_uuid
from oscal_poam.io import pointers
from oscal_poam.io.keep import validate as kept
from oscal_poam.verification.mapping import prowler_checks
from oscal_poam.verification.pointers import Pointer


def _party(data: Data) -> common.Parties | common.Parties1:
    """A copied party, as the model trestle has for it: `Parties` with addresses, `Parties1` with location-uuids."""
    return kept(common.Parties, data) if "addresses" in data else kept(common.Parties1, data)


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

    findings: dict[str, common.Finding] = field(default_factory=dict)
    observations: dict[str, common.Observation] = field(default_factory=dict)
    risks: dict[str, common.Risk] = field(default_factory=dict)


@dataclass(frozen=True)
class Fresh:
    """A freshly derived POA&M: the document when it has items, and its parts as plain data for a merge."""

    uuid: str
    metadata: common.Metadata
    items: tuple[PoamItem, ...]
    ssp_href: str
    system_id: common.SystemId
    observations: tuple[common.Observation, ...]
    risks: tuple[common.Risk, ...]
    findings: tuple[common.Finding, ...]
    resources: tuple[common.Resource, ...]

    def document(self) -> PlanOfActionAndMilestones | None:
        """The POA&M, or None when it holds no item (an OSCAL POA&M holds at least one)."""
        if not self.items:
            return None
        return build_.plan_of_action(
            self.uuid,
            self.metadata,
            self.items,
            import_ssp=self.ssp_href,
            system_id=self.system_id,
            observations=self.observations,
            risks=self.risks,
            findings=self.findings,
            resources=self.resources,
        )

    def data(self) -> Data:
        """The POA&M's content (under its root key) as plain OSCAL data, in OSCAL's key order."""
        found: Data = {
            "uuid": self.uuid,
            "metadata": build_.as_data(self.metadata),
            "import-ssp": build_.as_data(common.ImportSsp(href=self.ssp_href)),
            "system-id": build_.as_data(self.system_id),
        }
        for key, group in (("observations", self.observations), ("risks", self.risks), ("findings", self.findings)):
            if group:
                found[key] = [build_.as_data(o) for o in group]
        found["poam-items"] = [build_.as_data(i) for i in self.items]
        if self.resources:
            found["back-matter"] = {"resources": [build_.as_data(r) for r in self.resources]}
        return found


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

    def fresh(self, uuid: str, metadata: common.Metadata, ssp_href: str, items: Sequence[PoamItem]) -> Fresh:
        """The POA&M around `items`, with every object they reference."""
        return Fresh(
            uuid,
            metadata,
            tuple(items),
            ssp_href,
            kept(common.SystemId, self.sysid),
            tuple(self.out.observations.values()),
            tuple(self.out.risks.values()),
            tuple(self.out.findings.values()),
            tuple(kept(common.Resource, r) for r in self.referenced_resources(metadata)),
        )

    def metadata(self, title: str, props: Sequence[common.Property]) -> common.Metadata:
        """Title and props as given; roles, parties and locations of the SSP and the results; the owner role."""
        ssp_meta = self.ssp.get("metadata") or {}
        ar_meta = self.results.get("metadata") or {}
        roles = [kept(common.Role, r) for r in merge_by_key([ssp_meta.get("roles"), ar_meta.get("roles")], "id")]
        if not any(r.id == vocab.OWNER_ROLE for r in roles):
            roles.append(build_.role(vocab.OWNER_ROLE, OWNER_ROLE_TITLE, OWNER_ROLE_DESCRIPTION))
        locations = merge_by_key([ssp_meta.get("locations"), ar_meta.get("locations")], "uuid")
        parties = merge_by_key([ssp_meta.get("parties"), ar_meta.get("parties")], "uuid")
        responsible = merge_responsible([ssp_meta.get("responsible-parties"), ar_meta.get("responsible-parties")])
        return build_.metadata(
            title,
            parse_datetime(str(ar_meta.get("last-modified") or self.result.get("end") or self.result["start"])),
            version=str(ar_meta.get("version") or "1.0"),
            props=props,
            roles=roles,
            locations=[kept(common.Location, loc) for loc in locations],
            parties=[_party(p) for p in parties],
            responsible_parties=[kept(common.ResponsibleParty, rp) for rp in responsible],
        )

    # -- copies ------------------------------------------------------------------------------------------------

    def copy_finding(self, finding: Data) -> None:
        uuid = str(finding["uuid"])
        if uuid in self.out.findings:
            return
        self.out.findings[uuid] = kept(common.Finding, finding)
        for o in related(finding, "related-observations", "observation-uuid"):
            self.copy_observation(o)
        for r in related(finding, "related-risks", "risk-uuid"):
            if r in self.risks and r not in self.out.risks:
                self.copy_risk(self.risks[r])

    def copy_risk(self, risk: Data, completed: common.Risk | None = None) -> None:
        """The assessor's risk as it is (or as `completed` for the POA&M), with the observations it names."""
        self.out.risks[str(risk["uuid"])] = completed or kept(common.Risk, risk)
        for o in related(risk, "related-observations", "observation-uuid"):
            self.copy_observation(o)

    def copy_observation(self, uuid: str) -> None:
        if uuid in self.observations and uuid not in self.out.observations:
            self.out.observations[uuid] = kept(common.Observation, self.observations[uuid])

    def referenced_resources(self, metadata: common.Metadata | None = None) -> list[Data]:
        """The back-matter resources (the results', else the SSP's) that the copied objects and `metadata` (the
        parties, roles and locations copied from the inputs: a party's logo) link to (`#uuid`), and those that
        these link to in turn: what is copied brings along what it references."""
        resources = {
            **by_uuid((self.ssp.get("back-matter") or {}).get("resources")),
            **by_uuid((self.results.get("back-matter") or {}).get("resources")),
        }
        if not resources:
            return []
        copied = [*self.out.findings.values(), *self.out.observations.values(), *self.out.risks.values()]
        pending: list[Any] = [build_.as_data(o) for o in copied]
        if metadata is not None:
            pending.append(build_.as_data(metadata))
        wanted: set[str] = set()
        while pending:
            found = {v[1:] for v in pointers.values(pending) if v.startswith("#") and v[1:] in resources} - wanted
            wanted |= found
            pending = [resources[u] for u in found]
        return [copy.deepcopy(r) for u, r in resources.items() if u in wanted]

    # -- the assessor -----------------------------------------------------------------------------------------

    def _assessor_parties(self) -> list[str]:
        meta = self.results.get("metadata") or {}
        found: list[str] = []
        for rp in meta.get("responsible-parties") or []:
            if rp.get("role-id") == ASSESSOR_ROLE:
                found.extend(str(u) for u in rp.get("party-uuids") or [])
        return unique(found)

    def assessor_actors(self) -> list[common.OriginActor]:
        return [build_.actor(u, ASSESSOR_ROLE) for u in self.assessor]

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

    def build(self) -> Fresh:
        items = [self.item(rr) for rr in self.assessment.not_met()]
        level = self.assessment.level
        pairs = [(vocab.LEVEL, str(level))]
        if self.assessment.assessment_type:
            pairs.append((vocab.ASSESSMENT_TYPE, self.assessment.assessment_type))
        if self.status_date is not None:
            pairs.append((vocab.STATUS_DATE, self.status_date.isoformat()))
        title = describe.poam_title(self.system_name, level, self.assessment.assessment_type)
        meta = self.metadata(title, build_.props(pairs))
        # One POA&M per system and level: a Level 3 POA&M is another document than the Level 2 one.
        return self.fresh(self.uuid("poam", level), meta, self.inputs.ssp_href, items)

    # -- one item per NOT MET requirement -------------------------------------------------------------------------

    def item(self, rr: RequirementResult) -> PoamItem:
        requirement = rr.requirement
        cid = requirement.control_id
        findings = self.not_satisfied(rr)
        observation_ids = unique(o for f in findings for o in related(f, "related-observations", "observation-uuid"))
        risk_ids = self.item_risks(rr, findings, observation_ids)
        for f in findings:
            self.copy_finding(f)
        components = [self.components[c] for c in self.by_control.get(cid, []) if c in self.components]
        return build_.poam_item(
            self.uuid(cid, "poam-item"),
            describe.item_title(requirement),
            describe.weakness(rr, findings, components),
            props=build_.props(
                [
                    (vocab.REQUIREMENT, requirement.label),
                    (vocab.POINTS_DEDUCTED, str(rr.points_deducted)),
                    (vocab.ITEM_ELIGIBLE, "yes" if rr.poam_eligible else "no"),
                    (vocab.PARTIAL_STATE, rr.partial or "none"),
                ]
            ),
            origins=self.assessor_actors(),
            related_findings=[str(f["uuid"]) for f in findings],
            related_observations=observation_ids,
            related_risks=risk_ids,
        )

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
                    given = self.risks[uuid]
                    self.copy_risk(given, self.completed_risk(given, rr) if index == 0 else None)
            return present
        risk = self.new_risk(rr, findings, observation_ids)
        self.out.risks[str(risk.uuid)] = risk
        return [str(risk.uuid)]

    # -- risks --------------------------------------------------------------------------------------------------

    def new_risk(self, rr: RequirementResult, findings: Sequence[Data], observation_ids: list[str]) -> common.Risk:
        requirement = rr.requirement
        cid = requirement.control_id
        opened = build_.log_entry(
            self.uuid(cid, "risk-log", "opened", self.assessment.result_uuid),
            "Opened",
            self.end,
            description=describe.opened(self.name, self.end),
            status_change="open",
        )
        return build_.risk(
            self.uuid(cid, "risk"),
            describe.risk_title(requirement),
            describe.weakness(rr, findings, []),
            describe.risk_statement(rr),
            "open",
            origins=self.assessor_actors(),
            deadline=self.deadline,
            remediations=[self.planned_remediation(rr, findings)],
            log=[opened],
            related_observations=observation_ids,
        )

    def completed_risk(self, risk: Data, rr: RequirementResult) -> common.Risk | None:
        """The assessor's risk with what a POA&M item's risk needs and it lacks, said in its log; None: it lacks
        nothing, and is copied unchanged."""
        cid = rr.requirement.control_id
        needs_deadline = self.deadline is not None and "deadline" not in risk
        needs_plan = not any(r.get("lifecycle") == "planned" for r in risk.get("remediations") or [])
        if not (needs_deadline or needs_plan):
            return None
        given = kept(common.Risk, risk)
        update: dict[str, Any] = {}
        if needs_deadline:
            update["deadline"] = self.deadline
        if needs_plan:
            update["remediations"] = [*(given.remediations or []), self.planned_remediation(rr, self.not_satisfied(rr))]
        added = build_.log_entry(
            self.uuid(cid, "risk-log", "added", str(risk["uuid"])),
            "Added to the POA&M",
            self.end,
            description=describe.completed_risk(needs_deadline, needs_plan),
        )
        entries = [*(given.risk_log.entries if given.risk_log is not None else []), added]
        update["risk_log"] = common.RiskLog(entries=entries)
        return given.model_copy(update=update)

    def planned_remediation(self, rr: RequirementResult, findings: Sequence[Data]) -> common.Response:
        requirement = rr.requirement
        cid = requirement.control_id
        objectives: list[tuple[str, str]] = []
        for f in findings:
            target = str((f.get("target") or {}).get("target-id", ""))
            objectives.extend((o.letter, o.text) for o in requirement.objectives if o.id == target)
        title, description = describe.verification(requirement, self.assessment.assessment_type)
        verification = build_.task(
            self.uuid(cid, "verification"),
            "action",
            title,
            description=description,
            props=[build_.prop(vocab.TASK_PURPOSE, "verification"), *verification_checks(requirement)],
        )
        return build_.remediation(
            self.uuid(cid, "remediation"),
            describe.remediation_title(requirement),
            describe.remediation_description(rr, sorted(set(objectives))),
            tasks=[verification],
        )


def verification_checks(requirement: Requirement) -> list[common.Property]:
    """The verification pointers of the requirement's item: the Prowler checks Prowler's SP 800-171 mapping names."""
    return [
        build_.prop(vocab.VERIFICATION_CHECK, Pointer("prowler", c).text) for c in prowler_checks(requirement.label)
    ]


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


def build(inputs: Inputs) -> Fresh:
    """The POA&M for `inputs`, items in catalog order."""
    return _Builder(inputs).build()
