"""`oscal-poam convert IN OUT [--to json|yaml|xml]`: exit codes, messages, nothing written on failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree

from oscal_poam.io.load import load
from tests.conftest import OSCAL_CONTENT, SCHEMAS

AR = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oscal_poam.cli.app", "convert", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_json_to_xml_writes_valid_oscal_xml(tmp_path: Path) -> None:
    target = tmp_path / "ar.xml"
    result = run(AR, target)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "assessment results" in result.stdout and "XML" in result.stdout
    schema = etree.XMLSchema(file=str(SCHEMAS / "xml" / "oscal_assessment-results_schema.xsd"))
    assert schema.validate(etree.parse(str(target))), schema.error_log


def test_xml_to_yaml_with_to(tmp_path: Path) -> None:
    source = OSCAL_CONTENT / "catalog" / "xml" / "basic-catalog.xml"
    target = tmp_path / "catalog.out"
    result = run(source, target, "--to", "yaml")
    assert result.returncode == 0, result.stderr
    assert load(target).format == "yaml"
    assert load(target).model == load(source).model


def test_an_input_that_cannot_be_loaded_exits_3_and_writes_nothing(tmp_path: Path) -> None:
    evil = tmp_path / "evil.xml"
    evil.write_text('<!DOCTYPE catalog [<!ENTITY x "y">]><catalog/>', encoding="utf-8")
    result = run(evil, tmp_path / "out.json")
    assert result.returncode == 3
    assert "evil.xml:1:1" in result.stderr and "DOCTYPE" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.xml"]
    missing = run(tmp_path / "missing.json", tmp_path / "out.xml")
    assert missing.returncode == 3 and "file not found" in missing.stderr


def test_an_output_format_it_cannot_tell_is_a_usage_error(tmp_path: Path) -> None:
    result = run(AR, tmp_path / "out.txt")
    assert result.returncode == 2
    assert "--to" in result.stderr
    assert list(tmp_path.iterdir()) == []
