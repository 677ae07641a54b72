"""YAML documents carry the source line of every mapping entry and sequence item."""

from __future__ import annotations

from oscal_poam.io.load import decode, load
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
