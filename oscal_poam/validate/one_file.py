"""Validating one file of a repository: NIST's schema, NIST's constraints, integrity, references and the CMMC rules.

Every check runs on every file as far as the file can be read: a document NIST's schema finds invalid is still
checked by the checks every OSCAL document answers to (`engine.evaluate.DOCUMENT_CHECKS`: integrity, NIST's
constraints, references through the imports), an XML document read around the elements that do not fit; only the
CMMC rules need the model, which a schema-valid document gives. Nothing here raises for a bad file: every problem
becomes a Diagnostic located by JSON pointer and, where the format has lines, by line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.engine.evaluate import document_checks, evaluate
from oscal_poam.engine.inputs import Options, Selection, Source
from oscal_poam.engine.ruleset import family_of
from oscal_poam.errors import LoadError, NotOscalError, Problem, UsageError
from oscal_poam.io import boundary as boundary_module
from oscal_poam.io import out_of_range
from oscal_poam.io.boundary import Boundary, boundary_for
from oscal_poam.io.files import SpecialFile, UnreadableFile, read_file
from oscal_poam.io.load import Document, Format, read, validate
from oscal_poam.io.positions import Position, nearest, places, positions_for
from oscal_poam.limits import max_problems
from oscal_poam.quoting import excerpt
from oscal_poam.rules.integrity import NOT_FOLLOWED
from oscal_poam.rules.validate import INTERNAL, MODEL, MORE, NOT_APPLIED, NOT_OSCAL, YAML_SCALAR
from oscal_poam.validate.cmmc import facts_of
from oscal_poam.validate.loaded import Loaded, cached, remember

if TYPE_CHECKING:
    from trestle.core.base_model import OscalBaseModel


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
        decoded = read(data, shown, lenient=True)
    except NotOscalError as exc:
        return FileResult(shown, None, None, tuple(_not_oscal(exc, shown)))
    except LoadError as exc:
        return FileResult(shown, None, None, tuple(_problems(exc.problems, shown, {})))
    found: list[Diagnostic] = []
    placed = _placed_problems(decoded.problems, decoded.format, data, decoded.lines)
    found.extend(_problems(decoded.problems, shown, placed))
    if decoded.raw is None:  # XML that cannot be read even around what does not fit
        return FileResult(shown, decoded.kind.root_key, decoded.format, tuple(found))
    model = None
    if not decoded.problems:
        try:
            _, model = validate(decoded.raw, shown, checked=True)
        except LoadError as exc:
            placed = _placed_problems(exc.problems, decoded.format, data, decoded.lines)
            found.extend(_problems(exc.problems, shown, placed))
    loaded = Loaded(decoded.format, decoded.raw, decoded.lines, decoded.kind, model, decoded.notes)
    if path is not None and model is not None:
        remember(real or path, loaded)
    return _check(loaded, shown, path, as_of, lambda: data, boundary, selection or Selection(), generic, found)


def _placed_problems(
    problems: Iterable[Problem], fmt: Format, data: bytes, lines: Mapping[str, int]
) -> dict[str, Position]:
    """The line and column of each problem that has a pointer and no line yet."""
    wanted = [p.pointer for p in problems if p.pointer and p.line is None]
    return places(fmt, data, lines, wanted) if wanted else {}


def _check(
    loaded: Loaded,
    shown: str,
    path: Path | None,
    as_of: dt.date | None,
    data: Callable[[], bytes],
    boundary: Boundary | None,
    selection: Selection,
    generic: bool,
    found: list[Diagnostic] | None = None,
) -> FileResult:
    """The engine over the document: the OSCAL checks, and the CMMC rules where they apply and it has a model.

    A POA&M is judged as of `as_of` (its deadlines and staleness); assessment results are judged as of themselves:
    whether their Conditional status has expired depends on a closeout that is another file. A document without a
    model (not valid for its schema) answers to the OSCAL checks alone, over its data.
    """
    # the OSCAL checks read the data; the model is needed by the CMMC rules alone
    doc = Document(loaded.kind, cast("OscalBaseModel", loaded.model), loaded.format, shown, path, loaded.lines)
    base_dir = path.parent if path is not None else Path.cwd()
    reach = boundary or boundary_for(base_dir)
    found = [*(found or ()), *_notes(loaded.notes, shown)]
    if loaded.model is None:
        found.extend(
            document_checks(
                Source(doc, data=loaded.raw, base_dir=base_dir, boundary=reach), Options(selection=selection)
            )
        )
    else:
        try:
            facts, level = facts_of(doc, loaded.raw, base_dir=base_dir, boundary=reach, generic=generic)
            judged_as_of = None if facts.poam is None else (as_of or dt.date.today())
            options = Options(as_of=judged_as_of, level=level, selection=selection)
            found.extend(evaluate(facts, options).diagnostics)
        except UsageError as exc:
            found.extend(
                document_checks(
                    Source(doc, data=loaded.raw, base_dir=base_dir, boundary=reach), Options(selection=selection)
                )
            )
            found.append(NOT_APPLIED.diag(str(exc), "", doc.source))
    if any(d.line is None or d.column is None for d in found if d.document in ("", shown)):
        doc = dataclasses.replace(doc, raw_bytes=data())  # the text places them: files without diagnostics pay nothing
    return FileResult(shown, loaded.kind.root_key, loaded.format, tuple(_located(found, doc, reach)))


def _notes(notes: Iterable[Problem], shown: str) -> Iterable[Diagnostic]:
    for note in notes:
        yield YAML_SCALAR.diag(note.message, note.pointer or "", shown, line=note.line, column=note.column)


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
