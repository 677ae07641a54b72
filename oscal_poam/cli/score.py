"""`oscal-poam score RESULTS`: the 32 CFR 170.24 score and the 170.21(a) verdict of an assessment.

JSON output (`--format json`) is one object (README: "Score and closeout as JSON"):

- `format`: `oscal-poam-score`; `version`: `2`;
- `document`: the results file;
- `score`: `level`, `score` (null when the assessment cannot be completed, and at Level 1, which is MET or NOT
  MET in its entirety with no points), `maximum`, `ratio` (4 decimals, null with the score), `points-deducted`
  (null at Level 1), `met-all` (every requirement MET or N/A), `met`, `not-met`, `not-applicable`,
  `not-assessed`, and `families`: one row per family with `family`, `name`, `requirements`, `met`, `not-met`,
  `not-applicable`, `not-assessed`, `points-deducted`;
- `verdict`: `status` (`final`, `conditional`, `expired` or `none`), `cmmc-status` (`Conditional Level 2
  (C3PAO)`), `qualifier` (`subject to Final Level 2 (C3PAO)`, or null), `level`, `assessment-type`,
  `status-date`, `deadline` (conditional only), `poam-requirements` (official ids the POA&M must hold), and with
  `--as-of` also `as-of` and `days-left`;
- `counts`: diagnostics by severity; `diagnostics`: every diagnostic (reading, scoring and eligibility), each
  with `rule-id`, `severity`, `message`, `pointer`, `citation`, `document`, `subject`, `line`, `column`.

Exit status: 0 when no error diagnostic stands, 1 when one does, 3 when the file cannot be loaded.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oscal_poam.cli.common import (
    AsOf,
    Detail,
    ExitCode,
    FailOn,
    Ignore,
    Level,
    Quiet,
    Select,
    TextOrJson,
    Verbose,
    detail_of,
    out,
    parse_as_of,
    parse_level,
    print_json,
    selection_of,
    show_diagnostics,
)

if TYPE_CHECKING:
    import datetime as dt

    from oscal_poam.diagnostics import Diagnostic
    from oscal_poam.engine.verdict import Verdict
    from oscal_poam.rules.scoring import Score


def score(
    results: Annotated[Path, typer.Argument(metavar="RESULTS", help="OSCAL assessment results (JSON, YAML or XML).")],
    level: Level = None,
    level2_final: Annotated[
        bool | None,
        typer.Option(
            "--level2-final/--no-level2-final",
            help="Level 3: whether the scope already holds Final Level 2 (C3PAO) status (unchecked unless given).",
        ),
    ] = None,
    as_of: AsOf = None,
    format: TextOrJson = "text",
    fail_on: FailOn = "error",
    select: Select = None,
    ignore: Ignore = None,
    verbose: Verbose = False,
    quiet: Quiet = False,
) -> None:
    """Score an assessment (32 CFR 170.24) and say which CMMC status it earns (32 CFR 170.21(a))."""
    from oscal_poam.diagnostics import Severity
    from oscal_poam.engine.api import evaluate_results
    from oscal_poam.io.load import load
    from oscal_poam.render.counts import count_by_severity

    day = parse_as_of(as_of)
    chosen = parse_level(level)
    detail = detail_of(verbose, quiet)
    selection = selection_of(select, ignore)
    doc = load(results, expect="assessment-results")
    evaluation = evaluate_results(
        doc, chosen, level2_final=level2_final, as_of=day, select=selection.select, ignore=selection.ignore
    )
    scored, verdict = evaluation.score, evaluation.verdict
    assert scored is not None and verdict is not None  # results alone are always scored and judged
    diagnostics = list(evaluation.diagnostics)
    if format == "json":
        payload = {
            "format": "oscal-poam-score",
            "version": 2,
            "document": doc.source,
            "score": scored.to_dict(),
            "verdict": verdict.to_dict(day),
            "counts": count_by_severity(diagnostics),
            "diagnostics": [d.to_dict() for d in diagnostics],
        }
        print_json(payload)
    else:
        _print_text(doc.source, scored, verdict, diagnostics, day, detail)
    if evaluation.fails(Severity(fail_on)):
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def _print_text(
    source: str, scored: Score, verdict: Verdict, diagnostics: list[Diagnostic], day: dt.date | None, detail: Detail
) -> None:
    from oscal_poam.cli.verdict_line import verdict_line

    if detail is not Detail.QUIET:
        _print_table(source, scored)
        out.print(_score_line(scored), markup=False)
    out.print(verdict_line(verdict, day), markup=False)
    show_diagnostics(diagnostics, detail, out)


def _print_table(source: str, scored: Score) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from oscal_poam.quoting import printable

    assessment = scored.assessment
    kind = f"{assessment.assessment_type or 'type not given'}, {assessment.kind}"
    table = Table(
        title=escape(printable(f"{source}: Level {scored.level} ({kind})")),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Family")
    headers = ["Reqs", "MET", "N/A", "NOT\nMET", "Not\nassessed"]
    if scored.in_points:
        headers.append("Points\ndeducted")
    for header in headers:
        table.add_column(header, justify="right", no_wrap=True, min_width=max(map(len, header.split("\n"))))

    def row(*cells: object, points: int) -> list[str]:
        values = [str(c) for c in cells]
        return [*values, str(points)] if scored.in_points else values

    for index, family in enumerate(scored.families):
        table.add_row(
            *row(
                f"{family.family} {family.name}",
                family.requirements,
                family.met,
                family.not_applicable,
                family.not_met,
                family.not_assessed,
                points=family.points_deducted,
            ),
            end_section=index == len(scored.families) - 1,
        )
    table.add_row(
        *row(
            "Total",
            sum(f.requirements for f in scored.families),
            scored.met,
            scored.not_applicable,
            scored.not_met,
            scored.not_assessed,
            points=scored.points_deducted,
        ),
        style="bold",
    )
    out.print(table)


def _score_line(scored: Score) -> str:
    if not scored.in_points:
        total = sum(f.requirements for f in scored.families)
        short = total - scored.met - scored.not_applicable
        if scored.met_all:
            result = f"MET: all {total} requirements are MET"
        else:
            result = f"NOT MET: {short} of {total} requirement{'' if total == 1 else 's'} not MET"
        return f"Result: {result} (Level 1 is MET or NOT MET in its entirety, with no points; 32 CFR 170.24(c)(1))"
    if scored.score is None:
        return f"Score: none (the assessment cannot be completed); maximum {scored.maximum}"
    ratio = scored.ratio if scored.ratio is not None else 0.0
    return f"Score: {scored.score} / {scored.maximum} (ratio {ratio:.3f})"
