"""oscal_poam.cmmc.catalog: the shipped catalogs carry exactly the reference tables' facts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from oscal_poam.cmmc.catalog import CmmcCatalog, Requirement, catalog, normalize_requirement_id, read_catalog
from oscal_poam.errors import LoadError
from tests.conftest import CMMC_REFERENCE, ROOT


def rows(name: str) -> list[dict[str, str]]:
    with (CMMC_REFERENCE / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


L1 = rows("l1_requirements.csv")
L2 = rows("l2_requirements.csv")
L3 = rows("l3_requirements.csv")
OBJECTIVES = rows("l2_assessment_objectives_171a.csv")


def optional_int(text: str) -> int | None:
    return int(text) if text.strip() else None


def test_requirement_counts() -> None:
    assert (len(catalog(1).requirements), len(catalog(2).requirements), len(catalog(3).requirements)) == (15, 110, 24)
    assert (len(L1), len(L2), len(L3)) == (15, 110, 24)


def test_catalog_is_cached_and_levels_are_checked() -> None:
    assert catalog(2) is catalog(2)
    with pytest.raises(ValueError, match="levels 1, 2 and 3"):
        catalog(4)


@pytest.mark.parametrize("row", L2, ids=lambda r: r["cmmc_id"])
def test_level2_requirement_matches_the_table(row: dict[str, str]) -> None:
    requirement = catalog(2).by_label(row["cmmc_id"])
    assert requirement is not None
    assert requirement.control_id == row["cmmc_id"].lower()
    assert requirement.level == 2
    assert requirement.nist_id == row["nist_id"]
    assert requirement.family == row["family"]
    assert requirement.family_name == row["family_name"]
    assert requirement.title == row["title"]
    assert requirement.statement == row["statement"]
    assert requirement.points == optional_int(row["points"])
    assert requirement.partial_points == optional_int(row["partial_points"])
    assert requirement.requirement_type == row["requirement_type"]
    assert requirement.poam_eligible == row["poam_eligible"]
    assert requirement.level1_id == (row["l1_id"] or None)
    assert requirement.citation == row["scoring_citation"]
    wanted = [(o["objective_id"], o["text"]) for o in OBJECTIVES if o["cmmc_id"] == row["cmmc_id"]]
    got = [(f"{requirement.nist_id}[{o.letter}]", o.text) for o in requirement.objectives]
    assert got == wanted
    assert all(o.id == f"{requirement.control_id}_obj.{o.letter}" for o in requirement.objectives)


@pytest.mark.parametrize("row", L3, ids=lambda r: r["cmmc_id"])
def test_level3_requirement_matches_the_table(row: dict[str, str]) -> None:
    requirement = catalog(3).by_label(row["cmmc_id"])
    assert requirement is not None
    assert (requirement.control_id, requirement.nist_id) == (row["cmmc_id"].lower(), row["nist_id"])
    assert (requirement.family, requirement.family_name, requirement.title) == (
        row["family"],
        row["family_name"],
        row["title"],
    )
    assert requirement.statement == row["statement"]
    assert requirement.points == int(row["points"]) == 1
    assert requirement.partial_points is None
    assert requirement.poam_eligible == row["poam_eligible"]
    assert requirement.objectives == ()
    assert requirement.level1_id is None


@pytest.mark.parametrize("row", L1, ids=lambda r: r["l1_id"])
def test_level1_requirement_matches_the_table(row: dict[str, str]) -> None:
    requirement = catalog(1).by_label(row["l1_id"])
    assert requirement is not None
    assert requirement.control_id == row["l1_id"].lower()
    assert requirement.nist_id == row["far_52_204_21_paragraph"]
    assert requirement.family == row["family"]
    assert requirement.title + " [FCI Data]" == row["title_model"]
    assert requirement.statement == row["statement_cmmc_model"]
    assert requirement.points is None  # all or nothing, 32 CFR 170.24(c)(1)
    assert requirement.poam_eligible == "no"  # 32 CFR 170.21(a)(1)
    for number in row["nist_800_171r2_ids"].split(";"):
        assert catalog(1).for_level2_number(number) == requirement
        assert normalize_requirement_id(number, level=1) == requirement
        level2 = catalog(2).by_nist_id(number)
        assert level2 is not None and level2.level1_id == row["l1_id"]


def test_level2_scoring_figures() -> None:
    requirements = catalog(2).requirements
    deductions = sum(r.points or 0 for r in requirements)
    assert deductions == 313
    assert catalog(2).max_score == 110
    assert catalog(2).max_score - deductions == -203
    unvalued = [r.label for r in requirements if r.points is None]
    assert unvalued == ["CA.L2-3.12.4"]
    assert {r.label: r.partial_points for r in requirements if r.partial_points} == {
        "IA.L2-3.5.3": 3,
        "SC.L2-3.13.11": 3,
    }
    assert sorted(r.points for r in requirements if r.points is not None).count(5) == 44
    counts = {v: sum(r.poam_eligible == v for r in requirements) for v in ("yes", "no", "conditional")}
    assert counts == {"yes": 46, "no": 63, "conditional": 1}
    assert sum(len(r.objectives) for r in requirements) == len(OBJECTIVES) == 320


def test_level2_sum_agrees_with_the_table() -> None:
    assert sum(optional_int(r["points"]) or 0 for r in L2) == sum(r.points or 0 for r in catalog(2).requirements)


def test_max_scores() -> None:
    assert (catalog(1).max_score, catalog(2).max_score, catalog(3).max_score) == (15, 110, 24)
    assert sum(r.points or 0 for r in catalog(3).requirements) == 24
    assert [r.label for r in catalog(3).requirements if r.poam_eligible == "no"] == [
        "IR.L3-3.6.1e",
        "IR.L3-3.6.2e",
        "RA.L3-3.11.1e",
        "RA.L3-3.11.4e",
        "RA.L3-3.11.6e",
        "RA.L3-3.11.7e",
        "SI.L3-3.14.3e",
    ]


def test_catalog_order_follows_the_tables() -> None:
    assert [r.label for r in catalog(2).requirements] == [row["cmmc_id"] for row in L2]
    assert [r.label for r in catalog(3).requirements] == [row["cmmc_id"] for row in L3]
    assert [r.label for r in catalog(1).requirements] == [row["l1_id"] for row in L1]


def test_families() -> None:
    families = catalog(2).families()
    assert len(families) == 14
    assert families[0] == ("AC", "Access Control")
    assert families[-1] == ("SI", "System and Information Integrity")
    assert [code for code, _ in catalog(1).families()] == ["AC", "IA", "MP", "PE", "SC", "SI"]
    assert dict(catalog(1).families())["PE"] == "Physical Protection"


def test_lookups() -> None:
    level2 = catalog(2)
    requirement = level2.get("ac.l2-3.1.1")
    assert requirement is not None
    assert requirement.statement_id == "ac.l2-3.1.1_smt"
    assert level2.by_label("ac.L2-3.1.1") is requirement
    assert level2.by_label("AC.L2-3.1.99") is None
    assert level2.get("ac.l2-3.1.99") is None
    assert level2.resolve_target("ac.l2-3.1.1") is requirement
    assert level2.resolve_target("ac.l2-3.1.1_smt") is requirement
    assert level2.resolve_target("ac.l2-3.1.1_obj.f") is requirement
    assert level2.resolve_target("ac.l2-3.1.1_obj.g") is None  # 3.1.1 has objectives a-f
    assert level2.resolve_target("cm.l2-3.4.7_obj.o") is not None  # 15 objectives, a-o
    assert level2.resolve_target("ac.l3-3.1.2e") is None
    assert level2.resolve_target("ac-2") is None
    assert catalog(3).resolve_target("ac.l3-3.1.2e_smt") == catalog(3).get("ac.l3-3.1.2e")
    assert catalog(3).resolve_target("ac.l3-3.1.2e_obj.a") is None  # Level 3 has no objectives here


@pytest.mark.parametrize(
    ("text", "level", "label"),
    [
        ("AC.L2-3.1.1", None, "AC.L2-3.1.1"),
        ("ac.l2-3.1.1", None, "AC.L2-3.1.1"),
        ("3.1.1", None, "AC.L2-3.1.1"),
        ("3.1.1[a]", None, "AC.L2-3.1.1"),
        ("AC.L2-3.1.1[a]", None, "AC.L2-3.1.1"),
        ("  AC.L2-3.1.1  ", None, "AC.L2-3.1.1"),
        ("AC.L2 - 3.1.1", None, "AC.L2-3.1.1"),
        ("AC.L2\u20133.1.1", None, "AC.L2-3.1.1"),  # en dash
        ("AC.L2\u20143.1.1", None, "AC.L2-3.1.1"),  # em dash
        ("IA-L2-3.5.1", None, "IA.L2-3.5.1"),  # eCFR printing error
        ("AC.L2- 3.1.19", None, "AC.L2-3.1.19"),  # eCFR printing error
        ("NIST SP 800-171 3.1.1", None, "AC.L2-3.1.1"),
        ("NIST SP 800-171 Rev. 2 3.13.11", None, "SC.L2-3.13.11"),
        ("800-171r2: 3.1.10", None, "AC.L2-3.1.10"),
        ("3.1.1 Authorized Access Control", None, "AC.L2-3.1.1"),
        ("AC.L2-3.1.20 - External Connections", None, "AC.L2-3.1.20"),
        ("ac.l2-3.1.1_smt", None, "AC.L2-3.1.1"),
        ("ac.l2-3.1.1_obj.a", None, "AC.L2-3.1.1"),
        ("3.1.2e", None, "AC.L3-3.1.2e"),
        ("AC.L3-3.1.2e", None, "AC.L3-3.1.2e"),
        ("NIST SP 800-172 3.14.6e", None, "SI.L3-3.14.6e"),
        ("AC.L1-b.1.i", None, "AC.L1-b.1.i"),
        ("b.1.xv", None, "SI.L1-b.1.xv"),
        ("52.204-21(b)(1)(iii)", None, "AC.L1-b.1.iii"),
        ("FAR 52.204-21 (b)(1)(ix)", None, "PE.L1-b.1.ix"),
        ("3.1.1", 2, "AC.L2-3.1.1"),
        ("3.10.4", 1, "PE.L1-b.1.ix"),
        ("3.1.2e", 3, "AC.L3-3.1.2e"),
    ],
)
def test_normalize_maps(text: str, level: int | None, label: str) -> None:
    found = normalize_requirement_id(text, level)
    assert found is not None, text
    assert found.label == label


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("AC-2", None),  # NIST SP 800-53
        ("AU-12", None),
        ("SI-4(5)", None),
        ("", None),
        ("   ", None),
        ("3.1.23", None),  # no such requirement
        ("3.1.1.5", None),
        ("SC.L2-3.1.1", None),  # family does not match the number
        ("AC.L2-3.1.2e", None),  # an enhanced number is not a Level 2 id
        ("AC.L1-b.1.i", 2),  # another level
        ("3.1.2e", 2),
        ("3.1.1", 3),
        ("3.1.3", 1),  # not part of Level 1
        ("b.1.i", 2),
        ("AC.L2-3.1.1", 4),
        ("not a requirement", None),
    ],
)
def test_normalize_refuses(text: str, level: int | None) -> None:
    assert normalize_requirement_id(text, level) is None


def test_every_official_id_round_trips() -> None:
    for level in (1, 2, 3):
        for requirement in catalog(level).requirements:
            assert normalize_requirement_id(requirement.label) is requirement
            assert normalize_requirement_id(requirement.label.lower(), level) is requirement
            assert normalize_requirement_id(requirement.control_id + "_smt") is requirement


def test_read_catalog_names_the_place_of_a_broken_control() -> None:
    data = json.loads((ROOT / "catalogs" / "cmmc-level3-catalog.json").read_text())
    del data["catalog"]["groups"][1]["controls"][0]["props"][0]  # its label
    with pytest.raises(LoadError) as caught:
        read_catalog(data, 3, "broken.json")
    (problem,) = caught.value.problems
    assert problem.file == "broken.json"
    assert problem.pointer == "/catalog/groups/1/controls/0"


def test_read_catalog_of_the_shipped_data_equals_catalog() -> None:
    data = json.loads(Path(ROOT / "catalogs" / "cmmc-level2-catalog.json").read_text())
    fresh = read_catalog(data, 2)
    assert isinstance(fresh, CmmcCatalog)
    assert fresh.requirements == catalog(2).requirements
    assert all(isinstance(r, Requirement) for r in fresh.requirements)
