"""A repository of OSCAL files for `validate`: intact NIST examples, each integrity rule broken once, and others.

The IFA GoodRead documents sit where their own import hrefs point (`4-assess/ar.json` imports
`./ap.oscal.xml`, which imports `../3-implementation/ssp.oscal.xml`), so their references resolve
across documents. `cmmc/` holds a CMMC SSP, the NIST assessment plan importing it, CMMC assessment results
importing that plan, and CMMC POA&Ms importing the SSP, so the CMMC rules run with the files each imports.
`EXPECTED` is the exact set of (file, rule id) the tree must give as of `AS_OF`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tests import builders
from tests.conftest import OSCAL_CONTENT
from tests.nist_docs import IFA_AP, IFA_AR, IFA_SSP, SSP_EXAMPLE, nist, poam_from_results
from tests.rules.poam_data import DELETE, changed, credible_poam
from tests.rules.ssp_data import cmmc_ssp

AS_OF = dt.date(2026, 2, 1)
"""Inside the credible POA&M's milestones and 180-day window."""

UNKNOWN = "00000000-0000-4000-8000-000000000000"
AMY = "e7730080-71ce-4b20-bec4-84f33136fd58"

COPIED = {
    # NIST examples copied unchanged: every one is valid where it lands.
    "3-implementation/ssp.oscal.xml": "ssp/xml/ifa_ssp-example.xml",
    "4-assess/ap.oscal.xml": "ap/xml/ifa_assessment-plan-example.xml",
    "4-assess/ar.json": "ar/json/ifa_assessment-results-example.json",
    "4-assess/ar.yaml": "ar/yaml/ifa_assessment-results-example.yaml",
    "4-assess/ar.xml": "ar/xml/ifa_assessment-results-example.xml",
    "catalog/basic-catalog.yaml": "catalog/yaml/basic-catalog.yaml",
    "catalog/basic-catalog.xml": "catalog/xml/basic-catalog.xml",
    "ssp/ssp-example.json": "ssp/json/ssp-example.json",
    "ssp/leveraged.xml": "ssp/xml/oscal_leveraged-example_ssp.xml",
}


def _ar(edit: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = nist(IFA_AR)
    edit(data["assessment-results"]["results"][0])
    return data


def _ssp(edit: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = nist(IFA_SSP)
    edit(data["system-security-plan"])
    return data


def _observation_origin(result: dict[str, Any]) -> None:
    result["observations"][0]["origins"] = [{"actors": [{"type": "party", "actor-uuid": UNKNOWN}]}]


def _related_observation(result: dict[str, Any]) -> None:
    result["findings"][0]["related-observations"][0]["observation-uuid"] = UNKNOWN


def _related_risk(result: dict[str, Any]) -> None:
    result["findings"][0]["related-risks"][0]["risk-uuid"] = UNKNOWN


def _subject(result: dict[str, Any]) -> None:
    result["observations"][1]["subjects"][0]["subject-uuid"] = UNKNOWN


def _party(ssp: dict[str, Any]) -> None:
    ssp["metadata"]["responsible-parties"][0]["party-uuids"][0] = UNKNOWN


def _role(ssp: dict[str, Any]) -> None:
    ssp["system-implementation"]["users"][0]["role-ids"][0] = "no-such-role"


def _responsible_role(ssp: dict[str, Any]) -> None:
    ssp["system-implementation"]["components"][0]["responsible-roles"][0]["role-id"] = "no-such-role"


def _component(ssp: dict[str, Any]) -> None:
    ssp["control-implementation"]["implemented-requirements"][0]["by-components"][0]["component-uuid"] = UNKNOWN


def _location(ssp: dict[str, Any]) -> None:
    ssp["metadata"]["parties"][0]["location-uuids"] = [UNKNOWN]


def _duplicate(ssp: dict[str, Any]) -> None:
    items = ssp["system-implementation"]["inventory-items"]
    items[1]["uuid"] = items[0]["uuid"]


def _missing_title(ssp: dict[str, Any]) -> None:
    del ssp["metadata"]["title"]


def _finding() -> dict[str, Any]:
    poam = poam_from_results(nist(IFA_AR), "../3-implementation/ssp.oscal.xml")
    poam["plan-of-action-and-milestones"]["poam-items"][0]["related-findings"][0]["finding-uuid"] = UNKNOWN
    return poam


def _back_matter() -> dict[str, Any]:
    data = nist(SSP_EXAMPLE)
    data["system-security-plan"]["import-profile"]["href"] = f"#{UNKNOWN}"
    return data


def _ifa_catalog() -> dict[str, Any]:
    """The catalog NIST's IFA GoodRead SSP selects its control from (its profile is not among NIST's examples)."""
    params = [{"id": f"ac-06.01_odp.0{n}", "label": f"parameter {n}"} for n in range(1, 6)]
    return {
        "catalog": {
            "uuid": "9e5a5e2c-5d64-4b3e-8a3b-2f0e7a8f1c11",
            "metadata": {
                "title": "The control of IFA GoodRead",
                "last-modified": "2024-02-01T13:57:28-04:00",
                "version": "1",
                "oscal-version": "1.2.1",
            },
            "controls": [
                {
                    "id": "ac-6.1",
                    "title": "Authorize Access to Security Functions",
                    "params": params,
                    "parts": [
                        {"id": "ac-6.1_smt", "name": "statement", "prose": "Authorize access."},
                        {"id": "ac-6.1_obj", "name": "assessment-objective", "prose": "Access is authorized."},
                    ],
                }
            ],
        }
    }


def _ifa_profile() -> dict[str, Any]:
    return {
        "profile": {
            "uuid": "4a3f8b1e-2c6d-4e7f-9a1b-3c5d7e9f1a2b",
            "metadata": {
                "title": "IFA GoodRead baseline",
                "last-modified": "2024-02-01T13:57:28-04:00",
                "version": "1",
                "oscal-version": "1.2.1",
            },
            "imports": [{"href": "catalog.json", "include-all": {}}],
        }
    }


ON_POAM = {"AC.L2-3.1.8": "planned", "AU.L2-3.3.8": "partial"}
"""The requirements of the credible POA&M, as its SSP and results state them."""


def _cmmc_poam() -> dict[str, Any]:
    data = credible_poam()
    data["plan-of-action-and-milestones"]["import-ssp"] = {"href": "ssp.json"}
    return data


def _cmmc_plan() -> dict[str, Any]:
    data = nist(IFA_AP)
    data["assessment-plan"]["import-ssp"]["href"] = "ssp.json"
    return data


def _cmmc_results() -> dict[str, Any]:
    from oscal_poam.io.write import to_data

    data = to_data(builders.assessment_results(2, not_met=list(ON_POAM)))
    data["assessment-results"]["import-ap"]["href"] = "ap.json"
    return data


BROKEN: dict[str, tuple[Callable[[], dict[str, Any]], str]] = {
    # file: (document, the one rule it breaks)
    "4-assess/broken-related-observation.json": (lambda: _ar(_related_observation), "integrity-related-observation"),
    "4-assess/broken-related-risk.json": (lambda: _ar(_related_risk), "integrity-related-risk"),
    "4-assess/broken-subject.yaml": (lambda: _ar(_subject), "integrity-subject"),
    "4-assess/broken-origin-actor.json": (lambda: _ar(_observation_origin), "integrity-origin-actor"),
    "4-assess/moved/broken-import-ap.json": (lambda: nist(IFA_AR), "integrity-import-ap"),
    "poam/broken-related-finding.json": (_finding, "integrity-related-finding"),
    "poam/broken-import-ssp.json": (
        lambda: poam_from_results(nist(IFA_AR), "../ssp/missing.json"),
        "integrity-import-ssp",
    ),
    # NIST's constraints judge party, role and location references (with their imports); integrity the others
    "ssp/broken-party.json": (lambda: _ssp(_party), "oscal-index-metadata-party-uuid"),
    "ssp/broken-role.yaml": (lambda: _ssp(_role), "oscal-index-metadata-role-id"),
    "ssp/broken-responsible-role.json": (lambda: _ssp(_responsible_role), "integrity-responsible-role"),
    "ssp/broken-component.json": (lambda: _ssp(_component), "integrity-component"),
    "ssp/broken-location.json": (lambda: _ssp(_location), "oscal-index-metadata-location-uuid"),
    "ssp/broken-duplicate-uuid.xml": (lambda: _ssp(_duplicate), "integrity-duplicate-uuid"),
    "ssp/broken-back-matter.yaml": (_back_matter, "integrity-back-matter-resource"),
    "ssp/broken-model.json": (lambda: _ssp(_missing_title), "validate-model"),
    "cmmc/broken-poam-no-root-cause.yaml": (
        lambda: changed(_cmmc_poam(), "/plan-of-action-and-milestones/poam-items/1/props/1", DELETE),
        "credibility-root-cause",
    ),
    "cmmc/broken-ssp-missing-requirement.json": (
        lambda: cmmc_ssp(ON_POAM, omit=("AC.L2-3.1.1",)),
        "ssp-requirement-missing",
    ),
}


def _poam_of_broken_ssp() -> dict[str, Any]:
    data = credible_poam()
    data["plan-of-action-and-milestones"]["import-ssp"] = {"href": "../broken-ssp-missing-requirement.json"}
    return data


IMPORTING: dict[str, tuple[Callable[[], dict[str, Any]], str]] = {
    # right in themselves, importing a broken document: what check finds in the import is reported once, there
    "cmmc/with-broken-ssp/poam.json": (_poam_of_broken_ssp, "cmmc/broken-ssp-missing-requirement.json"),
}

NOTED: dict[str, tuple[Callable[[], dict[str, Any]], str]] = {
    # documents that are right and still get one diagnostic: a Conditional status is worth knowing
    "cmmc/ar.json": (_cmmc_results, "eligibility-conditional"),
}

UNCHECKED_IDS = {
    # documents whose catalog cannot be reached: NIST's SSP examples (and the CMMC SSP built from one) link their
    # baseline in back matter to NIST's site by a path out of the repository; what imports them is told so too
    "ssp/ssp-example.json",
    "ssp/leveraged.xml",
    "cmmc/ssp.json",
    "cmmc/broken-ssp-missing-requirement.json",
    "cmmc/ap.json",
    "cmmc/ar.json",
}
"""Files that also get `reference-import-unreachable` (a warning, or an info where an import stops the chain)."""

INTACT_BUILT: dict[str, Callable[[], dict[str, Any]]] = {
    "poam/poam.json": lambda: poam_from_results(nist(IFA_AR), "../3-implementation/ssp.oscal.xml"),
    "ssp/ifa-ssp.yaml": lambda: nist(IFA_SSP),
    "cmmc/ssp.json": lambda: cmmc_ssp(ON_POAM),
    "cmmc/ap.json": _cmmc_plan,
    "cmmc/poam.json": _cmmc_poam,
    "select/profile.oscal.json": _ifa_profile,
    "select/catalog.json": _ifa_catalog,
}

RAW: dict[str, tuple[str, str | None]] = {
    # file: (bytes, the rule it gives or None)
    "broken/truncated.json": ('{"catalog": {"uuid": "x",\n  "metadata": ', "validate-model"),
    "broken/tabs.yaml": ("catalog:\n\tuuid: x\n", "validate-model"),
    "broken/unclosed.xml": ('<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0">\n<metadata>\n', "validate-model"),
    "other/package.json": ('{"name": "site", "version": "1.0.0", "private": true}\n', "validate-not-oscal"),
    "other/list.json": ("[1, 2, 3]\n", "validate-not-oscal"),
    "other/mkdocs.yml": ("site_name: Compliance\nnav:\n  - index.md\n", "validate-not-oscal"),
    "other/pom.xml": (
        '<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"/>\n',
        "validate-not-oscal",
    ),
    "other/notes.txt": ("not a candidate: the suffix is not json, yaml, yml or xml\n", None),
    # never walked into: hidden folders and tool folders
    ".hidden/broken.json": ("{", None),
    "node_modules/pkg/broken.json": ("{", None),
    # excluded by the tests that pass --exclude 'drafts/'
    "drafts/draft.json": ("{", "validate-model"),
}

EXPECTED: set[tuple[str, str]] = {
    *((name, "reference-import-unreachable") for name in UNCHECKED_IDS),
    *((name, rule_id) for name, (_, rule_id) in BROKEN.items()),
    *((name, rule_id) for name, (_, rule_id) in NOTED.items()),
    *((name, rule_id) for name, (_, rule_id) in RAW.items() if rule_id is not None),
}

CANDIDATES = sorted(
    {
        *COPIED,
        *BROKEN,
        *NOTED,
        *IMPORTING,
        *INTACT_BUILT,
        *(n for n in RAW if not n.startswith((".", "node_modules")) and "txt" not in n),
    }
)


def write(path: Path, data: dict[str, Any]) -> None:
    """Write `data` in the format the suffix names (XML through the project's own writer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".json":
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    elif path.suffix in (".yaml", ".yml"):
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    else:
        from oscal_poam.io.xml import dump_xml

        path.write_bytes(dump_xml(data))


def build(root: Path) -> Path:
    for name, source in COPIED.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(OSCAL_CONTENT / source, target)
    for name, (make, _) in [*BROKEN.items(), *NOTED.items(), *IMPORTING.items()]:
        write(root / name, make())
    for name, make_intact in INTACT_BUILT.items():
        write(root / name, make_intact())
    for name, (text, _) in RAW.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root
