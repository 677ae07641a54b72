"""A credible CMMC POA&M as plain OSCAL JSON data, for tests that break one thing at a time.

Every item follows docs/conventions.md: requirement prop, root cause, a risk with a status and a
risk-log, a planned remediation with an owner, three dated milestones, resources and a verification
task. Tests change one place (by JSON pointer) and expect one rule to speak.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from oscal_poam.cmmc import vocab
from oscal_poam.ids import stable_uuid

NS = vocab.NS
STATUS_DATE = "2026-01-15"
RESULTS_WINDOW = {
    "start": dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC),
    "end": dt.datetime(2026, 1, 15, 17, 0, tzinfo=dt.UTC),
}
"""When the assessment behind this POA&M ran: its results end on the Conditional CMMC Status Date."""
OWNER = stable_uuid("test", "party", "owner")
ROOT = "plan-of-action-and-milestones"


def prop(name: str, value: str, ns: str | None = NS) -> dict[str, str]:
    found = {"name": name, "value": value}
    if ns is not None:
        found["ns"] = ns
    return found


def item_data(label: str, title: str, index: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A POA&M item for `label` and its risk."""
    risk_uuid = stable_uuid("test", "risk", label)
    milestones = [
        ("Procure and configure the control", "2026-02-15"),
        ("Roll out to every in-scope system", "2026-04-01"),
        ("Collect evidence for the closeout assessment", "2026-05-15"),
    ]
    tasks: list[dict[str, Any]] = [
        {
            "uuid": stable_uuid("test", "milestone", label, n),
            "type": "milestone",
            "title": name,
            "description": f"{name} for {label}.",
            "props": [prop(vocab.MILESTONE_STATUS, "pending")],
            "timing": {"on-date": {"date": f"{date}T00:00:00Z"}},
            "responsible-roles": [{"role-id": vocab.OWNER_ROLE, "party-uuids": [OWNER]}],
        }
        for n, (name, date) in enumerate(milestones)
    ]
    tasks.append(
        {
            "uuid": stable_uuid("test", "verification", label),
            "type": "action",
            "title": "Verify closure",
            "description": "Re-test every objective of the requirement with screenshots and configuration exports.",
            "props": [prop(vocab.TASK_PURPOSE, "verification")],
            "responsible-roles": [{"role-id": vocab.OWNER_ROLE, "party-uuids": [OWNER]}],
        }
    )
    risk = {
        "uuid": risk_uuid,
        "title": f"{label} not met",
        "description": f"{label} is not implemented on the in-scope systems.",
        "statement": "Controlled unclassified information is exposed until this is fixed.",
        "status": "open",
        "deadline": "2026-07-14T00:00:00Z",
        "risk-log": {
            "entries": [
                {
                    "uuid": stable_uuid("test", "log", label),
                    "title": "Opened at the assessment",
                    "start": f"{STATUS_DATE}T00:00:00Z",
                    "status-change": "open",
                }
            ]
        },
        "remediations": [
            {
                "uuid": stable_uuid("test", "plan", label),
                "lifecycle": "planned",
                "title": f"Remediate {label}",
                "description": f"Plan to implement {label}.",
                "required-assets": [
                    {"uuid": stable_uuid("test", "asset", label), "description": "40 engineer hours; $2,000 licences"}
                ],
                "tasks": tasks,
            }
        ],
    }
    item = {
        "uuid": stable_uuid("test", "item", label),
        "title": f"{label} {title}",
        "description": (
            f"The in-scope domain controllers do not enforce {title.lower()}; the setting is missing on DC01 and DC02."
        ),
        "props": [
            prop(vocab.REQUIREMENT, label),
            prop(vocab.ROOT_CAUSE, "The baseline configuration never included this setting."),
        ],
        "related-risks": [{"risk-uuid": risk_uuid}],
    }
    return item, risk


ITEMS = (
    ("AC.L2-3.1.8", "Unsuccessful Logon Attempts"),
    ("AU.L2-3.3.8", "Audit Protection"),
)


def credible_poam(level: int = 2, status_date: str | None = STATUS_DATE) -> dict[str, Any]:
    """A POA&M with two credible items, as plain data (the root key included)."""
    items, risks = zip(*(item_data(label, title, i) for i, (label, title) in enumerate(ITEMS)), strict=True)
    props = [prop(vocab.LEVEL, str(level)), prop(vocab.ASSESSMENT_TYPE, "c3pao")]
    if status_date is not None:
        props.append(prop(vocab.STATUS_DATE, status_date))
    return {
        ROOT: {
            "uuid": stable_uuid("test", "poam"),
            "metadata": {
                "title": "Example Corp CMMC POA&M",
                "last-modified": f"{STATUS_DATE}T00:00:00Z",
                "version": "1.0",
                "oscal-version": "1.2.1",
                "props": props,
                "roles": [{"id": vocab.OWNER_ROLE, "title": "Remediation owner"}],
                "parties": [{"uuid": OWNER, "type": "person", "name": "Jane Doe"}],
            },
            "system-id": {"identifier-type": "http://ietf.org/rfc/rfc4122", "id": "example-system"},
            "risks": list(risks),
            "poam-items": list(items),
        }
    }


def changed(data: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    """A copy of `data` with the value at `pointer` replaced; `DELETE` removes it; a trailing `-` appends."""
    result = copy.deepcopy(data)
    *parents, last = [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]
    node: Any = result
    for token in parents:
        node = node[int(token)] if isinstance(node, list) else node[token]
    if isinstance(node, list):
        if last == "-":
            node.append(value)
        elif value is DELETE:
            del node[int(last)]
        else:
            node[int(last)] = value
    elif value is DELETE:
        del node[last]
    else:
        node[last] = value
    return result


DELETE = object()


def model(data: dict[str, Any]) -> Any:
    """The compliance-trestle model of POA&M data."""
    from oscal_poam.io.load import validate

    return validate(data, "poam.json")[1]
