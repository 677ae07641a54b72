"""Numbers written in digits other than ASCII's are text everywhere a number is read (`oscal_poam.digits`)."""

from __future__ import annotations

import pytest
import typer
from lxml import etree

from oscal_poam.cli.common import parse_as_of
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.digits import ascii_digits
from oscal_poam.errors import LoadError
from oscal_poam.io import load
from oscal_poam.io.xml import markup

NS = "http://csrc.nist.gov/ns/oscal/1.0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", True), ("120", True), ("", False), ("²", False), ("١٢", False), ("1a", False), ("-1", False)],
)
def test_ascii_digits(text: str, expected: bool) -> None:
    assert ascii_digits(text) is expected


def test_a_pointer_token_of_other_digits_sorts_as_a_name() -> None:
    def at(pointer: str) -> Diagnostic:
        return Diagnostic("r", Severity.ERROR, "m", pointer=pointer)

    found = sorted([at("/a/²"), at("/a/10"), at("/a/2"), at("/a/١")], key=lambda d: d.sort_key)
    assert [d.pointer for d in found] == ["/a/²", "/a/١", "/a/2", "/a/10"]


@pytest.mark.parametrize(("start", "first"), [("3", "3."), ("²", "1."), ("١٢", "1.")])
def test_an_ordered_list_starts_at_an_ascii_number_only(start: str, first: str) -> None:
    element = etree.fromstring(f'<remarks xmlns="{NS}"><ol start="{start}"><li>a</li></ol></remarks>')
    assert markup.xml_to_markdown(element, True).startswith(first + " a")


@pytest.mark.parametrize("tagged", ["!!int ²", "!!int abc", "!!int 0xZZ", "!!float abc"])
def test_a_tagged_scalar_that_is_no_number_is_a_located_error(tagged: str) -> None:
    data = f"plan-of-action-and-milestones:\n  uuid: {tagged}\n".encode()
    with pytest.raises(LoadError) as caught:
        load.decode(data, "poam.yaml")
    problem = caught.value.problems[0]
    assert "is tagged !!" in problem.message and "invalid YAML" in problem.message
    assert (problem.line, problem.column) == (2, 9)


def test_as_of_with_other_digits_is_refused_as_no_date() -> None:
    with pytest.raises(typer.BadParameter, match="is not a date"):
        parse_as_of("²²²²-01-01")
