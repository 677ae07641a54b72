"""`oscal-poam trend PATH... -o trend.html|.md|.json`: how the POA&Ms under some folders moved over time.

Each folder's history is read from git when it is in a git work tree (the commits of HEAD's first-parent chain),
else from its dated copies (`2026-11-01/poam.json`, `poam-2026-11-01.json`). Each version that changed a system's
documents is judged by the engine as of the day it was recorded.

Exit status: 0, 2 for a usage error (a path that does not exist, neither in git nor dated copies), 5 when the
output cannot be written.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oscal_poam.cli.common import AsOf, Exclude, out, parse_as_of, waiting
from oscal_poam.cli.portfolio import Format, PageOutput, page_format


def trend(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="Folders whose history to read.")],
    output: PageOutput,
    format: Format = None,
    as_of: AsOf = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Show the trends from this date (YYYY-MM-DD) on.")
    ] = None,
    exclude: Exclude = None,
) -> None:
    """Chart how each POA&M moved: open items, items opened and closed, time to remediate, score, slips, day 180."""
    import datetime as dt

    from oscal_poam.history.api import trends
    from oscal_poam.history.render import render_html, render_json, render_markdown
    from oscal_poam.io.outputs import is_stream, refuse_overwriting, write_bytes

    day = parse_as_of(as_of) or dt.date.today()
    start = parse_as_of(since)
    kind = page_format(output, format)
    refuse_overwriting([("--output", output)], [("PATH", p) for p in paths])
    found = trends(paths, as_of=day, since=start, excludes=exclude or ())
    renderer = {"html": render_html, "markdown": render_markdown, "json": render_json}[kind]
    write_bytes(output, renderer(found).encode("utf-8"), waiting(output))
    if not is_stream(output):
        versions = sum(s.versions for s in found.sources)
        out.print(
            f"Wrote {output}: {len(found.systems)} systems, {versions} versions, {len(found.slips)} milestone slips.",
            markup=False,
        )
