"""The OSCAL models this project reads and writes, keyed by their root element."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trestle.core.base_model import OscalBaseModel


@dataclass(frozen=True)
class ModelKind:
    root_key: str
    short: str
    title: str
    module: str
    class_name: str

    @property
    def named(self) -> str:
        """The title as a sentence names one document: `a system security plan`, `an assessment plan`,
        `assessment results` (a plural takes no article)."""
        if self.title.endswith("results"):
            return self.title
        return ("an " if self.title[:1] in "aeiou" else "a ") + self.title

    @property
    def cls(self) -> type[OscalBaseModel]:
        cls: type[OscalBaseModel] = getattr(importlib.import_module(self.module), self.class_name)
        return cls


KINDS: tuple[ModelKind, ...] = (
    ModelKind("catalog", "catalog", "catalog", "trestle.oscal.catalog", "Catalog"),
    ModelKind("profile", "profile", "profile", "trestle.oscal.profile", "Profile"),
    ModelKind(
        "component-definition",
        "component-definition",
        "component definition",
        "trestle.oscal.component",
        "ComponentDefinition",
    ),
    ModelKind("system-security-plan", "ssp", "system security plan", "trestle.oscal.ssp", "SystemSecurityPlan"),
    ModelKind("assessment-plan", "ap", "assessment plan", "trestle.oscal.assessment_plan", "AssessmentPlan"),
    ModelKind(
        "assessment-results",
        "ar",
        "assessment results",
        "trestle.oscal.assessment_results",
        "AssessmentResults",
    ),
    ModelKind(
        "plan-of-action-and-milestones",
        "poam",
        "plan of action and milestones",
        "trestle.oscal.poam",
        "PlanOfActionAndMilestones",
    ),
)

BY_ROOT: dict[str, ModelKind] = {k.root_key: k for k in KINDS}
_BY_NAME: dict[str, ModelKind] = {**{k.short: k for k in KINDS}, **BY_ROOT}


def kind_named(name: str) -> ModelKind:
    """A kind by its root key (`assessment-results`) or short name (`ar`)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown OSCAL model {name!r}; known: {', '.join(sorted(BY_ROOT))}") from None


def kind_of(model: OscalBaseModel) -> ModelKind:
    for kind in KINDS:
        if type(model).__name__ == kind.class_name and type(model).__module__ == kind.module:
            return kind
    raise ValueError(f"{type(model).__name__} is not a top-level OSCAL model")


def text(value: object) -> str:
    """The plain string inside a model value (trestle wraps many strings in root models)."""
    while hasattr(value, "root"):
        value = value.root
    if hasattr(value, "value") and not isinstance(value, str):  # enums
        value = value.value
    return "" if value is None else str(value)
