"""Regressed verification: an item whose automated verification passed and now fails.

The engine reports it as a rule of its own once verification evidence is part of its evaluation; a portfolio
counts the items that rule names and computes nothing itself. Where the engine has no such rule, the count is
not available (None), never zero.
"""

from __future__ import annotations

from collections.abc import Iterable

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.engine import ruleset  # noqa: F401 - importing it declares every rule in the registry
from oscal_poam.rules.registry import RULES

REGRESSED_RULE = "verification-regressed"
"""The id of the rule that reports an item whose verification regressed."""


def available() -> bool:
    """Does the engine report regressed verification."""
    return REGRESSED_RULE in RULES  # by rule id


def regressed_items(diagnostics: Iterable[Diagnostic]) -> int | None:
    """How many items the engine finds with a regressed verification; None when it does not report it."""
    if not available():
        return None
    return len({d.subject or d.pointer for d in diagnostics if d.rule_id == REGRESSED_RULE})
