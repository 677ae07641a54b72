"""Re-deriving onto an existing POA&M keeps what people wrote, adds new NOT MET requirements, and closes (never
removes) items whose requirement is now MET."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.cmmc import vocab
from oscal_poam.derivation.api import derive
from oscal_poam.errors import UsageError
from oscal_poam.io.write import dumps
from tests.derive.conftest import EXAMPLES
from tests.derive.edits import item_for, planned, read, reassessed, risk_for, write

AS_OF = dt.date(2027, 1, 21)


def party(poam: dict[str, Any], name: str) -> str:
    parties = poam["plan-of-action-and-milestones"]["metadata"]["parties"]
    return str(next(p["uuid"] for p in parties if p["name"] == name))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "l2-conditional", tmp_path / "l2")
    return tmp_path / "l2"


@pytest.fixture(scope="module")
def merged_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("merge") / "l2"
    shutil.copytree(EXAMPLES / "l2-conditional", target)
    return target


def hand_edit(poam_path: Path) -> dict[str, Any]:
    """What a person does to the derived POA&M: a milestone and an owner, a status change, their own words."""
    poam = read(poam_path)
    owner = party(poam, "Luis Ortega")
    for label in ("AC.L2-3.1.10", "CM.L2-3.4.9"):
        remediation = planned(risk_for(poam, label))
        remediation["tasks"].insert(
            0,
            {
                "uuid": "0b7c4a8e-3f2d-4c1b-9a6e-5d4c3b2a1f00" if label == "AC.L2-3.1.10" else
                "0b7c4a8e-3f2d-4c1b-9a6e-5d4c3b2a1f01",
                "type": "milestone",
                "title": "Link the session-lock policy to the shop-floor OU",
                "description": "Move PRG-01 to PRG-03 into the linked OU.",
                "props": [{"name": vocab.MILESTONE_STATUS, "ns": vocab.NS, "value": "pending"}],
                "timing": {"on-date": {"date": "2026-12-04T17:00:00-05:00"}},
                "responsible-roles": [{"role-id": vocab.OWNER_ROLE, "party-uuids": [owner]}],
            },
        )  # fmt: skip
        remediation["required-assets"] = [
            {"uuid": "7a1e2d3c-4b5a-4697-8877-665544332211" if label == "AC.L2-3.1.10" else
             "7a1e2d3c-4b5a-4697-8877-665544332212", "description": "Production Engineering Lead: 6 hours."}
        ]  # fmt: skip
    risk_for(poam, "AU.L2-3.3.4")["deadline"] = "2027-03-01T17:00:00-05:00"  # a person chose an earlier one
    item = item_for(poam, "AC.L2-3.1.10")
    item["description"] = "The three shop-floor programming workstations lock after 60 minutes, not 15."
    item["remarks"] = "Production agreed to the 15-minute lock on 30 October."
    risk = risk_for(poam, "AC.L2-3.1.10")
    risk["status"] = "remediating"
    risk["risk-log"]["entries"].append(
        {
            "uuid": "5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716",
            "title": "Remediation planned",
            "start": "2026-11-02T10:30:00-05:00",
            "status-change": "remediating",
        }
    )
    write(poam_path, poam)
    return poam


@pytest.fixture(scope="module")
def merged(merged_folder: Path) -> tuple[dict[str, Any], dict[str, Any], Path, Path]:
    """The example derived, hand-edited, then re-derived onto itself with a later assessment in which
    CM.L2-3.4.9 is MET and AC.L2-3.1.21 [b] is newly NOT MET."""
    folder = merged_folder
    poam_path = folder / "poam.json"
    first = derive(folder / "ssp.json", folder / "assessment-results.json", poam_path=poam_path)
    poam_path.write_bytes(dumps(first.poam, "json"))
    edited = hand_edit(poam_path)
    later = write(
        folder / "reassessment.json",
        reassessed(
            read(folder / "assessment-results.json"),
            key="2027-01",
            end="2027-01-20T16:00:00-05:00",
            now_met=["CM.L2-3.4.9"],
            now_not_met={"AC.L2-3.1.21": "b"},
        ),
    )
    again = derive(folder / "ssp.json", later, existing=poam_path, poam_path=poam_path, as_of=AS_OF)
    assert again.poam is not None
    poam_path.write_bytes(dumps(again.poam, "json"))
    return edited, read(poam_path), later, poam_path


def test_hand_edited_milestone_owner_and_words_survive(merged: tuple[dict[str, Any], ...]) -> None:
    edited, after, _, _ = merged
    before_risk = risk_for(edited, "AC.L2-3.1.10")
    after_risk = risk_for(after, "AC.L2-3.1.10")
    assert planned(after_risk)["tasks"] == planned(before_risk)["tasks"]
    milestone = planned(after_risk)["tasks"][0]
    assert milestone["type"] == "milestone"
    assert milestone["responsible-roles"] == [
        {"role-id": vocab.OWNER_ROLE, "party-uuids": [party(after, "Luis Ortega")]}
    ]
    assert planned(after_risk)["required-assets"] == planned(before_risk)["required-assets"]
    assert after_risk["status"] == "remediating"
    assert after_risk["risk-log"] == before_risk["risk-log"]
    assert after_risk["deadline"] == "2027-07-19T23:59:59-05:00"  # derived from the status date, which moved
    item = item_for(after, "AC.L2-3.1.10")
    assert item["description"] == "The three shop-floor programming workstations lock after 60 minutes, not 15."
    assert item["remarks"] == "Production agreed to the 15-minute lock on 30 October."


def test_new_not_met_requirement_gains_an_item(merged: tuple[dict[str, Any], ...]) -> None:
    _, after, _, _ = merged
    item = item_for(after, "AC.L2-3.1.21")
    assert item["title"] == "AC.L2-3.1.21 Portable Storage Use"
    props = {p["name"]: p["value"] for p in item["props"]}
    assert props[vocab.POINTS_DEDUCTED] == "1"
    assert props[vocab.ITEM_ELIGIBLE] == "yes"
    assert "Objective [b] not satisfied" in item["description"]
    risk = risk_for(after, "AC.L2-3.1.21")
    assert risk["status"] == "open"
    assert risk["deadline"].startswith("2027-07-19")  # the reassessment's end, 2027-01-20, + 180 days


def test_now_met_item_is_closed_not_removed(merged: tuple[dict[str, Any], ...]) -> None:
    edited, after, _, _ = merged
    items = after["plan-of-action-and-milestones"]["poam-items"]
    assert [next(p["value"] for p in i["props"] if p["name"] == vocab.REQUIREMENT) for i in items] == [
        "AC.L2-3.1.10",
        "AC.L2-3.1.21",
        "AU.L2-3.3.4",
        "CM.L2-3.4.9",
        "SC.L2-3.13.11",
    ]
    risk = risk_for(after, "CM.L2-3.4.9")
    assert risk["status"] == "closed"
    closing = risk["risk-log"]["entries"][-1]
    assert closing["status-change"] == "closed"
    assert closing["title"] == "Closed"
    assert closing["start"].startswith(AS_OF.isoformat())
    assert closing["related-responses"] == [{"response-uuid": planned(risk)["uuid"]}]
    # Its hand-written milestone stays, and the findings that show it MET are related to it.
    assert planned(risk)["tasks"] == planned(risk_for(edited, "CM.L2-3.4.9"))["tasks"]
    item = item_for(after, "CM.L2-3.4.9")
    finding_uuids = {f["finding-uuid"] for f in item["related-findings"]}
    findings = {f["uuid"]: f for f in after["plan-of-action-and-milestones"]["findings"]}
    states = {findings[u]["target"]["target-id"]: findings[u]["target"]["status"]["state"] for u in finding_uuids}
    assert states["cm.l2-3.4.9_obj.c"] == "satisfied"
    assert len(states) == 3  # a, b, c of the reassessment (c was also the first one's not-satisfied finding: same uuid)


def test_untouched_items_keep_everything_but_a_derived_deadline(merged: tuple[dict[str, Any], ...]) -> None:
    """The reassessment is a new initial assessment (status date 2027-01-20): a deadline derive set from the old
    status date moves to the new one; a deadline a person chose stays."""
    edited, after, _, _ = merged
    assert item_for(after, "AU.L2-3.3.4") == item_for(edited, "AU.L2-3.3.4")
    assert risk_for(after, "AU.L2-3.3.4") == risk_for(edited, "AU.L2-3.3.4")
    assert risk_for(after, "AU.L2-3.3.4")["deadline"] == "2027-03-01T17:00:00-05:00"
    before, moved = risk_for(edited, "SC.L2-3.13.11"), risk_for(after, "SC.L2-3.13.11")
    assert (before["deadline"], moved["deadline"]) == ("2027-04-14T23:59:59-04:00", "2027-07-19T23:59:59-05:00")
    assert {k: v for k, v in moved.items() if k != "deadline"} == {k: v for k, v in before.items() if k != "deadline"}
    meta = after["plan-of-action-and-milestones"]["metadata"]
    assert {"name": vocab.STATUS_DATE, "ns": vocab.NS, "value": "2027-01-20"} in meta["props"]


def test_merged_poam_is_valid(merged: tuple[dict[str, Any], ...], poam_schema: Callable[[Any], list[str]]) -> None:
    _, after, _, _ = merged
    assert poam_schema(after) == []


def test_re_deriving_the_same_inputs_changes_nothing(merged: tuple[dict[str, Any], ...]) -> None:
    _, _, later, poam_path = merged
    before = poam_path.read_bytes()
    folder = poam_path.parent
    again = derive(folder / "ssp.json", later, existing=poam_path, poam_path=poam_path, as_of=AS_OF)
    assert dumps(again.poam, "json") == before


def test_an_item_not_met_again_is_reopened(merged: tuple[dict[str, Any], ...]) -> None:
    _, _, _, poam_path = merged
    folder = poam_path.parent
    third = reassessed(
        read(folder / "assessment-results.json"), key="2027-03", end="2027-03-01T16:00:00-05:00"
    )  # CM.L2-3.4.9 [c] not satisfied again, as at first
    again = derive(folder / "ssp.json", write(folder / "third.json", third), existing=poam_path, poam_path=poam_path)
    assert again.poam is not None
    data = {"plan-of-action-and-milestones": _data(again.poam)}
    risk = risk_for(data, "CM.L2-3.4.9")
    assert risk["status"] == "open"
    assert [e["status-change"] for e in risk["risk-log"]["entries"][-2:]] == ["closed", "open"]
    assert risk["risk-log"]["entries"][-1]["title"] == "Reopened"


def _data(model: Any) -> dict[str, Any]:
    from oscal_poam.io.write import to_data

    return dict(to_data(model)["plan-of-action-and-milestones"])


def test_a_closeout_needs_the_poam_it_closes(tmp_path: Path) -> None:
    folder = tmp_path / "co"
    shutil.copytree(EXAMPLES / "l2-closeout", folder)
    with pytest.raises(UsageError, match="closeout assessment: give the POA&M it closes out"):
        derive(folder / "ssp.json", folder / "assessment-results.json")


def test_a_poam_of_another_system_is_refused(folder: Path) -> None:
    other = EXAMPLES / "l2-not-eligible" / "poam.json"
    with pytest.raises(UsageError, match="POA&M of system"):
        derive(folder / "ssp.json", folder / "assessment-results.json", existing=other)


def test_a_poam_of_another_level_is_refused(folder: Path, tmp_path: Path) -> None:
    level3 = read(EXAMPLES / "l3-conditional" / "poam.json")
    level2 = read(folder / "poam.json")
    level3["plan-of-action-and-milestones"]["system-id"] = copy.deepcopy(
        level2["plan-of-action-and-milestones"]["system-id"]
    )
    existing = write(tmp_path / "level3.json", level3)
    with pytest.raises(UsageError, match="Level 3 POA&M, but the results are a Level 2 assessment"):
        derive(folder / "ssp.json", folder / "assessment-results.json", existing=existing)
