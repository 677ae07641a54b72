"""The HTML report: self-contained, deterministic, and every document's text shown as text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import lxml.html
import pytest

from oscal_poam.io.load import validate
from oscal_poam.report import render_html, report
from oscal_poam.report.model import ReportData
from tests.report import hostile
from tests.rules import poam_data
from tools.gen_report_screenshots import EXAMPLES, EXAMPLES_DIR, Example


@pytest.fixture(scope="module")
def hostile_data() -> ReportData:
    return report(validate(hostile.hostile_poam(), "hostile.json")[1], as_of=hostile.AS_OF)


def test_hostile_text_is_escaped(hostile_data: ReportData) -> None:
    page = render_html(hostile_data)
    assert re.search(r"<script", page, re.IGNORECASE) is None
    assert "<img" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tree = lxml.html.document_fromstring(page)
    assert tree.xpath("//script") == [] and tree.xpath("//img") == []
    shown = tree.text_content()
    for text in hostile.TEXTS:
        assert text in shown, text
    # Template syntax in a document is data, never evaluated.
    assert "{{ 7 * 7 }}" in shown and "{% if true %}jinja{% endif %}" in shown
    # Attribute values too: the milestone's title is in an SVG <title>, the flags' messages in title="...".
    titles = [t.text_content() for t in tree.iter("{*}title", "title")]
    assert any(hostile.MILESTONE in t for t in titles)


def test_the_page_fetches_nothing_and_runs_nothing(hostile_data: ReportData) -> None:
    page = render_html(hostile_data)
    tree = lxml.html.document_fromstring(page)
    assert tree.xpath("//script | //link | //iframe | //object | //embed | //img") == []
    assert not [a for el in tree.iter() for a in el.attrib if a.lower() in ("src", "href", "xlink:href", "srcset")]
    assert "@import" not in page and "url(" not in page
    assert not [a for el in tree.iter() for a in el.attrib if a.lower().startswith("on")]
    assert "@media print" in page


def test_same_inputs_and_date_give_the_same_page() -> None:
    model = validate(poam_data.credible_poam(), "p.json")[1]
    day = dt.date(2026, 3, 1)
    first = render_html(report(model, as_of=day))
    assert first == render_html(report(model, as_of=day))
    assert first != render_html(report(model, as_of=day + dt.timedelta(days=1)))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_page_holds_verdict_score_and_items(example: Example) -> None:
    poam, results, ssp = example.paths()
    data = report(poam, results=results, ssp=ssp, as_of=example.as_of)
    tree = lxml.html.document_fromstring(render_html(data))
    verdict = tree.get_element_by_id("verdict").text_content()
    assert data.verdict.headline in verdict and data.verdict.cmmc_status in verdict
    assert f"{data.score.value} of {data.score.maximum}" in tree.get_element_by_id("score").text_content()
    items = tree.get_element_by_id("items").text_content()
    timeline = tree.get_element_by_id("timeline").text_content()
    for item in data.items:
        assert item.requirement in items and item.requirement in timeline
    families = tree.get_element_by_id("families")
    assert len(families.xpath(".//tbody/tr")) == len(data.families)
    for group in data.diagnostics:
        for d in group.diagnostics:
            assert d.citation in tree.get_element_by_id("diagnostics").text_content()


def test_every_example_folder_has_a_report() -> None:
    folders = {p.name for p in EXAMPLES_DIR.iterdir() if p.is_dir()}
    assert folders == {e.name for e in EXAMPLES}


@pytest.mark.parametrize("poam", sorted(EXAMPLES_DIR.glob("*/poam*.xml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_xml_and_json_poams_give_the_same_report(poam: Path) -> None:
    (example,) = [e for e in EXAMPLES if e.name == poam.parent.name]
    _, results, ssp = example.paths()
    from_xml = report(poam, results=results, ssp=ssp, as_of=example.as_of)
    from_json = report(poam.with_suffix(".json"), results=results, ssp=ssp, as_of=example.as_of)
    assert (from_xml.verdict, from_xml.score, from_xml.families) == (
        from_json.verdict,
        from_json.score,
        from_json.families,
    )
    assert from_xml.items == from_json.items
