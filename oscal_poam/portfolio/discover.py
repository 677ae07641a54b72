"""Finding the systems under the folders given, without trusting them.

The folders are walked as `validate` walks a repository (`oscal_poam.validate.walk`: JSON, YAML and XML files,
hidden folders and tool folders skipped, folder links not entered). A file is read only when its real path, every
link resolved, lies inside the folders given, only when it is a regular file, and only up to the size cap
(`oscal_poam.io.files`); a link leading out is counted and never opened. Each file is decoded once to see what it
is; the documents of each system are loaded and judged afterwards (`oscal_poam.portfolio.judge`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from oscal_poam.errors import LoadError, UsageError
from oscal_poam.io import decoded
from oscal_poam.io.boundary import Boundary
from oscal_poam.io.files import read_file
from oscal_poam.parallel import map_in_processes
from oscal_poam.portfolio.documents import Found, summarize
from oscal_poam.portfolio.systems import System, link
from oscal_poam.validate.walk import candidate_files


@dataclass(frozen=True)
class Unread:
    """A file that could not be read, and why (the file and place, never its content)."""

    shown: str
    message: str


@dataclass(frozen=True)
class Discovery:
    systems: tuple[System, ...]
    unread: tuple[Unread, ...]
    not_followed: tuple[str, ...]
    """Files that are links leading out of the folders given: listed, never opened."""
    files: int
    """Candidate files looked at."""
    boundary: Boundary


def boundary_of(paths: Sequence[str | os.PathLike[str]]) -> Boundary:
    """The folders given (a file given: its folder): nothing outside them is read. Raises UsageError for a path
    that does not exist."""
    folders = []
    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(f"{os.fspath(path)}: no such file or folder")
        real = os.path.realpath(path)
        folders.append(real if os.path.isdir(real) else os.path.dirname(real))
    return Boundary.of(folders)


def discover(
    paths: Sequence[str | os.PathLike[str]],
    *,
    excludes: Sequence[str] = (),
    jobs: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Discovery:
    """The systems under `paths` (folders, or files). Raises UsageError for a path that does not exist."""
    boundary = boundary_of(paths)
    candidates = candidate_files(paths, excludes)
    inside: list[tuple[str, str]] = []
    outside: list[str] = []
    for path in candidates:
        real = os.path.realpath(path)
        if boundary.contains(real):
            inside.append((str(path), real))
        else:
            outside.append(str(path))
    found: list[Found] = []
    unread: list[Unread] = []
    for done, (result, entry) in enumerate(map_in_processes(_look_at, inside, jobs=jobs), start=1):
        decoded.adopt(entry)
        if progress is not None:
            progress("reading", done, len(inside))
        if isinstance(result, Found):
            found.append(result)
        elif isinstance(result, Unread):
            unread.append(result)
    systems = link(found, boundary)
    return Discovery(tuple(systems), tuple(unread), tuple(outside), len(candidates), boundary)


def _look_at(file: tuple[str, str]) -> tuple[Found | Unread | None, decoded.Entry | None]:
    """What one file is, and what decoding it kept for the judging to come (`oscal_poam.io.decoded`)."""
    shown, real = file
    try:
        data = read_file(real, shown, follow_links=False)
        fmt, found = summarize(data, shown, real)
        return found, decoded.entry_of(data) if fmt == "yaml" else None  # only YAML is kept
    except LoadError as exc:
        return Unread(shown, str(exc.problems[0]) if exc.problems else f"{shown}: cannot be read"), None
