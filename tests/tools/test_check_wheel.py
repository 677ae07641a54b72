"""The wheel carries the shipped catalogs and profiles and NIST's schemas inside the package, where
oscal_poam.resources looks, and the py.typed marker; the reference material and the tests stay out of it."""

from __future__ import annotations

from pathlib import Path

from tools import check_wheel


def test_the_wheel_carries_the_shipped_documents(tmp_path: Path) -> None:
    wanted = check_wheel.expected_members()
    # six catalogs and profiles, Prowler's mapping and its notice; and NIST's schemas
    assert len([m for m in wanted if "/schemas/" not in m]) == 8
    assert "oscal_poam/catalogs/mappings/prowler-nist-800-171-rev2-aws.json" in wanted
    assert {"oscal_poam/schemas/xml/oscal_poam_schema.xsd", "oscal_poam/schemas/json/oscal_ssp_schema.json"} <= wanted
    members = check_wheel.wheel_members(check_wheel.build_wheel(tmp_path))
    assert wanted <= members
    assert "oscal_poam/cmmc/catalog.py" in members
    assert "oscal_poam/py.typed" in members  # users' type checkers read our hints
    assert not any(m.startswith(("reference/", "tests/", "tools/")) for m in members)
    assert not any(m.startswith(("catalogs/", "profiles/")) for m in members)  # only inside the package
