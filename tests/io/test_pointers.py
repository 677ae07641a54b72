"""`nearest_line`: the line of a pointer, else of its nearest located ancestor."""

from __future__ import annotations

from oscal_poam.io.pointers import nearest_line

LINES = {"": 1, "/poam": 2, "/poam/items/0": 7, "/poam/a~1b": 9}


def test_the_pointer_itself_then_its_ancestors() -> None:
    assert nearest_line(LINES, "/poam/items/0") == 7
    assert nearest_line(LINES, "/poam/items/0/title") == 7
    assert nearest_line(LINES, "/poam/items/1/title") == 2
    assert nearest_line(LINES, "/other") == 1
    assert nearest_line(LINES, "") == 1


def test_escaped_tokens_are_whole_steps() -> None:
    assert nearest_line(LINES, "/poam/a~1b/c") == 9


def test_none_without_any_located_ancestor() -> None:
    assert nearest_line({"/poam": 2}, "/other/x") is None
    assert nearest_line({}, "") is None
