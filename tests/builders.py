"""Builders of real compliance-trestle OSCAL documents that follow docs/conventions.md, for tests.

Assessment results:

- `finding(target, state, ...)`: one finding on a requirement (official id or control id), its statement or
  one of its objectives, with CMMC props (`partial=`, `met_basis=`, `not_applicable=`, or any `props=`).
- `requirement_findings(label, status, ...)`: the findings that give one requirement a status
  (`met`, `not-met`, `not-applicable`), optionally one finding per objective.
- `assessment_results(level, not_met=..., not_applicable=..., missing=..., ...)`: a complete assessment of a
  level where every requirement is MET except those named; `not_met` maps an official id to its cmmc-partial
  value (or None).
- `all_findings(level, but=...)`: a satisfied finding on every requirement of a level but those named.
- `results(findings, ...)`: any findings wrapped in a result with the CMMC result props.

POA&Ms:

- `poam(labels, level=..., assessment_type=..., status_date=..., closed=..., title_only=...)`: one poam-item
  per requirement, each with a related risk (status `open`, or `closed` for those named in `closed`).

Points:

- `requirements_worth(points, level=2)`: official ids of the Level 2 requirements of a point value that may
  sit on a POA&M, handy to reach an exact score.

Every UUID is stable (`oscal_poam.ids.stable_uuid`), so documents built twice are equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from trestle.oscal import assessment_results as ar
from trestle.oscal import common
from trestle.oscal import poam as poam_model

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.catalog import Requirement, catalog, normalize_requirement_id
from oscal_poam.cmmc.regulation import L2_POAM_EXCLUDED
from oscal_poam.ids import stable_uuid
from oscal_poam.io.write import write

NS = vocab.NS
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
END = dt.datetime(2026, 3, 6, 17, 0, tzinfo=dt.UTC)
STATUS_DATE = dt.date(2026, 3, 6)
LAST_MODIFIED = dt.datetime(2026, 3, 6, 18, 0, tzinfo=dt.UTC)


def prop(name: str, value: str, ns: str | None = NS) -> common.Property:
    if ns is None:
        return common.Property(name=name, value=value)
    return common.Property(name=name, value=value, ns=ns)


def metadata(title: str, props: Sequence[common.Property] = ()) -> common.Metadata:
    return common.Metadata(
        title=title,
        last_modified=LAST_MODIFIED,
        version="1.0",
        oscal_version="1.2.1",
        props=list(props) or None,
    )


def requirement(label_or_id: str, level: int | None = None) -> Requirement:
    """The catalog requirement named by an official id (`AC.L2-3.1.1`) or a control id (`ac.l2-3.1.1`)."""
    found = normalize_requirement_id(label_or_id, level)
    if found is None:
        raise KeyError(label_or_id)
    return found


def target_id(target: str, part: str = "") -> str:
    """`AC.L2-3.1.1` -> `ac.l2-3.1.1`; with part `smt` its statement, `obj.a` an objective. Other text is kept."""
    found = normalize_requirement_id(target)
    base = found.control_id if found is not None else target
    return f"{base}_{part}" if part else base


def finding(
    target: str,
    state: str | None = "satisfied",
    *,
    part: str = "",
    partial: str | None = None,
    met_basis: str | None = None,
    not_applicable: bool = False,
    props: Iterable[common.Property] = (),
    key: object = "",
    observations: Sequence[str] = (),
    risks: Sequence[str] = (),
) -> common.Finding:
    """One finding on `target` (an official id, control id or any target id) with target state `state`.

    `state` None leaves the target without a status. `part` targets the statement (`smt`) or an objective
    (`obj.a`). `key` distinguishes the UUIDs of several findings on one target.
    """
    tid = target_id(target, part)
    all_props = list(props)
    if not_applicable:
        all_props.append(prop(vocab.DETERMINATION, "not-applicable"))
    if partial is not None:
        all_props.append(prop(vocab.PARTIAL, partial))
    if met_basis is not None:
        all_props.append(prop(vocab.MET_BASIS, met_basis))
    status = common.ObjectiveStatus(state=state) if state is not None else None
    return common.Finding(
        uuid=stable_uuid("test", "finding", tid, key),
        title=f"Finding on {tid}",
        description=f"Determination for {tid}.",
        props=all_props or None,
        target=common.FindingTarget(
            type="objective-id" if "_obj." in tid else "statement-id", target_id=tid, status=status
        ),
        related_observations=[common.RelatedObservation(observation_uuid=o) for o in observations] or None,
        related_risks=[common.AssociatedRisk(risk_uuid=r) for r in risks] or None,
    )


def requirement_findings(
    label: str,
    status: str = "met",
    *,
    partial: str | None = None,
    met_basis: str | None = None,
    per_objective: bool = False,
) -> list[common.Finding]:
    """Findings that give `label` the status `met`, `not-met` or `not-applicable`.

    `per_objective`: one finding per SP 800-171A objective (Level 2); when NOT MET only the first fails.
    """
    if status not in ("met", "not-met", "not-applicable"):
        raise ValueError(status)
    failing = status == "not-met"
    na = status == "not-applicable"
    req = requirement(label)
    if per_objective and req.objectives:
        return [
            finding(
                label,
                "not-satisfied" if failing and i == 0 else "satisfied",
                part=f"obj.{objective.letter}",
                partial=partial if i == 0 else None,
                met_basis=met_basis,
                not_applicable=na,
            )
            for i, objective in enumerate(req.objectives)
        ]
    state = "not-satisfied" if failing else "satisfied"
    return [finding(label, state, partial=partial, met_basis=met_basis, not_applicable=na)]


def all_findings(level: int = 2, *, but: Iterable[str] = ()) -> list[common.Finding]:
    """A satisfied finding on every requirement of `level` except those named in `but`."""
    left_out = set(but)
    _check_labels(level, left_out)
    return [finding(r.label) for r in catalog(level).requirements if r.label not in left_out]


def results(
    findings: Iterable[common.Finding],
    *,
    level: int | None = 2,
    assessment_type: str | None = "c3pao",
    kind: str | None = "initial",
    status_date: dt.date | str | None = None,
    start: dt.datetime = START,
    end: dt.datetime | None = END,
    extra_props: Iterable[common.Property] = (),
    title: str = "CMMC assessment",
) -> ar.AssessmentResults:
    """Assessment results with one result holding `findings` and the CMMC result props given (None: left out)."""
    props = []
    if level is not None:
        props.append(prop(vocab.LEVEL, str(level)))
    if assessment_type is not None:
        props.append(prop(vocab.ASSESSMENT_TYPE, assessment_type))
    if kind is not None:
        props.append(prop(vocab.ASSESSMENT_KIND, kind))
    if status_date is not None:
        props.append(prop(vocab.STATUS_DATE, str(status_date)))
    props.extend(extra_props)
    findings = list(findings)
    key = (title, level, kind, tuple(f.uuid for f in findings))
    result = ar.Result(
        uuid=stable_uuid("test", "result", *key),
        title=title,
        description="Assessment of the CUI enclave.",
        start=start,
        end=end,
        props=props or None,
        reviewed_controls=common.ReviewedControls(
            control_selections=[common.ControlSelectionsAll(include_all=common.IncludeAll())]
        ),
        findings=findings or None,
    )
    return ar.AssessmentResults(
        uuid=stable_uuid("test", "assessment-results", *key),
        metadata=metadata(title),
        import_ap=ar.ImportAp(href="#assessment-plan"),
        results=[result],
    )


def assessment_results(
    level: int = 2,
    *,
    not_met: Mapping[str, str | None] | Iterable[str] = (),
    not_applicable: Iterable[str] = (),
    missing: Iterable[str] = (),
    met_basis: Mapping[str, str] | None = None,
    per_objective: bool = False,
    declare_level: bool = True,
    **result_options: object,
) -> ar.AssessmentResults:
    """A complete assessment of `level`: every requirement MET except those named.

    `not_met`: official ids, or a mapping official id -> cmmc-partial value (None for no partial credit).
    `missing`: requirements left without any finding. `declare_level` False leaves out the cmmc-level prop.
    `result_options` go to `results(...)`.
    """
    failing = dict(not_met) if isinstance(not_met, Mapping) else dict.fromkeys(not_met)
    na = set(not_applicable)
    absent = set(missing)
    bases = dict(met_basis or {})
    _check_labels(level, [*failing, *na, *absent, *bases])
    found: list[common.Finding] = []
    for req in catalog(level).requirements:
        label = req.label
        if label in absent:
            continue
        status = "not-met" if label in failing else "not-applicable" if label in na else "met"
        found.extend(
            requirement_findings(
                label,
                status,
                partial=failing.get(label),
                met_basis=bases.get(label),
                per_objective=per_objective,
            )
        )
    return results(found, level=level if declare_level else None, **result_options)  # type: ignore[arg-type]


def _check_labels(level: int, labels: Iterable[str]) -> None:
    known = {r.label for r in catalog(level).requirements}
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise KeyError(f"not Level {level} requirements: {unknown}")


def requirements_worth(points: int, level: int = 2) -> list[str]:
    """Level 2 official ids worth `points` that may sit on a POA&M (none of the six exclusions, no partial credit)."""
    return [
        r.label
        for r in catalog(level).requirements
        if r.points == points and r.partial_points is None and r.label not in L2_POAM_EXCLUDED
    ]


def poam(
    labels: Iterable[str],
    *,
    level: int | None = 2,
    assessment_type: str | None = "c3pao",
    status_date: dt.date | str | None = STATUS_DATE,
    closed: Iterable[str] = (),
    title_only: Iterable[str] = (),
    extra_items: Iterable[poam_model.PoamItem] = (),
) -> poam_model.PlanOfActionAndMilestones:
    """A POA&M with one item per requirement, metadata props as given (None: left out).

    `closed`: items whose risk is closed. `title_only`: items named only by their title (no cmmc-requirement).
    """
    meta_props = []
    if level is not None:
        meta_props.append(prop(vocab.LEVEL, str(level)))
    if assessment_type is not None:
        meta_props.append(prop(vocab.ASSESSMENT_TYPE, assessment_type))
    if status_date is not None:
        meta_props.append(prop(vocab.STATUS_DATE, str(status_date)))
    closed_set = set(closed)
    bare = set(title_only)
    items: list[poam_model.PoamItem] = []
    risks: list[common.Risk] = []
    for label in labels:
        req = requirement(label)
        risk_uuid = stable_uuid("test", "risk", label)
        risks.append(
            common.Risk(
                uuid=risk_uuid,
                title=f"{label} not met",
                description=f"{req.title} is not implemented.",
                statement="CUI could be exposed.",
                status="closed" if label in closed_set else "open",
            )
        )
        item_props = [] if label in bare else [prop(vocab.REQUIREMENT, label)]
        items.append(
            poam_model.PoamItem(
                uuid=stable_uuid("test", "poam-item", label),
                title=f"{label} {req.title}",
                description=f"{req.title}: not implemented on the CUI enclave.",
                props=item_props or None,
                related_risks=[common.AssociatedRisk(risk_uuid=risk_uuid)],
            )
        )
    items.extend(extra_items)
    return poam_model.PlanOfActionAndMilestones(
        uuid=stable_uuid("test", "poam", *[i.uuid for i in items]),
        metadata=metadata("CMMC POA&M", meta_props),
        poam_items=items,
        risks=risks or None,
    )


def poam_item(title: str, requirement_prop: str | None = None, key: object = "") -> poam_model.PoamItem:
    """A bare poam-item, for items that name their requirement badly."""
    props = [prop(vocab.REQUIREMENT, requirement_prop)] if requirement_prop is not None else None
    return poam_model.PoamItem(
        uuid=stable_uuid("test", "poam-item", title, key), title=title, description="A weakness.", props=props
    )


def closeout_results(
    statuses: Mapping[str, str],
    *,
    level: int = 2,
    performed_by: str | None = "c3pao",
    end: dt.datetime | None = END + dt.timedelta(days=90),
    kind: str | None = "closeout",
) -> ar.AssessmentResults:
    """A closeout assessment: official id -> `met`, `not-met` or `not-applicable`, nothing else assessed."""
    found = [f for label, status in statuses.items() for f in requirement_findings(label, status)]
    start = (end or START + dt.timedelta(days=90)) - dt.timedelta(days=1)
    return results(
        found, level=level, assessment_type=performed_by, kind=kind, start=start, end=end, title="POA&M closeout"
    )


def day(n: int, status_date: dt.date = STATUS_DATE) -> dt.datetime:
    """Noon UTC on day `n` after `status_date` (day 180 is the last day of a Conditional status)."""
    when = status_date + dt.timedelta(days=n)
    return dt.datetime(when.year, when.month, when.day, 12, 0, tzinfo=dt.UTC)


def save(model: ar.AssessmentResults | poam_model.PlanOfActionAndMilestones, path: Path) -> Path:
    """Write `model` with the project's writer (format from the suffix)."""
    return write(model, path)
