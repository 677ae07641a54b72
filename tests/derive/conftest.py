"""Fixtures for derive: the shipped examples derived once per session, and NIST's schemas."""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from lxml import etree

from oscal_poam.derivation.api import DeriveResult, derive
from tests.conftest import ROOT, SCHEMAS

EXAMPLES = ROOT / "examples"

SCENARIOS: dict[str, str | None] = {
    "l2-conditional": None,
    "l2-not-eligible": None,
    "l3-conditional": None,
    "l2-closeout": "l2-conditional/poam-maintained.json",
}
"""Example folder -> the POA&M it is derived onto (relative to the examples folder)."""


@dataclass(frozen=True)
class Derived:
    folder: Path
    result: DeriveResult


@pytest.fixture(scope="session")
def examples_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the examples, so that deriving beside them never touches the repository."""
    target = tmp_path_factory.mktemp("examples") / "examples"
    shutil.copytree(EXAMPLES, target)
    return target


@pytest.fixture(scope="session")
def derived(examples_copy: Path) -> dict[str, Derived]:
    """Each example derived as `oscal-poam derive` does, to `poam.json` in its (copied) folder."""
    found = {}
    for name, existing in SCENARIOS.items():
        folder = examples_copy / name
        result = derive(
            folder / "ssp.json",
            folder / "assessment-results.json",
            existing=examples_copy / existing if existing else None,
            poam_path=folder / "poam.json",
        )
        found[name] = Derived(folder, result)
    return found


@pytest.fixture(scope="session")
def poam_schema() -> Callable[[Any], list[str]]:
    """Validate plain OSCAL JSON data against NIST's OSCAL 1.2.1 POA&M JSON schema; returns the errors."""
    validator = jsonschema_rs.validator_for(json.loads((SCHEMAS / "json" / "oscal_poam_schema.json").read_text()))

    def errors(data: Any) -> list[str]:
        return [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(data)]

    return errors


@pytest.fixture(scope="session")
def complete_schema() -> Callable[[Any], list[str]]:
    """The same against the complete OSCAL JSON schema (every model)."""
    validator = jsonschema_rs.validator_for(json.loads((SCHEMAS / "json" / "oscal_complete_schema.json").read_text()))

    def errors(data: Any) -> list[str]:
        return [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(data)]

    return errors


@functools.cache
def xsd_validator() -> Callable[[bytes], list[str]]:
    """Validate OSCAL XML bytes against NIST's OSCAL 1.2.1 complete XSD; returns the errors. Built once."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "xml" / "oscal_complete_schema.xsd")))

    def errors(data: bytes) -> list[str]:
        document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        if schema.validate(document):
            return []
        return [f"line {e.line}: {e.message}" for e in schema.error_log]

    return errors


@pytest.fixture(scope="session")
def xsd() -> Callable[[bytes], list[str]]:
    return xsd_validator()


def copy_example(name: str, target: Path) -> Path:
    """A fresh copy of one example folder (and the SSP folder it may share) under `target`."""
    shutil.copytree(EXAMPLES / name, target / name)
    return target / name
