"""YAML is read by YAML 1.2's core schema: `yes` is text, `1.10` stays `1.10` where OSCAL wants text, and a
scalar another YAML reader would take otherwise is noted, with where it is and a suggestion to quote it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from oscal_poam.io.load import parse
from oscal_poam.io.write import dumps, to_data
from oscal_poam.validate.one_file import validate_file
from tests.conftest import FEDRAMP_EXAMPLES, OSCAL_CONTENT

CATALOG = (OSCAL_CONTENT / "catalog" / "yaml" / "basic-catalog.yaml").read_text(encoding="utf-8")


def _catalog(version: str, prop_value: str) -> bytes:
    data = yaml.safe_load(CATALOG)
    data["catalog"]["metadata"]["version"] = "VERSION"
    data["catalog"]["metadata"]["props"] = [{"name": "keywords", "value": "VALUE"}]
    text = yaml.safe_dump(data, sort_keys=False)
    return text.replace("'VERSION'", version).replace("VERSION", version).replace("VALUE", prop_value).encode()


def test_yaml_1_1_booleans_are_text_with_a_note() -> None:
    doc = parse(_catalog("'1.0'", "yes"), "catalog.yaml")
    assert to_data(doc.model)["catalog"]["metadata"]["props"][0]["value"] == "yes"
    (note,) = doc.notes
    assert note.pointer == "/catalog/metadata/props/0/value"
    assert note.line is not None and "yes" in note.message and "quote" in note.message


def test_a_number_where_oscal_wants_text_keeps_its_spelling() -> None:
    doc = parse(_catalog("1.10", "true"), "catalog.yaml")
    metadata = to_data(doc.model)["catalog"]["metadata"]
    assert metadata["version"] == "1.10"  # not "1.1": the text as written
    assert metadata["props"][0]["value"] == "true"
    assert {n.pointer for n in doc.notes} == {"/catalog/metadata/version", "/catalog/metadata/props/0/value"}
    assert all("quote" in n.message for n in doc.notes)


def test_quoted_scalars_need_no_note() -> None:
    assert parse(_catalog("'1.10'", "'yes'"), "catalog.yaml").notes == ()


def test_dates_are_text_to_the_model() -> None:
    lines = _catalog("'1.0'", "x").decode().splitlines()
    lines = [re.sub(r"^(\s*last-modified: )'(.*)'$", r"\1\2", line) for line in lines]
    assert any(re.match(r"\s*last-modified: 20", line) for line in lines)  # plain: a timestamp to YAML 1.1
    doc = parse("\n".join(lines).encode(), "catalog.yaml")
    assert doc.notes == ()
    assert to_data(doc.model)["catalog"]["metadata"]["last-modified"].startswith("20")


def test_validate_reports_the_notes_as_warnings(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_bytes(_catalog("1.10", "yes"))
    found = [d for d in validate_file(path).diagnostics if d.rule_id == "validate-yaml-scalar"]
    assert {(d.severity.value, d.pointer) for d in found} == {
        ("warning", "/catalog/metadata/version"),
        ("warning", "/catalog/metadata/props/0/value"),
    }
    assert all(d.line is not None for d in found)


def test_fedramps_yaml_templates_read_as_yaml_1_2() -> None:
    """`value: yes` in FedRAMP's POA&M template: a string (the model wants one), noted."""
    path = FEDRAMP_EXAMPLES / "dist/content/rev5/templates/poam/yaml/FedRAMP-POAM-OSCAL-Template.yaml"
    doc = parse(path.read_bytes(), path.name)
    assert doc.notes and all("yes" in n.message or "no" in n.message for n in doc.notes)


def test_written_yaml_quotes_whatever_another_reader_would_misread() -> None:
    doc = parse(_catalog("'1.10'", "'yes'"), "catalog.yaml")
    text = dumps(doc.model, "yaml").decode()
    assert "version: '1.10'" in text and "value: 'yes'" in text
    assert parse(text.encode(), "again.yaml").notes == ()
    data = to_data(doc.model)
    data["catalog"]["metadata"]["props"][0]["value"] = "0o17"  # an integer to YAML 1.2, text to YAML 1.1
    from oscal_poam.io.write import serialize

    assert "value: '0o17'" in serialize(data, "yaml").decode()
