"""`oscal-poam validate PATH...`: check every OSCAL file of a repository.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from oscal_poam.cli.common import (
    AsOf,
    Detail,
    Exclude,
    ExitCode,
    FailOn,
    Generic,
    Ignore,
    Jobs,
    Quiet,
    Select,
    TextJsonOrSarif,
    Verbose,
    detail_of,
    err,
    out,
    parse_as_of,
    roots,
    selection_of,
    show_diagnostics,
    waiting,
)
from oscal_poam.cli.progress import lazy_progress
from oscal_poam.quoting import printable

if TYPE_CHECKING:
    from oscal_poam.validate.run import ValidationReport


def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH", help="Files and folders to check; folders are walked for JSON, YAML and XML files."
        ),
    ],
    format: TextJsonOrSarif = "text",
    fail_on: FailOn = "error",
    jobs: Jobs = None,
    exclude: Exclude = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file instead of stdout."),
    ] = None,
    as_of: AsOf = None,
    root: Annotated[
        Path | None,
        typer.Option(
            "--root",
            metavar="FOLDER",
            file_okay=False,
            help="The repository: files are read, and documents may name files, only inside it (links that leave "
            "it are not followed). Default: the folders given, and for a file its git work tree, else its folder.",
        ),
    ] = None,
    select: Select = None,
    ignore: Ignore = None,
    generic: Generic = False,
    verbose: Verbose = False,
    quiet: Quiet = False,
) -> None:
    """Check OSCAL files: the model, unique UUIDs, references, imports, and the CMMC rules where they apply."""
    from oscal_poam.diagnostics import Severity
    from oscal_poam.errors import UsageError
    from oscal_poam.io.boundary import Boundary, repository_roots
    from oscal_poam.validate.run import validate_files
    from oscal_poam.validate.walk import candidate_files

    day = parse_as_of(as_of)
    detail = detail_of(verbose, quiet)
    selection = selection_of(select, ignore)
    chosen = roots(root)
    boundary = Boundary.of(chosen) if chosen is not None else repository_roots(paths)
    try:
        files = candidate_files(paths, exclude or ())
    except FileNotFoundError as exc:
        raise UsageError(f"no such file or folder: {exc.args[0]}") from None
    if output is not None:
        from oscal_poam.io.outputs import refuse_overwriting

        refuse_overwriting([("--output", output)], [*(("PATH", p) for p in paths), *(("the file", f) for f in files)])
    bar = lazy_progress("validating", len(files))
    try:
        report = validate_files(
            files, jobs=jobs, as_of=day, progress=bar, boundary=boundary, selection=selection, generic=generic
        )
    finally:
        if bar is not None:
            bar.stop()
    _emit(report, format, output, detail)
    if report.fails(Severity(fail_on)):
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def _emit(report: ValidationReport, fmt: Literal["text", "json", "sarif"], output: Path | None, detail: Detail) -> None:
    from oscal_poam.render.counts import summary_line
    from oscal_poam.render.formats import render

    diagnostics = report.diagnostics
    checked = f"{len(report.files)} file{'' if len(report.files) == 1 else 's'} checked, {report.oscal_files} OSCAL"
    if output is not None:
        from oscal_poam.io.outputs import write_bytes

        write_bytes(output, render(diagnostics, fmt).encode("utf-8"), waiting(output))
        err.print(f"{checked}: {summary_line(diagnostics)}; report written to {printable(str(output))}", markup=False)
        return
    if fmt != "text":
        out.file.write(render(diagnostics, fmt))
        out.file.flush()
        return
    if detail is Detail.QUIET:
        out.print(f"{checked}: {summary_line(diagnostics)}", markup=False)
    show_diagnostics(diagnostics, detail, out, counted=f"{checked}: ")
