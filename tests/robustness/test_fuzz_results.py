"""Damaged scanner output: `verify`'s reader returns the results or a LoadError naming the file and a place in it
(a SARIF run with no scan time is the one UsageError, which says to give --as-of); nothing else.

Seeds are the real scanners' output of the worked example (Prowler's OCSF JSON, Checkov's SARIF) and NIST's OSCAL
assessment results.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oscal_poam.errors import LoadError, UsageError
from oscal_poam.verification.read import read_results
from tests.conftest import OSCAL_CONTENT, ROOT
from tests.robustness.mutations import assert_located, damaged_bytes, encode, examples, mutated_data, to_json

SEEDS = (
    ROOT / "examples" / "l2-conditional" / "scans" / "prowler-output.ocsf.json",
    ROOT / "examples" / "l2-conditional" / "scans" / "checkov.sarif",
    OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json",
)
MIDNIGHT = dt.datetime(2027, 2, 10, tzinfo=dt.UTC)


@cache
def _bytes(name: str) -> bytes:
    return next(p for p in SEEDS if p.name == name).read_bytes()


def _read_or_located(path: Path) -> None:
    try:
        read_results(path, default_time=MIDNIGHT)
    except LoadError as exc:
        assert_located(exc, str(path))
    except UsageError as exc:  # pragma: no cover - dated by default_time
        raise AssertionError(f"a usage error despite --as-of: {exc}") from None


@pytest.mark.parametrize("name", [p.name for p in SEEDS])
@examples(15)
@given(data=st.data())
def test_damaged_bytes(name: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("damaged") / name
    path.write_bytes(data.draw(damaged_bytes(_bytes(name))))
    _read_or_located(path)


@pytest.mark.parametrize("name", [p.name for p in SEEDS])
@examples(15)
@given(data=st.data())
def test_damaged_data(name: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory) -> None:
    original: Any = json.loads(_bytes(name))
    path = tmp_path_factory.mktemp("mutated") / name
    path.write_bytes(encode(to_json(data.draw(mutated_data(original)))))
    _read_or_located(path)
