"""oscal_poam.cmmc.profiles: profiles resolve offline, leaving nothing behind."""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.catalog import catalog
from oscal_poam.cmmc.profiles import resolve_profile
from oscal_poam.errors import LoadError
from oscal_poam.io.models import text
from tests.conftest import ROOT

PROFILES = ROOT / "profiles"


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """No network; cwd, home and the temporary folder are empty folders of their own."""

    def refuse(*args: object, **kwargs: object) -> Any:
        raise NetworkUsed("a socket was opened")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    places = {name: tmp_path / name for name in ("cwd", "home", "tmp", "docs")}
    for place in places.values():
        place.mkdir()
    monkeypatch.chdir(places["cwd"])
    monkeypatch.setenv("HOME", str(places["home"]))
    monkeypatch.setattr(tempfile, "tempdir", str(places["tmp"]))
    return places


def assert_left_nothing(places: dict[str, Path]) -> None:
    for name in ("cwd", "home", "tmp"):
        assert list(places[name].iterdir()) == [], name


def control_ids(resolved: Any) -> list[str]:
    return [c.id for group in resolved.groups or [] for c in group.controls or []] + [
        c.id for c in resolved.controls or []
    ]


@pytest.mark.parametrize("level", [1, 2, 3])
def test_shipped_profile_resolves_offline_to_its_catalog(level: int, sealed: dict[str, Path]) -> None:
    resolved = resolve_profile(PROFILES / f"cmmc-level{level}-profile.json")
    # trestle orders groups by id, and controls within a group by their sort-id
    groups = {g.id: [c.id for c in g.controls] for g in resolved.groups}
    assert sorted(groups) == sorted(code.lower() for code, _ in catalog(level).families())
    for code, _ in catalog(level).families():
        assert groups[code.lower()] == [r.control_id for r in catalog(level).requirements if r.family == code]
    assert_left_nothing(sealed)


def test_resolved_level2_keeps_points_and_objectives(sealed: dict[str, Path]) -> None:
    resolved = resolve_profile(PROFILES / "cmmc-level2-profile.json")
    controls = {c.id: c for group in resolved.groups for c in group.controls}
    assert len(controls) == 110
    for requirement in catalog(2).requirements:
        control = controls[requirement.control_id]
        points = vocab.prop_value(control.props, vocab.POINTS)
        assert points == (None if requirement.points is None else str(requirement.points))
        objectives = [p.id for p in control.parts if p.name == "assessment-objective"]
        assert objectives == [o.id for o in requirement.objectives]
    assert sum(len(c.parts) - 1 for c in controls.values()) == 320
    assert_left_nothing(sealed)


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def profile_data(uuid: str, imports: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "profile": {
            "uuid": uuid,
            "metadata": {
                "title": "Test profile",
                "last-modified": "2026-01-01T00:00:00Z",
                "version": "1",
                "oscal-version": "1.2.1",
            },
            "imports": imports,
            **extra,
        }
    }


def test_relative_hrefs_follow_the_importing_document(sealed: dict[str, Path]) -> None:
    docs = sealed["docs"]
    shutil.copy(ROOT / "catalogs" / "cmmc-level3-catalog.json", docs / "level3.json")
    inner = write_json(
        docs / "inner" / "selection.json",
        profile_data(
            "4a1c7a8e-1111-4f5e-9c1d-000000000001",
            [{"href": "../level3.json", "include-controls": [{"with-ids": ["ac.l3-3.1.2e", "si.l3-3.14.6e"]}]}],
        ),
    )
    outer = docs / "outer" / "profile.yaml"
    outer.parent.mkdir()
    outer.write_text(
        yaml.safe_dump(
            profile_data(
                "4a1c7a8e-1111-4f5e-9c1d-000000000002",
                [{"href": "../inner/selection.json", "include-all": {}}],
            )
        )
    )
    before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    resolved = resolve_profile(outer)
    assert sorted(control_ids(resolved)) == ["ac.l3-3.1.2e", "si.l3-3.14.6e"]
    assert {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()} == before  # inputs untouched
    assert inner.is_file()
    assert_left_nothing(sealed)


def test_back_matter_import(sealed: dict[str, Path]) -> None:
    docs = sealed["docs"]
    shutil.copy(ROOT / "catalogs" / "cmmc-level1-catalog.json", docs / "level1.json")
    resource = "4a1c7a8e-1111-4f5e-9c1d-0000000000aa"
    profile = write_json(
        docs / "p.json",
        profile_data(
            "4a1c7a8e-1111-4f5e-9c1d-000000000003",
            [{"href": f"#{resource}", "include-all": {}}],
            **{"back-matter": {"resources": [{"uuid": resource, "rlinks": [{"href": "level1.json"}]}]}},
        ),
    )
    assert len(control_ids(resolve_profile(profile))) == 15
    assert_left_nothing(sealed)


@pytest.mark.parametrize(
    "href",
    [
        "https://raw.githubusercontent.com/usnistgov/oscal-content/main/catalog.json",
        "sftp://example.com/catalog.json",
        "trestle://catalogs/x/catalog.json",
    ],
)
def test_remote_import_is_refused_before_any_fetch(href: str, sealed: dict[str, Path]) -> None:
    profile = write_json(
        sealed["docs"] / "remote.json",
        profile_data("4a1c7a8e-1111-4f5e-9c1d-000000000004", [{"href": href, "include-all": {}}]),
    )
    with pytest.raises(LoadError) as caught:
        resolve_profile(profile)
    (problem,) = caught.value.problems
    assert problem.pointer == "/profile/imports/0/href"
    assert "not a local file" in problem.message
    assert_left_nothing(sealed)


def test_missing_import_names_the_place(sealed: dict[str, Path]) -> None:
    profile = write_json(
        sealed["docs"] / "missing.json",
        profile_data("4a1c7a8e-1111-4f5e-9c1d-000000000005", [{"href": "nowhere.json", "include-all": {}}]),
    )
    with pytest.raises(LoadError) as caught:
        resolve_profile(profile)
    (problem,) = caught.value.problems
    assert problem.file == str(profile)
    assert problem.pointer == "/profile/imports/0/href"
    assert "not a file" in problem.message
    assert_left_nothing(sealed)


def test_cycle_is_an_error(sealed: dict[str, Path]) -> None:
    docs = sealed["docs"]
    write_json(
        docs / "a.json", profile_data("4a1c7a8e-1111-4f5e-9c1d-00000000000a", [{"href": "b.json", "include-all": {}}])
    )
    write_json(
        docs / "b.json", profile_data("4a1c7a8e-1111-4f5e-9c1d-00000000000b", [{"href": "a.json", "include-all": {}}])
    )
    with pytest.raises(LoadError, match="circular"):
        resolve_profile(docs / "a.json")
    assert_left_nothing(sealed)


def test_a_catalog_is_not_a_profile(sealed: dict[str, Path]) -> None:
    with pytest.raises(LoadError, match="expected a profile"):
        resolve_profile(ROOT / "catalogs" / "cmmc-level1-catalog.json")


def test_resolved_title_is_the_profiles() -> None:
    resolved = resolve_profile(PROFILES / "cmmc-level3-profile.json")
    assert text(resolved.metadata.title) == "CMMC Level 3 Profile"
