"""Diagnostics sort by document, place and severity: the flat sort key orders as the nested one it replaced."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from oscal_poam.diagnostics import Diagnostic, Severity


def nested_key(d: Diagnostic) -> tuple[Any, ...]:
    """The key as it was: the pointer's tokens as a tuple of (number, name) pairs."""
    place = tuple((int(t), "") if t.isdigit() else (-1, t) for t in d.pointer.split("/"))
    return (d.document, d.line is None, d.line or 0, d.column or 0, place, -d.severity.rank, d.rule_id, d.subject,
            d.message)  # fmt: skip


tokens = st.one_of(st.sampled_from(["", "items", "poam-items", "props", "0", "2", "10", "uuid"]), st.text(max_size=3))
diagnostics = st.builds(
    Diagnostic,
    rule_id=st.sampled_from(["a-rule", "b-rule"]),
    severity=st.sampled_from(list(Severity)),
    message=st.sampled_from(["m", "n"]),
    pointer=st.lists(tokens, max_size=5).map(lambda t: "/".join(t)),
    document=st.sampled_from(["", "poam.json"]),
    subject=st.sampled_from(["", "AC.L2-3.1.1"]),
    line=st.one_of(st.none(), st.integers(1, 3)),
    column=st.one_of(st.none(), st.integers(1, 3)),
)


@given(st.lists(diagnostics, max_size=40))
def test_the_flat_key_orders_as_the_nested_key(found: list[Diagnostic]) -> None:
    # a digit int() refuses (`²`) fails both keys alike
    found = [d for d in found if all(not t.isdigit() or t.isascii() for t in d.pointer.split("/"))]
    assert sorted(found, key=lambda d: d.sort_key) == sorted(found, key=nested_key)
    for a in found:
        for b in found:
            assert (a.sort_key < b.sort_key) == (nested_key(a) < nested_key(b))
            assert (a.sort_key == b.sort_key) == (nested_key(a) == nested_key(b))


def test_a_pointer_comes_before_the_pointers_it_begins() -> None:
    def at(pointer: str) -> Diagnostic:
        return Diagnostic("a-rule", Severity.ERROR, "m", pointer)

    found = [at("/items/10"), at("/items/2/props"), at("/items"), at("/items/2"), at("/items/b"), at("")]
    assert [d.pointer for d in sorted(found, key=lambda d: d.sort_key)] == [
        "",
        "/items",
        "/items/b",  # a name before a number, as before
        "/items/2",
        "/items/2/props",
        "/items/10",
    ]
