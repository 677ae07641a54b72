"""Dates as people type them, and milestones written together in one cell."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oscal_poam.legacy.dates import NotADate, find_dates, parse_date
from oscal_poam.legacy.milestones import format_milestones, split_milestones

DAY = dt.date(2025, 11, 23)


@pytest.mark.parametrize(
    "value",
    [
        DAY,
        dt.datetime(2025, 11, 23, 0, 0),
        45984,
        45984.0,
        "45984",
        "2025-11-23",
        "2025/11/23",
        "2025-11-23T00:00:00",
        "11/23/2025",
        "11/23/25",
        "11-23-2025",
        "23/11/2025",
        "23.11.2025",
        "Nov 23, 2025",
        "November 23 2025",
        "23 Nov 2025",
        "23-Nov-2025",
        "23-Nov-25",
        "Sunday, November 23, 2025",
        "11/23/2025 12:00:00 AM",
        "20251123",
        "  2025-11-23 ",
    ],
)
def test_dates_in_many_forms(value: object) -> None:
    assert parse_date(value) == DAY


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_is_no_date(value: object) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["next week", "Q1 2026", "2025-02-30", "13/13/2025", 7, True, "1234567"])
def test_what_is_not_a_date(value: object) -> None:
    with pytest.raises(NotADate):
        parse_date(value)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_form_of_a_day_reads_back(day: dt.date) -> None:
    """ISO, US month/day/year, Excel serial and month names all name the same day."""
    serial = (day - dt.date(1899, 12, 30)).days
    forms = [day.isoformat(), f"{day.month}/{day.day}/{day.year}", str(serial), day.strftime("%d %b %Y")]
    assert [parse_date(f) for f in forms] == [day] * 4


def test_dates_inside_text() -> None:
    found = list(find_dates("Buy (due 01/15/2026), deploy by 2026-02-01; v1.2.3 is not a date"))
    assert [f.date for f in found] == [dt.date(2026, 1, 15), dt.date(2026, 2, 1)]


def test_milestones_one_per_line() -> None:
    found = split_milestones("1. Inventory - 10/15/2025\n2. Remove shared account (completed 2025-10-20)\n")
    assert [(m.title, m.scheduled, m.completed_on, m.is_completed) for m in found] == [
        ("Inventory", dt.date(2025, 10, 15), None, False),
        ("Remove shared account", None, dt.date(2025, 10, 20), True),
    ]
    # The text as written stays; the export's own marker is not part of it.
    assert [m.description for m in found] == ["Inventory - 10/15/2025", ""]


def test_milestones_run_together_on_one_line() -> None:
    found = split_milestones("1) Buy tool 11/30/2025 2) Pilot 12/20/2025 3) Roll out 01/31/2026")
    assert [m.title for m in found] == ["Buy tool", "Pilot", "Roll out"]
    assert [m.description for m in found] == ["Buy tool 11/30/2025", "Pilot 12/20/2025", "Roll out 01/31/2026"]
    assert [m.scheduled for m in found] == [dt.date(2025, 11, 30), dt.date(2025, 12, 20), dt.date(2026, 1, 31)]


def test_milestones_separated_by_semicolons() -> None:
    found = split_milestones("Buy tool 11/30/2025; Pilot 12/20/2025")
    assert [m.scheduled for m in found] == [dt.date(2025, 11, 30), dt.date(2025, 12, 20)]
    assert len(split_milestones("Buy a tool; then decide")) == 1  # no dates: one milestone, kept whole


def test_numbered_milestones_keep_their_continuation_lines() -> None:
    found = split_milestones("1. Draft policy\n   reviewed by legal\n2. Approve policy")
    assert [m.title for m in found] == ["Draft policy", "Approve policy"]
    assert [m.description for m in found] == ["Draft policy\nreviewed by legal", ""]


def test_formatted_milestones_read_back() -> None:
    original = split_milestones("Select a product\nDeploy it - 02/01/2026\nDone [completed]")
    original[0].scheduled = dt.date(2026, 1, 10)
    original[0].completed_on = dt.date(2026, 1, 9)
    again = split_milestones(format_milestones(original))
    assert [(m.scheduled, m.completed_on, m.is_completed) for m in again] == [
        (m.scheduled, m.completed_on, m.is_completed) for m in original
    ]


@pytest.mark.parametrize(
    ("text", "title", "scheduled", "completed_on"),
    [
        ("Apply patch to production servers 11/15/2018", "Apply patch to production servers", "2018-11-15", None),
        ("Inventory shared accounts - 10/15/2025", "Inventory shared accounts", "2025-10-15", None),
        ("Quarter One 2019 updates 03/31/2019", "Quarter One 2019 updates", "2019-03-31", None),
        ("Completed 09/14/2018: identify servers", "identify servers", None, "2018-09-14"),
        ("Confirm the lock (due 2026-10-30) (completed 2026-10-29)", "Confirm the lock", "2026-10-30", "2026-10-29"),
        ("Select an MFA product", "Select an MFA product", None, None),
    ],
)
def test_the_date_is_taken_out_of_the_title(
    text: str, title: str, scheduled: str | None, completed_on: str | None
) -> None:
    (found,) = split_milestones(text)
    assert found.title == title
    assert found.scheduled == (dt.date.fromisoformat(scheduled) if scheduled else None)
    assert found.completed_on == (dt.date.fromisoformat(completed_on) if completed_on else None)


def test_a_title_and_its_dates_read_back_from_the_exported_text() -> None:
    """An export writes the title and `(due ...)`; reading it gives the title, not the title plus the date."""
    from oscal_poam.legacy.model import LegacyMilestone

    milestones = [
        LegacyMilestone(
            title="Confirm the lock time", scheduled=dt.date(2026, 10, 1), completed_on=dt.date(2026, 9, 30)
        ),
        LegacyMilestone(title="Roll out", scheduled=dt.date(2026, 11, 1), status="Completed"),
        LegacyMilestone(title="Verify on 12 hosts", scheduled=dt.date(2026, 12, 1)),
    ]
    again = split_milestones(format_milestones(milestones))
    assert [(m.title, m.scheduled, m.completed_on, m.is_completed) for m in again] == [
        (m.title, m.scheduled, m.completed_on, m.is_completed) for m in milestones
    ]
    assert [m.description for m in again] == ["", "", ""]
