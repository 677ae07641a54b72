"""The Markdown summary: verdict, score, counts and the most important diagnostics; document text stays text."""

from __future__ import annotations

import lxml.html
import pytest
from markdown_it import MarkdownIt

from oscal_poam.diagnostics import Severity
from oscal_poam.io.load import validate
from oscal_poam.report import render_markdown, report
from oscal_poam.report.markdown import TOP_DIAGNOSTICS, escape
from tests.report import hostile
from tools.gen_report_screenshots import EXAMPLES, Example


def as_html(markdown: str) -> lxml.html.HtmlElement:
    """The Markdown as CommonMark renders it (raw HTML allowed, as in GitHub before sanitising)."""
    return lxml.html.document_fromstring(MarkdownIt("commonmark").enable("table").render(markdown) or "<p></p>")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_summary_holds_verdict_score_counts_and_items(example: Example) -> None:
    poam, results, ssp = example.paths()
    data = report(poam, results=results, ssp=ssp, as_of=example.as_of)
    summary = render_markdown(data)
    text = as_html(summary).text_content()
    assert data.verdict.headline in text and data.verdict.cmmc_status in text
    assert f"{data.score.value} of {data.score.maximum}" in text
    assert f"{len(data.items)} ({data.open_items} open, {data.closed_items} closed)" in text
    for item in data.items:
        assert item.requirement in text
    errors = data.count(Severity.ERROR)
    assert f"{errors} error{'' if errors == 1 else 's'}" in text
    for group in data.diagnostics:
        if group.severity is Severity.ERROR:
            for d in group.diagnostics[:TOP_DIAGNOSTICS]:
                assert d.rule_id in text


def test_diagnostics_are_listed_by_rule_with_their_count() -> None:
    """One line per rule, errors first, with how many times it fires; at most TOP_DIAGNOSTICS rules, then how many
    more."""
    (example,) = [e for e in EXAMPLES if e.name == "l2-not-eligible"]
    poam, results, ssp = example.paths()
    data = report(poam, results=results, ssp=ssp, as_of=example.as_of)
    rules = [rule for group in data.diagnostics for rule in group.rules]
    assert sum(rule.count for rule in rules) > len(rules)  # some rule fires more than once
    tree = as_html(render_markdown(data))
    listed = [li.text_content() for li in tree.xpath("//ul/li")]
    shown = min(len(rules), TOP_DIAGNOSTICS)
    assert len(listed) == shown + (len(rules) > TOP_DIAGNOSTICS)
    assert listed[0].startswith("error")  # errors first
    for rule, text in zip(rules, listed, strict=False):
        assert text.startswith(f"{rule.severity.value} {rule.rule_id}" + (f" ×{rule.count}" if rule.count > 1 else ""))


def test_more_rules_than_listed_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    from oscal_poam.report import markdown

    (example,) = [e for e in EXAMPLES if e.name == "l2-not-eligible"]
    poam, results, ssp = example.paths()
    data = report(poam, results=results, ssp=ssp, as_of=example.as_of)
    rules = [rule for group in data.diagnostics for rule in group.rules]
    monkeypatch.setattr(markdown, "TOP_DIAGNOSTICS", 3)
    listed = as_html(markdown.render_markdown(data)).xpath("//ul/li")
    assert len(listed) == 4
    assert listed[-1].text_content() == f"and {len(rules) - 3} more rules"


def test_hostile_text_renders_as_text() -> None:
    data = report(validate(hostile.hostile_poam(), "hostile.json")[1], as_of=hostile.AS_OF)
    summary = render_markdown(data)
    assert "<script" not in summary and "<img" not in summary
    tree = as_html(summary)
    assert tree.xpath("//script | //img | //a | //strong[contains(., 'strong')]") == []
    shown = tree.text_content()
    for text in (hostile.SCRIPT, hostile.BOLD, hostile.IMAGE, hostile.TEMPLATE, hostile.MARKDOWN):
        assert text in shown, text
    # The pipe in the item's title does not split the table row.
    rows = tree.xpath("//table[2]//tbody/tr") or tree.xpath("//table//tbody/tr")
    assert all(len(r.xpath("./td")) in (2, 6) for r in rows)


@pytest.mark.parametrize("value", ["a | b", "*x* _y_", "[l](u)", "`c`", "<b>", "&lt;", "# h", "line\nbreak", "\\"])
def test_escape_keeps_text_literal(value: str) -> None:
    rendered = as_html(f"| a |\n|---|\n| {escape(value)} |\n").text_content()
    assert " ".join(value.split()) in rendered
