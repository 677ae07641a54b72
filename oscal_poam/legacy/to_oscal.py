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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from trestle.oscal.common import (
    Entry,
    Link,
    Metadata,
    Parties,
    Property,
    Response,
    ResponsibleRole,
    Risk,
    Task,
)
from trestle.oscal.poam import PlanOfActionAndMilestones, PoamItem

import oscal_poam.builders as build
from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.catalog import normalize_requirement_id
from oscal_poam.diagnostics import Diagnostic
from oscal_poam.ids import stable_uuid
from oscal_poam.legacy.layouts import HOMELESS_PROPS, PLACED
from oscal_poam.legacy.markup import to_markdown as md
from oscal_poam.legacy.model import LegacyItem, LegacyMilestone, Location, day_of
from oscal_poam.legacy.status import row_status
from oscal_poam.legacy.text import one_line
from oscal_poam.rules import legacy as rules

if TYPE_CHECKING:
    from oscal_poam.cmmc.catalog import Requirement

PROP_VALUE_MAX = 200
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


def as_datetime(day: dt.date) -> dt.datetime:
    """A date-time as read (an export's record keeps time and offset), else midnight UTC of the sheet's day."""
    if isinstance(day, dt.datetime):
        return day if day.tzinfo is not None else day.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


def prop(name: str, text: str) -> Property | None:
    """A prop in the project's namespace; text a prop cannot hold in full goes whole into its remarks."""
    plain = text and "\n" not in text and "  " not in text and "\t" not in text and not text[0].isspace()
    value = text if plain and not text[-1].isspace() else " ".join(text.split())
    if not value:
        return None
    if len(value) > PROP_VALUE_MAX:
        value = value[: PROP_VALUE_MAX - 1].rstrip() + "…"
    return build.prop(name, value, remarks=md(text) if value != text else None)


def props(pairs: Iterable[tuple[str, str]]) -> list[Property]:
    return [p for p in (prop(n, t) for n, t in pairs) if p is not None]


def split_controls(text: str) -> list[str]:
    return [t.strip() for t in _CONTROL_SPLIT.split(text) if t.strip()]


def requirements_of(text: str) -> tuple[list[Requirement], list[str]]:
    """The CMMC requirements a controls cell names, and the parts that name none."""
    found: list[Requirement] = []
    unmapped: list[str] = []
    for token in split_controls(text):
        requirement = normalize_requirement_id(token)
        if requirement is None:
            unmapped.append(token)
        elif requirement not in found:
            found.append(requirement)
    return found, unmapped


_SP800_53 = re.compile(r"(?:NIST\s+)?(?:SP\s+)?(?:800-53\s+)?[A-Z]{2}-\d{1,2}(?:\s*\(\d{1,2}\))?", re.IGNORECASE)


def _what(token: str) -> str:
    """What an unmapped control names, for the message: a NIST SP 800-53 control, or nothing known."""
    if _SP800_53.fullmatch(token.strip()):
        return "is a NIST SP 800-53 control, not a CMMC requirement"
    return "names no CMMC requirement"


def party_type(name: str) -> str:
    return "organization" if _ORGANIZATION_HINT.search(name) else "person"


def evidence_links(text: str) -> list[Link]:
    links = []
    for entry in (line.strip() for line in text.splitlines()):
        if not entry:
            continue
        href = quote(entry, safe="/:._-~#?&=%+@,;()!$'*[]")
        links.append(build.link(href, vocab.EVIDENCE_REL, md(" ".join(entry.split())) if href != entry else None))
    return links


class Builder:
    def __init__(self, items: Sequence[LegacyItem], context: BuildContext) -> None:
        self.items = items
        self.context = context
        self.diagnostics: list[Diagnostic] = []
        self.unmapped: list[UnmappedRequirement] = []
        self.parties: dict[str, Parties] = {}
        self.risks: list[Risk] = []
        self.levels: set[int] = set()

    def diag(self, made: Diagnostic) -> None:
        self.diagnostics.append(made)

    def build(self) -> BuildResult:
        poam_items = [self.item(index, item) for index, item in enumerate(self.items)]
        level = next(iter(self.levels)) if len(self.levels) == 1 else None
        system_id = None
        if self.context.system_id:
            system_id = build.system_id(self.context.system_id, self.context.system_id_type)
        model = build.plan_of_action(
            stable_uuid("legacy-poam", self.context.system_id or self.context.system_name or self.context.source),
            self.metadata(level),
            poam_items,
            import_ssp=self.context.import_ssp or None,
            system_id=system_id,
            risks=self.risks,
        )
        return BuildResult(model, self.diagnostics, self.unmapped, level)

    def metadata(self, level: int | None) -> Metadata:
        name = self.context.system_name
        title = f"Plan of Action and Milestones: {name}" if name else "Plan of Action and Milestones"
        pairs = [(vocab.LEVEL, str(level))] if level is not None else []
        pairs.extend(self.context.metadata_props.items())
        parties = sorted(self.parties.values(), key=lambda p: (str(p.name), str(p.uuid)))
        return build.metadata(
            f"{title} (imported from {self.context.source})",
            self.context.last_modified,
            props=props(pairs),
            roles=[build.role(vocab.OWNER_ROLE, OWNER_ROLE_TITLE)] if self.parties else (),
            parties=parties,
            remarks="\n\n".join(md(b) for b in self.context.banners) or None,
        )

    def party(self, owner: str) -> str:
        name = " ".join(owner.split())
        if name not in self.parties:
            uuid = stable_uuid("legacy-party", name)
            self.parties[name] = build.party(uuid, party_type(name), name, md(owner) if name != owner else None)
        return str(self.parties[name].uuid)

    # -- one item ------------------------------------------------------------------------------------------

    def item(self, index: int, item: LegacyItem) -> PoamItem:
        keys = self.context.item_keys.get(index) or ("row", item.sheet, item.location.row if item.location else index)
        uuid = stable_uuid("legacy-item", *keys)
        requirements, unmapped = requirements_of(item.controls)
        where = item.cells.get("controls")
        for token in unmapped:
            self.unmapped.append(UnmappedRequirement(where, token))
            self.diag(
                rules.REQUIREMENT_UNMAPPED.diag(
                    f"{token!r} {_what(token)}; kept as written in item prop {vocab.LEGACY_CONTROLS}",
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
        pairs.extend(
            (PLACED[name].name, one)
            for name, value in item.placed.items()
            if not PLACED[name].task
            for one in PLACED[name].values(value)
        )
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
        return build.poam_item(
            uuid,
            md(title),
            md(item.description),
            props=props(pairs),
            related_risks=[str(risk.uuid)],
            remarks=md(item.comments) if item.comments else None,
        )

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
        status, known = row_status(item)
        if not known:
            where = item.cells.get("status")
            self.diag(
                rules.STATUS_UNKNOWN.diag(
                    f"status {item.status!r} is not a known status; the risk status is {status}",
                    where.ref if where else "",
                    self.context.source,
                    item.poam_id,
                )
            )
        return status

    def risk(self, item_uuid: str, item: LegacyItem, title: str) -> Risk:
        status = self.risk_status(item)
        remediation = self.remediation(item_uuid, item)
        return build.risk(
            stable_uuid(item_uuid, "risk"),
            md(title),
            md(item.description),
            md(item.description),
            status,
            deadline=as_datetime(item.scheduled) if item.scheduled is not None else None,
            remediations=[remediation] if remediation is not None else (),
            log=self.log(item_uuid, item, status),
        )

    def log(self, item_uuid: str, item: LegacyItem, status: str) -> list[Entry]:
        entries: list[tuple[dt.date, int, Entry]] = []
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
        return [e for _, _, e in sorted(entries, key=lambda t: (day_of(t[0]), t[1]))]

    @staticmethod
    def entry(item_uuid: str, event: str, day: dt.date, title: str, change: str | None) -> Entry:
        return build.log_entry(
            stable_uuid(item_uuid, "risk-log", event),
            title,
            as_datetime(day),
            status_change=change,
            props=[build.prop(vocab.LOG_EVENT, event)],
        )

    def remediation(self, item_uuid: str, item: LegacyItem) -> Response | None:
        on_tasks: dict[str, list[tuple[str, str]]] = {}
        for name, value in item.placed.items():
            place = PLACED[name]
            if place.task and (values := place.values(value)):
                on_tasks.setdefault(place.task, []).extend((place.name, one) for one in values)
        if not (
            item.remediation_plan
            or item.milestones
            or item.resources
            or item.owner
            or item.verification
            or item.evidence
            or on_tasks
        ):
            return None
        owners = [build.responsible_role(vocab.OWNER_ROLE, [self.party(item.owner)])] if item.owner.strip() else []
        tasks = [self.milestone(item_uuid, n, m, owners) for n, m in enumerate(item.milestones, start=1)]
        if item.verification or item.evidence or "verification" in on_tasks:
            tasks.append(
                build.task(
                    stable_uuid(item_uuid, "verification"),
                    "action",
                    "Verify closure",
                    description=md(item.verification) if item.verification else None,
                    props=[build.prop(vocab.TASK_PURPOSE, "verification"), *props(on_tasks.pop("verification", []))],
                    links=evidence_links(item.evidence),
                    responsible_roles=owners,
                )
            )
        for purpose, pairs in on_tasks.items():
            tasks.append(
                build.task(
                    stable_uuid(item_uuid, purpose),
                    "action",
                    purpose.capitalize(),
                    props=[build.prop(vocab.TASK_PURPOSE, purpose), *props(pairs)],
                    responsible_roles=owners,
                )
            )
        if owners and not tasks:
            tasks.append(
                build.task(stable_uuid(item_uuid, "remediation-task"), "action", "Remediate", responsible_roles=owners)
            )
        assets = (
            [build.required_asset(stable_uuid(item_uuid, "resources"), md(item.resources))] if item.resources else []
        )
        return build.remediation(
            stable_uuid(item_uuid, "remediation"),
            "Remediation plan",
            md(item.remediation_plan),
            tasks=tasks,
            required_assets=assets,
        )

    @staticmethod
    def milestone(item_uuid: str, number: int, milestone: LegacyMilestone, owners: list[ResponsibleRole]) -> Task:
        title = milestone.title or f"Milestone {one_line(milestone.milestone_id) or number}"
        pairs = [(vocab.MILESTONE_STATUS, "completed" if milestone.is_completed else "pending")]
        if milestone.completed_on is not None:
            pairs.append((vocab.COMPLETED_ON, day_of(milestone.completed_on).isoformat()))
        if milestone.milestone_id:
            pairs.append((vocab.LEGACY_MILESTONE_ID, milestone.milestone_id))
        if milestone.status:
            pairs.append((vocab.LEGACY_STATUS, milestone.status))
        pairs.extend(milestone.extra.items())
        return build.task(
            stable_uuid(item_uuid, "milestone", number),
            "milestone",
            md(title),
            description=md(milestone.description) if milestone.description else None,
            props=props(pairs),
            on_date=as_datetime(milestone.scheduled) if milestone.scheduled is not None else None,
            responsible_roles=owners,
            remarks=md(milestone.comments) if milestone.comments else None,
        )


def item_keys(
    items: list[LegacyItem], system_key: str, source: str
) -> tuple[dict[int, tuple[str, ...]], list[Diagnostic]]:
    counts = Counter(i.poam_id for i in items if i.poam_id)
    keys: dict[int, tuple[str, ...]] = {}
    notes: list[Diagnostic] = []
    seen: dict[str, LegacyItem] = {}
    for index, item in enumerate(items):
        row = item.location.row if item.location else index
        if item.poam_id and counts[item.poam_id] == 1:
            keys[index] = (system_key, "id", item.poam_id)
            continue
        keys[index] = (system_key, "row", item.sheet, str(row))
        if item.poam_id:
            first = seen.setdefault(item.poam_id, item)
            if first is not item and item.location is not None:
                where = first.location.describe() if first.location else "another row"
                notes.append(
                    rules.DUPLICATE_ID.diag(
                        f"POA&M ID {item.poam_id!r} at {item.location.describe()} was already used at {where}",
                        item.location.ref,
                        source,
                        item.poam_id,
                    )
                )
    return keys, notes


def build_poam(items: Sequence[LegacyItem], context: BuildContext) -> BuildResult:
    return Builder(items, context).build()
