"""Typed builders of the OSCAL objects this project creates: one place, used by derive and the spreadsheet import.

Every new object (a POA&M item, its risk, remediation, tasks and risk-log entries, props, roles, parties, the
metadata and the POA&M itself) is built here as a compliance-trestle model, validated as it is built. Empty
collections are left out (OSCAL allows no empty arrays), and props in the project's namespace carry it. Objects
copied from other documents (the assessor's findings, observations and risks) are copied as the models they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel
from trestle.oscal import common
from trestle.oscal import poam as poam_model

from oscal_poam.cmmc import vocab
from oscal_poam.io.keep import KeptUrl
from oscal_poam.io.write import format_datetime
from oscal_poam.io.xml.binding_table import OSCAL_VERSION

T = TypeVar("T")


def _some(values: Iterable[T] | None) -> list[T] | None:
    """OSCAL arrays hold at least one member: None for none."""
    found = list(values or ())
    return found or None


def as_data(obj: BaseModel) -> dict[str, Any]:
    """A built object as plain OSCAL JSON data (hyphenated keys, date-times as the writer writes them)."""
    dumped = obj.model_dump(by_alias=True, exclude_none=True, mode="python")
    encoded = orjson.dumps(dumped, default=_default, option=orjson.OPT_PASSTHROUGH_DATETIME)
    data: dict[str, Any] = orjson.loads(encoded)
    return data


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if hasattr(value, "root"):
        return value.root
    if hasattr(value, "value"):
        return value.value
    return str(value)


# --- small parts ---------------------------------------------------------------------------------------------


def prop(name: str, value: str, *, ns: str | None = vocab.NS, remarks: str | None = None) -> common.Property:
    """A prop; in the project's namespace unless `ns` is None (OSCAL's own)."""
    if ns is None:
        return common.Property(name=name, value=value, remarks=remarks)
    return common.Property(name=name, value=value, ns=KeptUrl(ns), remarks=remarks)


def props(pairs: Iterable[tuple[str, str]]) -> list[common.Property]:
    return [prop(name, value) for name, value in pairs]


def link(href: str, rel: str | None = None, text: str | None = None) -> common.Link:
    return common.Link(href=href, rel=rel, text=text)


def role(id: str, title: str, description: str | None = None) -> common.Role:
    return common.Role(id=id, title=title, description=description)


def party(uuid: str, type: str, name: str, remarks: str | None = None) -> common.Parties:
    """A party with a name (trestle names the model of a party with addresses `Parties`)."""
    return common.Parties(uuid=uuid, type=type, name=name, remarks=remarks)


def responsible_role(role_id: str, party_uuids: Sequence[str]) -> common.ResponsibleRole:
    return common.ResponsibleRole(role_id=role_id, party_uuids=_some(party_uuids))


def system_id(id: str, identifier_type: str | None = None) -> common.SystemId:
    """A system id; its identifier type (a URI) as given, not as pydantic would normalize it."""
    kept = KeptUrl(identifier_type) if identifier_type else None
    return common.SystemId(id=id, identifier_type=kept)


def actor(actor_uuid: str, role_id: str | None = None, type: str = "party") -> common.OriginActor:
    return common.OriginActor(type=type, actor_uuid=actor_uuid, role_id=role_id)


# --- remediation ---------------------------------------------------------------------------------------------


def task(
    uuid: str,
    type: str,
    title: str,
    *,
    description: str | None = None,
    props: Sequence[common.Property] = (),
    links: Sequence[common.Link] = (),
    on_date: dt.datetime | None = None,
    responsible_roles: Sequence[common.ResponsibleRole] = (),
    remarks: str | None = None,
) -> common.Task:
    """A task of a remediation: a `milestone` dated `on_date`, or an `action` (verification, remediation)."""
    timing = common.Timing(on_date=common.OnDate(date=on_date)) if on_date is not None else None
    return common.Task(
        uuid=uuid,
        type=type,
        title=title,
        description=description,
        props=_some(props),
        links=_some(links),
        timing=timing,
        responsible_roles=_some(responsible_roles),
        remarks=remarks,
    )


def required_asset(uuid: str, description: str) -> common.RequiredAsset:
    return common.RequiredAsset(uuid=uuid, description=description)


def remediation(
    uuid: str,
    title: str,
    description: str,
    *,
    lifecycle: str = "planned",
    tasks: Sequence[common.Task] = (),
    required_assets: Sequence[common.RequiredAsset] = (),
) -> common.Response:
    return common.Response(
        uuid=uuid,
        lifecycle=lifecycle,
        title=title,
        description=description,
        required_assets=_some(required_assets),
        tasks=_some(tasks),
    )


def log_entry(
    uuid: str,
    title: str,
    start: dt.datetime,
    *,
    description: str | None = None,
    status_change: str | None = None,
    props: Sequence[common.Property] = (),
    related_responses: Sequence[str] = (),
) -> common.Entry:
    """A risk-log entry: `start` is the day it records, `status_change` the status the risk moved to."""
    return common.Entry(
        uuid=uuid,
        title=title,
        description=description,
        start=start,
        props=_some(props),
        status_change=status_change,
        related_responses=_some(common.RelatedResponse(response_uuid=u) for u in related_responses),
    )


# --- risks and items -----------------------------------------------------------------------------------------


def risk(
    uuid: str,
    title: str,
    description: str,
    statement: str,
    status: str,
    *,
    origins: Sequence[common.OriginActor] = (),
    deadline: dt.datetime | None = None,
    remediations: Sequence[common.Response] = (),
    log: Sequence[common.Entry] = (),
    related_observations: Sequence[str] = (),
) -> common.Risk:
    return common.Risk(
        uuid=uuid,
        title=title,
        description=description,
        statement=statement,
        status=status,
        origins=[common.Origin(actors=list(origins))] if origins else None,
        deadline=deadline,
        remediations=_some(remediations),
        risk_log=common.RiskLog(entries=list(log)) if log else None,
        related_observations=_some(common.RelatedObservation(observation_uuid=u) for u in related_observations),
    )


def poam_item(
    uuid: str,
    title: str,
    description: str,
    *,
    props: Sequence[common.Property] = (),
    origins: Sequence[common.OriginActor] = (),
    related_findings: Sequence[str] = (),
    related_observations: Sequence[str] = (),
    related_risks: Sequence[str] = (),
    remarks: str | None = None,
) -> poam_model.PoamItem:
    return poam_model.PoamItem(
        uuid=uuid,
        title=title,
        description=description,
        props=_some(props),
        origins=[poam_model.Origination(actors=list(origins))] if origins else None,
        related_findings=_some(poam_model.RelatedFinding(finding_uuid=u) for u in related_findings),
        related_observations=_some(common.RelatedObservation(observation_uuid=u) for u in related_observations),
        related_risks=_some(common.AssociatedRisk(risk_uuid=u) for u in related_risks),
        remarks=remarks,
    )


# --- the document --------------------------------------------------------------------------------------------


def metadata(
    title: str,
    last_modified: dt.datetime,
    *,
    version: str = "1.0",
    props: Sequence[common.Property] = (),
    roles: Sequence[common.Role] = (),
    locations: Sequence[common.Location] = (),
    parties: Sequence[common.Parties | common.Parties1] = (),
    responsible_parties: Sequence[common.ResponsibleParty] = (),
    remarks: str | None = None,
) -> common.Metadata:
    return common.Metadata(
        title=title,
        last_modified=last_modified,
        version=version,
        oscal_version=OSCAL_VERSION,
        props=_some(props),
        roles=_some(roles),
        locations=_some(locations),
        parties=_some(parties),
        responsible_parties=_some(responsible_parties),
        remarks=remarks,
    )


def plan_of_action(
    uuid: str,
    meta: common.Metadata,
    items: Sequence[poam_model.PoamItem],
    *,
    import_ssp: str | None = None,
    system_id: common.SystemId | None = None,
    observations: Sequence[common.Observation] = (),
    risks: Sequence[common.Risk] = (),
    findings: Sequence[common.Finding] = (),
    resources: Sequence[common.Resource] = (),
) -> poam_model.PlanOfActionAndMilestones:
    """The POA&M around `items`, with the objects they reference."""
    return poam_model.PlanOfActionAndMilestones(
        uuid=uuid,
        metadata=meta,
        import_ssp=common.ImportSsp(href=import_ssp) if import_ssp is not None else None,
        system_id=system_id,
        observations=_some(observations),
        risks=_some(risks),
        findings=_some(findings),
        poam_items=list(items),
        back_matter=common.BackMatter(resources=list(resources)) if resources else None,
    )


# --- automated verification evidence -------------------------------------------------------------------------


def tool_component(
    uuid: str, title: str, description: str, *, props: Sequence[common.Property] = ()
) -> common.SystemComponent:
    """A tool that ran automated checks, as a component an observation's origin names (actor type `tool`)."""
    return common.SystemComponent(
        uuid=uuid,
        type="software",
        title=title,
        description=description,
        props=_some(props),
        status=common.Status(state="operational"),
    )


def inventory_item(uuid: str, description: str, *, props: Sequence[common.Property] = ()) -> common.InventoryItem:
    """A resource a check ran on, as an inventory item an observation's subject names."""
    return common.InventoryItem(uuid=uuid, description=description, props=_some(props))


def subject(
    subject_uuid: str, type: str, title: str, *, props: Sequence[common.Property] = ()
) -> common.SubjectReference:
    return common.SubjectReference(subject_uuid=subject_uuid, type=type, title=title, props=_some(props))


def observation(
    uuid: str,
    title: str,
    description: str,
    collected: dt.datetime,
    *,
    methods: Sequence[str],
    props: Sequence[common.Property] = (),
    tools: Sequence[str] = (),
    subjects: Sequence[common.SubjectReference] = (),
    evidence: Sequence[tuple[str, str]] = (),
) -> common.Observation:
    """An observation: `tools` are the uuids of the tool components it originates from, `evidence` (href,
    description) pairs of its relevant evidence."""
    return common.Observation(
        uuid=uuid,
        title=title,
        description=description,
        props=_some(props),
        methods=list(methods),
        origins=[common.Origin(actors=[actor(u, type="tool") for u in tools])] if tools else None,
        subjects=_some(subjects),
        relevant_evidence=_some(common.RelevantEvidence(href=h, description=d) for h, d in evidence),
        collected=collected,
    )


def file_resource(
    uuid: str,
    title: str,
    description: str,
    href: str,
    media_type: str,
    sha256: str,
    *,
    props: Sequence[common.Property] = (),
) -> common.Resource:
    """A back-matter resource for a file: its relative href, media type and SHA-256 hash."""
    return common.Resource(
        uuid=uuid,
        title=title,
        description=description,
        props=_some(props),
        rlinks=[
            common.Rlink(href=href, media_type=media_type, hashes=[common.Hash(algorithm="SHA-256", value=sha256)])
        ],
    )
