"""A spreadsheet as an editing surface: derive, export, edit the cells as a person would, import --onto the original.

The POA&M that comes back is the one that went out, with the edits in place and a risk-log entry for each:
same uuids, findings, observations, back-matter and imports, valid against NIST's JSON schema and XSD.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from oscal_poam.io.load import load
from oscal_poam.io.write import to_data
from oscal_poam.legacy.api import export_poam, import_onto, import_poam
from tests.cli_runner import Runner, runner
from tests.conftest import ROOT
from tests.derive.conftest import poam_schema, xsd_validator  # noqa: F401  (poam_schema: a fixture)

EXAMPLE = ROOT / "examples" / "l2-conditional"
DAY = "2026-11-02"
HEADER_ROW = {"fedramp": 5, "emass": 7}
OWNER = {"fedramp": "Point of Contact", "emass": "Office/Org"}
STATUS = {"fedramp": "Status", "emass": "POA&M Status"}
DESCRIPTION = {"fedramp": "Weakness Description", "emass": "Control Vulnerability Description"}
NEW_WEAKNESS = "USB storage is not blocked on the two visitor kiosks in the lobby."


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    return runner(capsys, monkeypatch)


@pytest.fixture
def derived(tmp_path: Path, run: Runner) -> Path:
    """The shipped Level 2 example derived as a user does, onto the POA&M its people maintain (milestones, owners)."""
    for name in ("ssp.json", "assessment-results.json", "assessment-plan.json"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    poam = tmp_path / "poam.json"
    shutil.copy(EXAMPLE / "poam-maintained.json", poam)
    ran = run(
        "derive",
        "--ssp",
        str(tmp_path / "ssp.json"),
        "--results",
        str(tmp_path / "assessment-results.json"),
        "-o",
        str(poam),
        "--as-of",
        "2026-10-20",
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return poam


def headers(ws: Any, layout: str) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[HEADER_ROW[layout]] if c.value is not None}


def edit_as_a_person(path: Path, layout: str) -> None:
    """Open the export, change a milestone date, an owner, a status to Risk Accepted, and add a row."""
    workbook = openpyxl.load_workbook(path)
    ws = workbook.worksheets[0]
    column = headers(ws, layout)
    first = HEADER_ROW[layout] + 1
    ws.cell(first, column[OWNER[layout]]).value = "Dana Whitfield"
    ws.cell(first, column[STATUS[layout]]).value = "Risk Accepted"
    if layout == "fedramp":
        cell = ws.cell(first, column["Planned Milestones"])
        assert "(due 2027-01-15)" in cell.value
        cell.value = cell.value.replace("(due 2027-01-15)", "(due 2027-01-29)")
    else:
        dates = [r for r in range(first, first + 3) if ws.cell(r, column["Milestone Scheduled Completion Date"]).value]
        assert ws.cell(dates[2], column["Milestone Scheduled Completion Date"]).value.date() == dt.date(2027, 1, 15)
        ws.cell(dates[2], column["Milestone Scheduled Completion Date"]).value = dt.datetime(2027, 1, 29)
    new = ws.max_row + 1
    ws.cell(new, column[DESCRIPTION[layout]]).value = NEW_WEAKNESS
    controls = column["Controls"] if layout == "fedramp" else column["Controls / APs"]
    ws.cell(new, controls).value = "MP.L2-3.8.7"
    workbook.save(path)


def related(poam: dict[str, Any], key: str) -> list[Any]:
    return [(i["uuid"], i.get(key)) for i in poam["poam-items"]]


@pytest.mark.parametrize("layout", ["fedramp", "emass"])
def test_edits_in_excel_come_back_onto_the_poam_with_nothing_lost(
    derived: Path,
    tmp_path: Path,
    run: Runner,
    layout: str,
    poam_schema: Callable[[Any], list[str]],  # noqa: F811
) -> None:
    before = json.loads(derived.read_bytes())["plan-of-action-and-milestones"]
    sheet = tmp_path / f"poam-{layout}.xlsx"
    ran = run("export", str(derived), "-o", str(sheet), "--layout", layout)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    edit_as_a_person(sheet, layout)

    xml = tmp_path / "poam.xml"
    ran = run("import", str(sheet), "--onto", str(derived), "--xml", str(xml), "--as-of", DAY)
    assert "3 changes, 1 new item" in ran.stdout, ran.stdout
    assert "conflict" in ran.stdout and "0 conflicts" in ran.stdout, ran.stdout
    after = json.loads(derived.read_bytes())["plan-of-action-and-milestones"]

    # What the sheet does not carry is as it was: the document, its items, findings, observations, back-matter.
    for key in ("uuid", "import-ssp", "system-id", "findings", "observations", "back-matter"):
        assert after.get(key) == before.get(key), key
    assert [i["uuid"] for i in after["poam-items"][:-1]] == [i["uuid"] for i in before["poam-items"]]
    for key in ("related-findings", "related-observations", "related-risks", "origins", "description", "title"):
        assert related({"poam-items": after["poam-items"][:-1]}, key) == related(before, key), key
    assert [r["uuid"] for r in after["risks"][: len(before["risks"])]] == [r["uuid"] for r in before["risks"]]

    # The edits, in place.
    risk = next(r for r in after["risks"] if r["uuid"] == before["poam-items"][0]["related-risks"][0]["risk-uuid"])
    assert risk["status"] == "deviation-approved"
    planned = next(r for r in risk["remediations"] if r["lifecycle"] == "planned")
    milestones = [t for t in planned["tasks"] if t["type"] == "milestone"]
    assert milestones[2]["timing"]["on-date"]["date"] == "2027-01-29T17:00:00-05:00"  # time and offset kept
    owners = {u for t in planned["tasks"] for r in t.get("responsible-roles", []) for u in r["party-uuids"]}
    names = {p["uuid"]: p["name"] for p in after["metadata"]["parties"]}
    assert {names[u] for u in owners} == {"Dana Whitfield"}
    new = after["poam-items"][-1]
    assert new["description"] == NEW_WEAKNESS
    assert new["title"].startswith("MP.L2-3.8.7")

    # A risk-log entry for each change, dated the import's day; one for the new item.
    old_risk = next(r for r in before["risks"] if r["uuid"] == risk["uuid"])
    kept = [e["uuid"] for e in old_risk["risk-log"]["entries"]]
    assert [e["uuid"] for e in risk["risk-log"]["entries"]][: len(kept)] == kept
    entries = risk["risk-log"]["entries"][len(kept) :]
    assert len(entries) == 3, [e["title"] for e in entries]
    assert any(e.get("status-change") == "deviation-approved" for e in entries)
    assert {e["start"] for e in entries} == {f"{DAY}T00:00:00-05:00"}
    new_risk = next(r for r in after["risks"] if r["uuid"] == new["related-risks"][0]["risk-uuid"])
    assert [e["title"] for e in new_risk["risk-log"]["entries"]] == ["Added from the spreadsheet"]
    # Nothing else of the risks changed: only entries were added.
    for old in before["risks"]:
        now = next(r for r in after["risks"] if r["uuid"] == old["uuid"])
        for key in ("title", "description", "statement", "origins", "deadline", "related-observations"):
            assert now.get(key) == old.get(key), key

    # Valid against NIST's schemas, JSON and XML.
    assert poam_schema(json.loads(derived.read_bytes())) == []
    assert xsd_validator()(xml.read_bytes()) == []


def test_importing_an_unchanged_export_changes_nothing(derived: Path, tmp_path: Path) -> None:
    for layout in ("fedramp", "emass"):
        sheet = tmp_path / f"{layout}.xlsx"
        export_poam(derived, sheet, layout=layout)  # type: ignore[arg-type]
        result = import_onto(sheet, derived, day=dt.date(2026, 11, 2))
        assert (result.changes, result.added, result.missing, result.conflicts) == ((), (), (), ())
        assert to_data(result.poam) == to_data(load(derived).model)


def test_a_cell_changed_in_the_sheet_and_in_the_poam_is_a_conflict(derived: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "fedramp.xlsx"
    export_poam(derived, sheet, layout="fedramp")
    # Since the export, someone set another owner in the POA&M ...
    edited = import_onto(sheet, derived, day=dt.date(2026, 11, 1))
    workbook = openpyxl.load_workbook(sheet)
    ws = workbook.worksheets[0]
    column = headers(ws, "fedramp")
    ws.cell(6, column["Point of Contact"]).value = "Marcus Lee"
    other = tmp_path / "other.xlsx"
    workbook.save(other)
    changed = import_onto(other, edited.poam, day=dt.date(2026, 11, 1))
    assert [c.label for c in changed.changes] == ["Point of Contact"]
    # ... and the person edited the same cell of the old export to something else.
    ws.cell(6, column["Point of Contact"]).value = "Erin Castillo"
    workbook.save(sheet)
    result = import_onto(sheet, changed.poam, day=dt.date(2026, 11, 2))
    assert [(c.label, c.sheet, c.poam) for c in result.conflicts] == [
        ("Point of Contact", "Erin Castillo", "Marcus Lee")
    ]
    assert not result.changes
    assert any(d.rule_id == "import-conflict" and d.pointer == "'Open POA&M Items'!H6" for d in result.diagnostics)


def test_rows_deleted_from_the_sheet_are_reported_and_closed_on_request(derived: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "emass.xlsx"
    export_poam(derived, sheet, layout="emass")
    workbook = openpyxl.load_workbook(sheet)
    ws = workbook["POA&M"]
    last_item = max(r for r in range(8, ws.max_row + 1) if ws.cell(r, 2).value)
    ws.delete_rows(last_item, ws.max_row - last_item + 1)
    workbook.save(sheet)
    kept = import_onto(sheet, derived, day=dt.date(2026, 11, 2))
    assert len(kept.missing) == 1 and not kept.closed
    assert any(d.rule_id == "import-row-missing" for d in kept.diagnostics)
    closed = import_onto(sheet, derived, day=dt.date(2026, 11, 2), close_missing=True)
    assert closed.closed == closed.missing == kept.missing
    data = to_data(closed.poam)["plan-of-action-and-milestones"]
    statuses = [r["status"] for r in data["risks"]]
    assert statuses.count("closed") == 1
    entry = next(r for r in data["risks"] if r["status"] == "closed")["risk-log"]["entries"][-1]
    assert (entry["status-change"], entry["start"][:10]) == ("closed", "2026-11-02")


EXAMPLE_POAMS = sorted((ROOT / "examples").glob("*/poam*.json"))


def cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every value of every sheet a person sees (the export's hidden record aside)."""
    workbook = openpyxl.load_workbook(path)
    return {
        ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()]
        for ws in workbook.worksheets
        if ws.sheet_state == "visible"
    }


@pytest.mark.parametrize("layout", ["fedramp", "emass"])
@pytest.mark.parametrize("example", EXAMPLE_POAMS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_export_import_export_gives_the_same_cells(example: Path, layout: str, tmp_path: Path) -> None:
    first = tmp_path / "first.xlsx"
    export_poam(example, first, layout=layout)  # type: ignore[arg-type]
    imported = import_poam(first)
    assert imported.poam is not None
    second = tmp_path / "second.xlsx"
    export_poam(imported.poam, second, layout=layout)  # type: ignore[arg-type]
    assert cells(second) == cells(first)


def test_a_field_kept_in_a_prop_is_edited_in_its_added_column(derived: Path, tmp_path: Path) -> None:
    """Root Cause: no template has the column; the export adds it, and an edit there lands in its prop."""
    sheet = tmp_path / "emass.xlsx"
    export_poam(derived, sheet, layout="emass")
    workbook = openpyxl.load_workbook(sheet)
    ws = workbook["POA&M"]
    column = headers(ws, "emass")
    ws.cell(8, column["Root Cause"]).value = "The GPO was linked to the wrong OU."
    workbook.save(sheet)
    result = import_onto(sheet, derived, day=dt.date(2026, 11, 2))
    assert [(c.label, c.new) for c in result.changes] == [("Root Cause", "The GPO was linked to the wrong OU.")]
    item = result.poam.poam_items[0]
    assert [p.value for p in item.props or [] if p.name == "cmmc-root-cause"] == ["The GPO was linked to the wrong OU."]


def pointers(poam: Any) -> dict[str, list[str]]:
    """Each item's verification pointers (task props cmmc-verification-check), by item title."""
    data = to_data(poam)["plan-of-action-and-milestones"] if not isinstance(poam, dict) else poam
    risks = {r["uuid"]: r for r in data.get("risks", [])}
    found: dict[str, list[str]] = {}
    for item in data["poam-items"]:
        for link in item.get("related-risks", []):
            for remediation in risks[link["risk-uuid"]].get("remediations", []):
                for task in remediation.get("tasks", []):
                    values = [p["value"] for p in task.get("props", []) if p["name"] == "cmmc-verification-check"]
                    if values:
                        found[item["title"]] = values
    return found


@pytest.mark.parametrize("layout", ["fedramp", "emass"])
def test_verification_pointers_go_out_one_per_line_and_come_back_as_written(
    derived: Path, layout: str, tmp_path: Path
) -> None:
    """Verification Checks: an added column, one pointer a line; import keeps each, --onto applies an edit to them."""
    before = pointers(load(derived).model)
    assert any(len(values) > 1 for values in before.values())  # the example has items with several checks
    sheet = tmp_path / f"{layout}.xlsx"
    export_poam(derived, sheet, layout=layout)  # type: ignore[arg-type]
    imported = import_poam(sheet)
    assert imported.poam is not None
    assert pointers(imported.poam) == before

    workbook = openpyxl.load_workbook(sheet)
    ws = workbook.worksheets[0]
    column = headers(ws, layout)["Verification Checks"]
    cell = next(c for c in (ws.cell(r, column) for r in range(HEADER_ROW[layout] + 1, ws.max_row + 1)) if c.value)
    written = str(cell.value).split("\n")
    assert written in before.values()
    cell.value = "\n".join([*written[1:], "sarif:checkov/CKV_AWS_67"])
    workbook.save(sheet)
    result = import_onto(sheet, derived, day=dt.date(2026, 11, 2))
    assert [c.label for c in result.changes] == ["Verification Checks"]
    after = pointers(result.poam)
    changed = {title for title in before if after[title] != before[title]}
    assert len(changed) == 1
    assert after[changed.pop()] == [*written[1:], "sarif:checkov/CKV_AWS_67"]
    assert not [d for d in result.diagnostics if d.rule_id.startswith("verification-")]


def test_onto_reads_the_shared_options(derived: Path, tmp_path: Path, run: Runner) -> None:
    """`import --onto` selects, ignores and shows its diagnostics as every command that runs rules does."""
    sheet = tmp_path / "poam.xlsx"
    assert run("export", str(derived), "-o", str(sheet)).returncode == 0
    workbook = openpyxl.load_workbook(sheet)
    workbook.worksheets[0].delete_rows(HEADER_ROW["fedramp"] + 1)  # an item without a row: a warning
    workbook.save(sheet)
    target = str(tmp_path / "out.json")
    every = run("import", str(sheet), "--onto", str(derived), "-o", target, "--as-of", DAY, "-v")
    assert every.returncode == 0, every.stdout + every.stderr
    rules = set(re.findall(r": (?:error|warning|info) ([a-z]+-[a-z0-9-]+) ", every.stdout))
    assert rules, every.stdout
    family = sorted(rules)[0].split("-")[0]
    ignored = run("import", str(sheet), "--onto", str(derived), "-o", target, "--as-of", DAY, "-v", "--ignore", family)
    assert f" {family}-" not in ignored.stdout and ignored.returncode == 0
    quiet = run("import", str(sheet), "--onto", str(derived), "-o", target, "--as-of", DAY, "-q")
    assert not re.search(r": (?:error|warning|info) [a-z]+-", quiet.stdout), quiet.stdout
    assert quiet.stdout.splitlines()[-1].startswith("Wrote ")
