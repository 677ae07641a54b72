"""The `oscal-poam` command.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from oscal_poam import __version__
from oscal_poam.cli import catalog as catalog_cmd
from oscal_poam.cli import check as check_cmd
from oscal_poam.cli import closeout as closeout_cmd
from oscal_poam.cli import convert as convert_cmd
from oscal_poam.cli import derive as derive_cmd
from oscal_poam.cli import diff as diff_cmd
from oscal_poam.cli import info as info_cmd
from oscal_poam.cli import legacy as legacy_cmd
from oscal_poam.cli import portfolio as portfolio_cmd
from oscal_poam.cli import report as report_cmd
from oscal_poam.cli import score as score_cmd
from oscal_poam.cli import trend as trend_cmd
from oscal_poam.cli import validate as validate_cmd
from oscal_poam.cli import verify as verify_cmd
from oscal_poam.cli.common import ExitCode, err

if TYPE_CHECKING:
    from oscal_poam.errors import LoadError

app = typer.Typer(
    name="oscal-poam",
    help="CMMC Plans of Action and Milestones in OSCAL: derive, score, check, validate and convert.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"oscal-poam {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """CMMC Plans of Action and Milestones in OSCAL."""


app.command("info")(info_cmd.info)
app.command("check")(check_cmd.check)
app.command("catalog")(catalog_cmd.catalog)
app.command("score")(score_cmd.score)
app.command("closeout")(closeout_cmd.closeout)
app.command("derive")(derive_cmd.derive)
app.command("validate")(validate_cmd.validate)
app.command("report")(report_cmd.report)
app.command("verify")(verify_cmd.verify)
app.command("import")(legacy_cmd.import_command)
app.command("export")(legacy_cmd.export_command)
app.command("convert")(convert_cmd.convert)
app.command("diff")(diff_cmd.diff)
app.command("portfolio")(portfolio_cmd.portfolio)
app.command("trend")(trend_cmd.trend)


def main() -> None:
    """Console entry point: maps the project's errors to exit codes, never a traceback."""
    from oscal_poam.errors import LoadError, UsageError, WriteError

    try:
        app(prog_name="oscal-poam")
    except LoadError as exc:
        _problems(exc)
        sys.exit(ExitCode.LOAD)
    except UsageError as exc:
        _error(str(exc))
        sys.exit(ExitCode.USAGE)
    except WriteError as exc:
        _error(str(exc))
        sys.exit(ExitCode.WRITE)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except OverflowError as exc:  # days counted from a date too late for the calendar: find it in the inputs
        from oscal_poam.io.out_of_range import problem_in_files

        problem = problem_in_files(sys.argv[1:])
        if problem is None:
            _internal(exc)
        _error(str(problem))
        sys.exit(ExitCode.LOAD)
    except Exception as exc:  # the last line of defence: report, never a traceback
        _internal(exc)


def _error(message: str) -> None:
    """One error line on standard error, whatever the message holds (names from the command line, text from a
    document): escaped for the terminal, on one line."""
    from rich.markup import escape

    from oscal_poam.quoting import printable

    err.print(f"[bold red]error[/]: {escape(printable(message))}")


def _problems(exc: LoadError) -> None:
    """Every problem of a LoadError, up to OSCAL_POAM_MAX_PROBLEMS of them, then how many more."""
    from oscal_poam.limits import max_problems

    limit = max_problems()
    for problem in exc.problems[:limit]:
        _error(str(problem))
    if len(exc.problems) > limit:
        more = len(exc.problems) - limit
        err.print(f"… and {more:,} more problem{'s' if more != 1 else ''} (OSCAL_POAM_MAX_PROBLEMS={limit})")


def _internal(exc: BaseException) -> NoReturn:
    from rich.markup import escape

    from oscal_poam.quoting import printable

    if os.environ.get("OSCAL_POAM_DEBUG"):
        raise exc
    err.print(f"[bold red]internal error[/]: {type(exc).__name__}: {escape(printable(str(exc)))}")
    err.print("Set OSCAL_POAM_DEBUG=1 to see the traceback, and please report it.")
    sys.exit(ExitCode.INTERNAL)


if __name__ == "__main__":
    main()
