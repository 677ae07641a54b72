"""JSON: `{"format": "oscal-poam-diagnostics", "version": 2, "counts": {...}, "diagnostics": [...]}`.

Each diagnostic has `rule-id`, `severity`, `message`, `pointer`, `citation`, `document`, `subject`, `line`
(null where unknown); the README documents the fields.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.render.counts import count_by_severity


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    payload = {
        "format": "oscal-poam-diagnostics",
        "version": 2,
        "counts": count_by_severity(diagnostics),
        "diagnostics": [d.to_dict() for d in diagnostics],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
