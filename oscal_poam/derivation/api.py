"""`derive`: a system security plan and CMMC assessment results in, a checked POA&M out.

The POA&M depends only on its inputs: every UUID is stable, collections are in
requirement order, and every timestamp comes from the inputs (the results'
last-modified and end) or from `as_of`, never from the clock.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trestle.oscal.poam import PlanOfActionAndMilestones

from oscal_poam.derivation.build import Inputs, build, result_end
from oscal_poam.derivation.data import Data, status_date_of
from oscal_poam.derivation.generic import build_generic, merge_generic
from oscal_poam.derivation.merge import MergeContext, merge
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.evaluate import Evaluation, evaluate
from oscal_poam.engine.gather import PoamInput, ResultsInput, SspInput
from oscal_poam.engine.inputs import Facts, Options, Selection, Source
from oscal_poam.engine.verdict import Verdict
from oscal_poam.errors import UsageError
from oscal_poam.facts.detect import is_cmmc_results
from oscal_poam.facts.poam import read_poam
from oscal_poam.facts.results import Assessment, read_assessment
from oscal_poam.facts.ssp import read_ssp
from oscal_poam.io.boundary import reading_from_inputs
from oscal_poam.io.inputs import document_of
from oscal_poam.io.keep import validate as kept
from oscal_poam.io.load import Document
from oscal_poam.io.models import kind_of
from oscal_poam.io.write import to_data
from oscal_poam.rules.closeout import CloseoutResult


class NotCmmcError(UsageError):
    """The assessment results carry no CMMC level and target no CMMC requirement."""


@dataclass(frozen=True)
class DeriveResult:
    """What `derive` produced and found."""

    poam: PlanOfActionAndMilestones | None
    """None when there is nothing to put on a POA&M (every requirement MET, and no existing POA&M)."""
    diagnostics: tuple[Diagnostic, ...]
    """Every rule's findings on the inputs and the derived POA&M, errors first."""
    verdict: Verdict | None
    """The status the assessment earns (32 CFR 170.21(a)); None for a closeout or a generic POA&M."""
    closeout: CloseoutResult | None = None
    """For closeout results merged into their POA&M: the closeout verdict (32 CFR 170.21(b))."""
    assessment: Assessment | None = None
    as_of: dt.date | None = None
    """The date the rules were evaluated at and items closed on."""
    generic: bool = False
    document: str = ""
    """The name the diagnostics give the derived POA&M (where it will be written)."""

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def cmmc_status(self) -> str | None:
        """The status as 48 CFR 204.7501 names it (`Conditional Level 2 (C3PAO)`); None for a generic POA&M."""
        if self.closeout is not None:
            return self.closeout.cmmc_status
        return self.verdict.cmmc_status if self.verdict is not None else None

    @property
    def ok(self) -> bool:
        """No error-level diagnostic stands: the POA&M may be written."""
        return not self.errors


@dataclass(frozen=True)
class _Input:
    model: Any
    source: str
    """How messages name the input."""
    path: Path | None
    doc: Document | None
    """The Document given or loaded; None for a model given alone."""

    @property
    def name(self) -> str:
        """How diagnostics name the input: its source, '' for a model given alone (as `check` names one)."""
        return self.doc.source if self.doc is not None else ""


def _input(value: object, expect: str, name: str) -> _Input:
    doc = document_of(value, expect, name=name)
    return _Input(doc.model, doc.source, doc.path, None if doc.model is value else doc)


@reading_from_inputs("ssp", "results", "existing", "poam_path")
def derive(
    ssp: SspInput,
    results: ResultsInput,
    *,
    level: int | None = None,
    existing: PoamInput | None = None,
    as_of: dt.date | None = None,
    generic: bool = False,
    poam_path: str | os.PathLike[str] | None = None,
    ssp_href: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> DeriveResult:
    """Derive the POA&M of the last result of `results` for the system of `ssp`.

    `ssp`, `results` and `existing` are compliance-trestle models, loaded Documents or paths. `existing` is the
    POA&M to re-derive onto (people's edits are kept, items now MET are closed). `as_of` is the completion date
    written on items closed now and the date the rules are evaluated at; default: the day the result ended.
    `poam_path` is where the POA&M will be written, so that `import-ssp` points at the SSP relative to it
    (`ssp_href` sets it outright). `generic` derives a plain POA&M from the not-satisfied findings of any
    assessment results, CMMC or not, with the CMMC rules skipped.

    The POA&M is judged as `check` judges it with its SSP and results; the inputs only as far as the POA&M depends
    on them: what the OSCAL checks find in the SSP or the results themselves (an imported assessment plan that is
    not at hand, a dangling reference inside the results) is a warning on that input, never an error that keeps
    a correct POA&M from being written. `select`/`ignore`: the rules reported (ids, families or id prefixes);
    the verdict is the same whatever they are.

    Raises LoadError for an input that cannot be loaded, UsageError (NotCmmcError) for inputs that cannot go
    together, for example results that are not a CMMC assessment.
    """

    ssp_in = _input(ssp, "system-security-plan", "ssp")
    results_in = _input(results, "assessment-results", "results")
    existing_in = _input(existing, "plan-of-action-and-milestones", "existing POA&M") if existing is not None else None
    target = Path(poam_path) if poam_path is not None else None
    href = ssp_href or _href(ssp_in, target)

    ssp_data = to_data(ssp_in.model)["system-security-plan"]
    results_data = to_data(results_in.model)["assessment-results"]
    result = _last_result(results_data, results_in.source)
    existing_data = to_data(existing_in.model)["plan-of-action-and-milestones"] if existing_in else None

    selection = Selection(tuple(select), tuple(ignore))
    if generic:
        return _derive_generic(ssp_data, results_data, result, href, existing_data, as_of, target, selection)

    if not is_cmmc_results(results_in.model):
        raise NotCmmcError(
            f"{results_in.source}: these assessment results carry no CMMC level and target no CMMC requirement; "
            "use --generic to derive a plain POA&M from the not-satisfied findings"
        )

    assessment = read_assessment(results_in.model, level=level, document=results_in.name)
    status_date = assessment.status_date
    if assessment.kind == "closeout":
        if existing_data is None:
            raise UsageError(
                f"{results_in.source} is a POA&M closeout assessment: give the POA&M it closes out (--poam), "
                "whose metadata holds the Conditional CMMC Status Date"
            )
        status_date = status_date_of(existing_data) or status_date
    fresh = build(Inputs(ssp_data, results_data, result, assessment, href, status_date))
    end = result_end(result)
    when = as_of or end.date()
    closed_on = completion_time(as_of, end)
    system = str(fresh.system_id.id)
    if existing_data is not None:
        ctx = MergeContext(assessment, result, closed_on, system, existing_in.source if existing_in else "")
        data = merge(existing_data, fresh.data(), ctx)
        poam = model_of(data) if data.get("poam-items") else None
    else:
        poam = fresh.document()
    if poam is None:
        # Nothing NOT MET and no POA&M to update: the verdict alone (Final, or why not).
        evaluation = evaluate(Facts(results=assessment), Options(as_of=as_of, selection=selection))
        return DeriveResult(
            poam=None,
            diagnostics=evaluation.diagnostics,
            verdict=evaluation.verdict,
            assessment=assessment,
            as_of=when,
        )
    evaluation = _judged(poam, ssp_in, results_in, assessment, target, when, selection)
    return DeriveResult(
        document=_shown(target),
        poam=poam,
        diagnostics=evaluation.diagnostics,
        verdict=evaluation.verdict,
        closeout=evaluation.closeout,
        assessment=assessment,
        as_of=when,
    )


def _derive_generic(
    ssp: Data,
    results: Data,
    result: Data,
    ssp_href: str,
    existing: Data | None,
    as_of: dt.date | None,
    target: Path | None,
    selection: Selection,
) -> DeriveResult:
    """A plain POA&M from the not-satisfied findings, checked for integrity only: no CMMC rule applies."""

    fresh = build_generic(ssp, results, result, ssp_href)
    if existing is not None:
        data = merge_generic(existing, fresh.data())
        poam = model_of(data) if data.get("poam-items") else None
    else:
        poam = fresh.document()
    when = as_of or result_end(result).date()
    diagnostics: tuple[Diagnostic, ...] = ()
    if poam is not None:
        written = _as_written(poam, target)
        facts = Facts(sources=(Source(written, base_dir=_base(target)),), documents=(written,))
        diagnostics = evaluate(facts, Options(as_of=when, selection=selection)).diagnostics
    return DeriveResult(
        poam=poam, diagnostics=diagnostics, verdict=None, as_of=when, generic=True, document=_shown(target)
    )


def _judged(
    poam: PlanOfActionAndMilestones,
    ssp: _Input,
    results: _Input,
    assessment: Assessment,
    target: Path | None,
    as_of: dt.date,
    selection: Selection,
) -> Evaluation:
    """The engine's evaluation of the derived POA&M with its SSP and results: what `check` says of it.

    The POA&M is judged as the document it will be once written to `target`, so that its import-ssp resolves
    from there (from the working folder when it has no place yet).
    """
    written = _as_written(poam, target)
    ssp_doc = ssp.doc or Document(kind=kind_of(ssp.model), model=ssp.model, format="json", source="")
    ssp_facts = read_ssp(ssp.model, ssp_doc.source)
    poam_facts = read_poam(poam, written.source)
    given = [d for d in (ssp.doc, results.doc) if d is not None]
    closeout = assessment.kind == "closeout"
    facts = Facts(
        poam=poam_facts,
        ssp=ssp_facts,
        results=None if closeout else assessment,
        closeout=assessment if closeout else None,
        sources=(
            Source(written, base_dir=_base(target)),
            *(Source(d, context=True) for d in given if d.path is not None),
        ),
        documents=(written, *given),
    )
    return evaluate(facts, Options(as_of=as_of, level=assessment.level, selection=selection))


def _base(target: Path | None) -> Path | None:
    return None if target is not None else Path.cwd()


def _sorted(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(set(diagnostics), key=lambda d: d.sort_key))


def _as_written(poam: PlanOfActionAndMilestones, target: Path | None) -> Document:
    """The derived POA&M as the document it will be once written to `target`."""
    return Document(kind=kind_of(poam), model=poam, format="json", source=_shown(target), path=target)


def _shown(target: Path | None) -> str:
    return target.as_posix() if target is not None else "<derived POA&M>"


def model_of(data: Data) -> PlanOfActionAndMilestones:
    """The POA&M model of derived data, every string it copied from the SSP, the results and the existing
    POA&M as written there (`oscal_poam.io.keep`)."""
    return kept(PlanOfActionAndMilestones, data)


def _last_result(results: Data, source: str) -> Data:
    """The result derive reads, as `check` does: the last one."""
    found = results.get("results") or []
    if not found:  # the schema requires one; a guard for hand-built data
        raise UsageError(f"{source} holds no result")
    result: Data = found[-1]
    return result


def _href(ssp: _Input, target: Path | None) -> str:
    """Where the POA&M's import-ssp points: the SSP relative to the POA&M where both places are known."""
    if ssp.path is None:
        return f"urn:uuid:{ssp.model.uuid}"
    if target is None:
        return ssp.path.as_posix()
    return Path(os.path.relpath(ssp.path.resolve(), target.resolve().parent)).as_posix()


def completion_time(as_of: dt.date | None, end: dt.datetime) -> dt.datetime:
    """When items closed now are completed: `as_of` (midnight in the results' zone), else the result's end."""
    if as_of is None or as_of == end.date():
        return end
    return dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=end.tzinfo)
