"""Shared test fixtures: the reference material beside the project's root."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OSCAL_CONTENT = SHARED / "examples" / "oscal-content"
SCHEMAS = SHARED / "reference" / "oscal-schemas" / "1.2.1"
CMMC_REFERENCE = SHARED / "reference" / "cmmc"


@pytest.fixture(scope="session")
def shared() -> Path:
    assert SHARED.is_dir(), f"the reference material is expected at {SHARED}"
    return SHARED
