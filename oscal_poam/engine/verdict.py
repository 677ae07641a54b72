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


def judged(
    *,
    level: int | None,
    assessment_type: str | None,
    reasons: Sequence[Diagnostic],
    not_met: Sequence[RequirementResult] | int,
    status_date: dt.date | None,
    as_of: dt.date | None,
    basis: Basis,
    name_type: str | None = None,
    qualifier: str = "",
    closed_out: bool = False,
    detail: str = "",
) -> Verdict:
    """The verdict of an initial assessment, or of a POA&M as it records itself.

    `not_met`: the requirements left NOT MET (or their number): none gives Final, some give Conditional where the
    level allows one. `name_type`: the assessment type the status is named with (None: not named, at Level 2).
    `closed_out`: a closeout confirmed the POA&M (then Final even with items on it).
    """
    count = not_met if isinstance(not_met, int) else len(not_met)
    listed = () if isinstance(not_met, int) else tuple(not_met)
    if level is None:
        return Verdict(
            None,
            assessment_type,
            "unknown",
            "",
            tuple(reasons),
            status_date,
            None,
            basis=basis,
            as_of=as_of,
            detail=detail,
        )
    deadline = regulation.deadline(status_date) if status_date is not None else None
    if blocked(reasons):
        return Verdict(
            level,
            assessment_type,
            "none",
            regulation.NO_STATUS,
            tuple(reasons),
            status_date,
            None,
            basis=basis,
            as_of=as_of,
            detail=detail,
        )
    if count == 0 or closed_out:
        name = regulation.status_name("final", level, name_type)
        return Verdict(
            level,
            assessment_type,
            "final",
            name,
            tuple(reasons),
            status_date,
            None,
            qualifier=qualifier,
            basis=basis,
            as_of=as_of,
            detail=detail,
        )
    if as_of is not None and deadline is not None and as_of > deadline:
        name = regulation.expired_name(level, name_type)
        return Verdict(
            level,
            assessment_type,
            "expired",
            name,
            tuple(reasons),
            status_date,
            deadline,
            listed,
            basis=basis,
            as_of=as_of,
            detail=detail,
        )
    name = regulation.status_name("conditional", level, name_type)
    return Verdict(
        level,
        assessment_type,
        "conditional",
        name,
        tuple(reasons),
        status_date,
        deadline,
        listed,
        qualifier=qualifier,
        basis=basis,
        as_of=as_of,
        detail=detail,
    )


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
    deadline = regulation.deadline(status_date) if status_date is not None else None
    if level is None:
        return Verdict(
            None, assessment_type, "unknown", "", tuple(reasons), status_date, deadline, basis="closeout", as_of=as_of
        )
    if not regulation.conditional_allowed(level) or not earned:
        return Verdict(
            level,
            assessment_type,
            "none",
            regulation.NO_STATUS,
            tuple(reasons),
            status_date,
            None,
            basis="closeout",
            as_of=as_of,
        )
    if happened and not blocked(reasons):
        name = regulation.status_name("final", level, assessment_type)
        return Verdict(
            level, assessment_type, "final", name, tuple(reasons), status_date, deadline, basis="closeout", as_of=as_of
        )
    passed = deadline is not None and (as_of > deadline or (happened and late))
    if passed:
        name = regulation.expired_name(level, assessment_type)
        return Verdict(
            level,
            assessment_type,
            "expired",
            name,
            tuple(reasons),
            status_date,
            deadline,
            basis="closeout",
            as_of=as_of,
        )
    name = regulation.status_name("conditional", level, assessment_type)
    return Verdict(
        level,
        assessment_type,
        "conditional",
        name,
        tuple(reasons),
        status_date,
        deadline,
        basis="closeout",
        as_of=as_of,
    )


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
    the threshold). With every item closed it stays Conditional: only a
    closeout assessment decides Final, or lets it expire.
    """
    if level is None:
        return Verdict(
            None,
            assessment_type,
            "unknown",
            "",
            (),
            status_date,
            None,
            basis="poam",
            as_of=as_of,
            detail="the POA&M states no CMMC level",
        )
    if items == 0:
        return Verdict(
            level,
            assessment_type,
            "unknown",
            "",
            (),
            status_date,
            None,
            basis="poam",
            as_of=as_of,
            detail="the POA&M holds no items and no results were given",
        )
    if not regulation.conditional_allowed(level):
        return Verdict(
            level,
            assessment_type,
            "none",
            regulation.NO_STATUS,
            tuple(reasons),
            status_date,
            None,
            basis="poam",
            as_of=as_of,
            detail=f"a POA&M is not permitted at Level 1 ({regulation.NO_POAM_AT_LEVEL_1})",
        )
    if reasons:
        return Verdict(
            level,
            assessment_type,
            "none",
            regulation.NO_STATUS,
            tuple(reasons),
            status_date,
            None,
            basis="poam",
            as_of=as_of,
        )
    deadline = regulation.deadline(status_date) if status_date is not None else None
    if open_items and as_of is not None and deadline is not None and as_of > deadline:
        return Verdict(
            level,
            assessment_type,
            "expired",
            regulation.expired_name(level, assessment_type),
            (),
            status_date,
            deadline,
            basis="poam",
            as_of=as_of,
            detail=f"{open_items} item{'' if open_items == 1 else 's'} still open after the deadline "
            f"{deadline.isoformat()}",
        )
    detail = "" if open_items else "every item is closed, and a POA&M closeout assessment decides Final status"
    return Verdict(
        level,
        assessment_type,
        "conditional",
        regulation.status_name("conditional", level, assessment_type),
        (),
        status_date,
        deadline,
        basis="poam",
        as_of=as_of,
        detail=detail,
    )
