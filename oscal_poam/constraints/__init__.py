"""NIST's OSCAL constraint layer: the constraints of the metaschema, evaluated over any OSCAL document.

`constraint_diagnostics` is the one entry point: the findings of every constraint (docs/constraints.md lists
them) on a document, with the documents it imports read for what they define.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oscal_poam.constraints.check import SEVERITIES, check, citation
from oscal_poam.constraints.imports import Followed, follow
from oscal_poam.constraints.nodes import Document
from oscal_poam.constraints.table import CONSTRAINTS
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.rules.registry import Rule

if TYPE_CHECKING:
    from oscal_poam.io.boundary import Boundary

IMPORT_KEYS = ("import-ssp", "import-ap")
"""The imports whose parties, roles and locations a document may refer to (followed transitively)."""
MAX_IMPORT_DEPTH = 4


def constraint_diagnostics(
    data: Mapping[str, Any], source: str, path: Path | None = None, *, boundary: Boundary | None = None
) -> list[Diagnostic]:
    """Every finding of NIST's constraints on `data` (OSCAL JSON data wrapped in its root key), read from `path`.

    The documents it names are read inside `boundary` (default: the roots of this run, else its folder).
    """

    base = path.parent if path is not None else None
    cache: dict[tuple[str, str], Document | None] = {}

    def loader(href: str, naming: Document) -> Document | None:
        key = (str(naming.folder), href)
        if key not in cache:
            found = follow(href, naming.folder, {naming.root_key: naming.node.value}, naming.source, boundary)
            cache[key] = (
                Document(found.data, found.shown, loader, found.path.parent) if isinstance(found, Followed) else None
            )
        return cache[key]

    imported: list[Document] = []
    complete = True
    pending: list[tuple[Mapping[str, Any], Path | None, str, int]] = [(data, base, source, 0)]
    while pending:
        current, folder, shown, depth = pending.pop()
        content = next(iter(current.values()), None)
        if not isinstance(content, dict) or depth >= MAX_IMPORT_DEPTH:
            continue
        for key in IMPORT_KEYS:
            entry = content.get(key)
            href = entry.get("href") if isinstance(entry, dict) else None
            if not isinstance(href, str):
                continue
            found = follow(href, folder, current, shown, boundary)
            if not isinstance(found, Followed):
                complete = False
                continue
            imported.append(Document(found.data, found.shown, loader, found.path.parent))
            pending.append((found.data, found.path.parent, found.shown, depth + 1))
    try:
        return check(data, source, loader=loader, imported=imported, imports_complete=complete, folder=base)
    finally:
        for document in (*imported, *(d for d in cache.values() if d is not None)):
            document.release()
        cache.clear()


_KIND_WORDS = {
    "allowed-values": "takes one of the values NIST's OSCAL allows",
    "matches": "matches the pattern or data type NIST's OSCAL requires",
    "index": "is unique among the items of its index",
    "index-has-key": "names an item that exists",
    "is-unique": "is unique among its siblings",
    "has-cardinality": "occurs as many times as NIST's OSCAL requires",
    "expect": "meets NIST's expectation",
}


def constraint_rule(rule_id: str) -> Rule | None:
    """The rule a NIST constraint id stands for (its summary, citation and level), for reports that list rules."""

    for key, constraints in CONSTRAINTS.items():
        for constraint in constraints:
            if constraint.id == rule_id:
                on = key + (f" @{constraint.flag}" if constraint.flag else "")
                summary = constraint.message or f"In {on}, {constraint.target} {_KIND_WORDS[constraint.kind]}."
                severity = SEVERITIES.get(constraint.level, Severity.ERROR)
                return Rule(rule_id, severity, citation(constraint), summary, "oscal-constraints")
    return None
