"""JSON -> XML -> JSON and XML -> JSON -> XML lose nothing: documents with every field filled, and our catalogs.

Documents are built with compliance-trestle's models by `fill.filled`, which sets every optional field;
three variants take every alternative of the models' unions (the three timings of a task, both shapes of
a party, ...). Their Markdown is canonical, so the trips are exact: equal data, equal models, equal bytes.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pydantic import BaseModel
from trestle.oscal.assessment_plan import AssessmentPlan
from trestle.oscal.assessment_results import AssessmentResults
from trestle.oscal.catalog import Catalog
from trestle.oscal.component import ComponentDefinition
from trestle.oscal.poam import PlanOfActionAndMilestones
from trestle.oscal.profile import Profile
from trestle.oscal.ssp import SystemSecurityPlan

from oscal_poam.io.load import parse
from oscal_poam.io.schema import json_problems
from oscal_poam.io.write import dumps, to_data
from oscal_poam.io.xml import dump_xml, read_xml
from tests.io.xml.documents import our_catalogs, path_id
from tests.io.xml.fill import filled

MODELS: tuple[type[BaseModel], ...] = (
    PlanOfActionAndMilestones,
    AssessmentResults,
    AssessmentPlan,
    SystemSecurityPlan,
    Catalog,
    Profile,
    ComponentDefinition,
)
VARIANTS = (0, 1, 2)
LIMIT = 1 << 30


@pytest.fixture(scope="module")
def documents() -> dict[tuple[str, int], BaseModel]:
    with warnings.catch_warnings():
        # pydantic warns while serializing some of trestle's URL unions; the values are written correctly
        warnings.simplefilter("ignore", UserWarning)
        return {(cls.__name__, v): filled(cls, v) for cls in MODELS for v in VARIANTS}


def _data(model: BaseModel) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return to_data(model)  # type: ignore[arg-type]


CASES = [(cls.__name__, v) for cls in MODELS for v in VARIANTS]


def test_the_filled_poam_has_everything_the_issue_names(documents: dict[tuple[str, int], BaseModel]) -> None:
    poam = _data(documents[("PlanOfActionAndMilestones", 0)])["plan-of-action-and-milestones"]
    item = poam["poam-items"][0]
    risk = poam["risks"][0]
    assert poam["findings"] and item["related-findings"] and item["related-risks"] and item["origins"]
    assert risk["remediations"][0]["tasks"][0]["timing"] and risk["risk-log"]["entries"]
    assert risk["mitigating-factors"] and risk["threat-ids"] and risk["characterizations"]
    assert poam["observations"][0]["subjects"] and poam["observations"][0]["relevant-evidence"]
    assert poam["back-matter"]["resources"][0]["rlinks"][0]["hashes"]
    assert poam["back-matter"]["resources"][0]["base64"]["value"]
    assert poam["local-definitions"]["assessment-assets"]["assessment-platforms"]
    assert poam["metadata"]["revisions"] and poam["metadata"]["parties"]
    timings = {
        next(iter(task["timing"]))
        for v in VARIANTS
        for r in _data(documents[("PlanOfActionAndMilestones", v)])["plan-of-action-and-milestones"]["risks"]
        for task in r["remediations"][0]["tasks"]
    }
    assert timings == {"on-date", "within-date-range", "at-frequency"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}")
def test_filled_document_is_valid_xml_and_comes_back_exactly(
    case: tuple[str, int], documents: dict[tuple[str, int], BaseModel], xsd: etree.XMLSchema
) -> None:
    model = documents[case]
    data = _data(model)
    assert json_problems(data, next(iter(data)), "filled.json") == []  # the document is valid OSCAL to begin with
    xml = dump_xml(data)
    assert xsd.validate(etree.fromstring(xml)), xsd.error_log
    back, _ = read_xml(xml, "filled.xml", LIMIT)
    assert back == data  # JSON -> XML -> JSON
    doc = parse(xml, "filled.xml")
    assert doc.model == model
    assert dump_xml(back) == xml  # XML -> JSON -> XML


def test_writing_a_model_as_xml_goes_through_its_json_data(documents: dict[tuple[str, int], BaseModel]) -> None:
    model = documents[("PlanOfActionAndMilestones", 1)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert dumps(model, "xml") == dump_xml(to_data(model))  # type: ignore[arg-type]


@pytest.mark.parametrize("path", our_catalogs(), ids=path_id)
def test_our_catalogs_and_profiles_come_back_exactly(path: Path, xsd: etree.XMLSchema) -> None:
    data = json.loads(path.read_bytes())
    xml = dump_xml(data)
    assert xsd.validate(etree.fromstring(xml)), xsd.error_log
    back, _ = read_xml(xml, path.name, LIMIT)
    assert back == data
    assert dump_xml(back) == xml
