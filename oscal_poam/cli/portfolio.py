"""`oscal-poam portfolio PATH... -o portfolio.html|.md|.json`: every system under the folders given, at a glance.

Each system (an SSP with the POA&Ms and assessment results that import it) is judged as `oscal-poam report`
judges it, and its report is written beside the page (`<page>-systems/`, or `--reports DIR`), linked from its
row. `--history` adds the trends of the git history (or the dated copies) of the folders given.

Exit status: 0, 2 for a usage error (a path that does not exist, an output that is an input), 5 when an output
cannot be written. Files that cannot be read are listed on the page, and on standard error.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from oscal_poam.cli.common import AsOf, Exclude, Jobs, err, out, parse_as_of, waiting

if TYPE_CHECKING:
    from oscal_poam.cli.progress import LazyProgress

PageFormat = Literal["html", "markdown", "json"]
SUFFIXES: dict[str, PageFormat] = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
                                   ".json": "json"}  # fmt: skip


def page_format(output: Path, chosen: PageFormat | None) -> PageFormat:
    """The format named, else the output's suffix's. Raises UsageError when neither says."""
    from oscal_poam.errors import UsageError

    if chosen is not None:
        return chosen
    found = SUFFIXES.get(output.suffix.lower())
    if found is None:
        raise UsageError(f"{output}: the page's format comes from its suffix (.html, .md or .json), or --format")
    return found


PageOutput = Annotated[
    Path, typer.Option("--output", "-o", metavar="FILE", help="The page: .html, .md or .json; - for standard output.")
]
Format = Annotated[
    PageFormat | None,
    typer.Option("--format", "-f", help="html, markdown or json (default: from the suffix of -o)."),
]


def portfolio(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="Folders (or files) holding the systems.")],
    output: PageOutput,
    format: Format = None,
    as_of: AsOf = None,
    reports: Annotated[
        Path | None,
        typer.Option(
            "--reports", metavar="FOLDER", help="The folder for each system's own report (default: PAGE-systems)."
        ),
    ] = None,
    no_reports: Annotated[bool, typer.Option("--no-reports", help="Write no report per system.")] = False,
    history: Annotated[
        bool, typer.Option("--history", help="Add the trends of the folders' git history (or dated copies).")
    ] = False,
    exclude: Exclude = None,
    jobs: Jobs = None,
) -> None:
    """Show every system at a glance: verdict, score, days to day 180, open and overdue items, most urgent first."""
    import datetime as dt

    from oscal_poam.errors import UsageError
    from oscal_poam.io.outputs import STDOUT, is_stream, refuse_overwriting
    from oscal_poam.portfolio.api import portfolio as build
    from oscal_poam.portfolio.discover import boundary_of
    from oscal_poam.portfolio.render import render_html, render_json, render_markdown

    day = parse_as_of(as_of) or dt.date.today()
    kind = page_format(output, format)
    boundary_of(paths)  # every path exists, before any work
    folder = _reports_folder(output, reports, no_reports)
    href = None
    if folder is not None:
        base = Path(os.getcwd()) if is_stream(output) else output.parent
        href = Path(os.path.relpath(folder, base)).as_posix()
    bars = _Bars()
    try:
        found = build(paths, as_of=day, reports=href, excludes=exclude or (), jobs=jobs, progress=bars)
    finally:
        bars.stop()
    trends = None
    if history:
        from oscal_poam.history.api import portfolio_trends
        from oscal_poam.history.render import trend_view

        trends = trend_view(portfolio_trends(paths, found, as_of=day, excludes=exclude or ()))
    renderer = {"html": render_html, "markdown": render_markdown, "json": render_json}[kind]
    page = renderer(found, trends)
    outputs: list[tuple[str | os.PathLike[str], bytes]] = [(output, page.encode("utf-8"))]
    if folder is not None:
        outputs.extend((folder / Path(name).name, html.encode("utf-8")) for name, html in sorted(found.pages.items()))
    inputs = [("PATH", p) for p in paths] + [("the document", d) for r in found.rows for d in r.documents]
    refuse_overwriting([(str(path), path) for path, _ in outputs if os.fspath(path) != STDOUT], inputs)
    _write(outputs, folder)
    for unread in found.unread:
        err.print(f"not read: {unread.message}", markup=False)
    from oscal_poam.portfolio.pages import VERDICT_NAMES

    counts = ", ".join(f"{n} {VERDICT_NAMES[kind]}" for kind, n in found.by_verdict().items())
    reports_said = f"; {len(found.pages)} reports in {folder}" if folder is not None and found.pages else ""
    if not is_stream(output):
        out.print(f"Wrote {output}: {len(found.rows)} systems ({counts or 'none'}){reports_said}.", markup=False)
    elif reports_said:
        err.print(f"{len(found.rows)} systems ({counts or 'none'}){reports_said}.", markup=False)
    if not found.rows and not found.files:
        raise UsageError("no JSON, YAML or XML file found under the paths given")


def _reports_folder(output: Path, reports: Path | None, no_reports: bool) -> Path | None:
    from oscal_poam.io.outputs import is_stream

    if no_reports:
        return None
    if reports is not None:
        return reports
    if is_stream(output):
        return None
    return output.with_name(f"{output.stem}-systems")


def _write(outputs: list[tuple[str | os.PathLike[str], bytes]], folder: Path | None) -> None:
    """Every page, or none: a reports folder made for them is removed again when the writing fails."""
    from oscal_poam.errors import WriteError
    from oscal_poam.io.outputs import is_stream, write_outputs

    made = False
    page = Path(outputs[0][0])
    if not is_stream(page) and not page.parent.is_dir():
        raise WriteError(f"{page}: folder {page.parent} does not exist")
    if folder is not None and len(outputs) > 1:
        try:
            folder.mkdir(parents=False, exist_ok=False)
            made = True
        except FileExistsError:
            if not folder.is_dir():
                raise WriteError(f"{folder}: exists and is not a folder") from None
        except OSError as exc:
            raise WriteError(f"{folder}: cannot make the folder: {exc.strerror or exc}") from None
    try:
        write_outputs(outputs, waiting(outputs[0][0]))
    except WriteError:
        if made and folder is not None:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


class _Bars:
    """One progress bar per phase of the work (reading the files, judging the systems)."""

    def __init__(self) -> None:
        self.phase = ""
        self.bar: LazyProgress | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        from oscal_poam.cli.progress import lazy_progress

        if phase != self.phase:
            self.stop()
            self.phase = phase
            self.bar = lazy_progress(phase, total)
        if self.bar is not None:
            self.bar(done, total)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
