"""Converting between JSON, YAML and XML: verified before writing, nothing written on failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oscal_poam.errors import LoadError, UsageError, WriteError
from oscal_poam.io import convert as convert_module
from oscal_poam.io.convert import convert
from oscal_poam.io.load import load
from oscal_poam.io.write import OutputFormat, serialize, to_data
from oscal_poam.io.xml.equivalence import differences
from tests.conftest import OSCAL_CONTENT

AR_JSON = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"
SSP_XML = OSCAL_CONTENT / "ssp" / "xml" / "ssp-example.xml"


@pytest.mark.parametrize(("suffix", "fmt"), [(".xml", "xml"), (".yaml", "yaml"), (".yml", "yaml"), (".json", "json")])
def test_the_suffix_chooses_the_format(tmp_path: Path, suffix: str, fmt: str) -> None:
    done = convert(AR_JSON, tmp_path / f"out{suffix}")
    assert done.format == fmt
    again = load(done.target)
    assert again.format == fmt
    assert list(differences(to_data(load(AR_JSON).model), to_data(again.model))) == []


def test_to_overrides_the_suffix(tmp_path: Path) -> None:
    done = convert(SSP_XML, tmp_path / "ssp.txt", to="json")
    assert done.target.read_bytes().startswith(b"{")
    assert load(done.target).model == load(SSP_XML).model


def test_xml_to_json_and_back_gives_the_same_document(tmp_path: Path) -> None:
    convert(SSP_XML, tmp_path / "ssp.json")
    convert(tmp_path / "ssp.json", tmp_path / "ssp.xml")
    assert load(tmp_path / "ssp.xml").model == load(SSP_XML).model


def test_an_input_that_cannot_be_loaded_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"catalog": {"uuid": "not-a-uuid"}}', encoding="utf-8")
    with pytest.raises(LoadError):
        convert(bad, tmp_path / "out.xml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_an_unknown_output_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--to"):
        convert(AR_JSON, tmp_path / "out.txt")
    with pytest.raises(UsageError, match="unknown output format"):
        convert(AR_JSON, tmp_path / "out.json", to="csv")
    assert list(tmp_path.iterdir()) == []


def test_the_input_is_never_overwritten(tmp_path: Path) -> None:
    source = tmp_path / "ar.json"
    source.write_bytes(AR_JSON.read_bytes())
    with pytest.raises(UsageError, match="overwrite the input"):
        convert(source, tmp_path / "ar.json", to="xml")
    assert source.read_bytes() == AR_JSON.read_bytes()


def test_output_that_does_not_read_back_equal_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The verification step itself: serialized bytes that lose a finding are refused."""

    def lossy(document: dict[str, Any], fmt: OutputFormat) -> bytes:
        data = serialize(document, fmt)
        dropped = data.replace(b'<related-observation observation-uuid="8807eb6e-0c05-43bc-8438-799739615e34"/>', b"")
        assert dropped != data
        return dropped

    monkeypatch.setattr(convert_module, "serialize", lossy)
    target = tmp_path / "ar.xml"
    target.write_bytes(b"previous")
    with pytest.raises(WriteError, match="reads back as a different document at /assessment-results/results/0"):
        convert(AR_JSON, target)
    assert target.read_bytes() == b"previous"
