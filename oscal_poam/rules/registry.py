"""The registry of rules: every diagnostic the project emits names one of these.

A rule module declares its rules at import time with `rule(...)`; `oscal_poam.engine.ruleset` imports every
such module. docs/rules.md is generated from the registry (tools/gen_rules_doc.py) and a test keeps the two in
step.
"""

from __future__ import annotations

from dataclasses import dataclass

from oscal_poam.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    citation: str
    summary: str
    family: str

    def diag(
        self,
        message: str,
        pointer: str = "",
        document: str = "",
        subject: str = "",
        severity: Severity | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            rule_id=self.id,
            severity=severity or self.severity,
            message=message,
            pointer=pointer,
            citation=self.citation,
            document=document,
            subject=subject,
            line=line,
            column=column,
        )


RULES: dict[str, Rule] = {}


def rule(id: str, severity: Severity, citation: str, summary: str, family: str) -> Rule:
    """Declare a rule; ids are stable kebab-case and unique."""
    if id in RULES:
        raise ValueError(f"rule {id!r} declared twice")
    if id != id.lower() or " " in id or "_" in id:
        raise ValueError(f"rule id {id!r} is not kebab-case")
    declared = Rule(id, severity, citation, summary, family)
    RULES[id] = declared
    return declared
