"""Credibility of each POA&M item: one table of cases per rule, each breaking one place of a credible POA&M."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.facts.poam import read_poam
from oscal_poam.rules.credibility import credibility, is_team_name
from tests.rules.poam_data import DELETE, OWNER, changed, credible_poam, model, prop

ITEM = "/plan-of-action-and-milestones/poam-items/0"
RISK = "/plan-of-action-and-milestones/risks/0"
PLAN = f"{RISK}/remediations/0"
TASKS = f"{PLAN}/tasks"
PARTY = "/plan-of-action-and-milestones/metadata/parties/0"
META_PROPS = "/plan-of-action-and-milestones/metadata/props"
STATUS_DATE = dt.date(2026, 1, 15)
EARLY = dt.date(2026, 2, 1)
"""Before any milestone is due and within 30 days of the status date: the credible POA&M is clean."""

Edits = list[tuple[str, Any]]


def run(edits: Edits, as_of: dt.date = EARLY, level: int = 2, status_date: str | None = "2026-01-15", **kw: Any):
    data = credible_poam(level=level, status_date=status_date)
    for where, value in edits:
        data = changed(data, where, value)
    return credibility(read_poam(model(data), "poam.json"), as_of=as_of, **kw)


def of(diagnostics: list[Diagnostic], rule_id: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.rule_id == rule_id]


def day(n: int) -> dt.date:
    return STATUS_DATE + dt.timedelta(days=n)


def test_credible_poam_is_clean() -> None:
    """A POA&M item with every credibility field filled in draws no diagnostic."""
    assert run([]) == []


def milestone(n: int, date: str) -> dict[str, Any]:
    return {
        "uuid": f"00000000-0000-4000-8000-0000000000{n:02d}",
        "type": "milestone",
        "title": f"Extra milestone {n}",
        "timing": {"on-date": {"date": f"{date}T00:00:00Z"}},
    }


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ([], 0),
        ([(f"{ITEM}/title", "AC.L2-3.1.8 and AC.L2-3.1.9 logon controls")], 1),
        ([(f"{ITEM}/title", "3.1.8, 3.1.9 Logon controls")], 1),
        ([(f"{ITEM}/props/-", prop("cmmc-requirement", "AC.L2-3.1.9"))], 1),
        ([(f"{ITEM}/title", "AC.L2-3.1.8 Unsuccessful Logon Attempts (see also 3.1.8)")], 0),
    ],
)
def test_one_requirement_per_item(edits: Edits, expected: int) -> None:
    """ "one item per requirement (an item covering several requirements is an error)" """
    found = of(run(edits), "credibility-one-requirement-per-item")
    assert len(found) == expected
    for d in found:
        assert d.severity is Severity.ERROR
        assert d.pointer == ITEM
        assert "(AC.L2-3.1.8, AC.L2-3.1.9)" in d.message


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ([], None),
        ([(f"{ITEM}/props/0", DELETE)], None),  # the title's leading id names it
        ([(f"{ITEM}/props/0/value", "XX.L2-9.9.9")], "'XX.L2-9.9.9' is not a CMMC requirement"),
        ([(f"{ITEM}/props/0", DELETE), (f"{ITEM}/title", "Logon attempts")], "names no requirement"),
    ],
)
def test_item_names_its_requirement(edits: Edits, expected: str | None) -> None:
    """ "The requirement of an item: prop cmmc-requirement, fallback the leading id in the title" """
    found = of(run(edits), "credibility-requirement-unknown")
    assert [expected in d.message for d in found] == ([True] if expected else [])


def test_second_item_for_a_requirement_warns() -> None:
    """ "One poam-item per NOT MET requirement" (docs/conventions.md)"""
    found = of(
        run(
            [
                ("/plan-of-action-and-milestones/poam-items/1/props/0/value", "AC.L2-3.1.8"),
                ("/plan-of-action-and-milestones/poam-items/1/title", "AC.L2-3.1.8 Unsuccessful Logon Attempts"),
            ]
        ),
        "credibility-duplicate-requirement",
    )
    assert [(d.pointer, d.subject) for d in found] == [("/plan-of-action-and-milestones/poam-items/1", "AC.L2-3.1.8")]


@pytest.mark.parametrize(
    ("description", "warns"),
    [
        ("TBD", True),
        ("", True),
        ("Not implemented.", True),
        ("Limit unsuccessful logon attempts.", True),  # the requirement's own statement
        ("AC.L2-3.1.8 Unsuccessful Logon Attempts", True),  # the title
        ("Account lockout is not configured on the VPN concentrator or the two domain controllers.", False),
    ],
)
def test_weakness_description_is_specific(description: str, warns: bool) -> None:
    """ "a specific weakness description" """
    found = of(run([(f"{ITEM}/description", description)]), "credibility-weakness-description")
    assert [d.pointer for d in found] == ([f"{ITEM}/description"] if warns else [])


@pytest.mark.parametrize(
    ("edits", "warns"),
    [
        ([], False),
        ([(f"{ITEM}/props/1", DELETE)], True),
        ([(f"{ITEM}/props/1/value", "N/A")], True),
    ],
)
def test_root_cause(edits: Edits, warns: bool) -> None:
    """ "a specific weakness description and its root cause" """
    assert len(of(run(edits), "credibility-root-cause")) == int(warns)


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        ([], None),
        ([(f"{TASKS}/{n}/responsible-roles", DELETE) for n in range(4)], "names a party"),
        ([(f"{TASKS}/0/responsible-roles/0/party-uuids/0", "11111111-1111-4111-8111-111111111111")], "not a party"),
        ([(f"{PLAN}/lifecycle", "recommendation")], "no planned remediation"),
    ],
)
def test_owner_is_named(edits: Edits, message: str | None) -> None:
    """ "a named owner that is a person or role" """
    found = of(run(edits), "credibility-owner-missing")
    assert [message in d.message for d in found] == ([True] if message else [])


@pytest.mark.parametrize(
    ("name", "team"),
    [
        ("IT team", True),
        ("IT", True),
        ("Security Group", True),
        ("All staff", True),
        ("TBD", True),
        ("N/A", True),
        ("Engineering Department", True),
        ("Jane Doe", False),
        ("ISSO", False),
        ("IT Manager", False),
        ("Information System Security Officer", False),
        ("Itzel Garcia", False),
    ],
)
def test_owner_is_not_a_team(name: str, team: bool) -> None:
    """ "a named owner that is a person or role, not a team ("IT team" warns)" """
    assert is_team_name(name) is team
    found = of(run([(f"{PARTY}/name", name)]), "credibility-owner-is-team")
    # The owner is named on four tasks of each item: one warning per item, at the party's name.
    assert [(d.subject, d.pointer) for d in found] == (
        [("AC.L2-3.1.8", f"{PARTY}/name"), ("AU.L2-3.3.8", f"{PARTY}/name")] if team else []
    )
    assert all(OWNER not in d.message and d.subject in d.message for d in found)


@pytest.mark.parametrize(
    ("edits", "count"),
    [
        ([], None),
        ([(f"{TASKS}/2", DELETE), (f"{TASKS}/1", DELETE)], 1),
        ([(f"{TASKS}/-", milestone(n, "2026-03-01")) for n in range(2)], None),
        ([(f"{TASKS}/-", milestone(n, "2026-03-01")) for n in range(3)], 6),
        ([(f"{TASKS}/{n}/type", "action") for n in range(3)], 0),
    ],
)
def test_three_to_five_milestones(edits: Edits, count: int | None) -> None:
    """ "3–5 dated milestones" """
    found = of(run(edits), "credibility-milestone-count")
    assert [d.message.split()[0] for d in found] == ([str(count)] if count is not None else [])


def test_milestones_are_dated() -> None:
    """ "3–5 dated milestones" """
    found = of(run([(f"{TASKS}/1/timing", DELETE)]), "credibility-milestone-undated")
    assert [d.pointer for d in found] == [f"{TASKS}/1"]


def test_pending_milestone_past_its_date_warns() -> None:
    """A pending milestone whose date has passed is overdue (the POA&M shows progress against its dates)."""
    completed = prop("cmmc-milestone-status", "completed")
    found = of(run([(f"{TASKS}/0/props/0", completed)], as_of=dt.date(2026, 4, 2)), "credibility-milestone-overdue")
    assert [d.pointer for d in found if d.subject == "AC.L2-3.1.8"] == [f"{TASKS}/1/timing/on-date/date"]


@pytest.mark.parametrize(
    ("edits", "warns"),
    [
        ([], False),
        ([(f"{PLAN}/required-assets", DELETE)], True),
        ([(f"{PLAN}/required-assets/0/description", "TBD")], True),
    ],
)
def test_resources_committed(edits: Edits, warns: bool) -> None:
    """ "resources committed" """
    found = of(run(edits), "credibility-resources")
    assert [d.pointer for d in found] == ([f"{PLAN}/required-assets"] if warns else [])


EVIDENCE = {"href": "https://evidence.example.com/lockout.png", "rel": "evidence"}


@pytest.mark.parametrize(
    ("edits", "warns"),
    [
        ([], False),
        ([(f"{TASKS}/3", DELETE)], True),
        ([(f"{TASKS}/3/description", DELETE)], True),
        ([(f"{TASKS}/3/description", DELETE), (f"{TASKS}/3/links", [EVIDENCE])], False),
        ([(f"{TASKS}/3/props/0/value", "review")], True),
    ],
)
def test_verification_method_or_closure_evidence(edits: Edits, warns: bool) -> None:
    """ "a verification method or closure evidence" """
    assert len(of(run(edits), "credibility-verification")) == int(warns)


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        ([], None),
        ([(f"{ITEM}/related-risks", DELETE)], "has no related risk"),
        ([(f"{ITEM}/related-risks/0/risk-uuid", "11111111-1111-4111-8111-111111111111")], "not among"),
        ([(f"{RISK}/status", "stuck")], "'stuck' is not one of"),
    ],
)
def test_status(edits: Edits, message: str | None) -> None:
    """ "a status and a status date" """
    found = of(run(edits), "credibility-status")
    assert [message in d.message for d in found] == ([True] if message else [])


@pytest.mark.parametrize(
    ("edits", "warns"),
    [([], False), ([(f"{RISK}/risk-log", DELETE)], True), ([(f"{ITEM}/related-risks", DELETE)], True)],
)
def test_status_date(edits: Edits, warns: bool) -> None:
    """ "a status and a status date" """
    assert len(of(run(edits), "credibility-status-date")) == int(warns)


@pytest.mark.parametrize(
    ("as_of", "edits", "kw", "warns"),
    [
        (day(30), [], {}, False),
        (day(31), [], {}, True),
        (day(31), [], {"stale_days": 60}, False),
        (day(31), [(f"{RISK}/status", "closed")], {}, False),
        (
            day(45),
            [
                (
                    f"{RISK}/risk-log/entries/-",
                    {
                        "uuid": "00000000-0000-4000-8000-000000000099",
                        "start": "2026-02-20T00:00:00Z",
                        "status-change": "remediating",
                    },
                )
            ],
            {},
            False,
        ),
    ],
)
def test_stale_status_date(as_of: dt.date, edits: Edits, kw: dict[str, Any], warns: bool) -> None:
    """ "a stale status date (older than 30 days by default)" """
    found = [d for d in of(run(edits, as_of=as_of, **kw), "credibility-status-stale") if d.subject == "AC.L2-3.1.8"]
    assert [d.pointer for d in found] == ([f"{RISK}/risk-log/entries/0/start"] if warns else [])


@pytest.mark.parametrize(
    ("edits", "level", "status_date", "severity"),
    [
        ([(f"{TASKS}/2/timing/on-date/date", "2026-07-14T00:00:00Z")], 2, "2026-01-15", None),  # on the deadline
        ([(f"{TASKS}/2/timing/on-date/date", "2026-07-15T00:00:00Z")], 2, "2026-01-15", Severity.ERROR),
        ([(f"{TASKS}/2/timing/on-date/date", "2026-07-15T00:00:00Z")], 3, "2026-01-15", Severity.ERROR),
        # Without a Conditional CMMC Status Date the risk's own deadline still applies, as a warning.
        ([(f"{TASKS}/2/timing/on-date/date", "2026-07-15T00:00:00Z")], 2, None, Severity.WARNING),
        ([(f"{TASKS}/2/timing/on-date/date", "2026-07-15T00:00:00Z"), (f"{RISK}/deadline", DELETE)], 2, None, None),
    ],
)
def test_milestone_after_deadline(edits: Edits, level: int, status_date: str | None, severity: Severity | None) -> None:
    """ "milestones after the 180-day deadline (an error on a Conditional POA&M)" """
    found = of(run(edits, level=level, status_date=status_date), "credibility-milestone-after-deadline")
    assert [(d.severity, d.pointer, d.citation) for d in found] == (
        [(severity, f"{TASKS}/2/timing/on-date/date", "32 CFR 170.21(b)")] if severity else []
    )


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (day(119), None),
        (day(120), "credibility-checkpoint-day-120"),
        (day(149), "credibility-checkpoint-day-120"),
        (day(150), "credibility-checkpoint-day-150"),
        (day(180), "credibility-checkpoint-day-150"),
        (day(181), "credibility-deadline-passed"),
    ],
)
def test_checkpoints(as_of: dt.date, expected: str | None) -> None:
    """ "checkpoint warnings for open items at day 120 (the practical deadline) and day 150 (time to submit
    closeout evidence)" """
    rules = ("credibility-checkpoint-day-120", "credibility-checkpoint-day-150", "credibility-deadline-passed")
    found = [d for d in run([], as_of=as_of) if d.rule_id in rules and d.subject == "AC.L2-3.1.8"]
    assert [d.rule_id for d in found] == ([expected] if expected else [])
    assert all(d.pointer == f"{RISK}/status" for d in found)
    if expected == "credibility-deadline-passed":
        assert found[0].severity is Severity.ERROR


@pytest.mark.parametrize(
    ("edits", "level", "status_date"),
    [
        ([(f"{RISK}/status", "closed")], 2, "2026-01-15"),  # closed items are done
        ([], 2, None),  # no Conditional CMMC Status Date: no clock
        ([], 1, "2026-01-15"),  # Level 1 has no Conditional status
    ],
)
def test_no_checkpoint_without_an_open_conditional_item(edits: Edits, level: int, status_date: str | None) -> None:
    """ "checkpoint warnings for open items" on a Conditional POA&M (Level 2 or 3 with a status date)"""
    found = run(edits, as_of=day(160), level=level, status_date=status_date)
    assert not [d for d in found if "checkpoint" in d.rule_id and d.subject == "AC.L2-3.1.8"]


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (f"{META_PROPS}/0/value", "4", "cmmc-level is '4'"),
        (f"{META_PROPS}/2/value", "Jan 15", "cmmc-status-date is 'Jan 15'"),
    ],
)
def test_metadata_readable(where: str, value: str, message: str) -> None:
    """ "metadata prop cmmc-level … cmmc-status-date (YYYY-MM-DD)" (docs/conventions.md)"""
    found = of(run([(where, value)]), "credibility-metadata")
    assert [message in d.message for d in found] == [True]


def test_diagnostics_name_document_subject_and_citation() -> None:
    """Diagnostics: "rule id (stable, kebab-case), severity, message, JSON pointer, citation, document, subject" """
    found = run([(f"{ITEM}/props/1", DELETE)])
    assert len(found) == 1
    d = found[0]
    assert (d.document, d.subject, d.citation) == (
        "poam.json",
        "AC.L2-3.1.8",
        "assessor practice (CMMC Assessment Process)",
    )
    assert d.pointer.startswith(ITEM)


def test_word_lists_are_documented() -> None:
    """ "Team detection: a small documented word list": docs/conventions.md lists exactly the words the rules use."""
    from oscal_poam.rules.credibility import PLACEHOLDERS, TEAM_WORDS, VAGUE_WORDS
    from tests.conftest import ROOT

    conventions = (ROOT / "docs" / "conventions.md").read_text(encoding="utf-8")
    section = conventions.split("### What the credibility rules expect of an item", 1)[1]
    flat = " ".join(section.split())
    team = flat.split("a name containing one of ", 1)[1].split(" is a team", 1)[0]
    vague = flat.split("a name made only of ", 1)[1].split(" names nobody", 1)[0]
    placeholders = flat.split("that are not placeholders: ", 1)[1].split(" (case", 1)[0]

    def listed(text: str) -> set[str]:
        return {w.strip("`") for w in text.split(", ")}

    assert listed(team) == TEAM_WORDS
    assert listed(vague) == VAGUE_WORDS
    assert listed(placeholders) == PLACEHOLDERS - {""}
