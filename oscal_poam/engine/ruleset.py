"""Every rule the project declares, for docs/rules.md, SARIF's rule table and rule selection.

Importing this module imports every module that declares rules, which fills the registry.
"""

from __future__ import annotations

from oscal_poam.rules import (
    closeout,
    consistency,
    credibility,
    eligibility,
    integrity,
    legacy,
    results,
    scoring,
    ssp,
)
from oscal_poam.rules.registry import RULES, Rule
from oscal_poam.validate import cmmc as validate_cmmc
from oscal_poam.validate import one_file as validate_one_file

DECLARING_MODULES = (
    closeout,
    consistency,
    credibility,
    eligibility,
    integrity,
    legacy,
    results,
    scoring,
    ssp,
    validate_cmmc,
    validate_one_file,
)
"""The modules whose import declares rules."""


def all_rules() -> list[Rule]:
    """Every rule, by family and id."""
    return sorted(RULES.values(), key=lambda r: (r.family, r.id))
