"""The library API users rely on: the names `oscal_poam` exports, typed entry points, one object per name."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import oscal_poam
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.evaluate import Evaluation
from oscal_poam.engine.verdict import Verdict
from oscal_poam.legacy.api import export_poam, import_poam
from oscal_poam.report import report
from oscal_poam.rules.closeout import CloseoutResult
from oscal_poam.rules.scoring import FamilyScore, Score

ENTRY_POINTS = ["check", "score", "eligibility", "evaluate_results", "closeout", "read_results", "derive", "load"]


def test_the_types_are_exported_from_the_package() -> None:
    """ "`Diagnostic`, `Severity`, the verdict and score types exported from `oscal_poam`" """
    assert oscal_poam.Diagnostic is Diagnostic and oscal_poam.Severity is Severity
    assert oscal_poam.Verdict is Verdict and oscal_poam.Score is Score and oscal_poam.FamilyScore is FamilyScore
    assert oscal_poam.Evaluation is Evaluation and oscal_poam.CheckResult is Evaluation
    assert oscal_poam.CloseoutResult is CloseoutResult
    assert set(oscal_poam.__all__) >= {"Diagnostic", "Severity", "Verdict", "Score", "Evaluation", *ENTRY_POINTS}


def test_every_name_is_one_object_however_it_is_reached() -> None:
    """ "`oscal_poam.derive` always the same object": also once every module of the package is imported."""
    before = {name: getattr(oscal_poam, name) for name in oscal_poam.__all__ if name != "__version__"}
    for module in pkgutil.walk_packages(oscal_poam.__path__, "oscal_poam."):
        importlib.import_module(module.name)
    assert all(getattr(oscal_poam, name) is value for name, value in before.items())
    assert callable(oscal_poam.derive) and inspect.isfunction(oscal_poam.derive)


@pytest.mark.parametrize(
    "function",
    [*(getattr(oscal_poam, name) for name in ENTRY_POINTS), report, import_poam, export_poam],
    ids=lambda f: f.__name__,
)
def test_public_entry_points_are_typed_without_any(function: object) -> None:
    """ "typed signatures (no `Any` in public entry points)" """
    signature = inspect.signature(inspect.unwrap(function))  # type: ignore[arg-type]
    given = [p.annotation for p in signature.parameters.values()] + [signature.return_annotation]
    assert inspect.Parameter.empty not in given and inspect.Signature.empty not in given
    assert [str(a) for a in given if "Any" in str(a)] == []
