"""YAML of plain mappings, sequences and scalars is built in one walk; it must read exactly as the constructor
reads it, and anything else must still be read by the constructor."""

from __future__ import annotations

import pytest

from oscal_poam.errors import LoadError
from oscal_poam.io import load
from oscal_poam.io.load import decode

PLAIN = """\
text: plain
quoted: "2024-01-31"
numbers: [1, -2, 0x1F, 0o17, 1_000, 1.5, 1e3, .5]
booleans: [true, False, yes, off, TRUE]
nulls: [~, null, ]
1: an integer key
1.5: a float key
~: a null key
"a/b~c": escaped
nested:
  - {x: [ {y: z} ]}
  - - deep
"""

NOT_PLAIN = [
    "a: &anchor [1, 2]\nb: *anchor\n",
    "base: &base {x: 1}\nderived:\n  <<: *base\n  y: 2\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!timestamp 2024-01-31\n",
    "1: first\n01: second\n",
    "true: first\n1: second\n",
    "a: !!set {x, y}\n",
]


def _constructed(text: str) -> tuple[object, dict[str, int]]:
    loader = load._OscalYamlLoader(text)
    try:
        node = loader.get_single_node()
        return loader.construct_document(node), load._yaml_lines(node)
    finally:
        loader.dispose()


def test_plain_yaml_reads_as_the_constructor_reads_it() -> None:
    loader = load._OscalYamlLoader(PLAIN)
    node = loader.get_single_node()
    assert load._plain_yaml(node, loader) is not None  # the one-walk path is the one taken
    loader.dispose()
    fmt, raw, lines = decode(PLAIN.encode(), "plain.yaml")
    assert fmt == "yaml"
    assert (raw, lines) == _constructed(PLAIN)
    assert raw["numbers"] == [1, -2, 31, 15, "1_000", 1.5, 1000.0, 0.5]
    assert raw[1] == "an integer key" and raw[None] == "a null key"
    assert lines["/a~1b~0c"] == 9


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_anything_else_is_read_by_the_constructor(text: str) -> None:
    loader = load._OscalYamlLoader(text)
    node = loader.get_single_node()
    assert load._plain_yaml(node, loader) is None
    loader.dispose()
    _, raw, lines = decode(text.encode(), "other.yaml")
    assert (raw, lines) == _constructed(text)


def test_plain_data_has_no_shared_parts() -> None:
    _, raw, _ = decode(b"a: [1]\nb: [1]\n", "x.yaml")
    raw["a"].append(2)
    assert raw["b"] == [1]


def test_a_scalar_the_constructor_refuses_is_refused_as_it_refuses_it() -> None:
    text = "a: 0x1\nb: 0xFFFFFFFFFFFFFFFFFFFFFF\nc: 0x7FFFFFFFFFFFFFFFFFFFFFFF\n"
    loader = load._OscalYamlLoader(text)
    node = loader.get_single_node()
    assert load._plain_yaml(node, loader) is None
    loader.dispose()
    with pytest.raises(LoadError) as caught:
        decode(text.encode(), "big.yaml")
    assert caught.value.problems[0].line == 2
    assert "'0xFFFFFFFFFFFFFFFFFFFFFF' is out of range" in str(caught.value)
