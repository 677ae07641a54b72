"""Lines of JSON pointers in JSON text: every member at its key, every item where it starts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oscal_poam.io import pointers
from oscal_poam.io.positions import json_lines, json_positions, lines_for, positions_for
from tests.conftest import OSCAL_CONTENT

DOCS = sorted(OSCAL_CONTENT.glob("*/json/*.json"))


def _pointers(node: Any, here: str = "") -> Iterator[str]:
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _pointers(value, f"{here}/{pointers.escape(key)}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _pointers(value, f"{here}/{index}")


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_pointer_of_a_nist_example_is_placed_at_its_key(path: Any) -> None:
    text = path.read_text(encoding="utf-8")
    found = list(_pointers(json.loads(text)))
    lines = json_lines(text, found)
    source = text.splitlines()
    assert set(found) == set(lines)
    for pointer in found:
        last = pointer.rsplit("/", 1)[-1]
        if pointer and not last.isdigit():
            key = last.replace("~1", "/").replace("~0", "~")
            assert json.dumps(key) in source[lines[pointer] - 1].replace("\\/", "/"), pointer


def test_items_escapes_and_scalars() -> None:
    text = '{\n "a/b": [\n  1,\n  {"c~d": "x, y: [z]"},\n  "q\\"uote"\n ],\n "e": null\n}'
    assert json_lines(text, ["/a~1b/0", "/a~1b/1/c~0d", "/a~1b/2", "/e"]) == {
        "": 1,
        "/a~1b": 2,
        "/a~1b/0": 3,
        "/a~1b/1": 4,
        "/a~1b/1/c~0d": 4,
        "/a~1b/2": 5,
        "/e": 7,
    }


def test_only_the_wanted_pointers_and_their_ancestors_are_placed() -> None:
    text = '{"a": {"b": [10, {"c": 1}], "skip": {"deep": [1, 2]}},\n "z": {"y": 2}}'
    assert json_lines(text, ["/a/b/1/c"]) == {"": 1, "/a": 1, "/a/b": 1, "/a/b/1": 1, "/a/b/1/c": 1}
    assert json_lines(text, ["/z/y", "/a/missing"]) == {"": 1, "/a": 1, "/z": 2, "/z/y": 2}


def test_keys_with_escapes_are_matched_by_their_value() -> None:
    assert json_lines('{"a\\u0041": {\n"b": 1}}', ["/aA/b"]) == {"": 1, "/aA": 1, "/aA/b": 2}


def test_text_that_is_not_json_gives_no_lines() -> None:
    assert lines_for('{"b": [1, ', ["/a"]) == {}


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25,
)
_LAYOUTS = st.sampled_from(
    [
        {"indent": None, "separators": (",", ":")},
        {"indent": None, "separators": (" ,\t", " :\r\n ")},
        {"indent": 2},
        {"indent": "\t", "ensure_ascii": False},
        {"indent": 0, "separators": ("\n,\n", "\n:\n")},
    ]
)


@given(value=_JSON, layout=_LAYOUTS)
def test_every_place_holds_its_key_or_item(value: Any, layout: dict[str, Any]) -> None:
    """However the text is laid out, a member's place is where its name starts (the name, a colon, its value
    follow) and an item's where the item starts."""
    text = json.dumps(value, **layout)
    wanted = list(_pointers(value))
    found = json_positions(text, wanted)
    assert set(found) == set(wanted)
    starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
    decoder = json.JSONDecoder()
    for pointer in wanted:
        line, column = found[pointer]
        offset = starts[line - 1] + column - 1
        node = _at(value, pointer.split("/")[1:])
        if not _member(value, pointer):
            assert decoder.raw_decode(text, offset)[0] == node, pointer
            continue
        key, after = decoder.raw_decode(text, offset)
        assert key == _unescape(pointer.rsplit("/", 1)[-1]), pointer
        colon = len(text) - len(text[after:].lstrip())
        assert text[colon] == ":"
        start = len(text) - len(text[colon + 1 :].lstrip())
        assert decoder.raw_decode(text, start)[0] == node, pointer


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _at(value: Any, tokens: list[str]) -> Any:
    for token in tokens:
        value = value[int(token)] if isinstance(value, list) else value[_unescape(token)]
    return value


def _member(value: Any, pointer: str) -> bool:
    """Whether `pointer` names a member of an object (else an item of an array, or the root)."""
    return bool(pointer) and isinstance(_at(value, pointer.split("/")[1:-1]), dict)


@given(value=_JSON, layout=_LAYOUTS, cut=st.integers(min_value=0))
def test_text_cut_short_is_tolerated(value: Any, layout: dict[str, Any], cut: int) -> None:
    text = json.dumps(value, **layout)
    text = text[: cut % (len(text) + 1)]
    found = positions_for(text, list(_pointers(value)))
    assert set(found) <= set(_pointers(value))
