"""import -> OSCAL -> export -> import gives the same items and milestones; exports never carry formulas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from oscal_poam.io.load import load
from oscal_poam.io.write import to_data, write
from oscal_poam.legacy.api import ImportResult, export_poam, import_poam
from oscal_poam.legacy.model import LegacyItem
from tests.legacy import sheets

AS_OF = dt.date(2025, 11, 10)


def items_and_risks(result: ImportResult) -> tuple[Any, Any]:
    assert result.poam is not None
    data = to_data(result.poam)["plan-of-action-and-milestones"]
    return data["poam-items"], data["risks"]


@pytest.mark.parametrize("layout", ["fedramp", "emass"])
def test_round_trip_in_the_same_layout(tmp_path: Path, layout: str) -> None:
    build = sheets.fedramp_workbook if layout == "fedramp" else sheets.emass_workbook
    first = import_poam(build(tmp_path / "in.xlsx"), as_of=AS_OF)
    assert first.poam is not None
    export_poam(first.poam, tmp_path / "out.xlsx", layout=layout)  # type: ignore[arg-type]
    second = import_poam(tmp_path / "out.xlsx", as_of=AS_OF)
    assert second.summary.layout == layout
    assert [carried(i) for i in second.items] == [carried(i) for i in first.items]
    assert [len(i.milestones) for i in second.items] == [len(i.milestones) for i in first.items]
    # The OSCAL is the same too: uuids, titles, descriptions, statuses.
    items, risks = items_and_risks(second)
    first_items, first_risks = items_and_risks(first)
    assert [(i["uuid"], i["title"], i["description"]) for i in items] == [
        (i["uuid"], i["title"], i["description"]) for i in first_items
    ]
    assert [(r["uuid"], r["status"], r.get("deadline")) for r in risks] == [
        (r["uuid"], r["status"], r.get("deadline")) for r in first_risks
    ]


def day(value: dt.date | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def carried(item: LegacyItem) -> tuple[Any, ...]:
    """What both layouts carry of an item (FedRAMP adds status words a sheet may not have had)."""
    return (
        *core(item),
        item.remediation_plan,
        item.root_cause,
        item.comments,
        day(item.detected),
        dict(item.extra),
    )


@pytest.mark.parametrize("suffix", [".json", ".xml"])
@pytest.mark.parametrize("layout", ["fedramp", "emass"])
def test_round_trip_through_oscal_files(tmp_path: Path, layout: str, suffix: str) -> None:
    """The OSCAL written to disk, JSON or XML, exports to the same items and milestones."""
    build = sheets.fedramp_workbook if layout == "fedramp" else sheets.emass_workbook
    first = import_poam(build(tmp_path / "in.xlsx"), as_of=AS_OF)
    assert first.poam is not None
    oscal = write(first.poam, tmp_path / f"poam{suffix}")
    export_poam(oscal, tmp_path / "out.xlsx", layout=layout)  # type: ignore[arg-type]
    again = import_poam(tmp_path / "out.xlsx", as_of=AS_OF)
    assert [carried(i) for i in again.items] == [carried(i) for i in first.items]
    if suffix == ".json":
        assert to_data(load(oscal).model) == to_data(first.poam)


def core(item: LegacyItem) -> tuple[Any, ...]:
    """What every layout carries."""
    return (
        item.poam_id,
        item.controls,
        item.description,
        item.owner,
        item.resources,
        day(item.scheduled),
        [(m.title, day(m.scheduled), day(m.completed_on), m.is_completed) for m in item.milestones],
    )


@pytest.mark.parametrize("layout", ["fedramp", "emass"])
def test_csv_to_either_layout_keeps_items_and_milestones(tmp_path: Path, layout: str) -> None:
    first = import_poam(sheets.write_csv(tmp_path / "gaps.csv"), as_of=AS_OF)
    assert first.poam is not None
    summary = export_poam(first.poam, tmp_path / "out.xlsx", layout=layout)  # type: ignore[arg-type]
    assert ("GAP-7", "legacy-internal-ticket") in summary.not_written  # a column neither layout has
    second = import_poam(tmp_path / "out.xlsx", as_of=AS_OF)
    assert [core(i) for i in second.items] == [core(i) for i in first.items]
    _, risks = items_and_risks(second)
    assert [r["status"] for r in risks] == ["open", "closed"]


def test_emass_to_fedramp_puts_closed_items_on_the_closed_sheet(tmp_path: Path) -> None:
    first = import_poam(sheets.emass_workbook(tmp_path / "in.xlsx"), as_of=AS_OF)
    assert first.poam is not None
    summary = export_poam(first.poam, tmp_path / "out.xlsx", layout="fedramp")
    assert summary.sheets == {"Open POA&M Items": 2, "Closed POA&M Items": 1, "Configuration Findings": 0}
    workbook = openpyxl.load_workbook(tmp_path / "out.xlsx")
    closed = workbook["Closed POA&M Items"]
    assert [c.value for c in closed[5]][:4] == ["POAM ID", "Controls", "Weakness Name", "Weakness Description"]
    assert closed["A6"].value == "103"
    assert closed["O6"].value == dt.datetime(2025, 11, 3)  # the completion date, as FedRAMP's status date
    assert "1. Install a visitor log book and retention procedure" in closed["M6"].value


def test_emass_export_has_the_template_shape(tmp_path: Path) -> None:
    first = import_poam(sheets.emass_workbook(tmp_path / "in.xlsx"), as_of=AS_OF)
    assert first.poam is not None
    summary = export_poam(first.poam, tmp_path / "out.xlsx", layout="emass")
    assert (summary.items, summary.rows) == (3, 5)
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["POA&M"]
    assert ws["A1"].value == "***** CONTROLLED UNCLASSIFIED INFORMATION *****"
    assert ws["A5"].value == "System / Project Name:" and ws["D5"].value == "Acme CUI Enclave"
    assert [ws.cell(row=7, column=c).value for c in range(2, 5)] == [
        "POA&M Item ID",
        "Control Vulnerability Description",
        "Controls / APs",
    ]
    assert ws["A7"].value is None
    # One row per milestone; the item's fields on its first row only.
    assert [ws[f"B{r}"].value for r in range(8, 13)] == ["101", None, None, "102", "103"]
    assert [ws[f"K{r}"].value for r in range(8, 11)] == [
        "Define the session lock policy",
        "Apply the GPO to the file servers",
        "Verify the lock on every file server",
    ]
    assert ws["S10"].value == "4 hours of auditor time"  # kept on its milestone row


def test_export_writes_formula_like_text_as_text(tmp_path: Path) -> None:
    rows = [
        {
            "POAM ID": "=1+1",
            "Controls": "3.1.1",
            "Weakness Name": "@SUM(A1:A9)",
            "Weakness Description": '=HYPERLINK("http://evil.example","click")',
            "Point of Contact": "+15550100",
            "Comments": "-2+3",
            "Planned Milestones": "1. =cmd|' /C calc'!A0 - 12/01/2025",
        }
    ]
    first = import_poam(sheets.fedramp_workbook(tmp_path / "in.xlsx", open_rows=rows), as_of=AS_OF)
    assert first.poam is not None
    for layout in ("fedramp", "emass"):
        out = tmp_path / f"{layout}.xlsx"
        export_poam(first.poam, out, layout=layout)  # type: ignore[arg-type]
        workbook = openpyxl.load_workbook(out)  # formulas would come back with data_type "f"
        cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
        assert len(risky) >= 4
        assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    again = import_poam(tmp_path / "fedramp.xlsx", as_of=AS_OF)
    by_id = {i.poam_id: i for i in again.items}
    item = by_id["=1+1"]
    assert item.description == '=HYPERLINK("http://evil.example","click")'
    assert (item.weakness_name, item.owner, item.comments) == ("@SUM(A1:A9)", "+15550100", "-2+3")


def test_a_derived_poam_exports_and_imports_with_its_ssp_and_results(tmp_path: Path) -> None:
    from oscal_poam.io.models import text
    from tests.conftest import ROOT

    example = ROOT / "examples" / "l2-conditional"
    derived = load(example / "poam-maintained.json").model
    summary = export_poam(derived, tmp_path / "fedramp.xlsx", layout="fedramp")
    assert summary.items == len(derived.poam_items)  # type: ignore[attr-defined]
    ws = openpyxl.load_workbook(tmp_path / "fedramp.xlsx")["Open POA&M Items"]
    first = derived.poam_items[0]  # type: ignore[attr-defined]
    assert ws["B6"].value == "AC.L2-3.1.10"
    assert ws["C6"].value == text(first.title)  # no weakness name of its own: the title stands for it
    assert ws["A6"].value == str(first.uuid)[:8]  # no POA&M ID of its own: its uuid's first hex digits
    assert ws["O6"].value == dt.datetime(2027, 2, 10, 15, 45)  # the latest risk-log entry, with its time of day
    assert ws["M6"].value.startswith("1. ")

    result = import_poam(
        tmp_path / "fedramp.xlsx",
        ssp=example / "ssp.json",
        ssp_href="ssp.json",
        results=example / "assessment-results.json",
        as_of=dt.date(2026, 10, 20),
        document="poam.json",
    )
    assert result.poam is not None
    ssp = load(example / "ssp.json").model
    assert result.poam.system_id is not None
    assert result.poam.system_id.id == ssp.system_characteristics.system_ids[0].id  # type: ignore[attr-defined]
    assert result.poam.import_ssp is not None and result.poam.import_ssp.href == "ssp.json"
    rules = {d.rule_id for d in result.diagnostics}
    assert any(r.startswith("eligibility-") for r in rules)  # results given: eligibility is checked
    # owners, milestones, resources, root causes and verification all came back: nothing for credibility to flag
    assert not [d.message for d in result.diagnostics if d.rule_id.startswith("credibility-")]
    again = [(i.controls, i.description, [m.scheduled for m in i.milestones]) for i in result.items]
    assert again[0][0] == "AC.L2-3.1.10"
    # the export's record gives back each date's time of day and offset
    assert [str(d) for d in again[0][2]] == [
        "2026-10-30 17:00:00-04:00",
        "2026-12-04 17:00:00-05:00",
        "2027-01-15 17:00:00-05:00",
    ]
