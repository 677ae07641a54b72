"""Where JSON pointers sit in a document's text: the 1-based line and column of each place a diagnostic names.

Every command locates its diagnostics the same way, `path:line:column`, whatever the format:

- JSON: the standard decoder keeps no positions. Only the pointers a document's diagnostics name are looked up:
  one descent through the text follows just the branches they need, and every other value is skipped by the C
  decoder (`raw_decode`), so a document pays little more than a second `json.loads`, and one without
  diagnostics pays nothing. A member is placed at its key, an array item where it starts.
- YAML: each mapping entry at its key and each sequence item where it starts. The reader records both line and
  column as it reads (`YamlLines`); for lines recorded without them, the node tree is composed again (only when a
  diagnostic needs a place).
- XML: the reader records the line of each element; the column is where the element's line starts (the start tag
  of a pretty-printed document).

A pointer that names no place in the text is located at its nearest ancestor that does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from oscal_poam.io import pointers

if TYPE_CHECKING:
    import yaml

Position = tuple[int, int | None]
"""A 1-based line and column (None where the format gives no column)."""

_SPACE = re.compile(r"[ \t\n\r]*")
_MEMBER = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t\n\r]*:[ \t\n\r]*')
"""A member's name (in group 1, as written), its colon and the spaces before its value."""
_AFTER = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*|[}\]])")
"""What follows a value in an object or array: the comma and the spaces before the next, or the closing bracket."""
_SCAN: Callable[[str, int], tuple[object, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
"""The C scanner `raw_decode` calls (one call less for each value skipped): (value, index after it), or
StopIteration where no value starts."""

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
            node = node.setdefault(_unescape(token) if "~" in token else token, {})
    return root, count


def json_positions(text: str, wanted: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Line and column of the pointers in `wanted` and of each of their ancestors that exist in `text`.

    Pointers that do not exist are left out (their nearest existing ancestor is in the result). Columns count
    characters. `text` must be well-formed JSON.
    """
    need, remaining = _trie(wanted)
    descent = _Descent(text, remaining)
    start = descent.skip_space(0)
    descent.found[""] = (text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start))
    if remaining:
        try:
            descent.value(start, "", need)
        except _Done:
            pass
        except StopIteration as stop:  # what the scanner raises where no value starts
            raise ValueError(f"no value at offset {stop.value}") from None
    return descent.found


class _Descent:
    """One descent through JSON text along the branches of a trie of wanted pointers (an object, not nested
    functions: those would call each other, a cycle holding the text until the cyclic collector runs)."""

    def __init__(self, text: str, remaining: int) -> None:
        self.text = text
        self.found: dict[str, tuple[int, int]] = {}
        self.remaining = remaining
        # the descent places pointers in document order: count newlines from the last place on
        self.last_offset, self.last_line = 0, 1

    def place(self, pointer: str, offset: int) -> None:
        text = self.text
        self.last_line += text.count("\n", self.last_offset, offset)
        self.last_offset = offset
        self.found[pointer] = (self.last_line, offset - text.rfind("\n", 0, offset))
        self.remaining -= 1
        if self.remaining == 0:
            raise _Done

    def skip_space(self, index: int) -> int:
        match = _SPACE.match(self.text, index)
        return match.end() if match is not None else index

    def value(self, index: int, pointer: str, need: Trie) -> int:
        """Descend into the value at `index` along `need`; returns the index after the value."""
        index = self.skip_space(index)
        if not need:
            return _SCAN(self.text, index)[1]
        char = self.text[index : index + 1]
        if char == "{":
            return self.members(index + 1, pointer, need)
        if char == "[":
            return self.items(index + 1, pointer, need)
        return _SCAN(self.text, index)[1]

    # One match reads a member's name, the colon and the spaces up to its value, another the spaces, comma and
    # spaces up to the next member (or the closing bracket): the loops below run once per member of every object
    # on the way to a wanted place, most of them skipped.
    def members(self, index: int, pointer: str, need: Trie) -> int:
        text = self.text
        index = self.skip_space(index)
        if text[index] == "}":
            return index + 1
        while True:
            match = _MEMBER.match(text, index)
            if match is None:
                raise ValueError(f"no member name at offset {index}")
            raw_key = match.group(1)
            key = raw_key if "\\" not in raw_key else json.loads(f'"{raw_key}"')
            below = need.get(key)
            if below is not None:
                here = pointer + "/" + pointers.escape(key)
                self.place(here, index)
                index = self.value(match.end(), here, below)
            else:
                index = _SCAN(text, match.end())[1]
            after = _AFTER.match(text, index)
            if after is None:
                raise ValueError(f"no comma or closing brace at offset {index}")
            index = after.end()
            if text[index - 1] == "}":
                return index

    def items(self, index: int, pointer: str, need: Trie) -> int:
        text = self.text
        position = 0
        index = self.skip_space(index)
        if text[index] == "]":
            return index + 1
        while True:
            below = need.get(str(position))
            if below is not None:
                here = f"{pointer}/{position}"
                self.place(here, index)
                index = self.value(index, here, below)
            else:
                index = _SCAN(text, index)[1]
            after = _AFTER.match(text, index)
            if after is None:
                raise ValueError(f"no comma or closing bracket at offset {index}")
            index = after.end()
            if text[index - 1] == "]":
                return index
            position += 1


def json_lines(text: str, wanted: Iterable[str]) -> dict[str, int]:
    """The lines of `json_positions`."""
    return {pointer: line for pointer, (line, _) in json_positions(text, wanted).items()}


def lines_for(text: str, wanted: Iterable[str]) -> dict[str, int]:
    """`json_lines`, tolerating pointers whose tokens are not in the text and text that is not JSON."""
    return {pointer: line for pointer, (line, _) in positions_for(text, wanted).items()}


SHALLOW = 150
"""How deep a place is looked for when a pointer runs deeper than the descent may recurse (a hostile document):
its ancestor at this depth stands for it."""


def positions_for(text: str, wanted: Iterable[str]) -> dict[str, tuple[int, int]]:
    """`json_positions`, tolerating pointers whose tokens are not in the text, text that is not JSON, and places
    nested too deeply to descend to (placed at their ancestor SHALLOW levels down)."""
    wanted = list(wanted)
    try:
        return json_positions(text, wanted)
    except (ValueError, IndexError):
        return {}
    except RecursionError:
        shallow = ["/".join(p.split("/")[: SHALLOW + 1]) for p in wanted]
        try:
            return json_positions(text, shallow)
        except (ValueError, IndexError, RecursionError):
            return {}


class YamlLines(dict[str, int]):
    """The lines of a YAML document as its reader records them (JSON pointer -> line of each mapping entry's key
    and sequence item), with their columns: what `yaml_node_positions` finds in its node tree, kept, so that
    placing a diagnostic does not compose the text a second time."""

    columns: dict[str, int]

    def __init__(self) -> None:
        super().__init__()
        self.columns = {}

    @classmethod
    def of(cls, positions: Mapping[str, tuple[int, int]]) -> YamlLines:
        lines = cls()
        for pointer, (line, column) in positions.items():
            lines[pointer] = line
            lines.columns[pointer] = column
        return lines


def yaml_positions(text: str) -> dict[str, tuple[int, int]]:
    """Line and column of every mapping entry (its key) and sequence item of a YAML text, by JSON pointer.

    The text was read before (as the document), so it composes; an empty mapping is returned where it does not.
    """
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return {}
    finally:
        loader.dispose()
    return yaml_node_positions(root) if root is not None else {}


def yaml_node_positions(root: yaml.Node) -> dict[str, tuple[int, int]]:
    """Line and column of every mapping entry (its key) and sequence item under a composed YAML node."""
    import yaml

    def at(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    found = {"": at(root)}
    stack: list[tuple[str, yaml.Node]] = [("", root)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    child = pointer + "/" + pointers.escape(str(key.value))
                    found[child] = at(key)
                    stack.append((child, value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = f"{pointer}/{index}"
                found[child] = at(item)
                stack.append((child, item))
    return found


def line_columns(text: str) -> dict[int, int]:
    """The column of the first character that is not a space, on each line that has one."""
    found = {}
    for number, content in enumerate(text.splitlines(), 1):
        stripped = content.lstrip()
        if stripped:
            found[number] = len(content) - len(stripped) + 1
    return found


def places(fmt: str, data: bytes | None, lines: Mapping[str, int], wanted: Iterable[str]) -> dict[str, Position]:
    """The line and column of each pointer in `wanted` (its nearest placed ancestor's) in a document of format
    `fmt` read from `data` (None: not at hand) whose reader recorded `lines`."""
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        return {}
    placed: dict[str, Position] = {}
    if data is not None and fmt == "yaml" and isinstance(lines, YamlLines):  # its reader kept every place
        for pointer in wanted:
            key = pointers.nearest_key(lines, pointer)
            if key is not None:
                placed[pointer] = (lines[key], lines.columns[key])
        return placed
    text = data.decode("utf-8-sig", errors="replace") if data is not None else None
    found: Mapping[str, Position]
    if text is not None and fmt in ("json", "yaml"):
        found = positions_for(text, wanted) if fmt == "json" else yaml_positions(text)
        for pointer in wanted:
            where = nearest(found, pointer)
            if where is not None:
                placed[pointer] = where
        return placed
    # the reader's lines (XML): looked up one pointer at a time, the column where the element's line starts
    columns = line_columns(text) if text is not None else {}
    for pointer in wanted:
        key = pointers.nearest_key(lines, pointer)
        if key is not None:
            line = lines[key]
            placed[pointer] = (line, columns.get(line))
    return placed


def nearest(places: Mapping[str, Position], pointer: str) -> Position | None:
    """The position of `pointer`, else of its nearest ancestor in `places`."""
    found = pointers.nearest_key(places, pointer)
    return places[found] if found is not None else None
