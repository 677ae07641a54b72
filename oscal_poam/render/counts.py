"""Counting diagnostics by severity, the same way for every format."""

from __future__ import annotations

from collections.abc import Iterable

from oscal_poam.diagnostics import Diagnostic, Severity


def count_by_severity(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    counts = {s.value: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    for d in diagnostics:
        counts[d.severity.value] += 1
    return counts


def summary_line(diagnostics: Iterable[Diagnostic]) -> str:
    """`1 error, 16 warnings, 2 info`: info is not counted in the plural."""
    counts = count_by_severity(diagnostics)
    return ", ".join(f"{n} {plural(name, n)}" for name, n in counts.items())


def plural(name: str, n: int) -> str:
    """A severity's name for `n` of them."""
    return name if n == 1 or name == Severity.INFO.value else name + "s"
