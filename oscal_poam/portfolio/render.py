"""The portfolio as one HTML page, a Markdown summary (a weekly mail, an issue) or JSON (dashboards).

With its history (`portfolio --history`), the page gains the trend sections of `oscal_poam.history.render`.
"""

from __future__ import annotations

import json

from oscal_poam.cmmc import regulation
from oscal_poam.history.render import TrendView, markdown_lines
from oscal_poam.portfolio.api import Portfolio
from oscal_poam.portfolio.model import Row
from oscal_poam.portfolio.pages import VERDICT_NAMES, environment, page_context
from oscal_poam.report.markdown import escape


def render_html(portfolio: Portfolio, trends: TrendView | None = None) -> str:
    """One self-contained page: inline CSS and SVG, no scripts, nothing fetched; it prints in landscape."""
    return environment().get_template("portfolio.html.j2").render(p=portfolio, **page_context(trends))


def render_json(portfolio: Portfolio, trends: TrendView | None = None) -> str:
    data = portfolio.to_dict()
    if trends is not None:
        data["history"] = trends.trends.to_dict()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_markdown(portfolio: Portfolio, trends: TrendView | None = None) -> str:
    """A summary for a weekly mail or an issue: the counts, then one table row per system, most urgent first."""
    p = portfolio
    counts = ", ".join(f"{n} {VERDICT_NAMES[kind]}" for kind, n in p.by_verdict().items()) or "none"
    systems = len(p.rows)
    lines = [
        f"## CMMC portfolio as of {p.as_of.isoformat()}: {systems} system{'' if systems == 1 else 's'}",
        "",
        f"{counts}. {p.total('open_items')} open POA&M items, {p.total('overdue_milestones')} overdue "
        f"milestones, {p.total('milestones_after_deadline')} milestones after day {regulation.CONDITIONAL_DAYS}."
        + ("" if p.regressed_available else " Regressed verification: not available."),
        "",
        "| System | Verdict | Score | Day 180 | Next checkpoint | Open | Overdue | After day 180 | Regressed |",
        "|---|---|---:|---|---|---:|---:|---:|---:|",
    ]
    lines.extend(_markdown_row(r) for r in p.rows)
    if p.unread or p.not_followed:
        lines += ["", "Not read:", ""]
        lines.extend(f"- {escape(u.message)}" for u in p.unread)
        lines.extend(f"- {escape(path)}: a link leading outside the folders given" for path in p.not_followed)
    if trends is not None:
        lines += ["", *markdown_lines(trends.trends)]
    return "\n".join(lines) + "\n"


def _markdown_row(r: Row) -> str:
    name = escape(r.name)
    if r.report:
        name = f"[{name}]({r.report.replace(' ', '%20').replace(')', '%29')})"
    if r.system_id:
        name += f"<br>{escape(r.system_id)}"
    verdict = escape(r.verdict.cmmc_status or r.verdict.headline)
    if r.problem:
        verdict += f": {escape(r.problem)}"
    elif r.verdict.reasons:
        verdict += "<br>" + "<br>".join(escape(reason.message) for reason in r.verdict.reasons)
    score = f"{r.score.value}/{r.score.maximum}" if r.score.given else "–"
    left = r.days_left
    clock = "–" if left is None else f"{left} days left" if left >= 0 else f"passed {-left} days ago"
    c = r.checkpoint
    checkpoint = f"day {c.day} on {c.date.isoformat()} ({c.days_until} days)" if c is not None else "–"
    cells = [
        name,
        verdict,
        score,
        clock,
        checkpoint,
        _n(r.open_items),
        _n(r.overdue_items),
        _n(r.milestones_after_deadline),
        "n/a" if r.regressed is None else str(r.regressed),
    ]
    return "| " + " | ".join(cells) + " |"


def _n(value: int | None) -> str:
    return "–" if value is None else str(value)
