"""The facts of OSCAL assessment results: one CMMC determination per requirement and per objective.

docs/conventions.md ("Assessment results") says where each fact sits. Every command reads results here, once:

- A finding targets a requirement (its control id or statement id), which covers every objective of it, or one of
  its objectives. A requirement is NOT MET when any finding on it or its objectives is not satisfied
  (32 CFR 170.24(b)(2)); MET when all of its objectives are MET or N/A (170.24(b)(1), (b)(3)); N/A only when
  every finding on it says `cmmc-determination` = `not-applicable`. Assessed by objectives alone, it is MET only
  when every objective is assessed; with objectives missing it is *not assessed*, and an error says which.
- A requirement no finding targets is *not assessed*, never MET.
- A not-satisfied finding that cannot be placed (an id no catalog has, an objective letter the requirement does
  not have) is an error: a NOT MET is never lost, and no status rests on an assessment that loses one.
- In a Level 3 assessment, findings on Level 2 requirements are read as the Level 2 requirements of its scope.
- Where a document is ambiguous, the reading that deducts more points is kept and a diagnostic says so.

The day a result ended, its start and the Conditional CMMC Status Date are kept as instants with their time zone:
deadlines compare instants, not written dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oscal_poam.cmmc import regulation, vocab
from oscal_poam.cmmc.catalog import OBJECTIVE_INFIX, Requirement, catalog
from oscal_poam.cmmc.regulation import ASSESSMENT_KINDS, ASSESSMENT_TYPES, LEVELS, MET_BASES, Determination
from oscal_poam.dates import iso_day
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.errors import UsageError
from oscal_poam.facts.props import PropReader
from oscal_poam.io import pointers
from oscal_poam.io.models import text
from oscal_poam.rules import results as rules

if TYPE_CHECKING:
    from trestle.oscal.assessment_results import AssessmentResults, Result
    from trestle.oscal.common import Finding

    from oscal_poam.rules.registry import Rule

Status = Determination

RESULT_PROPS = (vocab.LEVEL, vocab.ASSESSMENT_TYPE, vocab.ASSESSMENT_KIND, vocab.STATUS_DATE, vocab.LEVEL2_FINAL_DATE)
FINDING_PROPS = (vocab.DETERMINATION, vocab.PARTIAL, vocab.MET_BASIS)


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    status: Status
    met_basis: str | None
    """Value of cmmc-met-basis when the requirement is MET through it."""
    partial: str | None
    """The cmmc-partial value when it applies (NOT MET with partial credit)."""
    points_deducted: int
    """0 unless NOT MET; the partial value where it applies. Level 1 and Level 3 count 1 per NOT MET."""
    poam_eligible: bool
    """Could this NOT MET requirement sit on a POA&M (32 CFR 170.21(a)(2)(ii)-(iii), (a)(3)(ii)); False otherwise."""
    finding_uuids: tuple[str, ...] = ()
    observation_uuids: tuple[str, ...] = ()
    risk_uuids: tuple[str, ...] = ()
    finding_pointers: tuple[str, ...] = ()
    objectives: tuple[tuple[str, Status], ...] = ()
    """(letter, determination) of each objective of the requirement, where it has objectives and findings."""

    @property
    def label(self) -> str:
        return self.requirement.label

    @property
    def name(self) -> str:
        """`AC.L2-3.1.20 External Connections`: how messages and POA&M items name a requirement."""
        return requirement_name(self.requirement)

    @property
    def full_points(self) -> int:
        """What NOT MET would deduct without partial credit."""
        return regulation.full_points(self.requirement)


@dataclass(frozen=True)
class Assessment:
    level: int
    assessment_type: str | None
    """`self`, `c3pao` or `dibcac`; None when the result does not say."""
    kind: str
    """`initial` or `closeout`."""
    status_date: dt.date | None
    """The Conditional CMMC Status Date: prop cmmc-status-date, else the day the result ended."""
    result_uuid: str
    result_pointer: str
    document: str
    requirements: dict[str, RequirementResult]
    """By control id, in catalog order."""
    diagnostics: tuple[Diagnostic, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    """The day the result ended, in the result's own time zone; None while it has no end."""
    title: str = ""
    has_findings: bool = field(default=True, compare=False)
    start_at: dt.datetime | None = None
    end_at: dt.datetime | None = None
    """The instants the result started and ended, with the time zone they are written in."""
    status_zone: dt.tzinfo | None = None
    """The time zone of the Conditional CMMC Status Date: its own offset, else that of the result's end."""
    level2: dict[str, RequirementResult] = field(default_factory=dict)
    """Level 3 only: the Level 2 requirements its findings assess, by control id."""
    level2_final: dt.date | None = None
    """Level 3 only: the date of the scope's Final Level 2 (C3PAO) status, from prop cmmc-level2-final-date."""
    blocking: tuple[Diagnostic, ...] = ()
    """The reading diagnostics that stand in the way of any status: NOT MET findings that could not be placed,
    CMMC props given twice with different values."""
    system_subjects: tuple[tuple[str, str], ...] = ()
    """(uuid, pointer) of every component, inventory item and user the result's observations name that the result
    does not define itself: what the system security plan must define (the system assessed)."""

    def not_met(self) -> list[RequirementResult]:
        return self.with_status("not-met")

    def not_assessed(self) -> list[RequirementResult]:
        return self.with_status("not-assessed")

    def with_status(self, status: Status) -> list[RequirementResult]:
        return [r for r in self.requirements.values() if r.status == status]

    def by_label(self, label: str) -> RequirementResult | None:
        wanted = label.upper()
        return next((r for r in self.requirements.values() if r.label.upper() == wanted), None)

    @property
    def deadline(self) -> dt.date | None:
        """Day 180 after the Conditional CMMC Status Date."""
        return regulation.deadline(self.status_date) if self.status_date is not None else None


def requirement_name(requirement: Requirement) -> str:
    return f"{requirement.label} {requirement.title}".strip()


@dataclass
class _FindingRead:
    uuid: str
    pointer: str
    state: str | None
    objective: str | None
    """The objective's letter for a finding on an objective; None for one on the requirement or its statement."""
    not_applicable: bool
    partials: list[str]
    met_bases: list[str]
    observations: list[str]
    risks: list[str]


Say = Callable[..., None]


def read_assessment(
    results: AssessmentResults, *, level: int | None = None, document: str = "", result_index: int = -1
) -> Assessment:
    """Read one result of `results` (default the last one) into per-requirement determinations.

    `level`: None reads the result's cmmc-level prop, else infers it from which catalog the findings target.
    Raises UsageError when the document has no such result or `level` is not 1, 2 or 3.
    """
    if level is not None and level not in LEVELS:
        raise UsageError(f"CMMC level must be 1, 2 or 3, not {level}")
    count = len(results.results)
    index = result_index + count if result_index < 0 else result_index
    if not 0 <= index < count:
        raise UsageError(f"{document or 'the assessment results'} has no result number {result_index} ({count} held)")
    result = results.results[index]
    result_pointer = pointers.join("assessment-results", "results", index)
    diags: list[Diagnostic] = []

    def say(rule: Rule, message: str, pointer: str = result_pointer, subject: str = "", **kw: Any) -> None:
        diags.append(rule.diag(message, pointer=pointer, document=document, subject=subject, **kw))

    props = _ResultProps(result, result_pointer, document)
    chosen = _choose_level(level, props.level, result, result_pointer, document, diags)
    cat = catalog(chosen)
    level2 = catalog(2) if chosen == 3 else None

    reads: dict[str, list[_FindingRead]] = {r.control_id: [] for r in cat.requirements}
    level2_reads: dict[str, list[_FindingRead]] = {}
    lost: list[Diagnostic] = []
    findings = list(result.findings or [])
    findings_pointer = pointers.join("assessment-results", "results", index, "findings")
    for j, finding in enumerate(findings):
        pointer = f"{findings_pointer}/{j}"
        target_id = text(finding.target.target_id)
        state = text(finding.target.status.state) if finding.target.status is not None else None
        requirement = cat.resolve_target(target_id)
        into = reads
        if requirement is None and level2 is not None:
            requirement = level2.resolve_target(target_id)
            into = level2_reads
        if requirement is None:
            _unplaced(finding, target_id, state, chosen, f"{pointer}/target/target-id", say)
            if state == "not-satisfied":
                lost.append(diags[-1])
            continue
        if state is None:
            say(
                rules.FINDING_NO_STATE,
                f"finding {finding.uuid} on {requirement_name(requirement)} has no target status state "
                "(satisfied or not-satisfied); it determines nothing",
                pointer=f"{pointer}/target",
                subject=requirement.label,
            )
        into.setdefault(requirement.control_id, []).append(_read_finding(finding, state, pointer, requirement, say))

    requirement_results = {
        requirement.control_id: _determine(requirement, reads[requirement.control_id], say)
        for requirement in cat.requirements
    }
    level2_results = {
        requirement.control_id: _determine(requirement, level2_reads[requirement.control_id], say)
        for requirement in (level2.requirements if level2 is not None else ())
        if requirement.control_id in level2_reads
    }

    unassessed = [r for r in requirement_results.values() if r.status == "not-assessed"]
    if not findings:
        say(
            rules.NO_FINDINGS,
            f"the result {result.uuid} holds no findings: none of the {len(cat.requirements)} Level {chosen} "
            "requirements is assessed",
        )
    elif props.kind != "closeout":
        # A closeout assesses only the POA&M's requirements (32 CFR 170.21(b)); the rest are rightly absent.
        for r in unassessed:
            if any(status != "not-assessed" for _, status in r.objectives):
                continue  # assessed in part: results-objectives-incomplete speaks
            say(
                rules.NOT_ASSESSED,
                f"{r.name} has no finding in this result: it is not assessed (never read as MET)"
                + (
                    f"; the score deducts its {r.full_points} point{_s(r.full_points)} until it is"
                    if chosen != 1
                    else ""
                ),
                pointer=findings_pointer if findings else result_pointer,
                subject=r.label,
            )

    start_at = _instant(result.start)
    end_at = _instant(result.end)
    zone = props.status_zone or (end_at.tzinfo if end_at is not None else None)
    status_date = props.status_date or (end_at.date() if end_at is not None else None)
    if props.status_date is not None:
        _check_status_date(props.status_date, zone, start_at, end_at, props.status_date_pointer, say)
    diags.extend(props.diagnostics)
    return Assessment(
        level=chosen,
        assessment_type=props.assessment_type,
        kind=props.kind,
        status_date=status_date,
        result_uuid=str(result.uuid),
        result_pointer=result_pointer,
        document=document,
        requirements=requirement_results,
        diagnostics=tuple(diags),
        start=start_at.date() if start_at is not None else None,
        end=end_at.date() if end_at is not None else None,
        title=str(result.title),
        has_findings=bool(findings),
        start_at=start_at,
        end_at=end_at,
        status_zone=zone,
        level2=level2_results,
        level2_final=props.level2_final if chosen == 3 else None,
        blocking=(*lost, *props.conflicts),
        system_subjects=_system_subjects(result, index),
    )


SYSTEM_SUBJECTS = ("component", "inventory-item", "user")
"""Subject types that name a part of the system, which the system security plan defines."""


def _system_subjects(result: Any, index: int) -> tuple[tuple[str, str], ...]:
    local = result.local_definitions
    defined = {
        str(part.uuid)
        for group in ("components", "inventory_items", "users")
        for part in (getattr(local, group, None) or [] if local is not None else [])
    }
    found: dict[str, str] = {}
    for j, observation in enumerate(result.observations or []):
        for k, subject in enumerate(observation.subjects or []):
            uuid = str(subject.subject_uuid)
            if uuid not in found and uuid not in defined and text(subject.type) in SYSTEM_SUBJECTS:
                # the first place each is named
                found[uuid] = pointers.join("assessment-results", "results", index, "observations", j, "subjects", k)
    return tuple(found.items())


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _deducted(full: int) -> str:
    return f"the full {full} point is deducted" if full == 1 else f"the full {full} points are deducted"


def _instant(value: Any) -> dt.datetime | None:
    return value if isinstance(value, dt.datetime) else None


def _unplaced(finding: Finding, target_id: str, state: str | None, level: int, pointer: str, say: Say) -> None:
    """A finding that names no requirement or objective of the level: left out, an error when it is NOT MET."""
    elsewhere = _other_level(target_id, level)
    where = f"; it is a Level {elsewhere} requirement" if elsewhere else ""
    control, sep, letter = target_id.partition(OBJECTIVE_INFIX)
    owner = catalog(level).get(control) if sep else None
    if owner is not None:
        letters = ", ".join(o.letter for o in owner.objectives) or "none"
        where = f"; {owner.label} has no objective [{letter}] (its objectives: {letters})"
    loses = state == "not-satisfied"
    say(
        rules.UNKNOWN_TARGET,
        f"finding {finding.uuid} targets {target_id!r}, not a requirement or objective of the Level {level} "
        f"catalog{where}; it is left out"
        + (
            ", and the NOT MET it records is lost: no CMMC status rests on an assessment that loses one"
            if loses
            else ""
        ),
        pointer=pointer,
        subject=str(finding.uuid),
        severity=Severity.ERROR if loses else None,
    )


def _check_status_date(
    day: dt.date,
    zone: dt.tzinfo | None,
    start_at: dt.datetime | None,
    end_at: dt.datetime | None,
    pointer: str,
    say: Say,
) -> None:
    """A status date before the assessment began is impossible; long after it ended, suspicious."""
    if start_at is not None:
        began = start_at.astimezone(zone or dt.UTC).date()
        if day < began:
            say(
                rules.STATUS_DATE_BEFORE_START,
                f"{vocab.STATUS_DATE} {day.isoformat()} is before the assessment began ({began.isoformat()}): a "
                "status rests on the assessment's results, which did not exist yet",
                pointer=pointer,
            )
    if end_at is not None:
        ended = end_at.astimezone(zone or dt.UTC).date()
        late = (day - ended).days
        if late > regulation.STATUS_DATE_LATE_DAYS:
            say(
                rules.STATUS_DATE_LATE,
                f"{vocab.STATUS_DATE} {day.isoformat()} is {late} days after the assessment ended "
                f"({ended.isoformat()}), which moves day {regulation.CONDITIONAL_DAYS} to "
                f"{regulation.deadline(day).isoformat()}",
                pointer=pointer,
            )


class _ResultProps:
    """The result's CMMC props, each checked against the values docs/conventions.md defines."""

    def __init__(self, result: Result, result_pointer: str, document: str) -> None:
        reader = PropReader(result.props, result_pointer, document, what="result prop")
        reader.warn_unnamespaced(RESULT_PROPS)
        before = len(reader.diagnostics)
        raw_level = reader.one(vocab.LEVEL, ("1", "2", "3"), "read from the findings instead")
        self.level = int(raw_level.value) if raw_level else None
        raw_type = reader.one(vocab.ASSESSMENT_TYPE, ASSESSMENT_TYPES, "the assessment type is unknown")
        self.assessment_type = raw_type.value if raw_type else None
        raw_kind = reader.one(vocab.ASSESSMENT_KIND, ASSESSMENT_KINDS, "read as initial")
        self.kind = raw_kind.value if raw_kind else "initial"
        # unreadable, it is an error: the deadline counted from the result's end instead may be later
        when = reader.one(
            vocab.STATUS_DATE,
            None,
            "the result's end is used instead",
            parse=iso_day,
            expected="a date (YYYY-MM-DD)",
            severity=Severity.ERROR,
        )
        self.status_date = iso_day(when.value) if when else None
        self.status_zone = _zone(when.value) if when else None
        self.status_date_pointer = when.pointer if when else result_pointer
        final = reader.one(vocab.LEVEL2_FINAL_DATE, None, "not read", parse=iso_day, expected="a date (YYYY-MM-DD)")
        self.level2_final = iso_day(final.value) if final else None
        self.diagnostics = reader.diagnostics
        self.conflicts = tuple(d for d in reader.diagnostics[before:] if d.rule_id == rules.PROP_DUPLICATED.id)


def _zone(value: str) -> dt.tzinfo | None:
    """The offset a date-time is written with; None for a plain date or a date-time without one."""
    try:
        return dt.datetime.fromisoformat(value.strip()).tzinfo if "T" in value else None
    except ValueError:
        return None


def _choose_level(
    asked: int | None,
    declared: int | None,
    result: Result,
    result_pointer: str,
    document: str,
    diags: list[Diagnostic],
) -> int:
    if asked is not None:
        if declared is not None and declared != asked:
            diags.append(
                rules.LEVEL_MISMATCH.diag(
                    f"read as Level {asked} as asked, but the result says cmmc-level {declared}",
                    pointer=result_pointer,
                    document=document,
                )
            )
        return asked
    if declared is not None:
        return declared
    hits = {level: 0 for level in LEVELS}
    for finding in result.findings or []:
        found = _other_level(text(finding.target.target_id), 0)
        if found:
            hits[found] += 1
    best = max(hits, key=lambda level: (hits[level], level == 2))
    if hits[best] == 0:
        diags.append(
            rules.LEVEL_UNKNOWN.diag(
                "the result has no cmmc-level prop and no finding targets a CMMC requirement; read as Level 2 "
                f"(add a prop cmmc-level in namespace {vocab.NS}, or give the level)",
                pointer=result_pointer,
                document=document,
            )
        )
        return 2
    others = [level for level, n in hits.items() if n and level != best]
    if others:
        diags.append(
            rules.LEVEL_MISMATCH.diag(
                f"no cmmc-level prop; read as Level {best}, the level most findings target, though some target "
                f"Level {', '.join(map(str, others))}",
                pointer=result_pointer,
                document=document,
            )
        )
    return best


def _other_level(target_id: str, besides: int) -> int | None:
    """The level whose catalog knows `target_id`, other than `besides`."""
    for level in (2, 3, 1):
        if level != besides and catalog(level).resolve_target(target_id) is not None:
            return level
    return None


def _read_finding(
    finding: Finding, state: str | None, pointer: str, requirement: Requirement, say: Say
) -> _FindingRead:
    target = text(finding.target.target_id)
    objective = target.rpartition(OBJECTIVE_INFIX)[2] if OBJECTIVE_INFIX in target else None
    observations = [str(o.observation_uuid) for o in finding.related_observations or []]
    risks = [str(r.risk_uuid) for r in finding.related_risks or []]
    if not finding.props:  # most findings carry no prop: nothing more to read
        return _FindingRead(str(finding.uuid), pointer, state, objective, False, [], [], observations, risks)
    reader = PropReader(finding.props, pointer, "", subject=requirement.label)
    reader.warn_unnamespaced(FINDING_PROPS)
    for d in reader.diagnostics:
        say(rules.PROP_INVALID, d.message, pointer=d.pointer, subject=requirement.label)

    name = requirement_name(requirement)
    not_applicable = False
    for written in reader.written(vocab.DETERMINATION):
        if written.value.strip().casefold() == vocab.NOT_APPLICABLE:
            not_applicable = True
            continue
        say(
            rules.PROP_INVALID,
            f"finding {finding.uuid} on {name}: cmmc-determination is {written.value!r}; the only value defined is "
            f"{vocab.NOT_APPLICABLE!r} (the target's state says MET or NOT MET); ignored",
            pointer=written.pointer,
            subject=requirement.label,
        )
    met_bases: list[str] = []
    for written in reader.written(vocab.MET_BASIS):
        basis = next((b for b in MET_BASES if b.casefold() == written.value.strip().casefold()), None)
        if basis is None:
            say(
                rules.PROP_INVALID,
                f"finding {finding.uuid} on {name}: cmmc-met-basis is {written.value!r}, not "
                f"{', '.join(MET_BASES)}; ignored",
                pointer=written.pointer,
                subject=requirement.label,
            )
        elif basis not in met_bases:
            met_bases.append(basis)
    known = tuple(regulation.PARTIAL_CITATION)
    partials = _distinct(
        next((k for k in known if k.casefold() == v.strip().casefold()), v) for v in reader.values(vocab.PARTIAL)
    )
    return _FindingRead(
        uuid=str(finding.uuid),
        pointer=pointer,
        state=state,
        objective=objective,
        not_applicable=not_applicable,
        partials=partials,
        met_bases=met_bases,
        observations=observations,
        risks=risks,
    )


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _result(
    requirement: Requirement,
    status: Status,
    reads: list[_FindingRead],
    objectives: dict[str, Status],
    met_basis: str | None = None,
    partial: str | None = None,
    points: int = 0,
) -> RequirementResult:
    eligible = status == "not-met" and regulation.poam_eligible(requirement, points, partial)
    return RequirementResult(
        requirement,
        status,
        met_basis,
        partial,
        points,
        eligible,
        finding_uuids=tuple(f.uuid for f in reads),
        observation_uuids=tuple(_distinct(o for f in reads for o in f.observations)),
        risk_uuids=tuple(_distinct(r for f in reads for r in f.risks)),
        finding_pointers=tuple(f.pointer for f in reads),
        objectives=tuple(objectives.items()),
    )


def _determine(requirement: Requirement, reads: list[_FindingRead], say: Say) -> RequirementResult:
    name = requirement_name(requirement)
    determined = [f for f in reads if f.state is not None]
    if not determined:
        return _result(requirement, "not-assessed", reads, {})
    objectives = _objectives(requirement, determined)
    failing = [f for f in determined if f.state == "not-satisfied"]
    first_pointer = determined[0].pointer

    for f in failing:
        if f.not_applicable or f.met_bases:
            what = "cmmc-determination not-applicable" if f.not_applicable else f"cmmc-met-basis {f.met_bases[0]}"
            say(
                rules.CONTRADICTORY,
                f"{name}: finding {f.uuid} is not satisfied yet carries {what}; read as NOT MET",
                pointer=f.pointer,
                subject=requirement.label,
            )

    partials = _distinct(p for f in reads for p in f.partials)
    if not failing:
        if not partials:
            status = _met_or_not_applicable(requirement, determined, objectives, say)
            basis = next((b for f in determined for b in f.met_bases), None) if status == "met" else None
            return _result(requirement, status, reads, objectives, met_basis=basis)
        say(
            rules.CONTRADICTORY,
            f"{name}: every finding is satisfied, yet cmmc-partial {', '.join(partials)} says it is only partly "
            "implemented; read as NOT MET (partial credit is for NOT MET requirements)",
            pointer=first_pointer,
            subject=requirement.label,
        )
    elif partials and any(not f.partials for f in failing):
        plain = next(f for f in failing if not f.partials)
        full = regulation.full_points(requirement)
        say(
            rules.FINDINGS_DISAGREE,
            f"{name}: findings disagree: cmmc-partial {', '.join(partials)} on one, a plain NOT MET on finding "
            f"{plain.uuid}; the stricter reading is kept, the full {full} point{_s(full)}",
            pointer=plain.pointer,
            subject=requirement.label,
        )
        partials = []

    partial, points = _partial_credit(requirement, partials, first_pointer, say)
    return _result(requirement, "not-met", reads, objectives, partial=partial, points=points)


def _objectives(requirement: Requirement, determined: list[_FindingRead]) -> dict[str, Status]:
    """The determination of each objective: a finding on the requirement covers them all."""
    if not requirement.objectives:
        return {}
    whole = [_finding_determination(f) for f in determined if f.objective is None]
    by_letter: dict[str, list[Status]] = {}
    for f in determined:
        if f.objective is not None:
            by_letter.setdefault(f.objective, []).append(_finding_determination(f))
    if not by_letter:  # assessed as a whole: every objective has the requirement's determination
        covered = regulation.combine(whole)
        return {objective.letter: covered for objective in requirement.objectives}
    return {o.letter: regulation.combine([*whole, *by_letter.get(o.letter, ())]) for o in requirement.objectives}


def _finding_determination(read: _FindingRead) -> Status:
    if read.state == "not-satisfied":
        return "not-met"
    return "not-applicable" if read.not_applicable else "met"


def _met_or_not_applicable(
    requirement: Requirement, determined: list[_FindingRead], objectives: dict[str, Status], say: Say
) -> Status:
    """A requirement no finding fails: MET or N/A when every objective is assessed, else not assessed."""
    missing = [letter for letter, status in objectives.items() if status == "not-assessed"]
    if missing:
        letters = ", ".join(f"[{m}]" for m in missing)
        say(
            rules.OBJECTIVES_INCOMPLETE,
            f"{requirement_name(requirement)} is assessed by its objectives, but objective{_s(len(missing))} "
            f"{letters} of {len(objectives)} ha{'s' if len(missing) == 1 else 've'} no finding: it is MET only when "
            "all applicable objectives are satisfied, so it is not assessed",
            pointer=determined[0].pointer,
            subject=requirement.label,
        )
        return "not-assessed"
    if all(f.not_applicable for f in determined):
        return "not-applicable"
    return "met"


def _partial_credit(requirement: Requirement, partials: list[str], pointer: str, say: Say) -> tuple[str | None, int]:
    """The cmmc-partial value that applies and the points it deducts; full points whenever it is in doubt."""
    full = regulation.full_points(requirement)
    if not partials:
        return None, full
    name = requirement_name(requirement)
    defined = regulation.PARTIAL_CREDIT.get(requirement.label)
    if len(partials) > 1:
        say(
            rules.CONTRADICTORY,
            f"{name}: its findings give different cmmc-partial values ({', '.join(partials)}); "
            f"{_deducted(full)} (the safe reading)",
            pointer=pointer,
            subject=requirement.label,
        )
        return None, full
    value = partials[0]
    reduced = regulation.partial_points(requirement, value)
    if defined is None or requirement.partial_points is None:
        say(
            rules.PARTIAL_NOT_ALLOWED,
            f"{name}: cmmc-partial {value!r} is ignored; 32 CFR 170.24(c)(2)(i)(B)(4) gives partial credit only "
            f"to {' and '.join(regulation.PARTIAL_CREDIT)}, so {_deducted(full)}",
            pointer=pointer,
            subject=requirement.label,
        )
        return None, full
    if reduced is None:
        say(
            rules.PARTIAL_NOT_ALLOWED,
            f"{name}: cmmc-partial {value!r} is not the one partial state the rule gives a value ({defined!r}); "
            f"{_deducted(full)}, as 32 CFR 170.24(c)(2)(i)(B)(4) defines no value for "
            "any other partial state",
            pointer=pointer,
            subject=requirement.label,
        )
        return None, full
    return value, reduced
