"""oscal-poam: CMMC Plans of Action and Milestones in OSCAL.

The public API is imported on first use, so that `oscal-poam --version` stays fast: each name below is looked up
in `_LAZY` the first time it is asked for, imported, and kept in this module, so that every later `oscal_poam.X`
is the same object.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from oscal_poam.derivation.api import DeriveResult as DeriveResult
    from oscal_poam.derivation.api import NotCmmcError as NotCmmcError
    from oscal_poam.derivation.api import derive as derive
    from oscal_poam.diagnostics import Diagnostic as Diagnostic
    from oscal_poam.diagnostics import Severity as Severity
    from oscal_poam.engine.api import CheckResult as CheckResult
    from oscal_poam.engine.api import check as check
    from oscal_poam.engine.api import closeout as closeout
    from oscal_poam.engine.api import eligibility as eligibility
    from oscal_poam.engine.api import evaluate_results as evaluate_results
    from oscal_poam.engine.api import read_results as read_results
    from oscal_poam.engine.api import score as score
    from oscal_poam.engine.evaluate import Evaluation as Evaluation
    from oscal_poam.engine.inputs import Selection as Selection
    from oscal_poam.engine.verdict import Verdict as Verdict
    from oscal_poam.errors import LoadError as LoadError
    from oscal_poam.errors import OscalPoamError as OscalPoamError
    from oscal_poam.errors import Problem as Problem
    from oscal_poam.errors import UsageError as UsageError
    from oscal_poam.errors import WriteError as WriteError
    from oscal_poam.facts.results import Assessment as Assessment
    from oscal_poam.facts.results import RequirementResult as RequirementResult
    from oscal_poam.facts.results import read_assessment as read_assessment
    from oscal_poam.io.load import Document as Document
    from oscal_poam.io.load import load as load
    from oscal_poam.io.load import load_model as load_model
    from oscal_poam.io.write import write as write
    from oscal_poam.rules.closeout import CloseoutResult as CloseoutResult
    from oscal_poam.rules.recorded import RecordedScore as RecordedScore
    from oscal_poam.rules.scoring import FamilyScore as FamilyScore
    from oscal_poam.rules.scoring import Score as Score

_LAZY = {
    "Assessment": "oscal_poam.facts.results",
    "CheckResult": "oscal_poam.engine.api",
    "CloseoutResult": "oscal_poam.rules.closeout",
    "DeriveResult": "oscal_poam.derivation.api",
    "Diagnostic": "oscal_poam.diagnostics",
    "Document": "oscal_poam.io.load",
    "Evaluation": "oscal_poam.engine.evaluate",
    "FamilyScore": "oscal_poam.rules.scoring",
    "LoadError": "oscal_poam.errors",
    "NotCmmcError": "oscal_poam.derivation.api",
    "OscalPoamError": "oscal_poam.errors",
    "Problem": "oscal_poam.errors",
    "RecordedScore": "oscal_poam.rules.recorded",
    "RequirementResult": "oscal_poam.facts.results",
    "Score": "oscal_poam.rules.scoring",
    "Selection": "oscal_poam.engine.inputs",
    "Severity": "oscal_poam.diagnostics",
    "UsageError": "oscal_poam.errors",
    "Verdict": "oscal_poam.engine.verdict",
    "WriteError": "oscal_poam.errors",
    "check": "oscal_poam.engine.api",
    "closeout": "oscal_poam.engine.api",
    "derive": "oscal_poam.derivation.api",
    "eligibility": "oscal_poam.engine.api",
    "evaluate_results": "oscal_poam.engine.api",
    "load": "oscal_poam.io.load",
    "load_model": "oscal_poam.io.load",
    "read_assessment": "oscal_poam.facts.results",
    "read_results": "oscal_poam.engine.api",
    "score": "oscal_poam.engine.api",
    "write": "oscal_poam.io.write",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> object:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'oscal_poam' has no attribute {name!r}")
    value: object = getattr(importlib.import_module(module_name), name)
    globals()[name] = value  # the same object on every later access
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
