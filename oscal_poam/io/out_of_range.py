"""Finding the date that put a computation past the end of the calendar, to report it with its place.

A date-time such as `9999-12-31T23:00:00Z` (some use it for "never") is refused by NIST's 1.2.1 schemas, whose
patterns end at the year 2999, so a document read through them never holds one; data that is not (a command's
options, a spreadsheet) still may, and only counting days from it overflows. When a command's computation does,
the date is found in the document it came from and reported as a located error, exit code 3, rather than an
internal one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

from oscal_poam.dates import LAST_DAY
from oscal_poam.errors import LoadError, Problem
from oscal_poam.io import pointers

_DATE = re.compile(r"\s*([0-9]{4})-[0-9]{2}-[0-9]{2}")


def first_out_of_range(data: Any) -> tuple[str, str] | None:
    """The JSON pointer and text of the first string in `data` that starts with a date after dates.LAST_DAY."""
    for pointer, text in pointers.strings(data):
        found = _DATE.match(text)
        if found is not None and int(found.group(1)) > LAST_DAY.year:
            return pointer, text
    return None


def problem_in(data: bytes, source: str) -> Problem | None:
    """The located problem of the first date too late to count from in a document's bytes, if any."""
    from oscal_poam.io.load import decode
    from oscal_poam.io.positions import places

    try:
        fmt, raw, lines = decode(data, source)
    except LoadError:
        return None
    found = first_out_of_range(raw)
    if found is None:
        return None
    pointer, text = found
    line, column = places(fmt, data, lines, [pointer]).get(pointer, (None, None))
    return Problem(_message(text), source, pointer, line, column)


def problem_in_files(paths: Iterable[str]) -> Problem | None:
    """The first such problem among the regular files named (a command line's arguments), if any."""
    from oscal_poam.io.files import read_file

    for path in paths:
        if not os.path.isfile(path):
            continue
        try:
            data = read_file(path, path)
        except LoadError:
            continue
        found = problem_in(data, path)
        if found is not None:
            return found
    return None


def _message(text: str) -> str:
    from oscal_poam.quoting import excerpt

    return (
        f"the date {excerpt(text, 40)} is out of range: the deadlines counted from it would pass the end of the "
        f"calendar (the last day counted from is {LAST_DAY.isoformat()})"
    )
