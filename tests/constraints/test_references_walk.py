"""The walk that finds the ids a document uses gives them in the order, and at the places, a plain walk does.

`references._uses` pushes an array's items with the object that holds the array; the order the ids come in is
the order of the findings on them. These tests hold it to a walk that takes each array from the stack before
its items, on NIST's and FedRAMP's documents and on made-up data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oscal_poam.constraints import references
from oscal_poam.errors import LoadError
from oscal_poam.io.load import decode, root_kind
from oscal_poam.rules.registry import Rule
from tests.conftest import FEDRAMP_EXAMPLES, OSCAL_CONTENT, ROOT


def _oscal(path: Path) -> bool:
    """An OSCAL document (the examples hold scanners' output too)."""
    try:
        root_kind(decode(path.read_bytes(), path.name)[1], path.name)
    except LoadError:
        return False
    return True


DOCUMENTS = sorted(
    path
    for path in [
        *OSCAL_CONTENT.glob("*/json/*.json"),
        *FEDRAMP_EXAMPLES.rglob("*.json"),
        *(ROOT / "examples").rglob("*.json"),
    ]
    if _oscal(path)
)


def _plainly(root_key: str, content: dict[str, Any], located: bool) -> list[tuple[Rule, str, str]]:
    """Arrays and objects alike taken from the stack, last pushed first; an object's ids in its keys' order."""
    profile = root_key == "profile"
    found: list[tuple[Rule, str, str]] = []
    stack: list[tuple[Any, tuple[Any, ...] | None, str]] = [(content, None, "")]
    while stack:
        node, place, holder = stack.pop()
        if isinstance(node, list):
            for position, item in enumerate(node):
                if type(item) in (dict, list):
                    stack.append((item, (place, position) if located else None, holder))
            continue
        for key, value in node.items():
            if type(value) in (dict, list):
                stack.append((value, (place, key) if located else None, key))
            elif type(value) is str and key in ("control-id", "statement-id", "param-id", "target-id"):
                made = references._rule_of(key, holder, profile)
                if made is not None:
                    found.append((made, references._pointer(root_key, (place, key)) if located else "", value))
    return found


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_the_ids_of_a_document_come_as_the_plain_walk_gives_them(path: Path) -> None:
    data = decode(path.read_bytes(), path.name)[1]
    root_key = next(iter(data))
    content = data[root_key]
    for located in (False, True):
        assert references._uses(root_key, content, located=located) == _plainly(root_key, content, located)


_KEYS = st.sampled_from(
    ["control-id", "statement-id", "param-id", "target-id", "set-parameters", "target", "props", "a/b", "x"]
)
_DATA = st.recursive(
    st.one_of(st.sampled_from(["ac-1", "ac-1_smt", ""]), st.integers(0, 2), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=5)),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["profile", "system-security-plan"]), st.dictionaries(_KEYS, _DATA, max_size=5))
def test_the_ids_of_any_data_come_as_the_plain_walk_gives_them(root_key: str, content: dict[str, Any]) -> None:
    for located in (False, True):
        assert references._uses(root_key, content, located=located) == _plainly(root_key, content, located)
