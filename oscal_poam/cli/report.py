"""`oscal-poam report --poam POAM [--results RESULTS] [--ssp SSP] [--as-of DATE] -o REPORT.html|REPORT.md`.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oscal_poam.cli.common import AsOf, Root, out, parse_as_of, roots, waiting

FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


def report(
    poam: Annotated[Path, typer.Option("--poam", help="The OSCAL POA&M (JSON, YAML or XML).")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the report: .html (one page) or .md (a summary).")
    ],
    results: Annotated[
        Path | None,
        typer.Option("--results", help="Assessment results (initial or closeout): the score and the verdict."),
    ] = None,
    ssp: Annotated[Path | None, typer.Option("--ssp", help="The system security plan: the system's name.")] = None,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Report where a system stands: verdict, score against the threshold, POA&M items, milestones, diagnostics."""
    import datetime as dt

    from oscal_poam.errors import UsageError
    from oscal_poam.io.outputs import refuse_overwriting, write_bytes
    from oscal_poam.report import render_html, render_markdown
    from oscal_poam.report import report as build_report

    refuse_overwriting([("--output", output)], [("--poam", poam), ("--results", results), ("--ssp", ssp)])
    kind = FORMATS.get(output.suffix.lower())
    if kind is None:
        raise UsageError(f"{output}: the report's format comes from its suffix: .html, .htm or .md")
    day = parse_as_of(as_of) or dt.date.today()
    from oscal_poam.io.boundary import reading_roots

    with reading_roots(roots(root)):
        data = build_report(poam, results=results, ssp=ssp, as_of=day)
    rendered = render_html(data) if kind == "html" else render_markdown(data)
    write_bytes(output, rendered.encode("utf-8"), waiting(output))
    score = f"{data.score.value} of {data.score.maximum}" if data.score.given else "score not given"
    out.print(f"Wrote {output}: {data.verdict.headline}, {score}, {len(data.items)} items.", markup=False)
