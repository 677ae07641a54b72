"""JSON renderer: the structure the README documents under "Diagnostics as JSON"."""

from __future__ import annotations

import json

from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.render.formats import render
from tests.conftest import ROOT

FIELDS = ["rule-id", "severity", "message", "pointer", "citation", "document", "subject", "line", "column"]

FOUND = [
    Diagnostic(
        "credibility-root-cause",
        Severity.WARNING,
        "no root cause",
        "/p/poam-items/1/props",
        "practice",
        "poam.json",
        "AU.L2-3.3.8",
    ),
    Diagnostic(
        "poam-missing-item",
        Severity.ERROR,
        "missing",
        "/p/poam-items",
        "32 CFR 170.24(c)(2)(i)(B)(6)",
        "poam.json",
        "AC.L2-3.1.9",
    ),
    Diagnostic("integrity-party", Severity.ERROR, "unknown party", "/p/metadata", "", "poam.yaml", "", 12),
]


def test_json_structure() -> None:
    """`{"format": "oscal-poam-diagnostics", "version": 2, "counts": {...}, "diagnostics": [...]}`, each diagnostic
    with exactly the documented fields, sorted like the text output."""
    payload = json.loads(render(FOUND, "json"))
    assert list(payload) == ["format", "version", "counts", "diagnostics"]
    assert (payload["format"], payload["version"]) == ("oscal-poam-diagnostics", 2)
    assert payload["counts"] == {"error": 2, "warning": 1, "info": 0}
    assert all(list(d) == FIELDS for d in payload["diagnostics"])
    assert [d["rule-id"] for d in payload["diagnostics"]] == [
        "poam-missing-item",
        "credibility-root-cause",
        "integrity-party",
    ]
    assert payload["diagnostics"][1] == {
        "rule-id": "credibility-root-cause",
        "severity": "warning",
        "message": "no root cause",
        "pointer": "/p/poam-items/1/props",
        "citation": "practice",
        "document": "poam.json",
        "subject": "AU.L2-3.3.8",
        "line": None,
        "column": None,
    }
    assert payload["diagnostics"][2]["line"] == 12


def test_readme_documents_every_field() -> None:
    """ "`--format json` output is documented (field names and meaning) in the README" """
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Diagnostics as JSON", 1)[1].split("\n## ", 1)[0]
    for name in ["format", "version", "counts", "diagnostics", *FIELDS]:
        assert f"`{name}`" in section, name
