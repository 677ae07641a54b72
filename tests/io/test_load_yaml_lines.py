"""YAML documents carry the source line of every mapping entry and sequence item."""

from __future__ import annotations

from pathlib import Path

import pytest

from oscal_poam.io import positions
from oscal_poam.io.load import decode, load
from oscal_poam.io.positions import YamlLines, yaml_positions
from tests.conftest import OSCAL_CONTENT

AR_YAML = OSCAL_CONTENT / "ar" / "yaml" / "ifa_assessment-results-example.yaml"


def _line_containing(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_yaml_pointers_map_to_the_line_of_their_key_or_item() -> None:
    doc = load(AR_YAML)
    text = AR_YAML.read_text(encoding="utf-8")
    related = "/assessment-results/results/0/findings/0/related-observations/0"
    assert doc.line_of(related) == _line_containing(text, "- observation-uuid: 8807eb6e")
    assert doc.line_of(related + "/observation-uuid") == doc.line_of(related)
    assert doc.line_of("/assessment-results/metadata/parties/1") == _line_containing(
        text, "- uuid: 3a675986-b4ff-4030-b178-e953c2e55d64"
    )


def test_a_pointer_below_a_scalar_falls_back_to_the_nearest_located_ancestor() -> None:
    doc = load(AR_YAML)
    parent = "/assessment-results/metadata/title"
    assert doc.line_of(parent + "/not-there") == doc.line_of(parent)


def test_keys_are_escaped_as_json_pointer_tokens() -> None:
    fmt, raw, lines = decode(b"a/b:\n  c~d:\n    - 1\n    - 2\n", "<input>")
    assert fmt == "yaml"
    assert raw == {"a/b": {"c~d": [1, 2]}}
    assert lines["/a~1b"] == 1
    assert lines["/a~1b/c~0d"] == 2
    assert lines["/a~1b/c~0d/1"] == 4


def test_json_documents_have_no_line_map() -> None:
    _, _, lines = decode(b'{"catalog": {}}', "<input>")
    assert lines == {}


def test_dates_stay_text_when_lines_are_recorded() -> None:
    _, raw, _ = decode(b"when: 2024-01-02T03:04:05-04:00\n", "<input>")
    assert raw == {"when": "2024-01-02T03:04:05-04:00"}


PLACES = sorted(OSCAL_CONTENT.glob("*/yaml/*.yaml"))


@pytest.mark.parametrize("path", PLACES, ids=lambda p: p.name)
def test_the_reader_keeps_each_place_where_composing_again_finds_it(path: Path) -> None:
    data = path.read_bytes()
    _, _, lines = decode(data, str(path))
    assert isinstance(lines, YamlLines)
    kept = {pointer: (line, lines.columns[pointer]) for pointer, line in lines.items()}
    assert kept == yaml_positions(data.decode("utf-8-sig"))


@pytest.mark.parametrize(
    "text",
    ["a: {b: [1, {c: d}], e: f}\n", "- x\n-   y: 1\n    z: [2, 3]\n", "a: &x [1]\nb: *x\n", "1: one\n'1': two\n"],
)
def test_diagnostics_are_placed_as_by_composing_again(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = text.encode()
    _, _, lines = decode(data, "<input>")
    wanted = [*lines, "/a/b/1/c/below", "/missing", "/0/y/0"]
    composed = positions.places("yaml", data, dict(lines), wanted)  # lines without columns: composed again
    assert composed

    def refused(text: str) -> None:
        raise AssertionError("composed again")

    monkeypatch.setattr(positions, "yaml_positions", refused)
    assert positions.places("yaml", data, lines, wanted) == composed
