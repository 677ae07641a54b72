"""Reports of where a system stands: the verdict, the score, the POA&M items and their milestones.

`report(poam, results=..., ssp=..., as_of=...)` reads the documents into a format-neutral ReportData;
`render_html` makes one self-contained page of it, `render_markdown` a short summary.
"""

from oscal_poam.report.api import render_html, render_markdown, report
from oscal_poam.report.model import ReportData

__all__ = ["ReportData", "render_html", "render_markdown", "report"]
