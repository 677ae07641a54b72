"""A CMMC system security plan built on the NIST SSP example: its system, with CMMC implemented requirements."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from oscal_poam.cmmc.catalog import catalog
from oscal_poam.ids import stable_uuid
from tests.conftest import OSCAL_CONTENT

NIST_SSP = OSCAL_CONTENT / "ssp" / "json" / "ssp-example.json"
THIS_SYSTEM = "74042245-3db1-4f4d-be9a-ceb62d81152c"
LOGGING_SERVER = "e00acdcf-911b-437d-a42f-b0b558cc4f03"


@cache
def _nist_text() -> str:
    return NIST_SSP.read_text(encoding="utf-8")


def nist_ssp() -> dict[str, Any]:
    """A fresh copy of the NIST SSP example."""
    data: dict[str, Any] = json.loads(_nist_text())
    return data


Status = str | list[str] | dict[str, Any] | None


def cmmc_ssp(statuses: dict[str, Status] | None = None, level: int = 2, omit: tuple[str, ...] = ()) -> dict[str, Any]:
    """The NIST example with one implemented requirement per CMMC requirement of `level`.

    Each is `implemented` by one by-component unless `statuses` says otherwise (by label): a string is one
    by-component's status, a list one by-component per status, a dict the whole implemented requirement's
    extra fields (no by-components), None a requirement with no status at all. Labels in `omit` are left out.
    """
    statuses = statuses or {}
    implemented = []
    for requirement in catalog(level).requirements:
        if requirement.label in omit:
            continue
        wanted = statuses.get(requirement.label, "implemented")
        entry: dict[str, Any] = {
            "uuid": stable_uuid("test", "ssp", requirement.label),
            "control-id": requirement.control_id,
        }
        if isinstance(wanted, dict):
            entry.update(wanted)
        elif wanted is not None:
            states = [wanted] if isinstance(wanted, str) else wanted
            entry["by-components"] = [
                {
                    "component-uuid": THIS_SYSTEM if n == 0 else LOGGING_SERVER,
                    "uuid": stable_uuid("test", "ssp", requirement.label, n),
                    "description": f"How {requirement.label} is implemented.",
                    "implementation-status": {"state": state},
                }
                for n, state in enumerate(states)
            ]
        implemented.append(entry)
    data = nist_ssp()
    data["system-security-plan"]["control-implementation"] = {
        "description": "CMMC requirements of the system.",
        "implemented-requirements": implemented,
    }
    return data


def model(data: dict[str, Any]) -> Any:
    from oscal_poam.io.load import validate

    return validate(data, "ssp.json")[1]
