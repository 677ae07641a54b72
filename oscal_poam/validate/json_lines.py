"""Source lines of JSON pointers in a JSON text.

The standard JSON decoder keeps no positions. Only the pointers a file's
diagnostics name are looked up: one descent through the text follows just
the branches they need, and every other value is skipped by the C decoder
(`raw_decode`), so a file pays little more than a second `json.loads` and
files without diagnostics pay nothing.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable

_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_DECODER = json.JSONDecoder()

Trie = dict[str, "Trie"]


class _Done(Exception):
    """Every wanted pointer is placed: the rest of the text need not be read."""


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _trie(wanted: Iterable[str]) -> tuple[Trie, int]:
    """The wanted pointers as a tree of tokens, and how many nodes (pointers and ancestors) it has."""
    root: Trie = {}
    count = 0
    for pointer in wanted:
        node = root
        for token in pointer.split("/")[1:] if pointer else []:
            if token not in node:
                count += 1
            node = node.setdefault(_unescape(token), {})
    return root, count


def json_lines(text: str, wanted: Iterable[str]) -> dict[str, int]:
    """1-based lines of the pointers in `wanted` and of each of their ancestors that exist in `text`.

    A member is placed at its key, an array item where it starts. Pointers that do not exist are left out
    (their nearest existing ancestor is in the result). `text` must be well-formed JSON.
    """
    found: dict[str, int] = {}
    need_all, remaining = _trie(wanted)
    # the descent places pointers in document order: count newlines from the last place on
    last_offset, last_line = 0, 1

    def place(pointer: str, offset: int) -> None:
        nonlocal remaining, last_offset, last_line
        last_line += text.count("\n", last_offset, offset)
        last_offset = offset
        found[pointer] = last_line
        remaining -= 1
        if remaining == 0:
            raise _Done

    def skip_space(index: int) -> int:
        match = _SPACE.match(text, index)
        return match.end() if match is not None else index

    def value(index: int, pointer: str, need: Trie) -> int:
        """Descend into the value at `index` along `need`; returns the index after the value."""
        index = skip_space(index)
        if not need:
            return _DECODER.raw_decode(text, index)[1]
        char = text[index : index + 1]
        if char == "{":
            return members(index + 1, pointer, need)
        if char == "[":
            return items(index + 1, pointer, need)
        return _DECODER.raw_decode(text, index)[1]

    def members(index: int, pointer: str, need: Trie) -> int:
        index = skip_space(index)
        if text[index] == "}":
            return index + 1
        while True:
            match = _STRING.match(text, index)
            if match is None:
                raise ValueError(f"no member name at offset {index}")
            after = match.end()
            raw_key = match.group()
            key = raw_key[1:-1] if "\\" not in raw_key else json.loads(raw_key)
            below = need.get(key)
            colon = skip_space(after)
            if below is not None:
                here = pointer + "/" + key.replace("~", "~0").replace("/", "~1")
                place(here, index)
                index = value(colon + 1, here, below)
            else:
                index = _DECODER.raw_decode(text, skip_space(colon + 1))[1]
            index = skip_space(index)
            if text[index] == "}":
                return index + 1
            index = skip_space(index + 1)  # past the comma

    def items(index: int, pointer: str, need: Trie) -> int:
        position = 0
        index = skip_space(index)
        if text[index] == "]":
            return index + 1
        while True:
            below = need.get(str(position))
            if below is not None:
                here = f"{pointer}/{position}"
                place(here, index)
                index = value(index, here, below)
            else:
                index = _DECODER.raw_decode(text, index)[1]
            index = skip_space(index)
            if text[index] == "]":
                return index + 1
            index = skip_space(index + 1)
            position += 1

    start = skip_space(0)
    found[""] = text.count("\n", 0, start) + 1
    if remaining:
        with contextlib.suppress(_Done):
            value(start, "", need_all)
    return found


def lines_for(text: str, wanted: Iterable[str]) -> dict[str, int]:
    """`json_lines`, tolerating pointers whose tokens are not in the text and text that is not JSON."""
    try:
        return json_lines(text, wanted)
    except (ValueError, IndexError):
        return {}
