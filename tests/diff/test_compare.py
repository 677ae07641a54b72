"""`compare`: every kind of change between two versions of a POA&M, read from real documents."""

from __future__ import annotations

import dataclasses
import datetime as dt

from oscal_poam.diff.compare import compare
from oscal_poam.diff.snapshot import EMPTY, PoamState, snapshot
from oscal_poam.facts.poam import read_poam
from oscal_poam.io.load import validate
from tools.history_demo import Entry, Item, Milestone, poam_document

D = dt.date
A, B, C = "AC.L2-3.1.10", "AU.L2-3.3.4", "CM.L2-3.4.9"
OPENED = Entry("opened", D(2026, 2, 2), "Opened", "open")


def state(items: list[Item], system: str = "s", **options: object) -> PoamState:
    data = poam_document(system, items, status_date=D(2026, 2, 2), modified=D(2026, 2, 3), **options)  # type: ignore[arg-type]
    _, model = validate(data, "poam.json")
    return snapshot(read_poam(model, "poam.json"))


def kinds(old: PoamState, new: PoamState) -> list[tuple[str, str]]:
    return [(c.kind, c.item) for c in compare(old, new).changes]


def test_the_same_version_has_no_changes() -> None:
    one = state([Item(A, log=(OPENED,))])
    assert compare(one, one).changes == ()


def test_items_added_closed_reopened_and_removed() -> None:
    before = state([Item(A, log=(OPENED,)), Item(B, log=(OPENED,))])
    closed_a = Item(A, "closed", (OPENED, Entry("closed", D(2026, 3, 1), "Closed", "closed")))
    after = state([closed_a, Item(C, log=(OPENED,))])
    assert kinds(before, after) == [("item-closed", A), ("item-added", C), ("item-removed", B)]
    again = state([Item(A, "open", (*closed_a.log, Entry("re", D(2026, 4, 1), "Reopened", "open")))])
    assert kinds(after, again)[0] == ("item-reopened", A)
    assert [c.kind for c in compare(EMPTY, before).changes] == ["item-added", "item-added"]


def test_statuses_owners_and_resources() -> None:
    step = (Milestone("1", "Step", D(2026, 3, 1)),)
    before = state([Item(A, log=(OPENED,), milestones=step)])
    after = state([Item(A, "remediating", (OPENED,), step, owner="Marcus Lee", resources="Northgate: 6 hours ($900).")])
    found = compare(before, after).changes
    assert [(c.kind, c.before, c.after) for c in found] == [
        ("status-changed", "open", "remediating"),
        ("owner-changed", "Luis Ortega", "Marcus Lee"),
        ("resources-changed", "IT Manager: 8 hours.", "Northgate: 6 hours ($900)."),
    ]


def test_milestones_added_moved_completed_and_removed() -> None:
    m1, m2, m3 = (Milestone(k, f"Step {k}", D(2026, 3, n)) for k, n in (("1", 1), ("2", 10), ("3", 20)))
    before = state([Item(A, log=(OPENED,), milestones=(m1, m2, m3))])
    later = dataclasses.replace(m1, due=D(2026, 3, 31))
    earlier = dataclasses.replace(m2, due=D(2026, 3, 5), completed=D(2026, 3, 5))
    m4 = Milestone("4", "Step 4", D(2026, 4, 1))
    after = state([Item(A, log=(OPENED,), milestones=(later, earlier, m4))])
    found = compare(before, after)
    assert [(c.kind, c.milestone, c.before, c.after, c.days) for c in found.changes] == [  # in the order of kinds
        ("milestone-added", "Step 4", "", "2026-04-01", None),
        ("milestone-removed", "Step 3", "2026-03-20", "", None),
        ("milestone-moved", "Step 1", "2026-03-01", "2026-03-31", 30),
        ("milestone-moved", "Step 2", "2026-03-10", "2026-03-05", -5),
        ("milestone-completed", "Step 2", "", "2026-03-05", None),
    ]
    assert [c.milestone for c in found.slips] == ["Step 1"]  # moved earlier is not a slip
    assert found.slips[0].justification is None


def test_a_slip_is_justified_by_a_new_risk_log_entry_else_by_remarks() -> None:
    m = Milestone("1", "Deploy", D(2026, 3, 1))
    before = state([Item(A, log=(OPENED,), milestones=(m,))])
    why = Entry("moved", D(2026, 2, 20), "Milestone moved", None, "The vendor ships in April.")
    moved = dataclasses.replace(m, due=D(2026, 4, 15))
    logged = compare(before, state([Item(A, log=(OPENED, why), milestones=(moved,))])).slips[0]
    assert logged.justification is not None
    assert (logged.justification.text, logged.justification.source) == (
        "Milestone moved: The vendor ships in April.",
        "risk-log",
    )
    remarked = dataclasses.replace(moved, remarks="Waiting for the appliance.")
    noted = compare(before, state([Item(A, log=(OPENED,), milestones=(remarked,))])).slips[0]
    assert noted.justification is not None
    assert (noted.justification.text, noted.justification.source) == ("Waiting for the appliance.", "remarks")


def test_an_item_with_a_new_uuid_is_matched_by_its_requirement() -> None:
    """A POA&M rebuilt elsewhere (a spreadsheet import) may give an item a new uuid: it is the same item."""
    before = state([Item(A, log=(OPENED,))], system="one")
    after = state([Item(A, "remediating", (OPENED,))], system="two")
    assert kinds(before, after) == [("status-changed", A)]


def test_the_item_dates_come_from_the_risk_log() -> None:
    closed = Item(
        A, "closed", (Entry("o", D(2026, 2, 2), "Opened", "open"), Entry("c", D(2026, 5, 1), "Done", "closed"))
    )
    (item,) = state([closed]).items
    assert (item.opened_on, item.closed_on) == (D(2026, 2, 2), D(2026, 5, 1))
    (open_item,) = state([Item(A, log=(Entry("x", D(2026, 2, 9), "Noted"),))]).items
    assert (open_item.opened_on, open_item.closed_on) == (D(2026, 2, 9), None)  # no opening entry: the earliest
