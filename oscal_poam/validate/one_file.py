"""Validating one file of a repository: parse, model, integrity, and the CMMC rules where they apply.

Nothing here raises for a bad file: every problem becomes a Diagnostic located
by JSON pointer and, where the format has lines, by line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.engine.evaluate import evaluate
from oscal_poam.engine.inputs import Options, Selection
from oscal_poam.engine.ruleset import family_of
from oscal_poam.errors import LoadError, NotOscalError, Problem, UsageError
from oscal_poam.io import boundary as boundary_module
from oscal_poam.io import out_of_range
from oscal_poam.io.boundary import Boundary, boundary_for
from oscal_poam.io.files import SpecialFile, UnreadableFile, read_file
from oscal_poam.io.load import Document, decode, validate
from oscal_poam.io.positions import Position, nearest, places, positions_for
from oscal_poam.limits import max_problems
from oscal_poam.quoting import excerpt
from oscal_poam.rules.integrity import NOT_FOLLOWED, integrity
from oscal_poam.rules.validate import INTERNAL, MODEL, MORE, NOT_APPLIED, NOT_OSCAL
from oscal_poam.validate.cmmc import facts_of
from oscal_poam.validate.loaded import Loaded, cached, remember


@dataclass(frozen=True)
class FileResult:
    """What validating one file found."""

    path: str
    model: str | None  # the OSCAL root key, None when the file is not (readable) OSCAL
    format: str | None
    diagnostics: tuple[Diagnostic, ...]


def display_path(path: Path) -> str:
    return path.as_posix()


def validate_file(
    path: Path,
    *,
    as_of: dt.date | None = None,
    boundary: Boundary | None = None,
    selection: Selection | None = None,
    generic: bool = False,
) -> FileResult:
    """Every diagnostic for the file at `path` that `selection` reports (default: all); `as_of` is the date the
    CMMC date rules are evaluated at; `generic` runs only the OSCAL checks, whatever the file is.

    With a `boundary`, a file that resolves outside it (a link leaving the repository) is not opened, and the
    documents a file imports are read only inside it (default: the roots set for this run, else the file's
    folder).
    """
    chosen = selection or Selection()
    found = _validate_file(path, as_of, boundary, chosen, generic)
    if chosen.everything:
        return _capped(found)
    kept = tuple(d for d in found.diagnostics if chosen.wants(d.rule_id, family_of(d.rule_id)))
    return _capped(dataclasses.replace(found, diagnostics=kept))


def _validate_file(
    path: Path, as_of: dt.date | None, boundary: Boundary | None, selection: Selection, generic: bool
) -> FileResult:
    shown = display_path(path)
    real = Path(os.path.realpath(path))
    if boundary is not None and not boundary.contains(real):
        return FileResult(shown, None, None, (NOT_FOLLOWED.diag(boundary_module.NOT_FOLLOWED, "", shown),))
    try:
        known = cached(real)
        data = b"" if known is not None else read_file(real, shown, follow_links=False)
    except SpecialFile as exc:
        return FileResult(shown, None, None, (NOT_FOLLOWED.diag(exc.problems[0].message, "", shown),))
    except UnreadableFile as exc:
        return FileResult(shown, None, None, (MODEL.diag(exc.problems[0].message, "", shown),))
    try:
        if known is not None:  # already loaded here as the import of another file
            reread = lambda: read_file(real, shown, follow_links=False)  # noqa: E731
            return _check(known, shown, path, as_of, reread, boundary, selection, generic)
        return validate_bytes(
            data, shown, path=path, as_of=as_of, boundary=boundary, real=real, selection=selection, generic=generic
        )
    except Exception as exc:  # one defective check must not hide the results of every other file
        if isinstance(exc, OverflowError):  # days counted from a date too late for the calendar: that date
            found = out_of_range.problem_in(data or read_file(real, shown, follow_links=False), shown)
            if found is not None:
                return FileResult(
                    shown,
                    None,
                    None,
                    (MODEL.diag(found.message, found.pointer or "", shown, line=found.line, column=found.column),),
                )
        if os.environ.get("OSCAL_POAM_DEBUG"):
            raise
        message = f"internal error: {type(exc).__name__}: {excerpt(str(exc), 200)}"
        return FileResult(shown, None, None, (INTERNAL.diag(message, "", shown),))


def _capped(result: FileResult) -> FileResult:
    """At most OSCAL_POAM_MAX_PROBLEMS diagnostics for one file, worst first, then one that counts the rest."""
    limit = max_problems()
    if len(result.diagnostics) <= limit:
        return result
    ordered = sorted(result.diagnostics, key=lambda d: d.sort_key)
    kept, rest = ordered[:limit], ordered[limit:]
    severity = max((d.severity for d in rest), key=lambda s: s.rank)
    more = MORE.diag(
        f"… and {len(rest):,} more diagnostics in this file, not listed (OSCAL_POAM_MAX_PROBLEMS={limit})",
        "",
        result.path,
        severity=severity,
    )
    return dataclasses.replace(result, diagnostics=(*kept, more))


def validate_bytes(
    data: bytes,
    shown: str,
    *,
    path: Path | None = None,
    as_of: dt.date | None = None,
    boundary: Boundary | None = None,
    real: Path | None = None,
    selection: Selection | None = None,
    generic: bool = False,
) -> FileResult:
    try:
        fmt, raw, lines = decode(data, shown)
    except NotOscalError as exc:
        return FileResult(shown, None, None, tuple(_not_oscal(exc, shown)))
    except LoadError as exc:
        return FileResult(shown, None, None, tuple(_problems(exc.problems, shown, {})))
    try:
        kind, model = validate(raw, shown)
    except NotOscalError as exc:
        return FileResult(shown, None, fmt, tuple(_not_oscal(exc, shown)))
    except LoadError as exc:
        found = places(fmt, data, lines, [p.pointer for p in exc.problems if p.pointer and p.line is None])
        return FileResult(shown, _root_key(raw), fmt, tuple(_problems(exc.problems, shown, found)))
    loaded = Loaded(fmt, raw, lines, kind, model)
    if path is not None:
        remember(real or path, loaded)
    return _check(loaded, shown, path, as_of, lambda: data, boundary, selection or Selection(), generic)


def _check(
    loaded: Loaded,
    shown: str,
    path: Path | None,
    as_of: dt.date | None,
    data: Callable[[], bytes],
    boundary: Boundary | None,
    selection: Selection,
    generic: bool,
) -> FileResult:
    """The engine over a document that is valid for its model: the OSCAL checks, and the CMMC rules where they apply.

    A POA&M is judged as of `as_of` (its deadlines and staleness); assessment results are judged as of themselves:
    whether their Conditional status has expired depends on a closeout that is another file.
    """
    doc = Document(loaded.kind, loaded.model, loaded.format, shown, path, loaded.lines)
    base_dir = path.parent if path is not None else Path.cwd()
    reach = boundary or boundary_for(base_dir)
    try:
        facts, level = facts_of(doc, loaded.raw, base_dir=base_dir, boundary=reach, generic=generic)
        judged_as_of = None if facts.poam is None else (as_of or dt.date.today())
        options = Options(as_of=judged_as_of, level=level, selection=selection)
        found = list(evaluate(facts, options).diagnostics)
    except UsageError as exc:
        found = integrity(doc, base_dir=base_dir, data=loaded.raw, boundary=reach)
        found.append(NOT_APPLIED.diag(str(exc), "", doc.source))
    if any(d.line is None or d.column is None for d in found if d.document in ("", shown)):
        doc = dataclasses.replace(doc, raw_bytes=data())  # the text places them: files without diagnostics pay nothing
    return FileResult(shown, loaded.kind.root_key, loaded.format, tuple(_located(found, doc, reach)))


def _root_key(raw: Any) -> str | None:
    if isinstance(raw, dict):
        keys = [k for k in raw if k != "$schema"]
        return str(keys[0]) if len(keys) == 1 else None
    return None


def _not_oscal(exc: NotOscalError, shown: str) -> Iterable[Diagnostic]:
    for problem in exc.problems:
        yield NOT_OSCAL.diag(problem.message, problem.pointer or "", shown, line=problem.line)


def _problems(problems: Iterable[Problem], shown: str, places: Mapping[str, Position]) -> Iterable[Diagnostic]:
    for problem in problems:
        pointer = problem.pointer or ""
        line, column = problem.line, problem.column
        if line is None and problem.pointer is not None:
            line, column = places.get(pointer, (None, None))
        yield MODEL.diag(problem.message, pointer, shown, line=line, column=column)


def _located(found: Iterable[Diagnostic], doc: Document, boundary: Boundary) -> list[Diagnostic]:
    """Every diagnostic names its file and, where known, the line of its pointer.

    Most name this file. Some name a document it imports (an SSP reconciled with its POA&M); those keep that
    document's name, and get their lines from it where it is a JSON file, so that they are the very diagnostics
    the imported file gives when it is checked on its own.
    """
    located = []
    elsewhere: dict[str, list[Diagnostic]] = {}
    found = list(found)
    placed = doc.places(d.pointer for d in found if d.document in ("", doc.source))
    for d in found:
        if d.document not in ("", doc.source):
            if d.line is None and d.document.endswith(".json"):
                elsewhere.setdefault(d.document, []).append(d)
            else:
                located.append(d)
            continue
        changes: dict[str, Any] = {}
        if d.document != doc.source:
            changes["document"] = doc.source
        if d.line is None or d.column is None:
            where = placed.get(d.pointer)
            if where is not None and (d.line is None or where[0] == d.line):
                changes["line"], changes["column"] = where
        located.append(dataclasses.replace(d, **changes) if changes else d)
    for document, diagnostics in elsewhere.items():
        located.extend(_located_in(document, diagnostics, boundary))
    return sorted(located, key=lambda d: d.sort_key)


def _located_in(document: str, diagnostics: list[Diagnostic], boundary: Boundary) -> list[Diagnostic]:
    """Diagnostics about another JSON file (inside the boundary), with the lines of their pointers in it."""
    real = os.path.realpath(document)
    if not boundary.contains(real):
        return diagnostics
    try:
        data = read_file(real, document, follow_links=False)
    except LoadError:
        return diagnostics
    found = positions_for(data.decode("utf-8-sig", errors="replace"), [d.pointer for d in diagnostics])
    placed = []
    for d in diagnostics:
        where = nearest(found, d.pointer)
        placed.append(dataclasses.replace(d, line=where[0], column=where[1]) if where is not None else d)
    return placed
