"""NIST's example SSP and assessment results are not a CMMC assessment: derive says so and names --generic,
which derives a plain POA&M from the not-satisfied findings with the CMMC rules skipped."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.derivation.api import NotCmmcError, derive
from oscal_poam.errors import UsageError
from oscal_poam.io.load import load
from oscal_poam.io.write import dumps
from tests.conftest import OSCAL_CONTENT

SSP = OSCAL_CONTENT / "ssp" / "json" / "ifa_ssp-example.json"
AR = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"
SSP_XML = OSCAL_CONTENT / "ssp" / "xml" / "ifa_ssp-example.xml"
AR_XML = OSCAL_CONTENT / "ar" / "xml" / "ifa_assessment-results-example.xml"


@pytest.mark.parametrize(("ssp", "results"), [(SSP, AR), (SSP_XML, AR_XML)])
def test_not_cmmc_is_refused_with_a_clear_message(ssp: Path, results: Path) -> None:
    with pytest.raises(NotCmmcError) as caught:
        derive(ssp, results)
    message = str(caught.value)
    assert str(results) in message
    assert "no CMMC level and target no CMMC requirement" in message
    assert "--generic" in message
    assert isinstance(caught.value, UsageError)  # the CLI maps it to exit code 2


def test_an_explicit_level_does_not_make_it_cmmc() -> None:
    with pytest.raises(NotCmmcError):
        derive(SSP, AR, level=2)


@pytest.fixture(scope="module")
def generic(tmp_path_factory: pytest.TempPathFactory) -> Any:
    target = tmp_path_factory.mktemp("generic") / "poam.json"
    return derive(SSP, AR, generic=True, poam_path=target)


def test_generic_poam_has_an_item_per_not_satisfied_finding(generic: Any) -> None:
    findings = [
        f
        for r in load(AR).model.results  # type: ignore[attr-defined]
        for f in r.findings or []
        if f.target.status.state.value == "not-satisfied"
    ]
    poam = generic.poam
    assert len(poam.poam_items) == len(findings) == 1
    item, finding = poam.poam_items[0], findings[0]
    assert item.title == finding.title
    assert [str(f.finding_uuid) for f in item.related_findings] == [str(finding.uuid)]
    # The assessor's risk is the item's, copied as written.
    assert [str(r.risk_uuid) for r in item.related_risks] == [str(finding.related_risks[0].risk_uuid)]
    source = next(r for r in load(AR).model.results[0].risks)  # type: ignore[attr-defined]
    copied = next(r for r in poam.risks if str(r.uuid) == str(source.uuid))
    assert copied.model_dump() == source.model_dump()


def test_generic_skips_the_cmmc_rules(generic: Any) -> None:
    assert generic.verdict is None
    assert generic.closeout is None
    assert generic.generic
    # the OSCAL checks only: integrity, NIST's constraints, references (NIST's SSP links a baseline not at hand)
    assert all(d.rule_id.startswith(("integrity", "oscal-", "reference-")) for d in generic.diagnostics)
    assert generic.ok
    assert generic.poam.metadata.props is None  # no CMMC props


def test_generic_poam_validates(
    generic: Any, poam_schema: Callable[[Any], list[str]], xsd: Callable[[bytes], list[str]]
) -> None:
    assert poam_schema(json.loads(dumps(generic.poam, "json"))) == []
    assert xsd(dumps(generic.poam, "xml")) == []


def test_generic_re_derive_keeps_existing_items(tmp_path: Path) -> None:
    target = tmp_path / "poam.json"
    first = derive(SSP, AR, generic=True, poam_path=target)
    data = json.loads(dumps(first.poam, "json"))
    data["plan-of-action-and-milestones"]["poam-items"][0]["remarks"] = "Owner: Xavier Jones."
    target.write_text(json.dumps(data))
    again = derive(SSP, AR, generic=True, existing=target, poam_path=target)
    assert again.poam is not None
    assert [i.remarks for i in again.poam.poam_items] == ["Owner: Xavier Jones."]
