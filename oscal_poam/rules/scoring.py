"""CMMC scoring (32 CFR 170.24).

Level 2: 110 minus the value of every NOT MET requirement, partial values where they apply; N/A scores as
MET; CA.L2-3.12.4 (the SSP) NOT MET or missing means the assessment cannot be completed, so there is no
score. Level 3: the number of the 24 requirements MET. Level 1: the number of the 15 MET, and only all 15
counts (170.24(c)(1)). A requirement that is not assessed is never counted as MET: the score deducts its
full value and an error diagnostic stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oscal_poam.cmmc.catalog import catalog
from oscal_poam.cmmc.regulation import SSP_CITATION, SSP_FINDING, SSP_REQUIREMENT, counts_as_met, scored_in_points
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.facts.results import Assessment, RequirementResult
from oscal_poam.rules.registry import rule

SSP_MISSING = rule(
    "score-ssp-missing",
    Severity.ERROR,
    SSP_CITATION,
    "CA.L2-3.12.4 System Security Plan is NOT MET or not assessed: the assessment cannot be completed, no score.",
    "scoring",
)


@dataclass(frozen=True)
class FamilyScore:
    """One row of the per-family breakdown."""

    family: str
    name: str
    requirements: int
    met: int
    not_met: int
    not_applicable: int
    not_assessed: int
    points_deducted: int
    """NOT MET deductions plus the full value of every requirement not assessed."""

    def to_dict(self, points: bool = True) -> dict[str, Any]:
        return {
            "family": self.family,
            "name": self.name,
            "requirements": self.requirements,
            "met": self.met,
            "not-met": self.not_met,
            "not-applicable": self.not_applicable,
            "not-assessed": self.not_assessed,
            "points-deducted": self.points_deducted if points else None,
        }


@dataclass(frozen=True)
class Score:
    level: int
    score: int | None
    """None when the assessment cannot be completed (Level 2 without CA.L2-3.12.4 MET)."""
    maximum: int
    """110 at Level 2, 24 at Level 3, 15 at Level 1."""
    met: int
    not_met: int
    not_applicable: int
    not_assessed: int
    families: tuple[FamilyScore, ...]
    diagnostics: tuple[Diagnostic, ...]
    """The assessment's reading diagnostics, then the scoring ones."""
    assessment: Assessment

    @property
    def ratio(self) -> float | None:
        """score / maximum, the figure 32 CFR 170.21(a) compares with 0.8."""
        return None if self.score is None else self.score / self.maximum

    @property
    def blocked(self) -> bool:
        return self.score is None

    @property
    def points_deducted(self) -> int:
        return sum(f.points_deducted for f in self.families)

    @property
    def in_points(self) -> bool:
        """Does the level have a score in points (Level 1 is MET or NOT MET in its entirety, 170.24(c)(1))."""
        return scored_in_points(self.level)

    @property
    def met_all(self) -> bool:
        """Is every requirement MET (N/A counts as MET): Level 1's whole result."""
        return all(counts_as_met(r.status) for r in self.assessment.requirements.values())

    def to_dict(self) -> dict[str, Any]:
        """The JSON form `oscal-poam score --format json` prints under `score`; at Level 1, which has no points,
        `score`, `maximum`, `ratio` and `points-deducted` are null and `met-all` is the result."""
        points = self.in_points
        return {
            "level": self.level,
            "score": self.score if points else None,
            "maximum": self.maximum if points else None,
            "ratio": None if self.ratio is None or not points else round(self.ratio, 4),
            "points-deducted": self.points_deducted if points else None,
            "met-all": self.met_all,
            "met": self.met,
            "not-met": self.not_met,
            "not-applicable": self.not_applicable,
            "not-assessed": self.not_assessed,
            "families": [f.to_dict(points) for f in self.families],
        }


def deduction(result: RequirementResult) -> int:
    """What `result` takes off the maximum: its NOT MET points, or its full value while not assessed."""
    if result.status == "not-met":
        return result.points_deducted
    if result.status == "not-assessed":
        return result.full_points
    return 0


def score(assessment: Assessment) -> Score:
    """Score `assessment` by 32 CFR 170.24(c)."""
    cat = catalog(assessment.level)
    results = list(assessment.requirements.values())
    diagnostics = list(assessment.diagnostics)

    families = []
    for family, name in cat.families():
        rows = [r for r in results if r.requirement.family == family]
        families.append(
            FamilyScore(
                family=family,
                name=name,
                requirements=len(rows),
                met=sum(r.status == "met" for r in rows),
                not_met=sum(r.status == "not-met" for r in rows),
                not_applicable=sum(r.status == "not-applicable" for r in rows),
                not_assessed=sum(r.status == "not-assessed" for r in rows),
                points_deducted=sum(deduction(r) for r in rows),
            )
        )

    maximum = cat.max_score
    value: int | None = maximum - sum(deduction(r) for r in results)
    ssp = assessment.by_label(SSP_REQUIREMENT) if assessment.level == 2 else None
    if ssp is not None and ssp.status != "met":
        value = None
        why = {
            "not-met": "is NOT MET",
            "not-assessed": "is not assessed",
            "not-applicable": "is marked N/A, but every assessed system needs one",
        }[ssp.status]
        diagnostics.append(
            SSP_MISSING.diag(
                f"{ssp.name} {why}: '{SSP_FINDING}', so there is no score",
                pointer=ssp.finding_pointers[0] if ssp.finding_pointers else assessment.result_pointer,
                document=assessment.document,
                subject=ssp.label,
            )
        )

    return Score(
        level=assessment.level,
        score=value,
        maximum=maximum,
        met=sum(r.status == "met" for r in results),
        not_met=sum(r.status == "not-met" for r in results),
        not_applicable=sum(r.status == "not-applicable" for r in results),
        not_assessed=sum(r.status == "not-assessed" for r in results),
        families=tuple(families),
        diagnostics=tuple(diagnostics),
        assessment=assessment,
    )
