"""Seeded defects: copies of NIST's examples with one change each, reported with NIST's constraint id and level.

The files are in tests/data/seeded, named `<example>--<constraint id>--<level>.<format>` (see its README);
together they cover every kind of constraint NIST's metaschema has.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.constraints.table import CONSTRAINTS
from oscal_poam.io.load import decode
from oscal_poam.validate.one_file import validate_file
from tests.conftest import OSCAL_CONTENT, ROOT

SEEDED = sorted(p for p in (ROOT / "tests" / "data" / "seeded").glob("*--*--*.*"))
KINDS = {c.id: c.kind for constraints in CONSTRAINTS.values() for c in constraints}


def _case(path: Path) -> tuple[str, str, str]:
    example, constraint_id, level = path.stem.split("--")
    return example, constraint_id, level


def _source(path: Path) -> Path:
    example, _, _ = _case(path)
    (found,) = OSCAL_CONTENT.glob(f"*/{path.suffix[1:]}/{example}{path.suffix}")
    return found


def _data(path: Path) -> Any:
    return decode(path.read_bytes(), path.name)[1]


def _changes(a: Any, b: Any, pointer: str = "") -> list[str]:
    """The places where `b` differs from `a`: a value changed, or a key or array item added or removed."""
    if isinstance(a, dict) and isinstance(b, dict):
        found = [f"{pointer}/{k}" for k in sorted(set(a) ^ set(b))]
        for key in sorted(set(a) & set(b)):
            found += _changes(a[key], b[key], f"{pointer}/{key}")
        return found
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [pointer]
        return [p for index, (x, y) in enumerate(zip(a, b, strict=True)) for p in _changes(x, y, f"{pointer}/{index}")]
    return [] if a == b else [pointer]


def test_the_seeded_defects_cover_every_kind_of_constraint_and_level() -> None:
    assert {KINDS[_case(p)[1]] for p in SEEDED} == {
        "allowed-values",
        "matches",
        "index",
        "index-has-key",
        "is-unique",
        "has-cardinality",
        "expect",
    }
    assert {_case(p)[2] for p in SEEDED} == {"error", "warning"}
    assert {p.suffix for p in SEEDED} == {".json", ".xml", ".yaml"}


@pytest.mark.parametrize("path", SEEDED, ids=lambda p: p.name)
def test_each_is_one_change_away_from_its_nist_example(path: Path) -> None:
    assert len(_changes(_data(_source(path)), _data(path))) == 1


@pytest.mark.parametrize("path", SEEDED, ids=lambda p: p.name)
def test_validate_reports_the_defect_with_nists_id_and_level(path: Path, tmp_path: Path) -> None:
    _, constraint_id, level = _case(path)
    original = tmp_path / _source(path).name
    seeded = tmp_path / path.name
    shutil.copyfile(_source(path), original)
    shutil.copyfile(path, seeded)
    before = {(d.rule_id, d.severity.value, d.pointer) for d in validate_file(original).diagnostics}
    found = [d for d in validate_file(seeded).diagnostics if (d.rule_id, d.severity.value, d.pointer) not in before]
    assert (constraint_id, level) in {(d.rule_id, d.severity.value) for d in found}, found
    assert all(d.rule_id != constraint_id for d in validate_file(original).diagnostics)
    reported = next(d for d in found if d.rule_id == constraint_id)
    assert reported.citation.startswith("OSCAL 1.2.1 metaschema") and constraint_id in reported.citation
    (change,) = _changes(_data(_source(path)), _data(path))
    assert reported.pointer.startswith(change) or change.startswith(reported.pointer)  # at the change, or around it
    assert reported.line is not None  # located in the file as well as by pointer
