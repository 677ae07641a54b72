"""The compiled checks over plain data agree with the evaluator over nodes, on NIST's, FedRAMP's and changed documents.

The constraint layer settles most constraints without making a node (`constraints.plain`); every finding still
comes from the nodes. These tests hold the compiled targets to the nodes' targets, context by context, and the
findings of a check to those of a check that compiles nothing.
"""

from __future__ import annotations

import copy
import importlib
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.constraints.check import check
from oscal_poam.constraints.metapath import MetapathError, parse
from oscal_poam.constraints.nodes import DOCUMENT, FLAG, Document, Node
from oscal_poam.constraints.plain import Item, Undecided, Unsupported, compile_items, compile_test
from oscal_poam.constraints.table import CONSTRAINTS
from oscal_poam.io.load import decode
from tests.conftest import FEDRAMP_EXAMPLES, OSCAL_CONTENT, ROOT

check_module = importlib.import_module("oscal_poam.constraints.check")  # the package's `check` is the function

DOCUMENTS = sorted(
    [
        *OSCAL_CONTENT.glob("*/json/*.json"),
        *FEDRAMP_EXAMPLES.rglob("*.json"),
        *(ROOT / "tests" / "data" / "seeded").glob("*.json"),
        *(ROOT / "tests" / "data" / "seeded").glob("*.yaml"),
    ]
)


def _data(path: Path) -> Any:
    return decode(path.read_bytes(), path.name)[1]


def _nodes(document: Document) -> list[Node]:
    found: list[Node] = []
    stack = [document.node]
    while stack:
        node = stack.pop()
        if node.kind != DOCUMENT:
            found.append(node)
        stack.extend(node.children())
    return found


def _item(node: Node) -> Item:
    return (node.value, None) if node.kind == FLAG else (node.value, node.key)


def _shown(found: list[Any]) -> list[str]:
    """Each item by its value: the very object of an assembly's or field's JSON, the text of a scalar."""
    values = [item.value if isinstance(item, Node) else item[0] for item in found]
    return sorted(f"@{id(v)}" if isinstance(v, dict | list) else repr(v) for v in values)


def test_most_constraints_compile() -> None:
    compiled = Counter(check_module._compiled(c, key) is not None for key, cs in CONSTRAINTS.items() for c in cs)
    assert compiled[True] > 5 * compiled[False]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_compiled_targets_are_the_nodes_targets(path: Path) -> None:
    document = Document(_data(path), path.name)
    compared = 0
    for node in _nodes(document):
        for constraint in CONSTRAINTS.get(node.key, ()):
            context = node if constraint.flag is None else node.flag(constraint.flag)
            if context is None:
                continue
            try:
                items, exact = compile_items(parse(constraint.target))
                nodes = parse(constraint.target).eval(context)
            except (Unsupported, MetapathError):
                continue
            try:
                found = items(_item(context))
            except Undecided:
                continue
            if exact:
                assert _shown(found) == _shown(nodes), (constraint.id, context)
            else:
                assert set(_shown(found)) == set(_shown(nodes)), (constraint.id, context)
            compared += 1
    assert compared > 0


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("prop[has-oscal-namespace('http://csrc.nist.gov/ns/oscal') and @name=('a', 'b')]", 2),
        ("prop[@name='a']/@value", 2),
        ("link[starts-with(@href, '#')]", 1),
        ("link[not(starts-with(@href, '#'))]", 1),
        (".[exists(prop)]", 1),
        ("prop[@name='a']|link", 4),
    ],
)
def test_compiled_expressions_over_a_small_document(expression: str, value: int) -> None:
    """As many items as nodes, and the ones the expression says."""
    data = {
        "props": [
            {"name": "a", "value": "1"},
            {"name": "b", "value": "2"},
            {"name": "a", "ns": "https://example.com/ns", "value": "3"},
        ],
        "links": [{"href": "#x"}, {"href": "https://x"}],
    }
    (metadata,) = Document({"system-security-plan": {"metadata": data}}, "t").root.named("metadata")
    items, _ = compile_items(parse(expression))
    assert len(items((data, metadata.key))) == len(parse(expression).eval(metadata)) == value


def test_a_value_that_is_not_a_string_is_left_to_the_nodes() -> None:
    items, _ = compile_items(parse("prop[@name='a']"))
    with pytest.raises(Undecided):
        items(({"props": [{"name": 5, "value": "1"}]}, "metadata"))
    assert not compile_test(parse("@name='a'"))(({"name": "b"}, "property"))


def _changed(data: Any, rng: random.Random) -> Any:
    """A copy with a few flags changed, duplicated or removed, and a few array items repeated or dropped."""
    data = copy.deepcopy(data)
    words = ["bogus", "", "http://csrc.nist.gov/ns/oscal", "https://example.com/ns", "method", "software", "#", "x"]
    for _ in range(rng.randint(1, 5)):
        places: list[Any] = []
        stack = [data]
        while stack:
            value = stack.pop()
            if isinstance(value, dict | list):
                places.append(value)
                stack.extend(value.values() if isinstance(value, dict) else value)
        place = rng.choice(places)
        if isinstance(place, list):
            if place:
                place.append(copy.deepcopy(rng.choice(place))) if rng.random() < 0.6 else place.pop()
            continue
        keys = [k for k, v in place.items() if isinstance(v, str)]
        if keys:
            key = rng.choice(keys)
            roll = rng.random()
            if roll < 0.6:
                place[key] = rng.choice(words)
            elif roll < 0.7:
                place[key] = rng.choice([5, True])
            else:
                del place[key]
    return data


def _all_over_nodes(key: str) -> tuple[tuple[Any, None, None, str | None], ...]:
    """Every constraint of the definition evaluated over the nodes: no compiled check, no keys to look for."""
    return tuple((c, None, None, c.flag) for c, _, _, _ in _PLANS(key))


_PLANS = check_module._plans


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_findings_are_those_of_the_nodes_alone(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(path.name)
    data = _data(path)
    versions = [data, *(_changed(data, rng) for _ in range(4))]
    compiled = [check(version, path.name) for version in versions]
    monkeypatch.setattr(check_module, "_KNOWN", {})
    monkeypatch.setattr(check_module, "_plans", _all_over_nodes)
    over_nodes = [check(version, path.name) for version in versions]
    assert compiled == over_nodes
    assert any(compiled) or path.parent.name != "seeded"
