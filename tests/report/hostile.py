"""A POA&M whose text fields carry markup, scripts, quotes and template syntax, to prove reports show it as text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.rules import poam_data
from tests.rules.poam_data import ROOT

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>bold</b>"
IMAGE = '<img src="x" onerror="alert(2)">'
QUOTES = "\"quotes\" and 'apostrophes' & ampersands"
TEMPLATE = "{{ 7 * 7 }} {% if true %}jinja{% endif %}"
MARKDOWN = "**strong** [link](http://example.invalid) | pipe `code`"

TITLE = f"{SCRIPT} Example {BOLD} POA&M"
SYSTEM = f"sys {SCRIPT}"
OWNER = f"Jane {IMAGE} {QUOTES}"
MILESTONE = f"{BOLD} first {TEMPLATE}"
ITEM_TITLE = f"{SCRIPT} {TEMPLATE} {MARKDOWN}"

AS_OF = dt.date(2026, 3, 1)
"""Before every milestone, so that the hostile one is the next milestone of its item."""

TEXTS = (SCRIPT, BOLD, IMAGE, QUOTES, TEMPLATE, MARKDOWN)


def hostile_poam() -> dict[str, Any]:
    """The credible two-item POA&M with hostile text in its title, system id, owner and a milestone, plus an
    item that names no requirement and whose title is hostile."""
    data = poam_data.credible_poam()
    root = data[ROOT]
    root["metadata"]["title"] = TITLE
    root["system-id"]["id"] = SYSTEM
    root["metadata"]["parties"][0]["name"] = OWNER
    milestones = root["risks"][0]["remediations"][0]["tasks"]
    milestones[0]["title"] = MILESTONE
    milestones[0]["timing"]["on-date"]["date"] = "2026-03-15T00:00:00Z"
    root["poam-items"].append(
        {
            "uuid": "6a1f3c2e-9b7d-4e5f-8a10-3c2b1d0e9f87",
            "title": ITEM_TITLE,
            "description": f"{SCRIPT} {BOLD} {TEMPLATE}",
        }
    )
    return data
