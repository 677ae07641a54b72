"""Damaged JSON and YAML: the loader returns a valid model or a LoadError naming file and place, nothing else.

Seeds are NIST's example documents and the POA&M and assessment plan of our own examples. `validate`, which
reads the same files without raising, must turn every damage into located diagnostics, never into its
"internal error" diagnostic.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from oscal_poam.errors import LoadError
from oscal_poam.io.load import parse
from oscal_poam.validate.one_file import INTERNAL, validate_bytes
from tests.conftest import OSCAL_CONTENT, ROOT
from tests.robustness.mutations import (
    assert_located,
    damaged_bytes,
    encode,
    examples,
    model_or_located_error,
    mutated_data,
    plain,
    to_json,
)

JSON_SEEDS = (
    OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json",
    OSCAL_CONTENT / "ap" / "json" / "ifa_assessment-plan-example.json",
    OSCAL_CONTENT / "ssp" / "json" / "oscal_leveraged-example_ssp-min.json",
    OSCAL_CONTENT / "catalog" / "json" / "basic-catalog-min.json",
    ROOT / "examples" / "l3-conditional" / "poam.json",
    ROOT / "examples" / "l3-conditional" / "assessment-plan.json",
)
YAML_SEEDS = (
    OSCAL_CONTENT / "ar" / "yaml" / "ifa_assessment-results-example.yaml",
    OSCAL_CONTENT / "ap" / "yaml" / "ifa_assessment-plan-example.yaml",
    OSCAL_CONTENT / "ssp" / "yaml" / "oscal_leveraged-example_ssp.yaml",
)
SEED_NAMES = tuple(p.name for p in JSON_SEEDS)


@cache
def _bytes(name: str) -> bytes:
    path = next(p for p in (*JSON_SEEDS, *YAML_SEEDS) if p.name == name)
    return path.read_bytes()


@cache
def _data(name: str) -> Any:
    return yaml.load(_bytes(name), Loader=yaml.CSafeLoader)  # JSON is YAML; dates stay text in JSON


def test_seeds_load() -> None:
    """Undamaged, every seed is a valid document: the damage, not the seed, is what the tests below vary."""
    for path in (*JSON_SEEDS, *YAML_SEEDS):
        doc = model_or_located_error(lambda p=path: parse(p.read_bytes(), p.name), path.name)  # type: ignore[misc]
        assert doc is not None, path


@examples(200)
@given(st.data(), st.sampled_from(SEED_NAMES), st.booleans())
def test_json_with_damaged_fields(data: st.DataObject, name: str, ascii_only: bool) -> None:
    damaged = data.draw(mutated_data(_data(name)))
    raw = encode(to_json(damaged, ascii_only=ascii_only))
    model_or_located_error(lambda: parse(raw, name), name)


@examples(100)
@given(st.data(), st.sampled_from(SEED_NAMES))
def test_yaml_with_damaged_fields(data: st.DataObject, name: str) -> None:
    damaged = data.draw(mutated_data(_data(name), surrogates=False))
    raw = yaml.safe_dump(plain(damaged), allow_unicode=True, sort_keys=False).encode("utf-8")
    source = name.replace(".json", ".yaml")
    model_or_located_error(lambda: parse(raw, source), source)


@examples(200)
@given(st.data(), st.sampled_from(SEED_NAMES + tuple(p.name for p in YAML_SEEDS)))
def test_damaged_bytes(data: st.DataObject, name: str) -> None:
    raw = data.draw(damaged_bytes(_bytes(name)))
    model_or_located_error(lambda: parse(raw, name), name)


@examples(60)
@given(st.data(), st.sampled_from(SEED_NAMES), st.booleans())
def test_validate_turns_damage_into_located_diagnostics(data: st.DataObject, name: str, fields: bool) -> None:
    damaged = mutated_data(_data(name)).map(lambda d: encode(to_json(d))) if fields else damaged_bytes(_bytes(name))
    raw = data.draw(damaged)
    found = validate_bytes(raw, name)
    assert found.path == name
    for diagnostic in found.diagnostics:
        assert diagnostic.rule_id != INTERNAL.id, diagnostic.message
        assert diagnostic.document, diagnostic  # every diagnostic names the document it is about


# Cases the fuzzing found, kept as regular tests.


def _ar() -> dict[str, Any]:
    return json.loads(_bytes("ifa_assessment-results-example.json"))  # type: ignore[no-any-return]


def test_bad_oscal_version_is_located_with_the_other_problems() -> None:
    """compliance-trestle raises a bare TrestleError for a bad oscal-version, without place or other problems."""
    data = _ar()
    data["assessment-results"]["metadata"]["oscal-version"] = 5
    data["assessment-results"]["metadata"]["title"] = []
    with pytest.raises(LoadError) as caught:
        parse(json.dumps(data).encode(), "ar.json")
    assert_located(caught.value, "ar.json")
    assert {p.pointer for p in caught.value.problems} == {
        "/assessment-results/metadata/oscal-version",
        "/assessment-results/metadata/title",
    }


def test_missing_oscal_version_is_a_load_error() -> None:
    data = _ar()
    del data["assessment-results"]["metadata"]["oscal-version"]
    with pytest.raises(LoadError) as caught:
        parse(json.dumps(data).encode(), "ar.json")
    assert [p.pointer for p in caught.value.problems] == ["/assessment-results/metadata/oscal-version"]


@pytest.mark.parametrize("raw", [b"", b"\n\n  \n"])
def test_empty_file_is_located(raw: bytes) -> None:
    with pytest.raises(LoadError) as caught:
        parse(raw, "empty.json")
    assert_located(caught.value, "empty.json")


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (b"\x00\n{}", 1, 1),
        (b"a: b\nc: \x07", 2, 4),
        ("title: é\nx: éé\x1b".encode(), 2, 6),  # columns count characters, not UTF-8 bytes
    ],
)
def test_yaml_control_character_is_located(raw: bytes, line: int, column: int) -> None:
    with pytest.raises(LoadError) as caught:
        parse(raw, "doc.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (line, column)
    assert "is not allowed" in problem.message


def test_lone_surrogate_is_refused_where_it_stands() -> None:
    """A \\ud800 escape in free text (remarks) passed validation, then the writer failed on it."""
    data = _ar()
    data["assessment-results"]["results"][0]["observations"][0]["remarks"] = "\ud800 analyzed"
    raw = json.dumps(data).encode()  # ensure_ascii: the surrogate travels as an escape
    with pytest.raises(LoadError) as caught:
        parse(raw, "ar.json")
    assert [p.pointer for p in caught.value.problems] == ["/assessment-results/results/0/observations/0/remarks"]


def test_surrogate_pairs_are_text() -> None:
    data = _ar()
    data["assessment-results"]["results"][0]["observations"][0]["remarks"] = "Reviewed \U0001f600"
    doc = parse(json.dumps(data).encode(), "ar.json")  # written as the pair \ud83d\ude00
    assert doc.model.results[0].observations[0].remarks == "Reviewed \U0001f600"  # type: ignore[attr-defined]
