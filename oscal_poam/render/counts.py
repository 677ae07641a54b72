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
    counts = count_by_severity(diagnostics)
    return ", ".join(f"{n} {name}{'' if n == 1 else 's'}" for name, n in counts.items())
