"""One entry point for the three formats the same diagnostics render as."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.render.jsonout import render_json
from oscal_poam.render.sarif import render_sarif
from oscal_poam.render.text import render_text

RenderFormat = Literal["text", "json", "sarif"]


def render(diagnostics: Iterable[Diagnostic], fmt: RenderFormat) -> str:
    items = sorted(diagnostics, key=lambda d: d.sort_key)
    if fmt == "json":
        return render_json(items)
    if fmt == "sarif":
        return render_sarif(items)

    return render_text(items)
