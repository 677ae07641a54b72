"""Writing OSCAL XML: namespace, declaration, layout that never changes text, and located errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from oscal_poam.errors import WriteError
from oscal_poam.io.load import load
from oscal_poam.io.write import write
from oscal_poam.io.xml import dump_xml, read_xml
from oscal_poam.io.xml.definitions import OSCAL_NAMESPACE
from tests.conftest import OSCAL_CONTENT

CATALOG_JSON = OSCAL_CONTENT / "catalog" / "json" / "basic-catalog.json"
NS = "{" + OSCAL_NAMESPACE + "}"


def catalog() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CATALOG_JSON.read_bytes())
    return data


def test_output_is_utf8_oscal_xml_with_a_declaration_and_indentation() -> None:
    out = dump_xml(catalog())
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0"')
    assert out.endswith(b"</catalog>\n")
    assert "— Security techniques".encode() in out  # UTF-8, not character references
    lines = out.decode("utf-8").splitlines()
    assert lines[2] == "  <metadata>" and lines[3].startswith("    <title>")
    root = etree.fromstring(out)
    assert root.nsmap == {None: OSCAL_NAMESPACE}
    assert all(isinstance(e.tag, str) and e.tag.startswith(NS) for e in root.iter())


def test_indentation_never_enters_inline_markup() -> None:
    data = catalog()
    data["catalog"]["metadata"]["title"] = "*a*__b__"
    data["catalog"]["metadata"]["remarks"] = "**x**`y`\n\n* one\n* two"
    out = dump_xml(data)
    assert b"<title><em>a</em><strong>b</strong></title>" in out
    assert b"<p><strong>x</strong><code>y</code></p>" in out
    assert b"<ul>\n        <li>one</li>\n        <li>two</li>\n      </ul>" in out
    back, _ = read_xml(out, "x.xml", 1 << 20)
    assert back["catalog"]["metadata"]["title"] == "*a*__b__"
    assert back["catalog"]["metadata"]["remarks"] == "**x**`y`\n\n* one\n* two"


def test_the_same_data_gives_the_same_bytes() -> None:
    assert dump_xml(catalog()) == dump_xml(catalog())


def test_elements_follow_the_model_order_not_the_json_order() -> None:
    data = catalog()
    group = data["catalog"]["groups"][0]
    data["catalog"]["groups"][0] = dict(reversed(list(group.items())))
    data["catalog"]["metadata"] = dict(reversed(list(data["catalog"]["metadata"].items())))
    assert dump_xml(data) == dump_xml(catalog())


def test_revisions_are_wrapped_and_values_are_typed() -> None:
    data = catalog()
    data["catalog"]["metadata"]["revisions"] = [{"version": "0.9"}, {"version": "0.8"}]
    out = dump_xml(data)
    assert b"<revisions>\n      <revision>\n        <version>0.9</version>" in out


def test_a_property_oscal_does_not_have_is_an_error_naming_its_place() -> None:
    data = catalog()
    data["catalog"]["groups"][0]["colour"] = "red"
    with pytest.raises(WriteError) as caught:
        dump_xml(data)
    assert (
        str(caught.value) == "cannot write XML: /catalog/groups/0/colour: 'colour' is not a property OSCAL allows here"
    )


def test_a_property_a_field_with_flags_does_not_have_is_an_error_naming_its_place() -> None:
    data = catalog()
    data["catalog"]["metadata"]["document-ids"] = [
        {"scheme": "http://example.com/ids", "identifier": "x", "hue": "red"}
    ]
    with pytest.raises(WriteError) as caught:
        dump_xml(data)
    assert str(caught.value) == (
        "cannot write XML: /catalog/metadata/document-ids/0/hue: 'hue' is not a property OSCAL allows here"
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c["groups"].__setitem__(0, "text"), "/catalog/groups/0: must be an object, not str"),
        (lambda c: c.__setitem__("groups", {"id": "x"}), "/catalog/groups: must be an array, not dict"),
        (lambda c: c["metadata"].__setitem__("title", 7), "/catalog/metadata/title: must be a string, not int"),
        (lambda c: c.__setitem__("uuid", ["x"]), "/catalog/uuid: must be a string, number or boolean, not list"),
        (
            lambda c: c["metadata"].__setitem__("version", "bell\x07"),
            "/catalog/metadata/version: contains characters that XML cannot carry",
        ),
        (
            lambda c: c["groups"][0]["props"][0].__setitem__("value", "bell\x07"),
            "/catalog/groups/0/props/0/value: contains characters that XML cannot carry",
        ),
        (lambda c: c.__setitem__("uuid", "\x00"), "/catalog/uuid: contains characters that XML cannot carry"),
    ],
)
def test_data_that_does_not_fit_is_an_error_naming_its_place(edit: Any, message: str) -> None:
    data = catalog()
    edit(data["catalog"])
    with pytest.raises(WriteError) as caught:
        dump_xml(data)
    assert str(caught.value) == f"cannot write XML: {message}"


def test_data_without_one_oscal_root_is_refused() -> None:
    with pytest.raises(WriteError, match="exactly one OSCAL root key"):
        dump_xml({"catalog": {}, "profile": {}})
    with pytest.raises(WriteError, match="exactly one OSCAL root key"):
        dump_xml({"mapping-collection": {}})
    assert dump_xml({"$schema": "x", **catalog()}) == dump_xml(catalog())


def test_nesting_deeper_than_xml_readers_accept_is_refused() -> None:
    data = catalog()
    group: dict[str, Any] = {"id": "g", "title": "G"}
    deepest = group
    for _ in range(300):
        inner = {"id": "g", "title": "G"}
        deepest["groups"] = [inner]
        deepest = inner
    data["catalog"]["groups"] = [group]
    with pytest.raises(WriteError, match="levels deep"):
        dump_xml(data)


def test_writing_a_model_to_an_xml_file_is_atomic_and_reads_back(tmp_path: Path) -> None:
    model = load(CATALOG_JSON).model
    target = tmp_path / "catalog.xml"
    target.write_bytes(b"old")
    write(model, target)
    assert load(target).model == load(target).model
    assert target.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.xml"]


def test_the_input_data_is_not_changed() -> None:
    data = catalog()
    before = copy.deepcopy(data)
    dump_xml(data)
    assert data == before
