"""Diagnostics grouped by rule: given in sort order already, they group as when sorted again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.render.groups import by_rule
from oscal_poam.report.model import SEVERITIES, diagnostic_groups
from tests.test_diagnostics_order import diagnostics

# sort_key reads a token of digits other than ASCII's ('²') as a number and fails: not what is tested here
sortable = diagnostics.filter(lambda d: all(t.isascii() or not t.isdigit() for t in d.pointer.split("/")))


@given(st.lists(sortable, max_size=40))
def test_diagnostics_in_order_group_as_when_sorted(found: list[Diagnostic]) -> None:
    ordered = sorted(found, key=lambda d: d.sort_key)
    assert by_rule(ordered, ordered=True) == by_rule(found)


@given(st.lists(sortable, max_size=40))
def test_a_report_groups_each_severity_as_grouping_by_rule_does(found: list[Diagnostic]) -> None:
    ordered = tuple(sorted(found, key=lambda d: d.sort_key))  # as an Evaluation holds them
    groups = diagnostic_groups(ordered)
    assert [g.severity for g in groups] == list(SEVERITIES)
    for group in groups:
        assert group.diagnostics == tuple(d for d in ordered if d.severity is group.severity)
        assert group.rules == tuple(g for g in by_rule(found) if g.severity is group.severity)
