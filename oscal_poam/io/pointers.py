"""JSON pointers in OSCAL's own names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def join(*tokens: str | int) -> str:
    return "".join("/" + escape(str(t)) for t in tokens)


def strings(data: Any) -> Iterator[tuple[str, str]]:
    """Every string value in plain JSON data with its JSON pointer, in document order (without recursion)."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, str):
            yield pointer, node
        elif isinstance(node, dict):
            stack.extend((value, f"{pointer}/{escape(key)}") for key, value in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((value, f"{pointer}/{index}") for index, value in reversed(list(enumerate(node))))


def values(data: Any) -> list[str]:
    """Every string value in plain JSON data, without its pointer (in no particular order): for a search that makes
    a pointer only when it finds something (`strings` then gives the place)."""
    found: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is str:
            found.append(node)
        elif kind is dict:
            stack.extend(node.values())
        elif kind is list:
            stack.extend(node)
        elif isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def nearest_key(places: Mapping[str, Any], pointer: str) -> str | None:
    """`pointer` if it is in `places`, else its nearest ancestor that is; None when none is there."""
    probe = pointer
    while True:
        if probe in places:
            return probe
        if not probe:
            return None
        probe = probe.rsplit("/", 1)[0]


def nearest_line(lines: Mapping[str, int], pointer: str) -> int | None:
    """The source line of `pointer`, else of its nearest ancestor in `lines`; None when none is there."""
    found = nearest_key(lines, pointer)
    return lines[found] if found is not None else None


def from_loc(loc: Sequence[str | int], data: Any, prefix: Iterable[str | int] = ()) -> str:
    """Translate a pydantic error location into a JSON pointer over `data`.

    pydantic inserts labels for union members and constrained types
    (`function-after[...]`, class names) that are not keys of the document;
    walking the real data keeps only the steps that exist in it.
    """
    tokens: list[str | int] = list(prefix)
    node = data
    last = len(loc) - 1
    for index, step in enumerate(loc):
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            tokens.append(step)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            tokens.append(step)
            node = node[step]
        elif index == last and isinstance(node, dict) and isinstance(step, str):
            # A missing required field: name it, it is the place the user must edit.
            tokens.append(step)
    return join(*tokens)


def resolve(data: Any, pointer: str) -> Any:
    """The value at `pointer` in `data`; raises KeyError when it is not there."""
    node = data
    if not pointer:
        return node
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        elif isinstance(node, dict):
            node = node[token]
        else:
            raise KeyError(pointer)
    return node


def parent_of(data: Any, pointer: str) -> tuple[Any, str | int]:
    """The container of the value at `pointer` in `data`, and its key or index there."""
    head, _, last = pointer.rpartition("/")
    parent = resolve(data, head)
    token = last.replace("~1", "/").replace("~0", "~")
    return parent, int(token) if isinstance(parent, list) else token
