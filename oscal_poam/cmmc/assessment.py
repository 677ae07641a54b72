"""Reading OSCAL assessment results into one CMMC determination per requirement.

docs/conventions.md ("Assessment results") says where each fact sits. A requirement is NOT MET when any
finding on it or on one of its objectives is not satisfied, N/A when every finding on it says
`cmmc-determination` = `not-applicable`, MET otherwise, and *not assessed* when no finding targets it.
Where a document is ambiguous the reading that deducts more points is kept and a diagnostic says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.catalog import Requirement, catalog
from oscal_poam.cmmc.regulation import (
    ASSESSMENT_KINDS,
    ASSESSMENT_TYPES,
    MET_BASES,
    PARTIAL_CREDIT,
    Determination,
    full_points,
    poam_eligible,
)
from oscal_poam.dates import iso_day
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.errors import UsageError
from oscal_poam.io import pointers
from oscal_poam.io.models import text
from oscal_poam.rules import results as rules

if TYPE_CHECKING:
    from trestle.oscal.assessment_results import AssessmentResults, Result
    from trestle.oscal.common import Finding

Status = Determination

NOT_APPLICABLE = "not-applicable"


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
        return full_points(self.requirement)


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

    def not_met(self) -> list[RequirementResult]:
        return self.with_status("not-met")

    def not_assessed(self) -> list[RequirementResult]:
        return self.with_status("not-assessed")

    def with_status(self, status: Status) -> list[RequirementResult]:
        return [r for r in self.requirements.values() if r.status == status]

    def by_label(self, label: str) -> RequirementResult | None:
        wanted = label.upper()
        return next((r for r in self.requirements.values() if r.label.upper() == wanted), None)


def requirement_name(requirement: Requirement) -> str:
    return f"{requirement.label} {requirement.title}".strip()


@dataclass
class _FindingRead:
    uuid: str
    pointer: str
    state: str | None
    not_applicable: bool
    partials: list[str]
    met_bases: list[str]
    observations: list[str]
    risks: list[str]


def read_assessment(
    results: AssessmentResults, *, level: int | None = None, document: str = "", result_index: int = -1
) -> Assessment:
    """Read one result of `results` (default the last one) into per-requirement determinations.

    `level`: None reads the result's cmmc-level prop, else infers it from which catalog the findings target.
    Raises UsageError when the document has no such result or `level` is not 1, 2 or 3.
    """
    if level is not None and level not in (1, 2, 3):
        raise UsageError(f"CMMC level must be 1, 2 or 3, not {level}")
    count = len(results.results)
    index = result_index + count if result_index < 0 else result_index
    if not 0 <= index < count:
        raise UsageError(f"{document or 'the assessment results'} has no result number {result_index} ({count} held)")
    result = results.results[index]
    result_pointer = pointers.join("assessment-results", "results", index)
    diags: list[Diagnostic] = []

    def say(rule: Any, message: str, pointer: str = result_pointer, subject: str = "", **kw: Any) -> None:
        diags.append(rule.diag(message, pointer=pointer, document=document, subject=subject, **kw))

    props = _ResultProps(result, result_pointer, document, diags)
    chosen = _choose_level(level, props.level, result, result_pointer, document, diags)
    cat = catalog(chosen)

    reads: dict[str, list[_FindingRead]] = {r.control_id: [] for r in cat.requirements}
    findings = list(result.findings or [])
    for j, finding in enumerate(findings):
        pointer = pointers.join("assessment-results", "results", index, "findings", j)
        target_id = text(finding.target.target_id)
        state = text(finding.target.status.state) if finding.target.status is not None else None
        requirement = cat.resolve_target(target_id)
        if requirement is None:
            elsewhere = _other_level(target_id, chosen)
            where = f"; it is a Level {elsewhere} requirement" if elsewhere else ""
            loses = state == "not-satisfied"
            say(
                rules.UNKNOWN_TARGET,
                f"finding {finding.uuid} targets {target_id!r}, not a requirement or objective of the "
                f"Level {chosen} catalog{where}; it is left out"
                + (", and the NOT MET it records is lost" if loses else ""),
                pointer=pointers.join("assessment-results", "results", index, "findings", j, "target", "target-id"),
                subject=str(finding.uuid),
                severity=Severity.ERROR if loses else None,
            )
            continue
        if state is None:
            say(
                rules.FINDING_NO_STATE,
                f"finding {finding.uuid} on {requirement_name(requirement)} has no target status state "
                "(satisfied or not-satisfied); it determines nothing",
                pointer=pointers.join("assessment-results", "results", index, "findings", j, "target"),
                subject=requirement.label,
            )
        reads[requirement.control_id].append(_read_finding(finding, state, pointer, requirement, say, rules))

    requirement_results: dict[str, RequirementResult] = {}
    for requirement in cat.requirements:
        requirement_results[requirement.control_id] = _determine(
            requirement, reads[requirement.control_id], result_pointer, say, rules
        )

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
            say(
                rules.NOT_ASSESSED,
                f"{r.name} has no finding in this result: it is not assessed (never read as MET)"
                + (
                    f"; the score deducts its {r.full_points} point{_s(r.full_points)} until it is"
                    if chosen != 1
                    else ""
                ),
                pointer=pointers.join("assessment-results", "results", index, "findings")
                if findings
                else result_pointer,
                subject=r.label,
            )

    start = _day(result.start)
    end = _day(result.end)
    return Assessment(
        level=chosen,
        assessment_type=props.assessment_type,
        kind=props.kind,
        status_date=props.status_date or end,
        result_uuid=str(result.uuid),
        result_pointer=result_pointer,
        document=document,
        requirements=requirement_results,
        diagnostics=tuple(diags),
        start=start,
        end=end,
        title=str(result.title),
        has_findings=bool(findings),
    )


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _day(value: Any) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else None


class _ResultProps:
    """The result's CMMC props, each checked against the values docs/conventions.md defines."""

    def __init__(self, result: Result, result_pointer: str, document: str, diags: list[Diagnostic]) -> None:
        self._rules = rules
        self._result = result
        self._pointer = result_pointer
        self._document = document
        self._diags = diags
        _warn_unnamespaced(
            result.props,
            (vocab.LEVEL, vocab.ASSESSMENT_TYPE, vocab.ASSESSMENT_KIND, vocab.STATUS_DATE),
            result_pointer,
            document,
            diags,
        )
        raw_level = self._value(vocab.LEVEL, ("1", "2", "3"), "read from the findings instead")
        self.level = int(raw_level) if raw_level else None
        self.assessment_type = self._value(vocab.ASSESSMENT_TYPE, ASSESSMENT_TYPES, "the assessment type is unknown")
        self.kind = self._value(vocab.ASSESSMENT_KIND, ASSESSMENT_KINDS, "read as initial") or "initial"
        self.status_date: dt.date | None = None
        raw_date = self._value(vocab.STATUS_DATE, None, "")
        if raw_date is not None:
            self.status_date = iso_day(raw_date)
            if self.status_date is None:
                self._invalid(vocab.STATUS_DATE, raw_date, "a date (YYYY-MM-DD)", "the result's end is used instead")

    def _value(self, name: str, allowed: Iterable[str] | None, fallback: str) -> str | None:
        value = vocab.prop_value(self._result.props, name)
        if value is None or allowed is None:
            return value
        allowed = tuple(allowed)
        if value not in allowed:
            self._invalid(name, value, " or ".join(allowed), fallback)
            return None
        return value

    def _invalid(self, name: str, value: str, expected: str, fallback: str) -> None:
        index = next(
            (
                i
                for i, p in enumerate(self._result.props or [])
                if p.name == name and str(p.ns) == vocab.NS and text(p.value) == value
            ),
            0,
        )
        self._diags.append(
            self._rules.PROP_INVALID.diag(
                f"result prop {name} is {value!r}, not {expected}; {fallback}",
                pointer=self._pointer + pointers.join("props", index),
                document=self._document,
            )
        )


def _warn_unnamespaced(props: Any, names: Iterable[str], pointer: str, document: str, diags: list[Diagnostic]) -> None:
    """A CMMC prop without the project's namespace is not read; a person most likely forgot the `ns`."""
    wanted = set(names)
    for i, prop in enumerate(props or []):
        ns = str(prop.ns) if prop.ns is not None else ""
        if prop.name in wanted and ns != vocab.NS:
            diags.append(
                rules.PROP_INVALID.diag(
                    f"prop {prop.name} has namespace {ns or '(none)'!r}, not {vocab.NS!r}; it is not read",
                    pointer=pointer + pointers.join("props", i),
                    document=document,
                )
            )


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
    hits = {level: 0 for level in (1, 2, 3)}
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
    finding: Finding, state: str | None, pointer: str, requirement: Requirement, say: Any, rules: Any
) -> _FindingRead:
    names = (vocab.DETERMINATION, vocab.PARTIAL, vocab.MET_BASIS)
    diags: list[Diagnostic] = []
    _warn_unnamespaced(finding.props, names, pointer, "", diags)
    for d in diags:
        say(rules.PROP_INVALID, d.message, pointer=d.pointer, subject=requirement.label)

    determinations = _distinct(vocab.prop_values(finding.props, vocab.DETERMINATION))
    for value in determinations:
        if value != NOT_APPLICABLE:
            say(
                rules.PROP_INVALID,
                f"finding {finding.uuid} on {requirement_name(requirement)}: cmmc-determination is {value!r}; "
                f"the only value defined is {NOT_APPLICABLE!r} (the target's state says MET or NOT MET); ignored",
                pointer=_prop_pointer(finding, pointer, vocab.DETERMINATION),
                subject=requirement.label,
            )
    met_bases = _distinct(vocab.prop_values(finding.props, vocab.MET_BASIS))
    for value in met_bases:
        if value not in MET_BASES:
            say(
                rules.PROP_INVALID,
                f"finding {finding.uuid} on {requirement_name(requirement)}: cmmc-met-basis is {value!r}, not "
                f"{', '.join(MET_BASES)}; ignored",
                pointer=_prop_pointer(finding, pointer, vocab.MET_BASIS),
                subject=requirement.label,
            )
    return _FindingRead(
        uuid=str(finding.uuid),
        pointer=pointer,
        state=state,
        not_applicable=NOT_APPLICABLE in determinations,
        partials=_distinct(vocab.prop_values(finding.props, vocab.PARTIAL)),
        met_bases=[v for v in met_bases if v in MET_BASES],
        observations=[str(o.observation_uuid) for o in finding.related_observations or []],
        risks=[str(r.risk_uuid) for r in finding.related_risks or []],
    )


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _prop_pointer(finding: Finding, finding_pointer: str, name: str) -> str:
    for i, prop in enumerate(finding.props or []):
        if prop.name == name:
            return finding_pointer + pointers.join("props", i)
    return finding_pointer


def _determine(
    requirement: Requirement, reads: list[_FindingRead], result_pointer: str, say: Any, rules: Any
) -> RequirementResult:
    name = requirement_name(requirement)
    links = {
        "finding_uuids": tuple(f.uuid for f in reads),
        "observation_uuids": tuple(_distinct(o for f in reads for o in f.observations)),
        "risk_uuids": tuple(_distinct(r for f in reads for r in f.risks)),
        "finding_pointers": tuple(f.pointer for f in reads),
    }
    determined = [f for f in reads if f.state is not None]
    if not determined:
        return RequirementResult(requirement, "not-assessed", None, None, 0, False, **links)
    failing = [f for f in determined if f.state == "not-satisfied"]
    partials = _distinct(p for f in reads for p in f.partials)
    full = full_points(requirement)
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

    if not failing:
        if not partials:
            if all(f.not_applicable for f in determined):
                return RequirementResult(requirement, "not-applicable", None, None, 0, False, **links)
            basis = next((b for f in determined for b in f.met_bases), None)
            return RequirementResult(requirement, "met", basis, None, 0, False, **links)
        say(
            rules.CONTRADICTORY,
            f"{name}: every finding is satisfied, yet cmmc-partial {', '.join(partials)} says it is only partly "
            "implemented; read as NOT MET (partial credit is for NOT MET requirements)",
            pointer=first_pointer,
            subject=requirement.label,
        )

    partial, points = _partial_credit(requirement, partials, full, first_pointer, say, rules)
    return RequirementResult(
        requirement,
        "not-met",
        None,
        partial,
        points,
        poam_eligible(requirement, points, partial),
        **links,
    )


def _partial_credit(
    requirement: Requirement, partials: list[str], full: int, pointer: str, say: Any, rules: Any
) -> tuple[str | None, int]:
    """The cmmc-partial value that applies and the points it deducts; full points whenever it is in doubt."""
    if not partials:
        return None, full
    name = requirement_name(requirement)
    defined = PARTIAL_CREDIT.get(requirement.label)
    if len(partials) > 1:
        say(
            rules.CONTRADICTORY,
            f"{name}: its findings give different cmmc-partial values ({', '.join(partials)}); "
            f"the full {full} points are deducted (the safe reading)",
            pointer=pointer,
            subject=requirement.label,
        )
        return None, full
    value = partials[0]
    if defined is None or requirement.partial_points is None:
        say(
            rules.PARTIAL_NOT_ALLOWED,
            f"{name}: cmmc-partial {value!r} is ignored; 32 CFR 170.24(c)(2)(i)(B)(4) gives partial credit only "
            f"to IA.L2-3.5.3 and SC.L2-3.13.11, so the full {full} point{_s(full)} are deducted",
            pointer=pointer,
            subject=requirement.label,
        )
        return None, full
    if value != defined:
        say(
            rules.PARTIAL_NOT_ALLOWED,
            f"{name}: cmmc-partial {value!r} is not the one partial state the rule gives a value ({defined!r}); "
            f"the full {full} points are deducted (the safe reading: UNVERIFIED, the rule defines no other "
            "partial state)",
            pointer=pointer,
            subject=requirement.label,
        )
        return None, full
    return value, requirement.partial_points
