"""Days from prop text and `--as-of`: `iso_day` reads the whole text, `leading_iso_day` its first ten characters."""

from __future__ import annotations

import datetime as dt

import pytest

from oscal_poam.dates import iso_day, leading_iso_day

DAY = dt.date(2026, 5, 1)


@pytest.mark.parametrize(
    "text", ["2026-05-01", "20260501", "2026-05-01T14:00:00", "2026-05-01T23:30:00-04:00", "2026-05-01T00:00:00Z"]
)
def test_iso_day_reads_a_date_or_the_day_of_a_date_time(text: str) -> None:
    assert iso_day(text) == DAY


@pytest.mark.parametrize("text", ["", "today", "2026-02-30", "05/01/2026", " 2026-05-01", "2026-05-01 and more"])
def test_iso_day_is_none_for_anything_else(text: str) -> None:
    assert iso_day(text) is None


@pytest.mark.parametrize("text", ["2026-05-01", " 2026-05-01 ", "2026-05-01T23:30:00-04:00", "2026-05-01 and more"])
def test_leading_iso_day_reads_the_date_the_text_starts_with(text: str) -> None:
    assert leading_iso_day(text) == DAY


@pytest.mark.parametrize("text", [None, "", "   ", "2026-02-30", "05/01/2026", "on 2026-05-01"])
def test_leading_iso_day_is_none_without_one(text: str | None) -> None:
    assert leading_iso_day(text) is None
