"""The domain module: 32 CFR 170 and 48 CFR 204.7501 as data, asked everywhere and copied nowhere."""

from __future__ import annotations

import ast
import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from oscal_poam.cmmc import regulation as r
from oscal_poam.cmmc.catalog import catalog

PACKAGE = Path(r.__file__).resolve().parent.parent


def test_the_maxima_are_the_catalogs_counts() -> None:
    """170.24(c)(2): 'The maximum score ... is equal to the total number of CMMC Level 2 security requirements.'"""
    for level in r.LEVELS:
        assert len(catalog(level).requirements) == r.MAXIMUM_SCORE[level]
    assert r.MAXIMUM_SCORE == {1: 15, 2: 110, 3: 24}


@pytest.mark.parametrize(("maximum", "least"), [(110, 88), (24, 20)])
def test_the_threshold(maximum: int, least: int) -> None:
    """170.21(a)(2)(i): 'The assessment score divided by the total number ... is greater than or equal to 0.8'."""
    assert Fraction(4, 5) == r.THRESHOLD
    assert r.minimum_score(maximum) == least
    assert r.meets_threshold(least, maximum) and not r.meets_threshold(least - 1, maximum)


def test_the_statuses_are_the_seven_dfars_names() -> None:
    """48 CFR 204.7501: 'The potential statuses are as follows: (1) Final Level 1 (Self). ... (7) Final Level 3
    (DIBCAC).'"""
    named = {
        r.status_name(kind, level, kind_type)
        for kind in ("final", "conditional")
        for level in r.LEVELS
        for kind_type in (*r.ASSESSMENT_TYPES, None)
    }
    assert named - {r.NO_STATUS, "Final Level 2", "Conditional Level 2"} == set(r.STATUSES)
    assert r.status_name("conditional", 1, "self") == r.NO_STATUS  # there is no Conditional Level 1


@pytest.mark.parametrize(
    ("determinations", "combined"),
    [
        (["met", "met"], "met"),
        (["met", "not-applicable"], "met"),
        (["not-applicable", "not-applicable"], "not-applicable"),
        (["met", "not-met"], "not-met"),
        (["not-assessed", "not-met"], "not-met"),
        (["met", "not-assessed"], "not-assessed"),
        ([], "not-assessed"),
    ],
)
def test_objectives_combine(determinations: list[r.Determination], combined: str) -> None:
    """170.24(b)(1) 'All applicable objectives ... are satisfied'; (b)(2) 'One or more applicable objectives ... is
    not satisfied'; (b)(3) 'an assessment objective assessed as N/A is equivalent to ... MET'."""
    assert r.combine(determinations) == combined


def test_day_180_ends_in_the_status_dates_time_zone() -> None:
    eastern = dt.timezone(dt.timedelta(hours=-4))
    assert r.deadline(dt.date(2026, 10, 16)) == dt.date(2027, 4, 14)
    assert r.deadline_instant(dt.date(2026, 10, 16), eastern) == dt.datetime(2027, 4, 14, 23, 59, 59, tzinfo=eastern)
    assert r.deadline_instant(dt.date(2026, 10, 16), None).tzinfo is dt.UTC


def _copies(path: Path) -> list[str]:
    """Constants in `path` that restate the regulation: its requirement lists, status names and numbers."""
    labels = {*r.L2_POAM_EXCLUDED, *r.L3_POAM_EXCLUDED, *r.PARTIAL_CREDIT, r.SSP_REQUIREMENT}
    names = {*r.STATUSES, *r.TYPE_NAMES.values(), r.NO_STATUS}
    numbers = {r.CONDITIONAL_DAYS, r.MAXIMUM_SCORE[2], r.minimum_score(r.MAXIMUM_SCORE[2]), float(r.THRESHOLD)}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Constant):
            continue
        value = node.value
        if (isinstance(value, str) and value in labels | names) or (type(value) in (int, float) and value in numbers):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {value!r}")
    return found


def test_nothing_else_holds_a_copy() -> None:
    """Every number and list of the regulation lives in `oscal_poam.cmmc.regulation`: no other module of the
    package restates one as a constant (ids of the excluded requirements, status names, 180, 110, 88, 0.8)."""
    copies = [
        found
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "regulation.py" and path.parent.name != "xml"
        for found in _copies(path)
    ]
    assert copies == []
