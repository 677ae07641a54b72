"""The verdict: which CMMC status the facts support, decided here and nowhere else.

The rules say what stands in the way (each reason a diagnostic with its citation); this module turns the reasons
and the facts into one `Verdict`, by one of three bases, whichever the inputs allow:

- `results`: initial assessment results (32 CFR 170.24, 170.21(a)): Final when every requirement is MET,
  Conditional when the NOT MET requirements may all sit on a POA&M, else none;
- `closeout`: a POA&M and its closeout assessment (170.21(b)): Final when the closeout closes every item in time,
  else still Conditional until day 180, then expired;
- `poam`: a POA&M alone, judged as it records itself: Conditional when its items may all be on a POA&M and the
  points they record leave a score at the threshold, else none.

Whatever the basis, a Conditional status is `expired` once the as-of date is past day 180 with no closeout
(48 CFR 204.7502(b)(2)), and a Level 3 status without evidence of Final Level 2 (C3PAO) is qualified in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from oscal_poam.cmmc import regulation
from oscal_poam.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from oscal_poam.facts.results import RequirementResult

VerdictStatus = Literal["final", "conditional", "expired", "none", "unknown"]
Basis = Literal["results", "closeout", "poam"]


@dataclass(frozen=True)
class Verdict:
    level: int | None
    assessment_type: str | None
    status: VerdictStatus
    """`final`, `conditional`, `expired` (a Conditional status past day 180 with no closeout), `none` (no status),
    or `unknown` (the inputs do not say: a POA&M with no level or no items, and nothing else given)."""
    cmmc_status: str
    """The status as 48 CFR 204.7501 names it, e.g. `Conditional Level 2 (C3PAO)`, or `No CMMC status`."""
    reasons: tuple[Diagnostic, ...]
    """Everything that decides the verdict, each with its citation."""
    status_date: dt.date | None
    deadline: dt.date | None
    """Conditional (or expired) only: the Conditional CMMC Status Date + 180 days, the last day a closeout may end."""
    poam: tuple[RequirementResult, ...] = ()
    """The NOT MET requirements a POA&M must hold (170.24(c)(2)(i)(B)(6)), in catalog order."""
    qualifier: str = ""
    """Words that qualify the status, e.g. `subject to Final Level 2 (C3PAO)`; '' when none."""
    basis: Basis = "results"
    as_of: dt.date | None = None
    """The day the verdict was judged on (expiry); None when judged as of the assessment itself."""
    detail: str = ""
    """One sentence on the status: what it rests on, or why there is none."""

    @property
    def eligible(self) -> bool:
        """Do the facts support a status (Final or Conditional) as of the day judged."""
        return self.status in ("final", "conditional")

    @property
    def statement(self) -> str:
        """The status name with its qualifier: `Final Level 3 (DIBCAC), subject to Final Level 2 (C3PAO)`."""
        return f"{self.cmmc_status}, {self.qualifier}" if self.qualifier else self.cmmc_status

    def days_left(self, as_of: dt.date) -> int | None:
        """Days from `as_of` to the deadline (0 on day 180, negative once past); None without a deadline."""
        return None if self.deadline is None else (self.deadline - as_of).days

    def to_dict(self, as_of: dt.date | None = None) -> dict[str, Any]:
        """The JSON form `oscal-poam score --format json` prints under `verdict`."""
        data: dict[str, Any] = {
            "status": self.status,
            "cmmc-status": self.cmmc_status,
            "qualifier": self.qualifier or None,
            "level": self.level,
            "assessment-type": self.assessment_type,
            "status-date": self.status_date.isoformat() if self.status_date else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "poam-requirements": [r.label for r in self.poam],
        }
        day = as_of or self.as_of
        if day is not None:
            data["as-of"] = day.isoformat()
            data["days-left"] = self.days_left(day)
        return data


def blocked(reasons: Iterable[Diagnostic]) -> bool:
    """Does an error stand among the reasons: then there is no status."""
    return any(d.severity is Severity.ERROR for d in reasons)


@dataclass(frozen=True)
class _Case:
    """What every verdict of one set of inputs shares; `status` makes the verdict and names it."""

    level: int | None
    assessment_type: str | None
    reasons: tuple[Diagnostic, ...]
    status_date: dt.date | None
    basis: Basis
    as_of: dt.date | None
    name_type: str | None = None
    """The assessment type the status is named with (None: the level's only type, or unnamed at Level 2)."""

    @property
    def deadline(self) -> dt.date | None:
        return regulation.deadline(self.status_date) if self.status_date is not None else None

    def status(
        self,
        status: VerdictStatus,
        *,
        poam: Sequence[RequirementResult] = (),
        qualifier: str = "",
        detail: str = "",
        deadline: bool = True,
    ) -> Verdict:
        if status == "unknown" or self.level is None:
            name = ""
        elif status == "expired":
            name = regulation.expired_name(self.level, self.name_type)
        else:
            name = regulation.status_name(status, self.level, self.name_type)
        return Verdict(
            self.level,
            self.assessment_type,
            status,
            name,
            self.reasons,
            self.status_date,
            self.deadline if deadline else None,
            tuple(poam),
            qualifier=qualifier if status in ("final", "conditional") else "",
            basis=self.basis,
            as_of=self.as_of,
            detail=detail,
        )


def judged(
    *,
    level: int | None,
    assessment_type: str | None,
    reasons: Sequence[Diagnostic],
    not_met: Sequence[RequirementResult],
    status_date: dt.date | None,
    as_of: dt.date | None,
    basis: Basis,
    name_type: str | None = None,
    qualifier: str = "",
) -> Verdict:
    """The verdict of an initial assessment (32 CFR 170.21(a)).

    `not_met`: the requirements left NOT MET: none gives Final, some give Conditional where the level allows one.
    `name_type`: the assessment type the status is named with (None: not named, at Level 2).
    """
    case = _Case(level, assessment_type, tuple(reasons), status_date, basis, as_of, name_type)
    if level is None:
        return case.status("unknown")
    if blocked(reasons):
        return case.status("none", deadline=False)
    if not not_met:
        return case.status("final", qualifier=qualifier, deadline=False)
    deadline = case.deadline
    if as_of is not None and deadline is not None and as_of > deadline:
        return case.status("expired", poam=not_met)
    return case.status("conditional", poam=not_met, qualifier=qualifier)


def after_closeout(
    *,
    level: int | None,
    assessment_type: str | None,
    reasons: Sequence[Diagnostic],
    status_date: dt.date | None,
    as_of: dt.date,
    happened: bool,
    late: bool,
    earned: bool,
) -> Verdict:
    """The verdict of a POA&M and its closeout assessment (32 CFR 170.21(b)).

    `happened`: the closeout had ended by `as_of` (else it is not taken into account). `late`: it ended after the
    end of day 180. `earned`: the POA&M records a Conditional status to close out.
    """
    case = _Case(level, assessment_type, tuple(reasons), status_date, "closeout", as_of, assessment_type)
    if level is None:
        return case.status("unknown")
    if not regulation.conditional_allowed(level) or not earned:
        return case.status("none", deadline=False)
    if happened and not blocked(reasons):
        return case.status("final")
    deadline = case.deadline
    if deadline is not None and (as_of > deadline or (happened and late)):
        return case.status("expired")
    return case.status("conditional")


def as_recorded(
    *,
    level: int | None,
    assessment_type: str | None,
    reasons: Sequence[Diagnostic],
    items: int,
    open_items: int,
    status_date: dt.date | None,
    as_of: dt.date | None,
) -> Verdict:
    """The status a POA&M records of itself, with nothing else given.

    `reasons`: what keeps it from a Conditional status (items that may not be on a POA&M, a recorded score below
    the threshold). With every item closed it stays Conditional: only a closeout assessment decides Final, or lets
    it expire.
    """
    case = _Case(level, assessment_type, tuple(reasons), status_date, "poam", as_of, assessment_type)
    if level is None:
        return case.status("unknown", deadline=False, detail="the POA&M states no CMMC level")
    if items == 0:
        return case.status("unknown", deadline=False, detail="the POA&M holds no items and no results were given")
    if not regulation.conditional_allowed(level):
        detail = f"a POA&M is not permitted at Level 1 ({regulation.NO_POAM_AT_LEVEL_1})"
        return case.status("none", deadline=False, detail=detail)
    if reasons:
        return case.status("none", deadline=False)
    deadline = case.deadline
    if open_items and as_of is not None and deadline is not None and as_of > deadline:
        still = (
            f"{open_items} item{'' if open_items == 1 else 's'} still open after the deadline {deadline.isoformat()}"
        )
        return case.status("expired", detail=still)
    if not open_items:
        return case.status(
            "conditional", detail="every item is closed, and a POA&M closeout assessment decides Final status"
        )
    return case.status("conditional")
