"""POA&M closeout (32 CFR 170.21(b)): does a closeout assessment turn Conditional status into Final?

"A POA&M closeout assessment is a CMMC assessment that assesses only the NOT MET requirements that were
identified with POA&M in the initial assessment. The closing of a POA&M must be confirmed by a POA&M
closeout assessment within 180-days of the Conditional CMMC Status Date."

The POA&M alone says which requirements it holds (each poam-item's cmmc-requirement prop, else the
leading id of its title; closed items count too) and, in its metadata props, the level, the assessment
type and the Conditional CMMC Status Date. These rules say what stands between the closeout and Final status;
`oscal_poam.engine.verdict` decides the verdict:

- `final`: the POA&M earned a Conditional status; the closeout covers every POA&M requirement, each is now MET
  (or N/A), and not as a temporary deficiency; no requirement it assessed is NOT MET; it ended after the status
  date and no later than the end of day 180 (instants compared in the status date's time zone); and the right
  party performed it: no error stands;
- `conditional`: not (yet) closed out, but day 180 has not passed as of the given date; a closeout that ended
  after the given date has not happened yet as of that date;
- `expired`: not closed out and day 180 has passed as of the given date (or the closeout itself ended after
  day 180): the Conditional status has expired;
- `none`: there is no Conditional status to close out (Level 1, or a POA&M that never earned one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Literal

from oscal_poam.cmmc import regulation, vocab
from oscal_poam.cmmc.catalog import Requirement, normalize_requirement_id
from oscal_poam.cmmc.regulation import CLOSEOUT_PARTY, CONDITIONAL_DAYS, TYPES_BY_LEVEL, implied_type
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.verdict import Verdict, after_closeout
from oscal_poam.facts.poam import PoamFacts
from oscal_poam.facts.poam import pointer as poam_pointer
from oscal_poam.facts.results import Assessment, Status, requirement_name
from oscal_poam.rules.registry import Rule, rule

FAMILY = "closeout"
CITATION = regulation.CLOSEOUT_CITATION

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
    f"The closeout ended after day {CONDITIONAL_DAYS} after the Conditional CMMC Status Date (compared as instants, "
    "day 180 ending at midnight in the status date's time zone).",
    FAMILY,
)
EARLY = rule(
    "closeout-before-status-date",
    Severity.ERROR,
    CITATION,
    "The closeout ended before the Conditional CMMC Status Date, so it cannot be this POA&M's closeout: it closes "
    "nothing.",
    FAMILY,
)
EXTRA_NOT_MET = rule(
    "closeout-extra-not-met",
    Severity.ERROR,
    CITATION,
    "A requirement the closeout assessed, though it is not on the POA&M, is NOT MET: no Final status rests on a "
    "closeout that finds a requirement NOT MET.",
    FAMILY,
)
TEMPORARY_DEFICIENCY = rule(
    "closeout-temporary-deficiency",
    Severity.ERROR,
    regulation.TEMPORARY_DEFICIENCY_CITATION,
    "A requirement on the POA&M is found MET in the closeout only as a temporary deficiency: a POA&M item is an "
    "initial implementation in progress, which 'a temporary deficiency is not based on', so it is not closed.",
    FAMILY,
)
NOT_CONDITIONAL = rule(
    "closeout-no-conditional-status",
    Severity.ERROR,
    CITATION,
    "The POA&M, as it records itself, never earned a Conditional status (an item that may not be on a POA&M, or "
    "points that leave the score below the threshold): a closeout gives Final status only to a Conditional one.",
    FAMILY,
)
NOT_YET = rule(
    "closeout-not-yet",
    Severity.INFO,
    CITATION,
    "The closeout ended after the day the verdict is judged on: as of that day it has not happened yet, and the "
    "status is still Conditional.",
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
    f"The POA&M was not closed out within {CONDITIONAL_DAYS} days of the Conditional CMMC Status Date: the "
    "Conditional status has expired.",
    FAMILY,
)

CloseoutVerdict = Literal["final", "conditional", "expired", "none"]


@dataclass(frozen=True)
class CloseoutItem:
    """One requirement on the POA&M and what the closeout found."""

    requirement: Requirement
    status: Status
    """In the closeout assessment; `not-assessed` when it has no finding there."""
    poam_item_uuids: tuple[str, ...]
    met_basis: str | None = None
    """The cmmc-met-basis the closeout found it MET through, if any."""

    @property
    def closed(self) -> bool:
        """MET or N/A in the closeout, and not as a temporary deficiency (32 CFR 170.4)."""
        return regulation.counts_as_met(self.status) and self.met_basis != regulation.TEMPORARY_DEFICIENCY

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
    """The day the closeout result ended, in the time zone of the status date."""
    as_of: dt.date
    items: tuple[CloseoutItem, ...]
    extra: tuple[str, ...]
    """Requirements the closeout assessed that are not on the POA&M."""
    diagnostics: tuple[Diagnostic, ...]
    assessment: Assessment | None
    outcome: Verdict | None = None
    """The engine's verdict, of which `verdict` and `cmmc_status` are the status and its name."""

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


def metadata(poam: PoamFacts) -> list[Diagnostic]:
    """What the closeout needs from the POA&M and it lacks: level, assessment type, status date, items."""
    diags: list[Diagnostic] = []
    meta_pointer = poam_pointer("metadata")

    def problem(rule_: Rule, message: str, where: str = meta_pointer, subject: str = "") -> None:
        diags.append(rule_.diag(message, pointer=where, document=poam.document, subject=subject))

    if poam.level_text is not None and poam.level is None:
        problem(POAM_METADATA, f"metadata prop {vocab.LEVEL} is {poam.level_text!r}, not 1, 2 or 3")
    if poam.type_text is not None and poam.assessment_type is None:
        problem(
            POAM_METADATA,
            f"metadata prop {vocab.ASSESSMENT_TYPE} is {poam.type_text!r}, not "
            f"{', '.join(regulation.ASSESSMENT_TYPES)}",
        )
    if poam.status_date_text is not None and poam.status_date is None:
        problem(
            POAM_METADATA, f"metadata prop {vocab.STATUS_DATE} is {poam.status_date_text!r}, not a date (YYYY-MM-DD)"
        )
    level = poam.inferred_level
    if poam.level is None:
        problem(
            POAM_METADATA,
            f"the POA&M has no valid metadata prop {vocab.LEVEL}"
            + (f"; its items name Level {level} requirements, so Level {level} is assumed" if level else ""),
        )
    if poam.status_date_text is None:
        problem(
            POAM_METADATA,
            f"the POA&M has no metadata prop {vocab.STATUS_DATE}: without the Conditional CMMC Status Date the "
            f"{CONDITIONAL_DAYS}-day deadline is unknown",
        )
    if poam.type_text is None and level == 2:
        problem(
            POAM_METADATA,
            f"the POA&M has no metadata prop {vocab.ASSESSMENT_TYPE}: a Level 2 closeout is performed by the OSA "
            "(self) or by a C3PAO (c3pao), depending on the initial assessment",
        )
    if level is not None and not regulation.conditional_allowed(level):
        problem(LEVEL_1, "this is a Level 1 POA&M: a POA&M is not permitted at any time for Level 1")
    for view in poam.items:
        requirement = view.requirement
        if requirement is not None and (level is None or requirement.level == level):
            continue
        uuid = str(view.item.uuid or "")
        named = view.requirement_text
        elsewhere = requirement or (normalize_requirement_id(named) if named else None)
        where = f" (a Level {elsewhere.level} requirement)" if elsewhere is not None else ""
        problem(
            UNKNOWN_ITEM,
            f"poam-item {uuid or view.index} names {named!r}{where}, not a Level {level or '?'} requirement; set its "
            f"{vocab.REQUIREMENT} prop to the official id, for example AC.L2-3.1.20",
            where=view.pointer,
            subject=uuid,
        )
    if not poam.items:
        problem(EMPTY_POAM, "the POA&M holds no poam-items", where=poam_pointer("poam-items"))
    return diags


def initial_type(poam: PoamFacts) -> str | None:
    """The initial assessment's type, as the POA&M records it (Level 3: DIBCAC's, whether it says so or not)."""
    level = poam.inferred_level
    implied = implied_type(level) if level is not None and regulation.conditional_allowed(level) else None
    return poam.assessment_type or implied


def closeout(
    poam: PoamFacts,
    assessment: Assessment,
    as_of: dt.date,
    *,
    recorded: Verdict | None = None,
) -> CloseoutResult:
    """Check a POA&M closeout assessment against the POA&M it closes (32 CFR 170.21(b)).

    `recorded`: the verdict of the POA&M as it records itself; a closeout gives Final status only where it is
    Conditional (or has expired since). None: not judged.
    """
    diags = metadata(poam)
    # The closeout assesses only the POA&M's requirements: the rest are rightly absent, and a missing POA&M
    # requirement is reported below as closeout-missing-requirement.
    diags.extend(d for d in assessment.diagnostics if d.rule_id != "score-requirement-not-assessed")
    level = poam.inferred_level or assessment.level
    document = assessment.document

    def say(rule_: Rule, message: str, pointer: str = assessment.result_pointer, subject: str = "") -> None:
        diags.append(rule_.diag(message, pointer=pointer, document=document, subject=subject))

    if assessment.kind != "closeout":
        say(KIND, f"the closeout result's {vocab.ASSESSMENT_KIND} is {assessment.kind!r}, not 'closeout'")

    on_poam = poam.requirements(level)
    items = [_item(requirement, uuids, assessment, say) for requirement, uuids in on_poam.values()]
    extra = tuple(r.label for r in assessment.requirements.values() if r.finding_uuids and r.label not in on_poam)
    for label in extra:
        found = assessment.by_label(label)
        assert found is not None
        if found.status == "not-met":
            say(
                EXTRA_NOT_MET,
                f"{found.name} is not on the POA&M, yet the closeout assessed it and found it NOT MET: a new gap, on "
                "which no Final status rests",
                pointer=found.finding_pointers[0],
                subject=label,
            )
        else:
            say(
                EXTRA,
                f"{found.name} is assessed in the closeout but is not on the POA&M; a closeout assesses only the "
                "requirements on the POA&M",
                pointer=found.finding_pointers[0],
                subject=label,
            )

    initial = initial_type(poam)
    zone = poam.status_zone
    status_date = poam.status_date
    deadline = regulation.deadline(status_date) if status_date is not None else None
    end_at = assessment.end_at
    ended = end_at.astimezone(zone or dt.UTC).date() if end_at is not None else None
    late = False
    if end_at is None:
        say(NOT_ENDED, "the closeout result has no end: an unfinished closeout confirms nothing")
    elif status_date is not None and deadline is not None and ended is not None:
        day = regulation.day_of(status_date, ended)
        if end_at > regulation.deadline_instant(status_date, zone):
            late = True
            say(
                LATE,
                f"the closeout ended {ended.isoformat()}, day {day} after the Conditional CMMC Status Date "
                f"{status_date.isoformat()}: the last day was {deadline.isoformat()} (day {CONDITIONAL_DAYS})",
                pointer=assessment.result_pointer + "/end",
            )
        elif end_at < regulation.start_instant(status_date, zone):
            say(
                EARLY,
                f"the closeout ended {ended.isoformat()}, before the Conditional CMMC Status Date "
                f"{status_date.isoformat()}: it cannot be this POA&M's closeout, and closes nothing",
                pointer=assessment.result_pointer + "/end",
            )
    _party(level, initial, assessment, say, diags)

    earned = recorded is None or recorded.status in ("conditional", "expired")
    if recorded is not None and not earned and regulation.conditional_allowed(level):
        why = "; ".join(d.message for d in recorded.reasons if d.severity is Severity.ERROR) or recorded.detail
        diags.append(
            NOT_CONDITIONAL.diag(
                f"the POA&M records no Conditional status ({why}): there is nothing for a closeout to make Final",
                pointer=poam_pointer("poam-items"),
                document=poam.document,
            )
        )
    happened = ended is None or ended <= as_of
    if not happened and ended is not None:
        say(
            NOT_YET,
            f"the closeout ended {ended.isoformat()}, after {as_of.isoformat()}: as of that day it has not happened "
            "yet",
            pointer=assessment.result_pointer + "/end",
        )
    outcome = after_closeout(
        level=level,
        assessment_type=initial,
        reasons=diags,
        status_date=status_date,
        as_of=as_of,
        happened=happened,
        late=late,
        earned=earned,
    )
    if outcome.status == "expired" and deadline is not None and status_date is not None:
        when = max(as_of, ended) if ended is not None and happened else as_of
        say(
            EXPIRED,
            f"as of {when.isoformat()}, day {regulation.day_of(status_date, when)} after the Conditional CMMC Status "
            f"Date, the POA&M is not closed out: the Conditional status expired after {deadline.isoformat()}",
        )
        outcome = replace(outcome, reasons=tuple(diags))
    return CloseoutResult(
        verdict=outcome.status if outcome.status != "unknown" else "none",
        cmmc_status=outcome.cmmc_status or regulation.NO_STATUS,
        level=level,
        assessment_type=initial,
        performed_by=assessment.assessment_type,
        status_date=status_date,
        deadline=deadline,
        closeout_date=ended,
        as_of=as_of,
        items=tuple(items),
        extra=extra,
        diagnostics=tuple(diags),
        assessment=assessment,
        outcome=outcome,
    )


def _item(requirement: Requirement, uuids: tuple[str, ...], assessment: Assessment, say: Any) -> CloseoutItem:
    """What the closeout found for one POA&M requirement; the errors that keep it open."""
    found = assessment.by_label(requirement.label)
    status: Status = found.status if found is not None else "not-assessed"
    name = requirement_name(requirement)
    label = requirement.label
    if found is None or status == "not-assessed":
        partly = found is not None and bool(found.finding_uuids)
        say(
            MISSING,
            f"{name} is on the POA&M but the closeout "
            + (
                "assesses it only in part (not every objective has a determination): it is not closed"
                if partly
                else "has no finding for it: a closeout must assess every requirement on the POA&M"
            ),
            pointer=assessment.result_pointer + "/findings",
            subject=label,
        )
    elif status == "not-met":
        say(
            STILL_NOT_MET,
            f"{name} is still NOT MET in the closeout ({found.points_deducted} point"
            f"{'' if found.points_deducted == 1 else 's'}): the POA&M is not closed",
            pointer=found.finding_pointers[0] if found.finding_pointers else assessment.result_pointer,
            subject=label,
        )
    elif found.met_basis == regulation.TEMPORARY_DEFICIENCY:
        say(
            TEMPORARY_DEFICIENCY,
            f"{name} is found MET only as a temporary deficiency ({vocab.MET_BASIS} {found.met_basis}): a POA&M item "
            "is an initial implementation in progress, and 'A temporary deficiency is not based on an \"in "
            "progress\" initial implementation' (32 CFR 170.4), so the item is not closed",
            pointer=found.finding_pointers[0] if found.finding_pointers else assessment.result_pointer,
            subject=label,
        )
    return CloseoutItem(requirement, status, uuids, found.met_basis if found is not None else None)


def _party(level: int | None, initial: str | None, assessment: Assessment, say: Any, diags: list[Diagnostic]) -> None:
    expected = CLOSEOUT_PARTY.get((level or 0, initial or ""))
    if expected is None:
        # Level 1 has no closeout, and a Level 2 POA&M without its assessment type is reported already.
        if level is not None and regulation.conditional_allowed(level) and initial is not None:
            fits = " or ".join(TYPES_BY_LEVEL[level])
            say(
                POAM_METADATA,
                f"the POA&M says {vocab.ASSESSMENT_TYPE} {initial!r}, but a Level {level} assessment is {fits}; "
                "who must perform the closeout cannot be told",
            )
        return
    performed = assessment.assessment_type
    if performed == expected.assessment_type:
        return
    did = f"says {vocab.ASSESSMENT_TYPE} {performed!r}" if performed else f"has no {vocab.ASSESSMENT_TYPE} prop"
    say(
        WRONG_PARTY,
        f"the closeout result {did}, but a Level {level} {initial} POA&M is closed out by {expected.who} "
        f"({vocab.ASSESSMENT_TYPE} {expected.assessment_type!r}, {expected.citation})",
    )
    diags[-1] = replace(diags[-1], citation=expected.citation)
