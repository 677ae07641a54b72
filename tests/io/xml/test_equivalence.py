"""What counts as the same document after a trip through XML: everything exact, Markdown in its canonical form."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from oscal_poam.io.convert import convert
from oscal_poam.io.load import load
from oscal_poam.io.xml import dump_xml, read_xml
from oscal_poam.io.xml.equivalence import canonical_markdown, differences
from tests.conftest import OSCAL_CONTENT

CATALOG = OSCAL_CONTENT / "catalog" / "json" / "basic-catalog.json"


def catalog() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CATALOG.read_bytes())
    return data


def trip(data: dict[str, Any]) -> dict[str, Any]:
    return read_xml(dump_xml(data), "trip.xml", 1 << 30)[0]


def test_markdown_spelled_differently_is_the_same_markup() -> None:
    data = catalog()
    data["catalog"]["metadata"]["remarks"] = "First.\n\n\n*  one \n*  two \n"
    back = trip(data)
    assert back["catalog"]["metadata"]["remarks"] == "First.\n\n* one\n* two"
    assert canonical_markdown("First.\n\n\n*  one \n*  two \n", True) == "First.\n\n* one\n* two"
    assert list(differences(data, back)) == []


def test_a_changed_value_is_reported_where_it_is() -> None:
    data = catalog()
    back = copy.deepcopy(data)
    back["catalog"]["groups"][0]["controls"] = back["catalog"]["groups"][0].get("controls", [])
    back["catalog"]["groups"][1]["id"] = "other"
    back["catalog"]["metadata"]["title"] = "Another title"
    assert list(differences(data, back)) == [
        "/catalog/metadata/title",
        "/catalog/groups/0",
        "/catalog/groups/1/id",
    ]


def test_a_lost_item_is_reported() -> None:
    data = catalog()
    back = copy.deepcopy(data)
    del back["catalog"]["groups"][0]["groups"][0]["controls"][0]["parts"][1]
    assert list(differences(data, back)) == ["/catalog/groups/0/groups/0/controls/0/parts"]


def test_an_empty_prose_has_no_xml_and_is_no_difference(tmp_path: Path) -> None:
    data = catalog()
    data["catalog"]["groups"][0]["groups"][0]["controls"][0]["parts"][0]["prose"] = ""
    back = trip(data)
    assert "prose" not in back["catalog"]["groups"][0]["groups"][0]["controls"][0]["parts"][0]
    assert list(differences(data, back)) == []
    source = tmp_path / "catalog.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    done = convert(source, tmp_path / "catalog.xml")
    assert load(done.target).kind.root_key == "catalog"
