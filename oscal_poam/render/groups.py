"""Diagnostics grouped by rule, for the short summaries of text output and the report's expandable lists.

Twenty items without an owner are one finding said twenty times: a group shows it once, with its count, and
keeps each diagnostic for whoever wants to see them (`--verbose`, or expanding the group in the HTML report).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.ruleset import summary_of


@dataclass(frozen=True)
class RuleGroup:
    """Every diagnostic of one rule, in document order."""

    rule_id: str
    severity: Severity
    """The worst severity among them."""
    diagnostics: tuple[Diagnostic, ...]
    summary: str
    """What the rule checks, in one sentence, from the registry ('' for a rule it does not know)."""

    @property
    def count(self) -> int:
        return len(self.diagnostics)

    @property
    def message(self) -> str:
        """The message they all share, else what the rule checks (else the first message)."""
        messages = {d.message for d in self.diagnostics}
        if len(messages) == 1:
            return self.diagnostics[0].message
        return self.summary or self.diagnostics[0].message

    @property
    def citation(self) -> str:
        citations = {d.citation for d in self.diagnostics}
        return self.diagnostics[0].citation if len(citations) == 1 else ""


def by_rule(diagnostics: Iterable[Diagnostic], *, ordered: bool = False) -> list[RuleGroup]:
    """One group per rule: worst first, then the most frequent, then by rule id.

    `ordered`: the diagnostics are in `sort_key` order already (an Evaluation's are), which sorting them again
    would keep."""
    found: dict[str, list[Diagnostic]] = {}
    for d in diagnostics if ordered else sorted(diagnostics, key=lambda d: d.sort_key):
        found.setdefault(d.rule_id, []).append(d)
    groups = [
        RuleGroup(rule_id, max((d.severity for d in ds), key=lambda s: s.rank), tuple(ds), summary_of(rule_id))
        for rule_id, ds in found.items()
    ]
    return sorted(groups, key=lambda g: (-g.severity.rank, -g.count, g.rule_id))
