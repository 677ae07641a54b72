"""tools/gen_constraints.py: the committed constraint table and docs/constraints.md are what NIST's metaschema says."""

from __future__ import annotations

import subprocess
from pathlib import Path

from oscal_poam.constraints.table import CONSTRAINTS, OSCAL_VERSION
from tests.conftest import ROOT
from tests.tools.generators import run_generator

TOOL = ROOT / "tools" / "gen_constraints.py"
TABLE = ROOT / "oscal_poam" / "constraints" / "table.py"
DOC = ROOT / "docs" / "constraints.md"


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return run_generator(TOOL, *args)


def test_the_committed_table_and_list_are_current() -> None:
    result = run_tool("--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("is current") == 2


def test_check_reports_a_stale_table(tmp_path: Path) -> None:
    stale = tmp_path / "table.py"
    stale.write_text(TABLE.read_text(encoding="utf-8").replace("'oscal-unique-metadata-doc-id'", "'x'"))
    result = run_tool("--check", "--output", str(stale), "--doc", str(DOC))
    assert result.returncode == 1
    assert "out of date" in result.stderr


def test_the_table_says_what_the_metaschema_says() -> None:
    assert OSCAL_VERSION == "1.2.1"
    every = [
        c for constraints in CONSTRAINTS.values() for c in constraints if not c.id.startswith("oscal-poam-erratum-")
    ]
    assert len(every) == 329
    closed = [c for c in every if c.kind == "allowed-values" and not c.allow_other]
    assert len(closed) == 132
    hash_256 = next(c for c in CONSTRAINTS["hash"] if c.id == "oscal-check-hash-length-SHA2-3-256")
    assert hash_256.regex == "^[0-9a-fA-F]{64}$" and hash_256.level == "ERROR"
    telephone = next(c for c in CONSTRAINTS["telephone-number"] if c.kind == "matches")
    assert telephone.level == "WARNING"
    # a constraint on a flag is kept with the definition that carries the flag, naming the flag
    party_type = next(c for c in CONSTRAINTS["metadata/party"] if c.flag == "type")
    assert party_type.values == ("person", "organization") and not party_type.allow_other
    # shared allowed-values lists (the metaschema's .ent files) are expanded
    component_types = next(c for c in CONSTRAINTS["system-component"] if c.id == "oscal-component-type-values")
    assert "software" in component_types.values and "this-system" in component_types.values


def test_every_constraint_is_listed_as_evaluated() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "Every one is evaluated." in text
    assert text.count("| yes |") == sum(len(c) for c in CONSTRAINTS.values())
