"""The rule engine: facts and options in, one evaluation out (the verdict, the score and every diagnostic).

Every command asks this function; they differ only in the facts they give it:

- initial assessment results: the reading of the results, the score (32 CFR 170.24) and the verdict
  (170.21(a)); with a POA&M also the POA&M against them;
- closeout assessment results and the POA&M they close out: the closeout (170.21(b));
- a POA&M: the credibility of each item, item eligibility, and the status the POA&M records of itself;
- an SSP: its reconciliation with the level's requirements, the POA&M and the results;
- every source document: the OSCAL checks (unique uuids, references that resolve, and any other generic check).

Which rule families run follows from the facts given; which diagnostics are reported follows the selection in the
options, which never changes a verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from oscal_poam.constraints import constraint_diagnostics
from oscal_poam.constraints.references import reference_diagnostics
from oscal_poam.diagnostics import Diagnostic, Severity, has_at_least, worst
from oscal_poam.engine.inputs import Facts, Options, Source
from oscal_poam.engine.places import place_all
from oscal_poam.engine.ruleset import family_of, rules_of_family
from oscal_poam.io.write import to_data
from oscal_poam.rules import closeout as closeout_rules
from oscal_poam.rules import consistency, credibility, eligibility, integrity, recorded, scoring, ssp, verification

if TYPE_CHECKING:
    from oscal_poam.engine.verdict import Verdict
    from oscal_poam.rules.closeout import CloseoutResult
    from oscal_poam.rules.recorded import RecordedScore
    from oscal_poam.rules.scoring import Score
    from oscal_poam.rules.verification import VerificationSummary

DocumentCheck = Callable[[Source], Iterable[Diagnostic]]
"""A check every OSCAL document answers to, CMMC or not (integrity; schema and constraint checks plug in here)."""


def _integrity(source: Source) -> list[Diagnostic]:
    return integrity.integrity(source.document, base_dir=source.base_dir, data=source.data, boundary=source.boundary)


def _data(source: Source) -> Any:
    """The document's plain data, as read where the reader kept it, else from its model."""
    if source.data is not None:
        return source.data
    if source.document.data is not None:
        return source.document.data
    return to_data(source.document.model)


def _constraints(source: Source) -> list[Diagnostic]:
    document = source.document
    return constraint_diagnostics(_data(source), document.source, document.path, boundary=source.boundary)


def _references(source: Source) -> list[Diagnostic]:
    document = source.document
    return reference_diagnostics(_data(source), document.source, document.path, boundary=source.boundary)


DOCUMENT_CHECKS: dict[str, DocumentCheck] = {
    "integrity": _integrity,
    "oscal-constraints": _constraints,
    "reference": _references,
}
"""Family -> check, run over every source document, in this order: integrity (unique uuids, references within
the document and into its imports), NIST's constraint layer (docs/constraints.md), and control, statement,
objective and parameter ids against the catalog the imports reach."""


def document_checks(source: Source, options: Options | None = None) -> list[Diagnostic]:
    """The checks every OSCAL document answers to, over one document (for a document without a model too); on a
    document given as context (`Source.context`) their errors are warnings."""
    selection = (options or Options()).selection
    found: list[Diagnostic] = []
    for family, check in DOCUMENT_CHECKS.items():
        if selection.wants_family(family, rules_of_family(family)):
            found.extend(check(source))
    if source.context:
        return [replace(d, severity=Severity.WARNING) if d.severity is Severity.ERROR else d for d in found]
    return found


@dataclass(frozen=True)
class Evaluation:
    """What the engine found: the diagnostics and, as the facts allow, the score and the verdict."""

    diagnostics: tuple[Diagnostic, ...]
    """Every diagnostic reported (the selection applied), sorted by document, severity, place, rule and subject,
    with source lines where the document's format has them."""
    as_of: dt.date | None
    level: int | None
    score: Score | None = None
    """With initial assessment results: the 170.24 score."""
    verdict: Verdict | None = None
    """With initial assessment results: the status they earn (170.21(a)), as of `as_of` where given."""
    closeout: CloseoutResult | None = None
    """With closeout assessment results and their POA&M: the closeout (170.21(b)); its `outcome` is the verdict."""
    recorded: Verdict | None = None
    """With a POA&M: the status it records of itself (what a report shows when nothing else is given)."""
    recorded_score: RecordedScore | None = None
    """With a POA&M: the score it records (the maximum less the points of its items)."""
    verification: VerificationSummary | None = None
    """With a POA&M: each item's automated verification (passed, failed, not run, no check; regressed, stale) and
    which items are ready for closeout evidence review."""
    facts: Facts = field(default_factory=Facts, compare=False, repr=False)

    @property
    def standing(self) -> Verdict | None:
        """The verdict of the inputs as a whole: the closeout's, else the results', else the POA&M's own."""
        if self.closeout is not None and self.closeout.outcome is not None:
            return self.closeout.outcome
        return self.verdict or self.recorded

    @property
    def worst(self) -> Severity | None:
        return worst(self.diagnostics)

    def fails(self, threshold: Severity = Severity.ERROR) -> bool:
        """Does a diagnostic at or above `threshold` stand."""
        return has_at_least(self.diagnostics, threshold)

    @property
    def cmmc_status(self) -> str | None:
        """The status the results earn, as 48 CFR 204.7501 names it; None without results."""
        if self.closeout is not None:
            return self.closeout.cmmc_status
        return self.verdict.cmmc_status if self.verdict is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "as-of": self.as_of.isoformat() if self.as_of is not None else None,
            "level": self.level,
            "cmmc-status": self.cmmc_status,
            "score": self.score.to_dict() if self.score is not None else None,
            "verdict": self.verdict.to_dict(self.as_of) if self.verdict is not None else None,
            "closeout": self.closeout.to_dict() if self.closeout is not None else None,
            "verification": self.verification.to_dict() if self.verification is not None else None,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


def evaluate(facts: Facts, options: Options | None = None) -> Evaluation:
    """Run every rule the facts allow, once; see the module docstring."""
    options = options or Options()
    day = options.as_of or dt.date.today()
    poam, initial, final_check, ssp_facts = facts.poam, facts.results, facts.closeout, facts.ssp
    results = initial or final_check
    level = options.level or (poam.level if poam is not None else None) or (results.level if results else None)
    found: list[Diagnostic] = []

    items: list[Diagnostic] = []
    recorded_verdict = recorded_score = None
    verified = None
    if poam is not None:
        found.extend(credibility.credibility(poam, as_of=day, stale_days=options.stale_days))
        verified, evidence = verification.verification(poam, as_of=day, evidence_days=options.evidence_days)
        found.extend(evidence)
        items = consistency.item_eligibility(poam, initial, level=level)
        items.extend(recorded.marked_not_eligible(poam, items))
        found.extend(items)
        recorded_score = recorded.recorded_score(poam)
        # A closeout judges the status the POA&M recorded before it, so that one is judged without expiry.
        recorded_verdict = recorded.recorded_verdict(poam, recorded_score, items, None if final_check else day)
        if initial is None and final_check is None:
            found.extend(recorded.below_threshold(poam, recorded_score))

    score = verdict = closed_out = None
    if initial is not None:
        score = scoring.score(initial)
        verdict = eligibility.eligibility(initial, score, level2_final=options.level2_final, as_of=options.as_of)
        found.extend(score.diagnostics)
        found.extend(verdict.reasons)
        if poam is not None:
            found.extend(consistency.against_results(poam, initial))
    elif final_check is not None and poam is not None:
        closed_out = closeout_rules.closeout(poam, final_check, day, recorded=recorded_verdict)
        found.extend(closed_out.diagnostics)
        closed = {i.requirement.label for i in closed_out.items if i.closed}
        recorded_score = recorded.recorded_score(poam, closed, after_closeout=True)
        recorded_verdict = closed_out.outcome
    elif final_check is not None:
        # judged against the POA&M it closes out; on its own only its reading applies
        found.extend(final_check.diagnostics)

    if ssp_facts is not None:
        found.extend(ssp.reconcile(ssp_facts, poam, initial, level=level))
    for source in facts.sources:
        found.extend(document_checks(source, options))

    selection = options.selection
    # Each diagnostic once, in the order the rules found them, item by item: nearly the sorted order, which the
    # final sort then costs half as much as from a set's order (the order sorted to is the same).
    lines = place_all(dict.fromkeys(found), facts.documents)
    reported = [
        d
        for d in dict.fromkeys(lines.values())
        if selection.everything or selection.wants(d.rule_id, family_of(d.rule_id))
    ]
    # the score, the verdicts and the closeout carry their diagnostics located as the evaluation's are
    if score is not None:
        score = replace(score, diagnostics=_placed(score.diagnostics, lines))
    if verdict is not None:
        verdict = replace(verdict, reasons=_placed(verdict.reasons, lines))
    if recorded_verdict is not None:
        recorded_verdict = replace(recorded_verdict, reasons=_placed(recorded_verdict.reasons, lines))
    if closed_out is not None:
        outcome = closed_out.outcome
        closed_out = replace(
            closed_out,
            diagnostics=_placed(closed_out.diagnostics, lines),
            outcome=replace(outcome, reasons=_placed(outcome.reasons, lines)) if outcome is not None else None,
        )
        recorded_verdict = closed_out.outcome
    return Evaluation(
        diagnostics=tuple(sorted(reported, key=lambda d: d.sort_key)),
        as_of=options.as_of,
        level=level,
        score=score,
        verdict=verdict,
        closeout=closed_out,
        recorded=recorded_verdict,
        recorded_score=recorded_score,
        verification=verified,
        facts=facts,
    )


def _placed(diagnostics: tuple[Diagnostic, ...], lines: dict[Diagnostic, Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(lines.get(d, d) for d in diagnostics)
