"""Loading every model from JSON and YAML, and the errors a person gets for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oscal_poam.errors import LoadError
from oscal_poam.io.files import unreadable
from oscal_poam.io.load import NotOscalError, load, parse
from oscal_poam.io.write import write
from tests.conftest import OSCAL_CONTENT

FOLDER_KIND = {
    "ap": "assessment-plan",
    "ar": "assessment-results",
    "ssp": "system-security-plan",
    "catalog": "catalog",
}

NIST_DOCS = sorted(p for fmt in ("json", "yaml") for p in OSCAL_CONTENT.glob(f"*/{fmt}/*.*"))


def test_the_nist_examples_are_there() -> None:
    assert len(NIST_DOCS) >= 20


@pytest.mark.parametrize("path", NIST_DOCS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_nist_example_loads_as_its_model(path: Path) -> None:
    doc = load(path)
    assert doc.kind.root_key == FOLDER_KIND[path.parent.parent.name]
    assert doc.format == path.suffix.lstrip(".")
    assert doc.source == str(path)


@pytest.mark.parametrize("path", NIST_DOCS, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_load_write_load_gives_an_equal_model(path: Path, suffix: str, tmp_path: Path) -> None:
    first = load(path)
    out = write(first.model, tmp_path / f"copy{suffix}")
    second = load(out)
    assert second.kind == first.kind
    assert second.model == first.model


def test_json_and_yaml_renderings_of_one_document_are_equal_models() -> None:
    for json_path in sorted(OSCAL_CONTENT.glob("*/json/*.json")):
        yaml_path = json_path.parent.parent / "yaml" / (json_path.stem + ".yaml")
        if yaml_path.exists():
            assert load(json_path).model == load(yaml_path).model, json_path.name


def test_expect_accepts_short_and_root_names() -> None:
    path = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"
    assert load(path, expect="ar").kind.root_key == "assessment-results"
    assert load(path, expect=["poam", "assessment-results"]).kind.short == "ar"


def _problem(exc: pytest.ExceptionInfo[LoadError]) -> str:
    assert len(exc.value.problems) >= 1
    return str(exc.value.problems[0])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as exc:
        load(tmp_path / "absent.json")
    assert _problem(exc) == f"{tmp_path / 'absent.json'}: file not found"


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="is a directory"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (FileNotFoundError(2, "No such file or directory"), "file not found"),
        (PermissionError(13, "Permission denied"), "permission denied"),
        (IsADirectoryError(21, "Is a directory"), "is a directory, not a file"),
        (OSError(5, "Input/output error"), "cannot read file: Input/output error"),
    ],
)
def test_a_file_the_system_will_not_read_is_one_problem_naming_it(exc: OSError, message: str) -> None:
    assert [str(p) for p in unreadable(exc, "poam.json").problems] == [f"poam.json: {message}"]


@pytest.mark.parametrize("content", [b"", b"   \n\t\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(content)
    with pytest.raises(LoadError) as exc:
        load(path)
    assert _problem(exc) == f"{path}:1: file is empty"


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "catalog": {\n    "uuid": "x",,\n  }\n}\n')
    with pytest.raises(LoadError) as exc:
        load(path)
    problem = exc.value.problems[0]
    assert (problem.file, problem.line, problem.column) == (str(path), 3, 17)
    assert problem.message.startswith("invalid JSON:")


def test_invalid_yaml_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("catalog:\n  uuid: [unclosed\n  metadata: {}\n")
    with pytest.raises(LoadError) as exc:
        load(path)
    problem = exc.value.problems[0]
    assert problem.file == str(path)
    assert problem.line is not None and problem.line >= 2
    assert problem.message.startswith("invalid YAML:")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"catalog": {"uuid": "caf\xe9"}}')
    with pytest.raises(LoadError, match=r"not UTF-8 text \(byte 25\)"):
        load(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[1, 2]", "the top level is list"),
        (b'{"name": "x", "version": "1"}', "found 'name', 'version'"),
        (b"just a sentence\n", "the top level is str"),
    ],
)
def test_not_oscal(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "other.json"
    path.write_bytes(content)
    with pytest.raises(NotOscalError) as exc:
        load(path)
    assert message in _problem(exc)
    assert exc.value.problems[0].pointer == ""


def test_wrong_model(tmp_path: Path) -> None:
    path = OSCAL_CONTENT / "ssp" / "json" / "ssp-example.json"
    with pytest.raises(LoadError) as exc:
        load(path, expect="assessment-results")
    assert _problem(exc) == f"{path}:1:1#/: expected assessment results, but this is a system security plan"


def test_schema_invalid_document_names_every_place_in_oscal_terms(tmp_path: Path) -> None:
    source = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"
    data = json.loads(source.read_text())
    results = data["assessment-results"]["results"][0]
    del results["findings"][0]["target"]
    results["observations"][1]["collected"] = "yesterday"
    data["assessment-results"]["metadata"]["parties"][0]["uuid"] = "not-a-uuid"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(LoadError) as exc:
        load(path)
    pointers = {p.pointer for p in exc.value.problems}
    assert "/assessment-results/results/0/findings/0/target" in pointers
    assert "/assessment-results/results/0/observations/1/collected" in pointers
    assert "/assessment-results/metadata/parties/0/uuid" in pointers
    by_pointer = {p.pointer: p.message for p in exc.value.problems}
    assert by_pointer["/assessment-results/results/0/findings/0/target"] == "required field 'target' is missing"
    assert "is not a date-time with a time zone" in by_pointer["/assessment-results/results/0/observations/1/collected"]
    assert all(p.file == str(path) for p in exc.value.problems)


def test_unknown_field_is_named(tmp_path: Path) -> None:
    source = OSCAL_CONTENT / "catalog" / "json" / "basic-catalog-min.json"
    data = json.loads(source.read_text())
    data["catalog"]["metadata"]["colour"] = "blue"
    with pytest.raises(LoadError) as exc:
        parse(json.dumps(data).encode(), "mem.json")
    problem = exc.value.problems[0]
    assert (
        str(problem)
        == f"mem.json:1:{problem.column}#/catalog/metadata/colour: 'colour' is not a field OSCAL allows here"
    )
    assert problem.column is not None and json.dumps(data)[problem.column - 1 :].startswith('"colour"')


def test_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"{" + b" " * 2048 + b"}")
    with pytest.raises(LoadError, match="over the limit of 1,024 bytes"):
        load(path, max_bytes=1024)


def test_deeply_nested_json_is_an_error_not_a_crash() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(LoadError, match="nested too deeply"):
        parse(deep, "deep.json")


def test_yaml_keeps_dates_as_text_so_offsets_survive(tmp_path: Path) -> None:
    source = OSCAL_CONTENT / "ssp" / "yaml" / "ssp-example.yaml"
    doc = load(source)
    modified = doc.model.metadata.last_modified  # type: ignore[attr-defined]
    assert modified.utcoffset() is not None
    assert modified.isoformat() == "2024-02-01T13:57:28.355446-04:00"
