"""Readers change nothing silently and stay bounded: duplicate keys, numbers and dates out of range, YAML alias
expansion by bytes, many attributes on one XML element, XML in UTF-16 and UTF-32, characters XML cannot carry.

Each attack ends in a located LoadError (exit code 3 on the command line) or, for what can be read faithfully,
in the same document as its plain UTF-8 twin; never in a crash, a hang, or a value replaced.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.errors import LoadError, WriteError
from oscal_poam.io.load import load, parse
from oscal_poam.io.write import dumps
from tests.conftest import OSCAL_CONTENT, ROOT
from tests.robustness.many_runs import run_many

CATALOG = OSCAL_CONTENT / "catalog" / "json" / "basic-catalog.json"
CATALOG_XML = OSCAL_CONTENT / "catalog" / "xml" / "basic-catalog.xml"
EXAMPLE = ROOT / "examples" / "l2-conditional"


def _refused(data: bytes, name: str = "doc.json") -> LoadError:
    with pytest.raises(LoadError) as caught:
        parse(data, name)
    for problem in caught.value.problems:
        assert problem.file == name
        assert problem.line is not None or problem.pointer is not None, problem
    return caught.value


# -- duplicate keys -----------------------------------------------------------------------------------------

DUPLICATE_JSON = {
    "top level": ('{"catalog": {"uuid": "x"}, "catalog": {}}', 1, "'catalog'"),
    "nested": ('{"catalog": {\n  "metadata": {\n    "title": "a",\n    "title": "b"\n  }\n}}', 4, "'title'"),
    "escaped spelling": ('{"catalog": {"uuid": "1", "\\u0075uid": "2"}}', 1, "'uuid'"),
    "large value lost": ('{"catalog": {"remarks": "' + "r" * 2_000_000 + '",\n "remarks": ""}}', 2, "'remarks'"),
}


@pytest.mark.parametrize("name", DUPLICATE_JSON)
def test_a_key_twice_in_json_is_an_error_naming_both_places(name: str) -> None:
    text, line, key = DUPLICATE_JSON[name]
    (problem,) = _refused(text.encode()).problems
    assert problem.line == line
    assert f"the key {key} appears twice in one object (first at line" in problem.message


DUPLICATE_YAML = {
    "top level": ("catalog: {}\ncatalog: {}\n", 2),
    "nested": ("catalog:\n  metadata:\n    title: a\n    title: b\n", 4),
    "quoted and plain": ("catalog:\n  uuid: x\n  'uuid': y\n", 3),
}


@pytest.mark.parametrize("name", DUPLICATE_YAML)
def test_a_key_twice_in_yaml_is_an_error_naming_both_places(name: str) -> None:
    text, line = DUPLICATE_YAML[name]
    (problem,) = _refused(text.encode(), "doc.yaml").problems
    assert problem.line == line
    assert "appears twice in one mapping (first at line" in problem.message


def test_yaml_merge_keys_are_not_duplicates() -> None:
    text = "base: &b {title: t}\ncatalog:\n  <<: *b\n  uuid: x\n"
    with pytest.raises(LoadError) as caught:  # not an OSCAL document, but read without a duplicate
        parse(text.encode(), "doc.yaml")
    assert "twice" not in str(caught.value)


# -- numbers out of range -----------------------------------------------------------------------------------

NUMBERS = {
    "json 5,001 digits": (b'{"catalog": {"metadata": {"title": ' + b"9" * 5001 + b"}}}", "doc.json"),
    "json 30 digits": (b'{"catalog": {"x": 123456789012345678901234567890}}', "doc.json"),
    "json 1e999": (b'{"catalog": {"x": 1e999}}', "doc.json"),
    "json NaN": (b'{"catalog": {"x": NaN}}', "doc.json"),
    "json Infinity": (b'{"catalog": {"x": -Infinity}}', "doc.json"),
    "yaml 5,001 digits": (b"catalog:\n  metadata:\n    title: " + b"9" * 5001 + b"\n", "doc.yaml"),
    "yaml .inf": (b"catalog:\n  x: .inf\n", "doc.yaml"),
    "yaml 1e999": (b"catalog:\n  x: 1.0e+999\n", "doc.yaml"),
    "xml 5,001 digits": (b"", "doc.xml"),
    "xml 1e999": (b"", "doc.xml"),
}


def _xml_with_port(value: str) -> bytes:
    """NIST's example SSP as XML, with a port range whose start (an integer flag) is `value`."""
    data = json.loads((OSCAL_CONTENT / "ssp" / "json" / "ssp-example.json").read_bytes())
    component = data["system-security-plan"]["system-implementation"]["components"][0]
    port = {"start": 443, "end": 443, "transport": "TCP"}
    component["protocols"] = [{"uuid": "11111111-2222-4333-8444-555555555555", "name": "https", "port-ranges": [port]}]
    text = dumps(parse(json.dumps(data).encode(), "ssp.json").model, "xml").decode()
    assert 'start="443"' in text
    return text.replace('start="443"', f'start="{value}"', 1).encode()


@pytest.mark.parametrize("name", NUMBERS)
def test_a_number_out_of_range_is_a_located_error(name: str) -> None:
    data, source = NUMBERS[name]
    if name == "xml 5,001 digits":
        data = _xml_with_port("9" * 5001)
    elif name == "xml 1e999":
        data = _xml_with_port("1e999")
    error = _refused(data, source)
    message = str(error)
    assert "out of range" in message or "is not a JSON number" in message or "is not an integer" in message
    assert "9" * 100 not in message  # the number is named, not copied


def test_numbers_within_64_bits_are_read_as_written() -> None:
    data = json.loads(CATALOG.read_bytes())
    data["catalog"]["metadata"]["props"] = [{"name": "n", "value": "1"}]
    doc = parse(json.dumps(data).encode(), "ok.json")
    assert doc.model is not None


# -- YAML alias expansion by bytes --------------------------------------------------------------------------


def _aliases(count: int, size: int) -> bytes:
    lines = [f"base: &s '{'x' * size}'", "catalog:", "  remarks:"]
    lines += ["    - *s"] * count
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(("count", "size"), [(200, 500_000), (5_000, 100_000), (20, 200_000)])
def test_aliases_of_one_large_string_are_refused_by_bytes(count: int, size: int) -> None:
    """Few nodes, many bytes: the expansion is measured in bytes before anything is built."""
    (problem,) = _refused(_aliases(count, size), "bomb.yaml").problems
    assert "expand the document to about" in problem.message
    assert problem.line == 1  # the anchor: every alias of it is that same node


def test_a_few_aliases_of_a_small_anchor_are_fine() -> None:
    with pytest.raises(LoadError) as caught:  # read without refusal; not OSCAL
        parse(_aliases(50, 100), "fine.yaml")
    assert "expand" not in str(caught.value)


def test_convert_writes_nothing_for_an_alias_bomb(tmp_path: Path) -> None:
    source = tmp_path / "bomb.yaml"
    source.write_bytes(_aliases(200, 500_000))
    (outcome,) = run_many([["convert", str(source), str(tmp_path / "out.json")]], memory=1024**3)
    assert outcome.code == 3, outcome.stderr
    assert "expand the document to about" in outcome.stderr
    assert not (tmp_path / "out.json").exists()


# -- XML: many attributes, wide encodings, characters XML cannot carry -------------------------------------


@pytest.mark.parametrize("prefix", ["a", "xsi:a"])
def test_many_attributes_on_one_element_are_read_in_linear_time(prefix: str, tmp_path: Path) -> None:
    """200,000 attributes (2.3 MB) took minutes when each value was looked up by name; now well under the timeout."""
    attrs = " ".join(f'{prefix}{i}="x"' for i in range(200_000))
    namespace = ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' if prefix.startswith("xsi") else ""
    path = tmp_path / "attrs.xml"
    path.write_text(f'<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0"{namespace} {attrs}><metadata/></catalog>')
    (outcome,) = run_many([["info", str(path)]], timeout=60)
    assert outcome.code == 3, outcome.stderr
    assert "Traceback" not in outcome.stderr


WIDE = {
    "utf-16 with a byte-order mark": ("utf-16", True),
    "utf-16-le declared": ("utf-16-le", False),
    "utf-16-be declared": ("utf-16-be", False),
    "utf-32 with a byte-order mark": ("utf-32", True),
    "utf-32-le declared": ("utf-32-le", False),
    "utf-32-be declared": ("utf-32-be", False),
}


@pytest.mark.parametrize("name", WIDE)
def test_xml_in_utf16_and_utf32_reads_as_its_utf8_twin(name: str) -> None:
    codec, _ = WIDE[name]
    text = CATALOG_XML.read_text(encoding="utf-8")
    declared = 'encoding="UTF-16"' if "16" in codec else 'encoding="UTF-32"'
    text = text.replace('encoding="UTF-8"', declared) if 'encoding="UTF-8"' in text else text
    wide = parse(text.encode(codec), "wide.xml")
    assert wide.model == load(CATALOG_XML).model
    assert wide.format == "xml"
    assert wide.lines["/catalog/metadata"] == load(CATALOG_XML).lines["/catalog/metadata"]


def test_json_in_utf16_is_refused_naming_the_encoding() -> None:
    (problem,) = _refused(CATALOG.read_text(encoding="utf-8").encode("utf-16"), "wide.json").problems
    assert problem.message == "the file is UTF-16 (little-endian) text; JSON and YAML are read as UTF-8 only"


def test_utf16_that_does_not_decode_is_refused_naming_the_encoding() -> None:
    data = "<catalog/>".encode("utf-16-le") + b"\x00\xd8"  # a lone high surrogate
    (problem,) = _refused(data, "broken.xml").problems
    assert "not UTF-16 (little-endian) text" in problem.message


def test_a_doctype_in_utf32_is_refused_before_parsing() -> None:
    data = '<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE x [<!ENTITY e "e">]><catalog/>'.encode("utf-32")
    (problem,) = _refused(data, "dtd.xml").problems
    assert problem.message.startswith("refused: the document has a DOCTYPE")


NOT_IN_XML = ["\x00", "\x01", "\x1b", "\ufffe"]


def _with_prose(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CATALOG.read_bytes())
    data["catalog"]["groups"][0]["groups"][0]["controls"][0]["parts"][0]["prose"] = text
    return data


@pytest.mark.parametrize("char", NOT_IN_XML)
def test_characters_xml_cannot_carry_are_refused_on_output_never_replaced(char: str) -> None:
    doc = parse(json.dumps(_with_prose(f"before{char}after")).encode(), "ctl.json")
    again = json.loads(dumps(doc.model, "json"))
    assert again["catalog"]["groups"][0]["groups"][0]["controls"][0]["parts"][0]["prose"] == f"before{char}after"
    with pytest.raises(WriteError) as caught:
        dumps(doc.model, "xml")
    assert f"holds U+{ord(char):04X}, a character XML cannot carry" in str(caught.value)
    assert "/catalog/groups/0/groups/0/controls/0/parts/0/prose" in str(caught.value)


def test_convert_to_xml_writes_nothing_for_them(tmp_path: Path) -> None:
    commands = []
    for n, char in enumerate(NOT_IN_XML):
        (tmp_path / f"{n}.json").write_text(json.dumps(_with_prose(f"x{char}y")), encoding="utf-8")
        commands.append(["convert", str(tmp_path / f"{n}.json"), str(tmp_path / f"{n}.xml")])
    for outcome in run_many(commands):
        assert outcome.code == 5, outcome.stderr
        assert "a character XML cannot carry" in outcome.stderr
    assert not list(tmp_path.glob("*.xml"))


def test_a_character_reference_xml_cannot_carry_is_refused_on_the_way_in() -> None:
    text = CATALOG_XML.read_text(encoding="utf-8").replace("<title>", "<title>&#0;", 1)
    (problem,) = _refused(text.encode(), "nul.xml").problems
    assert problem.line is not None


# -- dates out of range, unreadable status dates ------------------------------------------------------------


def _poam_with_status_date(value: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLE / "poam-maintained.json").read_bytes())
    for prop in data["plan-of-action-and-milestones"]["metadata"]["props"]:
        if prop["name"] == "cmmc-status-date":
            prop["value"] = value
    return data


def _results_ending(value: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLE / "assessment-results.json").read_bytes())
    data["assessment-results"]["results"][-1]["end"] = value
    return data


PAST_2999 = "'9999-12-31T23:00:00Z' is not a date-time with a time zone between the years 1900 and 2999"


def test_dates_out_of_range_and_unreadable_status_dates(tmp_path: Path) -> None:
    """Year 9999 where days are counted from it, and 30 February, in every command that counts days."""
    files = {
        "poam-9999.json": _poam_with_status_date("9999-12-20"),
        "poam-feb30.json": _poam_with_status_date("2026-02-30"),
        "ar-9999.json": _results_ending("9999-12-31T23:00:00Z"),
    }
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    for name in ("ssp.json", "assessment-plan.json"):
        (tmp_path / name).write_bytes((EXAMPLE / name).read_bytes())
    cases = {
        # an unreadable status date is an error (exit 1), never a weaker verdict
        ("check", "poam-feb30.json", "--as-of", "2026-10-20"): (1, "cmmc-status-date is '2026-02-30', not a date"),
        ("check", "poam-9999.json"): (1, "cmmc-status-date is '9999-12-20', not a date"),
        ("validate", "poam-feb30.json", "--as-of", "2026-10-20"): (1, "cmmc-status-date is '2026-02-30'"),
        ("report", "--poam", "poam-9999.json", "-o", "r.html"): (0, "Wrote r.html"),
        # a date-time past the year 2999, which NIST's schema refuses (its pattern: years 1900 to 2999): the
        # document is not loaded, and the place is said, exit 3; validate reports it
        ("score", "ar-9999.json"): (3, f"error end: {PAST_2999}"),
        ("closeout", "--poam", "poam-maintained.json", "--results", "ar-9999.json"): (3, PAST_2999),
        ("check", "poam.json", "--results", "ar-9999.json"): (3, PAST_2999),
        ("derive", "--ssp", "ssp.json", "--results", "ar-9999.json", "-o", "p.json"): (3, PAST_2999),
        ("validate", "ar-9999.json"): (1, f"error validate-model end: {PAST_2999}"),
        # --as-of past the calendar's end: a usage error
        ("check", "poam-9999.json", "--as-of", "9999-12-31"): (2, "out of range"),
        ("score", "ar-9999.json", "--as-of", "9999-06-01"): (2, "out of range"),
    }
    for name in ("poam.json", "poam-maintained.json"):
        (tmp_path / name).write_bytes((EXAMPLE / name).read_bytes())
    outcomes = run_many([list(args) for args in cases], cwd=tmp_path)
    for (args, (code, said)), outcome in zip(cases.items(), outcomes, strict=True):
        assert outcome.code == code, (args, outcome.stdout[-2000:], outcome.stderr)
        assert said in " ".join((outcome.stdout + outcome.stderr).split()), (args, outcome.stdout, outcome.stderr)
        assert "internal error" not in outcome.stdout + outcome.stderr, args
        if args[:2] in (("score", "ar-9999.json"), ("validate", "ar-9999.json")) and code != 2:
            # located as every diagnostic is: path:line:column, the pointer after the message
            shown = outcome.stdout + outcome.stderr
            assert re.search(r"ar-9999\.json:\d+:\d+: error .* #/assessment-results/results/0/end", shown), args


# -- many problems ------------------------------------------------------------------------------------------


def test_many_unknown_keys_report_a_bounded_number_of_lines(tmp_path: Path) -> None:
    data = json.loads(CATALOG.read_bytes())
    for i in range(5_000):
        data["catalog"]["metadata"][f"x{i}"] = i
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    info, validated = run_many([["info", str(path)], ["validate", str(path)]])
    assert info.code == 3
    assert len(info.stderr.splitlines()) == 101
    assert info.stderr.splitlines()[-1] == "… and 4,900 more problems (OSCAL_POAM_MAX_PROBLEMS=100)"
    assert validated.code == 1
    lines = validated.stdout.splitlines()
    assert len(lines) == 102
    assert sum("… and 4,900 more diagnostics in this file" in line for line in lines) == 1


def test_lines_of_many_diagnostics_in_a_large_xml_document_are_found_in_one_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding an element walks its siblings: thousands of diagnostics in a document of thousands of items took
    time quadratic in its size (3,000 items: 95 s) until the lines are mapped in one walk after a few lookups."""
    from oscal_poam.io.xml import reader
    from oscal_poam.validate.one_file import validate_file

    data = json.loads((EXAMPLE / "poam.json").read_bytes())
    items = data["plan-of-action-and-milestones"]["poam-items"]
    for n in range(300):
        item = json.loads(json.dumps(items[n % 4]))
        item["uuid"] = f"00000000-0000-4000-8000-{n:012d}"
        for key in ("related-findings", "related-observations", "related-risks"):
            item.pop(key, None)
        items.append(item)
    path = tmp_path / "big.xml"
    path.write_bytes(dumps(parse(json.dumps(data).encode(), "big.json").model, "xml"))
    walks: list[str] = []
    element = reader.XmlLines._element

    def counted(self: reader.XmlLines, pointer: str) -> Any:
        walks.append(pointer)
        return element(self, pointer)

    monkeypatch.setattr(reader.XmlLines, "_element", counted)
    found = validate_file(path)
    assert len(found.diagnostics) > 100
    assert all(d.line is not None for d in found.diagnostics if d.pointer)
    assert len(walks) <= 40


def test_text_over_libxml2s_10_mb_is_written_and_read_as_xml(tmp_path: Path) -> None:
    """An 11 MB value (an attachment in back-matter, say) round-trips; depth stays bounded (the other tests)."""
    data = json.loads((EXAMPLE / "ssp.json").read_bytes())
    data["system-security-plan"]["metadata"]["remarks"] = "x" * 11_000_000
    doc = parse(json.dumps(data).encode(), "big.json")
    again = parse(dumps(doc.model, "xml"), "big.xml")
    assert again.model == doc.model
