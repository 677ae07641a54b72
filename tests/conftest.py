"""Paths to the reference material the tests read: NIST's schemas and examples, FedRAMP's templates, the CMMC tables.

Everything lives in the repository's `reference/` folder (each sub-folder says where its files come from), so a
fresh clone runs its tests with nothing beside it.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "reference"
OSCAL_CONTENT = REFERENCE / "examples" / "oscal-content"
FEDRAMP_EXAMPLES = REFERENCE / "examples" / "fedramp"
LEGACY_EXAMPLES = REFERENCE / "examples" / "legacy"
SCHEMAS = REFERENCE / "oscal-schemas" / "1.2.1"
CMMC_REFERENCE = REFERENCE / "cmmc"
