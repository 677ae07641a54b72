"""Deterministic: stable version-5 UUIDs, collections in requirement order, the same inputs give the same bytes."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.catalog import catalog
from oscal_poam.derivation.api import derive
from oscal_poam.io.load import load
from oscal_poam.io.write import dumps
from tests.derive.conftest import EXAMPLES, Derived


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("twice") / "l2"
    shutil.copytree(EXAMPLES / "l2-conditional", target)
    return target


def test_deriving_twice_gives_identical_bytes(folder: Path) -> None:
    first = derive(folder / "ssp.json", folder / "assessment-results.json", poam_path=folder / "out.json")
    second = derive(folder / "ssp.json", folder / "assessment-results.json", poam_path=folder / "out.json")
    assert dumps(first.poam, "json") == dumps(second.poam, "json")
    assert dumps(first.poam, "xml") == dumps(second.poam, "xml")


def test_deriving_onto_its_own_output_gives_identical_bytes(folder: Path) -> None:
    """When the output exists, derive re-derives onto it: with the same inputs nothing changes."""
    target = folder / "again.json"
    first = derive(folder / "ssp.json", folder / "assessment-results.json", poam_path=target)
    target.write_bytes(dumps(first.poam, "json"))
    second = derive(folder / "ssp.json", folder / "assessment-results.json", existing=target, poam_path=target)
    assert dumps(second.poam, "json") == target.read_bytes()


def test_models_documents_and_paths_give_the_same_poam(folder: Path) -> None:
    ssp, results = folder / "ssp.json", folder / "assessment-results.json"
    by_path = derive(ssp, results, poam_path=folder / "p.json")
    by_document = derive(load(ssp), load(results), poam_path=folder / "p.json")
    by_model = derive(load(ssp).model, load(results).model, ssp_href="ssp.json")
    expected = dumps(by_path.poam, "json")
    assert dumps(by_document.poam, "json") == expected
    assert dumps(by_model.poam, "json") == expected


def test_xml_inputs_give_the_same_poam(folder: Path) -> None:
    from_json = derive(folder / "ssp.json", folder / "assessment-results.json", ssp_href="ssp.json")
    from_xml = derive(folder / "ssp.xml", folder / "assessment-results.xml", ssp_href="ssp.json")
    assert dumps(from_xml.poam, "json") == dumps(from_json.poam, "json")


def test_created_uuids_are_version_5_and_keyed_on_the_system(derived: dict[str, Derived]) -> None:
    from oscal_poam.ids import stable_uuid

    poam = derived["l2-conditional"].result.poam
    assert poam is not None
    system = str(poam.system_id.id)
    assert str(poam.uuid) == stable_uuid(system, "poam", 2)
    for item in poam.poam_items:
        assert uuid.UUID(str(item.uuid)).version == 5
        control = catalog(2).by_label(vocab.prop_value(item.props, vocab.REQUIREMENT) or "")
        assert control is not None
        assert str(item.uuid) == stable_uuid(system, control.control_id, "poam-item")
    created = [r for r in poam.risks if r.title.endswith(" not met")]
    assert len(created) == 3
    assert all(uuid.UUID(str(r.uuid)).version == 5 for r in created)


def test_collections_are_in_requirement_order(derived: dict[str, Derived]) -> None:
    poam = derived["l2-conditional"].result.poam
    assert poam is not None
    order = [r.label for r in catalog(2).requirements]
    labels = [vocab.prop_value(i.props, vocab.REQUIREMENT) for i in poam.poam_items]
    assert labels == sorted(labels, key=order.index)
    # Findings, observations and risks follow the items that refer to them.
    by_item = [str(i.related_risks[0].risk_uuid) for i in poam.poam_items]
    assert [str(r.uuid) for r in poam.risks] == by_item
    first_findings = [str(i.related_findings[0].finding_uuid) for i in poam.poam_items]
    assert [str(f.uuid) for f in poam.findings] == first_findings
