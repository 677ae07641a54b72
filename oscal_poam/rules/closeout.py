"""POA&M closeout (32 CFR 170.21(b)): does a closeout assessment turn Conditional status into Final?

"A POA&M closeout assessment is a CMMC assessment that assesses only the NOT MET requirements that were
identified with POA&M in the initial assessment. The closing of a POA&M must be confirmed by a POA&M
closeout assessment within 180-days of the Conditional CMMC Status Date."

The POA&M alone says which requirements it holds (each poam-item's cmmc-requirement prop, else the
leading id of its title; closed items count too) and, in its metadata props, the level, the assessment
type and the Conditional CMMC Status Date. The verdict:

- `final`: the closeout covers every POA&M requirement, each is now MET (or N/A), it ended no later than
  day 180 after the status date, and the right party performed it; no error diagnostic stands;
- `conditional`: not (yet) closed out, but day 180 has not passed as of the given date;
- `expired`: not closed out and day 180 has passed as of the given date (or the closeout itself ended after
  day 180): the Conditional status has expired.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from oscal_poam.cmmc import regulation, vocab
from oscal_poam.cmmc.assessment import Assessment, Status, read_assessment, requirement_name
from oscal_poam.cmmc.catalog import Requirement, normalize_requirement_id
from oscal_poam.cmmc.regulation import ASSESSMENT_TYPES, CLOSEOUT_PARTY, CONDITIONAL_DAYS, implied_type, status_name
from oscal_poam.dates import leading_iso_day
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.io import pointers
from oscal_poam.rules.registry import Rule, rule

if TYPE_CHECKING:
    from trestle.oscal.assessment_results import AssessmentResults
    from trestle.oscal.poam import PlanOfActionAndMilestones

FAMILY = "closeout"
CITATION = "32 CFR 170.21(b)"

POAM_METADATA = rule(
    "closeout-poam-metadata",
    Severity.ERROR,
    CITATION,
    "The POA&M's metadata lacks a valid cmmc-level, cmmc-assessment-type or cmmc-status-date, which the "
    "closeout needs to know its deadline and who must perform it.",
    FAMILY,
)
LEVEL_1 = rule(
    "closeout-level-1",
    Severity.ERROR,
    "32 CFR 170.21(a)(1)",
    "A Level 1 POA&M: no POA&M is permitted at any time for Level 1, so there is nothing to close out.",
    FAMILY,
)
UNKNOWN_ITEM = rule(
    "closeout-item-unknown-requirement",
    Severity.ERROR,
    CITATION,
    "A poam-item names no requirement of the POA&M's level (neither its cmmc-requirement prop nor its title).",
    FAMILY,
)
EMPTY_POAM = rule(
    "closeout-empty-poam",
    Severity.WARNING,
    CITATION,
    "The POA&M holds no items, so there is nothing to close out.",
    FAMILY,
)
MISSING = rule(
    "closeout-missing-requirement",
    Severity.ERROR,
    CITATION,
    "A requirement on the POA&M has no finding in the closeout assessment.",
    FAMILY,
)
EXTRA = rule(
    "closeout-extra-requirement",
    Severity.WARNING,
    CITATION,
    "The closeout assesses a requirement that is not on the POA&M; a closeout assesses only the POA&M's.",
    FAMILY,
)
STILL_NOT_MET = rule(
    "closeout-still-not-met",
    Severity.ERROR,
    CITATION,
    "A requirement on the POA&M is still NOT MET in the closeout assessment.",
    FAMILY,
)
NOT_ENDED = rule(
    "closeout-not-ended",
    Severity.ERROR,
    CITATION,
    "The closeout result has no end: an unfinished closeout confirms nothing.",
    FAMILY,
)
LATE = rule(
    "closeout-late",
    Severity.ERROR,
    CITATION,
    "The closeout ended more than 180 days after the Conditional CMMC Status Date.",
    FAMILY,
)
EARLY = rule(
    "closeout-before-status-date",
    Severity.WARNING,
    CITATION,
    "The closeout ended before the Conditional CMMC Status Date, so it cannot be this POA&M's closeout.",
    FAMILY,
)
WRONG_PARTY = rule(
    "closeout-wrong-party",
    Severity.ERROR,
    CITATION,
    "The closeout was not performed by the party the rule names: the OSA itself for a Level 2 self-assessment, "
    "a C3PAO for a Level 2 certification assessment, DCMA DIBCAC for Level 3.",
    FAMILY,
)
KIND = rule(
    "closeout-kind",
    Severity.WARNING,
    CITATION,
    "The closeout result's cmmc-assessment-kind is not `closeout`.",
    FAMILY,
)
EXPIRED = rule(
    "closeout-expired",
    Severity.ERROR,
    CITATION,
    "The POA&M was not closed out within 180 days of the Conditional CMMC Status Date: the Conditional status "
    "has expired.",
    FAMILY,
)

CloseoutVerdict = Literal["final", "conditional", "expired"]


@dataclass(frozen=True)
class CloseoutItem:
    """One requirement on the POA&M and what the closeout found."""

    requirement: Requirement
    status: Status
    """In the closeout assessment; `not-assessed` when it has no finding there."""
    poam_item_uuids: tuple[str, ...]

    @property
    def closed(self) -> bool:
        return self.status in ("met", "not-applicable")

    def to_dict(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement.label,
            "title": self.requirement.title,
            "status": self.status,
            "closed": self.closed,
            "poam-items": list(self.poam_item_uuids),
        }


@dataclass(frozen=True)
class CloseoutResult:
    verdict: CloseoutVerdict
    cmmc_status: str
    """`Final Level 2 (C3PAO)`, `Conditional Level 2 (C3PAO)`, or `No CMMC status (... expired)`."""
    level: int | None
    assessment_type: str | None
    """The initial assessment's type, from the POA&M."""
    performed_by: str | None
    """The closeout result's cmmc-assessment-type."""
    status_date: dt.date | None
    deadline: dt.date | None
    """Status date + 180 days: the last day the closeout may end."""
    closeout_date: dt.date | None
    """The day the closeout result ended."""
    as_of: dt.date
    items: tuple[CloseoutItem, ...]
    extra: tuple[str, ...]
    """Requirements the closeout assessed that are not on the POA&M."""
    diagnostics: tuple[Diagnostic, ...]
    assessment: Assessment | None

    @property
    def days_left(self) -> int | None:
        """Days from `as_of` to the deadline (0 on day 180, negative once past); None without a deadline."""
        return None if self.deadline is None else (self.deadline - self.as_of).days

    def to_dict(self) -> dict[str, Any]:
        """The JSON form `oscal-poam closeout --format json` prints."""
        return {
            "verdict": self.verdict,
            "cmmc-status": self.cmmc_status,
            "level": self.level,
            "assessment-type": self.assessment_type,
            "performed-by": self.performed_by,
            "status-date": _iso(self.status_date),
            "deadline": _iso(self.deadline),
            "closeout-date": _iso(self.closeout_date),
            "as-of": self.as_of.isoformat(),
            "days-left": self.days_left,
            "items": [i.to_dict() for i in self.items],
            "extra-requirements": list(self.extra),
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


@dataclass(frozen=True)
class PoamScope:
    """What a POA&M says about itself: level, assessment type, status date and its requirements."""

    level: int | None
    assessment_type: str | None
    status_date: dt.date | None
    requirements: dict[str, tuple[Requirement, tuple[str, ...]]]
    """Official id -> (requirement, uuids of the poam-items naming it), in item order."""
    diagnostics: tuple[Diagnostic, ...]


def read_poam_scope(poam: PlanOfActionAndMilestones, document: str = "") -> PoamScope:
    """The level, assessment type, status date and requirements a POA&M records (docs/conventions.md)."""
    diags: list[Diagnostic] = []
    root = "plan-of-action-and-milestones"
    meta_props = poam.metadata.props
    meta_pointer = pointers.join(root, "metadata")

    def problem(rule_: Rule, message: str, pointer: str = meta_pointer, subject: str = "") -> None:
        diags.append(rule_.diag(message, pointer=pointer, document=document, subject=subject))

    raw_level = vocab.prop_value(meta_props, vocab.LEVEL)
    level = int(raw_level) if raw_level in ("1", "2", "3") else None
    if raw_level is not None and level is None:
        problem(POAM_METADATA, f"metadata prop {vocab.LEVEL} is {raw_level!r}, not 1, 2 or 3")
    raw_type = vocab.prop_value(meta_props, vocab.ASSESSMENT_TYPE)
    assessment_type = raw_type if raw_type in ASSESSMENT_TYPES else None
    if raw_type is not None and assessment_type is None:
        problem(POAM_METADATA, f"metadata prop {vocab.ASSESSMENT_TYPE} is {raw_type!r}, not self, c3pao or dibcac")
    raw_date = vocab.prop_value(meta_props, vocab.STATUS_DATE)
    status_date = leading_iso_day(raw_date)
    if raw_date is not None and status_date is None:
        problem(POAM_METADATA, f"metadata prop {vocab.STATUS_DATE} is {raw_date!r}, not a date (YYYY-MM-DD)")

    named: list[tuple[int, str, str, Requirement | None]] = []
    for i, item in enumerate(poam.poam_items):
        given = vocab.prop_value(item.props, vocab.REQUIREMENT)
        title = str(item.title).strip()
        candidate = given.strip() if given is not None else (title.split()[0].strip(":,;-–—()[]") if title else "")
        named.append((i, str(item.uuid or ""), candidate, normalize_requirement_id(candidate, level)))
    if level is None:
        inferred = sorted({r.level for *_, r in named if r is not None})
        if len(inferred) == 1:
            level = inferred[0]
            named = [(i, u, c, normalize_requirement_id(c, level)) for i, u, c, _ in named]
        problem(
            POAM_METADATA,
            f"the POA&M has no valid metadata prop {vocab.LEVEL}"
            + (f"; its items name Level {level} requirements, so Level {level} is assumed" if level else ""),
        )
    if raw_date is None:
        problem(
            POAM_METADATA,
            f"the POA&M has no metadata prop {vocab.STATUS_DATE}: without the Conditional CMMC Status Date the "
            "180-day deadline is unknown",
        )
    if raw_type is None and level == 2:
        problem(
            POAM_METADATA,
            f"the POA&M has no metadata prop {vocab.ASSESSMENT_TYPE}: a Level 2 closeout is performed by the OSA "
            "(self) or by a C3PAO (c3pao), depending on the initial assessment",
        )
    if level == 1:
        problem(LEVEL_1, "this is a Level 1 POA&M: a POA&M is not permitted at any time for Level 1")

    requirements: dict[str, tuple[Requirement, tuple[str, ...]]] = {}
    for i, uuid, candidate, requirement in named:
        item_pointer = pointers.join(root, "poam-items", i)
        if requirement is None or (level is not None and requirement.level != level):
            elsewhere = normalize_requirement_id(candidate)
            where = f" (a Level {elsewhere.level} requirement)" if elsewhere is not None else ""
            problem(
                UNKNOWN_ITEM,
                f"poam-item {uuid or i} names {candidate!r}{where}, not a Level {level or '?'} requirement; set its "
                f"{vocab.REQUIREMENT} prop to the official id, for example AC.L2-3.1.20",
                pointer=item_pointer,
                subject=uuid,
            )
            continue
        _, uuids = requirements.get(requirement.label, (requirement, ()))
        requirements[requirement.label] = (requirement, (*uuids, uuid))
    if not poam.poam_items:
        problem(EMPTY_POAM, "the POA&M holds no poam-items", pointer=pointers.join(root, "poam-items"))
    implied = implied_type(level) if level is not None and regulation.conditional_allowed(level) else None
    return PoamScope(level, assessment_type or implied, status_date, requirements, tuple(diags))


def closeout(
    poam: PlanOfActionAndMilestones,
    closeout_results: AssessmentResults,
    as_of: dt.date,
    *,
    poam_document: str = "",
    results_document: str = "",
    result_index: int = -1,
) -> CloseoutResult:
    """Check a POA&M closeout assessment against the POA&M it closes (32 CFR 170.21(b))."""
    facts = read_poam_scope(poam, poam_document)
    diags = list(facts.diagnostics)
    assessment = read_assessment(
        closeout_results, level=facts.level, document=results_document, result_index=result_index
    )
    # The closeout assesses only the POA&M's requirements: the rest are rightly absent, and a missing POA&M
    # requirement is reported below as closeout-missing-requirement.
    diags.extend(d for d in assessment.diagnostics if d.rule_id != "score-requirement-not-assessed")
    level = facts.level or assessment.level

    def say(rule_: Rule, message: str, pointer: str = assessment.result_pointer, subject: str = "") -> None:
        diags.append(rule_.diag(message, pointer=pointer, document=results_document, subject=subject))

    if assessment.kind != "closeout":
        say(
            KIND,
            f"the closeout result's {vocab.ASSESSMENT_KIND} is {assessment.kind!r}, not 'closeout'",
        )

    items = []
    on_poam = set(facts.requirements)
    for label, (requirement, uuids) in facts.requirements.items():
        found = assessment.by_label(label)
        status: Status = found.status if found is not None else "not-assessed"
        items.append(CloseoutItem(requirement, status, uuids))
        name = requirement_name(requirement)
        if status == "not-assessed":
            say(
                MISSING,
                f"{name} is on the POA&M but the closeout has no finding for it: a closeout must assess every "
                "requirement on the POA&M",
                pointer=assessment.result_pointer + "/findings",
                subject=label,
            )
        elif status == "not-met":
            assert found is not None
            say(
                STILL_NOT_MET,
                f"{name} is still NOT MET in the closeout ({found.points_deducted} point"
                f"{'' if found.points_deducted == 1 else 's'}): the POA&M is not closed",
                pointer=found.finding_pointers[0] if found.finding_pointers else assessment.result_pointer,
                subject=label,
            )
    extra = tuple(r.label for r in assessment.requirements.values() if r.finding_uuids and r.label not in on_poam)
    for label in extra:
        found = assessment.by_label(label)
        assert found is not None
        say(
            EXTRA,
            f"{found.name} is assessed in the closeout but is not on the POA&M; a closeout assesses only the "
            "requirements on the POA&M",
            pointer=found.finding_pointers[0],
            subject=label,
        )

    deadline = regulation.deadline(facts.status_date) if facts.status_date else None
    end = assessment.end
    if end is None:
        say(NOT_ENDED, "the closeout result has no end: an unfinished closeout confirms nothing")
    elif facts.status_date is not None and deadline is not None:
        day = (end - facts.status_date).days
        if end > deadline:
            say(
                LATE,
                f"the closeout ended {end.isoformat()}, day {day} after the Conditional CMMC Status Date "
                f"{facts.status_date.isoformat()}: the last day was {deadline.isoformat()} (day {CONDITIONAL_DAYS})",
                pointer=assessment.result_pointer + "/end",
            )
        elif end < facts.status_date:
            say(
                EARLY,
                f"the closeout ended {end.isoformat()}, before the Conditional CMMC Status Date "
                f"{facts.status_date.isoformat()}",
                pointer=assessment.result_pointer + "/end",
            )
    _party(level, facts.assessment_type, assessment, say, diags)

    errors = any(d.severity is Severity.ERROR for d in diags)
    verdict: CloseoutVerdict
    if not errors:
        verdict = "final"
    elif deadline is not None and (as_of > deadline or (end is not None and end > deadline)):
        # A closeout that ended after day 180 shows the status had already expired, whatever `as_of` says.
        verdict = "expired"
        when = max(as_of, end) if end is not None else as_of
        say(
            EXPIRED,
            f"as of {when.isoformat()}, day {(when - deadline).days + CONDITIONAL_DAYS} after the Conditional "
            f"CMMC Status Date, the POA&M is not closed out: the Conditional status expired after "
            f"{deadline.isoformat()}",
        )
    else:
        verdict = "conditional"

    conditional_name = status_name("conditional", level, facts.assessment_type)
    if verdict == "final":
        cmmc_status = status_name("final", level, facts.assessment_type)
    elif verdict == "conditional":
        cmmc_status = conditional_name
    else:
        cmmc_status = f"No CMMC status ({conditional_name} expired)"
    return CloseoutResult(
        verdict=verdict,
        cmmc_status=cmmc_status,
        level=level,
        assessment_type=facts.assessment_type,
        performed_by=assessment.assessment_type,
        status_date=facts.status_date,
        deadline=deadline,
        closeout_date=end,
        as_of=as_of,
        items=tuple(items),
        extra=extra,
        diagnostics=tuple(diags),
        assessment=assessment,
    )


def _party(level: int, initial_type: str | None, assessment: Assessment, say: Any, diags: list[Diagnostic]) -> None:
    expected = CLOSEOUT_PARTY.get((level, initial_type or ""))
    if expected is None:
        # Level 1 has no closeout, and a Level 2 POA&M without its assessment type is reported already.
        if regulation.conditional_allowed(level) and initial_type is not None:
            fits = " or ".join(regulation.TYPES_BY_LEVEL[level])
            say(
                POAM_METADATA,
                f"the POA&M says {vocab.ASSESSMENT_TYPE} {initial_type!r}, but a Level {level} assessment is {fits}; "
                "who must perform the closeout cannot be told",
            )
        return
    wanted, paragraph, who = expected.assessment_type, expected.citation, expected.who
    performed = assessment.assessment_type
    if performed == wanted:
        return
    did = f"says {vocab.ASSESSMENT_TYPE} {performed!r}" if performed else f"has no {vocab.ASSESSMENT_TYPE} prop"
    say(
        WRONG_PARTY,
        f"the closeout result {did}, but a Level {level} {initial_type} POA&M is closed out by {who} "
        f"({vocab.ASSESSMENT_TYPE} {wanted!r}, {paragraph})",
    )
    diags[-1] = replace(diags[-1], citation=paragraph)
