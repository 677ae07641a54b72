"""The public API: `oscal_poam.score`, `eligibility`, `closeout` and `read_results` take models, Documents or paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import oscal_poam
from oscal_poam.errors import LoadError
from oscal_poam.io.load import load
from tests import builders as b

ONE_POINT = b.requirements_worth(1)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("api")
    return {
        "results": b.save(b.assessment_results(2, not_met=ONE_POINT[:2], missing=["AC.L2-3.1.20"]), folder / "r.yaml"),
        "poam": b.save(b.poam(ONE_POINT[:2]), folder / "poam.json"),
        "closeout": b.save(b.closeout_results(dict.fromkeys(ONE_POINT[:2], "met")), folder / "closeout.json"),
    }


def test_score_takes_a_path_a_document_or_a_model(saved: dict[str, Path]) -> None:
    path = saved["results"]
    doc = load(path)
    by_path = oscal_poam.score(path)
    by_str = oscal_poam.score(str(path))
    by_doc = oscal_poam.score(doc)
    by_model = oscal_poam.score(doc.model)
    assert isinstance(by_path, oscal_poam.Score)
    assert {s.score for s in (by_path, by_str, by_doc, by_model)} == {107}  # 110 - 1 - 1 - 1 (unassessed)
    assert by_path.diagnostics[0].document == str(path)
    assert by_path.diagnostics[0].line is not None  # YAML has lines
    assert by_model.diagnostics[0].document == "" and by_model.diagnostics[0].line is None


def test_score_with_a_level(saved: dict[str, Path]) -> None:
    assert oscal_poam.score(saved["results"], level=3).level == 3


def test_eligibility_and_read_results(saved: dict[str, Path]) -> None:
    verdict = oscal_poam.eligibility(saved["results"])
    assert isinstance(verdict, oscal_poam.Verdict)
    assert verdict.status == "none"
    assert [d.rule_id for d in verdict.reasons if d.severity.value == "error"] == ["eligibility-incomplete"]
    assessment = oscal_poam.read_results(saved["results"])
    assert isinstance(assessment, oscal_poam.Assessment)
    assert [r.label for r in assessment.not_met()] == ONE_POINT[:2]
    direct = oscal_poam.read_assessment(load(saved["results"]).model)  # type: ignore[arg-type]
    assert direct.requirements == assessment.requirements


def test_closeout_takes_paths_and_defaults_to_today(saved: dict[str, Path]) -> None:
    result = oscal_poam.closeout(saved["poam"], saved["closeout"], as_of=dt.date(2026, 6, 10))
    assert isinstance(result, oscal_poam.CloseoutResult)
    assert result.verdict == "final"
    assert oscal_poam.closeout(saved["poam"], saved["closeout"]).as_of == dt.date.today()


def test_the_wrong_model_is_refused(saved: dict[str, Path]) -> None:
    with pytest.raises(LoadError, match="assessment results"):
        oscal_poam.score(saved["poam"])
    with pytest.raises(TypeError, match="assessment results"):
        oscal_poam.score(load(saved["poam"]).model)
