"""oscal-poam: CMMC Plans of Action and Milestones in OSCAL.

The public API is imported lazily so that `oscal-poam --version` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from oscal_poam.assess import closeout as closeout
    from oscal_poam.assess import eligibility as eligibility
    from oscal_poam.assess import read_results as read_results
    from oscal_poam.assess import score as score
    from oscal_poam.cmmc.assessment import Assessment as Assessment
    from oscal_poam.cmmc.assessment import RequirementResult as RequirementResult
    from oscal_poam.cmmc.assessment import read_assessment as read_assessment
    from oscal_poam.derive import DeriveResult, derive  # noqa: F401
    from oscal_poam.errors import LoadError, OscalPoamError, Problem, WriteError  # noqa: F401
    from oscal_poam.io.load import Document, load, load_model  # noqa: F401
    from oscal_poam.io.write import write  # noqa: F401
    from oscal_poam.rules.check import CheckResult, check  # noqa: F401
    from oscal_poam.rules.closeout import CloseoutResult as CloseoutResult
    from oscal_poam.rules.eligibility import Verdict as Verdict
    from oscal_poam.rules.scoring import Score as Score

_LAZY = {
    "DeriveResult": "oscal_poam.derive",
    "derive": "oscal_poam.derive",
    "Document": "oscal_poam.io.load",
    "load": "oscal_poam.io.load",
    "load_model": "oscal_poam.io.load",
    "write": "oscal_poam.io.write",
    "LoadError": "oscal_poam.errors",
    "OscalPoamError": "oscal_poam.errors",
    "Problem": "oscal_poam.errors",
    "WriteError": "oscal_poam.errors",
    "check": "oscal_poam.rules.check",
    "CheckResult": "oscal_poam.rules.check",
    "score": "oscal_poam.assess",
    "eligibility": "oscal_poam.assess",
    "closeout": "oscal_poam.assess",
    "read_results": "oscal_poam.assess",
    "read_assessment": "oscal_poam.cmmc.assessment",
    "Assessment": "oscal_poam.cmmc.assessment",
    "RequirementResult": "oscal_poam.cmmc.assessment",
    "Score": "oscal_poam.rules.scoring",
    "Verdict": "oscal_poam.rules.eligibility",
    "CloseoutResult": "oscal_poam.rules.closeout",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'oscal_poam' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
