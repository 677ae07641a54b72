"""SARIF 2.1.0 as GitHub code scanning accepts it.

Rule metadata (help text, citation) comes from the rule registry; a result's
location is its document (as a URI reference), with the line where the format
has lines, and the JSON pointer as a logical location.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from oscal_poam import __version__
from oscal_poam.constraints import constraint_rule
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.ruleset import all_rules
from oscal_poam.rules.registry import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    help_text = rule.summary + (f" ({rule.citation})" if rule.citation else "")
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": help_text},
        "help": {"text": help_text, "markdown": f"**{rule.id}**: {rule.summary}\n\nSource: {rule.citation or 'OSCAL'}"},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"citation": rule.citation, "family": rule.family, "tags": [rule.family]},
    }


def artifact_uri(document: str) -> str:
    """A document name as a URI reference: relative paths stay relative (percent-encoded), absolute ones
    become file URIs, URLs are kept."""
    if "://" in document:
        return document
    path = PurePath(document)
    if path.is_absolute():
        return Path(document).as_uri()
    return quote(path.as_posix())


def _location(d: Diagnostic) -> dict[str, Any]:
    location: dict[str, Any] = {}
    if d.document:
        physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(d.document)}}
        if d.line is not None and d.line >= 1:
            physical["region"] = {"startLine": d.line}
            if d.column is not None and d.column >= 1:
                physical["region"]["startColumn"] = d.column
        location["physicalLocation"] = physical
    if d.pointer:
        location["logicalLocations"] = [{"fullyQualifiedName": d.pointer, "kind": "element"}]
    return location


def _rule(rule_id: str, known: dict[str, Rule]) -> Rule:
    """The rule of an id: the project's own, or one of NIST's constraints."""
    found = known.get(rule_id)
    if found is None:
        found = constraint_rule(rule_id)
    return found or Rule(rule_id, Severity.WARNING, "", rule_id, "other")


def render_sarif(diagnostics: Sequence[Diagnostic]) -> str:
    known = {r.id: r for r in all_rules()}
    used = sorted({d.rule_id for d in diagnostics})
    descriptors = [_rule_descriptor(_rule(rid, known)) for rid in used]
    index = {rid: i for i, rid in enumerate(used)}
    results = []
    for d in diagnostics:
        result: dict[str, Any] = {
            "ruleId": d.rule_id,
            "ruleIndex": index[d.rule_id],
            "level": _LEVELS[d.severity],
            "message": {"text": d.message},
            "locations": [_location(d)] if d.document or d.pointer else [],
            "properties": {"citation": d.citation, "subject": d.subject, "pointer": d.pointer},
        }
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "oscal-poam",
                        "version": __version__,
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
