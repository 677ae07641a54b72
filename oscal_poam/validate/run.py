"""Validating many files, in parallel processes when there are enough of them to pay for it."""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path

from oscal_poam.diagnostics import Diagnostic, Severity, has_at_least
from oscal_poam.io.boundary import Boundary, repository_roots
from oscal_poam.io.models import KINDS
from oscal_poam.validate.loaded import forget
from oscal_poam.validate.one_file import FileResult, validate_file
from oscal_poam.validate.walk import candidate_files

PARALLEL_THRESHOLD = 8
"""Below this many files, starting worker processes costs more than it saves."""

GC_THRESHOLD = (50_000, 20, 100)
"""Collector thresholds while files are checked. Validation allocates many short-lived objects (decoded data,
models) that form no cycles; at the default thresholds the collector takes about a quarter of the time."""

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


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def validate_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    excludes: Sequence[str] = (),
    jobs: int | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    roots: Sequence[str | os.PathLike[str]] | None = None,
) -> ValidationReport:
    """Validate every candidate file under `paths`; results in path order whatever the number of jobs.

    Files are read, and documents may name files, only inside `roots` (default: the folders given, and for a
    file given its git work tree, else its folder). Raises FileNotFoundError when a path does not exist.
    """
    files = candidate_files(paths, excludes)
    boundary = Boundary.of(roots) if roots is not None else repository_roots(paths)
    return validate_files(files, jobs=jobs, as_of=as_of, progress=progress, boundary=boundary)


def validate_files(
    files: Sequence[Path],
    *,
    jobs: int | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    boundary: Boundary | None = None,
) -> ValidationReport:
    """Validate `files`; with a `boundary`, files outside it are not read, nor files documents name."""

    forget()
    day = as_of or dt.date.today()
    workers = max(1, min(jobs or default_jobs(), len(files)))
    results: list[FileResult] = []
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        for result in _results(files, workers, day, boundary):
            results.append(result)
            if progress is not None:
                progress(len(results), len(files))
    finally:
        gc.set_threshold(*before)
    return ValidationReport(tuple(results))


def _results(files: Sequence[Path], workers: int, as_of: dt.date, boundary: Boundary | None) -> Iterator[FileResult]:
    if workers == 1 or len(files) < PARALLEL_THRESHOLD:
        for file in files:
            yield validate_file(file, as_of=as_of, boundary=boundary)
        return

    _warm_up()
    # Chunks amortize pickling; several chunks per worker keep the workers evenly loaded when sizes vary.
    chunk = max(1, min(32, len(files) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_worker_started) as pool:
        yield from pool.map(_validate_one, files, [as_of] * len(files), [boundary] * len(files), chunksize=chunk)


def _worker_started() -> None:
    # what the worker inherited (modules, models' schemas) lives as long as it does: the collector skips it
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def _validate_one(path: Path, as_of: dt.date, boundary: Boundary | None) -> FileResult:
    return validate_file(path, as_of=as_of, boundary=boundary)


def _context() -> BaseContext:
    # On Linux, fork shares the models imported once in the parent; elsewhere fork is unsafe (macOS) or absent
    # (Windows), and the platform's default start method imports them in each worker.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _warm_up() -> None:
    """Import the models and rules before forking, so that each worker does not import them again."""

    for kind in KINDS:
        kind.cls  # noqa: B018 - importing the module is the point
