"""Plain text: one line per diagnostic, `place: severity rule-id message [citation]`, then the counts.

Every name and value is shown through `quoting.printable`: a file name or message holding a line break, an
escape sequence or `::error ...` stays on its own line as visible text, so that it can neither rewrite the
terminal nor start a workflow command in a CI log.
"""

from __future__ import annotations

from collections.abc import Sequence

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.quoting import printable
from oscal_poam.render.counts import summary_line


def place(d: Diagnostic) -> str:
    """`file:line` where the line is known, else `file#/json/pointer`."""
    where = printable(d.document or "<input>")
    if d.line is not None:
        return f"{where}:{d.line}"
    return f"{where}#{printable(d.pointer or '/')}"


def said(d: Diagnostic) -> str:
    """`rule-id message`, escaped."""
    return f"{d.rule_id} {printable(d.message)}"


def cited(d: Diagnostic) -> str:
    """` [citation]`, escaped, or nothing."""
    return f" [{printable(d.citation)}]" if d.citation else ""


def line(d: Diagnostic) -> str:
    return f"{place(d)}: {d.severity.value} {said(d)}{cited(d)}"


def render_text(diagnostics: Sequence[Diagnostic]) -> str:
    lines = [line(d) for d in diagnostics]
    lines.append(summary_line(diagnostics))
    return "\n".join(lines) + "\n"
