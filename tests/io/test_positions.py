"""Lines of JSON pointers in JSON text: every member at its key, every item where it starts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from oscal_poam.io import pointers
from oscal_poam.io.positions import json_lines, lines_for
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
