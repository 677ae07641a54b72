"""Every check runs on every file, as far as the file can be read: a document NIST's schema finds invalid is still
checked against NIST's constraints and for integrity, in JSON, YAML and XML alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from lxml import etree

from oscal_poam.io.xml import dump_xml
from oscal_poam.validate.one_file import validate_file
from tests.nist_docs import IFA_SSP, nist

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def _broken_three_ways() -> dict:  # type: ignore[type-arg]
    data = nist(IFA_SSP)
    ssp = data["system-security-plan"]
    del ssp["metadata"]["version"]  # invalid for the schema
    ssp["metadata"]["responsible-parties"][0]["party-uuids"][0] = UNKNOWN  # a NIST constraint
    items = ssp["system-implementation"]["inventory-items"]
    items[1]["uuid"] = items[0]["uuid"]  # integrity
    return data


def _write(path: Path, data: dict) -> None:  # type: ignore[type-arg]
    if path.suffix == ".json":
        path.write_text(json.dumps(data), encoding="utf-8")
    elif path.suffix == ".yaml":
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    else:
        # written around the missing version: the XML writer checks nothing, the XSD will say it is missing
        path.write_bytes(dump_xml(data))


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".xml"])
def test_a_schema_invalid_document_is_still_checked_for_everything_else(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"ssp{suffix}"
    _write(path, _broken_three_ways())
    found = {d.rule_id for d in validate_file(path).diagnostics}
    assert {"validate-model", "oscal-index-metadata-party-uuid", "integrity-duplicate-uuid"} <= found


def test_xml_is_read_around_the_elements_that_do_not_fit(tmp_path: Path) -> None:
    data = nist(IFA_SSP)
    data["system-security-plan"]["metadata"]["responsible-parties"][0]["party-uuids"][0] = UNKNOWN
    root = etree.fromstring(dump_xml(data))
    etree.SubElement(
        root.find("{http://csrc.nist.gov/ns/oscal/1.0}metadata"), "{http://csrc.nist.gov/ns/oscal/1.0}bogus"
    )
    path = tmp_path / "ssp.xml"
    path.write_bytes(etree.tostring(root))
    found = validate_file(path).diagnostics
    assert [d.rule_id for d in found if d.rule_id == "validate-model"] == ["validate-model"]
    assert "bogus" in next(d.message for d in found if d.rule_id == "validate-model")
    assert "oscal-index-metadata-party-uuid" in {d.rule_id for d in found}
