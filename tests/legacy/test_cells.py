"""The sheet reader (oscal_poam/legacy/cells.py) gives the values openpyxl's read-only mode gives, cell for cell
and type for type: on the shipped templates, on exports edited with openpyxl, and on hand-written sheet XML with
what other writers put in a sheet (rich-text and phonetic runs, shared strings, empty texts, cells and rows without
references or out of order, dates by style, both epochs)."""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from oscal_poam.legacy.api import export_poam, import_poam
from oscal_poam.legacy.cells import sheet_rows
from oscal_poam.legacy.read import read_spreadsheet
from tests.conftest import LEGACY_EXAMPLES, ROOT
from tests.legacy import sheets

AS_OF = dt.date(2025, 11, 10)
EXAMPLES = ROOT / "examples"


def typed(rows: Any) -> list[list[tuple[str, Any]]]:
    """Rows with each value's type: 1, 1.0 and True are equal in Python but not the same cell."""
    return [[(type(v).__name__, v) for v in row] for row in rows]


def both(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each sheet's rows as openpyxl's `iter_rows(values_only=True)` gives them, and as `sheet_rows` does."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a date out of range, a missing default style: openpyxl's words
        return _both(path)


def _both(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    theirs: dict[str, Any] = {}
    ours: dict[str, Any] = {}
    try:
        for worksheet in workbook.worksheets:
            worksheet.reset_dimensions()
            theirs[worksheet.title] = typed(worksheet.iter_rows(values_only=True))
            with worksheet._get_source() as part:
                found = sheet_rows(
                    part.read(),
                    worksheet._shared_strings,
                    workbook.epoch,
                    workbook._date_formats,
                    workbook._timedelta_formats,
                )
                ours[worksheet.title] = typed(found)
    finally:
        workbook.close()
    return theirs, ours


def assert_same(path: Path) -> None:
    theirs, ours = both(path)
    assert ours == theirs
    assert any(rows for rows in theirs.values())  # the comparison held values


@pytest.mark.parametrize("name", sorted(p.name for p in LEGACY_EXAMPLES.glob("*.xlsx")))
def test_the_shipped_templates(name: str) -> None:
    assert_same(LEGACY_EXAMPLES / name)


@pytest.mark.parametrize("layout", ["fedramp", "emass"])
@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if (p / "poam.json").is_file()))
def test_exports_of_the_shipped_examples_edited_with_openpyxl(tmp_path: Path, example: str, layout: str) -> None:
    path = tmp_path / f"{layout}.xlsx"
    export_poam(EXAMPLES / example / "poam.json", path, layout=layout)  # type: ignore[arg-type]
    assert_same(path)
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook.worksheets[0]
    worksheet.append(["new row", 3.25, True, dt.datetime(2026, 1, 2, 3, 4, 5), "=1+1", "  spaced  "])
    workbook.save(path)
    assert_same(path)


@pytest.mark.parametrize(
    "build", [sheets.fedramp_workbook, sheets.emass_workbook, sheets.emass_2018_workbook], ids=lambda b: b.__name__
)
def test_the_test_sheets(tmp_path: Path, build: Any) -> None:
    path = build(tmp_path / "sheet.xlsx")
    assert_same(path)
    first = import_poam(path, as_of=AS_OF)
    assert first.poam is not None


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED = [
    "<si><t>shared plain</t></si>",
    "<si><r><rPr><b/></rPr><t>bold</t></r><r><t xml:space='preserve'> and plain</t></r></si>",
    "<si><t>漢字</t><rPh sb='0' eb='2'><t>かんじ</t></rPh><phoneticPr fontId='1'/></si>",
    "<si><t/></si>",
    "<si><t>x005F_x000D_ escaped</t></si>",
    "<si><t xml:space='preserve'>  kept  </t></si>",
]
SHEET_DATA = """
<row r="1">
  <c r="A1" t="inlineStr"><is><t>plain</t></is></c>
  <c r="B1" t="inlineStr"><is><t xml:space="preserve">  spaced
 lines  </t></is></c>
  <c r="C1" t="inlineStr"><is><t/></is></c>
  <c r="D1" t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr><t>bold</t></r>
    <r><t xml:space="preserve"> and plain</t></r></is></c>
  <c r="E1" t="inlineStr"><is><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1"/></is></c>
  <c r="F1" t="inlineStr"></c>
  <c r="G1" t="inlineStr"><is><t>a<!-- a comment -->b<?pi here?>c</t></is></c>
  <c r="H1" t="inlineStr"><is><t><![CDATA[<x> & y]]></t></is></c>
  <c r="I1" t="inlineStr"><is><t>line&#13;&#10;two&#9;tab &amp; more &#x1F600;</t></is></c>
  <c r="J1" t="inlineStr"><is><t>first</t><t>second</t></is></c>
  <c r="K1" t="inlineStr"><is><t>x005F_x000D_ kept inline</t></is></c>
  <c r="L1" t="inlineStr"><is><t>plain </t><r><t>then a run</t></r></is></c>
  <c r="M1" t="inlineStr"><is><r><t/></r></is></c>
  <c r="N1" t="inlineStr" s="1"><is><t>styled text</t></is></c>
  <c r="O1" t="inlineStr"><is><t>text</t></is><v>7</v></c>
  <c r="P1" t="inlineStr"><is/></c>
</row>
<row r="2">
  <c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c><c r="D2" t="s"><v>3</v></c>
  <c r="E2" t="s"><v>4</v></c><c r="F2" t="s"><v>5</v></c>
  <c r="G2" t="b"><v>1</v></c><c r="H2" t="b"><v>0</v></c>
  <c r="I2" t="e"><v>#N/A</v></c>
  <c r="J2" t="str"><f>A1&amp;"x"</f><v>plainx</v></c>
  <c r="K2"><f>1+1</f><v>2</v></c>
  <c r="L2"><f>1+1</f></c>
  <c r="M2" t="d"><v>2026-03-01T10:30:00</v></c>
  <c r="N2"><v>1.5E3</v></c><c r="O2"><v>-7</v></c><c r="P2"><v></v></c><c r="Q2"><v>0.1</v></c>
  <c r="R2" s="1"><v>46082</v></c>
  <c r="S2" s="2"><v>0.5</v></c>
  <c r="T2" s="3"><v>1.25</v></c>
  <c r="U2" s="1"><v>99999999</v></c>
  <c r="V2" s=""><v>3</v></c>
  <c r="W2" s="4"><v>46082.75</v></c>
  <c r="X2" s="0"><v>12</v></c>
  <c r="Y2" s="1"><v>-1</v></c>
  <c r="Z2"><v> 42 </v></c><c r="aa2"><v>27</v></c>
</row>
<row r="5" spans="1:6" ht="20" customHeight="1">
  <c t="inlineStr"><is><t>no reference, A</t></is></c>
  <c t="inlineStr"><is><t>no reference, B</t></is></c>
  <c r="E5"><v>5</v></c>
  <c><v>6</v></c>
  <c r="C5"><v>3</v></c>
</row>
<row r="4"><c r="A4"><v>1</v></c></row>
<row r="5"><c r="A5" t="str"><v>again</v></c></row>
<row r="7"><c r="B7" t="inlineStr"><is><t>b7</t></is></c></row>
<row r="8"/>
<row><c r="AA9" t="inlineStr"><is><t>far, in a row without a number</t></is></c></row>
<row r="10.0"><c r="XFD10"><v>1</v></c><c r="ZZZ10"><v>2</v></c></row>
<row r="12"><c r="A12" t="inlineStr"><is><t>after a gap</t></is></c><c r="A12" t="e"><v>#REF!</v></c></row>
"""


def handwritten(path: Path, *, date1904: bool = False, sheet_data: str = SHEET_DATA) -> Path:
    """A package as another program writes it, sheet XML and shared strings by hand."""
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'{pr}<sheets><sheet name="Written by hand" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
            '<Relationship Id="rId2" Target="styles.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
            '<Relationship Id="rId3" Target="sharedStrings.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{MAIN}">'
            '<numFmts count="2"><numFmt numFmtId="164" formatCode="[h]:mm:ss"/>'
            '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="21" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            "</styleSheet>"
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}" count="{len(SHARED)}">{"".join(SHARED)}</sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
    return path


@pytest.mark.parametrize("date1904", [False, True])
def test_sheet_xml_as_other_programs_write_it(tmp_path: Path, date1904: bool) -> None:
    path = handwritten(tmp_path / "by-hand.xlsx", date1904=date1904)
    theirs, ours = both(path)
    assert ours == theirs
    rows = ours["Written by hand"]
    # What the cases are meant to hold: rich text joined, phonetic runs left out, empty text empty, shared strings,
    # a date by its style in the workbook's epoch, an out-of-range date as Excel's error value, a row out of order
    # left out.
    first = [value for _, value in rows[0]]
    assert first[:5] == ["plain", "  spaced\n lines  ", "", "bold and plain", "漢字"]
    assert first[6:9] == ["abc", "<x> & y", "line\r\ntwo\ttab & more 😀"]
    second = dict(zip([*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "AA"], (value for _, value in rows[1]), strict=True))
    assert second["A"] == "shared plain" and second["B"] == "bold and plain" and second["C"] == "漢字"
    assert second["G"] is True and second["I"] == "#N/A" and second["J"] == "plainx" and second["L"] is None
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    assert second["R"] == epoch + dt.timedelta(days=46082)
    assert second["T"] == dt.timedelta(days=1.25) and second["U"] == "#VALUE!"
    assert rows[3] == [] and [value for _, value in rows[4]] == ["no reference, A", "no reference, B", 3]


def test_what_openpyxl_refuses_is_refused(tmp_path: Path) -> None:
    """A cell reference or style openpyxl cannot read fails the same way, not as a value made up."""
    for bad in (
        '<row r="1"><c r="A1B2"><v>1</v></c></row>',
        '<row r="1"><c r="AAAA1"><v>1</v></c></row>',
        '<row r="1"><c r="A1" s="x" t="inlineStr"><is><t>styled</t></is></c></row>',
        '<row r="1"><c r="A1"><v>not a number</v></c></row>',
        '<row r="1.5"><c r="A1"><v>1</v></c></row>',
    ):
        path = handwritten(tmp_path / "bad.xlsx", sheet_data=bad)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        worksheet = workbook.worksheets[0]
        with pytest.raises(Exception) as theirs:
            list(worksheet.iter_rows(values_only=True))
        with worksheet._get_source() as part:
            data = part.read()
        with pytest.raises(Exception) as ours:
            list(sheet_rows(data, [], workbook.epoch, workbook._date_formats, workbook._timedelta_formats))
        assert type(ours.value) is type(theirs.value) and str(ours.value) == str(theirs.value)
        workbook.close()


def test_a_large_export_reads_the_same(tmp_path: Path) -> None:
    """read_spreadsheet over an export with thousands of cells, against openpyxl's rows."""
    path = tmp_path / "large.xlsx"
    sheets.fedramp_workbook(
        path, open_rows=[dict(sheets.FEDRAMP_OPEN[n % 2], **{"POAM ID": f"V-{n}"}) for n in range(300)]
    )
    result = import_poam(path, as_of=AS_OF)
    assert result.poam is not None
    export_poam(result.poam, tmp_path / "out.xlsx", layout="fedramp")
    assert_same(tmp_path / "out.xlsx")
    read = read_spreadsheet(tmp_path / "out.xlsx")
    assert sum(len(s.rows) for s in read.sheets) > 300
