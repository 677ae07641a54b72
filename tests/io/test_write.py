"""Writing: same model, same bytes; offsets kept; atomic, never partial."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from oscal_poam.errors import WriteError
from oscal_poam.io.load import load, parse
from oscal_poam.io.write import atomic_write_bytes, dumps, format_datetime, write
from tests.conftest import OSCAL_CONTENT

AR = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"


def test_same_model_same_bytes() -> None:
    model = load(AR).model
    assert dumps(model, "json") == dumps(load(AR).model, "json")
    assert dumps(model, "yaml") == dumps(load(AR).model, "yaml")


def test_offsets_and_calendar_dates_are_kept() -> None:
    """A deadline late in the evening west of UTC must not move to the next day."""
    data = json.loads(AR.read_text())
    data["assessment-results"]["metadata"]["last-modified"] = "2026-03-01T23:30:00-05:00"
    data["assessment-results"]["results"][0]["end"] = "2026-03-01T12:00:00.250+01:00"
    model = parse(json.dumps(data).encode(), "mem.json").model
    written = json.loads(dumps(model, "json"))
    assert written["assessment-results"]["metadata"]["last-modified"] == "2026-03-01T23:30:00-05:00"
    assert written["assessment-results"]["results"][0]["end"] == "2026-03-01T12:00:00.250+01:00"
    # compliance-trestle's own serialization moves the first to 2 March in UTC.
    trestle = json.loads(model.oscal_serialize_json())
    assert trestle["assessment-results"]["metadata"]["last-modified"].startswith("2026-03-02")


def test_the_nist_offsets_survive_a_round_trip() -> None:
    text = dumps(load(AR).model, "json").decode()
    assert '"last-modified": "2024-02-01T13:57:28.355446-04:00"' in text
    assert '"end": "2023-06-02T08:46:51-04:00"' in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-02T03:04:05+00:00", "2026-01-02T03:04:05Z"),
        ("2026-01-02T03:04:05.000000-04:00", "2026-01-02T03:04:05-04:00"),
        ("2026-01-02T03:04:05.120+05:30", "2026-01-02T03:04:05.120+05:30"),
        ("2026-01-02T03:04:05.123456Z", "2026-01-02T03:04:05.123456Z"),
    ],
)
def test_format_datetime(value: str, expected: str) -> None:
    import datetime as dt

    assert format_datetime(dt.datetime.fromisoformat(value)) == expected


def test_write_chooses_format_by_suffix(tmp_path: Path) -> None:
    model = load(AR).model
    assert write(model, tmp_path / "a.json").read_bytes().startswith(b'{\n  "assessment-results"')
    assert write(model, tmp_path / "a.yml").read_text().startswith("assessment-results:\n")
    with pytest.raises(WriteError, match="cannot tell the format"):
        write(model, tmp_path / "a.txt")


def test_failed_rename_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"previous")

    def refuse(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError, match="No space left on device"):
        atomic_write_bytes(target, b"new content")
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_missing_folder_is_a_write_error(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="does not exist"):
        atomic_write_bytes(tmp_path / "nope" / "out.json", b"x")


def test_new_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "fresh.json"
    atomic_write_bytes(target, b"{}")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
