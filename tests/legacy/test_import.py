"""Filled FedRAMP and eMASS sheets and ad-hoc CSV files become OSCAL POA&M items in the conventions' places."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.cmmc import vocab
from oscal_poam.errors import LoadError
from oscal_poam.io.write import to_data
from oscal_poam.legacy.api import ImportResult, import_poam
from oscal_poam.legacy.mapping import parse_mapping
from tests.legacy import sheets

AS_OF = dt.date(2025, 11, 10)


@pytest.fixture(scope="module")
def fedramp(tmp_path_factory: pytest.TempPathFactory) -> ImportResult:
    path = sheets.fedramp_workbook(tmp_path_factory.mktemp("fedramp") / "poam.xlsx")
    return import_poam(path, as_of=AS_OF)


@pytest.fixture(scope="module")
def emass(tmp_path_factory: pytest.TempPathFactory) -> ImportResult:
    path = sheets.emass_workbook(tmp_path_factory.mktemp("emass") / "emass.xlsx")
    return import_poam(path, as_of=AS_OF)


def poam_data(result: ImportResult) -> dict[str, Any]:
    assert result.poam is not None
    data: dict[str, Any] = to_data(result.poam)["plan-of-action-and-milestones"]
    return data


def props_of(obj: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for p in obj.get("props", []):
        assert p["ns"] == vocab.NS
        found.setdefault(p["name"], []).append(p.get("remarks", p["value"]))
    return found


def risk_of(data: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    (risk,) = [r for r in data["risks"] if r["uuid"] == item["related-risks"][0]["risk-uuid"]]
    return risk


def test_fedramp_sheets_and_statuses(fedramp: ImportResult) -> None:
    assert fedramp.summary.layout == "fedramp"
    assert [(s.name, s.items) for s in fedramp.summary.sheets] == [
        ("Open POA&M Items", 3),
        ("Closed POA&M Items", 1),
        ("Configuration Findings", 1),
    ]
    data = poam_data(fedramp)
    statuses = [risk_of(data, i)["status"] for i in data["poam-items"]]
    assert statuses == ["open", "open", "open", "closed", "open"]
    sheets_of = [props_of(i)[vocab.LEGACY_SHEET] for i in data["poam-items"]]
    assert sheets_of[3] == ["Closed POA&M Items"] and sheets_of[4] == ["Configuration Findings"]


def test_fedramp_item_in_the_conventions_places(fedramp: ImportResult) -> None:
    data = poam_data(fedramp)
    item = data["poam-items"][0]
    assert item["title"] == "AC.L2-3.1.1 Authorized Access Control"
    assert item["description"].startswith("The boundary firewall fw01")
    assert item["remarks"] == "Tracked in change ticket CHG-4411."
    props = props_of(item)
    assert props[vocab.REQUIREMENT] == ["AC.L2-3.1.1"]
    assert vocab.LEGACY_CONTROLS not in props  # the cell said exactly the requirement
    assert props["legacy-poam-id"] == ["V-001"]
    assert props["legacy-weakness-name"] == ["Shared administrator account on the boundary firewall"]
    assert props["legacy-weakness-detector-source"] == ["Self-assessment"]
    assert props["legacy-asset-identifier"] == ["fw01.corp.example"]
    assert props["legacy-adjusted-risk-rating"] == ["Moderate"]
    assert props["legacy-supporting-documents"] == ['=HYPERLINK("http://evil.example/x")']

    risk = risk_of(data, item)
    assert risk["deadline"] == "2026-01-15T00:00:00Z"
    assert [(e["start"], e.get("status-change"), e["props"][0]["value"]) for e in risk["risk-log"]["entries"]] == [
        ("2025-09-02T00:00:00Z", "open", "detected"),
        ("2025-11-01T00:00:00Z", "open", "status"),
    ]
    (plan,) = risk["remediations"]
    assert plan["lifecycle"] == "planned"
    assert plan["description"].startswith("Create named administrator accounts")
    assert [a["description"] for a in plan["required-assets"]] == ["40 hours of network engineer time"]
    milestones = [t for t in plan["tasks"] if t["type"] == "milestone"]
    assert [t["timing"]["on-date"]["date"][:10] for t in milestones] == ["2025-10-15", "2025-11-15", "2025-12-15"]
    assert [props_of(t)[vocab.MILESTONE_STATUS] for t in milestones] == [["pending"]] * 3

    owner_roles = {r["role-id"]: r["party-uuids"] for t in plan["tasks"] for r in t["responsible-roles"]}
    (party,) = [p for p in data["metadata"]["parties"] if p["uuid"] in owner_roles[vocab.OWNER_ROLE]]
    assert (party["name"], party["type"]) == ("Jane Smith", "person")
    assert {"id": vocab.OWNER_ROLE, "title": "Remediation owner"} in data["metadata"]["roles"]


def test_controls_that_say_more_than_the_requirement_are_kept(fedramp: ImportResult) -> None:
    items = poam_data(fedramp)["poam-items"]
    second, third = props_of(items[1]), props_of(items[2])
    assert second[vocab.REQUIREMENT] == ["AC.L2-3.1.5"]
    assert second[vocab.LEGACY_CONTROLS] == ["3.1.5; AC-6"]
    assert third[vocab.REQUIREMENT] == ["IA.L2-3.5.3"]
    assert third[vocab.LEGACY_CONTROLS] == ["IA.L2-3.5.3[a]"]
    assert [u.text for u in fedramp.summary.unmapped_requirements] == ["AC-6"]


def test_placeholders_and_long_text_are_kept(fedramp: ImportResult) -> None:
    items = poam_data(fedramp)["poam-items"]
    third = items[2]
    props = {p["name"]: p for p in third["props"]}
    assert props["legacy-scheduled-completion-date"]["value"] == "TBD"
    changes = props["legacy-milestone-changes"]
    # Markdown, with a hard line break where the cell had a line break.
    assert changes["remarks"] == "Vendor selection slipped\\\nbecause the budget was approved late."
    assert "\n" not in changes["value"]
    notes = [d for d in fedramp.diagnostics if d.rule_id == "legacy-date-placeholder"]
    assert [d.pointer for d in notes] == ["'Open POA&M Items'!L8"]


def test_the_sheet_header_block_becomes_metadata(fedramp: ImportResult) -> None:
    meta = poam_data(fedramp)["metadata"]
    props = props_of(meta)
    assert props["legacy-csp"] == ["Acme Cloud"]
    assert props["legacy-system-name"] == ["Acme CUI Enclave"]
    assert props["legacy-poam-date"] == ["2025-11-10"]
    assert props[vocab.LEVEL] == ["2"]
    assert meta["title"] == "Plan of Action and Milestones: Acme CUI Enclave (imported from poam.xlsx)"
    assert meta["last-modified"] == "2025-11-10T00:00:00Z"
    assert "FedRAMP® Plan of Action and Milestones (POA&M) Template" in meta["remarks"]


def test_the_rules_run_after_import(fedramp: ImportResult) -> None:
    rules = {d.rule_id for d in fedramp.diagnostics}
    assert "credibility-owner-is-team" in rules  # "IT Operations" and "Web Team Lead"
    assert "poam-item-not-eligible" in rules  # AC.L2-3.1.1 is worth 5 points
    assert "credibility-milestone-undated" in rules  # V-003's milestones have no dates
    flagged = {d.subject for d in fedramp.diagnostics if d.rule_id == "credibility-owner-is-team"}
    assert flagged == {"AC.L2-3.1.5", "CM.L2-3.4.2"}


def test_emass_items_span_several_rows(emass: ImportResult) -> None:
    assert emass.summary.layout == "emass"
    assert [s.name for s in emass.summary.sheets] == ["POA&M"]
    items = emass.items
    assert [i.poam_id for i in items] == ["101", "102", "103"]
    assert [len(i.milestones) for i in items] == [3, 0, 1]
    first = items[0]
    assert first.scheduled == dt.date(2025, 12, 31)  # an Excel serial number in the sheet
    assert [m.milestone_id for m in first.milestones] == ["1", "2", "3"]
    assert [m.scheduled for m in first.milestones] == [
        dt.date(2025, 10, 15),
        dt.date(2025, 11, 30),
        dt.date(2025, 12, 15),
    ]
    assert [m.is_completed for m in first.milestones] == [True, False, False]
    assert first.milestones[0].completed_on == dt.date(2025, 10, 14)
    assert first.milestones[2].extra == {"legacy-resources-required": "4 hours of auditor time"}
    assert first.resources == "16 hours of administrator time"


def test_emass_in_oscal(emass: ImportResult) -> None:
    data = poam_data(emass)
    items = data["poam-items"]
    assert props_of(items[0])[vocab.REQUIREMENT] == ["AC.L2-3.1.10", "AC.L2-3.1.11"]
    assert items[1]["title"] == "SC.L2-3.13.11 CUI Encryption"
    assert [risk_of(data, i)["status"] for i in items] == ["open", "deviation-approved", "closed"]
    closed = risk_of(data, items[2])
    assert [(e.get("status-change"), e["start"][:10]) for e in closed["risk-log"]["entries"]] == [
        ("closed", "2025-11-03")
    ]
    tasks = risk_of(data, items[0])["remediations"][0]["tasks"]
    first = props_of(tasks[0])
    assert first[vocab.MILESTONE_STATUS] == ["completed"]
    assert first[vocab.COMPLETED_ON] == ["2025-10-14"]
    assert first[vocab.LEGACY_MILESTONE_ID] == ["1"]
    assert first[vocab.LEGACY_STATUS] == ["Completed"]
    assert tasks[0]["remarks"] == "Approved by the ISSM."
    assert props_of(tasks[1])[vocab.LEGACY_STATUS] == ["In Progress"]
    meta = props_of(data["metadata"])
    assert meta["legacy-system-project-name"] == ["Acme CUI Enclave"]
    assert meta["legacy-poc-name"] == ["Maria Lopez"]
    assert data["metadata"]["last-modified"] == "2025-11-10T00:00:00Z"


def test_emass_owner_is_an_organization(emass: ImportResult) -> None:
    parties = {p["name"]: p["type"] for p in poam_data(emass)["metadata"]["parties"]}
    assert parties["Acme IT, Maria Lopez, 555-0100, maria.lopez@acme.example"] == "organization"
    assert parties["Acme Security Office"] == "organization"


def test_example_sheets_are_skipped_unless_named(emass: ImportResult, tmp_path: Path) -> None:
    assert [name for name, _ in emass.summary.skipped_sheets] == ["Example"]
    path = sheets.emass_workbook(tmp_path / "emass.xlsx")
    only = import_poam(path, sheet="Example", as_of=AS_OF)
    assert [i.description for i in only.items] == ["An example weakness that must not be imported."]


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom", "expected"),
    [
        ("utf-8", ",", True, "utf-8-sig"),
        ("utf-8", ";", False, "utf-8"),
        ("cp1252", ";", False, "windows-1252"),
        ("cp1252", "\t", False, "windows-1252"),
    ],
)
def test_csv_with_shuffled_and_renamed_headers(
    tmp_path: Path, encoding: str, delimiter: str, bom: bool, expected: str
) -> None:
    path = sheets.write_csv(tmp_path / "gaps.csv", encoding=encoding, delimiter=delimiter, bom=bom)
    result = import_poam(path, as_of=AS_OF)
    assert (result.summary.kind, result.summary.encoding, result.summary.delimiter) == ("csv", expected, delimiter)
    assert result.summary.layout == "generic"
    mapped = {c.header: c.field for c in result.summary.mapped}
    assert mapped == {
        "owner": "owner",
        "Target Date": "scheduled",
        "Requirement #": "controls",
        "Issue": "weakness_name",
        "details": "description",
        "STATUS": "status",
        "Milestones": "milestones_text",
        "Cost": "resources",
        "Notes": "comments",
        "ID": "poam_id",
    }
    assert [(c.header, c.place) for c in result.summary.kept] == [
        ("Internal Ticket", "item prop legacy-internal-ticket")
    ]
    first, second = result.items
    assert first.owner == "Jürgen Müller"
    assert first.description.endswith("four file servers – neither is needed.")
    assert first.scheduled == dt.date(2026, 1, 31)
    assert second.scheduled == dt.date(2025, 11, 30)  # the serial number 45991
    assert [len(i.milestones) for i in result.items] == [3, 1]
    data = poam_data(result)
    assert props_of(data["poam-items"][0])[vocab.REQUIREMENT] == ["CM.L2-3.4.6"]
    assert props_of(data["poam-items"][0])["legacy-internal-ticket"] == ["INC-20931"]
    assert [risk_of(data, i)["status"] for i in data["poam-items"]] == ["open", "closed"]


def test_a_mapping_names_headers_no_alias_knows(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Ref,Ctrl,What is wrong,Fixer\nR1,3.1.8,Unsuccessful logons are not limited on the VPN,Kim Lee\n")
    with pytest.raises(LoadError, match="no header row found"):
        import_poam(path, as_of=AS_OF)  # only Ref is a known header
    mapped = import_poam(
        path,
        mapping=parse_mapping({"columns": {"Ctrl": "controls", "What is wrong": "description", "Fixer": "owner"}}),
        as_of=AS_OF,
    )
    (item,) = mapped.items
    assert (item.poam_id, item.controls, item.owner) == ("R1", "3.1.8", "Kim Lee")
    assert item.description == "Unsuccessful logons are not limited on the VPN"


def test_a_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("x,y\n\nItem,Req,Who\nA,3.1.1,Kim\n")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  Req: controls\n  Who: Point of Contact\n  Item: keep\nheader-row: 3\n")
    result = import_poam(path, mapping=mapping, as_of=AS_OF)
    (item,) = result.items
    assert (item.poam_id, item.controls, item.owner, item.extra) == ("", "3.1.1", "Kim", {"legacy-item": "A"})


def test_rows_that_name_no_item_are_listed_with_their_reason(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "ID,Control,Description,Comments\n"
        ",,,Orphan comment before any item\n"
        "1,3.1.1,First weakness on the VPN concentrator,\n"
        ",,,Comment with no item\n"
        ",,,\n"
        "ID,Control,Description,Comments\n"
    )
    result = import_poam(path, as_of=AS_OF)
    assert [(s.location.ref, s.reason.split(";")[0]) for s in result.summary.skipped_rows] == [
        ("2:2", "comes before any item and names none (no ID, controls, weakness, description)"),
        ("4:4", "names no POA&M item (no ID, controls, weakness or description) and no milestone"),
        ("6:6", "repeats the header row"),
    ]
    assert result.summary.sheets[0].blank_rows == 1
    assert [d.rule_id for d in result.diagnostics if d.rule_id.startswith("legacy-row")] == ["legacy-row-skipped"] * 3


def test_duplicate_ids_are_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "dupes.csv"
    path.write_text("ID,Control,Description\n7,3.1.1,One weakness here\n7,3.1.2,Another weakness there\n")
    result = import_poam(path, as_of=AS_OF)
    assert result.poam is not None
    uuids = [str(i.uuid) for i in result.poam.poam_items]
    assert len(set(uuids)) == 2
    assert [d.pointer for d in result.diagnostics if d.rule_id == "legacy-duplicate-id"] == ["3:3"]


def test_the_same_sheet_gives_the_same_bytes(tmp_path: Path) -> None:
    from oscal_poam.io.write import dumps

    path = sheets.emass_workbook(tmp_path / "emass.xlsx")
    first = import_poam(path, as_of=AS_OF)
    second = import_poam(path, as_of=AS_OF)
    assert first.poam is not None and second.poam is not None
    assert dumps(first.poam) == dumps(second.poam)


def test_an_older_emass_layout_with_milestones_in_one_cell(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "POAM"
    ws.append(["Weakness", "Security Control", "POC", "Resources Required", "Scheduled Completion Date",
               "Milestone with Completion Dates", "Milestone Changes", "Source Identifying Weakness", "Status",
               "Comments"])  # fmt: skip
    ws.append(
        [
            "Audit records are not reviewed weekly",
            "AU.L2-3.3.5",
            "Sam Park",
            "4 hours a week",
            dt.datetime(2026, 3, 31),
            "1. Write the review procedure 01/10/2026\n2. First weekly review 02/10/2026\n"
            "3. Automate the correlation - completed 12/20/2025",
            "None",
            "Annual assessment",
            "Ongoing",
            "",
        ]
    )
    workbook.save(tmp_path / "old.xlsx")
    result = import_poam(tmp_path / "old.xlsx", as_of=AS_OF)
    (item,) = result.items
    assert [(m.scheduled, m.completed_on, m.is_completed) for m in item.milestones] == [
        (dt.date(2026, 1, 10), None, False),
        (dt.date(2026, 2, 10), None, False),
        (None, dt.date(2025, 12, 20), True),
    ]
    assert item.extra["legacy-weakness-detector-source"] == "Annual assessment"
    assert item.extra["legacy-milestone-changes"] == "None"
    assert (item.weakness_name, item.owner, item.status) == (
        "Audit records are not reviewed weekly",
        "Sam Park",
        "Ongoing",
    )
