"""`oscal-poam catalog`: the CMMC requirements of a level, as a table or as JSON.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated, Any

import typer

from oscal_poam.cli.common import TextOrJson, out, parse_level, print_json

if TYPE_CHECKING:
    from oscal_poam.cmmc.catalog import CmmcCatalog, Requirement

NO_VALUE = "—"


def catalog(
    level: Annotated[str, typer.Option("--level", "-l", metavar="LEVEL", help="CMMC level: 1, 2 or 3.")] = "2",
    format: TextOrJson = "text",
    family: Annotated[
        str | None,
        typer.Option("--family", metavar="FAMILY", help="Only the requirements of this family (domain), e.g. AC."),
    ] = None,
) -> None:
    """List the requirements of a CMMC level with their point values and POA&M eligibility.

    JSON output is a list with one object per requirement, in catalog order, with the keys
    control_id, label, title, family, family_name, level, nist_id, statement, points (null for
    CA.L2-3.12.4 and at Level 1), partial_points, requirement_type, poam_eligible (yes, no or
    conditional), level1_id, citation and objectives (a list of objects with id, letter and text).
    """
    from oscal_poam.cmmc.catalog import catalog as level_catalog

    cmmc = level_catalog(parse_level(level) or 2)
    requirements = list(cmmc.requirements)
    if family is not None:
        code = family.strip().upper()
        known = [c for c, _ in cmmc.families()]
        if code not in known:
            raise typer.BadParameter(
                f"Level {cmmc.level} has no family {family!r}; its families are {', '.join(known)}",
                param_hint="--family",
            )
        requirements = [r for r in requirements if r.family == code]
    if format == "json":
        print_json([as_json(r) for r in requirements])
        return
    _print_table(cmmc, requirements, family)


def as_json(requirement: Requirement) -> dict[str, Any]:
    return dataclasses.asdict(requirement)


def points_text(requirement: Requirement) -> str:
    """`5`, `3/5` where partial credit applies, `—` where there is no value."""
    if requirement.points is None:
        return NO_VALUE
    if requirement.partial_points is not None:
        return f"{requirement.partial_points}/{requirement.points}"
    return str(requirement.points)


def _print_table(cmmc: CmmcCatalog, requirements: list[Requirement], family: str | None) -> None:
    from rich.markup import escape
    from rich.table import Table

    scored = cmmc.level != 1
    title = f"CMMC Level {cmmc.level}"
    if family is not None and requirements:
        title += f", {requirements[0].family} {requirements[0].family_name}"
    table = Table(title=title, title_justify="left")
    table.add_column("Requirement", no_wrap=True)
    table.add_column("Title")
    if scored:
        table.add_column("Points", justify="right", no_wrap=True)
    table.add_column("POA&M", no_wrap=True)
    for requirement in requirements:
        row = [escape(requirement.label), escape(requirement.title)]
        if scored:
            row.append(points_text(requirement))
        row.append(requirement.poam_eligible)
        table.add_row(*row)
    out.print(table)

    total = len(cmmc.requirements)
    shown = f"{len(requirements)} of {total}" if len(requirements) != total else str(total)
    if scored:
        minimum = cmmc.max_score - sum(r.points or 0 for r in cmmc.requirements)
        out.print(f"{shown} requirements; maximum score {cmmc.max_score}, minimum score {minimum}")
    else:
        out.print(f"{shown} requirements; all must be MET, and no POA&M is permitted (32 CFR 170.24(c)(1))")
