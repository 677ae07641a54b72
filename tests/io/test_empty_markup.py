"""Empty markup is never written where a format cannot carry it, and is what NIST's schema says it is on input.

XML's markup-multiline needs a block (`<description/>` is invalid for the XSD) and allows an empty markup-line
(`<title/>`); JSON allows an empty multiline string and wants a markup-line to be one line of text. A writer
leaves out an optional field that would be empty and puts an empty paragraph in a required one; a required
markup-line JSON cannot carry is refused with the place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from oscal_poam.errors import LoadError, WriteError
from oscal_poam.io.convert import convert
from oscal_poam.io.load import load, parse
from oscal_poam.io.write import dumps, to_data
from oscal_poam.io.xml import dump_xml
from oscal_poam.io.xml.definitions import OSCAL_NAMESPACE
from tests.conftest import OSCAL_CONTENT
from tests.nist_docs import IFA_AR, nist

NS = "{" + OSCAL_NAMESPACE + "}"


def _results(edit: str) -> dict:  # type: ignore[type-arg]
    data = nist(IFA_AR)
    result = data["assessment-results"]["results"][0]
    if edit == "required":
        result["observations"][0]["description"] = ""  # required markup-multiline
    elif edit == "optional":
        result["observations"][0]["remarks"] = ""  # optional markup-multiline
    return data


def test_an_empty_required_multiline_gets_an_empty_paragraph_in_xml(tmp_path: Path) -> None:
    source = tmp_path / "ar.json"
    source.write_text(json.dumps(_results("required")), encoding="utf-8")
    convert(source, tmp_path / "ar.xml")
    root = etree.parse(str(tmp_path / "ar.xml")).getroot()
    description = root.find(f".//{NS}observation/{NS}description")
    assert description is not None and [child.tag for child in description] == [f"{NS}p"]
    assert b"<description/>" not in (tmp_path / "ar.xml").read_bytes()
    back = load(tmp_path / "ar.xml")
    assert to_data(back.model)["assessment-results"]["results"][0]["observations"][0]["description"] == ""


def test_an_empty_optional_multiline_is_left_out_of_xml() -> None:
    xml = dumps(parse(json.dumps(_results("optional")).encode(), "ar.json").model, "xml")
    observation = etree.fromstring(xml).find(f".//{NS}observation")
    assert observation is not None and observation.find(f"{NS}remarks") is None


def test_an_empty_multiline_element_is_invalid_xml_on_input() -> None:
    xml = (
        dump_xml(nist(IFA_AR)).replace(b"<description>", b"<description/><!--", 1).replace(b"</description>", b"-->", 1)
    )
    with pytest.raises(LoadError, match="description") as caught:
        parse(xml, "ar.xml")
    assert "XSD" in str(caught.value)


def test_an_empty_title_is_valid_xml_and_loads() -> None:
    data = nist(IFA_AR)
    data["assessment-results"]["results"][0]["observations"][0]["title"] = "placeholder"
    xml = dump_xml(data).replace(b"<title>placeholder</title>", b"<title/>")
    doc = parse(xml, "ar.xml")
    assert to_data(doc.model)["assessment-results"]["results"][0]["observations"][0]["title"] == ""
    assert b"<title/>" in dumps(doc.model, "xml")  # XML carries it as it came
    # JSON cannot: an optional title is left out, and the rest of the document is written
    written = json.loads(dumps(doc.model, "json"))
    assert "title" not in written["assessment-results"]["results"][0]["observations"][0]


def test_an_empty_required_title_cannot_be_written_as_json() -> None:
    xml = dump_xml(nist(IFA_AR)).replace(b"<title>IFA GoodRead Continuous Monitoring", b"<title>x", 1)
    root = etree.fromstring(xml)
    metadata_title = root.find(f"{NS}metadata/{NS}title")
    assert metadata_title is not None
    metadata_title.text = None
    doc = parse(etree.tostring(root), "ar.xml")
    with pytest.raises(WriteError, match="/assessment-results/metadata/title: is empty"):
        dumps(doc.model, "json")
    assert dumps(doc.model, "xml")


def test_json_empty_title_is_invalid_json_on_input() -> None:
    data = json.loads((OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json").read_text())
    data["assessment-results"]["metadata"]["title"] = ""
    with pytest.raises(LoadError, match="one line of text"):
        parse(json.dumps(data).encode(), "ar.json")


def test_an_emass_import_never_writes_an_empty_description(tmp_path: Path) -> None:
    from oscal_poam.legacy.api import import_poam
    from tests.legacy import sheets

    imported = import_poam(sheets.emass_workbook(tmp_path / "emass.xlsx"))
    xml = dumps(imported.poam, "xml")
    assert b"<description/>" not in xml
    parse(xml, "poam.xml")  # valid for NIST's XSD
