"""The portfolio and trend pages in a real browser: headless Chromium lays each out, takes a screenshot and dumps
its DOM. As for the reports (tests/report/test_chromium.py), a machine without Chromium skips with the install
hint, and CI (OSCAL_POAM_REQUIRE_CHROMIUM=1) fails instead."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import lxml.html
import pytest

from oscal_poam.history.api import Trends, trends
from oscal_poam.history.render import render_html as trend_page
from oscal_poam.portfolio.api import Portfolio, portfolio
from oscal_poam.portfolio.render import render_html
from tests.portfolio.folders import AS_OF, clients
from tests.report.png import distinct_colours, read_png
from tools.gen_report_screenshots import (
    render_in_chromium,
)
from tools.history_demo import ssp_document

MIN_COLOURS = 64
HOSTILE = '<script>document.title="owned"</script><img src=x onerror=alert(1)>'


def shown(page: str, folder: Path, name: str) -> tuple[lxml.html.HtmlElement, Path]:
    html = folder / f"{name}.html"
    html.write_text(page, encoding="utf-8")
    png = folder / f"{name}.png"
    dom = render_in_chromium(html, png, width=1280, height=1600)
    return lxml.html.document_fromstring(dom), png


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> Portfolio:
    root = tmp_path_factory.mktemp("clients")
    folders = clients(root)
    ssp = ssp_document("bare")
    ssp["system-security-plan"]["system-characteristics"]["system-name"] = HOSTILE
    (folders["bare"] / "ssp.json").write_text(json.dumps(ssp), encoding="utf-8")
    return portfolio([root], as_of=AS_OF, reports="reports")


def test_the_portfolio_page(chromium: str, six: Portfolio, tmp_path: Path) -> None:
    dom, png = shown(render_html(six), tmp_path, "portfolio")
    image = read_png(png)
    assert (image.width, image.height) == (1280, 1600)
    assert distinct_colours(image, enough=MIN_COLOURS) >= MIN_COLOURS, "the portfolio looks blank"
    rows = dom.xpath("//tr[contains(@class, 'system-row')]")
    assert len(rows) == len(six.rows) == 6
    ids = [r.get("data-system-id") for r in rows]
    assert all(ids) and ids == [r.system_id for r in six.rows]
    text = dom.text_content()
    for r in six.rows:
        assert r.system_id in text
    assert dom.xpath("//script | //img") == []
    assert HOSTILE in text  # a name is text, whatever it says
    assert dom.xpath("//title")[0].text_content().startswith("CMMC portfolio")


def test_the_trend_page(chromium: str, consultant: Path, tmp_path: Path) -> None:
    found: Trends = trends([consultant], as_of=dt.date(2026, 12, 31))
    dom, png = shown(trend_page(found), tmp_path, "trend")
    assert distinct_colours(read_png(png), enough=MIN_COLOURS) >= MIN_COLOURS, "the trend page looks blank"
    text = dom.text_content()
    for system in found.systems:
        assert system.system_id and system.system_id in text
        section = dom.get_element_by_id(f"trend-{system.anchor}")
        assert section.get("data-system-id") == system.system_id
        dots = section.xpath(".//*[local-name()='circle']")
        assert len(dots) >= 2 * len(system.points)  # the open items and the score of each version
    bars = dom.xpath(
        "//figure[@id='trend-per-month']//*[local-name()='rect' and (@class='c-opened' or @class='c-closed')]"
    )
    assert len(bars) == sum(1 for m in found.months for n in (m.opened, m.closed) if n)
    assert "116.8 days" in text and "none recorded" in text
