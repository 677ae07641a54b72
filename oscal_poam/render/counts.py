"""Counting diagnostics by severity, the same way for every format."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from oscal_poam.diagnostics import Diagnostic, Severity


def count_by_severity(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    counts = {s.value: 0 for s in _ORDER}
    for d in diagnostics:
        counts[d.severity.value] += 1
    return counts


def summary_line(diagnostics: Iterable[Diagnostic]) -> str:
    """`1 error, 16 warnings, 2 info`: info is not counted in the plural."""
    return counts_line(count_by_severity(diagnostics))


def counts_line(counts: Mapping[str, int]) -> str:
    """Counts by severity name, worded as `summary_line` words them (errors, then warnings, then info)."""
    return ", ".join(f"{counts.get(s.value, 0)} {plural(s.value, counts.get(s.value, 0))}" for s in _ORDER)


_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def counted(n: int, noun: str) -> str:
    """`1 item`, `4 POA&M items`: a count and its noun, plural unless one."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def plural(name: str, n: int) -> str:
    """A severity's name for `n` of them."""
    return name if n == 1 or name == Severity.INFO.value else name + "s"
