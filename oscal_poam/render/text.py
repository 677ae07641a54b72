"""Plain text: one line per diagnostic, `place: severity rule-id message [citation]`, then the counts."""

from __future__ import annotations

from collections.abc import Sequence

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.render.counts import summary_line


def place(d: Diagnostic) -> str:
    """`file:line` where the line is known, else `file#/json/pointer`."""
    where = d.document or "<input>"
    if d.line is not None:
        return f"{where}:{d.line}"
    return f"{where}#{d.pointer or '/'}"


def line(d: Diagnostic) -> str:
    text = f"{place(d)}: {d.severity.value} {d.rule_id} {d.message}"
    if d.citation:
        text += f" [{d.citation}]"
    return text


def render_text(diagnostics: Sequence[Diagnostic]) -> str:
    lines = [line(d) for d in diagnostics]
    lines.append(summary_line(diagnostics))
    return "\n".join(lines) + "\n"
