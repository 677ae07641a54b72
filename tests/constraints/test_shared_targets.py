"""Constraints of one definition with the same target share its compiled targets, remembered for the last item.

What is remembered is dropped between checks: data changed in place between two checks gives the findings of the
changed data, as a check of a fresh copy does.
"""

from __future__ import annotations

import copy
import importlib
from typing import Any

from oscal_poam.constraints.check import check
from oscal_poam.io.load import decode
from tests.conftest import FEDRAMP_EXAMPLES

check_module = importlib.import_module("oscal_poam.constraints.check")  # the package's `check` is the function

SSP = FEDRAMP_EXAMPLES / "dist" / "content" / "rev5" / "templates" / "ssp" / "json" / "FedRAMP-SSP-OSCAL-Template.json"
REPEATED = "responsible-role|statement/responsible-role|.//by-component//responsible-role"


def _requirements(data: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data["system-security-plan"]["control-implementation"]["implemented-requirements"]
    return found


def test_an_implemented_requirements_responsible_roles_are_one_shared_target() -> None:
    shared = ("oscal-ssp:implemented-requirement", None, REPEATED)
    assert shared in check_module._REPEATED
    compiled = [check_module._compiled_targets(c, shared[0]) for c in check_module.CONSTRAINTS[shared[0]]]
    assert sum(function is check_module._SHARED[shared][0] for function, _ in compiled) == 2  # by role, by party


def test_what_is_remembered_is_dropped_between_checks() -> None:
    data = decode(SSP.read_bytes(), SSP.name)[1]
    del _requirements(data)[1:]  # the requirement remembered last is the first met by the next check
    before = check(data, SSP.name)
    for requirement in _requirements(data):
        # changed in place: the same requirement objects, with a responsible role more
        requirement.setdefault("responsible-roles", []).append({"role-id": "no-such-role"})
    after = check(data, SSP.name)
    assert after == check(copy.deepcopy(data), SSP.name)
    assert len(after) > len(before)
    assert any(d.rule_id == "oscal-implemented-requirement-index-metadata-role-id" for d in after)
