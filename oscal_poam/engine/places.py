"""Placing diagnostics by line and column in the documents they name: one way, for every command."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.io.load import decode
from oscal_poam.io.positions import places

if TYPE_CHECKING:
    from oscal_poam.io.load import Document


def place_all(diagnostics: Iterable[Diagnostic], documents: Sequence[Document]) -> dict[Diagnostic, Diagnostic]:
    """Each diagnostic -> the same, placed by line and column in the document it names, where that is known."""
    by_name = {d.source: d for d in documents if d.lines or d.raw_bytes is not None}
    found = list(diagnostics)
    wanted: dict[str, set[str]] = {}
    for d in found:
        if d.line is None and d.document in by_name:
            wanted.setdefault(d.document, set()).add(d.pointer)
    places = {name: by_name[name].places(pointers) for name, pointers in wanted.items()}
    located = {}
    for d in found:
        where = places.get(d.document, {}).get(d.pointer)
        located[d] = placed_at(d, where) if where is not None else d
    return located


def placed_at(diagnostic: Diagnostic, where: tuple[int, int | None]) -> Diagnostic:
    """`diagnostic` at line and column `where`: `dataclasses.replace`, made directly (a document's diagnostics
    are placed by the hundred and replace takes four times as long). Every field is named: a test holds the list
    to Diagnostic's."""
    d = diagnostic
    return Diagnostic(d.rule_id, d.severity, d.message, d.pointer, d.citation, d.document, d.subject, *where)


def placed_in_text(diagnostics: Sequence[Diagnostic], source: str, fmt: str, data: bytes) -> tuple[Diagnostic, ...]:
    """`diagnostics`, those on the document `source` placed by line and column in `data`, the text it was written
    as (in format `fmt`): a command that writes a document points at the file it wrote."""
    wanted = [d.pointer for d in diagnostics if d.document == source and d.line is None]
    if not wanted:
        return tuple(diagnostics)
    lines = decode(data, source)[2] if fmt == "xml" else {}
    found = places(fmt, data, lines, wanted)
    placed = []
    for d in diagnostics:
        where = found.get(d.pointer) if d.document == source and d.line is None else None
        placed.append(placed_at(d, where) if where is not None else d)
    return tuple(sorted(placed, key=lambda d: d.sort_key))
