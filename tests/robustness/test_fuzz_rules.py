"""Random assessment results always give a verdict or diagnostics: scoring, eligibility, check, closeout, derive.

The results are valid OSCAL but anything goes in CMMC terms: any level declared or none or a wrong one,
requirements MET, NOT MET, N/A, without a state, with contradicting findings or not assessed at all, one
finding per objective, partial credit and met bases valid or not, findings on unknown or other levels'
targets, and any assessment type, kind and status date. POA&Ms name random requirements, some closed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from trestle.oscal import assessment_results as ar
from trestle.oscal import common

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.catalog import catalog
from oscal_poam.derivation.api import derive
from oscal_poam.diagnostics import Diagnostic
from oscal_poam.engine.api import check, closeout, evaluate_results
from oscal_poam.engine.ruleset import all_rules
from oscal_poam.errors import UsageError
from tests import builders as b
from tests.robustness.mutations import assert_writable, examples
from tests.rules import ssp_data

STATUSES = ("met", "not-met", "not-applicable", "no-state", "contradicting", "missing")
PARTIALS = (None, vocab.PARTIAL_MFA, vocab.PARTIAL_ENCRYPTION, "half-done")
BASES = (None, "enduring-exception", "temporary-deficiency", "dod-cio-adjudication", "because")
STRANGE_TARGETS = ("ac-2", "ac.l2-3.1.99", "ac.l2-3.1.1_obj.z", "xx.l9-1.1.1", "b.1.i", "AC.L2-3.1.1")
RULE_IDS = frozenset(r.id for r in all_rules())
AS_OF = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 12, 31))


def _labels(level: int) -> list[str]:
    return [r.label for r in catalog(level).requirements]


@st.composite
def requirement_findings(draw: st.DrawFn, label: str, status: str, index: int) -> list[common.Finding]:
    requirement = b.requirement(label)
    partial = draw(st.sampled_from(PARTIALS)) if status == "not-met" else None
    basis = draw(st.sampled_from(BASES)) if draw(st.integers(0, 9)) == 0 else None
    if status == "missing":
        return []
    if status == "contradicting":
        return [b.finding(label, key=(index, 1)), b.finding(label, "not-satisfied", key=(index, 2))]
    if draw(st.booleans()) and requirement.objectives:
        return [
            b.finding(
                label,
                draw(st.sampled_from(("satisfied", "satisfied", "not-satisfied", None))),
                part=f"obj.{objective.letter}",
                partial=partial,
                met_basis=basis,
                not_applicable=status == "not-applicable",
                key=index,
            )
            for objective in requirement.objectives
        ]
    state = {"met": "satisfied", "not-met": "not-satisfied", "not-applicable": "satisfied", "no-state": None}[status]
    return [
        b.finding(label, state, partial=partial, met_basis=basis, not_applicable=status == "not-applicable", key=index)
    ]


@st.composite
def random_results(draw: st.DrawFn) -> tuple[int, ar.AssessmentResults]:
    level = draw(st.sampled_from((1, 2, 3)))
    labels = _labels(level)
    changed = draw(st.dictionaries(st.sampled_from(labels), st.sampled_from(STATUSES), max_size=12))
    findings: list[common.Finding] = []
    for index, label in enumerate(labels):
        findings.extend(draw(requirement_findings(label, changed.get(label, "met"), index)))
    for n, target in enumerate(draw(st.lists(st.sampled_from(STRANGE_TARGETS + tuple(_labels(1))), max_size=3))):
        findings.append(b.finding(target, draw(st.sampled_from(("satisfied", "not-satisfied"))), key=("odd", n)))
    declared = draw(st.sampled_from((level, None, 4, "two")))
    end = draw(st.one_of(st.none(), st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 1, 1))))
    extra = [b.prop(vocab.LEVEL, str(declared))] if isinstance(declared, str) or declared == 4 else []
    results = b.results(
        findings,
        level=declared if isinstance(declared, int) and declared != 4 else None,
        assessment_type=draw(st.sampled_from(("self", "c3pao", "dibcac", None, "third-party"))),
        kind=draw(st.sampled_from(("initial", "initial", "closeout", None, "final"))),
        status_date=draw(st.sampled_from((None, "2026-03-06", "2026-02-30", "soon"))),
        end=end.replace(tzinfo=dt.UTC) if end is not None else None,
        extra_props=extra,
    )
    return level, results


@st.composite
def random_poam(draw: st.DrawFn, level: int) -> Any:
    labels = draw(st.lists(st.sampled_from(_labels(level)), unique=True, min_size=1, max_size=8))
    return b.poam(
        labels,
        level=draw(st.sampled_from((level, None, 1, 2, 3))),
        assessment_type=draw(st.sampled_from(("c3pao", "self", "dibcac", None))),
        status_date=draw(st.sampled_from((b.STATUS_DATE, None, "2026-13-01"))),
        closed=draw(st.lists(st.sampled_from(labels), unique=True)),
    )


def _diagnostics_are_well_formed(found: tuple[Diagnostic, ...]) -> None:
    for diagnostic in found:
        assert diagnostic.rule_id in RULE_IDS, diagnostic
        assert diagnostic.message.strip(), diagnostic


@examples(100)
@given(random_results())
def test_score_and_eligibility_give_a_verdict(generated: tuple[int, ar.AssessmentResults]) -> None:
    _, results = generated
    evaluation = evaluate_results(results)
    score, verdict = evaluation.score, evaluation.verdict
    assert score is not None and verdict is not None
    assert score.maximum > 0
    assert score.score is None or score.score <= score.maximum
    assert verdict.status in ("final", "conditional", "none")
    assert verdict.cmmc_status
    if verdict.status == "none":
        assert verdict.reasons, "no CMMC status, and no reason given"
    if verdict.status == "conditional":  # a deadline, or a warning that there can be none
        unknown = {d.rule_id for d in verdict.reasons} & {"eligibility-status-date-unknown"}
        assert verdict.deadline is not None or unknown
    _diagnostics_are_well_formed(score.diagnostics)
    _diagnostics_are_well_formed(verdict.reasons)


@examples(60)
@given(st.data(), random_results(), AS_OF)
def test_check_and_closeout_give_a_verdict_or_diagnostics(
    data: st.DataObject, generated: tuple[int, ar.AssessmentResults], as_of: dt.date
) -> None:
    level, results = generated
    poam = data.draw(random_poam(level))
    checked = check(poam, results=results, as_of=as_of)
    assert checked.cmmc_status or checked.diagnostics
    _diagnostics_are_well_formed(checked.diagnostics)
    closed = closeout(poam, results, as_of)
    assert closed.verdict
    _diagnostics_are_well_formed(closed.diagnostics)


@examples(40)
@given(st.data(), random_results(), AS_OF)
def test_derive_gives_a_checked_poam_or_a_clear_refusal(
    data: st.DataObject, generated: tuple[int, ar.AssessmentResults], as_of: dt.date
) -> None:
    level, results = generated
    ssp = ssp_data.model(ssp_data.cmmc_ssp(level=level))
    existing = data.draw(st.one_of(st.none(), random_poam(level)))
    try:
        derived = derive(ssp, results, existing=existing, as_of=as_of)
    except UsageError as exc:  # refused with a message the CLI shows (exit code 2): closeout without its POA&M
        assert str(exc).strip()
        return
    _diagnostics_are_well_formed(derived.diagnostics)
    if derived.poam is not None:
        assert_writable(derived.poam)
    else:
        assert existing is None
