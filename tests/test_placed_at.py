"""A diagnostic placed by line and column is the diagnostic `dataclasses.replace` would make, field for field."""

from __future__ import annotations

from dataclasses import fields, replace

from hypothesis import given
from hypothesis import strategies as st

from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.places import placed_at

_DIAGNOSTICS = st.builds(
    Diagnostic,
    rule_id=st.text(),
    severity=st.sampled_from(list(Severity)),
    message=st.text(),
    pointer=st.text(),
    citation=st.text(),
    document=st.text(),
    subject=st.text(),
    line=st.none() | st.integers(),
    column=st.none() | st.integers(),
)


def test_placed_at_names_every_field_of_a_diagnostic() -> None:
    # placed_at passes the fields by position: a field added to Diagnostic must be added there too
    assert [f.name for f in fields(Diagnostic)] == [
        "rule_id",
        "severity",
        "message",
        "pointer",
        "citation",
        "document",
        "subject",
        "line",
        "column",
    ]


@given(diagnostic=_DIAGNOSTICS, line=st.integers(min_value=1), column=st.none() | st.integers(min_value=1))
def test_placed_at_is_replace(diagnostic: Diagnostic, line: int, column: int | None) -> None:
    assert placed_at(diagnostic, (line, column)) == replace(diagnostic, line=line, column=column)
