"""Integrity: each rule fires on the one place a NIST example was broken, and nowhere on the intact examples."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.diagnostics import Diagnostic
from oscal_poam.io.boundary import reading_roots
from oscal_poam.io.load import Document, decode, validate
from oscal_poam.rules.integrity import index, integrity
from tests.nist_docs import CATALOG, IFA_AP, IFA_AR, IFA_SSP, SSP_EXAMPLE, nist, poam_from_results

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def _run(data: dict[str, Any], path: Path) -> list[Diagnostic]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    fmt, raw, lines = decode(path.read_bytes(), str(path))
    kind, model = validate(raw, str(path))
    doc = Document(kind=kind, model=model, format=fmt, source=str(path), path=path, lines=lines)
    return integrity(doc, data=raw)


def _lay_out(folder: Path) -> Path:
    """The IFA GoodRead documents laid out so that their own import hrefs resolve."""
    (folder / "3-implementation").mkdir()
    (folder / "4-assess").mkdir()
    # import hrefs name .xml files; content decides the format, so the JSON examples stand in for them here
    (folder / "3-implementation" / "ssp.oscal.xml").write_text(json.dumps(nist(IFA_SSP)), encoding="utf-8")
    (folder / "4-assess" / "ap.oscal.xml").write_text(json.dumps(nist(IFA_AP)), encoding="utf-8")
    return folder


@pytest.fixture()
def repo(tmp_path: Path) -> Iterator[Path]:
    """The laid-out documents, their folder the repository documents may read files in."""
    with reading_roots([_lay_out(tmp_path)]):
        yield tmp_path


@pytest.mark.parametrize("doc", [IFA_SSP, SSP_EXAMPLE, CATALOG], ids=lambda d: d[1])
def test_intact_examples_without_imports_are_clean(doc: tuple[str, str], tmp_path: Path) -> None:
    assert _run(nist(doc), tmp_path / "doc.json") == []


def test_results_whose_import_chain_resolves_are_clean(repo: Path) -> None:
    assert _run(nist(IFA_AR), repo / "4-assess" / "ar.json") == []


def test_a_missing_import_is_reported_at_its_href(tmp_path: Path) -> None:
    found = _run(nist(IFA_AR), tmp_path / "ar.json")
    assert [(d.rule_id, d.pointer, d.subject) for d in found] == [
        ("integrity-import-ap", "/assessment-results/import-ap/href", "./ap.oscal.xml")
    ]


def test_an_import_of_the_wrong_model_is_reported(repo: Path) -> None:
    ar = nist(IFA_AR)
    ar["assessment-results"]["import-ap"]["href"] = "../3-implementation/ssp.oscal.xml"
    found = _run(ar, repo / "4-assess" / "ar.json")
    assert [d.rule_id for d in found] == ["integrity-import-ap"]
    assert found[0].message.endswith("names a system security plan, not an assessment plan")


def test_remote_imports_are_not_followed_and_leave_cross_references_unjudged(tmp_path: Path) -> None:
    ar = nist(IFA_AR)
    ar["assessment-results"]["import-ap"]["href"] = "https://example.com/ap.json"
    ar["assessment-results"]["results"][0]["observations"][0]["subjects"][0]["subject-uuid"] = UNKNOWN
    found = _run(ar, tmp_path / "ar.json")
    assert [(d.rule_id, d.severity.value, d.pointer) for d in found] == [
        ("integrity-not-followed", "info", "/assessment-results/import-ap/href")
    ]
    assert found[0].message == "import-ap href 'https://example.com/ap.json': a remote document: not fetched"


def test_an_import_outside_the_documents_folder_is_not_followed_without_a_root(tmp_path: Path) -> None:
    """With no roots set for the run, a document may name files in its own folder only."""
    poam = poam_from_results(nist(IFA_AR), "../3-implementation/ssp.oscal.xml")
    found = _run(poam, _lay_out(tmp_path) / "poam" / "p.json")
    assert [(d.rule_id, d.severity.value) for d in found] == [("integrity-not-followed", "warning")]
    href = "'../3-implementation/ssp.oscal.xml'"
    assert found[0].message == f"import-ssp href {href}: outside the repository: not followed"


Mutation = Callable[[dict[str, Any]], str]


def _ar(mutate: Callable[[dict[str, Any]], None]) -> Callable[[], dict[str, Any]]:
    def build() -> dict[str, Any]:
        data = nist(IFA_AR)
        mutate(data["assessment-results"]["results"][0])
        return data

    return build


def _ssp(mutate: Callable[[dict[str, Any]], None]) -> Callable[[], dict[str, Any]]:
    def build() -> dict[str, Any]:
        data = nist(IFA_SSP)
        mutate(data["system-security-plan"])
        return data

    return build


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(node: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        target: Any = node
        for step in parents:
            target = target[int(step)] if isinstance(target, list) else target[step]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


def _poam_with_finding(value: str) -> dict[str, Any]:
    poam = poam_from_results(nist(IFA_AR), "../3-implementation/ssp.oscal.xml")
    poam["plan-of-action-and-milestones"]["poam-items"][0]["related-findings"][0]["finding-uuid"] = value
    return poam


def _add_origin(actor_type: str, actor_uuid: str) -> Callable[[dict[str, Any]], None]:
    def mutate(result: dict[str, Any]) -> None:
        result["observations"][0]["origins"] = [{"actors": [{"type": actor_type, "actor-uuid": actor_uuid}]}]

    return mutate


def _leveraged_authorization(ssp: dict[str, Any]) -> None:
    ssp["system-implementation"]["leveraged-authorizations"] = [
        {
            "uuid": "5b7e2f0a-8c1d-4e3f-9a2b-6c7d8e9f0a1b",
            "title": "A leveraged system",
            "party-uuid": UNKNOWN,
            "date-authorized": "2023-01-01",
        }
    ]


def _actor_role(result: dict[str, Any]) -> None:
    amy = "e7730080-71ce-4b20-bec4-84f33136fd58"
    result["observations"][0]["origins"] = [{"actors": [{"type": "party", "actor-uuid": amy, "role-id": "nobody"}]}]


def _ssp_back_matter_import(ssp: dict[str, Any]) -> None:
    ssp["import-profile"]["href"] = f"#{UNKNOWN}"


CASES: dict[str, tuple[Callable[[], dict[str, Any]], str, str]] = {
    # rule id: (broken document, where it lands in the repo, pointer of the one diagnostic)
    "integrity-related-observation": (
        _ar(_set("findings/0/related-observations/0/observation-uuid", UNKNOWN)),
        "4-assess/ar.json",
        "/assessment-results/results/0/findings/0/related-observations/0/observation-uuid",
    ),
    "integrity-related-risk": (
        _ar(_set("findings/0/related-risks/0/risk-uuid", UNKNOWN)),
        "4-assess/ar.json",
        "/assessment-results/results/0/findings/0/related-risks/0/risk-uuid",
    ),
    "integrity-related-finding": (
        lambda: _poam_with_finding(UNKNOWN),
        "poam/poam.json",
        "/plan-of-action-and-milestones/poam-items/0/related-findings/0/finding-uuid",
    ),
    "integrity-subject": (
        _ar(_set("observations/0/subjects/0/subject-uuid", UNKNOWN)),
        "4-assess/ar.json",
        "/assessment-results/results/0/observations/0/subjects/0/subject-uuid",
    ),
    "integrity-origin-actor": (
        _ar(_add_origin("party", UNKNOWN)),
        "4-assess/ar.json",
        "/assessment-results/results/0/observations/0/origins/0/actors/0/actor-uuid",
    ),
    # party-uuid, role-id and location-uuid fields, and responsible parties, are NIST's constraints' to judge
    "integrity-party": (
        _ssp(_leveraged_authorization),
        "ssp.json",
        "/system-security-plan/system-implementation/leveraged-authorizations/0/party-uuid",
    ),
    "integrity-role": (
        _ar(_actor_role),
        "4-assess/ar.json",
        "/assessment-results/results/0/observations/0/origins/0/actors/0/role-id",
    ),
    "integrity-responsible-role": (
        _ssp(_set("system-implementation/components/0/responsible-roles/0/role-id", "no-such-role")),
        "ssp.json",
        "/system-security-plan/system-implementation/components/0/responsible-roles/0/role-id",
    ),
    "integrity-component": (
        _ssp(_set("control-implementation/implemented-requirements/0/by-components/0/component-uuid", UNKNOWN)),
        "ssp.json",
        "/system-security-plan/control-implementation/implemented-requirements/0/by-components/0/component-uuid",
    ),
    "integrity-back-matter-resource": (
        _ssp(_ssp_back_matter_import),
        "ssp.json",
        "/system-security-plan/import-profile/href",
    ),
    "integrity-duplicate-uuid": (
        _ssp(_set("system-implementation/inventory-items/1/uuid", "4392599a-9117-416a-87d1-24c7d1b2dd0b")),
        "ssp.json",
        "/system-security-plan/system-implementation/inventory-items/1/uuid",
    ),
    "integrity-import-ssp": (
        lambda: poam_from_results(nist(IFA_AR), "../missing/ssp.json"),
        "poam/poam.json",
        "/plan-of-action-and-milestones/import-ssp/href",
    ),
    "integrity-import-ap": (
        _ar(lambda result: None),
        "4-assess/elsewhere/ar.json",
        "/assessment-results/import-ap/href",
    ),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_each_rule_fires_once_where_the_example_was_broken(rule_id: str, repo: Path) -> None:
    build, where, pointer = CASES[rule_id]
    found = _run(build(), repo / where)
    assert [(d.rule_id, d.pointer) for d in found] == [(rule_id, pointer)]
    assert found[0].document == str(repo / where)
    assert found[0].citation.startswith("OSCAL 1.2.1")


def test_references_nists_constraints_judge_are_not_judged_twice(repo: Path) -> None:
    """A party-uuid, role-id or location-uuid field, and a responsible party's role, are judged by NIST's
    constraints (index-has-key on index-metadata-*), once; integrity leaves them."""
    from oscal_poam.constraints import constraint_diagnostics

    def broken(ssp: dict[str, Any]) -> None:
        ssp["metadata"]["responsible-parties"][0]["party-uuids"][0] = UNKNOWN
        ssp["metadata"]["responsible-parties"][0]["role-id"] = "no-such-role"
        ssp["system-implementation"]["users"][0]["role-ids"][0] = "no-such-role"
        ssp["metadata"]["parties"][0]["location-uuids"] = [UNKNOWN]

    data = _ssp(broken)()
    assert _run(data, repo / "ssp.json") == []
    assert {d.rule_id for d in constraint_diagnostics(data, "ssp.json")} == {
        "oscal-index-metadata-party-uuid",
        "oscal-metadata-responsible-party-index-metadata-role-id",
        "oscal-index-metadata-role-id",
        "oscal-index-metadata-location-uuid",
    }


def test_the_intact_poam_is_clean(repo: Path) -> None:
    assert _run(poam_from_results(nist(IFA_AR), "../3-implementation/ssp.oscal.xml"), repo / "poam" / "p.json") == []


def test_an_origin_actor_of_a_known_party_resolves(repo: Path) -> None:
    amy = "e7730080-71ce-4b20-bec4-84f33136fd58"
    assert _run(_ar(_add_origin("party", amy))(), repo / "4-assess" / "ar.json") == []
    found = _run(_ar(_add_origin("tool", amy))(), repo / "4-assess" / "ar.json")
    assert [d.rule_id for d in found] == ["integrity-origin-actor"]


def test_a_subject_must_be_of_its_type(repo: Path) -> None:
    amy = "e7730080-71ce-4b20-bec4-84f33136fd58"
    found = _run(_ar(_set("observations/0/subjects/0/subject-uuid", amy))(), repo / "4-assess" / "ar.json")
    assert [d.rule_id for d in found] == ["integrity-subject"]


def test_a_duplicate_names_the_first_use() -> None:
    ssp = nist(IFA_SSP)
    items = ssp["system-security-plan"]["system-implementation"]["inventory-items"]
    items[2]["uuid"] = items[0]["uuid"]
    found = index(ssp).uuids[items[0]["uuid"]]
    assert found == [
        "/system-security-plan/system-implementation/inventory-items/0/uuid",
        "/system-security-plan/system-implementation/inventory-items/2/uuid",
    ]


def test_links_are_left_to_nists_constraints_with_their_scope_and_level(tmp_path: Path) -> None:
    """A control's related link that names nothing is NIST's warning (oscal-catalog-groups-controls-parts), not a
    back-matter error: resolved catalogs link to controls the baseline left out."""
    from oscal_poam.constraints import constraint_diagnostics

    catalog = nist(CATALOG)
    control = catalog["catalog"]["groups"][0]["groups"][0]["controls"][0]
    control.setdefault("links", []).append({"href": f"#{control['id']}", "rel": "related"})
    assert _run(catalog, tmp_path / "catalog.json") == []
    assert constraint_diagnostics(catalog, "catalog.json") == []
    control["links"][-1]["href"] = "#no-such-control"
    assert _run(catalog, tmp_path / "catalog.json") == []
    found = constraint_diagnostics(catalog, "catalog.json")
    assert [(d.rule_id, d.severity.value) for d in found] == [("oscal-catalog-groups-controls-parts", "warning")]
    # a reference link names a back-matter resource, an error wherever it stands
    ssp = nist(IFA_SSP)
    ssp["system-security-plan"]["metadata"]["links"] = [{"href": f"#{UNKNOWN}", "rel": "reference"}]
    assert _run(ssp, tmp_path / "ssp.json") == []
    found = constraint_diagnostics(ssp, "ssp.json")
    assert [(d.rule_id, d.severity.value, d.pointer) for d in found] == [
        (
            "oscal-metadata-link-reference-index-back-matter-resource",
            "error",
            "/system-security-plan/metadata/links/0/href",
        )
    ]


def test_yaml_diagnostics_carry_the_line(repo: Path) -> None:
    import yaml

    data = _ar(_set("findings/0/related-risks/0/risk-uuid", UNKNOWN))()
    path = repo / "4-assess" / "ar.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    fmt, raw, lines = decode(path.read_bytes(), str(path))
    kind, model = validate(raw, str(path))
    found = integrity(Document(kind, model, fmt, str(path), path, lines), data=raw)
    assert len(found) == 1
    assert found[0].line is not None
    assert f"risk-uuid: {UNKNOWN}" in path.read_text(encoding="utf-8").splitlines()[found[0].line - 1]


def test_without_raw_data_the_model_is_serialized(repo: Path) -> None:
    data = _ar(_set("findings/0/related-risks/0/risk-uuid", UNKNOWN))()
    path = repo / "4-assess" / "ar.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    kind, model = validate(data, str(path))
    found = integrity(Document(kind, model, "json", str(path), path))
    assert [d.rule_id for d in found] == ["integrity-related-risk"]
