"""The facts of a system security plan: the implementation status of each requirement, read once.

An implemented requirement's status comes from its by-components' `implementation-status` (on the implemented
requirement and on its statements), or else from an `implementation-status` prop on it; where by-components
disagree, the weakest wins (docs/conventions.md, "System security plan").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.catalog import Requirement, catalog, normalize_requirement_id
from oscal_poam.cmmc.regulation import LEVELS
from oscal_poam.io import pointers
from oscal_poam.io.models import text

if TYPE_CHECKING:
    from trestle.oscal.ssp import ImplementedRequirement, SystemSecurityPlan

ROOT = "system-security-plan"

IMPLEMENTED = "implemented"
ALTERNATIVE = "alternative"
PARTIAL = "partial"
PLANNED = "planned"
NOT_APPLICABLE = "not-applicable"

STRENGTH = (IMPLEMENTED, ALTERNATIVE, PARTIAL, PLANNED)
"""Implementation statuses from strongest to weakest. `not-applicable` is outside the order: it stands
only when every by-component says so, and otherwise the by-components it applies to decide."""
KNOWN = (*STRENGTH, NOT_APPLICABLE)

LISTING = pointers.join(ROOT, "control-implementation", "implemented-requirements")


@dataclass(frozen=True)
class SspStatus:
    """One implemented requirement's status; `status` is None where the SSP states none."""

    control_id: str
    status: str | None
    pointer: str


@dataclass(frozen=True)
class SspFacts:
    """What the SSP says of each requirement, and of the system."""

    entries: tuple[SspStatus, ...]
    """One per implemented-requirement, in document order."""
    system_name: str = ""
    document: str = ""
    model: SystemSecurityPlan | None = field(default=None, compare=False, repr=False)
    parts: frozenset[str] = frozenset()
    """The uuids of the system's components, inventory items and users (system-implementation)."""

    @property
    def level(self) -> int | None:
        """The level whose catalog names most of the SSP's control ids; None when none does."""
        counts = {lvl: sum(1 for e in self.entries if catalog(lvl).get(e.control_id.lower())) for lvl in LEVELS}
        best = max(counts, key=lambda lvl: (counts[lvl], lvl == 2))
        return best if counts[best] else None

    def by_requirement(self, level: int) -> dict[str, list[SspStatus]]:
        """The entries for each requirement of `level` (control id -> entries), those naming none left out."""
        found: dict[str, list[SspStatus]] = {}
        for entry in self.entries:
            requirement = resolve(entry.control_id, level)
            if requirement is not None:
                found.setdefault(requirement.control_id, []).append(entry)
        return found


def weakest(statuses: list[str]) -> str | None:
    """The weakest of by-component statuses; unrecognised values are weaker than `planned`."""
    applicable = [s for s in statuses if s != NOT_APPLICABLE]
    if not applicable:
        return NOT_APPLICABLE if statuses else None
    return max(applicable, key=lambda s: STRENGTH.index(s) if s in STRENGTH else len(STRENGTH))


def read_ssp(ssp: SystemSecurityPlan, document: str = "") -> SspFacts:
    """The facts of `ssp` (`document` is the name diagnostics give it)."""
    entries = []
    for index, implemented in enumerate(ssp.control_implementation.implemented_requirements):
        entries.append(SspStatus(str(implemented.control_id), _status_of(implemented), f"{LISTING}/{index}"))
    name = text(ssp.system_characteristics.system_name)
    implementation = ssp.system_implementation
    parts = frozenset(
        str(part.uuid)
        for group in (implementation.components, implementation.inventory_items, implementation.users)
        for part in group or []
    )
    return SspFacts(tuple(entries), name, document, ssp, parts)


def _status_of(implemented: ImplementedRequirement) -> str | None:
    components = list(implemented.by_components or [])
    for statement in implemented.statements or []:
        components.extend(statement.by_components or [])
    states = [text(c.implementation_status.state) for c in components if c.implementation_status is not None]
    if states:
        return weakest(states)
    return vocab.prop_value(implemented.props, "implementation-status", ns=None)


def implementation_status(facts: SspFacts) -> dict[str, str]:
    """Control id (as the SSP writes it) -> implementation status; the weakest wins across entries.

    Implemented requirements that state no status are left out (`SspFacts.entries` keeps them).
    """
    merged: dict[str, list[str]] = {}
    for entry in facts.entries:
        if entry.status is not None:
            merged.setdefault(entry.control_id, []).append(entry.status)
    return {control: status for control, values in merged.items() if (status := weakest(values)) is not None}


def resolve(control_id: str, level: int) -> Requirement | None:
    """The requirement of `level` an SSP control id names (`ac.l2-3.1.1`, or an id as people write it)."""
    found = catalog(level).get(control_id.lower())
    if found is not None:
        return found
    other = normalize_requirement_id(control_id, level)
    return other if other is not None and other.level == level else None
