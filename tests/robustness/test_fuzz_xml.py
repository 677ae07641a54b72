"""Damaged OSCAL XML: the loader returns a valid model or a LoadError naming file and place, nothing else.

Element-level damage (drop, duplicate, rename or move an element, drop or change an attribute, odd text)
works on the parsed tree of NIST's examples and ours; byte-level damage on the file itself.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from oscal_poam.errors import WriteError
from oscal_poam.io.convert import convert
from oscal_poam.io.load import parse
from oscal_poam.io.write import dumps
from oscal_poam.io.xml import dump_xml
from oscal_poam.io.xml.definitions import OSCAL_NAMESPACE
from oscal_poam.validate.one_file import INTERNAL, validate_bytes
from tests.conftest import OSCAL_CONTENT, ROOT
from tests.robustness.mutations import (
    damaged_bytes,
    examples,
    model_or_located_error,
    valid_unusual_text,
    xml_compatible,
)

SEEDS = (
    OSCAL_CONTENT / "ar" / "xml" / "ifa_assessment-results-example.xml",
    OSCAL_CONTENT / "ap" / "xml" / "ifa_assessment-plan-example.xml",
    OSCAL_CONTENT / "ssp" / "xml" / "oscal_leveraged-example_ssp.xml",
    OSCAL_CONTENT / "catalog" / "xml" / "basic-catalog.xml",
    ROOT / "examples" / "l3-conditional" / "poam.xml",
    ROOT / "examples" / "l3-conditional" / "assessment-plan.xml",
)
NAMES = tuple(p.name for p in SEEDS)
OTHER_NAMES = ("title", "prop", "uuid", "remarks", "p", "link", "metadata", "item", "x")


@cache
def _bytes(name: str) -> bytes:
    return next(p for p in SEEDS if p.name == name).read_bytes()


@st.composite
def damaged_tree(draw: st.DrawFn, name: str) -> bytes:
    root = etree.fromstring(_bytes(name))
    for _ in range(draw(st.integers(1, 3))):
        elements = [e for e in root.iter() if isinstance(e.tag, str)]
        element = draw(st.sampled_from(elements))
        parent = element.getparent()
        operation = draw(
            st.sampled_from(("drop", "duplicate", "rename", "move", "attribute", "drop-attribute", "text", "tail"))
        )
        if operation == "drop" and parent is not None:
            parent.remove(element)
        elif operation == "duplicate" and parent is not None:
            parent.insert(parent.index(element), copy.deepcopy(element))
        elif operation == "rename":
            namespace = draw(st.sampled_from((OSCAL_NAMESPACE, "urn:other", None)))
            local = draw(st.sampled_from(OTHER_NAMES))
            element.tag = f"{{{namespace}}}{local}" if namespace else local
        elif operation == "move" and parent is not None:
            outside = [e for e in elements if e is not element and element not in e.iterancestors()]
            draw(st.sampled_from(outside)).append(element)
        elif operation == "attribute":
            key = draw(st.sampled_from([*element.attrib.keys(), "uuid", "name", "href", "ns", "{urn:other}x"]))
            element.set(key, xml_compatible(draw(valid_unusual_text)))
        elif operation == "drop-attribute" and element.attrib:
            del element.attrib[draw(st.sampled_from([str(k) for k in element.attrib]))]
        elif operation == "text":
            element.text = xml_compatible(draw(valid_unusual_text)) or None
        elif operation == "tail":
            element.tail = xml_compatible(draw(valid_unusual_text)) or None
    return etree.tostring(root, xml_declaration=draw(st.booleans()), encoding="UTF-8")


def test_seeds_load() -> None:
    for name in NAMES:
        assert model_or_located_error(lambda n=name: parse(_bytes(n), n), name) is not None  # type: ignore[misc]


@examples(200)
@given(st.data(), st.sampled_from(NAMES))
def test_damaged_elements(data: st.DataObject, name: str) -> None:
    raw = data.draw(damaged_tree(name))
    model_or_located_error(lambda: parse(raw, name), name)


@examples(200)
@given(st.data(), st.sampled_from(NAMES))
def test_damaged_bytes(data: st.DataObject, name: str) -> None:
    raw = data.draw(damaged_bytes(_bytes(name)))
    model_or_located_error(lambda: parse(raw, name), name)


@examples(50)
@given(st.data(), st.sampled_from(NAMES), st.booleans())
def test_validate_turns_damage_into_located_diagnostics(data: st.DataObject, name: str, tree: bool) -> None:
    raw = data.draw(damaged_tree(name) if tree else damaged_bytes(_bytes(name)))
    found = validate_bytes(raw, name)
    for diagnostic in found.diagnostics:
        assert diagnostic.rule_id != INTERNAL.id, diagnostic.message
        assert diagnostic.document, diagnostic


# Cases the fuzzing found, kept as regular tests.


def test_control_character_in_a_flag_is_a_write_error(tmp_path: Path) -> None:
    """A control character is valid in OSCAL JSON text but XML cannot carry it; lxml raised ValueError."""
    data = json.loads((OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json").read_bytes())
    data["assessment-results"]["local-definitions"]["activities"][0]["props"][0]["value"] = "TEST\u0007"
    source = tmp_path / "ar.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    model = parse(source.read_bytes(), "ar.json").model
    with pytest.raises(WriteError, match="XML cannot carry"):
        dumps(model, "xml")
    with pytest.raises(WriteError):
        convert(source, tmp_path / "ar.xml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ar.json"]
    data["assessment-results"]["uuid"] += "\u001b"
    with pytest.raises(WriteError, match="XML cannot carry"):
        dump_xml(data)
