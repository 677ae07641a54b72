"""The real FedRAMP and eMASS templates import as they are published."""

from __future__ import annotations

import datetime as dt

import pytest

from oscal_poam.cmmc import vocab
from oscal_poam.diagnostics import Severity
from oscal_poam.io.models import text
from oscal_poam.legacy.api import ImportResult, import_poam
from tests.conftest import LEGACY_EXAMPLES

FEDRAMP = LEGACY_EXAMPLES / "FedRAMP-POAM-Template.xlsx"
EMASS = LEGACY_EXAMPLES / "NAVY_eMASS_TEMPLATE.xlsx"
AS_OF = dt.date(2025, 11, 10)


@pytest.fixture(scope="module")
def emass_example() -> ImportResult:
    return import_poam(EMASS, sheet="Example", as_of=AS_OF)


def test_the_empty_fedramp_template_gives_no_items_and_no_error() -> None:
    result = import_poam(FEDRAMP, as_of=AS_OF)
    assert result.poam is None
    assert result.summary.items == 0
    assert result.summary.layout == "fedramp"
    assert [(s.name, s.header_row) for s in result.summary.sheets] == [
        ("Open POA&M Items", 5),
        ("Closed POA&M Items", 5),
        ("Configuration Findings", 5),
    ]
    assert [name for name, _ in result.summary.skipped_sheets] == ["Record of Changes"]
    assert not [d for d in result.diagnostics if d.severity is Severity.ERROR]


def test_every_fedramp_column_is_mapped_or_kept() -> None:
    summary = import_poam(FEDRAMP, sheet="Open POA&M Items", as_of=AS_OF).summary
    headers = [c.header for c in summary.mapped] + [c.header for c in summary.kept]
    assert len(headers) == 31
    assert "POAM ID" in headers
    assert "Service Name" in headers
    kept = {c.header: c.place for c in summary.kept}
    assert kept["Milestone Changes"] == "item prop legacy-milestone-changes"
    assert kept["Binding Operational Directive 22-01 Due Date"] == (
        "item prop legacy-binding-operational-directive-22-01-due-date"
    )


def test_the_emass_example_sheet_gives_its_items_and_milestones(emass_example: ImportResult) -> None:
    items = emass_example.items
    assert [i.poam_id for i in items] == ["1", "2", "3", "4"]
    assert [len(i.milestones) for i in items] == [3, 0, 1, 0]
    first = items[0]
    assert [m.title for m in first.milestones] == [
        "Implement Procedure A",
        "Implement Procedure B",
        "Implement Procedure C",
    ]
    assert [m.status for m in first.milestones] == ["Completed", "In Progress", "Open"]
    assert [m.scheduled for m in first.milestones] == [
        dt.date(2025, 11, 5),
        dt.date(2025, 11, 15),
        dt.date(2025, 11, 23),
    ]
    assert items[2].completed == dt.date(2025, 11, 3)
    assert items[3].extra["legacy-poam-requested-risk-accepted-expiration-date"] == "2025-12-31"


def test_the_emass_example_in_oscal(emass_example: ImportResult) -> None:
    poam = emass_example.poam
    assert poam is not None
    risks = {str(r.uuid): r for r in poam.risks or []}
    statuses = [text(risks[str(i.related_risks[0].risk_uuid)].status) for i in poam.poam_items]  # type: ignore[index]
    assert statuses == ["open", "deviation-approved", "closed", "deviation-approved"]
    first_risk = risks[str(poam.poam_items[0].related_risks[0].risk_uuid)]  # type: ignore[index]
    tasks = first_risk.remediations[0].tasks  # type: ignore[index]
    assert tasks is not None
    assert [vocab.prop_value(t.props, vocab.MILESTONE_STATUS) for t in tasks] == ["completed", "pending", "pending"]
    assert vocab.prop_value(poam.poam_items[0].props, vocab.LEGACY_CONTROLS) == "AC-1"
    assert vocab.prop_values(poam.poam_items[0].props, vocab.REQUIREMENT) == []


def test_800_53_controls_are_kept_and_reported(emass_example: ImportResult) -> None:
    unmapped = [(u.location.ref if u.location else "", u.text) for u in emass_example.summary.unmapped_requirements]
    assert unmapped == [("'Example'!D8", "AC-1"), ("'Example'!D11", "SA-1.4"), ("'Example'!D13", "AT-2")]
    flagged = [d for d in emass_example.diagnostics if d.rule_id == "legacy-requirement-unmapped"]
    assert [d.pointer for d in flagged] == ["'Example'!D8", "'Example'!D11", "'Example'!D13"]


def test_the_emass_template_without_sheet_skips_the_example() -> None:
    result = import_poam(EMASS, as_of=AS_OF)
    assert result.poam is None
    assert [s.name for s in result.summary.sheets] == ["POA&M"]
    assert {name for name, _ in result.summary.skipped_sheets} == {"Example", "Instructions"}
