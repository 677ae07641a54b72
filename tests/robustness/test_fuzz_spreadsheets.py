"""Damaged legacy POA&M spreadsheets: `import` gives a valid POA&M (or none) or a located LoadError, nothing else.

Seeds are the filled FedRAMP, eMASS and ad-hoc CSV sheets of the legacy tests. Damage: rows and columns
dropped or duplicated, cells retyped (numbers, dates, booleans, formulas, error values, odd or very long
text), headers changed, title rows above the header; CSV in several encodings and delimiters; and bytes:
the file truncated or overwritten, or one member of the .xlsx package damaged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from typing import Any, cast

import openpyxl
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from oscal_poam.errors import LoadError
from oscal_poam.legacy.api import import_poam
from tests.legacy import sheets
from tests.robustness.mutations import assert_writable, damaged_bytes, examples, valid_unusual_text, xml_compatible

Grid = list[list[Any]]

SEEDS: dict[str, Grid] = {
    "fedramp": [
        list(sheets.FEDRAMP_HEADERS),
        *([r.get(h) for h in sheets.FEDRAMP_HEADERS] for r in cast(list[dict[str, Any]], sheets.FEDRAMP_OPEN)),
    ],
    "emass": [list(sheets.EMASS_HEADERS), *([r.get(h) for h in sheets.EMASS_HEADERS] for r in sheets.EMASS_ROWS)],
    "csv": [list(sheets.CSV_HEADER), *(list(r) for r in sheets.CSV_ROWS)],
}
SHEET_NAMES = ("Open POA&M Items", "POA&M", "Closed POA&M Items", "Sheet1", "Example", "Instructions", "Δ ünïcode")

WHOLE_FILE = (
    "file is empty",
    "not a readable .xlsx workbook",
    "an Excel 97-2003",
    "not a CSV file",
    "cannot decode the file as text",
    "no header row found",
    "refused: the part",
    "the workbook unpacks to",
    "... and ",
)
"""Problems about the file as a whole, which have no cell to name."""
CELL = re.compile(r"^(?:'(?:[^']|'')*'!)?(?:[A-Z]{1,3}\d+|\d+:\d+)$")

odd_values = st.sampled_from(
    [
        "=1+1",
        '=HYPERLINK("http://evil.example","x")',
        "@SUM(A1:A2)",
        "+1",
        "-1",
        "#REF!",
        "#N/A",
        "TBD",
        "n/a",
        "13/45/2025",
        "2025-02-30",
        "00/00/0000",
        "AC.L2-3.1.1[z]",
        "3.1.99",
        "AC-2; 3.1.1, ,;",
        "Completed",
        "Risk Accepted",
        "1. step - 12/01/2025\n2) - \n3.",
        "",
        " ",
    ]
)
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(min_value=dt.date(1900, 3, 1)),
    valid_unusual_text,
    odd_values,
    st.integers(1000, 40_000).map(lambda n: ("very long text " * (n // 15 + 1))[:n]),
)


@st.composite
def damaged_grid(draw: st.DrawFn, seed: str) -> Grid:
    grid = [list(row) for row in SEEDS[seed]]
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(("cell", "cell", "header", "drop-row", "dup-row", "drop-col", "dup-col")))
        row = draw(st.integers(0, len(grid) - 1))
        width = max(len(r) for r in grid)
        column = draw(st.integers(0, max(width - 1, 0)))
        if operation in ("cell", "header"):
            target = grid[0] if operation == "header" else grid[row]
            target.extend([None] * (column + 1 - len(target)))
            target[column] = draw(cells)
        elif operation == "drop-row" and len(grid) > 1:
            del grid[row]
        elif operation == "dup-row":
            grid.insert(row, list(grid[row]))
        elif operation == "drop-col":
            for r in grid:
                if column < len(r):
                    del r[column]
        elif operation == "dup-col":
            for r in grid:
                if column < len(r):
                    r.insert(column, r[column])
    titles = draw(st.lists(st.lists(cells, max_size=4), max_size=5))
    return [*titles, *grid]


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return xml_compatible(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_xlsx(grid: Grid, sheet: str) -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=_xlsx_value(value))
    workbook.properties.created = workbook.properties.modified = dt.datetime(2025, 11, 10)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _stable_package(buffer.getvalue())


def _stable_package(package: bytes) -> bytes:
    """The package with fixed member times, so that the same workbook always gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(zipfile.ZipInfo(name, (2025, 11, 10, 0, 0, 0)), source.read(name), zipfile.ZIP_DEFLATED)
    return out.getvalue()


@cache
def seed_package(seed: str) -> bytes:
    return write_xlsx(SEEDS[seed], "POA&M")


def write_csv(grid: Grid, delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([["" if v is None else str(v) for v in row] for row in grid])
    return buffer.getvalue().encode(encoding, errors="replace")


@st.composite
def damaged_member(draw: st.DrawFn, package: bytes) -> bytes:
    """The .xlsx package with one member's bytes damaged (the zip itself intact)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    names = source.namelist()
    victim = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            data = source.read(name)
            target.writestr(source.getinfo(name), draw(damaged_bytes(data)) if name == victim else data)
    return out.getvalue()


def imported_or_located(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"poam{suffix}"
        path.write_bytes(data)
        try:
            result = import_poam(path)
        except LoadError as exc:
            for problem in exc.problems:
                assert problem.file == str(path), problem
                assert problem.message.strip()
                if problem.pointer is not None:
                    assert CELL.match(problem.pointer), problem
                elif problem.line is None:
                    assert problem.message.startswith(WHOLE_FILE), f"no cell, row or line: {problem}"
            return
    if result.poam is not None:
        assert result.poam.poam_items
        assert_writable(result.poam)


@examples(100)
@given(st.data(), st.sampled_from(["fedramp", "emass", "csv"]), st.sampled_from(SHEET_NAMES))
def test_damaged_workbook(data: st.DataObject, seed: str, sheet: str) -> None:
    imported_or_located(write_xlsx(data.draw(damaged_grid(seed)), sheet), ".xlsx")


@examples(100)
@given(
    st.data(),
    st.sampled_from(["fedramp", "emass", "csv"]),
    st.sampled_from(",;\t|"),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_damaged_csv(data: st.DataObject, seed: str, delimiter: str, encoding: str) -> None:
    imported_or_located(write_csv(data.draw(damaged_grid(seed)), delimiter, encoding), ".csv")


@examples(60)
@given(st.data(), st.sampled_from(["fedramp", "emass"]))
def test_damaged_package_member(data: st.DataObject, seed: str) -> None:
    imported_or_located(data.draw(damaged_member(seed_package(seed))), ".xlsx")


@examples(60)
@given(st.data(), st.sampled_from(["fedramp", "csv"]), st.booleans())
def test_damaged_bytes(data: st.DataObject, seed: str, xlsx: bool) -> None:
    raw = seed_package(seed) if xlsx else write_csv(SEEDS[seed], ",", "utf-8")
    imported_or_located(data.draw(damaged_bytes(raw)), ".xlsx" if xlsx else ".csv")
