"""Read a spreadsheet into plain rows of cell values: .xlsx with openpyxl, CSV with the standard library.

Workbooks are opened in openpyxl's read-only mode (sheet names, shared strings, styles, epoch); each sheet's
cell values are read from its XML by oscal_poam/legacy/cells.py, the values openpyxl gives, parsed by lxml. Merged
cells, which read-only mode does not report, are read from the sheet's XML too, where they follow the cell data.
CSV files may be UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or Windows-1252, one
encoding for a whole file; the delimiter (comma, semicolon, tab or bar) is sniffed. Both are read as streams of
rows, at most OSCAL_POAM_MAX_ROWS of them holding values.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import openpyxl
from lxml import etree as lxml_etree

from oscal_poam.errors import LoadError
from oscal_poam.io.files import read_file
from oscal_poam.io.load import max_bytes_default
from oscal_poam.legacy.cells import CellValue, sheet_rows
from oscal_poam.limits import max_rows

if TYPE_CHECKING:
    from lxml import etree

Kind = Literal["xlsx", "csv"]

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
CSV_DELIMITERS = ",;\t|"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024

FORMULA_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#EXTERNAL!",
        "#PYTHON!",
    }
)
"""What Excel shows in a cell whose formula failed; such a cell has lost its value."""

_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]{1,3}\d+)(?::([A-Za-z]{1,3}\d+))?\"")
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d+)")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Merge:
    min_row: int
    min_col: int
    max_row: int
    max_col: int


@dataclass
class RawSheet:
    """One sheet's cells: `rows[i][j]` is row i+1, column j+1; trailing empty rows are dropped."""

    name: str
    rows: list[tuple[CellValue, ...]]
    merged: list[Merge] = field(default_factory=list)
    formulas: dict[tuple[int, int], bool] = field(default_factory=dict)
    """(row, column) of each formula cell -> whether the file holds the value it last computed."""

    def value(self, row: int, column: int) -> CellValue:
        if row < 1 or row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        return cells[column - 1] if 0 < column <= len(cells) else None


@dataclass
class RawWorkbook:
    source: str
    kind: Kind
    sheets: list[RawSheet]
    sheet_names: list[str]
    modified: dt.datetime | None = None
    encoding: str = ""
    delimiter: str = ""


def file_kind(path: Path, head: bytes) -> Kind:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    return "csv"


def read_spreadsheet(path: str | Path, sheet: str | None = None, max_bytes: int | None = None) -> RawWorkbook:
    """Every sheet of the workbook (or only `sheet`), or the CSV file as one sheet.

    `max_bytes` caps the file and, for a workbook, what its package unpacks to (default: OSCAL_POAM_MAX_BYTES,
    else 256 MiB).
    """

    file = Path(path)
    source = str(path)
    max_bytes = max_bytes_default() if max_bytes is None else max_bytes
    data = read_file(file, source, max_bytes=max_bytes)
    if not data:
        raise LoadError.single("file is empty: no sheet, no header row, no items", source)
    head = data[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise LoadError.single(
            "an Excel 97-2003 (.xls) or password-protected workbook; save it as .xlsx (unprotected) and import that",
            source,
        )
    if file_kind(file, head) == "xlsx":
        # Read from memory, by content: an .xlsx named .csv is still a workbook, and the file read is the one checked.
        package = io.BytesIO(data)
        _check_package(package, source, max_bytes)
        return _read_xlsx(package, source, sheet)
    if sheet is not None:
        raise LoadError.single(f"--sheet {sheet!r} names a sheet, but a CSV file has none", source)
    return _read_csv(data, source)


_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_PROLOG_HEAD = 65536


def _check_package(file: io.BytesIO, source: str, max_bytes: int) -> None:
    """Refuse a package that unpacks past the size cap (a zip bomb) or whose XML declares a document type.

    A spreadsheet needs no DTD; refusing every DOCTYPE before openpyxl parses a part closes entity
    expansion and external entities whatever parser openpyxl uses.
    """
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            if unpacked > max_bytes:
                raise LoadError.single(
                    f"the workbook unpacks to {unpacked:,} bytes, over the limit of {max_bytes:,} bytes "
                    "(OSCAL_POAM_MAX_BYTES)",
                    source,
                )
            for member in members:
                with archive.open(member) as stream:
                    head = stream.read(_PROLOG_HEAD)
                    if _prolog_runs_past(head):
                        head += stream.read()
                if _declares_doctype(head):
                    raise LoadError.single(
                        f"refused: the part {member.filename} of the workbook has a DOCTYPE; a spreadsheet needs "
                        "none, and DTDs and entities are not processed",
                        source,
                    )
    except LoadError:
        raise
    except Exception as exc:  # a damaged package: the same message openpyxl's failures give
        raise LoadError.single(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})", source) from None


def _utf8(data: bytes) -> bytes:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="ignore").encode("utf-8")
    return data


def _prolog_end(data: bytes) -> int:
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while (item := _PROLOG_ITEM.match(data, pos)) is not None:
        pos = item.end()
    return pos


def _prolog_runs_past(head: bytes) -> bool:
    """Comments or processing instructions fill the head: the DOCTYPE, if any, is further on."""
    if len(head) < _PROLOG_HEAD:
        return False
    text = _utf8(head)
    rest = text[_prolog_end(text) :]
    return not rest or rest.startswith((b"<!--", b"<?"))


def _declares_doctype(data: bytes) -> bool:
    text = _utf8(data)
    end = _prolog_end(text)
    return text[end : end + 9].upper() == b"<!DOCTYPE"


def _read_xlsx(file: io.BytesIO, source: str, only: str | None) -> RawWorkbook:
    # openpyxl warns of parts it leaves out (data-validation extensions, ...), none of which holds cell values;
    # its words would reach the user's terminal with no file or cell named.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_xlsx_quietly(file, source, only)


def _read_xlsx_quietly(file: io.BytesIO, source: str, only: str | None) -> RawWorkbook:
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # InvalidFileException, BadZipFile, XML syntax errors, ...
        raise LoadError.single(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})", source) from None
    try:
        names = list(workbook.sheetnames)
        if only is not None and only not in names:
            listed = ", ".join(repr(n) for n in names)
            raise LoadError.single(f"no sheet named {only!r}; the workbook's sheets are {listed}", source)
        merges, formulas = _merges_by_sheet(file, source)
        sheets: list[RawSheet] = []
        for worksheet in workbook.worksheets:
            if only is not None and worksheet.title != only:
                continue
            if not hasattr(worksheet, "reset_dimensions"):
                continue  # a chart sheet holds no cells
            with worksheet._get_source() as part:  # the sheet's XML, the part openpyxl would read
                data = part.read()
            found = sheet_rows(
                data, worksheet._shared_strings, workbook.epoch, workbook._date_formats, workbook._timedelta_formats
            )
            rows = _rows(found, source, worksheet.title)
            sheets.append(
                RawSheet(worksheet.title, rows, merges.get(worksheet.title, []), formulas.get(worksheet.title, {}))
            )
        modified = workbook.properties.modified if workbook.properties is not None else None
    except LoadError:
        raise
    except Exception as exc:  # a damaged package fails deep inside openpyxl or the XML parser, in many ways
        raise LoadError.single(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})", source) from None
    finally:
        workbook.close()
    return RawWorkbook(source, "xlsx", sheets, names, modified=modified)


def _rows(found: Iterable[Sequence[CellValue]], source: str, sheet: str) -> list[tuple[CellValue, ...]]:
    """Rows up to the last one holding a value; templates format empty rows down to row 1,048,576.

    Read as a stream: past OSCAL_POAM_MAX_ROWS rows holding a value, the rest is not read.
    """
    rows: list[tuple[CellValue, ...]] = []
    pending = 0
    limit, filled = max_rows(), 0
    for row in found:
        if row and any(v is not None and v != "" for v in row):
            filled += 1
            if filled > limit:
                raise _too_many_rows(limit, f"{source}, sheet {sheet!r}", line=len(rows) + pending + 1)
            if pending:
                rows.extend([()] * pending)
                pending = 0
            rows.append(tuple(row))
        else:
            pending += 1
    return rows


def _too_many_rows(limit: int, source: str, line: int) -> LoadError:
    return LoadError.single(
        f"more than {limit:,} rows hold values (OSCAL_POAM_MAX_ROWS); the rest is not read", source, line=line
    )


def _merges_by_sheet(
    file: io.BytesIO, source: str
) -> tuple[dict[str, list[Merge]], dict[str, dict[tuple[int, int], bool]]]:
    """Merged ranges and formula cells of each sheet, read from the package: openpyxl's read-only mode reports
    neither (merges sit after the cell data in the sheet XML; a formula cell gives only its saved value)."""

    parser = lxml_etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    found: dict[str, list[Merge]] = {}
    formulas: dict[str, dict[tuple[int, int], bool]] = {}
    with zipfile.ZipFile(file) as archive:
        names = set(archive.namelist())
        workbook_path = _office_document(archive, names, parser)
        if workbook_path is None:
            return found, formulas
        base = posixpath.dirname(workbook_path)
        rels_path = posixpath.join(base, "_rels", posixpath.basename(workbook_path) + ".rels")
        if rels_path not in names:
            return found, formulas
        rels = lxml_etree.fromstring(archive.read(rels_path), parser)
        targets = {
            rel.get("Id"): _resolve(base, rel.get("Target") or "")
            for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")
        }
        book = lxml_etree.fromstring(archive.read(workbook_path), parser)
        for sheet in book.iter(f"{{{_MAIN_NS}}}sheet"):
            target = targets.get(sheet.get(f"{{{_REL_NS}}}id"))
            if target is None or target not in names:
                continue
            data = archive.read(target)
            tail = data.rfind(b"sheetData>")
            ranges = [_merge(m) for m in _MERGE.finditer(data, max(tail, 0))]
            found[sheet.get("name") or ""] = [r for r in ranges if r is not None]
            formulas[sheet.get("name") or ""] = _formula_cells(data, max(tail, 0) or len(data))
    return found, formulas


_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\b[^>]*?\br=\"([A-Za-z]{1,3}\d+)\"")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)<")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>|<(?:[\w.-]+:)?c\b")


def _formula_cells(data: bytes, end: int) -> dict[tuple[int, int], bool]:
    """Each cell holding a formula, and whether a value is saved with it; a sheet without formulas costs one scan."""
    cells: dict[tuple[int, int], bool] = {}
    if data.find(b"<f", 0, end) < 0 and data.find(b":f", 0, end) < 0:
        return cells  # the common case, found at the speed of a byte search
    position = 0
    while (formula := _FORMULA.search(data, position, end)) is not None:
        plain, prefixed = data.rfind(b"<c ", 0, formula.start()), data.rfind(b":c ", 0, formula.start())
        start = data.rfind(b"<", 0, prefixed) if prefixed > plain else plain
        position = formula.end()
        if start < 0:
            continue
        cell = _CELL_START.match(data, start)
        if cell is None:
            continue
        closing = _CELL_END.search(data, formula.end(), end)
        body = data[formula.end() : closing.start() if closing else end]
        value = _VALUE.search(body)
        where = _cell(cell.group(1).decode("ascii"))
        if where is not None:
            cells[where] = value is not None and bool(value.group(1))
    return cells


def _office_document(archive: zipfile.ZipFile, names: set[str], parser: etree.XMLParser) -> str | None:
    if "_rels/.rels" not in names:
        return "xl/workbook.xml" if "xl/workbook.xml" in names else None
    root = lxml_etree.fromstring(archive.read("_rels/.rels"), parser)
    for rel in root.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        if (rel.get("Type") or "").endswith("/officeDocument"):
            return _resolve("", rel.get("Target") or "")
    return None


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _merge(match: re.Match[bytes]) -> Merge | None:
    first = _cell(match.group(1).decode("ascii"))
    last = _cell(match.group(2).decode("ascii")) if match.group(2) else first
    if first is None or last is None:
        return None
    return Merge(min(first[0], last[0]), min(first[1], last[1]), max(first[0], last[0]), max(first[1], last[1]))


def _cell(ref: str) -> tuple[int, int] | None:
    match = _CELL_REF.fullmatch(ref)
    if match is None:
        return None
    column = 0
    for char in match.group(1).upper():
        column = column * 26 + ord(char) - 64
    return int(match.group(2)), column


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
"""A character of UTF-8 beyond ASCII: text holding one was written as UTF-8."""


def decode(data: bytes, source: str = "<input>") -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with, one encoding for the whole file.

    UTF-8 (a byte-order mark optional), UTF-16 with a byte-order mark, else Windows-1252 for files written by
    older tools. A file that is UTF-8 in places and not in others (one byte of Windows-1252 pasted into UTF-8
    text) is refused at the first byte that is not UTF-8: read either way, part of it would be garbled.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict_utf8(data[3:], source, 3), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise LoadError.single(f"not UTF-16 text: byte {exc.start:,} does not decode", source) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if _UTF8_SEQUENCE.search(data) is not None:
            raise _mixed(data, exc.start, source) from None
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _strict_utf8(data: bytes, source: str, offset: int) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _mixed(data, exc.start, source, offset) from None


def _mixed(data: bytes, at: int, source: str, offset: int = 0) -> LoadError:
    line = data.count(b"\n", 0, at) + 1
    column = at - (data.rfind(b"\n", 0, at) + 1) + 1
    return LoadError.single(
        f"the file is UTF-8, but byte {at + offset:,} (0x{data[at]:02X}) is not: an encoding mixed into it, "
        "perhaps Windows-1252; save the file as UTF-8 and import it again",
        source,
        line=line,
        column=column,
    )


def sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS)
        if dialect.delimiter in CSV_DELIMITERS:
            first = next((line for line in sample.splitlines() if line.strip()), "")
            if dialect.delimiter in first:
                return dialect.delimiter
    except csv.Error:
        pass
    first = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in CSV_DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes, source: str) -> RawWorkbook:
    text, encoding = decode(data, source)
    if "\x00" in text:
        raise LoadError.single("not a CSV file: it holds binary data", source)
    if not text.strip():
        raise LoadError.single("file is empty: no header row, no items", source)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)
    rows: list[tuple[CellValue, ...]] = []
    limit, filled = max_rows(), 0
    try:
        for record in reader:
            row = tuple(v if v != "" else None for v in record)
            if any(v is not None for v in row):
                filled += 1
                if filled > limit:
                    raise _too_many_rows(limit, source, line=reader.line_num)
            rows.append(row)
    except csv.Error as exc:
        raise LoadError.single(f"not a well-formed CSV file: {exc}", source, line=reader.line_num) from None
    while rows and all(v is None or not str(v).strip() for v in rows[-1]):
        rows.pop()
    sheet = RawSheet("", rows, [])
    return RawWorkbook(source, "csv", [sheet], [""], encoding=encoding, delimiter=delimiter)
