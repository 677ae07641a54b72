"""`oscal-poam score RESULTS`: the 32 CFR 170.24 score and the 170.21(a) verdict of an assessment.

JSON output (`--format json`) is one object (README: "Score and closeout as JSON"):

- `format`: `oscal-poam-score`; `version`: `2`;
- `document`: the results file;
- `score`: `level`, `score` (null when the assessment cannot be completed), `maximum`, `ratio` (4 decimals,
  null with the score), `points-deducted`, `met`, `not-met`, `not-applicable`, `not-assessed`, and
  `families`: one row per family with `family`, `name`, `requirements`, `met`, `not-met`, `not-applicable`,
  `not-assessed`, `points-deducted`;
- `verdict`: `status` (`final`, `conditional`, `expired` or `none`), `cmmc-status` (`Conditional Level 2
  (C3PAO)`), `qualifier` (`subject to Final Level 2 (C3PAO)`, or null), `level`, `assessment-type`,
  `status-date`, `deadline` (conditional only), `poam-requirements` (official ids the POA&M must hold), and with
  `--as-of` also `as-of` and `days-left`;
- `counts`: diagnostics by severity; `diagnostics`: every diagnostic (reading, scoring and eligibility), each
  with `rule-id`, `severity`, `message`, `pointer`, `citation`, `document`, `subject`, `line`.

Exit status: 0 when no error diagnostic stands, 1 when one does, 3 when the file cannot be loaded.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oscal_poam.cli.common import AsOf, ExitCode, TextOrJson, out, parse_as_of, print_json

if TYPE_CHECKING:
    import datetime as dt

    from oscal_poam.diagnostics import Diagnostic
    from oscal_poam.engine.verdict import Verdict
    from oscal_poam.rules.scoring import Score


def score(
    results: Annotated[Path, typer.Argument(help="OSCAL assessment results (JSON, YAML or XML).")],
    level: Annotated[
        int | None,
        typer.Option("--level", min=1, max=3, help="CMMC level 1, 2 or 3 (default: the result's cmmc-level)."),
    ] = None,
    level2_final: Annotated[
        bool | None,
        typer.Option(
            "--level2-final/--no-level2-final",
            help="Level 3: whether the scope already holds Final Level 2 (C3PAO) status (unchecked unless given).",
        ),
    ] = None,
    as_of: AsOf = None,
    format: TextOrJson = "text",
) -> None:
    """Score an assessment (32 CFR 170.24) and say which CMMC status it earns (32 CFR 170.21(a))."""
    from oscal_poam.diagnostics import Severity
    from oscal_poam.engine.api import evaluate_results
    from oscal_poam.io.load import load
    from oscal_poam.render.counts import count_by_severity

    day = parse_as_of(as_of)
    doc = load(results, expect="assessment-results")
    evaluation = evaluate_results(doc, level, level2_final=level2_final, as_of=day)
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
        _print_text(doc.source, scored, verdict, diagnostics, day)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise typer.Exit(ExitCode.DIAGNOSTICS)


def _print_text(
    source: str, scored: Score, verdict: Verdict, diagnostics: list[Diagnostic], day: dt.date | None
) -> None:
    from rich import box
    from rich.table import Table

    from oscal_poam.render.text import render_text

    assessment = scored.assessment
    kind = f"{assessment.assessment_type or 'unknown type'}, {assessment.kind}"
    table = Table(
        title=f"{source}: Level {scored.level} ({kind})", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
    )
    table.add_column("Family")
    for header in ("Reqs", "MET", "N/A", "NOT\nMET", "Not\nassessed", "Points\ndeducted"):
        table.add_column(header, justify="right", no_wrap=True, min_width=max(map(len, header.split("\n"))))
    for index, row in enumerate(scored.families):
        table.add_row(
            f"{row.family} {row.name}",
            str(row.requirements),
            str(row.met),
            str(row.not_applicable),
            str(row.not_met),
            str(row.not_assessed),
            str(row.points_deducted),
            end_section=index == len(scored.families) - 1,
        )
    table.add_row(
        "Total",
        str(sum(f.requirements for f in scored.families)),
        str(scored.met),
        str(scored.not_applicable),
        str(scored.not_met),
        str(scored.not_assessed),
        str(scored.points_deducted),
        style="bold",
    )
    out.print(table)
    if scored.score is None:
        out.print(f"Score: none (the assessment cannot be completed); maximum {scored.maximum}", markup=False)
    else:
        ratio = scored.ratio if scored.ratio is not None else 0.0
        out.print(f"Score: {scored.score} / {scored.maximum} (ratio {ratio:.3f})", markup=False)
    out.print(_verdict_line(verdict, day), markup=False)
    out.print(render_text(diagnostics), end="", markup=False)


def _verdict_line(verdict: Verdict, day: dt.date | None) -> str:
    line = f"Verdict: {verdict.statement}"
    if verdict.status == "none":
        count = sum(d.severity.value == "error" for d in verdict.reasons)
        line += f" ({count} reason{'' if count == 1 else 's'} below)"
    if verdict.status == "conditional":
        count = len(verdict.poam)
        line += f"; {count} requirement{'' if count == 1 else 's'} on the POA&M"
        if verdict.deadline is not None:
            line += f", closeout due by {verdict.deadline.isoformat()}"
            if day is not None:
                line += f" ({verdict.days_left(day)} days left as of {day.isoformat()})"
    return line
