"""The Python API: `oscal_poam.derive(ssp, results, ...)`, whatever the inputs are given as."""

from __future__ import annotations

import importlib

import pytest

import oscal_poam
from oscal_poam.derive import DeriveResult
from oscal_poam.errors import LoadError, UsageError
from oscal_poam.io.load import load
from tests.derive.conftest import EXAMPLES

FOLDER = EXAMPLES / "l3-conditional"


def test_oscal_poam_derive_is_callable_before_and_after_the_package_is_imported() -> None:
    first = oscal_poam.derive(FOLDER / "ssp.json", FOLDER / "assessment-results.json")
    importlib.import_module("oscal_poam.derive")
    second = oscal_poam.derive(FOLDER / "ssp.json", FOLDER / "assessment-results.json")
    assert isinstance(first, DeriveResult) and isinstance(second, DeriveResult)
    assert first.cmmc_status == second.cmmc_status == "Conditional Level 3 (DIBCAC)"
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
