"""The catalogs and profiles shipped in XML: generated, valid against the XSD, the same documents as the JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from oscal_poam.io.load import load
from oscal_poam.io.xml import dump_xml, read_xml
from tests.conftest import ROOT

SHIPPED_XML = sorted([*(ROOT / "catalogs").glob("*.xml"), *(ROOT / "profiles").glob("*.xml")])


def test_every_shipped_json_document_has_its_xml_twin() -> None:
    json_names = {
        p.with_suffix("").name for p in [*(ROOT / "catalogs").glob("*.json"), *(ROOT / "profiles").glob("*.json")]
    }
    assert {p.with_suffix("").name for p in SHIPPED_XML} == json_names
    assert len(SHIPPED_XML) == 6


@pytest.mark.parametrize("path", SHIPPED_XML, ids=lambda p: p.name)
def test_shipped_xml_is_valid_oscal(path: Path, xsd: etree.XMLSchema) -> None:
    assert xsd.validate(etree.parse(str(path))), xsd.error_log


@pytest.mark.parametrize("path", SHIPPED_XML, ids=lambda p: p.name)
def test_shipped_xml_is_the_same_document_as_the_json(path: Path) -> None:
    xml_doc = load(path)
    json_doc = load(path.with_suffix(".json"))
    assert xml_doc.format == "xml"
    if xml_doc.kind.root_key == "profile":
        # each profile imports the catalog in its own format
        assert xml_doc.model.imports[0].href.endswith(".xml")  # type: ignore[attr-defined]
        assert json_doc.model.imports[0].href.endswith(".json")  # type: ignore[attr-defined]
        xml_doc.model.imports[0].href = json_doc.model.imports[0].href  # type: ignore[attr-defined]
    assert xml_doc.model == json_doc.model


@pytest.mark.parametrize("path", SHIPPED_XML, ids=lambda p: p.name)
def test_shipped_xml_read_and_written_again_is_byte_for_byte_the_same(path: Path) -> None:
    data, _ = read_xml(path.read_bytes(), path.name, 1 << 30)
    assert dump_xml(data) == path.read_bytes()
