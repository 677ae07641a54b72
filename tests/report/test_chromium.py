"""The HTML reports in a real browser: headless Chromium lays each page out, takes a screenshot and dumps its DOM.

Where no Chromium is found the tests are skipped, the reason saying how to install it. CI needs them:
`.ci/run` installs Debian's `chromium` and sets OSCAL_POAM_REQUIRE_CHROMIUM=1, which turns that skip into a
failure.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from oscal_poam.io.load import validate
from oscal_poam.report import render_html, report
from oscal_poam.report.model import ReportData
from tests.conftest import ROOT
from tests.report import hostile
from tests.report.png import distinct_colours, read_png
from tools import gen_report_screenshots
from tools.gen_report_screenshots import (
    EXAMPLES,
    NO_CHROMIUM,
    REQUIRE_CHROMIUM_ENV,
    chromium_required,
    find_chromium,
    render_in_chromium,
)

MIN_COLOURS = 64
"""A laid-out report (text, gauge, timeline) has hundreds of colours once anti-aliased; a blank page has one."""


@dataclass(frozen=True)
class Shown:
    name: str
    data: ReportData | None
    png: Path
    dom: str


def _show(name: str, page: str, folder: Path, data: ReportData | None) -> Shown:
    html = folder / f"{name}.html"
    html.write_text(page, encoding="utf-8")
    png = folder / f"{name}.png"
    dom = render_in_chromium(html, png, width=1280, height=2000)
    return Shown(name, data, png, dom)


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if chromium_required():
            pytest.fail(f"{NO_CHROMIUM} ({REQUIRE_CHROMIUM_ENV} is set)")
        pytest.skip(NO_CHROMIUM)
    return found


@pytest.fixture(scope="module")
def shown(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Shown]:
    folder = tmp_path_factory.mktemp("chromium")
    pages: list[tuple[str, str, ReportData | None]] = []
    for example in EXAMPLES:
        poam, results, ssp = example.paths()
        data = report(poam, results=results, ssp=ssp, as_of=example.as_of)
        pages.append((example.name, render_html(data), data))
    bad = report(validate(hostile.hostile_poam(), "hostile.json")[1], as_of=hostile.AS_OF)
    pages.append(("hostile", render_html(bad), bad))
    pages.append(("blank", "<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>", None))
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda p: _show(p[0], p[1], folder, p[2]), pages))
    return {s.name: s for s in done}


def test_a_blank_page_is_told_apart(shown: dict[str, Shown]) -> None:
    image = read_png(shown["blank"].png)
    assert (image.width, image.height) == (1280, 2000)
    assert distinct_colours(image) < MIN_COLOURS


@pytest.mark.parametrize("name", [e.name for e in EXAMPLES])
def test_example_report_in_chromium(shown: dict[str, Shown], name: str) -> None:
    page = shown[name]
    assert page.data is not None
    image = read_png(page.png)
    assert (image.width, image.height) == (1280, 2000)
    assert distinct_colours(image, enough=MIN_COLOURS) >= MIN_COLOURS, f"the screenshot of {name} looks blank"

    dom = lxml.html.document_fromstring(page.dom)
    data = page.data
    verdict = dom.get_element_by_id("verdict").text_content()
    assert data.verdict.headline in verdict
    assert data.verdict.cmmc_status in verdict
    score = dom.get_element_by_id("score").text_content()
    assert f"{data.score.value} of {data.score.maximum}" in score
    items = dom.get_element_by_id("items").text_content()
    assert data.items, f"{name} has POA&M items to show"
    for item in data.items:
        assert item.requirement and item.requirement in items
    assert len(dom.xpath("//section[@id='timeline']//*[local-name()='circle' and contains(@class, 'ms-')]")) >= sum(
        1 for i in data.items for m in i.milestones if m.date is not None
    )


def test_hostile_text_is_text_in_the_browser(shown: dict[str, Shown]) -> None:
    page = shown["hostile"]
    dom = lxml.html.document_fromstring(page.dom)
    assert dom.xpath("//script | //img") == []
    text = dom.text_content()
    for value in hostile.TEXTS:
        assert value in text, value
    assert distinct_colours(read_png(page.png), enough=MIN_COLOURS) >= MIN_COLOURS


def test_a_stale_screenshot_is_rendered_again_and_stamped(chromium: str, tmp_path: Path) -> None:
    out = tmp_path / "screenshots"
    shutil.copytree(ROOT / "docs" / "screenshots", out)
    stale = out / f"report-{EXAMPLES[2].name}.png"
    stale.unlink()
    untouched = {path: path.read_bytes() for path in out.iterdir()}
    assert gen_report_screenshots.main(["--out", str(out)]) == 0
    assert gen_report_screenshots.main(["--out", str(out), "--check"]) == 0
    assert {path: path.read_bytes() for path in untouched} == untouched  # only the stale one was rendered
    image = read_png(stale)
    assert (image.width, image.height) == (gen_report_screenshots.WIDTH, 1500)
    assert distinct_colours(image, enough=MIN_COLOURS) >= MIN_COLOURS
