"""Rule findings as data: every rule violation is a frozen Diagnostic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from oscal_poam.digits import ascii_digits


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Diagnostic:
    """One rule violation.

    `rule_id` is stable kebab-case; `pointer` is a JSON pointer into `document`;
    `citation` names the rule's source (for example `32 CFR 170.21(a)(2)(iii)`);
    `subject` is the requirement id or uuid the finding is about; `line` and
    `column` (1-based) are set where the document's text is at hand and the
    place is known (the column where the format gives one).
    """

    rule_id: str
    severity: Severity
    message: str
    pointer: str = ""
    citation: str = ""
    document: str = ""
    subject: str = ""
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: OSCAL's key style (kebab-case), `rule-id` first."""
        return {
            "rule-id": self.rule_id,
            "severity": self.severity.value,
            "message": self.message,
            "pointer": self.pointer,
            "citation": self.citation,
            "document": self.document,
            "subject": self.subject,
            "line": self.line,
            "column": self.column,
        }

    @property
    def sort_key(self) -> tuple[str | int, ...]:
        """Document, then place in document order (line and column where known, else the pointer, `/items/2`
        before `/items/10`), then worst first.

        One flat tuple, which compares faster than a tuple of tuples and orders the same: each pointer token is a
        number and a name (`(2, "")`, `(-1, "items")`), and -2 after the last token puts a pointer before the
        pointers it begins, as the shorter tuple of tuples would be.
        """
        key: list[str | int] = [self.document, self.line is None, self.line or 0, self.column or 0]
        for token in self.pointer.split("/"):
            key += (int(token), "") if ascii_digits(token) else (-1, token)
        key += (-2, -self.severity.rank, self.rule_id, self.subject, self.message)
        return tuple(key)


def worst(diagnostics: Iterable[Diagnostic]) -> Severity | None:
    """The highest severity among `diagnostics`, or None when there are none."""
    found = [d.severity for d in diagnostics]
    return max(found, key=lambda s: s.rank) if found else None


def has_at_least(diagnostics: Iterable[Diagnostic], threshold: Severity) -> bool:
    return any(d.severity.at_least(threshold) for d in diagnostics)
