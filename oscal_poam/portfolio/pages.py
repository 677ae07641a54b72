"""What the portfolio and trend pages share: their templates (`portfolio/templates`) and what they are rendered
with."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from oscal_poam import __version__
from oscal_poam.cmmc import regulation
from oscal_poam.report.jinja import template_environment
from oscal_poam.report.model import ScoreView

if TYPE_CHECKING:
    import jinja2

VERDICT_NAMES = {
    "expired": "expired",
    "conditional": "Conditional",
    "none": "no CMMC status",
    "unknown": "not judged",
    "final": "Final",
}
"""How a summary counts the systems of each verdict."""

SCORE_SOURCES = {
    "results": "from the assessment results",
    "closeout": "after the closeout",
    "poam": "as the POA&M records it",
    "none": "",
}


@cache
def environment() -> jinja2.Environment:
    env = template_environment(autoescape=True, folder="portfolio/templates")
    env.filters["count_or_na"] = lambda value: "–" if value is None else str(value)
    return env


def score_bar(score: ScoreView) -> tuple[float, str, float | None]:
    """The filled share of a score bar, its tone, and where the threshold sits (percentages)."""
    if score.value is None or not score.maximum:
        return 0.0, "bad", None
    share = round(100.0 * min(max(score.value / score.maximum, 0.0), 1.0), 1)
    tone = "good" if score.value >= score.maximum else "warn" if score.passes else "bad"
    tick = round(100.0 * score.threshold / score.maximum, 1) if score.threshold is not None else None
    return share, tone, tick


def page_context(trends: Any = None) -> dict[str, Any]:
    """What every page of the portfolio and its history is rendered with."""
    return {
        "version": __version__,
        "verdict_names": VERDICT_NAMES,
        "score_sources": SCORE_SOURCES,
        "score_bar": score_bar,
        "last_stretch": regulation.CONDITIONAL_DAYS - regulation.EVIDENCE_DAY,
        "first_checkpoint": regulation.PRACTICAL_DEADLINE_DAY,
        "conditional_days": regulation.CONDITIONAL_DAYS,
        "checkpoint_days": (regulation.PRACTICAL_DEADLINE_DAY, regulation.EVIDENCE_DAY, regulation.CONDITIONAL_DAYS),
        "days": days_text,
        "trends": trends,
    }


def days_text(value: float | None) -> str:
    """A mean or median number of days: `12.5 days`, or `–` when there is none."""
    return "–" if value is None else f"{value:.1f} days"
