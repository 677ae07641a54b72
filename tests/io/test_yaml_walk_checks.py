"""YAML read in one walk is checked by that walk: `faithful.check_yaml` runs only where the walk gives way.

Before, every document was checked first and walked after. The walk gives data only where the check would find
nothing (no node reached twice, no key repeated as written, no number the check refuses), so the order changed
nothing: the same data, lines, notes and errors, in the same precedence. These tests read generated and
hand-made YAML both ways and compare, and read the tag of every node both with the loader's quicker `resolve`
and with PyYAML's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oscal_poam.errors import LoadError
from oscal_poam.io import faithful, load
from tests.conftest import FEDRAMP_EXAMPLES, OSCAL_CONTENT

SOURCE = "doc.yaml"
EXAMPLES = sorted([*OSCAL_CONTENT.rglob("*.yaml"), *FEDRAMP_EXAMPLES.rglob("*.yaml")])

_walk = load._plain_yaml


@contextmanager
def _checked_first(text: str) -> Iterator[None]:
    """`_decode_yaml_text` as it was: the whole document checked before the walk. (The walk then gave way at the
    second reach of a node, now once it has counted more reaches than nodes: the walk raises nothing, so where it
    gives way makes no difference.)"""

    def walk(node: yaml.Node, loader: Any) -> Any:
        faithful.check_yaml(node, len(text), SOURCE)
        return _walk(node, loader)

    with mock.patch.object(load, "_plain_yaml", walk):
        yield


def _outcome(data: bytes) -> tuple[str, Any]:
    try:
        raw, lines, notes = load._decode_yaml_text(data, SOURCE)
    except LoadError as exc:
        return "LoadError", exc.problems
    except Exception as exc:  # whatever escapes must escape the same way both times
        return type(exc).__name__, str(exc)
    columns = getattr(lines, "columns", None)
    return "data", (repr(raw), raw == raw, dict(lines), columns, notes)


def _both(text: str) -> tuple[tuple[str, Any], tuple[str, Any]]:
    data = text.encode()
    now = _outcome(data)
    with _checked_first(text):
        before = _outcome(data)
    return now, before


_SCALARS = [
    "a",
    "'1'",
    '"x/y~z"',
    "1",
    "01",
    "-0",
    "+7",
    "0x1F",
    "0o17",
    "0xFFFFFFFFFFFFFFFFFFFFFFFF",
    "1_000",
    "1.5",
    "1e3",
    "1e999",
    "-1e999",
    "1_e999",
    ".inf",
    "-.Inf",
    ".nan",
    ".NaN",
    "~",
    "null",
    "true",
    "yes",
    "No",
    "2024-01-31",
    "000000000000000000000001",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999",
    "!!float nan",
    "!!float inf",
    "!!float 1",
    "!!float abc",
    "!!int 7",
    "!!int abc",
    "!!int ²",
    "!!str 1",
    "!!bool yes",
    "!!null ''",
    "!!binary aGk=",
    "!!timestamp 2024-01-31",
]
_KEYS = ["a", "b", "'a'", "1", "'1'", "1.0", "0x1", "~", "''", ".nan", "!!float nan", "1e999", "true", "<<"]
_KEYS += ["!!merge <<"]
_ANCHORS = ["x", "y"]


def _flow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    sequences = st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
    pairs = st.tuples(st.sampled_from(_KEYS), children).map(lambda pair: f"{pair[0]}: {pair[1]}")
    mappings = st.lists(pairs, max_size=4).map(lambda items: "{" + ", ".join(items) + "}")
    collections = st.one_of(sequences, mappings)
    anchored = st.tuples(st.sampled_from(_ANCHORS), collections).map(lambda pair: f"&{pair[0]} {pair[1]}")
    return st.one_of(collections, anchored)


_nodes = st.recursive(
    st.one_of(st.sampled_from(_SCALARS), st.sampled_from(_ANCHORS).map(lambda name: "*" + name)),
    _flow,
    max_leaves=14,
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_nodes)
def test_generated_yaml_reads_as_when_the_check_came_first(text: str) -> None:
    now, before = _both(text)
    assert now == before


@settings(max_examples=500, deadline=None)
@given(_nodes)
def test_where_the_walk_gives_data_the_check_finds_nothing(text: str) -> None:
    loader = load._OscalYamlLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            return
        walked = _walk(node, loader)  # raises nothing: a scalar its constructor refuses makes it give way
        if walked is not None:
            faithful.check_yaml(node, len(text), SOURCE)  # raises nothing
            assert loader.composed == len(_distinct_nodes(node))
    finally:
        loader.dispose()


def _distinct_nodes(root: yaml.Node) -> set[int]:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return seen


def _laughs(levels: int) -> str:
    lines = ["l0: &l0 [" + ", ".join(["laugh"] * 10) + "]"]
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


HAND_MADE = {
    "alias": "a: &x [1, 2]\nb: *x\n",
    "alias of text": "a: &x text\nb: *x\n",
    "alias of text in a sequence": "- &x text\n- *x\n",
    "alias of a key": "a: &x k\n*x : v\n",
    "merge key": "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
    "a key twice": "a: 1\nb: 2\na: 3\n",
    "one and '1'": "1: number\n'1': text\n",
    "one twice": "1: first\n1: second\n",
    "one and 0x1": "1: first\n0x1: second\n",
    "NaN keys twice": "!!float nan: 1\n!!float nan: 2\n",
    "NaN keys apart": "!!float nan: 1\n!!float NaN: 2\n",
    "a long integer": "a: 000000000000000000000001\n",
    "past 64 bits": "a: 18446744073709551616\n",
    "an infinite float": "a: [1, 1e999]\n",
    "a key out of range": "1e999: a\n",
    "self-reference": "a: &x [1, *x]\n",
    "self-reference in a mapping": "&x {a: *x}\n",
    "an unknown alias": "a: *nowhere\n",
    "a bomb": _laughs(9),
    "a bomb and a duplicate": _laughs(9) + "l0: again\n",
    "an unreadable float and a duplicate": "a: !!float abc\nb: 1\nb: 2\n",
    "an unreadable float and a long integer": "a: !!float abc\nb: 000000000000000000000001\n",
    "two unreadable numbers": "a: !!int abc\nb: !!float def\n",
    "two unreadable numbers and an alias": "z: !!float def\na: !!int abc\nb: &x t\nc: *x\n",
    "a unicode digit": "a: !!int ²\n",
    "plain": "title: POA&M\nitems: [{uuid: a, n: 1, f: 1.5, ok: true, none: ~}]\n",
}


@pytest.mark.parametrize("text", list(HAND_MADE.values()), ids=list(HAND_MADE))
def test_hand_made_yaml_reads_as_when_the_check_came_first(text: str) -> None:
    now, before = _both(text)
    assert now == before


def test_the_hand_made_cases_meet_every_way_out() -> None:
    outcomes = {name: _both(text)[0] for name, text in HAND_MADE.items()}
    assert outcomes["plain"][0] == "data"
    assert outcomes["NaN keys apart"][0] == "data"
    assert outcomes["one and 0x1"][0] == "data"  # the constructor builds it, as before
    assert outcomes["an unreadable float and a duplicate"][0] == "LoadError"
    for name in ("two unreadable numbers", "two unreadable numbers and an alias", "a unicode digit"):
        kind, problems = outcomes[name]
        assert kind == "LoadError", name
        assert "is tagged !!" in problems[0].message and problems[0].line is not None, name
    for name in ("alias", "alias of text", "alias of text in a sequence", "alias of a key"):
        text = HAND_MADE[name]
        loader = load._OscalYamlLoader(text)
        try:
            assert _walk(loader.get_single_node(), loader) is None, name  # the constructor reads an alias
        finally:
            loader.dispose()
    for name in ("a key twice", "NaN keys twice", "a long integer", "past 64 bits", "an infinite float"):
        assert outcomes[name][0] == "LoadError", name
    for name in ("self-reference", "a bomb", "a bomb and a duplicate", "a key out of range"):
        assert outcomes[name][0] == "LoadError", name
    assert "appears twice" in outcomes["a bomb and a duplicate"][1][0].message
    assert "refers to itself" in outcomes["self-reference"][1][0].message
    assert "expansion attack" in outcomes["a bomb"][1][0].message


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_nist_and_fedramp_yaml_reads_as_when_the_check_came_first(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    now, before = _both(text)
    assert now[0] == "data"
    assert now == before
    loader = load._OscalYamlLoader(text)
    try:
        root = loader.get_single_node()
        assert loader.composed == len(_distinct_nodes(root))  # what the walk counts its reaches against
        assert _walk(root, loader) is not None
    finally:
        loader.dispose()


class _PyYamlResolving(load._OscalYamlLoader):  # type: ignore[misc]
    """The project's loader with PyYAML's own `resolve`, recording what it was asked."""

    asked: ClassVar[list[tuple[type[yaml.Node], Any, Any]]] = []

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> Any:
        self.asked.append((kind, value, implicit))
        return yaml.resolver.BaseResolver.resolve(self, kind, value, implicit)


def _tags(text: str, loader_class: type[Any]) -> list[str]:
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    tags = []
    stack = [root]
    while stack:
        node = stack.pop()
        tags.append(node.tag)
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return tags


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_node_of_the_examples_gets_pyyamls_tag(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    _PyYamlResolving.asked = []
    assert _tags(text, load._OscalYamlLoader) == _tags(text, _PyYamlResolving)
    fast = load._OscalYamlLoader("")
    try:
        for kind, value, implicit in _PyYamlResolving.asked:
            pyyaml = yaml.resolver.BaseResolver.resolve(fast, kind, value, implicit)
            assert fast.resolve(kind, value, implicit) == pyyaml
    finally:
        fast.dispose()
    assert any(kind is yaml.ScalarNode for kind, _, _ in _PyYamlResolving.asked)


_starts = st.sampled_from([*"~nNtTfFyYoO-+0123456789.aZ ", "", "\u00e9"])


@settings(max_examples=2000, deadline=None)
@given(
    kind=st.sampled_from([yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode, yaml.Node]),
    value=st.one_of(
        st.text(max_size=12),
        st.tuples(_starts, st.text(alphabet="0123456789._+-eEoxabcdefINFnaulrsTFYO ", max_size=10)).map("".join),
        st.sampled_from(["", "~", "null", "True", "yes", "0o17", "0x1F", "1_0", "1e9", ".inf", "-.inf", ".NaN"]),
    ),
    implicit=st.tuples(st.booleans(), st.booleans()),
)
def test_resolve_gives_pyyamls_tag(kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> None:
    loader = load._OscalYamlLoader("")
    try:
        assert loader.resolve(kind, value, implicit) == yaml.resolver.BaseResolver.resolve(
            loader, kind, value, implicit
        )
    finally:
        loader.dispose()
