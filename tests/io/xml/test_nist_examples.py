"""NIST's example documents, published in both JSON and XML, against our XML binding.

- Our XML written from NIST's JSON validates against the OSCAL 1.2.1 XSD and equals NIST's XML, as trees
  compared after the normalizations in `canonical.NORMALIZATIONS`.
- The JSON we read from NIST's XML equals NIST's JSON as data; Markdown is compared after the normalizations in
  `markdown_values.MARKDOWN_NORMALIZATIONS`, everything else exactly.
- JSON -> XML -> JSON and XML -> JSON -> XML lose nothing.

The normalizations, each with the reason it hides no content, are the constants NORMALIZATIONS (trees:
indentation; whitespace runs inside markup; <li><p>x</p></li> as <li>x</li>; comments and processing
instructions) and MARKDOWN_NORMALIZATIONS (Markdown: spaces at line ends and runs of spaces outside code;
runs of blank lines and a trailing line break). NIST's JSON spells Markdown with such whitespace (for example
'*  item \n' and ' **THIS SYSTEM** '), which XML cannot carry; after one trip the values are canonical and
survive further trips exactly.

The examples are OSCAL 1.1.2 and the schema is 1.2.1: NIST's own XML examples validate against the 1.2.1 XSD
unchanged (asserted below), so no test needs to excuse a version difference.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from oscal_poam.io.xml import dump_xml, read_xml
from oscal_poam.io.xml.definitions import OSCAL_NAMESPACE
from tests.io.xml.canonical import NORMALIZATIONS, differences  # noqa: F401 (the normalizations applied)
from tests.io.xml.documents import nist_json_only, nist_pairs, pair_id, path_id
from tests.io.xml.markdown_values import (  # noqa: F401 (the normalizations applied)
    MARKDOWN_NORMALIZATIONS,
    map_markup,
    normalize_markdown,
)

PAIRS = nist_pairs()
LIMIT = 1 << 30


def _json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_bytes())
    return data


def _read(data: bytes) -> dict[str, Any]:
    return read_xml(data, "test.xml", LIMIT)[0]


def _blank_markup(data: dict[str, Any]) -> dict[str, Any]:
    return map_markup(data, lambda _: "")


def test_every_model_with_a_nist_xml_example_is_covered() -> None:
    assert {p[1].parent.parent.name for p in PAIRS} == {"ap", "ar", "catalog", "ssp"}
    assert len(PAIRS) == 7


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_nist_xml_is_valid_against_the_1_2_1_xsd(pair: tuple[Path, Path], xsd: etree.XMLSchema) -> None:
    assert xsd.validate(etree.parse(str(pair[1]))), xsd.error_log


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_our_xml_from_nist_json_is_valid(pair: tuple[Path, Path], xsd: etree.XMLSchema) -> None:
    ours = etree.fromstring(dump_xml(_json(pair[0])))
    assert xsd.validate(ours), xsd.error_log


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_our_xml_from_nist_json_equals_nist_xml(pair: tuple[Path, Path]) -> None:
    ours = etree.fromstring(dump_xml(_json(pair[0])))
    theirs = etree.parse(str(pair[1])).getroot()
    assert list(differences(ours, theirs)) == []


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_json_read_from_nist_xml_equals_nist_json(pair: tuple[Path, Path]) -> None:
    ours = _read(pair[1].read_bytes())
    theirs = _json(pair[0])
    # everything but Markdown exactly
    assert _blank_markup(ours) == _blank_markup(theirs)
    # Markdown up to whitespace that Markdown does not render
    assert map_markup(ours, normalize_markdown) == map_markup(theirs, normalize_markdown)


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_json_to_xml_to_json_is_lossless(pair: tuple[Path, Path]) -> None:
    theirs = _json(pair[0])
    back = _read(dump_xml(theirs))
    assert _blank_markup(back) == _blank_markup(theirs)
    assert map_markup(back, normalize_markdown) == map_markup(theirs, normalize_markdown)
    # and from there on nothing moves at all: canonical Markdown survives the trip exactly
    assert _read(dump_xml(back)) == back


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_xml_to_json_to_xml_is_lossless(pair: tuple[Path, Path]) -> None:
    data = _read(pair[1].read_bytes())
    ours = dump_xml(data)
    assert list(differences(etree.fromstring(ours), etree.parse(str(pair[1])).getroot())) == []
    assert dump_xml(_read(ours)) == ours


@pytest.mark.parametrize("path", nist_json_only(), ids=path_id)
def test_nist_json_without_an_xml_twin_converts_both_ways(path: Path, xsd: etree.XMLSchema) -> None:
    theirs = _json(path)
    xml = dump_xml(theirs)
    assert xsd.validate(etree.fromstring(xml)), xsd.error_log
    back = _read(xml)
    assert _blank_markup(back) == _blank_markup(theirs)
    assert map_markup(back, normalize_markdown) == map_markup(theirs, normalize_markdown)


def test_the_comparison_sees_real_differences() -> None:
    """The tree comparison that the equality tests rely on does report a changed value, attribute or element."""
    json_path, xml_path = PAIRS[0]
    theirs = etree.parse(str(xml_path)).getroot()
    ns = "{" + OSCAL_NAMESPACE + "}"

    def changed(edit: str) -> list[str]:
        ours = etree.fromstring(dump_xml(_json(json_path)))
        title = ours.find(f"{ns}metadata/{ns}title")
        assert title is not None
        if edit == "text":
            title.text = (title.text or "") + "!"
        elif edit == "attribute":
            ours.set("uuid", "00000000-0000-4000-8000-000000000000")
        else:
            title.getparent().remove(title)  # type: ignore[union-attr]
        return list(differences(ours, theirs))

    assert changed("text") and changed("attribute") and changed("element")


def test_the_markdown_normalization_is_whitespace_only() -> None:
    assert normalize_markdown(" **THIS SYSTEM** ") == "**THIS SYSTEM**"
    assert normalize_markdown("a\n\n*  one \n*  two \n") == "a\n\n* one\n* two"
    assert normalize_markdown("a\n\n\nb") == "a\n\nb"
    assert normalize_markdown("```\n  kept   as is\n```") == "```\n  kept   as is\n```"
    assert normalize_markdown("*a*") != normalize_markdown("a")
