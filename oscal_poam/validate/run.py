"""Validating many files, in parallel processes when there are enough of them to pay for it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from oscal_poam.diagnostics import Diagnostic, Severity, has_at_least
from oscal_poam.engine.inputs import Selection
from oscal_poam.io.boundary import Boundary, repository_roots
from oscal_poam.parallel import map_in_processes
from oscal_poam.validate.loaded import forget
from oscal_poam.validate.one_file import FileResult, validate_file
from oscal_poam.validate.walk import candidate_files

Progress = Callable[[int, int], None]
"""Called with (files done, files in all) as results arrive."""


@dataclass(frozen=True)
class ValidationReport:
    files: tuple[FileResult, ...]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic once, sorted by document, severity and place.

        A diagnostic about an imported document (an SSP reconciled with the POA&M that imports it) can be
        found from several files; it is reported once.
        """
        unique = dict.fromkeys(d for f in self.files for d in f.diagnostics)
        return sorted(unique, key=lambda d: d.sort_key)

    def fails(self, threshold: Severity) -> bool:
        return has_at_least(self.diagnostics, threshold)

    @property
    def oscal_files(self) -> int:
        return sum(1 for f in self.files if f.model is not None)


def validate_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    excludes: Sequence[str] = (),
    jobs: int | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    roots: Sequence[str | os.PathLike[str]] | None = None,
    selection: Selection | None = None,
    generic: bool = False,
) -> ValidationReport:
    """Validate every candidate file under `paths`; results in path order whatever the number of jobs.

    Files are read, and documents may name files, only inside `roots` (default: the folders given, and for a
    file given its git work tree, else its folder). Raises FileNotFoundError when a path does not exist.
    """
    files = candidate_files(paths, excludes)
    boundary = Boundary.of(roots) if roots is not None else repository_roots(paths)
    return validate_files(
        files, jobs=jobs, as_of=as_of, progress=progress, boundary=boundary, selection=selection, generic=generic
    )


def validate_files(
    files: Sequence[Path],
    *,
    jobs: int | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    boundary: Boundary | None = None,
    selection: Selection | None = None,
    generic: bool = False,
) -> ValidationReport:
    """Validate `files`; with a `boundary`, files outside it are not read, nor files documents name. Only the rules
    `selection` names report (default: all); `generic` runs only the OSCAL checks on every file."""

    forget()
    day = as_of or dt.date.today()
    results: list[FileResult] = []
    judging = _Judging(day, boundary, selection or Selection(), generic)
    work = [(file, judging) for file in files]
    for result in map_in_processes(_validate_one, work, jobs=jobs):
        results.append(result)
        if progress is not None:
            progress(len(results), len(files))
    return ValidationReport(tuple(results))


@dataclass(frozen=True)
class _Judging:
    """What every file is judged by (sent to each worker process)."""

    as_of: dt.date
    boundary: Boundary | None
    selection: Selection
    generic: bool


def _validate_one(work: tuple[Path, _Judging]) -> FileResult:
    path, judging = work
    return validate_file(
        path,
        as_of=judging.as_of,
        boundary=judging.boundary,
        selection=judging.selection,
        generic=judging.generic,
    )
