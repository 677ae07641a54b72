"""Reading JSON and YAML without silently changing what they say, and without letting them grow unbounded.

A JSON or YAML object with one key twice is read by most parsers as its last value alone: the first is lost
without a word (a 20 MB `remarks` can vanish). A number beyond 64 bits (what JSON writers carry exactly; Python
will not even read more than 4,300 digits), or one that only a float's infinity can hold, cannot be carried
faithfully either. And YAML's aliases repeat what their anchors hold: two hundred aliases of one 5 MB string
are a gigabyte. Each of these is a located LoadError here, before the data is used: the duplicate key with
both places, the number with its place, the expansion with the first alias.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

import orjson
import yaml

import oscal_poam.limits as limits
from oscal_poam.digits import ascii_digits
from oscal_poam.errors import LoadError
from oscal_poam.io import pointers
from oscal_poam.quoting import excerpt


class _Unfaithful(ValueError):
    """Raised inside the JSON decoder by the hooks below; located by `json_error` afterwards."""


def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object_pairs_hook of json.loads: a dict, unless a key repeats."""
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Unfaithful("duplicate key")
    return found


INT_RANGE = (-(2**63), 2**64 - 1)
"""The integers a document may hold: what JSON writers (orjson among them) carry exactly, 64 bits."""


def in_int_range(value: int) -> bool:
    return INT_RANGE[0] <= value <= INT_RANGE[1]


def json_int(text: str) -> int:
    """The parse_int hook: an integer of at most 64 bits (longer text never reaches int())."""
    if len(text.lstrip("-")) > 20:
        raise _Unfaithful("out of range")
    value = int(text)
    if not in_int_range(value):
        raise _Unfaithful("out of range")
    return value


def json_float(text: str) -> float:
    """The parse_float hook: a finite float, never infinity (`1e999`)."""
    value = float(text)
    if math.isinf(value):
        raise _Unfaithful("out of range")
    return value


def json_constant(name: str) -> Any:
    """The parse_constant hook: NaN and Infinity are not JSON, though Python's decoder takes them."""
    raise _Unfaithful(name)


def decode_json(text: str) -> Any:
    """json.loads with the hooks above. Raises json.JSONDecodeError, RecursionError or ValueError."""
    return json.loads(
        text, object_pairs_hook=json_object, parse_int=json_int, parse_float=json_float, parse_constant=json_constant
    )


_JSON_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|[\[\]{}:]|NaN|-?Infinity'
)


def json_error(text: str, source: str) -> LoadError:
    """The located error of JSON text that decodes, but not faithfully (the decoder raised ValueError)."""
    stack: list[dict[str, int] | None] = []  # per open object its keys and their offsets; None for an array
    pending: tuple[str, int] | None = None  # a string that is a key if a colon follows
    for token in _JSON_TOKEN.finditer(text):
        kind, start = token.group(), token.start()
        first = kind[0]
        if first == '"':
            pending = (kind, start)
            continue
        if kind == ":" and pending is not None and stack and stack[-1] is not None:
            key = json.loads(pending[0])
            seen = stack[-1]
            if key in seen:
                line, column = _position(text, pending[1])
                first_line, first_column = _position(text, seen[key])
                return LoadError.single(
                    f"invalid JSON: the key {excerpt(key)} appears twice in one object (first at line "
                    f"{first_line}, column {first_column}); a reader would keep only one of its values",
                    source,
                    line=line,
                    column=column,
                )
            seen[key] = pending[1]
        pending = None
        if kind == "{":
            stack.append({})
        elif kind == "[":
            stack.append(None)
        elif kind in "]}":
            if stack:
                stack.pop()
        elif kind in ("NaN", "Infinity", "-Infinity"):
            return _out_of_range(text, kind, start, source, "is not a JSON number")
        elif first in "-0123456789" and _too_large(kind):
            return _out_of_range(text, kind, start, source, "is out of range (64 bits, and finite)")
    return LoadError.single("invalid JSON: a value cannot be read faithfully", source, line=1)


def _too_large(number: str) -> bool:
    if any(c in number for c in ".eE"):
        return math.isinf(float(number))
    return len(number.lstrip("-")) > 20 or not in_int_range(int(number))


def _out_of_range(text: str, number: str, start: int, source: str, why: str) -> LoadError:
    line, column = _position(text, start)
    return LoadError.single(f"invalid JSON: the number {_number(number)} {why}", source, line=line, column=column)


def _number(text: str) -> str:
    return text if len(text) <= 40 else f"of {len(text):,} characters ({text[:12]}...)"


def _position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NODE_BYTES = 8
"""What a node costs beyond its text, for the expansion budget: a key, a bracket, a separator."""


def check_yaml(root: yaml.Node, size: int, source: str) -> None:
    """A located LoadError for duplicate keys, numbers out of range, an alias that refers to itself, or aliases
    that expand the document past its budget: OSCAL_POAM_YAML_EXPANSION times its size (at least 1 MiB), and
    never past OSCAL_POAM_MAX_BYTES. Each node is visited once, however many aliases repeat it."""
    visited: set[int] = set()
    on_path: set[int] = set()
    first_alias: yaml.Node | None = None
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    pop, push = stack.pop, stack.append
    scalar_node, mapping_node = yaml.ScalarNode, yaml.MappingNode
    while stack:
        node, finished = pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            continue
        if key in on_path:
            raise LoadError.single("invalid YAML: an alias refers to itself", source, line=_line(node))
        if key in visited:
            first_alias = first_alias or node
            continue
        visited.add(key)
        if isinstance(node, scalar_node):
            if node.tag in NUMBER_TAGS:
                _check_scalar(node, source)
            continue
        on_path.add(key)
        push((node, True))
        if isinstance(node, mapping_node):
            _check_keys(node, source)
            for pair in node.value:
                push((pair[0], False))
                push((pair[1], False))
        else:
            for child in node.value:
                push((child, False))
    if first_alias is None:
        return
    budget = min(max(limits.yaml_expansion() * size, limits.YAML_EXPANSION_FLOOR), limits.max_bytes())
    expanded = _expanded_size(root)
    if expanded > budget:
        raise LoadError.single(
            f"invalid YAML: aliases of the anchor on this line (and any others) expand the document to about "
            f"{expanded:,} bytes, over its budget of {budget:,} (OSCAL_POAM_YAML_EXPANSION); refused as an "
            "expansion attack",
            source,
            line=_line(first_alias),  # an alias is its anchor's node: the anchor is what can be located
        )


NUMBER_TAGS = frozenset({_INT_TAG, _FLOAT_TAG})


def _expanded_size(root: yaml.Node) -> int:
    """The bytes of a document without cycles, its aliases expanded: each distinct node measured once."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            sizes[key] = _NODE_BYTES + sum(sizes[id(child)] for child in _children(node))
            continue
        if key in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = _NODE_BYTES + len(node.value)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))
    return sizes[id(root)]


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for pair in node.value:
            yield from pair
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1 if node.start_mark is not None else 1


def _check_keys(node: yaml.MappingNode, source: str) -> None:
    seen: dict[tuple[str, str], yaml.Node] = {}
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE_TAG:
            continue
        first = seen.setdefault((key.tag, key.value), key)
        if first is not key:
            raise LoadError.single(
                f"invalid YAML: the key {excerpt(key.value)} appears twice in one mapping (first at line "
                f"{_line(first)}); a reader would keep only one of its values",
                source,
                line=_line(key),
                column=key.start_mark.column + 1 if key.start_mark is not None else None,
            )


def _check_scalar(node: yaml.ScalarNode, source: str) -> None:
    why = number_refused(node)
    if why is not None:
        raise LoadError.single(why, source, line=_line(node))


def number_refused(node: yaml.ScalarNode) -> str | None:
    """Why the number of a scalar tagged int or float cannot be carried faithfully (past 64 bits, or not finite);
    None when it can, or the scalar is no number. What `check_yaml` refuses, and where `io.load`'s one-walk
    reading of plain YAML gives way to it."""
    text = node.value
    if node.tag == _INT_TAG:
        plain = text.replace("_", "")
        digits = plain.lstrip("+-")
        if ascii_digits(digits) and (len(digits) > 20 or not in_int_range(int(plain))):
            return f"invalid YAML: the number {_number(text)} is out of range"
    elif node.tag == _FLOAT_TAG:
        plain = text.replace("_", "").lower().lstrip("+-")
        if plain in (".inf", ".nan") or (ascii_digits(plain[:1]) and math.isinf(_float(plain))):
            return f"invalid YAML: the number {_number(text)} is out of range (OSCAL numbers are finite)"
    return None


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot carry, not even escaped: most C0 controls (U+0000 among them), U+FFFE, U+FFFF and
surrogates. JSON and YAML can; writing them as XML would mean replacing or dropping them."""


def not_in_xml(data: Any) -> tuple[str, str] | None:
    """The JSON pointer of the first string in `data` holding a character XML cannot carry, and that character."""
    if not _may_hold_non_xml(data):  # the common case, told from the data's JSON without a step per string
        return None
    for pointer, text in pointers.strings(data):
        found = _NOT_IN_XML.search(text)
        if found is not None:
            return pointer or "/", found.group()
    return None


def _may_hold_non_xml(data: Any) -> bool:
    """False only when no string of `data` holds a character XML cannot carry, told from its JSON as orjson writes
    it: a control character other than tab, line feed and carriage return is always an escape (\\b, \\f or
    \\u00XX), U+FFFE and U+FFFF are their UTF-8 bytes (EF BF BE, EF BF BF), and a lone surrogate is refused. Every
    backslash of that JSON begins an escape, so stepping from one to the next (`find`, memchr) reads each escape's
    letter, and one search finds any byte EF; the walk over every string it spares costs a Python step each. True
    whenever in doubt: any character from U+F000 to U+FFFF, data orjson does not write."""
    try:
        written = orjson.dumps(data)
    except orjson.JSONEncodeError:
        return True
    if b"\xef" in written:
        return True
    backslash = written.find(b"\\")
    while backslash >= 0:
        if written[backslash + 1] in b"bfu":
            return True
        backslash = written.find(b"\\", backslash + 2)  # past the escaped character: an escaped backslash is one
    return False
