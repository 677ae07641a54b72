"""The check for characters XML cannot carry: its shortcut over the data's JSON finds what the walk over every
string finds, wherever the character stands and whatever stands beside it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oscal_poam.io import pointers
from oscal_poam.io.faithful import _may_hold_non_xml, not_in_xml

_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EVERY_FORBIDDEN = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF, 0xD800)]


def _walked(data: Any) -> tuple[str, str] | None:
    """What every string, one by one, says."""
    for pointer, text in pointers.strings(data):
        found = _NOT_IN_XML.search(text)
        if found is not None:
            return pointer or "/", found.group()
    return None


_CHARS = 'ab\\"/ubfnrt\t\n\r\u00e9\u2028\uff0c\ufb00\ufffd' + "".join(_EVERY_FORBIDDEN)
_strings = st.text(alphabet=_CHARS, max_size=8)
_data = st.recursive(
    _strings | st.integers(-5, 5) | st.booleans() | st.none(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(alphabet="ab\\u\x01", max_size=3), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(data=_data)
def test_the_shortcut_finds_what_the_walk_finds(data: Any) -> None:
    assert not_in_xml(data) == _walked(data)
    if _walked(data) is not None:
        assert _may_hold_non_xml(data)


@pytest.mark.parametrize("char", _EVERY_FORBIDDEN)
@pytest.mark.parametrize("around", [("", ""), ("\\", ""), ("\\\\", "b"), ("x", "\\u0041"), ("\u00e9", "\t\n\r")])
def test_every_character_xml_cannot_carry_is_found_beside_backslashes_and_escapes(
    char: str, around: tuple[str, str]
) -> None:
    before, after = around
    data = {"catalog": {"metadata": {"title": "fine \\b\\f\\u0000", "remarks": before + char + after}}}
    assert not_in_xml(data) == ("/catalog/metadata/remarks", char)


def test_text_that_only_looks_like_escapes_is_passed_quickly() -> None:
    data = {"catalog": {"metadata": {"title": "C:\\build\\files\\u0000 \\f", "remarks": "tab\there\nline\r\u00e9"}}}
    assert not _may_hold_non_xml(data)
    assert not_in_xml(data) is None
