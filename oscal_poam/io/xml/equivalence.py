"""Whether OSCAL JSON data read back from XML is the data that was written.

Everything must come back exactly, except Markdown: the XML form carries the
markup, not its spelling, so a markup value comes back in the canonical
Markdown for that markup (`* item` for `-  item`, no trailing blank lines).
A markup value that differs counts as the same when the original, written as
XML markup and read back, gives the value that came back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

import oscal_poam.io.xml.prose as prose
from oscal_poam.io import pointers
from oscal_poam.io.xml.binding_table import DEFINITIONS, ROOTS
from oscal_poam.io.xml.definitions import OSCAL_NAMESPACE, Assembly, Child


def canonical_markdown(markdown: str, multiline: bool) -> str:
    """The Markdown that `markdown` comes back as after a trip through XML."""
    holder = etree.Element("{" + OSCAL_NAMESPACE + "}markup")
    prose.to_xml(holder, markdown, multiline)
    return prose.to_markdown(holder, multiline)


def differences(written: dict[str, Any], read_back: dict[str, Any]) -> Iterator[str]:
    """The JSON pointers where `read_back` is not what `written` (wrapped OSCAL JSON data) should give."""
    keys = [k for k in written if k != "$schema"]
    if len(keys) != 1 or keys[0] not in ROOTS or list(read_back) != keys:
        yield ""
        return
    root_key = keys[0]
    yield from _compare(written[root_key], read_back[root_key], ROOTS[root_key], (root_key,))


def _compare(a: Any, b: Any, key: str, path: tuple[str | int, ...]) -> Iterator[str]:
    if a == b:
        return
    definition = DEFINITIONS[key]
    if not isinstance(definition, Assembly):
        if definition.type.startswith("markup"):
            multiline = definition.type == "markup-multiline"
            if definition.flags and isinstance(a, dict) and isinstance(b, dict):
                value_key = str(definition.value_key)
                rest_a = {k: v for k, v in a.items() if k != value_key}
                rest_b = {k: v for k, v in b.items() if k != value_key}
                same = rest_a == rest_b and _same_markup(a.get(value_key), b.get(value_key), multiline)
            else:
                same = _same_markup(a, b, multiline)
            if same:
                return
        yield pointers.join(*path)
        return
    if not isinstance(a, dict) or not isinstance(b, dict):
        yield pointers.join(*path)
        return
    children = {child.json: child for child in definition.model}
    # an unwrapped markup value without blocks (a part's prose of "") has no XML at all
    a = {k: v for k, v in a.items() if not _blank_unwrapped(children.get(k), v, b)}
    if set(a) != set(b):
        yield pointers.join(*path)
        return
    for name, value in a.items():
        child = children.get(name)
        if child is None or not child.many:
            if child is None and value != b[name]:
                yield pointers.join(*path, name)
            elif child is not None:
                yield from _compare(value, b[name], child.definition, (*path, name))
            continue
        other = b[name]
        if not isinstance(value, list) or not isinstance(other, list) or len(value) != len(other):
            yield pointers.join(*path, name)
            continue
        for index, (x, y) in enumerate(zip(value, other, strict=True)):
            yield from _compare(x, y, child.definition, (*path, name, index))


def _blank_unwrapped(child: Child | None, value: Any, other: dict[str, Any]) -> bool:
    if child is None or child.xml is not None or child.json in other or not isinstance(value, str):
        return False
    try:
        return canonical_markdown(value, True) == ""
    except ValueError:
        return False


def _same_markup(a: Any, b: Any, multiline: bool) -> bool:
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    try:
        return canonical_markdown(a, multiline) == b
    except ValueError:
        return False
