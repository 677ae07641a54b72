"""`verify`: automated results recorded on a POA&M as verification evidence, and what they show.

It reads each file of results (Prowler's OCSF JSON, SARIF 2.1.0, OSCAL assessment results), records on every item
they match the observations, the verification state and a dated risk-log entry (`verification.record`), and judges
the POA&M's verification as `check` does (`rules.verification`, through the engine): which items are ready for
closeout evidence review, which fail, which regressed. It never closes an item.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from oscal_poam.engine.evaluate import Evaluation, evaluate
from oscal_poam.engine.gather import PoamInput
from oscal_poam.engine.inputs import DEFAULT_EVIDENCE_DAYS, Facts, Options, Selection
from oscal_poam.facts.poam import read_poam
from oscal_poam.io.boundary import reading_from_inputs
from oscal_poam.io.inputs import document_of
from oscal_poam.io.outputs import is_stream
from oscal_poam.rules.verification import FAMILY
from oscal_poam.verification.read import read_results
from oscal_poam.verification.record import Recording, record
from oscal_poam.verification.results import ResultFile

if TYPE_CHECKING:
    from trestle.oscal.poam import PlanOfActionAndMilestones

    from oscal_poam.rules.verification import VerificationSummary


@dataclass(frozen=True)
class VerifyResult:
    """The POA&M with the evidence recorded, what was recorded, and the engine's judgement of its verification."""

    poam: PlanOfActionAndMilestones
    recording: Recording
    evaluation: Evaluation
    files: tuple[ResultFile, ...]

    @property
    def summary(self) -> VerificationSummary:
        found = self.evaluation.verification
        assert found is not None  # a POA&M was judged
        return found

    @property
    def changed(self) -> bool:
        return self.recording.changed


@reading_from_inputs("poam")
def verify(
    poam: PoamInput,
    results: Sequence[str | os.PathLike[str]],
    *,
    as_of: dt.date | None = None,
    output: str | os.PathLike[str] | None = None,
    evidence_days: int = DEFAULT_EVIDENCE_DAYS,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> VerifyResult:
    """Record the automated `results` on `poam`; see the module docstring.

    `as_of`: the day the evidence is judged on (default today), and the scan time of a SARIF run that records none.
    `output`: where the POA&M will be written, which the result files' hrefs are relative to (default: where the
    POA&M is). Raises LoadError for an input that cannot be read (nothing is recorded then), UsageError for a SARIF
    run with no scan time and no `as_of`.
    """
    document = document_of(poam, "plan-of-action-and-milestones")
    default_time = dt.datetime.combine(as_of, dt.time(), dt.UTC) if as_of is not None else None
    files = tuple(read_results(path, default_time=default_time) for path in results)
    recording = record(
        document.model,  # type: ignore[arg-type]
        files,
        poam_folder=_folder(output, document.path),
        document=document.source,
    )
    facts = Facts(poam=read_poam(recording.poam, document.source))
    options = Options(
        as_of=as_of or dt.date.today(),
        evidence_days=evidence_days,
        selection=Selection(tuple(select) or (FAMILY,), tuple(ignore)),
    )
    return VerifyResult(recording.poam, recording, evaluate(facts, options), files)


def _folder(output: str | os.PathLike[str] | None, poam_path: Path | None) -> Path:
    if output is not None and not is_stream(output):
        return Path(output).resolve().parent
    if poam_path is not None:
        return poam_path.resolve().parent
    return Path.cwd()
