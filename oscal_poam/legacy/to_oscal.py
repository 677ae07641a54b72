"""LegacyItems to an OSCAL POA&M, in the places docs/conventions.md names.

Each item becomes a poam-item with one risk; the risk carries the status, the deadline (the sheet's
scheduled completion date), a risk-log entry for each date the sheet gives, and the planned
remediation with its milestones, owner, resources and verification. What has no OSCAL place is kept
as an item prop `legacy-<column>`; a value too long or too many lines for a prop keeps its full text
in the prop's remarks. UUIDs are version-5 over the item's POA&M ID (or sheet and row), so importing
the same sheet again gives the same document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import orjson

from oscal_poam.cmmc import vocab
from oscal_poam.diagnostics import Diagnostic
from oscal_poam.ids import stable_uuid
from oscal_poam.io.write import format_datetime
from oscal_poam.legacy.layouts import HOMELESS_PROPS
from oscal_poam.legacy.markup import to_markdown as md
from oscal_poam.legacy.model import LegacyItem, LegacyMilestone, Location
from oscal_poam.legacy.status import item_status, sheet_status
from oscal_poam.rules import legacy as rules

if TYPE_CHECKING:
    from trestle.oscal.poam import PlanOfActionAndMilestones

    from oscal_poam.cmmc.catalog import Requirement

Data = dict[str, Any]
OSCAL_VERSION = "1.2.1"
PROP_VALUE_MAX = 200
TITLE_MAX = 120
OWNER_ROLE_TITLE = "Remediation owner"
_ORGANIZATION_HINT = re.compile(
    r"[,@\d/&]|\b(?:office|team|department|dept|group|division|branch|program|pmo|inc|llc|corp|company|unit|"
    r"directorate|agency|center|centre|staff|services?|operations|it|isso|issm|cio|ciso)\b",
    re.IGNORECASE,
)
_CONTROL_SPLIT = re.compile(r"[;,\n]+")


@dataclass(frozen=True)
class UnmappedRequirement:
    location: Location | None
    text: str


@dataclass
class BuildContext:
    source: str
    """The spreadsheet's name, for titles and as the document of diagnostics."""
    last_modified: dt.datetime
    system_name: str = ""
    system_id: str | None = None
    system_id_type: str | None = None
    import_ssp: str | None = None
    metadata_props: dict[str, str] = field(default_factory=dict)
    banners: list[str] = field(default_factory=list)
    item_keys: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Stable keys of each item (by position) for its UUIDs."""


@dataclass
class BuildResult:
    poam: PlanOfActionAndMilestones
    diagnostics: list[Diagnostic]
    unmapped: list[UnmappedRequirement]
    level: int | None


def as_datetime(day: dt.date) -> str:
    return format_datetime(dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC))


def prop(name: str, text: str) -> Data | None:
    """A prop in the project's namespace; text a prop cannot hold in full goes whole into its remarks."""
    plain = text and "\n" not in text and "  " not in text and "\t" not in text and not text[0].isspace()
    value = text if plain and not text[-1].isspace() else " ".join(text.split())
    if not value:
        return None
    if len(value) > PROP_VALUE_MAX:
        value = value[: PROP_VALUE_MAX - 1].rstrip() + "…"
    data: Data = {"name": name, "ns": vocab.NS, "value": value}
    if value != text:
        data["remarks"] = md(text)
    return data


def props(pairs: Iterable[tuple[str, str]]) -> list[Data]:
    return [p for p in (prop(n, t) for n, t in pairs) if p is not None]


def one_line(text: str, limit: int = TITLE_MAX) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = " ".join(first.split())
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def split_controls(text: str) -> list[str]:
    return [t.strip() for t in _CONTROL_SPLIT.split(text) if t.strip()]


def requirements_of(text: str) -> tuple[list[Requirement], list[str]]:
    """The CMMC requirements a controls cell names, and the parts that name none."""
    from oscal_poam.cmmc.catalog import normalize_requirement_id

    found: list[Requirement] = []
    unmapped: list[str] = []
    for token in split_controls(text):
        requirement = normalize_requirement_id(token)
        if requirement is None:
            unmapped.append(token)
        elif requirement not in found:
            found.append(requirement)
    return found, unmapped


def party_type(name: str) -> str:
    return "organization" if _ORGANIZATION_HINT.search(name) else "person"


def evidence_links(text: str) -> list[Data]:
    links = []
    for entry in (line.strip() for line in text.splitlines()):
        if not entry:
            continue
        href = quote(entry, safe="/:._-~#?&=%+@,;()!$'*[]")
        link: Data = {"href": href, "rel": vocab.EVIDENCE_REL}
        if href != entry:
            link["text"] = md(" ".join(entry.split()))
        links.append(link)
    return links


class Builder:
    def __init__(self, items: Sequence[LegacyItem], context: BuildContext) -> None:
        self.items = items
        self.context = context
        self.diagnostics: list[Diagnostic] = []
        self.unmapped: list[UnmappedRequirement] = []
        self.parties: dict[str, Data] = {}
        self.risks: list[Data] = []
        self.levels: set[int] = set()

    def diag(self, made: Diagnostic) -> None:
        self.diagnostics.append(made)

    def build(self) -> BuildResult:
        from trestle.oscal.poam import PlanOfActionAndMilestones

        poam_items = [self.item(index, item) for index, item in enumerate(self.items)]
        level = next(iter(self.levels)) if len(self.levels) == 1 else None
        data: Data = {
            "uuid": stable_uuid(
                "legacy-poam", self.context.system_id or self.context.system_name or self.context.source
            ),
            "metadata": self.metadata(level),
        }
        if self.context.import_ssp:
            data["import-ssp"] = {"href": self.context.import_ssp}
        if self.context.system_id:
            system_id: Data = {"id": self.context.system_id}
            if self.context.system_id_type:
                system_id["identifier-type"] = self.context.system_id_type
            data["system-id"] = system_id
        data["risks"] = self.risks
        data["poam-items"] = poam_items
        # Validating from JSON bytes is faster than from Python objects, and the data is plain JSON anyway.
        model = PlanOfActionAndMilestones.model_validate_json(orjson.dumps(data))
        return BuildResult(model, self.diagnostics, self.unmapped, level)

    def metadata(self, level: int | None) -> Data:
        name = self.context.system_name
        title = f"Plan of Action and Milestones: {name}" if name else "Plan of Action and Milestones"
        meta: Data = {
            "title": f"{title} (imported from {self.context.source})",
            "last-modified": format_datetime(self.context.last_modified),
            "version": "1.0",
            "oscal-version": OSCAL_VERSION,
        }
        pairs = [(vocab.LEVEL, str(level))] if level is not None else []
        pairs.extend(self.context.metadata_props.items())
        if pairs:
            meta["props"] = props(pairs)
        if self.parties:
            meta["roles"] = [{"id": vocab.OWNER_ROLE, "title": OWNER_ROLE_TITLE}]
            meta["parties"] = sorted(self.parties.values(), key=lambda p: (p["name"], p["uuid"]))
        if self.context.banners:
            meta["remarks"] = "\n\n".join(md(b) for b in self.context.banners)
        return meta

    def party(self, owner: str) -> str:
        name = " ".join(owner.split())
        if name not in self.parties:
            party: Data = {"uuid": stable_uuid("legacy-party", name), "type": party_type(name), "name": name}
            if name != owner:
                party["remarks"] = md(owner)
            self.parties[name] = party
        return str(self.parties[name]["uuid"])

    # -- one item ------------------------------------------------------------------------------------------

    def item(self, index: int, item: LegacyItem) -> Data:
        keys = self.context.item_keys.get(index) or ("row", item.sheet, item.location.row if item.location else index)
        uuid = stable_uuid("legacy-item", *keys)
        requirements, unmapped = requirements_of(item.controls)
        where = item.cells.get("controls")
        for token in unmapped:
            self.unmapped.append(UnmappedRequirement(where, token))
            self.diag(
                rules.REQUIREMENT_UNMAPPED.diag(
                    f"{token!r} names no CMMC requirement; kept as written in item prop {vocab.LEGACY_CONTROLS}",
                    where.ref if where else "",
                    self.context.source,
                    token,
                )
            )
        self.levels.update(r.level for r in requirements)
        labels = [r.label for r in requirements]

        pairs: list[tuple[str, str]] = [(vocab.REQUIREMENT, label) for label in labels]
        if item.controls and item.controls != "; ".join(labels):
            pairs.append((vocab.LEGACY_CONTROLS, item.controls))
        if item.root_cause:
            pairs.append((vocab.ROOT_CAUSE, item.root_cause))
        if item.sheet:
            pairs.append((vocab.LEGACY_SHEET, item.sheet))
        if item.status:
            pairs.append((vocab.LEGACY_STATUS, item.status))
        if item.poam_id:
            pairs.append((HOMELESS_PROPS["poam_id"], item.poam_id))
        if item.weakness_name:
            pairs.append((HOMELESS_PROPS["weakness_name"], item.weakness_name))
        pairs.extend(item.extra.items())

        title = self.title(item, requirements)
        risk = self.risk(uuid, item, title)
        self.risks.append(risk)
        data: Data = {
            "uuid": uuid,
            "title": md(title),
            "description": md(item.description),
            "props": props(pairs),
            "related-risks": [{"risk-uuid": risk["uuid"]}],
        }
        if not data["props"]:
            del data["props"]
        if item.comments:
            data["remarks"] = md(item.comments)
        return data

    @staticmethod
    def title(item: LegacyItem, requirements: list[Requirement]) -> str:
        # The description is the last resort: a title copied from it reads as a description with no weakness.
        if len(requirements) == 1:
            return f"{requirements[0].label} {requirements[0].title}"
        if one_line(item.weakness_name):
            return one_line(item.weakness_name)
        if requirements:
            return ", ".join(r.label for r in requirements)
        if item.poam_id:
            return f"POA&M item {one_line(item.poam_id)}"
        if one_line(item.description):
            return one_line(item.description)
        row = item.location.row if item.location else 0
        return f"Row {row} of {item.sheet}" if item.sheet else f"Row {row}"

    def risk_status(self, item: LegacyItem) -> str:
        from_sheet = sheet_status(item.sheet)
        if item.status:
            found = item_status(item.status)
            if found is not None:
                return found
            fallback = from_sheet or "open"
            where = item.cells.get("status")
            self.diag(
                rules.STATUS_UNKNOWN.diag(
                    f"status {item.status!r} is not a known status; the risk status is {fallback}",
                    where.ref if where else "",
                    self.context.source,
                    item.poam_id,
                )
            )
            return fallback
        if from_sheet:
            return from_sheet
        if item.completed is not None and not item.status:
            return "closed"
        return "open"

    def risk(self, item_uuid: str, item: LegacyItem, title: str) -> Data:
        status = self.risk_status(item)
        risk: Data = {
            "uuid": stable_uuid(item_uuid, "risk"),
            "title": md(title),
            "description": md(item.description),
            "statement": md(item.description),
            "status": status,
        }
        if item.scheduled is not None:
            risk["deadline"] = as_datetime(item.scheduled)
        remediation = self.remediation(item_uuid, item)
        if remediation is not None:
            risk["remediations"] = [remediation]
        entries = self.log(item_uuid, item, status)
        if entries:
            risk["risk-log"] = {"entries": entries}
        return risk

    def log(self, item_uuid: str, item: LegacyItem, status: str) -> list[Data]:
        entries: list[tuple[dt.date, int, Data]] = []
        if item.detected is not None:
            entries.append(
                (item.detected, 0, self.entry(item_uuid, "detected", item.detected, "Weakness detected", "open"))
            )
        closed_on = item.completed if status == "closed" else None
        if item.status_date is not None:
            # Once the completion entry records the closing, the status entry only records the date.
            change = None if closed_on is not None else status
            words = item.status or status
            entries.append(
                (item.status_date, 1, self.entry(item_uuid, "status", item.status_date, f"Status: {words}", change))
            )
        if item.completed is not None:
            change = "closed" if status == "closed" else None
            entries.append((item.completed, 2, self.entry(item_uuid, "completed", item.completed, "Completed", change)))
        return [e for _, _, e in sorted(entries, key=lambda t: (t[0], t[1]))]

    @staticmethod
    def entry(item_uuid: str, event: str, day: dt.date, title: str, change: str | None) -> Data:
        entry: Data = {
            "uuid": stable_uuid(item_uuid, "risk-log", event),
            "title": title,
            "start": as_datetime(day),
            "props": [{"name": vocab.LOG_EVENT, "ns": vocab.NS, "value": event}],
        }
        if change is not None:
            entry["status-change"] = change
        return entry

    def remediation(self, item_uuid: str, item: LegacyItem) -> Data | None:
        if not (
            item.remediation_plan
            or item.milestones
            or item.resources
            or item.owner
            or item.verification
            or item.evidence
        ):
            return None
        owner_roles = (
            [{"role-id": vocab.OWNER_ROLE, "party-uuids": [self.party(item.owner)]}] if item.owner.strip() else None
        )
        tasks = [self.milestone(item_uuid, n, m, owner_roles) for n, m in enumerate(item.milestones, start=1)]
        if item.verification or item.evidence:
            task: Data = {
                "uuid": stable_uuid(item_uuid, "verification"),
                "type": "action",
                "title": "Verify closure",
                "props": [{"name": vocab.TASK_PURPOSE, "ns": vocab.NS, "value": "verification"}],
            }
            if item.verification:
                task["description"] = md(item.verification)
            links = evidence_links(item.evidence)
            if links:
                task["links"] = links
            if owner_roles:
                task["responsible-roles"] = owner_roles
            tasks.append(task)
        if owner_roles and not tasks:
            tasks.append(
                {
                    "uuid": stable_uuid(item_uuid, "remediation-task"),
                    "type": "action",
                    "title": "Remediate",
                    "responsible-roles": owner_roles,
                }
            )
        data: Data = {
            "uuid": stable_uuid(item_uuid, "remediation"),
            "lifecycle": "planned",
            "title": "Remediation plan",
            "description": md(item.remediation_plan),
        }
        if item.resources:
            data["required-assets"] = [{"uuid": stable_uuid(item_uuid, "resources"), "description": md(item.resources)}]
        if tasks:
            data["tasks"] = tasks
        return data

    @staticmethod
    def milestone(item_uuid: str, number: int, milestone: LegacyMilestone, owner_roles: list[Data] | None) -> Data:
        title = one_line(milestone.description) or f"Milestone {one_line(milestone.milestone_id) or number}"
        pairs = [(vocab.MILESTONE_STATUS, "completed" if milestone.is_completed else "pending")]
        if milestone.completed_on is not None:
            pairs.append((vocab.COMPLETED_ON, milestone.completed_on.isoformat()))
        if milestone.milestone_id:
            pairs.append((vocab.LEGACY_MILESTONE_ID, milestone.milestone_id))
        if milestone.status:
            pairs.append((vocab.LEGACY_STATUS, milestone.status))
        pairs.extend(milestone.extra.items())
        task: Data = {
            "uuid": stable_uuid(item_uuid, "milestone", number),
            "type": "milestone",
            "title": md(title),
            "props": props(pairs),
        }
        if milestone.description:
            task["description"] = md(milestone.description)
        if milestone.scheduled is not None:
            task["timing"] = {"on-date": {"date": as_datetime(milestone.scheduled)}}
        if owner_roles:
            task["responsible-roles"] = owner_roles
        if milestone.comments:
            task["remarks"] = md(milestone.comments)
        return task


def build_poam(items: Sequence[LegacyItem], context: BuildContext) -> BuildResult:
    return Builder(items, context).build()
