"""Dates as spreadsheets hold them: date cells, Excel serial numbers and the many ways people type them.

Numeric dates are read month first (11/23/2025) as US federal templates write them, unless the first
number cannot be a month (23/11/2025); dotted dates are day first (23.11.2025).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (10_000, 100_000)
"""Serial numbers accepted as dates: 1927-05-18 to 2173-10-14; other numbers are not dates."""

PLACEHOLDERS = frozenset(
    {"tbd", "tba", "tbc", "na", "n/a", "none", "-", "--", "---", "pending", "unknown", "ongoing", "?", "x", "null"}
)
"""Words that stand where a date is not yet known; they are kept as written, not read as dates."""


class NotADate(ValueError):
    """The value is neither a date nor empty."""


_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"

_PATTERNS = [
    re.compile(rf"(?P<y>\d{{4}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}}){_TIME}", re.IGNORECASE),
    re.compile(rf"(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}}){_TIME}", re.IGNORECASE),
    re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[-\s]{_MONTH}[-\s,]\s*(?P<y>\d{{4}}|\d{{2}})", re.IGNORECASE),
    re.compile(rf"{_MONTH}[-\s](?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|[-\s])(?P<y>\d{{4}})", re.IGNORECASE),
]
_WEEKDAY = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")
_COMPACT = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})")


@dataclass(frozen=True)
class FoundDate:
    date: dt.date
    start: int
    end: int


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _from_match(match: re.Match[str]) -> dt.date:
    groups = match.groupdict()
    year = _year(groups["y"])
    if groups.get("mon"):
        month = _month_key(groups["mon"])
        day = int(groups["d"])
    elif groups.get("a") is not None:
        first, second = int(groups["a"]), int(groups["b"])
        day_first = groups["sep"] == "." or first > 12
        month, day = (second, first) if day_first else (first, second)
    else:
        month, day = int(groups["m"]), int(groups["d"])
    return dt.date(year, month, day)


def _month_key(text: str) -> int:
    key = text.lower().rstrip(".")
    if key in _MONTHS:
        return _MONTHS[key]
    return _MONTHS[key[:3]]


def from_serial(value: float) -> dt.date:
    low, high = SERIAL_RANGE
    if not low <= value < high:
        raise NotADate(f"the number {value:g} is not a date")
    return EXCEL_EPOCH + dt.timedelta(days=int(value))


def is_placeholder(text: str) -> bool:
    return text.strip().lower() in PLACEHOLDERS


def parse_date(value: object) -> dt.date | None:
    """The date a cell holds; None when it is empty. Raises NotADate for anything else."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise NotADate(f"{value} is not a date")
    if isinstance(value, int | float):
        return from_serial(float(value))
    text = " ".join(str(value).split())
    if not text:
        return None
    text = _WEEKDAY.sub("", text)
    if _SERIAL_TEXT.fullmatch(text):
        return from_serial(float(text))
    compact = _COMPACT.fullmatch(text)
    if compact:
        try:
            return dt.date(int(compact["y"]), int(compact["m"]), int(compact["d"]))
        except ValueError:
            raise NotADate(f"{text!r} is not a date") from None
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return _from_match(match)
            except ValueError:
                raise NotADate(f"{text!r} is not a date (no such day)") from None
    raise NotADate(f"{text!r} is not a date such as 2026-03-31 or 03/31/2026")


_NUMERIC_HINT = re.compile(r"\d[-/.]\d")
_MONTH_HINT = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.IGNORECASE)


def find_dates(text: str) -> Iterator[FoundDate]:
    """Every date written inside free text, left to right, without overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[FoundDate] = []
    # Most text holds no date: the patterns that cannot match are not tried (numeric ones need `1/2`, `1-2` or
    # `1.2`; the others a month's name).
    numeric, named = _NUMERIC_HINT.search(text) is not None, _MONTH_HINT.search(text) is not None
    for index, pattern in enumerate(_PATTERNS):
        if not (numeric if index < 2 else named):
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
                continue
            if any(start < b and a < end for a, b in taken):
                continue
            try:
                date = _from_match(match)
            except (ValueError, KeyError):
                continue
            taken.append((start, end))
            found.append(FoundDate(date, start, end))
    yield from sorted(found, key=lambda f: f.start)
