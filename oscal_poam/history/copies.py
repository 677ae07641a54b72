"""A folder's history from dated copies, for documents kept without git.

A copy is dated by the first ISO date (YYYY-MM-DD) in its path below the folder:

- a folder named by a date holds the documents as they were that day: `2026-11-01/poam.json` is `poam.json` as of
  1 November 2026 (the folder's name may go on after the date: `2026-11-01-after-review/`);
- a file named with a date is that file as of the day: `poam-2026-11-01.json` and `poam.2026-11-01.json` are
  `poam.json` as of 1 November 2026.

Each date is a version; a file stays as its latest copy until a later copy replaces it, and an undated file is
part of every version. Files are read as `validate` reads a repository: inside the folder, regular files under
the size cap, links leading out of it not followed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence

from oscal_poam.history.versions import History, Version
from oscal_poam.io.boundary import Boundary
from oscal_poam.io.files import read_file
from oscal_poam.validate.walk import candidate_files

DATED = re.compile(r"(?<![0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")
_AROUND = "-_."


def dated(relative: str) -> tuple[dt.date, str] | None:
    """The date of a copy and the path it is a copy of; None for an undated file."""
    parts = relative.split("/")
    for index, part in enumerate(parts):
        found = DATED.search(part)
        if found is None:
            continue
        try:
            day = dt.date.fromisoformat(found.group(1))
        except ValueError:
            continue
        if index < len(parts) - 1:
            if found.start() != 0:
                continue  # a folder is a version only when named by its date
            return day, "/".join(parts[:index] + parts[index + 1 :])
        stem, suffix = os.path.splitext(part)
        if found.end() > len(stem):
            continue
        left, right = stem[: found.start()].rstrip(_AROUND), stem[found.end() :].lstrip(_AROUND)
        name = f"{left}-{right}" if left and right else left or right or "document"
        return day, "/".join([*parts[:index], name + suffix])
    return None


def copies_history(folder: str | os.PathLike[str]) -> History | None:
    """The history of the dated copies under `folder`; None when it holds none."""
    root = os.path.realpath(folder)
    if not os.path.isdir(root):
        return None
    boundary = Boundary.of([root])
    undated: dict[str, str | None] = {}
    by_day: dict[dt.date, dict[str, str | None]] = {}
    for path in candidate_files([root]):
        real = os.path.realpath(path)
        if not boundary.contains(real):
            continue
        relative = os.path.relpath(path, root).replace(os.sep, "/")
        found = dated(relative)
        if found is None:
            undated[relative] = real
        else:
            day, logical = found
            by_day.setdefault(day, {})[logical] = real
    if not by_day:
        return None
    versions = []
    for n, day in enumerate(sorted(by_day)):
        changed = {**undated, **by_day[day]} if n == 0 else dict(by_day[day])
        when = dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC)
        versions.append(Version(when, day.isoformat(), "", "", changed))
    return History(root, "", versions, FileStore(boundary), "copies")


class FileStore:
    """Copies read from their real paths, inside the folder, under the size cap."""

    def __init__(self, boundary: Boundary) -> None:
        self.boundary = boundary

    def prefetch(self, keys: Sequence[str]) -> None:
        pass

    def read(self, key: str, shown: str) -> bytes:
        return read_file(key, shown, follow_links=False)

    def close(self) -> None:
        pass
