"""`oscal-poam catalog`: the requirements of a level as a table or as JSON."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from typing import Any

import pytest
from typer.testing import CliRunner

from oscal_poam.cli.app import app
from tests.conftest import CMMC_REFERENCE

runner = CliRunner()

KEYS = {
    "control_id",
    "label",
    "title",
    "family",
    "family_name",
    "level",
    "nist_id",
    "statement",
    "points",
    "partial_points",
    "requirement_type",
    "poam_eligible",
    "level1_id",
    "citation",
    "objectives",
}


def invoke(*args: str) -> Any:
    return runner.invoke(app, ["catalog", *args])


def as_json(*args: str) -> list[dict[str, Any]]:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def line_of(output: str, label: str) -> str:
    (line,) = [line for line in output.splitlines() if f" {label} " in line]
    return line


def test_level2_json_agrees_with_the_table() -> None:
    data = as_json("--level", "2")
    with (CMMC_REFERENCE / "l2_requirements.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [d["label"] for d in data] == [r["cmmc_id"] for r in rows]
    for item, row in zip(data, rows, strict=True):
        assert set(item) == KEYS
        assert item["points"] == (int(row["points"]) if row["points"] else None)
        assert item["partial_points"] == (int(row["partial_points"]) if row["partial_points"] else None)
        assert item["poam_eligible"] == row["poam_eligible"]
    assert sum(d["points"] or 0 for d in data) == 313
    assert sum(len(d["objectives"]) for d in data) == 320
    assert set(data[0]["objectives"][0]) == {"id", "letter", "text"}


@pytest.mark.parametrize(("level", "count"), [(1, 15), (3, 24)])
def test_other_levels_json(level: int, count: int) -> None:
    data = as_json("--level", str(level))
    assert len(data) == count
    assert {d["level"] for d in data} == {level}
    if level == 1:
        assert {d["points"] for d in data} == {None}
        assert {d["poam_eligible"] for d in data} == {"no"}
    else:
        assert {d["points"] for d in data} == {1}


def test_family_filter_ignores_case() -> None:
    data = as_json("--level", "2", "--family", "ac")
    assert len(data) == 22
    assert {d["family"] for d in data} == {"AC"}


def test_level2_table() -> None:
    result = invoke("--level", "2")
    assert result.exit_code == 0, result.output
    output = result.stdout
    assert "3/5" in line_of(output, "IA.L2-3.5.3")
    assert "conditional" in line_of(output, "SC.L2-3.13.11")
    assert "—" in line_of(output, "CA.L2-3.12.4")
    assert " 5 " in line_of(output, "AC.L2-3.1.1")
    assert "110 requirements; maximum score 110, minimum score -203" in output


def test_level1_table_has_no_points() -> None:
    result = invoke("--level", "1")
    assert result.exit_code == 0, result.output
    assert "Points" not in result.stdout
    assert "15 requirements; all must be MET" in result.stdout
    assert "PE.L1-b.1.ix" in result.stdout


def test_level3_family_table() -> None:
    result = invoke("-l", "3", "--family", "RA")
    assert result.exit_code == 0, result.output
    assert "7 of 24 requirements; maximum score 24, minimum score 0" in result.stdout
    assert "AC.L3-3.1.2e" not in result.stdout


def test_unknown_family_is_a_usage_error() -> None:
    result = invoke("--level", "3", "--family", "MP")
    assert result.exit_code == 2
    message = " ".join(result.output.replace("│", " ").split())  # the error box wraps lines
    assert "no family 'MP'" in message
    assert "its families are AC, AT, CM, IA, IR, PS, RA, CA, SC, SI" in message


@pytest.mark.parametrize("level", ["0", "4", "two"])
def test_bad_level_is_a_usage_error(level: str) -> None:
    assert invoke("--level", level).exit_code == 2


def test_console_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "oscal_poam.cli.app", "catalog", "--level", "3", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 24
