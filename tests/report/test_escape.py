"""The autoescaped templates write every value as markupsafe.escape would: the same text, whatever the value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import jinja2
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oscal_poam.io.load import validate
from oscal_poam.portfolio import pages
from oscal_poam.portfolio import render as portfolio_render
from oscal_poam.portfolio.api import portfolio
from oscal_poam.report import html, jinja, render_html, report
from tests.conftest import FEDRAMP_EXAMPLES
from tests.report import hostile
from tools.gen_report_screenshots import EXAMPLES, EXAMPLES_DIR


class _Html:
    def __html__(self) -> str:
        return "<b>already markup</b>"


class _Text(str):
    pass


class _Number(int):
    def __str__(self) -> str:
        return "<&>"


TRICKY = [
    "",
    "&",
    "&amp;",
    "<script>alert(1)</script>",
    "\"quotes\" and 'apostrophes'",
    "&#39;&#34;&lt;",
    "{{ 7 * 7 }}",
    "\x00\u2028\ud800",
    "é – ✓ 😀",
    markupsafe.Markup("<i>kept</i>"),
    _Html(),
    _Text("<sub>"),
    _Number(3),
    True,
    None,
    -0.0,
    float("inf"),
    float("nan"),
    1e-7,
    -(10**30),
    dt.date(2026, 1, 2),
]

VALUES = st.one_of(
    st.text(),
    st.text(alphabet="<>&'\"ab ").map(markupsafe.Markup),
    st.text().map(_Text),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
)


@pytest.mark.parametrize("value", TRICKY, ids=repr)
def test_tricky_values_are_escaped_as_markupsafe_escapes_them(value: Any) -> None:
    assert jinja.escape(value) == str(markupsafe.escape(value))


@given(VALUES)
def test_any_value_is_escaped_as_markupsafe_escapes_it(value: Any) -> None:
    assert jinja.escape(value) == str(markupsafe.escape(value))


@given(st.text())
def test_without_markupsafes_c_function_text_is_escaped_the_same(text: str) -> None:
    assert jinja._escaped_by_markupsafe(text) == jinja._escaped_text(text)


def test_autoescaped_templates_write_through_it() -> None:
    # if Jinja's compiled code stops naming markupsafe.escape, pages stay right but lose the speed: say so here
    for template in (
        html.environment().get_template("report.html.j2"),
        pages.environment().get_template("portfolio.html.j2"),
    ):
        assert template.root_render_func.__globals__["escape"] is jinja.escape
    markdown = jinja.template_environment(autoescape=False).get_template("report.md.j2")
    assert markdown.root_render_func.__globals__["escape"] is markupsafe.escape


@pytest.fixture
def plain(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """While in use, the report and the portfolio page render through Jinja's own Template and escape."""
    for module in (html, pages):
        env = module.environment.__wrapped__()
        env.template_class = jinja2.Template
        monkeypatch.setattr(module, "environment", lambda env=env: env)
    yield


def _reports() -> list[Any]:
    found = [report(validate(hostile.hostile_poam(), "hostile.json")[1], as_of=hostile.AS_OF)]
    for example in EXAMPLES:
        poam, results, ssp = example.paths()
        found.append(report(poam, results=results, ssp=ssp, as_of=example.as_of))
    for path in sorted(FEDRAMP_EXAMPLES.rglob("FedRAMP-POAM-OSCAL-Template.*")):
        found.append(report(path, as_of=dt.date(2026, 6, 1)))
    return found


def test_report_pages_are_those_of_jinjas_own_escape(request: pytest.FixtureRequest) -> None:
    datas = _reports()
    fast = [render_html(data) for data in datas]
    request.getfixturevalue("plain")
    assert fast == [render_html(data) for data in datas]


def test_the_portfolio_page_is_that_of_jinjas_own_escape(request: pytest.FixtureRequest) -> None:
    found = portfolio([EXAMPLES_DIR], as_of=dt.date(2026, 9, 25), reports="systems")
    fast = portfolio_render.render_html(found)
    request.getfixturevalue("plain")
    assert fast == portfolio_render.render_html(found)
