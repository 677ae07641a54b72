"""Plain text: one line per diagnostic, in one location style for every command, then the counts.

    path:line:column: severity rule-id message [citation] #/json/pointer

The line and column are there where the document's text is at hand (a file read from disk), the column where
the format gives one; the citation where the rule has one; the JSON pointer where the diagnostic is about a
place inside the document. Editors and CI annotations read `path:line:column:` as they read a compiler's.

Every name and value is shown through `quoting.printable`: a file name or message holding a line break, an
escape sequence or `::error ...` stays on its own line as visible text, so that it can neither rewrite the
terminal nor start a workflow command in a CI log.
"""

from __future__ import annotations

from collections.abc import Sequence

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.quoting import printable
from oscal_poam.render.counts import summary_line


def location(document: str, line: int | None = None, column: int | None = None) -> str:
    """`path:line:column`, `path:line` where the format gives no column, `path` where the line is unknown."""
    where = printable(document or "<input>")
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where


def place(d: Diagnostic) -> str:
    """Where the diagnostic is: its location, and the JSON pointer after it when it names a place inside."""
    return location(d.document, d.line, d.column) + pointed(d)


def said(d: Diagnostic) -> str:
    """`rule-id message`, escaped."""
    return f"{d.rule_id} {printable(d.message)}"


def cited(d: Diagnostic) -> str:
    """` [citation]`, escaped, or nothing."""
    return f" [{printable(d.citation)}]" if d.citation else ""


def pointed(d: Diagnostic) -> str:
    """` #/json/pointer`, escaped, or nothing for a diagnostic about the whole document."""
    return f" #{printable(d.pointer)}" if d.pointer else ""


def line(d: Diagnostic) -> str:
    return f"{location(d.document, d.line, d.column)}: {d.severity.value} {said(d)}{cited(d)}{pointed(d)}"


def render_text(diagnostics: Sequence[Diagnostic]) -> str:
    lines = [line(d) for d in diagnostics]
    lines.append(summary_line(diagnostics))
    return "\n".join(lines) + "\n"
