"""Validation goes through JSON text for speed; it must give exactly what validating Python objects gives."""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from oscal_poam.errors import LoadError, Problem
from oscal_poam.io.load import _validated, parse, root_kind, validation_problems
from oscal_poam.io.write import to_data
from tests.conftest import OSCAL_CONTENT, ROOT
from tests.io.xml.fill import filled

DOCUMENTS = sorted(
    [*OSCAL_CONTENT.glob("*/json/*.json"), *(ROOT / "catalogs").glob("*.json"), *(ROOT / "profiles").glob("*.json")]
)
AR = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"


def _python_mode(cls: type[BaseModel], content: Any) -> BaseModel:
    return cls.__pydantic_validator__.validate_python(content)  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_documents_validate_to_the_same_model(path: Path) -> None:
    kind, content = root_kind(json.loads(path.read_bytes()), path.name)
    assert _validated(kind.cls, content) == _python_mode(kind.cls, content)


def test_filled_documents_validate_to_the_same_model() -> None:
    from trestle.oscal.assessment_results import AssessmentResults
    from trestle.oscal.poam import PlanOfActionAndMilestones

    for cls in (PlanOfActionAndMilestones, AssessmentResults):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            data = to_data(filled(cls, 1))  # type: ignore[arg-type]
        kind, content = root_kind(data, "filled")
        assert _validated(kind.cls, content) == _python_mode(kind.cls, content)


DAMAGE: list[Callable[[dict[str, Any]], None]] = [
    lambda c: c.__setitem__("uuid", "nope"),
    lambda c: c["metadata"].pop("title"),
    lambda c: c["metadata"].__setitem__("last-modified", "yesterday"),
    lambda c: c["metadata"].__setitem__("last-modified", "2024-01-01T00:00:00"),
    lambda c: c["results"][0]["findings"][0]["target"].__setitem__("type", "bogus"),
    lambda c: c["results"][0].__setitem__("extra", 1),
    lambda c: c["results"][0]["findings"][0].__setitem__("title", 5),
    lambda c: c["results"][0].__setitem__("findings", {}),
    lambda c: c["results"][0]["findings"][0]["target"].__setitem__("status", {"state": "maybe"}),
    lambda c: c["results"].__setitem__(0, []),
    lambda c: c["metadata"]["parties"][0].__setitem__("email-addresses", ["not an email"]),
    lambda c: c["metadata"].__setitem__("version", True),
]


@pytest.mark.parametrize("damage", DAMAGE, ids=range(len(DAMAGE)))
def test_damaged_documents_give_the_same_errors(damage: Callable[[dict[str, Any]], None]) -> None:
    kind, content = root_kind(json.loads(AR.read_bytes()), AR.name)
    content = copy.deepcopy(content)
    damage(content)

    def errors(validate: Callable[[], Any]) -> tuple[list[tuple[str, tuple[Any, ...]]], list[Problem]]:
        """pydantic's error types and places, and the problems a person is shown (pydantic's own wording of
        a few messages differs between the modes; the project words those itself)."""
        with pytest.raises(ValidationError) as caught:
            validate()
        found = [(e["type"], e["loc"]) for e in caught.value.errors(include_url=False)]
        return found, validation_problems(caught.value, content, AR.name, prefix=(kind.root_key,))

    assert errors(lambda: _validated(kind.cls, content)) == errors(lambda: _python_mode(kind.cls, content))


def test_data_json_text_cannot_hold_is_validated_as_objects() -> None:
    kind, content = root_kind(json.loads(AR.read_bytes()), AR.name)
    content = copy.deepcopy(content)
    content["metadata"]["remarks"] = "a lone surrogate \ud800"
    assert _validated(kind.cls, content).metadata.remarks.endswith("\ud800")  # type: ignore[attr-defined]


def test_validation_problems_are_still_located() -> None:
    text = AR.read_text(encoding="utf-8").replace('"type": "objective-id"', '"type": "bogus"', 1)
    with pytest.raises(LoadError) as caught:
        parse(text.encode(), "ar.json")
    problem = caught.value.problems[0]
    assert problem.pointer == "/assessment-results/results/0/findings/0/target/type"
    assert "is not one of" in problem.message
