"""The cell values of a worksheet's XML, as openpyxl's read-only mode gives them (`iter_rows(values_only=True)`),
parsed by lxml.

openpyxl parses a sheet with the standard library's parser, in pure Python when defusedxml is installed (its
handlers are Python methods), and builds an object for each inline string; most of the time of reading a large
sheet went there. Here libxml2 parses, and each cell's value is what openpyxl's `WorkSheetParser.parse_cell`
makes of it with `data_only=True`, row by row as `ReadOnlyWorksheet._cells_by_row` places them: a number, a date
(by the cell's style), a shared or inline string, a boolean, an error's text, a formula's saved value. An inline
string of anything but one plain `<t>` (rich-text runs, phonetic runs) goes through openpyxl's own `Text`, so its
text is the one openpyxl gives. tests/legacy/test_cells.py holds the two readers to the same values.

Only the cell data is read: the parts of the sheet openpyxl also parses (column widths, validations, views), which
hold no value, are not.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Container, Iterator, Sequence

from lxml import etree
from openpyxl.cell.text import Text
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW = _MAIN + "row"
_DATA = _MAIN + "sheetData"
_VALUE = _MAIN + "v"
_INLINE = _MAIN + "is"
_TEXT = _MAIN + "t"
_DIGITS = "0123456789"

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None


def sheet_rows(
    data: bytes,
    shared: Sequence[str],
    epoch: dt.datetime,
    dates: Container[int],
    durations: Container[int],
) -> Iterator[tuple[CellValue, ...]]:
    """Each row of the sheet from row 1 to its last, an empty tuple for a row it does not hold.

    `shared`: the workbook's shared strings; `dates`/`durations`: the style ids whose number format is a date or a
    duration; `epoch`: the workbook's day 0.
    """
    parser = _Cells(shared, epoch, dates, durations)
    expected = 1
    events = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=_ROW,
        remove_comments=True,
        remove_pis=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    for _, row in events:
        number = parser.row_number(row.get("r"))
        values = parser.values(row)
        if number >= expected:  # a row out of order or twice is skipped, as openpyxl does
            for _ in range(expected, number):
                yield ()
            yield values
            expected = number + 1
        row.clear(keep_tail=True)
        parent = row.getparent()
        if parent is not None and parent.tag == _DATA:  # rows read are let go; a row inside a row stays, cleared
            while row.getprevious() is not None:
                del parent[0]


class _Cells:
    """The values of a row's cells; the counters carry over from row to row, as they do in openpyxl."""

    def __init__(
        self, shared: Sequence[str], epoch: dt.datetime, dates: Container[int], durations: Container[int]
    ) -> None:
        self.shared, self.epoch, self.dates, self.durations = shared, epoch, dates, durations
        self.row = 0
        self.columns: dict[str, int] = {}

    def row_number(self, given: str | None) -> int:
        if given is None:
            self.row += 1
        else:
            try:
                self.row = int(given)
            except ValueError:
                number = float(given)
                if not number.is_integer():
                    raise ValueError(f"{given} is not a valid row number") from None
                self.row = int(number)
        return self.row

    def values(self, row: etree._Element) -> tuple[CellValue, ...]:
        column = 0
        found: list[tuple[int, CellValue]] = []
        known = self.columns
        for cell in row:
            coordinate = cell.get("r")
            if coordinate:
                letters = coordinate.rstrip(_DIGITS)
                column = known.get(letters, 0) if len(letters) < len(coordinate) else 0
                if not column:
                    column = self.column(coordinate, letters)
            else:
                column += 1
            found.append((column, self.value(cell)))
        if not found:
            return ()
        width = found[-1][0]  # the last cell's column, as openpyxl sizes a row
        values: list[CellValue] = [None] * width
        for at, value in found:
            if 1 <= at <= width:
                values[at - 1] = value
        return tuple(values)

    def column(self, coordinate: str, letters: str) -> int:
        """The column of a cell reference, as openpyxl reads it; a reference of letters then digits is remembered
        by its letters (openpyxl's reading of it depends on nothing else)."""
        column: int = coordinate_to_tuple(coordinate)[1]
        if letters.isascii() and letters.isalpha():
            self.columns[letters] = column
        return column

    def value(self, cell: etree._Element) -> CellValue:
        kind = cell.get("t", "n")
        given = cell.get("s")
        style = int(given) if given else 0 if given is None else -1  # an empty style attribute names no style
        if kind == "inlineStr":
            for child in cell.iterchildren(_INLINE):  # the first, as openpyxl's find() takes it
                return _inline(child)
            return None
        text = next((v.text for v in cell.iterchildren(_VALUE)), None)
        if not text:  # no <v>, or an empty one
            return None
        if kind == "n":
            number = float(text) if "." in text or "E" in text or "e" in text else int(text)
            if style in self.dates:
                try:
                    return from_excel(number, self.epoch, timedelta=style in self.durations)  # type: ignore[no-any-return]
                except (OverflowError, ValueError):
                    return "#VALUE!"  # a date out of range: openpyxl's error value
            return number
        if kind == "s":
            return self.shared[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)  # type: ignore[no-any-return]
        return text


def _inline(child: etree._Element) -> str:
    """An inline string's text: one plain `<t>` directly, anything else as openpyxl's `Text` reads it."""
    if len(child) == 1 and not child.attrib:
        only = child[0]
        if only.tag == _TEXT:
            return only.text or ""
    return Text.from_tree(child).content  # type: ignore[no-any-return]
