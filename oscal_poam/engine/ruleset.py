"""Every rule the project declares, for docs/rules.md, SARIF's rule table and rule selection.

Importing this module imports every module that declares rules, which fills the registry.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from oscal_poam.constraints import references
from oscal_poam.constraints.table import CONSTRAINTS
from oscal_poam.engine.inputs import names
from oscal_poam.rules import (
    closeout,
    consistency,
    credibility,
    eligibility,
    integrity,
    legacy,
    recorded,
    results,
    scoring,
    ssp,
    validate,
    verification,
)
from oscal_poam.rules.registry import RULES, Rule

DECLARING_MODULES = (
    closeout,
    consistency,
    credibility,
    eligibility,
    integrity,
    legacy,
    recorded,
    references,
    results,
    scoring,
    ssp,
    validate,
    verification,
)
"""The modules whose import declares rules."""


def all_rules() -> list[Rule]:
    """Every rule, by family and id."""
    return sorted(RULES.values(), key=lambda r: (r.family, r.id))


CONSTRAINTS_FAMILY = "oscal-constraints"
"""The family of NIST's constraints, whose ids are NIST's (docs/constraints.md), not the registry's."""


@functools.cache
def _families() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for r in all_rules():
        found.setdefault(r.family, []).append(r.id)
    found[CONSTRAINTS_FAMILY] = sorted(_constraint_ids())
    return {family: tuple(ids) for family, ids in found.items()}


@functools.cache
def _constraint_ids() -> frozenset[str]:

    return frozenset(c.id for constraints in CONSTRAINTS.values() for c in constraints)


def rules_of_family(family: str) -> tuple[str, ...]:
    """The ids of the rules of `family`."""
    return _families().get(family, ())


def family_of(rule_id: str) -> str:
    """The family of rule `rule_id` ('' for an id no rule has)."""
    found = RULES.get(rule_id)
    if found is not None:
        return found.family
    return CONSTRAINTS_FAMILY if rule_id in _constraint_ids() else ""


def summary_of(rule_id: str) -> str:
    """What rule `rule_id` checks, in one sentence ('' for an id no rule has)."""
    found = RULES.get(rule_id)
    return found.summary if found is not None else ""


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    """The selectors (ids, families, id prefixes, `ALL`) that name no rule, nor any of NIST's constraints."""
    known = [(r.id, r.family) for r in all_rules()] + [(c, CONSTRAINTS_FAMILY) for c in _constraint_ids()]
    return [s for s in selectors if not any(names(s, rule_id, family) for rule_id, family in known)]


def families() -> list[str]:
    """Every rule family, sorted."""
    return sorted(_families())
