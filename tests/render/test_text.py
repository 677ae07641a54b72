"""Text renderer: `place: severity rule-id message [citation]`, one line per diagnostic, then the counts."""

from __future__ import annotations

import pytest

from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.render import render
from oscal_poam.render.text import line, place

POINTER = "/plan-of-action-and-milestones/poam-items/0/description"


@pytest.mark.parametrize(
    ("document", "line_no", "expected"),
    [
        ("poam.json", None, f"poam.json#{POINTER}"),
        ("poam.xml", 42, "poam.xml:42"),
        ("", None, f"<input>#{POINTER}"),
    ],
)
def test_place(document: str, line_no: int | None, expected: str) -> None:
    """A diagnostic's place is `file:line` where the line is known, else `file#/json/pointer`."""
    d = Diagnostic("credibility-weakness-description", Severity.WARNING, "m", POINTER, "", document, "", line_no)
    assert place(d) == expected


def test_line_shape() -> None:
    """One line: place, severity, rule id, message, and the citation in brackets when there is one."""
    d = Diagnostic(
        "poam-missing-item",
        Severity.ERROR,
        "AC.L2-3.1.9 is NOT MET but has no POA&M item",
        "/plan-of-action-and-milestones/poam-items",
        "32 CFR 170.24(c)(2)(i)(B)(6)",
        "poam.json",
        "AC.L2-3.1.9",
    )
    assert line(d) == (
        "poam.json#/plan-of-action-and-milestones/poam-items: error poam-missing-item "
        "AC.L2-3.1.9 is NOT MET but has no POA&M item [32 CFR 170.24(c)(2)(i)(B)(6)]"
    )
    assert line(Diagnostic("x-y", Severity.INFO, "note", document="a.json")) == "a.json#/: info x-y note"


def test_render_sorts_and_counts() -> None:
    """The text output lists diagnostics by document, worst first, in document order, then counts them."""
    found = [
        Diagnostic("b-rule", Severity.WARNING, "second item", "/r/items/10", document="a.json"),
        Diagnostic("b-rule", Severity.WARNING, "first item", "/r/items/2", document="a.json"),
        Diagnostic("a-rule", Severity.ERROR, "error", "/r/items/30", document="a.json"),
        Diagnostic("c-rule", Severity.INFO, "other file", document="b.json"),
    ]
    lines = render(found, "text").splitlines()
    assert [x.split(": ", 1)[1] for x in lines[:-1]] == [
        "error a-rule error",
        "warning b-rule first item",
        "warning b-rule second item",
        "info c-rule other file",
    ]
    assert lines[-1] == "1 error, 2 warnings, 1 info"
    assert render([], "text") == "0 errors, 0 warnings, 0 infos\n"
