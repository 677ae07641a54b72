"""The Markdown report: a short summary for pull requests and issues (verdict, score, counts, what matters)."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from oscal_poam.cmmc.regulation import CONDITIONAL_DAYS
from oscal_poam.diagnostics import Severity
from oscal_poam.render.counts import counted, counts_line
from oscal_poam.render.groups import RuleGroup
from oscal_poam.report.html import score_text
from oscal_poam.report.jinja import template_environment
from oscal_poam.report.model import Item, ReportData
from oscal_poam.rules.verification import subjects

if TYPE_CHECKING:
    import jinja2

TOP_DIAGNOSTICS = 10
"""How many diagnostics the summary lists, worst first."""

_ENTITY = re.compile(r"&(?=#?\w+;)")
"""An ampersand that would start a character reference; other ampersands show as they are."""
_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def escape(value: object) -> str:
    """Text shown literally by CommonMark and GitHub: markup characters escaped, HTML as entities, one line."""
    if value is None:
        return ""
    found = str(value)
    found = _ENTITY.sub("&amp;", found).replace("<", "&lt;").replace(">", "&gt;")
    found = _SPECIAL.sub(r"\\\1", found)
    return re.sub(r"\s+", " ", found)


def most_important(data: ReportData, limit: int = TOP_DIAGNOSTICS) -> list[RuleGroup]:
    """The diagnostics by rule: errors, then warnings, then notes, the most frequent first; at most `limit` rules."""
    ordered = [rule for group in data.diagnostics for rule in group.rules]
    return ordered[:limit]


@cache
def environment() -> jinja2.Environment:
    """Every `{{ ... }}` is escaped for Markdown by `finalize`; templates come from the package."""

    return template_environment(autoescape=False, finalize=escape)


def render_markdown(data: ReportData) -> str:
    template = environment().get_template("report.md.j2")
    shown = most_important(data, TOP_DIAGNOSTICS)
    total = sum(len(g.rules) for g in data.diagnostics)
    return template.render(
        data=data,
        headline=headline(data),
        score_text=score_text(data.score),
        status_date=_status_date(data),
        counts=counts_line({s.value: data.count(s) for s in Severity}),
        next_milestone=_next_milestone,
        shown=shown,
        hidden=total - len(shown),
        names=subjects,
    )


def headline(data: ReportData) -> str:
    """`Conditional, 45 days left`, `Final`, `Expired`, `Not eligible`, `Not given`."""
    left = data.days_left
    if data.verdict.kind == "conditional" and left is not None and left >= 0:
        return f"{data.verdict.headline}, {counted(left, 'day')} left"
    return data.verdict.headline


def _status_date(data: ReportData) -> str:
    if not data.clock_runs:
        return "none: no Conditional status, so no 180-day deadline"
    if data.status_date is None:
        return "not given"
    found = data.status_date.isoformat()
    if data.deadline is not None:
        found += f"; deadline {data.deadline.isoformat()}"
    if data.day is not None:
        found += f"; day {data.day} of {CONDITIONAL_DAYS}"
    return found


def _next_milestone(item: Item) -> str:
    found = item.next_milestone
    if found is None or found.date is None:
        if item.closed:
            return "done"
        if item.milestones and all(m.completed for m in item.milestones):
            return "all completed"
        return "none"
    return f"{found.title}, {found.date.isoformat()}" + (" (overdue)" if found.overdue else "")
