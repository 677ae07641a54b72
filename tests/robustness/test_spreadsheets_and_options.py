"""Spreadsheets, mapping files, --exclude and text output under attack.

Spreadsheets are read as streams under a row cap that gives a located error; a CSV has one encoding, and a
file mixing two is refused where they change; a workbook is a workbook whatever its name. A mapping file is
read as every input is. --exclude patterns are checked and matched in linear time. Names and messages in text
output cannot start a line of their own (GitHub Actions workflow commands) nor reach the terminal raw.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from oscal_poam.errors import LoadError
from oscal_poam.legacy.api import import_poam
from oscal_poam.legacy.read import read_spreadsheet
from tests.conftest import ROOT
from tests.legacy import sheets
from tests.robustness.many_runs import run_many

EXAMPLE = ROOT / "examples" / "l2-conditional"


# -- rows ---------------------------------------------------------------------------------------------------


def _csv_rows(path: Path, rows: int) -> Path:
    body = "".join(f"V-{n},AC.L2-3.1.1,weakness {n}\n" for n in range(rows))
    path.write_text("POAM ID,Controls,Weakness Name\n" + body, encoding="utf-8")
    return path


def test_a_csv_past_the_row_cap_is_a_located_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSCAL_POAM_MAX_ROWS", "1000")
    path = _csv_rows(tmp_path / "many.csv", 1_500)
    with pytest.raises(LoadError) as caught:
        read_spreadsheet(path)
    (problem,) = caught.value.problems
    assert problem.line == 1001
    assert problem.message == "more than 1,000 rows hold values (OSCAL_POAM_MAX_ROWS); the rest is not read"


def test_a_csv_of_200000_rows_is_refused_under_the_default_cap(tmp_path: Path) -> None:
    path = _csv_rows(tmp_path / "many.csv", 200_000)
    (outcome,) = run_many([["import", str(path), "-o", str(tmp_path / "p.json")]], memory=1024**3)
    assert outcome.code == 3, outcome.stderr
    assert "more than 100,000 rows hold values" in outcome.stderr
    assert not (tmp_path / "p.json").exists()


def test_a_workbook_past_the_row_cap_is_a_located_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSCAL_POAM_MAX_ROWS", "300")
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("POA&M Items")
    sheet.append(["POAM ID", "Controls", "Weakness Name"])
    for n in range(400):
        sheet.append([f"V-{n}", "AC.L2-3.1.1", f"weakness {n}"])
    path = tmp_path / "many.xlsx"
    workbook.save(path)
    with pytest.raises(LoadError) as caught:
        read_spreadsheet(path)
    (problem,) = caught.value.problems
    assert problem.file == f"{path}, sheet 'POA&M Items'"
    assert problem.line == 301


# -- encodings and names ------------------------------------------------------------------------------------


def test_a_csv_mixing_utf8_and_windows_1252_is_refused_where_they_change(tmp_path: Path) -> None:
    text = "POAM ID,Controls,Weakness Name\nV-1,AC.L2-3.1.1,Café policy\nV-2,AC.L2-3.1.2,"
    data = text.encode("utf-8") + "it’s late\n".encode("cp1252")
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    with pytest.raises(LoadError) as caught:
        read_spreadsheet(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, 19)
    assert "the file is UTF-8, but byte 78 (0x92) is not" in problem.message


@pytest.mark.parametrize(("encoding", "expected"), [("utf-8", "utf-8"), ("cp1252", "windows-1252")])
def test_a_csv_in_one_encoding_reads_without_mojibake(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / "one.csv"
    path.write_bytes("POAM ID,Controls,Weakness Name\nV-1,AC.L2-3.1.1,Café it’s\n".encode(encoding))
    book = read_spreadsheet(path)
    assert book.encoding == expected
    assert book.sheets[0].rows[1][2] == "Café it’s"


def test_a_workbook_named_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    real = sheets.fedramp_workbook(tmp_path / "poam.xlsx")
    disguised = tmp_path / "poam.csv"
    shutil.copyfile(real, disguised)
    assert import_poam(disguised).summary.items == import_poam(real).summary.items > 0
    assert import_poam(disguised).summary.kind == "xlsx"


# -- mapping files ------------------------------------------------------------------------------------------

MAPPINGS = {
    "alias bomb": "a: &a ['" + "x" * 200_000 + "']\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "columns: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
    "deeply nested": "columns: " + "[" * 5_000 + "]" * 5_000 + "\n",
    "duplicate key": "columns:\n  Owner: owner\n  Owner: title\n",
    "not UTF-8": b"columns:\n  Owner: \xff\n",
}


def test_hostile_mapping_files_are_located_errors(tmp_path: Path) -> None:
    csv = sheets.write_csv(tmp_path / "poam.csv")
    commands = []
    for n, text in enumerate(MAPPINGS.values()):
        path = tmp_path / f"map-{n}.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        commands.append(["import", str(csv), "--mapping", str(path), "-o", str(tmp_path / f"out-{n}.json")])
    outcomes = run_many(commands, memory=1024**3)
    for name, outcome in zip(MAPPINGS, outcomes, strict=True):
        assert outcome.code == 3, (name, outcome.stderr)
        assert "map-" in outcome.stderr and "Traceback" not in outcome.stderr, name
    assert not list(tmp_path.glob("out-*"))


# -- --exclude ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", ["[z-a]", "\\", "a/[b-a]/c"])
def test_an_exclude_that_is_no_pattern_is_a_usage_error(pattern: str, tmp_path: Path) -> None:
    (outcome,) = run_many([["validate", str(tmp_path), "--exclude", pattern]])
    assert outcome.code == 2, outcome.stderr
    assert "is not a .gitignore pattern" in outcome.stderr


def test_excludes_match_in_linear_time_on_deep_folders(tmp_path: Path) -> None:
    """`**/` repeated between names backtracked for minutes on a deep path with a regular-expression engine
    that backtracks; on RE2 it is linear."""
    deep = tmp_path.joinpath(*(["a"] * 150))
    deep.mkdir(parents=True)
    (deep / "c.json").write_text("{}", encoding="utf-8")
    (deep / "b.json").write_text("{}", encoding="utf-8")
    pattern = "**/a/**/a/**/a/**/a/**/a/**/b.json"
    (outcome,) = run_many([["validate", str(tmp_path), "--exclude", pattern, "--format", "json"]], timeout=60)
    assert outcome.code == 0, outcome.stderr
    assert "2 files" not in outcome.stderr
    documents = {d["document"] for d in json.loads(outcome.stdout)["diagnostics"]}
    assert documents == {f"{deep.as_posix()}/c.json"}


# -- text output that cannot be steered ---------------------------------------------------------------------

STEERING = [
    "x\n::error file=README.md,line=1::pwned",
    "x\r::warning::pwned",
    "x\x1b[2J\x1b[31mred",
    "x\u2028::notice::pwned",
    "x\x85::error::next line",
]


def test_names_and_values_cannot_start_a_line_of_their_own(tmp_path: Path) -> None:
    """A file name or a key holding a line break and `::error ...` stays inside its diagnostic line."""
    repo = tmp_path / "repo"
    repo.mkdir()
    data = json.loads((EXAMPLE / "poam.json").read_bytes())
    for n, steer in enumerate(STEERING):
        (repo / f"{steer}-{n}.json").write_text("{not json", encoding="utf-8")
        keyed = json.loads(json.dumps(data))
        keyed["plan-of-action-and-milestones"]["metadata"][steer] = "v"
        (repo / f"keyed-{n}.json").write_text(json.dumps(keyed), encoding="utf-8")
    (outcome,) = run_many([["validate", str(repo), "--format", "text"]])
    assert outcome.code == 1, outcome.stderr
    output = outcome.stdout + outcome.stderr
    for line in output.splitlines():
        assert not line.lstrip().startswith("::"), line
    for raw in ("\x1b", "\r", "\u2028", "\x85"):
        assert raw not in output
    assert "x\\n::error file=README.md,line=1::pwned" in output
    assert output.count("validate-model") == 2 * len(STEERING)


def test_command_line_errors_are_escaped_too(tmp_path: Path) -> None:
    name = tmp_path / "x\n::error::pwned.json"
    name.write_text("{", encoding="utf-8")
    (outcome,) = run_many([["info", str(name)]])
    assert outcome.code == 3
    assert all(not line.startswith("::") for line in outcome.stderr.splitlines())
    assert "\\n::error::pwned.json" in outcome.stderr
    assert os.path.exists(name)
