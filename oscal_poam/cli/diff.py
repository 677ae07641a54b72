"""`oscal-poam diff OLD NEW`: what changed between two versions of a POA&M.

Also the two ways `git diff` calls it (docs/history.md): `--textconv FILE` prints a POA&M one fact per line for a
textconv filter, and `--git` takes the seven arguments git gives an external diff command. In both, a version
that cannot be read is said in the output and the exit status stays 0, so that git carries on.

Exit status: 0 (with `--exit-code`, 1 when something changed), 2 for a usage error, 3 when an input cannot be
loaded, 5 when the output cannot be written.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import typer

from oscal_poam.cli.common import AsOf, ExitCode, parse_as_of, waiting

DiffFormat = Literal["text", "json", "markdown"]
FORMAT_SUFFIXES: dict[str, DiffFormat] = {".json": "json", ".md": "markdown", ".markdown": "markdown"}


def diff(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="OLD NEW",
            help="Two versions of a POA&M (/dev/null for none). With --textconv: one file. With --git: "
            "the arguments git gives an external diff command.",
            show_default=False,
        ),
    ],
    format: Annotated[
        DiffFormat | None,
        typer.Option("--format", "-f", help="text, json or markdown (default: from the -o suffix, else text)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the diff to this file instead of standard output."),
    ] = None,
    as_of: AsOf = None,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when the versions differ, as git does.")
    ] = False,
    textconv: Annotated[
        bool, typer.Option("--textconv", help="Print one POA&M one fact per line, for a git textconv filter.")
    ] = False,
    git: Annotated[bool, typer.Option("--git", help="Run as git's external diff command (GIT_EXTERNAL_DIFF).")] = False,
) -> None:
    """Show what changed between two versions of a POA&M: items, milestones, owners, resources and statuses."""
    from oscal_poam.diff.api import diff_files, read_version
    from oscal_poam.diff.render import render_json, render_markdown, render_text
    from oscal_poam.diff.render import textconv as as_lines
    from oscal_poam.errors import LoadError, UsageError

    day = parse_as_of(as_of) or dt.date.today()
    if textconv:
        if len(files) != 1:
            raise UsageError("--textconv takes one file")
        try:
            typer.echo(as_lines(read_version(files[0], day).state), nl=False)
        except LoadError as exc:
            typer.echo(_unreadable(exc))
        return
    if git:
        typer.echo(_git_diff(files, day), nl=False)
        return
    if len(files) != 2:
        raise UsageError(f"diff takes two files, OLD and NEW; {len(files)} given")
    chosen: DiffFormat = format or (FORMAT_SUFFIXES.get(output.suffix.lower(), "text") if output else "text")
    if output is not None:
        from oscal_poam.io.outputs import refuse_overwriting

        refuse_overwriting([("--output", output)], [("OLD", files[0]), ("NEW", files[1])])
    found = diff_files(files[0], files[1], as_of=day)
    renderer = {"text": render_text, "json": render_json, "markdown": render_markdown}[chosen]
    rendered = renderer(found)
    if output is None:
        typer.echo(rendered, nl=False)
    else:
        from oscal_poam.io.outputs import write_bytes

        write_bytes(output, rendered.encode("utf-8"), waiting(output))
    if exit_code and found.diff.changes:
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def _git_diff(arguments: list[str], day: dt.date) -> str:
    """git's external diff: `path old-file old-hex old-mode new-file new-hex new-mode` (and, for a rename, the
    new path and a header); one argument alone is an unmerged path."""
    from oscal_poam.diff.api import diff_files
    from oscal_poam.diff.render import render_text
    from oscal_poam.errors import LoadError, UsageError
    from oscal_poam.quoting import printable

    if len(arguments) == 1:
        return printable(f"{arguments[0]}: unmerged") + "\n"
    if len(arguments) not in (7, 9):
        raise UsageError(f"--git takes the 7 arguments git gives an external diff command; {len(arguments)} given")
    path, old, new = arguments[0], arguments[1], arguments[4]
    shown = arguments[7] if len(arguments) == 9 else path
    try:
        found = diff_files(old, new, as_of=day, names=(f"a/{path}", f"b/{shown}"))
    except LoadError as exc:
        return printable(f"{path}: ") + _unreadable(exc) + "\n"
    return render_text(found)


def _unreadable(exc: Exception) -> str:
    from oscal_poam.errors import LoadError
    from oscal_poam.quoting import printable

    problems = exc.problems if isinstance(exc, LoadError) else []
    first = str(problems[0]) if problems else str(exc)
    return printable(f"not read as a POA&M: {first}")
