"""`oscal-poam import` and `oscal-poam export` through the console entry point: output, files and exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from oscal_poam.diagnostics import Severity, has_at_least
from oscal_poam.io.load import load
from oscal_poam.legacy.api import import_poam
from tests.cli_runner import Runner, runner
from tests.legacy import sheets
from tests.legacy.test_templates import FEDRAMP


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    """`oscal-poam ARGS` through the console entry point, in this process (exit codes included)."""
    return runner(capsys, monkeypatch)


def test_import_writes_json_and_xml_and_prints_the_summary(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = sheets.emass_workbook(tmp_path / "emass.xlsx")
    out, xml = tmp_path / "poam.json", tmp_path / "poam.xml"
    ran = run("import", str(source), "-o", str(out), "--xml", str(xml), "--as-of", "2025-11-10")
    expected = import_poam(source, as_of=dt.date(2025, 11, 10))
    assert ran.returncode == (1 if has_at_least(expected.diagnostics, Severity.ERROR) else 0), ran.stdout + ran.stderr
    assert "Columns mapped" in ran.stdout and "Columns kept as props" in ran.stdout
    assert "Wrote" in ran.stdout and "3 items, 4 milestones" in ran.stdout
    assert "credibility-one-requirement-per-item" in ran.stdout  # item 101 names two requirements
    assert len(load(out).model.poam_items) == 3  # type: ignore[attr-defined]
    assert len(load(xml).model.poam_items) == 3  # type: ignore[attr-defined]


def test_import_fail_on_warning(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = sheets.write_csv(tmp_path / "gaps.csv")
    ran = run("import", str(source), "-o", str(tmp_path / "p.json"), "--as-of", "2025-11-10", "--fail-on", "warning")
    assert ran.returncode == 1
    assert (tmp_path / "p.json").exists()


def test_import_json_output(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = sheets.write_csv(tmp_path / "gaps.csv")
    ran = run("import", str(source), "-o", str(tmp_path / "p.json"), "--as-of", "2025-11-10", "-f", "json")
    payload = json.loads(ran.stdout)
    assert payload["summary"]["items"] == 2
    assert payload["summary"]["columns-kept"][0]["header"] == "Internal Ticket"
    assert payload["written"] == [str(tmp_path / "p.json")]
    assert {d["rule-id"] for d in payload["diagnostics"]} >= {"credibility-root-cause"}


def test_the_empty_template_writes_nothing_and_succeeds(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "poam.json"
    ran = run("import", str(FEDRAMP), "-o", str(out))
    assert ran.returncode == 0, ran.stderr
    assert "Nothing written: the spreadsheet holds no POA&M items." in ran.stdout
    assert not out.exists()


def test_a_bad_sheet_exits_3_and_writes_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = sheets.fedramp_workbook(tmp_path / "poam.xlsx")
    workbook = openpyxl.load_workbook(source)
    workbook["Open POA&M Items"]["L6"] = "soon"
    workbook.save(source)
    out, xml = tmp_path / "poam.json", tmp_path / "poam.xml"
    out.write_text("previous content")
    ran = run("import", str(source), "-o", str(out), "--xml", str(xml))
    assert ran.returncode == 3
    assert "'Open POA&M Items'!L6" in ran.stderr and "Scheduled Completion Date" in ran.stderr
    assert out.read_text() == "previous content"
    assert not xml.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["poam.json", "poam.xlsx"]


def test_a_missing_file_exits_3(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ran = run("import", str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "p.json"))
    assert ran.returncode == 3
    assert "file not found" in ran.stderr


def test_export_writes_the_layout(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = sheets.emass_workbook(tmp_path / "emass.xlsx")
    poam = tmp_path / "poam.json"
    run("import", str(source), "-o", str(poam), "--as-of", "2025-11-10")
    ran = run("export", str(poam), "-o", str(tmp_path / "fedramp.xlsx"), "--layout", "fedramp")
    assert ran.returncode == 0, ran.stderr
    assert "3 items in 3 rows" in ran.stdout
    assert "not written" in ran.stdout  # eMASS risk columns have no FedRAMP column
    names = openpyxl.load_workbook(tmp_path / "fedramp.xlsx").sheetnames
    assert names == [
        "Open POA&M Items",
        "Closed POA&M Items",
        "Configuration Findings",
        "Record of Changes",
        "oscal-poam",
    ]


def test_export_refuses_other_suffixes_and_bad_input(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ran = run("export", str(tmp_path / "poam.json"), "-o", str(tmp_path / "out.csv"))
    assert ran.returncode == 2
    ran = run("export", str(tmp_path / "missing.json"), "-o", str(tmp_path / "out.xlsx"))
    assert ran.returncode == 3
    assert not (tmp_path / "out.xlsx").exists()
