"""`oscal-poam info FILE`.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from oscal_poam.cli.common import TextOrJson, out, print_json


def info(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="An OSCAL document (JSON, YAML or XML).")],
    format: TextOrJson = "text",
) -> None:
    """Show a document's model, OSCAL version, title, last-modified date and main counts."""
    from oscal_poam.io.load import load
    from oscal_poam.summary import summarize

    summary = summarize(load(file))
    if format == "json":
        print_json(summary.to_dict())
        return
    table = Table(title=str(file), show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("model", summary.model)
    table.add_row("format", summary.format)
    table.add_row("oscal-version", summary.oscal_version)
    table.add_row("title", summary.title)
    table.add_row("last-modified", summary.last_modified)
    for name, count in summary.counts.items():
        table.add_row(name, str(count))
    out.print(table)
