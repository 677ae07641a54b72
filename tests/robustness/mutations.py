"""Hypothesis strategies that damage valid inputs the way people and tools do, and the checks every reader must pass.

Data-level damage works on OSCAL JSON data (dicts and lists): drop a field or an item, duplicate one (a
repeated key in JSON text, a repeated item in an array), retype a value, rename a key, or put unusual
Unicode in a string. Byte-level damage works on the serialized file: truncate it, delete or overwrite a
span, insert random bytes or unusual Unicode.

A reader passes when it returns a valid model or raises `LoadError` whose every problem names the file and
a place in it (a JSON pointer or a line); any other exception fails the test.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from oscal_poam.errors import LoadError, WriteError
from oscal_poam.io.load import Document
from oscal_poam.io.write import dumps

if TYPE_CHECKING:
    from trestle.core.base_model import OscalBaseModel

T = TypeVar("T")

SCALE = int(os.environ.get("OSCAL_POAM_FUZZ_SCALE", "1") or 1)
"""1 in CI: a fixed, derandomized run. A longer local campaign: OSCAL_POAM_FUZZ_SCALE=50 (random seeds)."""

FUZZ = settings(
    deadline=None,
    derandomize=SCALE == 1,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
"""Every fuzz test: reproducible in CI (derandomized, no example database), no timing, a fixed example count."""


def examples(count: int) -> settings:
    """The fuzz settings with `count` examples (times OSCAL_POAM_FUZZ_SCALE)."""
    return settings(FUZZ, max_examples=count * SCALE)


SPECIAL_CHARACTERS = [
    "\u0000",  # NUL
    "\u0007",
    "\u001b",  # escape
    "\u007f",
    "\u0085",  # next line
    "\u00a0",  # no-break space
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u202e",  # right-to-left override
    "\u2028",  # line separator
    "\u2029",
    "\ufeff",  # byte-order mark
    "\ufffd",
    "\ufffe",  # noncharacters
    "\uffff",
    "\ufdd0",
    "\ud800",  # a lone surrogate: not valid Unicode text
    "\udfff",
    "\U0001f600",
    "\U0010ffff",
    "e\u0301",  # combining accent
    "İ",
    "ß",
    "Ⅻ",
    "𝟘",
    "\\",
    '"',
    "<",
    "&",
    "]]>",
    "${x}",
    "%s",
]

unusual_text = st.lists(
    st.one_of(st.sampled_from(SPECIAL_CHARACTERS), st.characters(), st.text(max_size=4)), max_size=12
).map("".join)
"""Short text mixing control characters, invisible and bidirectional marks, surrogates and astral characters."""

valid_unusual_text = unusual_text.map(lambda s: "".join(c for c in s if not 0xD800 <= ord(c) <= 0xDFFF))
"""The same, without lone surrogates (text any Unicode encoder can write)."""


def xml_compatible(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry at all (lxml refuses them)."""
    return "".join(
        c
        for c in text
        if c in "\t\n\r" or 0x20 <= ord(c) <= 0xD7FF or 0xE000 <= ord(c) <= 0xFFFD or 0x10000 <= ord(c) <= 0x10FFFF
    )


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    unusual_text,
    st.sampled_from(
        ["", " ", "2026-13-45", "2026-03-06T17:00:00", "not-a-uuid", "00000000-0000-0000-0000-000000000000"]
    ),
)


def _retyped(old: Any) -> st.SearchStrategy[Any]:
    return st.one_of(
        scalars,
        st.just([]),
        st.just({}),
        st.just([old]),
        st.just({"value": old}),
        st.lists(scalars, max_size=3),
    )


class Pairs(list[tuple[str, Any]]):
    """A JSON object written with its pairs as given, repeated keys included."""


@dataclass(frozen=True)
class Step:
    """Where a container holds a value: its parent and the key or index."""

    parent: Any
    key: Any


def steps(node: Any) -> list[Step]:
    """Every place under `node` (the root itself excluded), parents before children."""
    found: list[Step] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, value in current.items():
                found.append(Step(current, key))
                stack.append(value)
        elif isinstance(current, list) and not isinstance(current, Pairs):
            for index, value in enumerate(current):
                found.append(Step(current, index))
                stack.append(value)
    return found


OPERATIONS = ("drop", "duplicate", "retype", "rename", "unicode")


@st.composite
def mutated_data(draw: st.DrawFn, original: Any, max_mutations: int = 3, surrogates: bool = True) -> Any:
    """A copy of `original` with 1 to `max_mutations` fields dropped, duplicated, retyped, renamed or made odd."""
    holder = [copy.deepcopy(original)]  # so that even the root object has a parent to be replaced in
    text = unusual_text if surrogates else valid_unusual_text
    for _ in range(draw(st.integers(1, max_mutations))):
        places = steps(holder)[1:]
        if not places:
            break
        place = draw(st.sampled_from(places))
        parent, key = place.parent, place.key
        operation = draw(st.sampled_from(OPERATIONS))
        if operation == "drop":
            del parent[key]
        elif operation == "duplicate":
            if isinstance(parent, list):
                parent.insert(key, copy.deepcopy(parent[key]))
            else:
                # a repeated key, which JSON text allows and parsers resolve silently (the last one wins)
                pairs = Pairs(parent.items())
                pairs.insert(draw(st.integers(0, len(pairs))), (key, draw(_retyped(parent[key]))))
                _replace(holder, parent, pairs)
        elif operation == "retype":
            parent[key] = draw(_retyped(parent[key]))
        elif operation == "rename" and isinstance(parent, dict):
            value = parent.pop(key)
            parent[draw(st.one_of(text, st.sampled_from(["uuid", "title", "props", "$schema", "links"])))] = value
        else:
            old = parent[key]
            if isinstance(old, str) and old:
                at = draw(st.integers(0, len(old)))
                parent[key] = old[:at] + draw(text) + old[at:]
            else:
                parent[key] = draw(text)
    return holder[0]


def _replace(holder: list[Any], target: dict[str, Any], pairs: Pairs) -> None:
    """Put `pairs` where `target` sits (by identity)."""
    for place in steps(holder):
        if place.parent[place.key] is target:
            place.parent[place.key] = pairs
            return


def to_json(node: Any, ascii_only: bool = False) -> str:
    """JSON text of `node`; `Pairs` objects keep repeated keys. Lone surrogates stay in the text as they are."""
    if isinstance(node, Pairs):
        inner = ", ".join(f"{json.dumps(str(k), ensure_ascii=ascii_only)}: {to_json(v, ascii_only)}" for k, v in node)
        return "{" + inner + "}"
    if isinstance(node, dict):
        inner = ", ".join(
            f"{json.dumps(str(k), ensure_ascii=ascii_only)}: {to_json(v, ascii_only)}" for k, v in node.items()
        )
        return "{" + inner + "}"
    if isinstance(node, list):
        return "[" + ", ".join(to_json(v, ascii_only) for v in node) + "]"
    return json.dumps(node, ensure_ascii=ascii_only)


def plain(node: Any) -> Any:
    """`node` with every `Pairs` object made a dict again (the last repeated key wins, as in JSON parsers)."""
    if isinstance(node, Pairs):
        return {str(k): plain(v) for k, v in node}
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def encode(text: str) -> bytes:
    """UTF-8, with lone surrogates written as the (invalid) bytes a careless encoder produces."""
    return text.encode("utf-8", errors="surrogatepass")


@st.composite
def damaged_bytes(draw: st.DrawFn, data: bytes, max_damage: int = 3) -> bytes:
    """`data` truncated, with spans deleted or overwritten, random bytes or unusual Unicode inserted."""
    for _ in range(draw(st.integers(1, max_damage))):
        size = len(data)
        at = draw(st.integers(0, size))
        kind = draw(st.sampled_from(("truncate", "delete", "overwrite", "insert", "unicode")))
        if kind == "truncate":
            data = data[:at]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)) :]
        elif kind == "overwrite":
            noise = draw(st.binary(min_size=1, max_size=16))
            data = data[:at] + noise + data[at + len(noise) :]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
        else:
            data = data[:at] + encode(draw(unusual_text)) + data[at:]
    return data


def assert_located(exc: LoadError, source: str) -> None:
    """Every problem names the file and a place in it: a JSON pointer or a line."""
    assert exc.problems
    for problem in exc.problems:
        assert problem.file == source, problem
        assert problem.pointer is not None or problem.line is not None, f"no place in the file: {problem}"
        assert problem.message.strip(), problem


def model_or_located_error(read: Callable[[], Document], source: str) -> Document | None:
    """Run a reader: a Document whose model can be written again, or a located LoadError (None)."""
    try:
        doc = read()
    except LoadError as exc:
        assert_located(exc, source)
        return None
    assert isinstance(doc.model, doc.kind.cls)
    assert_writable(doc.model, "json" if doc.format == "yaml" else doc.format)
    return doc


def assert_writable(model: OscalBaseModel, fmt: Literal["json", "xml"] = "json") -> None:
    """A model a reader returns can be written in the format it was read from (YAML as JSON); in the other, or
    else a WriteError (XML cannot carry every text; JSON, not an empty title or a value NIST's XSD leaves open
    and its JSON schema closes)."""
    assert dumps(model, fmt)
    with contextlib.suppress(WriteError):
        dumps(model, "xml" if fmt == "json" else "json")
