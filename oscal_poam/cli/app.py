"""The `oscal-poam` command.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

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
from oscal_poam.cli.common import CONTEXT_SETTINGS, ExitCode, err

if TYPE_CHECKING:
    from rich.text import Text

    from oscal_poam.errors import LoadError, Problem


def _argument_types_hidden() -> None:
    """Recent typer releases print an argument's type after its name (`PATH <list[Path]>`); the name, in the
    same capitals as the options' metavariables, says it. Releases without that display are left as they are."""
    from typer.core import TyperArgument

    shown = getattr(TyperArgument, "display_type_rich", None)
    if shown is None:
        return

    def display_type_rich(self: TyperArgument, ctx: object) -> Any:
        return None if self.metavar is not None else shown(self, ctx)

    setattr(TyperArgument, "display_type_rich", display_type_rich)  # noqa: B010 - the attribute differs by release


_argument_types_hidden()

app = typer.Typer(
    name="oscal-poam",
    help="CMMC Plans of Action and Milestones in OSCAL: derive, score, check, validate and convert.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # plain help, as linters print theirs: it reads at 80 columns, and flags show no value to give
    rich_markup_mode=None,
    context_settings=CONTEXT_SETTINGS,
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


COMMANDS = (
    ("derive", derive_cmd.derive, "Derive the POA&M of an assessment, check it and write it."),
    ("check", check_cmd.check, "Check a POA&M against every rule its inputs allow."),
    ("score", score_cmd.score, "Score an assessment and say which CMMC status it earns."),
    ("closeout", closeout_cmd.closeout, "Check a POA&M closeout assessment: Final or not."),
    ("report", report_cmd.report, "Report where a system stands, as HTML or Markdown."),
    ("validate", validate_cmd.validate, "Check every OSCAL file of a repository."),
    ("verify", verify_cmd.verify, "Attach scanner evidence to the POA&M's automated checks."),
    ("import", legacy_cmd.import_command, "Convert a legacy POA&M spreadsheet to OSCAL."),
    ("export", legacy_cmd.export_command, "Write a POA&M as a FedRAMP or eMASS spreadsheet."),
    ("convert", convert_cmd.convert, "Convert an OSCAL document between JSON, YAML and XML."),
    ("diff", diff_cmd.diff, "Say what changed between two versions of a POA&M."),
    ("portfolio", portfolio_cmd.portfolio, "Judge every system found, most urgent first."),
    ("trend", trend_cmd.trend, "Chart a POA&M's history: open items, remediation, score."),
    ("catalog", catalog_cmd.catalog, "List the requirements of a CMMC level."),
    ("info", info_cmd.info, "Show a document's model, version, title and counts."),
)
"""Each command, in the order `oscal-poam -h` lists them, with the one line it shows there."""

for _name, _function, _short in COMMANDS:
    app.command(_name, short_help=_short)(_function)


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
        err.print(problem_line(problem))
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
        err.print(problem_line(problem))
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


def problem_line(problem: Problem) -> Text:
    """A problem with an input, in the location style of every diagnostic: `path:line:column: error message`."""
    from rich.text import Text

    from oscal_poam.quoting import printable
    from oscal_poam.render.text import location

    return Text.assemble(
        (location(problem.file or "", problem.line, problem.column), "bold"),
        ": ",
        ("error", "bold red"),
        f" {printable(problem.message)}",
        (f" #{printable(problem.pointer)}" if problem.pointer else "", "dim"),
    )


if __name__ == "__main__":
    main()
