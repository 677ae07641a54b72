"""Real layouts read as their users write them, and exports that look like the templates people know."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import jsonschema_rs
import openpyxl
import pytest
import yaml

from oscal_poam.errors import LoadError
from oscal_poam.legacy.api import export_poam, import_poam
from oscal_poam.legacy.layouts import EMASS, FEDRAMP, FIELDS, match_field
from oscal_poam.legacy.mapping import parse_mapping
from tests.cli_runner import Runner, runner
from tests.conftest import LEGACY_EXAMPLES, ROOT
from tests.legacy import sheets

EXAMPLE = ROOT / "examples" / "l2-conditional" / "poam-maintained.json"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    return runner(capsys, monkeypatch)


# -- the 2018 eMASS export -----------------------------------------------------------------------------------


def test_2018_emass_milestones_one_per_row_with_the_date_taken_out(tmp_path: Path) -> None:
    result = import_poam(sheets.emass_2018_workbook(tmp_path / "emass-2018.xlsx"))
    assert result.summary.layout == "emass-2018"
    assert not result.summary.skipped_rows
    first, second = result.items
    assert [(m.title, m.scheduled) for m in first.milestones] == [
        ("Identify all servers missing the patch", dt.date(2018, 10, 15)),
        ("Apply the patch to the development servers", dt.date(2018, 11, 1)),
        ("Apply the patch to the production servers", dt.date(2018, 11, 30)),
        ("Verify with an ACAS scan", dt.date(2018, 12, 10)),
    ]
    # The text as written stays the milestone's description; the row's Milestone Changes stays on it.
    assert first.milestones[2].description == "Apply the patch to the production servers 11/30/2018"
    assert first.milestones[2].extra == {"legacy-milestone-changes": "Moved from 11/15/2018: change freeze"}
    assert not any(name.startswith("legacy-milestone-with") for name in first.extra)
    assert [m.title for m in second.milestones] == ["Extend retention to 90 days"]
    assert (first.controls, second.controls) == ("SI-2", "AU-11; 3.3.1")
    assert second.status == "Risk Accepted"


@pytest.mark.parametrize(
    "header",
    ["Security Control Number (NC/NA controls only)", "Security Control Number (NC/NH/NI)", "Security Control Number"],
)
def test_security_control_number_headers_are_the_controls(header: str, tmp_path: Path) -> None:
    assert match_field(header) == "controls"
    headers = [header if h.startswith("Security Control Number") else h for h in sheets.EMASS_2018_HEADERS]
    result = import_poam(sheets.emass_2018_workbook(tmp_path / "sheet.xlsx", headers))
    assert [i.controls for i in result.items] == ["SI-2", "AU-11; 3.3.1"]
    summary = export_poam(result.poam, tmp_path / "out.xlsx", layout="fedramp")  # type: ignore[arg-type]
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Open POA&M Items"]
    assert [ws["B6"].value, ws["B7"].value] == ["SI-2", "AU-11; 3.3.1"]  # Controls no longer empty
    assert summary.items == 2


def test_sp_800_53_ids_are_kept_as_written_and_named_for_what_they_are(tmp_path: Path) -> None:
    result = import_poam(sheets.emass_2018_workbook(tmp_path / "sheet.xlsx"))
    messages = [d.message for d in result.diagnostics if d.rule_id == "legacy-requirement-unmapped"]
    assert "'SI-2' is a NIST SP 800-53 control, not a CMMC requirement; kept as written" in messages[0]
    assert result.poam is not None
    second = result.poam.poam_items[1]
    props = {p.name: p.value for p in second.props or []}
    assert props["cmmc-requirement"] == "AU.L2-3.3.1" and props["legacy-controls"] == "AU-11; 3.3.1"


# -- cells that cannot be trusted ----------------------------------------------------------------------------


def _with_saved_value(path: Path, cell: str, value: str) -> Path:
    """The workbook as a spreadsheet program saves it: the formula's last value stored with it."""
    out = path.with_name("saved.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                start = data.index(f'<c r="{cell}"'.encode())
                end = data.index(b"</f>", start) + len(b"</f>")
                data = (
                    data[:start]
                    + data[start:end].replace(b"<c ", b'<c t="str" ', 1)
                    + b"<v>"
                    + value.encode()
                    + b"</v>"
                    + data[end:]
                )
            target.writestr(info, data)
    return out


def _formula_sheet(path: Path) -> Path:
    rows = [dict(sheets.FEDRAMP_OPEN[0])]
    sheets.fedramp_workbook(path, open_rows=rows)
    workbook = openpyxl.load_workbook(path)
    workbook["Open POA&M Items"]["Y6"] = '=HYPERLINK("https://evidence.example/ticket/4411","CHG-4411")'
    workbook.save(path)
    return path


def test_a_formula_with_no_saved_value_is_refused_with_its_cell(tmp_path: Path, run: Runner) -> None:
    path = _formula_sheet(tmp_path / "formula.xlsx")
    with pytest.raises(LoadError) as raised:
        import_poam(path)
    (problem,) = raised.value.problems
    assert "row 6, column Y (Supporting Documents) holds a formula with no value saved" in problem.message
    ran = run("import", str(path), "-o", str(tmp_path / "poam.json"))
    assert ran.returncode == 3
    assert "'Open POA&M Items'!Y6" in ran.stderr
    assert not (tmp_path / "poam.json").exists()


def test_a_formula_with_a_saved_value_is_imported_with_a_warning(tmp_path: Path) -> None:
    path = _with_saved_value(_formula_sheet(tmp_path / "formula.xlsx"), "Y6", "CHG-4411")
    result = import_poam(path)
    (item,) = result.items[:1]
    assert item.extra["legacy-supporting-documents"] == "CHG-4411"
    (warning,) = [d for d in result.diagnostics if d.rule_id == "legacy-formula-value"]
    assert warning.pointer == "'Open POA&M Items'!Y6"


def test_openpyxl_warnings_never_reach_the_terminal(tmp_path: Path, run: Runner) -> None:
    """A workbook with a data-validation extension (Excel writes them for lists on other sheets)."""
    source = sheets.emass_workbook(tmp_path / "emass.xlsx")
    extended = tmp_path / "extended.xlsx"
    extension = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
        b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list">'
        b"<x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>F8:F100</xm:sqref>"
        b"</x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(extended, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", extension + b"</worksheet>")
            b.writestr(info, data)
    with pytest.warns(UserWarning, match="Data Validation extension"):
        openpyxl.load_workbook(extended)  # openpyxl does warn of it ...
    ran = run("import", str(extended), "-o", str(tmp_path / "poam.json"))
    assert ran.returncode in (0, 1)
    assert "Warning" not in ran.stderr and "extension" not in ran.stderr + ran.stdout  # ... and nothing shows


# -- MAP.yaml ------------------------------------------------------------------------------------------------

MAP_SCHEMA = ROOT / "oscal_poam" / "legacy" / "map.schema.json"


def test_the_readme_example_map_is_valid_and_does_what_it_says(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n# MAP.yaml", 1)[1].split("```", 1)[0]
    data = yaml.safe_load("# MAP.yaml" + example)
    assert list(jsonschema_rs.validator_for(json.loads(MAP_SCHEMA.read_text())).iter_errors(data)) == []
    mapping = parse_mapping(data)
    assert mapping.overrides == {"fixowner": "owner", "ctrlid": "controls", "internalref": "keep"}
    assert mapping.header_row == 3


@pytest.mark.parametrize(
    "data",
    [
        {"columns": {"Fix Owner": "nobody"}},
        {"columns": ["Fix Owner"]},
        {"header-row": 0},
        {"columns": {}, "sheets": "all"},
    ],
)
def test_the_schema_and_the_reader_refuse_the_same_maps(data: object) -> None:
    schema = jsonschema_rs.validator_for(json.loads(MAP_SCHEMA.read_text()))
    assert list(schema.iter_errors(data))
    with pytest.raises(LoadError):
        parse_mapping(data)


def test_the_schema_names_every_field() -> None:
    allowed = json.loads(MAP_SCHEMA.read_text())["properties"]["columns"]["additionalProperties"]["enum"]
    assert set(allowed) == {f.name for f in FIELDS} | {f.label for f in FIELDS} | {"keep"}


# -- exports that look like the templates --------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["fedramp", "emass"])
def test_exports_keep_the_template(layout: str, tmp_path: Path) -> None:
    out = tmp_path / f"{layout}.xlsx"
    export_poam(EXAMPLE, out, layout=layout)  # type: ignore[arg-type]
    template_file = "FedRAMP-POAM-Template.xlsx" if layout == "fedramp" else "NAVY_eMASS_TEMPLATE.xlsx"
    template = openpyxl.load_workbook(LEGACY_EXAMPLES / template_file)
    written = openpyxl.load_workbook(out)
    spec = FEDRAMP if layout == "fedramp" else EMASS
    name = spec.sheets[0]
    ws, tw = written[name], template[name]
    assert ws["A1"].value == tw["A1"].value  # the template's own title and banner
    assert {str(r) for r in tw.merged_cells.ranges} <= {str(r) for r in ws.merged_cells.ranges}
    header = spec.header_row
    last = spec.first_column + len(spec.columns) - 1
    for letter, dimension in tw.column_dimensions.items():
        if openpyxl.utils.column_index_from_string(letter) <= last:
            assert ws.column_dimensions[letter].width == dimension.width, letter
    for column in range(spec.first_column, spec.first_column + len(spec.columns)):
        assert ws.cell(header, column).value == tw.cell(header, column).value
        written_fill, template_fill = ws.cell(header, column).fill, tw.cell(header, column).fill
        assert (written_fill.patternType, written_fill.fgColor.rgb) == (
            template_fill.patternType,
            template_fill.fgColor.rgb,
        )
    # Added columns after the template's own, marked as such.
    added = [ws.cell(header, spec.first_column + len(spec.columns) + n).value for n in range(len(spec.added))]
    assert added == [c.header for c in spec.added]
    # Real dates, and drop-down lists on the status columns.
    status_letter = openpyxl.utils.get_column_letter(
        next(c.column for c in ws[header] if c.value in ("Status", "POA&M Status"))
    )
    lists = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert any(status_letter + str(header + 1) in str(v.sqref) and "Risk Accepted" in (v.formula1 or "") for v in lists)
    scheduled = next(
        c.column for c in ws[header] if c.value in ("Scheduled Completion Date", "POA&M Scheduled Completion Date")
    )
    assert isinstance(ws.cell(header + 1, scheduled).value, dt.datetime)
    assert written.sheetnames[: len(template.sheetnames)] == template.sheetnames
    assert written["oscal-poam"].sheet_state == "hidden"


def test_template_columns_only_lists_what_is_not_carried(tmp_path: Path, run: Runner) -> None:
    out = tmp_path / "emass.xlsx"
    ran = run("export", str(EXAMPLE), "-o", str(out), "--layout", "emass", "--template-columns-only")
    assert ran.returncode == 0, ran.stderr
    assert "Not carried by the emass layout" in ran.stdout
    assert "Root Cause (item): 4" in ran.stdout and "Overall Remediation Plan (item): 4" in ran.stdout
    ws = openpyxl.load_workbook(out)["POA&M"]
    assert ws.cell(7, EMASS.first_column + len(EMASS.columns)).value is None


def test_the_shipped_templates_are_the_reference_ones() -> None:
    shipped = ROOT / "oscal_poam" / "legacy" / "templates"
    for name in ("FedRAMP-POAM-Template.xlsx", "NAVY_eMASS_TEMPLATE.xlsx"):
        assert (shipped / name).read_bytes() == (LEGACY_EXAMPLES / name).read_bytes(), name
