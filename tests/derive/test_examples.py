"""The shipped examples: each yields the verdict examples/README.md documents, and what is committed is what
derive makes of them, valid against NIST's schemas in JSON and XML, and judged the same by `check`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.cmmc import vocab
from oscal_poam.diagnostics import Severity
from oscal_poam.engine.api import check
from oscal_poam.io.load import load
from oscal_poam.io.models import text
from oscal_poam.io.write import dumps, to_data
from tests.derive.conftest import EXAMPLES, SCENARIOS, Derived


def labels(result: Any) -> list[str]:
    return [vocab.prop_value(item.props, vocab.REQUIREMENT) for item in result.poam.poam_items]


def risk_of(poam: Any, item: Any) -> Any:
    risks = {str(r.uuid): r for r in poam.risks}
    return risks[str(item.related_risks[0].risk_uuid)]


def test_l2_conditional(derived: dict[str, Derived]) -> None:
    result = derived["l2-conditional"].result
    assert result.ok, [d.message for d in result.errors]
    assert result.verdict is not None
    assert result.verdict.cmmc_status == "Conditional Level 2 (C3PAO)"
    assert result.verdict.status_date == dt.date(2026, 10, 16)
    assert result.verdict.deadline == dt.date(2027, 4, 14)
    # Four eligible NOT MET requirements; N/A, enduring exception and temporary deficiency are no items.
    assert labels(result) == ["AC.L2-3.1.10", "AU.L2-3.3.4", "CM.L2-3.4.9", "SC.L2-3.13.11"]
    from oscal_poam.rules.scoring import score

    assert result.assessment is not None
    assert score(result.assessment).score == 104


def test_l2_not_eligible(derived: dict[str, Derived]) -> None:
    result = derived["l2-not-eligible"].result
    assert result.verdict is not None
    assert result.verdict.cmmc_status == "No CMMC status"
    reasons = {(d.rule_id, d.subject, d.citation) for d in result.verdict.reasons if d.severity is Severity.ERROR}
    assert reasons == {
        ("eligibility-l2-excluded", "AC.L2-3.1.20", "32 CFR 170.21(a)(2)(iii)"),
        ("eligibility-l2-point-value", "IA.L2-3.5.3", "32 CFR 170.21(a)(2)(ii)"),
    }
    assert not result.ok
    assert labels(result) == ["AC.L2-3.1.20", "AU.L2-3.3.7", "IA.L2-3.5.3", "MP.L2-3.8.9"]
    eligible = {vocab.prop_value(i.props, vocab.REQUIREMENT): vocab.prop_value(i.props, vocab.ITEM_ELIGIBLE)
                for i in result.poam.poam_items}  # fmt: skip
    assert eligible == {"AC.L2-3.1.20": "no", "AU.L2-3.3.7": "yes", "IA.L2-3.5.3": "no", "MP.L2-3.8.9": "yes"}


def test_l3_conditional(derived: dict[str, Derived]) -> None:
    result = derived["l3-conditional"].result
    assert result.ok, [d.message for d in result.errors]
    assert result.verdict is not None
    assert result.verdict.cmmc_status == "Conditional Level 3 (DIBCAC)"
    assert result.verdict.deadline == dt.date(2027, 5, 12)
    assert labels(result) == ["CA.L3-3.12.1e"]
    item = result.poam.poam_items[0]
    assert item.title == "CA.L3-3.12.1e Penetration Testing"
    assert vocab.prop_value(item.props, vocab.POINTS_DEDUCTED) == "1"


def test_l2_closeout_closes_every_item(derived: dict[str, Derived]) -> None:
    result = derived["l2-closeout"].result
    assert result.ok, [d.message for d in result.errors]
    assert result.verdict is None
    assert result.closeout is not None
    assert result.closeout.verdict == "final"
    assert result.closeout.cmmc_status == "Final Level 2 (C3PAO)"
    poam = result.poam
    assert labels(result) == ["AC.L2-3.1.10", "AU.L2-3.3.4", "CM.L2-3.4.9", "SC.L2-3.13.11"]
    for item in poam.poam_items:
        risk = risk_of(poam, item)
        assert text(risk.status) == "closed"
        last = risk.risk_log.entries[-1]
        assert last.title == "Closed"
        assert last.start.date() == dt.date(2027, 2, 17)  # the closeout's end: no --as-of was given
    # The status date the closeout closes out stays the initial assessment's.
    assert vocab.prop_value(poam.metadata.props, vocab.STATUS_DATE) == "2026-10-16"


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_committed_poam_is_what_derive_makes(derived: dict[str, Derived], name: str) -> None:
    """Deriving the example where it lies gives the committed bytes, JSON and XML."""
    result = derived[name].result
    assert dumps(result.poam, "json") == (EXAMPLES / name / "poam.json").read_bytes()
    assert dumps(result.poam, "xml") == (EXAMPLES / name / "poam.xml").read_bytes()


POAMS = sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("poam*.json"))
OTHERS = sorted(
    p.relative_to(EXAMPLES).as_posix()
    for p in EXAMPLES.rglob("*.json")
    if not p.name.startswith("poam") and "scans" not in p.parts  # scans/: the scanners' own output, not OSCAL
)


def test_every_example_is_there() -> None:
    assert len(POAMS) == 6
    assert len(OTHERS) == 12


@pytest.mark.parametrize("name", POAMS)
def test_poam_validates_against_json_schema(name: str, poam_schema: Callable[[Any], list[str]]) -> None:
    assert poam_schema(json.loads((EXAMPLES / name).read_bytes())) == []


@pytest.mark.parametrize("name", POAMS)
def test_poam_xml_validates_against_xsd(name: str, xsd: Callable[[bytes], list[str]]) -> None:
    assert xsd((EXAMPLES / name).with_suffix(".xml").read_bytes()) == []


@pytest.mark.parametrize("name", OTHERS)
def test_inputs_validate_in_json_and_xml(
    name: str, complete_schema: Callable[[Any], list[str]], xsd: Callable[[bytes], list[str]]
) -> None:
    path = EXAMPLES / name
    assert complete_schema(json.loads(path.read_bytes())) == []
    assert xsd(path.with_suffix(".xml").read_bytes()) == []


@pytest.mark.parametrize("name", [*POAMS, *OTHERS])
def test_xml_and_json_are_the_same_document(name: str) -> None:
    path = EXAMPLES / name
    assert to_data(load(path.with_suffix(".xml")).model) == to_data(load(path).model)


DOCUMENTED = {
    "l2-conditional": "Conditional Level 2 (C3PAO)",
    "l2-not-eligible": "No CMMC status",
    "l3-conditional": "Conditional Level 3 (DIBCAC)",
    "l2-closeout": "Final Level 2 (C3PAO)",
}
"""The verdicts examples/README.md documents."""


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_check_agrees_with_derive(derived: dict[str, Derived], name: str) -> None:
    """`check` on the written POA&M, with the same SSP and results, finds what derive found and the same status."""
    found = derived[name]
    result = found.result
    poam_path = found.folder / "poam.json"
    poam_path.write_bytes(dumps(result.poam, "json"))
    checked = check(
        poam_path,
        ssp=found.folder / "ssp.json",
        results=found.folder / "assessment-results.json",
        as_of=result.as_of,
    )

    def key(d: Any) -> tuple[str, str, str, str, str]:
        return (d.rule_id, d.severity.value, d.pointer, d.subject, Path(d.document).name)

    assert sorted(map(key, checked.diagnostics)) == sorted(map(key, result.diagnostics))
    assert checked.cmmc_status == result.cmmc_status == DOCUMENTED[name]
    assert checked.fails() == (not result.ok)


def test_no_integrity_problem_in_any_derived_poam(derived: dict[str, Derived]) -> None:
    for name, found in derived.items():
        broken = [d.message for d in found.result.diagnostics if d.rule_id.startswith("integrity")]
        assert broken == [], name


def test_the_maintained_poam_is_credible() -> None:
    """The POA&M as the company kept it (milestones, owners, resources, evidence) draws no warning before closeout."""
    folder = EXAMPLES / "l2-conditional"
    checked = check(
        folder / "poam-maintained.json",
        ssp=folder / "ssp.json",
        results=folder / "assessment-results.json",
        as_of=dt.date(2027, 2, 10),
    )
    assert [d.message for d in checked.diagnostics if d.severity is not Severity.INFO] == []
    assert checked.cmmc_status == "Conditional Level 2 (C3PAO)"
