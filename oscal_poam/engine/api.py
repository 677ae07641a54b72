"""The public entry points that judge documents: `check`, `score`, `eligibility`, `closeout`, `read_results`.

Each gathers the facts of the documents it is given and asks the one engine (`engine.evaluate`); they differ only
in their inputs. Inputs are compliance-trestle models, loaded Documents or paths. Diagnostics name the document
each fact came from and, where its format has lines (XML, YAML), the line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from oscal_poam.engine.evaluate import Evaluation, evaluate
from oscal_poam.engine.gather import PoamInput, ResultsInput, SspInput, gather, read_results_of
from oscal_poam.engine.inputs import DEFAULT_EVIDENCE_DAYS, DEFAULT_STALE_DAYS, Options, Selection
from oscal_poam.engine.verdict import Verdict
from oscal_poam.facts.poam import ROOT as POAM_ROOT
from oscal_poam.facts.results import Assessment
from oscal_poam.io.boundary import reading_from_inputs
from oscal_poam.io.inputs import document_of
from oscal_poam.rules.closeout import CloseoutResult
from oscal_poam.rules.scoring import Score

CheckResult = Evaluation
"""What `check` returns: the engine's evaluation."""


@reading_from_inputs("poam", "ssp", "results")
def check(
    poam: PoamInput,
    *,
    ssp: SspInput | None = None,
    results: ResultsInput | None = None,
    as_of: dt.date | None = None,
    level: int | None = None,
    stale_days: int | None = None,
    evidence_days: int | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    generic: bool = False,
) -> Evaluation:
    """Every rule the inputs allow, in one call.

    - always: the credibility of each item, each item against POA&M eligibility (32 CFR 170.21(a)), the status
      the POA&M records of itself, and each item's automated verification (`Evaluation.verification`);
    - with an SSP: reconciliation of the SSP with the POA&M (and the results, when given);
    - with assessment results: reading and scoring them (170.24), the status they earn (170.21(a)) and the POA&M
      against them; a closeout result is checked as the closeout of the POA&M (170.21(b)) instead;
    - for inputs loaded from files: OSCAL integrity (unique uuids, references that resolve). The POA&M is the
      document judged: what these checks find in the SSP or the results beside it (an assessment plan they import
      that is not at hand) are warnings on them, as `derive` reports them; `validate` judges them themselves.

    `as_of`: the day deadlines, expiry and staleness are judged on (default: today). `level`: the CMMC level, else
    the POA&M's cmmc-level, else the results'. `select`/`ignore`: rule ids, families or id prefixes to report
    (default: all). The CMMC rules run only on CMMC documents (`facts.detect`; every document with `level`, none
    with `generic`); the OSCAL checks run on every document loaded from a file.
    Raises LoadError for inputs that cannot be loaded and UsageError for inputs of the wrong kind.
    """
    facts = gather(poam=poam, ssp=ssp, results=results, level=level, generic=generic, judged=POAM_ROOT)
    options = Options(
        as_of=as_of or dt.date.today(),
        level=level,
        stale_days=DEFAULT_STALE_DAYS if stale_days is None else stale_days,
        evidence_days=DEFAULT_EVIDENCE_DAYS if evidence_days is None else evidence_days,
        selection=Selection(tuple(select), tuple(ignore)),
    )
    return evaluate(facts, options)


def evaluate_results(
    results: ResultsInput,
    level: int | None = None,
    *,
    level2_final: bool | None = None,
    as_of: dt.date | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> Evaluation:
    """The evaluation of assessment results alone: their reading, score and verdict (what `oscal-poam score` shows).

    The results are scored and judged as an initial assessment, whatever their kind (a closeout's are then
    incomplete, and a reason says to check them against their POA&M); the document's OSCAL integrity is `check`'s
    and `validate`'s. `as_of`: judge expiry as of this day; None judges the assessment as of itself.
    `select`/`ignore`: the rules reported (the verdict is the same whatever they are).
    """
    facts = gather(results=results, level=level, cmmc=True)  # asked to score them: read as a CMMC assessment
    facts = replace(facts, results=facts.results or facts.closeout, closeout=None, sources=())
    selection = Selection(tuple(select), tuple(ignore))
    return evaluate(facts, Options(as_of=as_of, level=level, level2_final=level2_final, selection=selection))


def read_results(results: ResultsInput, level: int | None = None, result_index: int = -1) -> Assessment:
    """The CMMC determinations of an assessment results document (see `facts.results.read_assessment`)."""
    return read_results_of(document_of(results, "assessment-results"), level, result_index)


def score(results: ResultsInput, level: int | None = None) -> Score:
    """Score the last result of an assessment results document by 32 CFR 170.24."""
    found = evaluate_results(results, level).score
    assert found is not None  # results alone are always scored
    return found


def eligibility(
    results: ResultsInput,
    level: int | None = None,
    *,
    level2_final: bool | None = None,
    as_of: dt.date | None = None,
) -> Verdict:
    """The CMMC status the last result earns under 32 CFR 170.21(a): Final, Conditional or none."""
    found = evaluate_results(results, level, level2_final=level2_final, as_of=as_of).verdict
    assert found is not None  # results alone are always judged
    return found


@reading_from_inputs("poam", "results")
def closeout(
    poam: PoamInput,
    results: ResultsInput,
    as_of: dt.date | None = None,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> CloseoutResult:
    """Check a POA&M closeout assessment against its POA&M (32 CFR 170.21(b)); `as_of` defaults to today.

    `select`/`ignore`: the rules whose diagnostics are reported (the verdict is the same whatever they are)."""
    facts = gather(poam=poam, closeout=results, cmmc=True)
    selection = Selection(tuple(select), tuple(ignore))
    evaluation = evaluate(facts, Options(as_of=as_of or dt.date.today(), selection=selection))
    assert evaluation.closeout is not None
    if selection.everything:
        return evaluation.closeout
    return replace(evaluation.closeout, diagnostics=evaluation.diagnostics)
