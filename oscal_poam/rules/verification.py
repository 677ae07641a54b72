"""What the automated evidence on a POA&M says: each item's verification state, and the rules over it.

An item's checks are its verification pointers (cmmc-verification-check props on its verification tasks), else,
for a Level 2 requirement, the Prowler checks of Prowler's NIST SP 800-171 mapping. Its evidence is the latest
observation recorded for each check (observation props cmmc-verification-check and cmmc-verification-result,
related to the item; `oscal-poam verify` writes them). From these, one state per item:

- `failed`: the latest evidence of a check fails on some resource;
- `passed`: some check has evidence and none fails (a check that reported nothing, having nothing of its kind to
  test, neither passes nor fails the item);
- `not-run`: the item has checks, but none has evidence yet;
- `no-check`: the item names no automated check and the mapping knows none.

An open item whose state is `passed` on current evidence is ready for closeout evidence review. A closed item whose
latest check fails has regressed (an error); evidence older than the item's last change (a risk-log entry a person
wrote, a milestone completed) or than `evidence_days` is stale (a warning). A pointer naming a tool oscal-poam cannot
read, or one not of the form `<tool>:<check>`, is an error. docs/conventions.md ("Automated verification") names the
places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.regulation import CHECKPOINT_CITATION, CLOSEOUT_CITATION
from oscal_poam.dates import leading_iso_day
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.facts.poam import Located, PoamFacts, PoamItemView
from oscal_poam.io.models import text
from oscal_poam.rules.registry import rule
from oscal_poam.verification.mapping import prowler_checks
from oscal_poam.verification.pointers import EXAMPLES, Pointer, parse

FAMILY = "verification"
CONVENTIONS = "docs/conventions.md (Automated verification)"
DEFAULT_EVIDENCE_DAYS = 30
"""Automated evidence older than this many days is stale."""

State = Literal["passed", "failed", "not-run", "no-check"]
STATES: tuple[State, ...] = ("passed", "failed", "not-run", "no-check")
STATE_NAMES: dict[str, str] = {
    "passed": "passed",
    "failed": "failed",
    "not-run": "not run",
    "no-check": "no automated check",
}
"""Each state in words, as the command line and the report show it."""

UNKNOWN_TOOL = rule(
    "verification-check-unknown-tool",
    Severity.ERROR,
    CONVENTIONS,
    "A verification pointer names a tool oscal-poam reads: prowler, sarif or oscal.",
    FAMILY,
)
MALFORMED = rule(
    "verification-check-malformed",
    Severity.ERROR,
    CONVENTIONS,
    f"A verification pointer (task prop cmmc-verification-check) is written {EXAMPLES}.",
    FAMILY,
)
REGRESSED = rule(
    "verification-regressed",
    Severity.ERROR,
    CLOSEOUT_CITATION,
    "A closed item's latest automated check passes: one that fails means the requirement is no longer met.",
    FAMILY,
)
STALE = rule(
    "verification-evidence-stale",
    Severity.WARNING,
    CHECKPOINT_CITATION,
    f"An item's automated evidence is newer than its last change and not older than {DEFAULT_EVIDENCE_DAYS} days "
    "(--evidence-days).",
    FAMILY,
)


@dataclass(frozen=True)
class CheckEvidence:
    """The latest evidence of one check: what it found, when, and where it is recorded."""

    pointer: str
    result: Literal["passed", "failed"]
    collected: dt.datetime
    failing: tuple[str, ...]
    """The resources it failed on (the subjects marked `fail`)."""
    observation: Located


@dataclass(frozen=True)
class ItemVerification:
    """The verification state of one item; see the module docstring."""

    subject: str
    """The requirement's official id, else the item's uuid."""
    item_uuid: str
    title: str
    pointers: tuple[Pointer, ...]
    implied: bool
    """True when the checks come from Prowler's mapping, the item naming none."""
    evidence: tuple[CheckEvidence, ...]
    """The latest evidence of each check that has some, in the order of the checks."""
    state: State
    closed: bool
    stale: str = ""
    """Why the evidence is stale, '' when it is current (or there is none)."""

    @property
    def regressed(self) -> bool:
        return self.closed and self.state == "failed"

    @property
    def ready(self) -> bool:
        """Open, every check with evidence passes, and the evidence is current: ready for closeout evidence review."""
        return not self.closed and self.state == "passed" and not self.stale

    @property
    def collected(self) -> dt.datetime | None:
        """When the latest evidence was collected."""
        return max((e.collected for e in self.evidence), default=None)

    @property
    def failing(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(pointer, failing resources) of every failing check."""
        return tuple((e.pointer, e.failing) for e in self.evidence if e.result == "failed")

    @property
    def unreported(self) -> tuple[str, ...]:
        """The checks with no evidence."""
        seen = {e.pointer for e in self.evidence}
        return tuple(p.text for p in self.pointers if p.text not in seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "item-uuid": self.item_uuid,
            "state": self.state,
            "closed": self.closed,
            "ready": self.ready,
            "regressed": self.regressed,
            "stale": self.stale or None,
            "checks": [p.text for p in self.pointers],
            "checks-from-mapping": self.implied,
            "collected": self.collected.isoformat() if self.collected is not None else None,
            "failing": [{"check": pointer, "resources": list(resources)} for pointer, resources in self.failing],
            "not-reported": list(self.unreported),
        }


@dataclass(frozen=True)
class VerificationSummary:
    """Every item's verification, in POA&M order, and the closeout-ready summary over them."""

    items: tuple[ItemVerification, ...]
    evidence_days: int = DEFAULT_EVIDENCE_DAYS

    @property
    def ready(self) -> tuple[ItemVerification, ...]:
        return tuple(i for i in self.items if i.ready)

    @property
    def failing(self) -> tuple[ItemVerification, ...]:
        """Open items whose latest check fails."""
        return tuple(i for i in self.items if i.state == "failed" and not i.closed)

    @property
    def regressed(self) -> tuple[ItemVerification, ...]:
        return tuple(i for i in self.items if i.regressed)

    @property
    def not_run(self) -> tuple[ItemVerification, ...]:
        """Open items with checks but no evidence yet."""
        return tuple(i for i in self.items if not i.closed and i.state == "not-run")

    @property
    def stale(self) -> tuple[ItemVerification, ...]:
        """Open items whose checks pass, but on stale evidence."""
        return tuple(i for i in self.items if not i.closed and i.state == "passed" and i.stale)

    @property
    def no_check(self) -> tuple[ItemVerification, ...]:
        return tuple(i for i in self.items if i.state == "no-check" and not i.closed)

    def of(self, subject_or_uuid: str) -> ItemVerification | None:
        return next((i for i in self.items if subject_or_uuid in (i.subject, i.item_uuid)), None)

    def to_dict(self) -> dict[str, Any]:
        def names(found: tuple[ItemVerification, ...]) -> list[str]:
            return [i.subject for i in found]

        return {
            "evidence-days": self.evidence_days,
            "ready": names(self.ready),
            "failing": names(self.failing),
            "regressed": names(self.regressed),
            "not-run": names(self.not_run),
            "stale": names(self.stale),
            "no-check": names(self.no_check),
            "items": [i.to_dict() for i in self.items],
        }


def subjects(items: tuple[ItemVerification, ...]) -> str:
    """The items named by requirement, or `none`."""
    return ", ".join(i.subject for i in items) or "none"


def summary_line(summary: VerificationSummary) -> str:
    """The closeout-ready summary in one line, as `check` and `verify` print it."""
    return (
        f"Verification: ready for closeout evidence review: {subjects(summary.ready)}; failing: "
        f"{subjects(summary.failing)}; regressed: {subjects(summary.regressed)}; not run: {subjects(summary.not_run)}"
        f"; stale: {subjects(summary.stale)}; no automated check: {subjects(summary.no_check)}"
    )


def verification(
    facts: PoamFacts, *, as_of: dt.date, evidence_days: int = DEFAULT_EVIDENCE_DAYS
) -> tuple[VerificationSummary, list[Diagnostic]]:
    """The verification of every item, and the diagnostics of the rules over it, in document order."""
    items: list[ItemVerification] = []
    found: list[Diagnostic] = []
    for view in facts.items:
        found.extend(_pointer_problems(view, facts.document))
        judged = item_verification(view, as_of=as_of, evidence_days=evidence_days)
        items.append(judged)
        found.extend(_judged(view, judged, facts.document))
    return VerificationSummary(tuple(items), evidence_days), found


def item_pointers(view: PoamItemView) -> tuple[tuple[Pointer, ...], bool]:
    """The item's checks (its pointers, else the mapping's for its requirement) and whether they are the mapping's."""
    written = [parse(str(c.obj)) for c in view.checks]
    pointers = tuple(dict.fromkeys(p for p in written if isinstance(p, Pointer)))
    if written or view.requirement is None:
        return pointers, False
    mapped = tuple(Pointer("prowler", check) for check in prowler_checks(view.requirement.label))
    return mapped, bool(mapped)


def item_verification(
    view: PoamItemView, *, as_of: dt.date | None = None, evidence_days: int = DEFAULT_EVIDENCE_DAYS
) -> ItemVerification:
    """The item's verification; its evidence is judged stale as of `as_of` (None: only against the item's last
    change)."""
    pointers, implied = item_pointers(view)
    latest: dict[str, CheckEvidence] = {}
    for located in view.evidence:
        evidence = _evidence(located)
        if evidence is None:
            continue
        kept = latest.get(evidence.pointer)
        if kept is None or evidence.collected >= kept.collected:
            latest[evidence.pointer] = evidence
    ordered = tuple(latest[p.text] for p in pointers if p.text in latest)
    state: State
    if not pointers:
        state = "no-check"
    elif any(e.result == "failed" for e in ordered):
        state = "failed"
    elif ordered:
        state = "passed"
    else:
        state = "not-run"
    judged = ItemVerification(
        subject=view.subject,
        item_uuid=str(view.item.uuid or ""),
        title=text(view.item.title),
        pointers=pointers,
        implied=implied,
        evidence=ordered,
        state=state,
        closed=view.is_closed,
    )
    stale = _stale(view, judged, as_of, evidence_days)
    return replace(judged, stale=stale) if stale else judged


def last_change(view: PoamItemView) -> dt.date | None:
    """The day of the item's last change by people: its latest risk-log entry not recorded by verify, or its latest
    milestone completed."""
    days = [view.status_date]
    for milestone in view.milestones:
        days.append(leading_iso_day(vocab.prop_value(milestone.obj.props, vocab.COMPLETED_ON)))
    found = [d for d in days if d is not None]
    return max(found) if found else None


def _stale(view: PoamItemView, judged: ItemVerification, as_of: dt.date | None, evidence_days: int) -> str:
    collected = judged.collected
    if collected is None:
        return ""
    day = collected.date()
    changed = last_change(view)
    if changed is not None and day < changed:
        return f"collected {day.isoformat()}, before the item's last change on {changed.isoformat()}"
    age = (as_of - day).days if as_of is not None else 0
    if as_of is not None and age > evidence_days:
        return f"collected {day.isoformat()}, {age} days before {as_of.isoformat()} (more than {evidence_days})"
    return ""


def _evidence(located: Located) -> CheckEvidence | None:
    observation = located.obj
    written = vocab.prop_value(observation.props, vocab.VERIFICATION_CHECK)
    result = vocab.prop_value(observation.props, vocab.VERIFICATION_RESULT)
    pointer = parse(written) if written is not None else None
    if not isinstance(pointer, Pointer) or result not in ("passed", "failed") or observation.collected is None:
        return None
    failing = tuple(
        text(s.title) or str(s.subject_uuid)
        for s in observation.subjects or []
        if vocab.prop_value(s.props, vocab.VERIFICATION_RESULT) == "fail"
    )
    return CheckEvidence(pointer.text, result, observation.collected, failing, located)  # type: ignore[arg-type]


def _pointer_problems(view: PoamItemView, document: str) -> Iterator[Diagnostic]:
    for located in view.checks:
        parsed = parse(str(located.obj))
        if isinstance(parsed, Pointer):
            continue
        chosen = UNKNOWN_TOOL if parsed.unknown_tool else MALFORMED
        yield chosen.diag(parsed.message, f"{located.pointer}/value", document, view.subject)


def _judged(view: PoamItemView, judged: ItemVerification, document: str) -> Iterator[Diagnostic]:
    if judged.regressed:
        failing = [e for e in judged.evidence if e.result == "failed"]
        first = failing[0]
        shown = "; ".join(_failure(e) for e in failing)
        yield REGRESSED.diag(
            f"{judged.subject} is closed, but its latest automated check fails: {shown}",
            first.observation.pointer,
            document,
            view.subject,
        )
    if judged.stale and judged.evidence:
        newest = max(judged.evidence, key=lambda e: e.collected)
        yield STALE.diag(
            f"the automated evidence of {judged.subject} is stale: {judged.stale}; run the checks again",
            f"{newest.observation.pointer}/collected",
            document,
            view.subject,
        )


def _failure(evidence: CheckEvidence) -> str:
    resources = ", ".join(evidence.failing[:3]) + (", ..." if len(evidence.failing) > 3 else "")
    where = f" on {len(evidence.failing)} resource{'s' if len(evidence.failing) != 1 else ''} ({resources})"
    return f"{evidence.pointer} failed{where if evidence.failing else ''} ({evidence.collected.date().isoformat()})"
