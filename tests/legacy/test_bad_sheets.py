"""Sheets that cannot be trusted give errors naming sheet, row and column, and nothing is built."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from oscal_poam.errors import LoadError
from oscal_poam.legacy.api import import_poam
from tests.legacy import sheets

AS_OF = dt.date(2025, 11, 10)


def problems(path: Path, **options: object) -> list[tuple[str | None, str]]:
    with pytest.raises(LoadError) as caught:
        import_poam(path, as_of=AS_OF, **options)  # type: ignore[arg-type]
    found = caught.value.problems
    assert all(p.file == str(path) for p in found)
    return [(p.pointer, p.message) for p in found]


def fedramp_with(tmp_path: Path, **values: object) -> Path:
    row = dict(sheets.FEDRAMP_OPEN[0])
    row.update(values)
    return sheets.fedramp_workbook(tmp_path / "bad.xlsx", open_rows=[row, sheets.FEDRAMP_OPEN[1]])


def test_no_header_row(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "Notes"
    ws["A1"], ws["B3"] = "Quarterly notes", "Nothing here looks like a POA&M"
    workbook.save(tmp_path / "notes.xlsx")
    ((pointer, message),) = problems(tmp_path / "notes.xlsx")
    assert pointer is None
    assert message.startswith("no header row found: sheet 'Notes' no header row in rows 1 to 50")


def test_no_header_row_in_a_named_sheet(tmp_path: Path) -> None:
    path = sheets.fedramp_workbook(tmp_path / "poam.xlsx")
    ((_, message),) = problems(path, sheet="Record of Changes")
    assert "sheet 'Record of Changes' no header row" in message


def test_a_sheet_that_does_not_exist(tmp_path: Path) -> None:
    path = sheets.fedramp_workbook(tmp_path / "poam.xlsx")
    ((_, message),) = problems(path, sheet="Open Items")
    assert message.startswith("no sheet named 'Open Items'; the workbook's sheets are 'Open POA&M Items'")


def test_duplicated_headers(tmp_path: Path) -> None:
    path = tmp_path / "dupes.csv"
    path.write_text("ID,Description,Control,description\n1,Weakness,3.1.1,Again\n")
    ((pointer, message),) = problems(path)
    assert pointer == "D1"
    assert message.startswith("duplicated header 'description' in B1 and D1 (row 1, column D)")


def test_unparseable_dates(tmp_path: Path) -> None:
    path = fedramp_with(tmp_path, **{"Scheduled Completion Date": "next spring", "Status Date": "13/13/2025"})
    found = problems(path)
    assert [p for p, _ in found] == ["'Open POA&M Items'!L6", "'Open POA&M Items'!O6"]
    assert found[0][1] == (
        "unparseable date in sheet 'Open POA&M Items', row 6, column L (Scheduled Completion Date): "
        "'next spring' is not a date such as 2026-03-31 or 03/31/2026"
    )
    assert "'13/13/2025' is not a date (no such day)" in found[1][1]


def test_formula_errors(tmp_path: Path) -> None:
    path = sheets.fedramp_workbook(tmp_path / "poam.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Open POA&M Items"]["I7"] = "#REF!"  # an error value, as Excel saves a broken formula
    workbook["Closed POA&M Items"]["D6"] = "#DIV/0!"
    workbook.save(path)
    found = problems(path)
    assert [p for p, _ in found] == ["'Open POA&M Items'!I7", "'Closed POA&M Items'!D6"]
    assert found[0][1].startswith(
        "formula error #REF! in sheet 'Open POA&M Items', row 7, column I (Resources Required)"
    )


def test_merged_cells_across_data_rows(tmp_path: Path) -> None:
    path = sheets.fedramp_workbook(tmp_path / "poam.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Open POA&M Items"].merge_cells("H6:H8")
    workbook.save(path)
    ((pointer, message),) = problems(path)
    assert pointer == "'Open POA&M Items'!H6"
    assert message.startswith("merged cells H6:H8 span data rows 6 to 8 (sheet 'Open POA&M Items', row 6, column H)")


def test_merged_cells_above_the_header_are_fine(tmp_path: Path) -> None:
    path = sheets.emass_workbook(tmp_path / "emass.xlsx")  # merges A1:AG1, A2:C2, D2:K2
    assert import_poam(path, as_of=AS_OF).summary.items == 3


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv"])
def test_an_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    ((_, message),) = problems(path)
    assert message.startswith("file is empty")


def test_a_csv_of_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("\n \n\n", encoding="utf-8")
    ((_, message),) = problems(path)
    assert message.startswith("file is empty")


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip archive")
    ((_, message),) = problems(path)
    assert message.startswith("not a readable .xlsx workbook")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    ((_, message),) = problems(old)
    assert "save it as .xlsx" in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = fedramp_with(tmp_path, **{"Original Detection Date": "sometime"})
    workbook = openpyxl.load_workbook(path)
    workbook["Open POA&M Items"]["I7"] = "#N/A"
    workbook["Open POA&M Items"].merge_cells("C6:C7")
    workbook.save(path)
    assert sorted(p for p, _ in problems(path)) == sorted(
        ["'Open POA&M Items'!K6", "'Open POA&M Items'!I7", "'Open POA&M Items'!C6"]
    )


def test_a_damaged_package_member(tmp_path: Path) -> None:
    import io
    import zipfile

    good = sheets.emass_workbook(tmp_path / "good.xlsx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, b"<" if name == "docProps/core.xml" else source.read(name))
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(out.getvalue())
    ((_, message),) = problems(path)
    assert message.startswith("not a readable .xlsx workbook (")


def test_control_characters_are_left_out_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "ctl.csv"
    path.write_text("ID,Control,Description\n1,3.1.1,Bell\x07 and form feed\x0c in the text\n", encoding="utf-8")
    result = import_poam(path, as_of=AS_OF)
    (item,) = result.items
    assert item.description == "Bell and form feed in the text"
    notes = [d for d in result.diagnostics if d.rule_id == "legacy-control-characters"]
    assert [d.pointer for d in notes] == ["C2"]
    from oscal_poam.io.write import dumps

    assert result.poam is not None
    assert dumps(result.poam, "xml").startswith(b"<?xml")
