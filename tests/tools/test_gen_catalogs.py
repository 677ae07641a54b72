"""tools/gen_catalogs.py: the shipped catalogs and profiles are generated, deterministic and schema-valid."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from oscal_poam.io.load import load
from oscal_poam.io.models import text
from tests.conftest import CMMC_REFERENCE, ROOT, SCHEMAS
from tools import gen_catalogs

CATALOGS = [ROOT / "catalogs" / f"cmmc-level{level}-catalog.json" for level in (1, 2, 3)]
PROFILES = [ROOT / "profiles" / f"cmmc-level{level}-profile.json" for level in (1, 2, 3)]


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_catalogs.py"), *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def generated() -> dict[str, bytes]:
    return gen_catalogs.generate(CMMC_REFERENCE)


@pytest.fixture(scope="module")
def catalog_validator() -> Any:
    return jsonschema_rs.validator_for(json.loads((SCHEMAS / "json" / "oscal_catalog_schema.json").read_text()))


@pytest.fixture(scope="module")
def profile_validator() -> Any:
    return jsonschema_rs.validator_for(json.loads((SCHEMAS / "json" / "oscal_profile_schema.json").read_text()))


def test_generates_the_six_documents_in_json_and_xml(generated: dict[str, bytes]) -> None:
    expected = [p.with_suffix(suffix) for p in CATALOGS + PROFILES for suffix in (".json", ".xml")]
    assert sorted(generated) == sorted(str(p.relative_to(ROOT)) for p in expected)


def test_committed_files_are_up_to_date() -> None:
    result = run_tool("--check")
    assert result.returncode == 0, result.stderr


def test_generation_is_deterministic(tmp_path: Path, generated: dict[str, bytes]) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert gen_catalogs.main(["--out", str(first)]) == 0
    assert gen_catalogs.main(["--out", str(second)]) == 0
    for name, data in generated.items():
        assert (first / name).read_bytes() == data
        assert (second / name).read_bytes() == data
        assert (ROOT / name).read_bytes() == data


def test_rerun_writes_nothing(tmp_path: Path) -> None:
    assert gen_catalogs.main(["--out", str(tmp_path)]) == 0
    mtimes = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.json")}
    result = run_tool("--out", str(tmp_path))
    assert result.returncode == 0
    assert result.stdout == ""
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.json")} == mtimes


def test_check_reports_a_changed_and_a_missing_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "catalogs", tmp_path / "catalogs")
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    assert run_tool("--check", "--out", str(tmp_path)).returncode == 0

    level2 = tmp_path / "catalogs" / "cmmc-level2-catalog.json"
    level2.write_bytes(level2.read_bytes().replace(b'"value": "5"', b'"value": "4"', 1))
    (tmp_path / "profiles" / "cmmc-level3-profile.json").unlink()
    result = run_tool("--check", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "catalogs/cmmc-level2-catalog.json" in result.stderr
    assert "profiles/cmmc-level3-profile.json" in result.stderr
    assert "cmmc-level1-catalog.json" not in result.stderr
    assert not (tmp_path / "profiles" / "cmmc-level3-profile.json").exists()  # --check writes nothing


def test_missing_source_is_an_error(tmp_path: Path) -> None:
    result = run_tool("--source", str(tmp_path / "nowhere"), "--out", str(tmp_path))
    assert result.returncode == 2
    assert "l2_requirements.csv" in result.stderr or "l1_requirements.csv" in result.stderr
    assert not (tmp_path / "catalogs").exists()


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.name)
def test_catalog_is_schema_valid(path: Path, catalog_validator: Any) -> None:
    errors = [str(e) for e in catalog_validator.iter_errors(json.loads(path.read_text()))]
    assert errors == []


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.name)
def test_profile_is_schema_valid(path: Path, profile_validator: Any) -> None:
    errors = [str(e) for e in profile_validator.iter_errors(json.loads(path.read_text()))]
    assert errors == []


def test_schema_validation_would_catch_a_bad_id(catalog_validator: Any) -> None:
    data = json.loads(CATALOGS[0].read_text())
    data["catalog"]["groups"][0]["controls"][0]["id"] = "AC L1 b.1.i"
    assert list(catalog_validator.iter_errors(data))


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.name)
def test_catalog_loads_as_a_catalog(path: Path) -> None:
    document = load(path, expect="catalog")
    assert document.kind.root_key == "catalog"
    assert text(document.model.metadata.oscal_version) == "1.2.1"
    controls = [c for group in document.model.groups for c in group.controls]
    assert len(controls) == {"1": 15, "2": 110, "3": 24}[path.name.removeprefix("cmmc-level")[0]]


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.name)
def test_profile_imports_its_catalog_by_relative_href(path: Path) -> None:
    document = load(path, expect="profile")
    (only,) = document.model.imports
    level = path.name.removeprefix("cmmc-level")[0]
    assert only.href == f"../catalogs/cmmc-level{level}-catalog.json"
    assert (path.parent / only.href).resolve() == ROOT / "catalogs" / f"cmmc-level{level}-catalog.json"
    assert only.include_all is not None


def test_uuids_are_stable_and_distinct() -> None:
    uuids = [
        json.loads(p.read_text())[key]["uuid"]
        for p, key in [(c, "catalog") for c in CATALOGS] + [(p, "profile") for p in PROFILES]
    ]
    assert len(set(uuids)) == 6
    assert uuids[1] == gen_catalogs.build_catalog(2, CMMC_REFERENCE).uuid


def test_back_matter_cites_the_sources() -> None:
    wanted = {
        1: {"32 CFR 170.14", "32 CFR 170.21", "32 CFR 170.24", "FAR 52.204-21", "NIST SP 800-171 Rev. 2"},
        2: {"32 CFR 170.14", "32 CFR 170.21", "32 CFR 170.24", "NIST SP 800-171 Rev. 2", "NIST SP 800-171A"},
        3: {"32 CFR 170.14", "32 CFR 170.21", "32 CFR 170.24", "NIST SP 800-172"},
    }
    for level, path in zip((1, 2, 3), CATALOGS, strict=True):
        resources = json.loads(path.read_text())["catalog"]["back-matter"]["resources"]
        titles = [r["title"] for r in resources]
        for source in wanted[level]:
            assert any(t.startswith(source + ",") or t.startswith(source + " ") for t in titles), (level, source)
        assert all(r["rlinks"][0]["href"].startswith("https://") for r in resources)
        links = json.loads(path.read_text())["catalog"]["metadata"]["links"]
        assert sorted(link["href"] for link in links) == sorted(f"#{r['uuid']}" for r in resources)


def test_sort_ids_sort_as_the_numbers_do() -> None:
    assert gen_catalogs.sort_id("3.1.2") < gen_catalogs.sort_id("3.1.10")
    assert gen_catalogs.sort_id("3.14.6e") == "03.14.06e"
    numerals = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]
    assert [gen_catalogs.sort_id(f"b.1.{n}") for n in numerals] == [f"b.1.{i:02d}" for i in range(1, 16)]
