"""Re-deriving onto an existing POA&M: a POA&M is a living document.

The existing document wins for everything people edit: an item's title,
description, remarks, links and own props; its risks (status and risk log,
deadline, remediations with milestones, owner, resources and verification);
the POA&M's title, version, remarks and parties. From the fresh derivation
come only what the assessment decides: the item props for points, eligibility
and partial credit; new findings, observations and risks, related to their
items; items for requirements newly NOT MET; and the closing of items whose
requirement is now MET, N/A or MET with a basis, which are closed (risk status
`closed` and a risk-log entry whose start is the completion date), never
removed. Items for requirements this result did not assess are left as they
are, as are items that name no CMMC requirement.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import oscal_poam.builders as builders
import oscal_poam.derivation.describe as describe
from oscal_poam.cmmc import regulation, vocab
from oscal_poam.cmmc.catalog import catalog, normalize_requirement_id
from oscal_poam.derivation.build import merge_by_key, merge_responsible
from oscal_poam.derivation.data import (
    Data,
    by_uuid,
    format_datetime,
    parse_datetime,
    prop_value,
    related,
    set_prop,
    status_date_of,
    unique,
)
from oscal_poam.errors import UsageError
from oscal_poam.ids import stable_uuid
from oscal_poam.io.xml.binding_table import DEFINITIONS
from oscal_poam.io.xml.definitions import Assembly

if TYPE_CHECKING:
    from oscal_poam.cmmc.catalog import CmmcCatalog
    from oscal_poam.facts.results import Assessment

CLOSED = "closed"
MET_STATES = ("met", "not-applicable")
DERIVED_ITEM_PROPS = (vocab.POINTS_DEDUCTED, vocab.ITEM_ELIGIBLE, vocab.PARTIAL_STATE)
"""Item props the assessment decides; every other item field belongs to people."""
ASSESSMENT_PROPS = (vocab.LEVEL, vocab.ASSESSMENT_TYPE, vocab.STATUS_DATE)


@dataclass(frozen=True)
class MergeContext:
    assessment: Assessment
    result: Data
    """The result the fresh POA&M was derived from (plain data)."""
    closed_on: dt.datetime
    """The completion date written on items closed now."""
    system: str
    existing_source: str = "the existing POA&M"


def requirement_of(item: Data, level: int) -> str | None:
    """The control id of the CMMC requirement an item is for: its cmmc-requirement prop, else its title's id."""

    named = prop_value(item, vocab.REQUIREMENT)
    candidates = [named] if named else []
    title = str(item.get("title", "")).strip()
    if title:
        candidates.append(title.split(maxsplit=1)[0])
    for text in candidates:
        found = normalize_requirement_id(text, level)
        if found is not None and found.level == level:
            return found.control_id
    return None


def check_compatible(existing: Data, fresh: Data, level: int, source: str) -> None:
    """Refuse to merge a POA&M of another system or another CMMC level."""
    old_id = str((existing.get("system-id") or {}).get("id", ""))
    new_id = str((fresh.get("system-id") or {}).get("id", ""))
    if old_id and new_id and old_id != new_id:
        raise UsageError(
            f"{source} is the POA&M of system {old_id!r}, but the SSP is for system {new_id!r}; "
            "give the POA&M of this system, or another output file"
        )
    old_level = prop_value(existing.get("metadata") or {}, vocab.LEVEL)
    if old_level and old_level != str(level):
        raise UsageError(
            f"{source} is a CMMC Level {old_level} POA&M, but the results are a Level {level} assessment; "
            "each level has its own POA&M"
        )


def merge(existing: Data, fresh: Data, ctx: MergeContext) -> Data:
    """`existing` updated by the freshly derived `fresh` (both POA&M content under the root key)."""
    level = ctx.assessment.level
    check_compatible(existing, fresh, level, ctx.existing_source)
    merged = copy.deepcopy(existing)
    pool = _Pool(merged, fresh)
    fresh_items = {cid: item for item in fresh["poam-items"] if (cid := requirement_of(item, level)) is not None}

    moved = _moved_deadline(existing, fresh, ctx)
    items: list[Data] = []
    seen: set[str] = set()
    for item in merged.get("poam-items") or []:
        cid = requirement_of(item, level)
        if cid is not None and cid in fresh_items and cid not in seen:
            _refresh(item, fresh_items[cid], pool, ctx, cid, moved)
        elif cid is not None and cid not in seen:
            rr = ctx.assessment.requirements.get(cid)
            if rr is not None and rr.status in MET_STATES:
                _close(item, pool, ctx, cid, rr.finding_uuids)
        if cid is not None:
            seen.add(cid)
        items.append(item)
    for cid, item in fresh_items.items():
        if cid not in seen:
            items.append(copy.deepcopy(item))
            pool.adopt_references(item)

    order = {r.control_id: i for i, r in enumerate(_catalog(level).requirements)}
    last = len(order)
    keyed = [(order.get(requirement_of(item, level) or "", last), index, item) for index, item in enumerate(items)]
    merged["poam-items"] = [item for _, _, item in sorted(keyed, key=lambda k: (k[0], k[1]))]

    merged["metadata"] = _metadata(merged["metadata"], fresh["metadata"], ctx.assessment.kind)
    merged["import-ssp"] = copy.deepcopy(fresh["import-ssp"])
    merged["system-id"] = copy.deepcopy(fresh["system-id"])
    pool.write_into(merged)
    return _reorder(merged)


class _Pool:
    """Findings, observations and risks of both documents, existing ones winning, each kept once."""

    def __init__(self, merged: Data, fresh: Data) -> None:
        self.existing = {name: by_uuid(merged.get(name)) for name in ("findings", "observations", "risks")}
        self.fresh = {name: by_uuid(fresh.get(name)) for name in ("findings", "observations", "risks")}
        self.resources_existing = by_uuid((merged.get("back-matter") or {}).get("resources"))
        self.resources_fresh = by_uuid((fresh.get("back-matter") or {}).get("resources"))
        self.added: dict[str, dict[str, Data]] = {"findings": {}, "observations": {}, "risks": {}}

    def get(self, kind: str, uuid: str) -> Data | None:
        return self.existing[kind].get(uuid) or self.added[kind].get(uuid)

    def add(self, kind: str, obj: Data) -> None:
        """Bring in `obj` with what it refers to. A finding or observation the POA&M already holds is replaced:
        it is the assessor's record, and the latest assessment is the one that stands. A risk is not: people
        keep its status, log and remediations."""
        uuid = str(obj["uuid"])
        if uuid in self.added[kind]:
            return
        if uuid in self.existing[kind]:
            if kind == "risks" or self.existing[kind][uuid] == obj:
                return
            self.existing[kind][uuid] = copy.deepcopy(obj)
        else:
            self.added[kind][uuid] = copy.deepcopy(obj)
        for o in related(obj, "related-observations", "observation-uuid"):
            self.add_from_fresh("observations", o)
        for r in related(obj, "related-risks", "risk-uuid"):
            self.add_from_fresh("risks", r)

    def add_from_fresh(self, kind: str, uuid: str) -> None:
        found = self.fresh[kind].get(uuid)
        if found is not None:
            self.add(kind, found)

    def adopt_references(self, item: Data) -> None:
        """Bring in from the fresh POA&M every object a fresh item refers to."""
        for u in related(item, "related-findings", "finding-uuid"):
            self.add_from_fresh("findings", u)
        for u in related(item, "related-observations", "observation-uuid"):
            self.add_from_fresh("observations", u)
        for u in related(item, "related-risks", "risk-uuid"):
            self.add_from_fresh("risks", u)

    def write_into(self, merged: Data) -> None:
        """Every object once, in the order the items first refer to them, then the rest as they were."""
        items = merged["poam-items"]
        for kind, field, key in (
            ("observations", "related-observations", "observation-uuid"),
            ("risks", "related-risks", "risk-uuid"),
            ("findings", "related-findings", "finding-uuid"),
        ):
            every = {**self.existing[kind], **self.added[kind]}
            order = unique(u for item in items for u in related(item, field, key) if u in every)
            if kind == "observations":  # observations are also reached through findings and risks
                holders = [*self._ordered("findings", items), *self._ordered("risks", items)]
                order = unique([*order, *(u for h in holders for u in related(h, field, key) if u in every)])
            order = unique([*order, *every])
            if order:
                merged[kind] = [every[u] for u in order]
            else:
                merged.pop(kind, None)
        resources = {**self.resources_fresh, **self.resources_existing}
        if resources:
            ordered = unique([*self.resources_existing, *self.resources_fresh])
            merged.setdefault("back-matter", {})["resources"] = [resources[u] for u in ordered]

    def _ordered(self, kind: str, items: list[Data]) -> list[Data]:
        every = {**self.existing[kind], **self.added[kind]}
        field, key = {"findings": ("related-findings", "finding-uuid"), "risks": ("related-risks", "risk-uuid")}[kind]
        return [every[u] for u in unique(u for item in items for u in related(item, field, key)) if u in every]

    def new_finding_from_result(self, finding: Data, observations: dict[str, Data]) -> None:
        """A finding of the result (and its observations) that the fresh POA&M does not hold: one showing MET."""
        self.fresh["findings"].setdefault(str(finding["uuid"]), finding)
        for o in related(finding, "related-observations", "observation-uuid"):
            if o in observations:
                self.fresh["observations"].setdefault(o, observations[o])
        self.add("findings", finding)


def _append_refs(item: Data, field: str, key: str, uuids: Iterable[str]) -> None:
    present = related(item, field, key)
    extra = [u for u in unique(uuids) if u not in present]
    if extra:
        item.setdefault(field, []).extend({key: u} for u in extra)


def _refresh(
    item: Data, fresh_item: Data, pool: _Pool, ctx: MergeContext, cid: str, moved: tuple[dt.date, str] | None
) -> None:
    """An existing item whose requirement is still NOT MET: people's fields stay, the assessment's are updated."""
    for name in (vocab.REQUIREMENT, *DERIVED_ITEM_PROPS):
        value = prop_value(fresh_item, name)
        if value is not None:
            set_prop(item, name, value)
    _append_refs(item, "related-findings", "finding-uuid", related(fresh_item, "related-findings", "finding-uuid"))
    _append_refs(
        item,
        "related-observations",
        "observation-uuid",
        related(fresh_item, "related-observations", "observation-uuid"),
    )
    _append_refs(item, "related-risks", "risk-uuid", related(fresh_item, "related-risks", "risk-uuid"))
    pool.adopt_references(fresh_item)
    for uuid in related(item, "related-risks", "risk-uuid"):
        risk = pool.get("risks", uuid)
        if risk is None:
            continue
        if str(risk.get("status")) == CLOSED:
            _log(risk, ctx, cid, "reopened", "open", "Reopened", _reopened_text(ctx, cid))
            risk["status"] = "open"
        if moved is not None and "deadline" in risk and parse_datetime(str(risk["deadline"])).date() == moved[0]:
            # Only a deadline derive set from the old status date moves; one a person or assessor chose stays.
            risk["deadline"] = moved[1]


def _moved_deadline(existing: Data, fresh: Data, ctx: MergeContext) -> tuple[dt.date, str] | None:
    """For a new initial assessment with another status date: (the old derived deadline, the new deadline)."""
    if ctx.assessment.kind == "closeout":
        return None
    old = status_date_of(existing)
    new = status_date_of(fresh)
    if old is None or new is None or old == new or not regulation.conditional_allowed(ctx.assessment.level):
        return None
    return regulation.deadline(old), format_datetime(regulation.deadline_instant(new, _end(ctx.result).tzinfo))


def _close(item: Data, pool: _Pool, ctx: MergeContext, cid: str, finding_uuids: Iterable[str]) -> None:
    """An existing item whose requirement is now MET: its risks close, dated, with the findings that show it."""
    risks = [r for u in related(item, "related-risks", "risk-uuid") if (r := pool.get("risks", u)) is not None]
    if risks and all(str(r.get("status")) == CLOSED for r in risks):
        return
    findings = by_uuid(ctx.result.get("findings"))
    observations = by_uuid(ctx.result.get("observations"))
    showing = [u for u in finding_uuids if u in findings]
    for u in showing:
        pool.new_finding_from_result(findings[u], observations)
    _append_refs(item, "related-findings", "finding-uuid", showing)
    _append_refs(
        item,
        "related-observations",
        "observation-uuid",
        (o for u in showing for o in related(findings[u], "related-observations", "observation-uuid")),
    )
    requirement = _catalog(ctx.assessment.level).get(cid)
    label = requirement.label if requirement is not None else cid
    text = describe.closed(label, describe.assessment_name(ctx.assessment, ctx.result), _end(ctx.result))
    for risk in risks:
        if str(risk.get("status")) != CLOSED:
            _log(risk, ctx, cid, "closed", CLOSED, "Closed", text)
            risk["status"] = CLOSED


def _log(risk: Data, ctx: MergeContext, cid: str, purpose: str, status: str, title: str, text: str) -> None:
    planned = [str(r["uuid"]) for r in risk.get("remediations") or [] if r.get("lifecycle") == "planned"]
    entry = builders.log_entry(
        stable_uuid(ctx.system, cid, "risk-log", purpose, str(risk["uuid"]), ctx.assessment.result_uuid),
        title,
        ctx.closed_on,
        description=text,
        status_change=status,
        related_responses=planned,
    )
    risk.setdefault("risk-log", {}).setdefault("entries", []).append(builders.as_data(entry))


def _reopened_text(ctx: MergeContext, cid: str) -> str:
    requirement = _catalog(ctx.assessment.level).get(cid)
    label = requirement.label if requirement is not None else cid
    return describe.reopened(label, describe.assessment_name(ctx.assessment, ctx.result), _end(ctx.result))


def _end(result: Data) -> dt.datetime:
    return parse_datetime(str(result.get("end") or result["start"]))


def _metadata(existing: Data, fresh: Data, kind: str) -> Data:
    """People's metadata stays; parties and roles of the inputs are added; the assessment props follow an initial
    assessment (a closeout keeps the Conditional CMMC Status Date it closes out)."""
    meta = copy.deepcopy(existing)
    for field, key in (("roles", "id"), ("locations", "uuid"), ("parties", "uuid")):
        merged = merge_by_key([existing.get(field), fresh.get(field)], key)
        if merged:
            meta[field] = merged
    responsible = merge_responsible([existing.get("responsible-parties"), fresh.get("responsible-parties")])
    if responsible:
        meta["responsible-parties"] = responsible
    if kind != "closeout":
        for name in ASSESSMENT_PROPS:
            value = prop_value(fresh, name)
            if value is not None:
                set_prop(meta, name, value)
    if parse_datetime(str(fresh["last-modified"])) > parse_datetime(str(existing["last-modified"])):
        meta["last-modified"] = fresh["last-modified"]
    return meta


def _reorder(poam: Data) -> Data:
    """Keys in the order OSCAL defines them (the model orders them too; this keeps plain data readable)."""
    return {k: poam[k] for k in _POAM_KEYS if k in poam}


def _poam_keys() -> tuple[str, ...]:
    """The POA&M's own keys in the metaschema's order: its flags, then its model."""

    poam = DEFINITIONS["plan-of-action-and-milestones"]
    assert isinstance(poam, Assembly)
    return tuple(f.name for f in poam.flags) + tuple(c.json for c in poam.model)


_POAM_KEYS = _poam_keys()


def _catalog(level: int) -> CmmcCatalog:
    return catalog(level)
