"""The columns of legacy POA&M spreadsheets: canonical fields, their header aliases, and known layouts.

Columns are matched by header text, never by position: a header is reduced to lowercase letters and
digits (`POA&M Item ID`, `poam item id` and `POAM_Item_ID` are one header), then looked up among the
aliases of every canonical field. A column that matches no field is kept as an item prop named after
its header (`legacy-<header-token>`), so nothing in the sheet is lost.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from oscal_poam.cmmc import vocab

FieldKind = Literal["text", "date"]
Scope = Literal["item", "milestone"]
LayoutName = Literal["fedramp", "emass", "emass-2018", "generic"]
LAYOUTS: tuple[LayoutName, ...] = ("fedramp", "emass", "emass-2018", "generic")


@dataclass(frozen=True)
class PropPlace:
    """A field held in one prop of the project's namespace: on the item, or on the planned remediation's task
    whose `cmmc-task-purpose` is `task` (made when the field has a value and no such task exists)."""

    name: str
    task: str | None = None
    many: bool = False
    """One prop per line of the cell (several values, each a prop of its own); else the cell is one prop."""

    def values(self, cell: str) -> list[str]:
        """The prop values a cell holds."""
        if not self.many:
            return [cell] if cell else []
        return [line.strip() for line in cell.splitlines() if line.strip()]

    def cell(self, values: Sequence[str]) -> str:
        """The cell that holds these prop values (the first alone, where the field is one prop)."""
        if not self.many:
            return next(iter(values), "")
        return "\n".join(values)


@dataclass(frozen=True)
class Field:
    """A canonical POA&M field and the OSCAL place it goes to (docs/conventions.md)."""

    name: str
    label: str
    home: str
    aliases: tuple[str, ...]
    kind: FieldKind = "text"
    scope: Scope = "item"
    identifying: bool = False
    """A value here starts a new POA&M item (other item fields may repeat on milestone rows)."""
    carried: bool = False
    """Exports carry it in every layout: where a template has no column for it, a column is added after the
    template's own (headed by the label), so that editing the sheet and importing it back loses nothing."""
    place: PropPlace | None = None
    """Where a field kept in one prop lives; import, export and import --onto read and write it there."""


def _f(
    name: str,
    label: str,
    home: str,
    aliases: Iterable[str],
    kind: FieldKind = "text",
    scope: Scope = "item",
    identifying: bool = False,
    carried: bool = False,
    place: PropPlace | None = None,
) -> Field:
    return Field(name, label, home, (label, *aliases), kind, scope, identifying, carried, place)


# Each entry maps the columns that name one field (its label and aliases) to its place in OSCAL. A field held in
# one prop is one entry here and nothing else: `place=PropPlace(prop, task=purpose)` says where it lives,
# `carried=True` adds its column to every export whose template lacks one, and the readers, the exporter and
# `import --onto` find it by its name (LegacyItem.placed holds its value).


FIELDS: tuple[Field, ...] = (
    _f(
        "poam_id",
        "POAM ID",
        "item prop legacy-poam-id",
        [
            "POA&M ID",
            "POA&M Item ID",
            "POAM Item ID",
            "Item ID",
            "ID",
            "POAM #",
            "POA&M #",
            "POAM Number",
            "POA&M Number",
            "Item Number",
            "Item No",
            "Item",
            "#",
            "No",
            "Number",
            "Ref",
            "Reference",
            "Finding ID",
            "Weakness ID",
            "Issue ID",
            "Tracking ID",
            "Tracking Number",
        ],
        identifying=True,
    ),
    _f(
        "controls",
        "Controls",
        "item prop cmmc-requirement (and legacy-controls as written)",
        [
            "Control",
            "Controls / APs",
            "Controls/APs",
            "Control ID",
            "Control IDs",
            "Control Number",
            "Control(s)",
            "Security Control",
            "Security Controls",
            "Requirement",
            "Requirements",
            "Requirement ID",
            "Security Requirement",
            "CMMC Requirement",
            "CMMC Requirement ID",
            "CMMC Practice",
            "CMMC ID",
            "Practice",
            "Practice ID",
            "NIST ID",
            "NIST 800-171",
            "NIST SP 800-171",
            "NIST SP 800-171 Requirement",
            "800-171 Requirement",
            "800-171 Control",
            "NIST Control",
            "Affected Control",
            "Affected Controls",
            "Security Control Number",
            "Security Control Number (NC/NA controls only)",
            "Security Control Number (NC/NH/NI)",
        ],
        identifying=True,
    ),
    _f(
        "weakness_name",
        "Weakness Name",
        "item title (item prop legacy-weakness-name)",
        [
            "Weakness",
            "Weakness Title",
            "Title",
            "Finding",
            "Finding Title",
            "Finding Name",
            "Issue",
            "Issue Title",
            "Gap",
            "Gap Title",
            "Deficiency Title",
            "Name",
            "Vulnerability",
            "Vulnerability Title",
        ],
        identifying=True,
        carried=True,
    ),
    _f(
        "description",
        "Weakness Description",
        "item description, risk description",
        [
            "Description",
            "Control Vulnerability Description",
            "Vulnerability Description",
            "Finding Description",
            "Gap Description",
            "Issue Description",
            "Deficiency",
            "Deficiency Description",
            "Weakness Details",
            "Details",
            "Observation",
            "Observations",
            "Problem Description",
        ],
        identifying=True,
    ),
    _f(
        "detector_source",
        "Weakness Detector Source",
        "item prop legacy-weakness-detector-source",
        [
            "Identification Source",
            "Detector Source",
            "Detection Source",
            "Source",
            "Finding Source",
            "Source of Finding",
            "Source Identifying Weakness",
            "Source Identifying Control Weakness",
            "Source Identifying Vulnerability",
            "Source Identifying Control Vulnerability",
            "Source of Weakness",
            "Identified By",
            "Found By",
        ],
    ),
    _f(
        "source_identifier",
        "Weakness Source Identifier",
        "item prop legacy-weakness-source-identifier",
        [
            "Security Checks",
            "Source Identifier",
            "Plugin ID",
            "Check ID",
            "Scan ID",
            "STIG ID",
            "Rule ID",
            "Vulnerability ID",
        ],
    ),
    _f(
        "asset_identifier",
        "Asset Identifier",
        "item prop legacy-asset-identifier",
        [
            "Devices Affected",
            "Affected Devices",
            "Assets",
            "Asset",
            "Affected Assets",
            "Affected Systems",
            "Affected System",
            "Asset ID",
            "Hostname",
            "Hostnames",
            "Hosts",
            "System Component",
            "Components",
        ],
    ),
    _f(
        "owner",
        "Point of Contact",
        "responsible-roles remediation-owner on the planned remediation's tasks, party in metadata",
        [
            "POC",
            "Office/Org",
            "Office / Org",
            "Owner",
            "Remediation Owner",
            "Responsible Party",
            "Responsible",
            "Responsible Person",
            "Responsible Individual",
            "Assigned To",
            "Assignee",
            "Accountable",
            "Action Owner",
            "Point of Contact (POC)",
            "POC Name",
        ],
    ),
    _f(
        "resources",
        "Resources Required",
        "the planned remediation's required-assets",
        [
            "Resources",
            "Required Resources",
            "Resource Requirements",
            "Resource Estimate",
            "Cost",
            "Estimated Cost",
            "Cost Estimate",
            "Budget",
            "Level of Effort",
            "LOE",
            "Funding",
        ],
    ),
    _f(
        "remediation_plan",
        "Overall Remediation Plan",
        "the planned remediation's description",
        [
            "Remediation Plan",
            "Remediation",
            "Corrective Action",
            "Corrective Actions",
            "Corrective Action Plan",
            "Planned Action",
            "Planned Actions",
            "Plan of Action",
            "Action Plan",
            "Mitigation Plan",
            "Remediation Steps",
            "Remediation Action",
            "Fix",
            "Planned Remediation",
        ],
        carried=True,
    ),
    _f(
        "detected",
        "Original Detection Date",
        "risk-log entry with cmmc-log-event detected",
        [
            "Detection Date",
            "Date Detected",
            "Date Identified",
            "Identified Date",
            "Identification Date",
            "Date Found",
            "Discovery Date",
            "Date Discovered",
            "Date Opened",
            "Open Date",
            "Opened",
            "Date Created",
            "Created",
        ],
        kind="date",
        carried=True,
    ),
    _f(
        "scheduled",
        "Scheduled Completion Date",
        "risk deadline",
        [
            "POA&M Scheduled Completion Date",
            "POAM Scheduled Completion Date",
            "Planned Completion Date",
            "Estimated Completion Date",
            "Target Completion Date",
            "Target Date",
            "Due Date",
            "Due",
            "Deadline",
            "ECD",
            "Scheduled Completion",
        ],
        kind="date",
    ),
    _f(
        "milestones_text",
        "Planned Milestones",
        "tasks of type milestone (one per line of the cell)",
        [
            "Milestones",
            "Milestone with Completion Dates",
            "Milestones with Completion Dates",
            "Milestones with Dates",
            "Planned Milestones and Dates",
            "Interim Milestones",
            "Milestone Plan",
        ],
    ),
    _f(
        "status_date",
        "Status Date",
        "risk-log entry with cmmc-log-event status (the latest entry)",
        [
            "Last Updated",
            "Last Update",
            "Date Updated",
            "Updated",
            "Update Date",
            "As Of",
            "As Of Date",
            "Date of Status",
            "Status As Of",
            "Last Status Date",
            "Last Reviewed",
            "Review Date",
        ],
        kind="date",
        carried=True,
    ),
    _f(
        "status",
        "Status",
        "risk status (item prop legacy-status as written)",
        ["POA&M Status", "POAM Status", "Item Status", "Current Status", "State", "Overall Status"],
        carried=True,
    ),
    _f(
        "completed",
        "Completion Date",
        "risk-log entry with status-change closed and cmmc-log-event completed",
        [
            "POA&M Completion Date",
            "POAM Completion Date",
            "Actual Completion Date",
            "Date Completed",
            "Completed On",
            "Completed Date",
            "Closed Date",
            "Date Closed",
            "Closure Date",
            "Close Date",
            "Date Remediated",
            "Remediation Date",
        ],
        kind="date",
        carried=True,
    ),
    _f(
        "root_cause",
        "Root Cause",
        "item prop cmmc-root-cause",
        ["Cause", "Root Cause Analysis", "Reason", "Why"],
        carried=True,
        place=PropPlace(vocab.ROOT_CAUSE),
    ),
    _f(
        "verification",
        "Verification Method",
        "a task of type action with cmmc-task-purpose verification",
        [
            "Verification",
            "How Verified",
            "Validation Method",
            "Closure Verification",
            "Verification Plan",
            "Method of Verification",
        ],
        carried=True,
    ),
    _f(
        "evidence",
        "Closure Evidence",
        "links with rel evidence on the verification task",
        ["Evidence", "Evidence of Closure", "Artifacts", "Closure Artifacts", "Evidence Links"],
        carried=True,
    ),
    _f(
        "verification_checks",
        "Verification Checks",
        "task props cmmc-verification-check on the verification task, one per line",
        ["Verification Check", "Automated Checks", "Automated Verification", "Verification Pointers"],
        carried=True,
        place=PropPlace(vocab.VERIFICATION_CHECK, task="verification", many=True),
    ),
    _f(
        "original_risk_rating",
        "Original Risk Rating",
        "item prop legacy-original-risk-rating",
        ["Raw Severity", "Raw Severity Value", "Risk Rating", "Initial Risk Rating", "Original Risk"],
    ),
    _f("comments", "Comments", "item remarks", ["Comment", "Notes", "Note", "Remarks", "Additional Comments"]),
    _f(
        "milestone_id",
        "Milestone ID",
        "milestone task prop legacy-milestone-id",
        ["Milestone #", "Milestone Number", "Milestone No"],
        scope="milestone",
    ),
    _f(
        "milestone_description",
        "Milestone Description",
        "milestone task title and description",
        ["Milestone", "Milestone Name", "Milestone Title"],
        scope="milestone",
    ),
    _f(
        "milestone_status",
        "Milestone Status",
        "milestone task prop cmmc-milestone-status (legacy-status as written)",
        ["Milestone State"],
        scope="milestone",
    ),
    _f(
        "milestone_comments",
        "Milestone Status Comments",
        "milestone task remarks",
        ["Milestone Comments", "Milestone Notes", "Milestone Remarks"],
        scope="milestone",
    ),
    _f(
        "milestone_scheduled",
        "Milestone Scheduled Completion Date",
        "milestone task timing.on-date.date",
        [
            "Milestone Date",
            "Milestone Due Date",
            "Milestone Target Date",
            "Milestone Scheduled Date",
            "Milestone Planned Date",
            "Milestone Scheduled Completion",
        ],
        kind="date",
        scope="milestone",
    ),
    _f(
        "milestone_completed",
        "Milestone Completion Date",
        "milestone task prop cmmc-completed-on",
        [
            "Milestone Completed",
            "Milestone Completed Date",
            "Milestone Completed On",
            "Milestone Actual Completion Date",
            "Milestone Date Completed",
        ],
        kind="date",
        scope="milestone",
    ),
)

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
PLACED: dict[str, PropPlace] = {f.name: f.place for f in FIELDS if f.place is not None}
"""The fields held in one prop, by name."""

HOMELESS_PROPS: dict[str, str] = {
    "poam_id": "legacy-poam-id",
    "weakness_name": "legacy-weakness-name",
    "detector_source": "legacy-weakness-detector-source",
    "source_identifier": "legacy-weakness-source-identifier",
    "asset_identifier": "legacy-asset-identifier",
    "original_risk_rating": "legacy-original-risk-rating",
}
"""Canonical fields with no OSCAL place of their own: one prop name whatever the column is called."""


@functools.lru_cache(maxsize=4096)
def normalize_header(text: str) -> str:
    """The form headers are compared in: lowercase letters and digits only; `#` reads as `id`."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("#", " id ")
    return re.sub(r"[^0-9a-z]", "", folded)


@functools.lru_cache(maxsize=4096)
def header_token(text: str) -> str:
    """A header as an OSCAL token: `POA&M Requested Risk Accepted Expiration Date` -> `poam-requested-...`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = ascii_text.replace("&", "").replace("#", " id ")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


ALIASES: dict[str, str] = {}
for _field in FIELDS:
    for _alias in _field.aliases:
        ALIASES.setdefault(normalize_header(_alias), _field.name)
    ALIASES.setdefault(normalize_header(_field.name.replace("_", " ")), _field.name)


@dataclass(frozen=True)
class LayoutColumn:
    header: str
    field: str | None
    """The canonical field, or None: a column of this layout only, kept as `legacy-<header-token>`."""


@dataclass(frozen=True)
class Layout:
    name: LayoutName
    title: str
    header_row: int
    first_column: int
    columns: tuple[LayoutColumn, ...]
    sheets: tuple[str, ...]
    milestone_rows: bool
    """One row per milestone, item fields on the item's first row (eMASS)."""
    template: str = ""
    """The template workbook exports fill (in oscal_poam/legacy/templates); '' for a layout only read."""

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def added(self) -> tuple[LayoutColumn, ...]:
        """The carried fields the template has no column for: exports add them after the template's columns."""
        own = {c.field for c in self.columns}
        if "milestones_text" in own or "milestone_description" in own:
            own |= {"milestones_text", "milestone_description"}
        return tuple(LayoutColumn(f.label, f.name) for f in FIELDS if f.carried and f.name not in own)


def _cols(pairs: Sequence[tuple[str, str | None]]) -> tuple[LayoutColumn, ...]:
    return tuple(LayoutColumn(h, f) for h, f in pairs)


FEDRAMP = Layout(
    name="fedramp",
    title="FedRAMP POA&M Template v2.1",
    header_row=5,
    first_column=1,
    columns=_cols(
        [
            ("POAM ID", "poam_id"),
            ("Controls", "controls"),
            ("Weakness Name", "weakness_name"),
            ("Weakness Description", "description"),
            ("Weakness Detector Source", "detector_source"),
            ("Weakness Source Identifier", "source_identifier"),
            ("Asset Identifier", "asset_identifier"),
            ("Point of Contact", "owner"),
            ("Resources Required", "resources"),
            ("Overall Remediation Plan", "remediation_plan"),
            ("Original Detection Date", "detected"),
            ("Scheduled Completion Date", "scheduled"),
            ("Planned Milestones", "milestones_text"),
            ("Milestone Changes", None),
            ("Status Date", "status_date"),
            ("Vendor Dependency", None),
            ("Last Vendor Check-in Date", None),
            ("Vendor Dependent Product Name", None),
            ("Original Risk Rating", "original_risk_rating"),
            ("Adjusted Risk Rating", None),
            ("Risk Adjustment", None),
            ("False Positive", None),
            ("Operational Requirement", None),
            ("Deviation Rationale", None),
            ("Supporting Documents", None),
            ("Comments", "comments"),
            ("Auto-Approve", None),
            ("Binding Operational Directive 22-01 tracking", None),
            ("Binding Operational Directive 22-01 Due Date", None),
            ("CVE", None),
            ("Service Name", None),
        ]
    ),
    sheets=("Open POA&M Items", "Closed POA&M Items", "Configuration Findings"),
    milestone_rows=False,
    template="FedRAMP-POAM-Template.xlsx",
)

_RISK_ANALYSIS: list[tuple[str, str | None]] = [
    ("Predisposing Conditions", None),
    ("Severity", None),
    ("Relevance of Threat", None),
    ("Threat Description", None),
    ("Likelihood", None),
    ("Impact", None),
    ("Impact Description", None),
    ("Residual Risk Level", None),
    ("Recommendations", None),
]
"""The risk analysis columns every eMASS layout ends with (each kept as a `legacy-*` prop)."""

EMASS = Layout(
    name="emass",
    title="eMASS POA&M import template",
    header_row=7,
    first_column=2,
    columns=_cols(
        [
            ("POA&M Item ID", "poam_id"),
            ("Control Vulnerability Description", "description"),
            ("Controls / APs", "controls"),
            ("Security Checks", "source_identifier"),
            ("POA&M Status", "status"),
            ("POA&M Scheduled Completion Date", "scheduled"),
            ("POA&M Requested Risk Accepted Expiration Date", None),
            ("POA&M Completion Date", "completed"),
            ("Milestone ID", "milestone_id"),
            ("Milestone Description", "milestone_description"),
            ("Milestone Status", "milestone_status"),
            ("Milestone Status Comments", "milestone_comments"),
            ("Milestone Scheduled Completion Date", "milestone_scheduled"),
            ("Milestone Completion Date", "milestone_completed"),
            ("Identification Source", "detector_source"),
            ("Identification Source Details", None),
            ("Office/Org", "owner"),
            ("Resources Required", "resources"),
            ("Comments", "comments"),
            ("Raw Severity", "original_risk_rating"),
            ("Devices Affected", "asset_identifier"),
            ("Mitigations (in-house and in conjunction with the Navy CSSP)", None),
            *_RISK_ANALYSIS,
            ("Resulting Residual Risk after Proposed Mitigations", None),
        ]
    ),
    sheets=("POA&M",),
    milestone_rows=True,
    template="NAVY_eMASS_TEMPLATE.xlsx",
)

EMASS_2018 = Layout(
    name="emass-2018",
    title="eMASS POA&M export (2018 layout)",
    header_row=7,
    first_column=1,
    columns=_cols(
        [
            ("POA&M Item ID", "poam_id"),
            ("Control Vulnerability Description", "description"),
            ("Security Control Number (NC/NA controls only)", "controls"),
            ("Office/Org", "owner"),
            ("Security Checks", "source_identifier"),
            ("Resources Required", "resources"),
            ("Scheduled Completion Date", "scheduled"),
            ("Milestone with Completion Dates", "milestones_text"),
            ("Milestone Changes", None),
            ("Source Identifying Vulnerability", "detector_source"),
            ("Status", "status"),
            ("Comments", "comments"),
            ("Raw Severity", "original_risk_rating"),
            ("Devices Affected", "asset_identifier"),
            ("Mitigations", None),
            *_RISK_ANALYSIS,
        ]
    ),
    sheets=("POA&M",),
    milestone_rows=True,
)
"""Read only: eMASS exports before the milestone columns, one milestone per row in `Milestone with Completion
Dates` (the dates written in the text), controls in `Security Control Number (...)`."""

KNOWN_LAYOUTS: dict[str, Layout] = {"fedramp": FEDRAMP, "emass": EMASS, "emass-2018": EMASS_2018}
EXPORT_LAYOUTS: tuple[str, ...] = ("fedramp", "emass")

_LAYOUT_HEADERS: dict[str, frozenset[str]] = {
    name: frozenset(normalize_header(h) for h in layout.headers()) for name, layout in KNOWN_LAYOUTS.items()
}
_LAYOUT_ONLY: dict[str, dict[str, str]] = {
    name: {normalize_header(c.header): c.header for c in layout.columns if c.field is None}
    for name, layout in KNOWN_LAYOUTS.items()
}


def layout_field(layout: str, normalized: str) -> str | None:
    """The canonical field a layout's own header names, if the header is one of that layout's columns."""
    known = KNOWN_LAYOUTS.get(layout)
    if known is None:
        return None
    for column in known.columns:
        if normalize_header(column.header) == normalized:
            return column.field
    return None


def detect_layout(headers: Iterable[str]) -> LayoutName:
    """The known layout whose headers a sheet's header row shares most (at least half), else generic."""
    seen = {normalize_header(h) for h in headers if h}
    best: LayoutName = "generic"
    best_score = 0
    for name, known in _LAYOUT_HEADERS.items():
        score = len(seen & known)
        if score * 2 >= len(known) and score > best_score:
            best, best_score = name, score  # type: ignore[assignment]
    return best


_QUALIFIER = re.compile(r"\([^()]*\)")


def match_field(header: str, overrides: Mapping[str, str] | None = None) -> str | None:
    """The canonical field a header names, `overrides` (normalized header -> field) first.

    A header no alias knows is tried again without what it says in brackets: `Security Control Number (NC/NA
    controls only)` is a `Security Control Number`, whatever a template's version writes in the brackets.
    """
    key = normalize_header(header)
    if not key:
        return None
    if overrides and key in overrides:
        return overrides[key]
    found = ALIASES.get(key)
    if found is None and "(" in header:
        bare = normalize_header(_QUALIFIER.sub(" ", header))
        found = ALIASES.get(bare) if bare else None
    return found
