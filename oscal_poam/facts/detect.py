"""Is this a CMMC document? Decided here, once, the same way for every command.

- Assessment results speak CMMC when the result every command reads (the last) carries a `cmmc-level` prop in the
  project's namespace, or one of its findings targets a requirement of a CMMC catalog.
- A POA&M speaks CMMC when its metadata or one of its items carries a `cmmc-` prop in the project's namespace, or
  an item's title starts with a CMMC requirement id (`AC.L2-3.1.20 ...`). The `legacy-` props a spreadsheet
  import keeps do not make a POA&M a CMMC one: a FedRAMP sheet's items name SP 800-53 controls.
- An SSP speaks CMMC when it imports a CMMC profile or catalog, or implements a CMMC requirement.

NIST's and FedRAMP's documents (SP 800-53 controls, no CMMC props) are not CMMC documents: the CMMC rules do not
run on them, only the rules every OSCAL document answers to. `--generic` says so of any document.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.catalog import catalog
from oscal_poam.cmmc.regulation import LEVELS
from oscal_poam.io.models import text

if TYPE_CHECKING:
    from trestle.oscal.assessment_results import AssessmentResults, Result
    from trestle.oscal.poam import PlanOfActionAndMilestones
    from trestle.oscal.ssp import SystemSecurityPlan

_CMMC_CONTROL = re.compile(r"^[a-z]{2}\.l[123]-", re.IGNORECASE)


def _namespaced(props: Any) -> bool:
    """A `cmmc-` prop in the project's namespace (not the `legacy-` props a spreadsheet import keeps)."""
    return any(
        getattr(p, "ns", None) is not None and str(p.ns) == vocab.NS and str(p.name).startswith(vocab.CMMC_PREFIX)
        for p in props or []
    )


def is_cmmc_result(result: Result) -> bool:
    """A `cmmc-level` prop, or a finding on a requirement (or its statement or objective) of a CMMC catalog."""
    if vocab.prop_value(result.props, vocab.LEVEL) is not None:
        return True
    for finding in result.findings or []:
        target = text(finding.target.target_id)
        if any(catalog(level).resolve_target(target) is not None for level in LEVELS):
            return True
    return False


def is_cmmc_results(results: AssessmentResults) -> bool:
    """Is the result every command reads (the last) a CMMC assessment."""
    return bool(results.results) and is_cmmc_result(results.results[-1])


def is_cmmc_poam(poam: PlanOfActionAndMilestones) -> bool:
    if _namespaced(poam.metadata.props):
        return True
    return any(
        _namespaced(item.props) or _CMMC_CONTROL.match(text(item.title).strip()) for item in poam.poam_items or []
    )


def cmmc_level_of_href(href: str) -> int | None:
    """The CMMC level a profile or catalog href names (`cmmc-level2-profile.json`), if it names one."""
    name = href.rsplit("/", 1)[-1].lower()
    for level in LEVELS:
        if name.startswith((f"cmmc-level{level}-", f"cmmc-l{level}-")):
            return level
    return None


def cmmc_ssp_level(ssp: SystemSecurityPlan) -> int | None:
    """The level a CMMC SSP is for: the one its imported profile names, else 0 (to be read from its control ids);
    None for an SSP that is not a CMMC SSP."""
    href = text(ssp.import_profile.href) if ssp.import_profile is not None else ""
    level = cmmc_level_of_href(href) if href else None
    if level is not None:
        return level
    implemented = ssp.control_implementation.implemented_requirements if ssp.control_implementation else []
    if any(_CMMC_CONTROL.match(str(r.control_id)) for r in implemented or []):
        return 0
    return None
