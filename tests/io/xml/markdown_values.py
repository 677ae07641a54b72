"""The markup values of OSCAL JSON data, found through the XML binding, and their whitespace normalization.

MARKDOWN_NORMALIZATIONS lists what comparing NIST's JSON with the JSON read
from NIST's XML disregards, and why the difference carries no content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from oscal_poam.io.xml.binding_table import DEFINITIONS, ROOTS
from oscal_poam.io.xml.definitions import Assembly

MARKDOWN_NORMALIZATIONS = (
    "Outside fenced code, spaces at the start and end of a line and runs of spaces count as one space or none "
    "(NIST's converter writes ' **THIS SYSTEM** ', '*  item ' and 'system to '): CommonMark ignores them when "
    "rendering and the XML form collapses whitespace, so no text depends on them.",
    "Runs of blank lines count as one, and the value's trailing line break is ignored (NIST's converter leaves "
    "'\\n' after a final list and '\\n\\n\\n' after a list): blocks are separated by any number of blank lines.",
)

_FENCE = re.compile(r"(^```.*?^```)", re.MULTILINE | re.DOTALL)


def normalize_markdown(value: str) -> str:
    pieces = _FENCE.split(value)
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:  # a fenced code block: kept exactly
            out.append(piece)
            continue
        piece = re.sub(r"[ \t]+", " ", piece)
        piece = "\n".join(line.strip(" ") for line in piece.split("\n"))
        out.append(piece)
    return re.sub(r"\n{3,}", "\n\n", "".join(out)).strip()


def map_markup(data: dict[str, Any], fn: Callable[[str], str]) -> dict[str, Any]:
    """A copy of wrapped OSCAL JSON data with `fn` applied to every markup value."""
    (root_key, content), *_ = ((k, v) for k, v in data.items() if k != "$schema")
    return {root_key: _map(content, ROOTS[root_key], fn)}


def _map(value: Any, key: str, fn: Callable[[str], str]) -> Any:
    definition = DEFINITIONS[key]
    if not isinstance(definition, Assembly):
        if definition.type.startswith("markup"):
            if definition.flags:
                return {**value, str(definition.value_key): fn(value[definition.value_key])}
            return fn(value)
        return value
    out = dict(value)
    for child in definition.model:
        if child.json not in value:
            continue
        item = value[child.json]
        if child.many:
            out[child.json] = [_map(v, child.definition, fn) for v in item]
        else:
            out[child.json] = _map(item, child.definition, fn)
    return out
