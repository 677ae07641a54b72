"""`oscal-poam report --poam POAM [--results RESULTS] [--ssp SSP] [--as-of DATE] -o REPORT.html|REPORT.md`.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oscal_poam.cli.common import AsOf, Ignore, Root, Select, out, parse_as_of, roots, selection_of, waiting
from oscal_poam.quoting import printable

FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


def report(
    poam: Annotated[Path, typer.Option("--poam", metavar="FILE", help="The OSCAL POA&M (JSON, YAML or XML).")],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Where to write the report: .html (one page) or .md (a summary)."
        ),
    ],
    results: Annotated[
        Path | None,
        typer.Option(
            "--results", metavar="FILE", help="Assessment results (initial or closeout): the score and the verdict."
        ),
    ] = None,
    ssp: Annotated[
        Path | None, typer.Option("--ssp", metavar="FILE", help="The system security plan: the system's name.")
    ] = None,
    as_of: AsOf = None,
    root: Root = None,
    select: Select = None,
    ignore: Ignore = None,
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
    selection = selection_of(select, ignore)
    from oscal_poam.io.boundary import reading_roots

    with reading_roots(roots(root)):
        data = build_report(poam, results=results, ssp=ssp, as_of=day, select=selection.select, ignore=selection.ignore)
    rendered = render_html(data) if kind == "html" else render_markdown(data)
    write_bytes(output, rendered.encode("utf-8"), waiting(output))
    from oscal_poam.report.html import score_text

    items = len(data.items)
    out.print(
        f"Wrote {printable(str(output))}: {data.verdict.headline}, {score_text(data.score)}, "
        f"{items} item{'' if items == 1 else 's'}.",
        markup=False,
    )
