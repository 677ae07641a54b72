"""The rules `validate` reports about a repository's file as a whole: is it OSCAL, is it valid, could it be checked."""

from __future__ import annotations

from oscal_poam.diagnostics import Severity
from oscal_poam.rules.registry import rule

NOT_OSCAL = rule(
    "validate-not-oscal",
    Severity.INFO,
    "OSCAL 1.2.1 (document root element)",
    "A JSON, YAML or XML file that is well-formed but not an OSCAL document is skipped.",
    "validate",
)
MODEL = rule(
    "validate-model",
    Severity.ERROR,
    "OSCAL 1.2.1 (NIST's XSD for XML, NIST's JSON schema for JSON and YAML)",
    "The file parses and is a valid OSCAL document of its model, as NIST's schema for its format says.",
    "validate",
)
YAML_SCALAR = rule(
    "validate-yaml-scalar",
    Severity.WARNING,
    "YAML 1.2 (core schema)",
    "A plain YAML scalar that another YAML reader would take for another type (`yes`, `1.10` where OSCAL wants "
    "text) is quoted.",
    "validate",
)

MORE = rule(
    "validate-more-diagnostics",
    Severity.INFO,
    "docs/security.md (limits)",
    "A file with more diagnostics than OSCAL_POAM_MAX_PROBLEMS lists that many, worst first, then counts the rest "
    "in one diagnostic at the worst severity among them.",
    "validate",
)
INTERNAL = rule(
    "validate-internal",
    Severity.ERROR,
    "",
    "The checker failed on this file (a defect of oscal-poam; please report it); the other files are still checked.",
    "validate",
)
NOT_APPLIED = rule(
    "validate-cmmc-not-applied",
    Severity.ERROR,
    "docs/conventions.md",
    "The CMMC rules could be applied to a document that carries CMMC props.",
    "validate",
)
