"""Reading OSCAL XML: structure errors are located, nothing is dropped silently, lines are known."""

from __future__ import annotations

import pytest

from oscal_poam.errors import LoadError
from oscal_poam.io.load import NotOscalError, load, parse
from oscal_poam.io.write import to_data
from oscal_poam.io.xml import read_xml
from oscal_poam.io.xml.equivalence import differences
from tests.conftest import OSCAL_CONTENT

LIMIT = 1 << 20
NS = "http://csrc.nist.gov/ns/oscal/1.0"
AR_XML = OSCAL_CONTENT / "ar" / "xml" / "ifa_assessment-results-example.xml"
CATALOG_XML = OSCAL_CONTENT / "catalog" / "xml" / "basic-catalog.xml"


def catalog(body: str, root_attributes: str = 'uuid="74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724"') -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<catalog xmlns="{NS}" {root_attributes}>\n'
        "  <metadata>\n"
        "    <title>T</title>\n"
        "    <last-modified>2026-01-01T00:00:00Z</last-modified>\n"
        "    <version>1</version>\n"
        "    <oscal-version>1.2.1</oscal-version>\n"
        "  </metadata>\n"
        f"{body}</catalog>\n"
    ).encode()


def problem_of(data: bytes) -> tuple[str, str | None, int | None]:
    with pytest.raises(LoadError) as caught:
        read_xml(data, "doc.xml", LIMIT)
    problem = caught.value.problems[0]
    assert problem.file == "doc.xml"
    return problem.message, problem.pointer, problem.line


def test_a_minimal_catalog_reads_into_json_data() -> None:
    data, lines = read_xml(catalog('  <group id="g1"><title>G</title></group>\n'), "doc.xml", LIMIT)
    assert data == {
        "catalog": {
            "uuid": "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724",
            "metadata": {
                "title": "T",
                "last-modified": "2026-01-01T00:00:00Z",
                "version": "1",
                "oscal-version": "1.2.1",
            },
            "groups": [{"id": "g1", "title": "G"}],
        }
    }
    assert lines["/catalog/groups/0"] == 9
    assert lines["/catalog/metadata/version"] == 6


def test_an_unknown_element_is_an_error_with_its_line_and_place() -> None:
    message, pointer, line = problem_of(catalog('  <group id="g1"><title>G</title><colour/></group>\n'))
    assert message == "<colour> is not allowed in <group>"
    assert (pointer, line) == ("/catalog/groups/0", 9)


def test_an_element_from_another_namespace_is_an_error() -> None:
    message, _, _ = problem_of(catalog('  <x:note xmlns:x="urn:other"/>\n'))
    assert message == "<note> in namespace urn:other is not allowed in <catalog>"


def test_an_unknown_attribute_is_an_error() -> None:
    message, pointer, line = problem_of(catalog('  <group id="g1" colour="red"><title>G</title></group>\n'))
    assert message == "<group> has no attribute 'colour' in OSCAL"
    assert (pointer, line) == ("/catalog/groups/0", 9)


def test_an_attribute_on_a_field_without_flags_is_an_error() -> None:
    message, pointer, _ = problem_of(catalog('  <group id="g1"><title lang="en">G</title></group>\n'))
    assert message == "<title> has no attribute 'lang' in OSCAL"
    assert pointer == "/catalog/groups/0/title"


def test_text_where_only_elements_belong_is_an_error() -> None:
    message, pointer, _ = problem_of(catalog('  <group id="g1">stray<title>G</title></group>\n'))
    assert message == "<group> cannot contain text"
    assert pointer == "/catalog/groups/0"


def test_a_repeated_single_element_is_an_error() -> None:
    message, _, line = problem_of(catalog('  <group id="g1"><title>G</title><title>H</title></group>\n'))
    assert message == "<title> appears more than once in <group>"
    assert line == 9


def test_elements_inside_a_plain_value_are_an_error() -> None:
    data = catalog(
        "  <back-matter><resource uuid='0a6c7a3e-7b2f-4c1e-9d5a-1f2e3d4c5b6a'>"
        "<citation><text>x</text></citation><rlink href='h'><hash algorithm='SHA-256'>ab<b/>"
        "</hash></rlink></resource></back-matter>\n"
    )
    message, pointer, _ = problem_of(data)
    assert message == "<hash> holds a value, not elements such as <b>"
    assert pointer == "/catalog/back-matter/resources/0/rlinks/0/hashes/0"


def test_an_integer_flag_that_is_not_a_number_is_an_error() -> None:
    plan = (
        f'<assessment-plan xmlns="{NS}" uuid="60077e84-e62f-4375-8c6c-b0e0d4560c5f"><metadata><title>t</title>'
        "<last-modified>2026-01-01T00:00:00Z</last-modified><version>1</version><oscal-version>1.2.1</oscal-version>"
        "</metadata><import-ssp href='#x'/><reviewed-controls><control-selection><include-all/></control-selection>"
        "</reviewed-controls><task uuid='1c5ee3a3-e7ab-4c6d-9cbd-b9c1a1d4f3a0' type='action'><title>t</title>"
        "<timing><at-frequency period='often' unit='day'/></timing></task></assessment-plan>"
    ).encode()
    message, pointer, _ = problem_of(plan)
    assert message == "attribute 'period': 'often' is not an integer"
    assert pointer == "/assessment-plan/tasks/0/timing/at-frequency"


def test_integer_and_boolean_values_become_json_numbers_and_booleans() -> None:
    plan = (
        f'<assessment-plan xmlns="{NS}" uuid="60077e84-e62f-4375-8c6c-b0e0d4560c5f"><metadata><title>t</title>'
        "<last-modified>2026-01-01T00:00:00Z</last-modified><version>1</version><oscal-version>1.2.1</oscal-version>"
        "</metadata><import-ssp href='#x'/><reviewed-controls><control-selection><include-all/></control-selection>"
        "</reviewed-controls><task uuid='1c5ee3a3-e7ab-4c6d-9cbd-b9c1a1d4f3a0' type='action'><title>t</title>"
        "<timing><at-frequency period='3' unit='day'/></timing></task></assessment-plan>"
    ).encode()
    data, _ = read_xml(plan, "plan.xml", LIMIT)
    assert data["assessment-plan"]["tasks"][0]["timing"]["at-frequency"]["period"] == 3
    profile = (
        f'<profile xmlns="{NS}" uuid="60077e84-e62f-4375-8c6c-b0e0d4560c5f"><metadata><title>t</title>'
        "<last-modified>2026-01-01T00:00:00Z</last-modified><version>1</version><oscal-version>1.2.1</oscal-version>"
        "</metadata><import href='#c'><include-all/></import><merge><as-is>true</as-is></merge></profile>"
    ).encode()
    data, _ = read_xml(profile, "profile.xml", LIMIT)
    assert data["profile"]["merge"] == {"as-is": True}
    assert data["profile"]["imports"] == [{"href": "#c", "include-all": {}}]


def test_a_grouped_collection_reads_from_its_wrapper() -> None:
    data, lines = read_xml(
        catalog("").replace(
            b"    <oscal-version>1.2.1</oscal-version>\n",
            b"    <oscal-version>1.2.1</oscal-version>\n    <revisions>\n      <revision><version>0.9</version>"
            b"</revision>\n      <revision><version>0.8</version></revision>\n    </revisions>\n",
        ),
        "doc.xml",
        LIMIT,
    )
    assert data["catalog"]["metadata"]["revisions"] == [{"version": "0.9"}, {"version": "0.8"}]
    assert lines["/catalog/metadata/revisions"] == 8
    assert lines["/catalog/metadata/revisions/1"] == 10


def test_a_part_keeps_its_unwrapped_prose_between_its_other_children() -> None:
    body = (
        '  <control id="c1"><title>C</title>\n'
        '    <part id="c1_smt" name="statement"><prop name="label" value="a."/>\n'
        "      <p>First.</p>\n      <p>Second.</p>\n"
        '      <part id="c1_smt.a" name="item"><p>Sub.</p></part>\n'
        "    </part>\n  </control>\n"
    )
    data, lines = read_xml(catalog(body), "doc.xml", LIMIT)
    part = data["catalog"]["controls"][0]["parts"][0]
    assert part["prose"] == "First.\n\nSecond."
    assert part["props"] == [{"name": "label", "value": "a."}]
    assert part["parts"] == [{"id": "c1_smt.a", "name": "item", "prose": "Sub."}]
    assert lines["/catalog/controls/0/parts/0/parts/0"] == 13


def test_a_root_outside_the_oscal_namespace_is_not_oscal() -> None:
    with pytest.raises(NotOscalError) as caught:
        read_xml(b'<catalog xmlns="urn:not-oscal"/>', "doc.xml", LIMIT)
    assert "not an OSCAL document" in caught.value.problems[0].message
    with pytest.raises(NotOscalError, match="expected one of"):
        read_xml(f'<mapping-collection xmlns="{NS}"/>'.encode(), "doc.xml", LIMIT)
    with pytest.raises(NotOscalError):
        read_xml(b"<html><body/></html>", "page.html", LIMIT)


def test_model_errors_in_xml_carry_the_line_of_their_place() -> None:
    data = catalog('  <group id="g1"><title>G</title><prop name="x"/></group>\n')  # a prop needs a value
    with pytest.raises(LoadError) as caught:
        parse(data, "doc.xml")
    problems = {p.pointer: p for p in caught.value.problems}
    assert problems["/catalog/groups/0/props/0/value"].line == 9


def test_xml_documents_load_as_the_same_document_as_their_json() -> None:
    xml_doc = load(AR_XML)
    json_doc = load(OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json")
    assert xml_doc.format == "xml" and xml_doc.kind == json_doc.kind
    # equal but for NIST's spelling of Markdown whitespace, which XML does not carry
    assert list(differences(to_data(json_doc.model), to_data(xml_doc.model))) == []
    assert xml_doc.model.results[0].findings[0].target == json_doc.model.results[0].findings[0].target  # type: ignore[attr-defined]


def test_the_line_map_answers_for_every_object_and_item() -> None:
    doc = load(AR_XML)
    text = AR_XML.read_text(encoding="utf-8").splitlines()
    finding = "/assessment-results/results/0/findings/0"
    assert "<finding " in text[doc.line_of(finding) - 1]  # type: ignore[operator]
    assert "<target " in text[doc.line_of(finding + "/target") - 1]  # type: ignore[operator]
    assert doc.line_of(finding + "/target/type") == doc.line_of(finding + "/target")
    party = "/assessment-results/metadata/parties/1"
    assert "<party " in text[doc.line_of(party) - 1]  # type: ignore[operator]
    assert doc.line_of("/assessment-results/results/7") == doc.line_of("/assessment-results/results")
    everything = dict(doc.lines)
    assert len(everything) > 50 and everything[finding] == doc.lines[finding]
    assert all(doc.lines[pointer] == line for pointer, line in everything.items())


def test_the_line_map_resolves_parts_in_a_catalog() -> None:
    doc = load(CATALOG_XML)
    text = CATALOG_XML.read_text(encoding="utf-8").splitlines()
    part = "/catalog/groups/0/groups/0/controls/0/parts/2/parts/1"
    assert 'id="s1.1.1_gdn.2"' in text[doc.line_of(part) - 1]  # type: ignore[operator]
    assert "/catalog/groups/0/groups/0/controls/0/parts/9" not in doc.lines


def test_a_schema_location_on_the_root_is_accepted_and_not_data() -> None:
    xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:x oscal.xsd"'
    data, _ = read_xml(catalog("", f'uuid="74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724" {xsi}'), "doc.xml", LIMIT)
    assert data["catalog"]["uuid"] == "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724"
    assert len(data["catalog"]) == 2


def test_the_line_map_travels_to_other_processes_as_a_plain_dict() -> None:
    import pickle

    doc = load(CATALOG_XML)
    copied = pickle.loads(pickle.dumps(doc.lines))
    assert isinstance(copied, dict) and copied == dict(doc.lines)
    assert pickle.loads(pickle.dumps(doc)).line_of("/catalog/groups/0") == doc.line_of("/catalog/groups/0")
