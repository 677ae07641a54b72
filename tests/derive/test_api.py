"""The Python API: `oscal_poam.derive(ssp, results, ...)`, whatever the inputs are given as."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import oscal_poam
from oscal_poam.derivation.api import DeriveResult, derive
from oscal_poam.errors import LoadError, UsageError
from oscal_poam.io.load import load
from tests.derive.conftest import EXAMPLES

FOLDER = EXAMPLES / "l3-conditional"


def test_oscal_poam_derive_is_always_the_same_function() -> None:
    """ "`oscal_poam.derive` always the same object": before and after every module of the package is imported."""
    first = oscal_poam.derive
    result = first(FOLDER / "ssp.json", FOLDER / "assessment-results.json")
    for module in pkgutil.walk_packages(oscal_poam.__path__, "oscal_poam."):
        importlib.import_module(module.name)
    assert oscal_poam.derive is first is derive
    assert isinstance(result, DeriveResult) and result.cmmc_status == "Conditional Level 3 (DIBCAC)"
    assert oscal_poam.DeriveResult is DeriveResult


def test_inputs_of_the_wrong_model_are_refused() -> None:
    results = load(FOLDER / "assessment-results.json")
    with pytest.raises(UsageError, match="expected a system security plan"):
        oscal_poam.derive(results, results)
    with pytest.raises(UsageError, match="expected a system security plan"):
        oscal_poam.derive(results.model, results)
    with pytest.raises(LoadError):
        oscal_poam.derive(FOLDER / "assessment-results.json", FOLDER / "assessment-results.json")
    with pytest.raises(TypeError, match="an OSCAL model, a Document or a path"):
        oscal_poam.derive(42, results)
