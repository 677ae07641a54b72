"""Text renderer: one location style, `path:line:column: severity rule-id message [citation] #/pointer`, one line
per diagnostic in document order, then the counts."""

from __future__ import annotations

import pytest

from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.render.formats import render
from oscal_poam.render.text import line, location, place

POINTER = "/plan-of-action-and-milestones/poam-items/0/description"


@pytest.mark.parametrize(
    ("document", "line_no", "column", "expected"),
    [
        ("poam.json", 12, 9, "poam.json:12:9"),
        ("poam.xml", 42, None, "poam.xml:42"),
        ("poam.json", None, None, "poam.json"),
        ("", None, None, "<input>"),
    ],
)
def test_location(document: str, line_no: int | None, column: int | None, expected: str) -> None:
    """`path:line:column` where both are known, `path:line` where the format gives no column, else `path`."""
    assert location(document, line_no, column) == expected
    d = Diagnostic(
        "credibility-weakness-description", Severity.WARNING, "m", POINTER, "", document, "", line_no, column
    )
    assert place(d) == f"{expected} #{POINTER}"


def test_line_shape() -> None:
    """One line: location, severity, rule id, message, the citation in brackets, then the JSON pointer."""
    d = Diagnostic(
        "poam-missing-item",
        Severity.ERROR,
        "AC.L2-3.1.9 is NOT MET but has no POA&M item",
        "/plan-of-action-and-milestones/poam-items",
        "32 CFR 170.24(c)(2)(i)(B)(6)",
        "poam.json",
        "AC.L2-3.1.9",
        7,
        5,
    )
    assert line(d) == (
        "poam.json:7:5: error poam-missing-item AC.L2-3.1.9 is NOT MET but has no POA&M item "
        "[32 CFR 170.24(c)(2)(i)(B)(6)] #/plan-of-action-and-milestones/poam-items"
    )
    assert line(Diagnostic("x-y", Severity.INFO, "note", document="a.json")) == "a.json: info x-y note"


def test_names_and_messages_stay_on_one_line() -> None:
    """A document name or message holding a line break or an escape stays on its line, as visible text."""
    d = Diagnostic("x-y", Severity.ERROR, "bad\n::error ::owned", "/a\nb", "", "we\x1b[2Jird.json", "", 3, 1)
    shown = line(d)
    assert "\n" not in shown and "\x1b" not in shown
    assert shown == "we\\x1b[2Jird.json:3:1: error x-y bad\\n::error ::owned #/a\\nb"


def test_render_sorts_in_document_order_and_counts() -> None:
    """The text output lists diagnostics by document, then in document order (by line and column where known,
    else by pointer, `/items/2` before `/items/10`), worst first at one place; then counts them."""
    found = [
        Diagnostic("b-rule", Severity.WARNING, "second item", "/r/items/10", document="a.json"),
        Diagnostic("b-rule", Severity.WARNING, "first item", "/r/items/2", document="a.json"),
        Diagnostic("a-rule", Severity.ERROR, "error", "/r/items/30", document="a.json"),
        Diagnostic("c-rule", Severity.INFO, "other file", document="b.json"),
        Diagnostic("d-rule", Severity.WARNING, "line 9", "/z", document="c.yaml", line=9, column=3),
        Diagnostic("e-rule", Severity.ERROR, "line 9, later", "/z/0", document="c.yaml", line=9, column=7),
        Diagnostic("f-rule", Severity.INFO, "line 2", "/y", document="c.yaml", line=2, column=1),
    ]
    lines = render(found, "text").splitlines()
    assert [x.split(": ", 1)[1] for x in lines[:-1]] == [
        "warning b-rule first item #/r/items/2",
        "warning b-rule second item #/r/items/10",
        "error a-rule error #/r/items/30",
        "info c-rule other file",
        "info f-rule line 2 #/y",
        "warning d-rule line 9 #/z",
        "error e-rule line 9, later #/z/0",
    ]
    assert lines[-1] == "2 errors, 3 warnings, 2 info"
    assert render([], "text") == "0 errors, 0 warnings, 0 info\n"
