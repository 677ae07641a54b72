"""The HTML report: one self-contained page rendered from ReportData with Jinja2 (autoescaped)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING

from oscal_poam import __version__
from oscal_poam.diagnostics import Severity
from oscal_poam.render.text import place
from oscal_poam.report.geometry import clock, family_bar, gauge, timeline
from oscal_poam.report.jinja import template_environment
from oscal_poam.report.model import ReportData, ScoreView
from oscal_poam.rules.verification import STATE_NAMES, subjects

if TYPE_CHECKING:
    import jinja2

SEVERITY_NAMES = {"error": "Errors", "warning": "Warnings", "info": "Notes"}


def score_text(score: ScoreView) -> str:
    """`88 of 110`; at Level 1 `MET` or `NOT MET`; else that there is none."""
    if score.outcome:
        return score.outcome
    if score.given:
        return f"{score.value} of {score.maximum}"
    return "score not given"


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "not given"


def _count_or_dash(value: int | None) -> str:
    return "–" if value is None else str(value)


@cache
def environment() -> jinja2.Environment:
    """The template environment: autoescape on, undefined names an error, templates from the package."""

    env = template_environment(autoescape=True)
    env.filters["day"] = _day
    env.filters["count_or_dash"] = _count_or_dash
    env.filters["place"] = place
    return env


def render_html(data: ReportData) -> str:
    """The report as one HTML page: inline CSS and SVG, no scripts, nothing fetched."""
    template = environment().get_template("report.html.j2")
    return template.render(
        data=data,
        version=__version__,
        gauge=gauge(data.score),
        timeline=timeline(data),
        clock=clock(data),
        bars=[family_bar(row) for row in data.families],
        score_text=score_text(data.score),
        errors=data.count(Severity.ERROR),
        warnings=data.count(Severity.WARNING),
        infos=data.count(Severity.INFO),
        severity_names=SEVERITY_NAMES,
        state_names=STATE_NAMES,
        names=subjects,
    )
