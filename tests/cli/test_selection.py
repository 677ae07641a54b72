"""Rule selection as linters do it: `--select`/`--ignore` by id, family or id prefix on every command that runs
rules, and the same settings in `.oscal-poam.toml` or `pyproject.toml` (`[tool.oscal-poam]`), found from the working
folder upward."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.config import ConfigError, find_settings
from oscal_poam.engine.inputs import Selection
from tests.cli_runner import run_main
from tests.derive.conftest import EXAMPLES

CONDITIONAL = EXAMPLES / "l2-conditional"
AS_OF = "2026-10-16"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example's POA&M, SSP and results in a repository folder, the working folder a level below it."""
    repo = tmp_path / "repo"
    shutil.copytree(CONDITIONAL, repo / "docs")
    monkeypatch.chdir(repo / "docs")
    return repo


def _rules(capsys: Any, monkeypatch: Any, *args: str) -> tuple[int, set[str]]:
    ran = run_main(capsys, monkeypatch, *args, "--format", "json")
    assert ran.returncode in (0, 1), ran.stderr
    payload = json.loads(ran.stdout)
    return ran.returncode, {d["rule-id"] for d in payload["diagnostics"]}


CHECK = ("check", "poam.json", "--results", "assessment-results.json", "--as-of", AS_OF)


def test_by_id_family_and_prefix(folder: Path, capsys: Any, monkeypatch: Any) -> None:
    _, every = _rules(capsys, monkeypatch, *CHECK)
    assert {"credibility-root-cause", "credibility-milestone-count", "credibility-owner-missing"} <= every
    _, only = _rules(capsys, monkeypatch, *CHECK, "--select", "credibility-root-cause")
    assert only == {"credibility-root-cause"}
    _, family = _rules(capsys, monkeypatch, *CHECK, "--ignore", "credibility")
    assert family and not any(r.startswith("credibility-") for r in family)
    _, prefix = _rules(capsys, monkeypatch, *CHECK, "--select", "credibility-milestone,credibility-owner")
    assert prefix == {"credibility-milestone-count", "credibility-owner-missing"}
    _, both = _rules(capsys, monkeypatch, *CHECK, "--select", "credibility", "--ignore", "credibility-root-cause")
    assert both == every & {r for r in every if r.startswith("credibility-")} - {"credibility-root-cause"}


def test_an_ignored_error_does_not_fail_the_run_and_the_verdict_stands(capsys: Any, monkeypatch: Any) -> None:
    folder = EXAMPLES / "l2-not-eligible"
    args = ("score", str(folder / "assessment-results.json"))
    failed = run_main(capsys, monkeypatch, *args)
    assert failed.returncode == 1
    ignored = run_main(capsys, monkeypatch, *args, "--ignore", "eligibility")
    assert ignored.returncode == 0
    assert "Verdict: No CMMC status" in ignored.stdout  # selection hides diagnostics, never changes a verdict


@pytest.mark.parametrize(
    "command",
    [
        ("derive", "--ssp", "ssp.json", "--results", "assessment-results.json", "-o", "new.json", "--as-of", AS_OF),
        ("check", "poam.json", "--as-of", AS_OF),
        ("score", "assessment-results.json"),
        ("validate", "poam.json", "--as-of", AS_OF),
    ],
    ids=lambda c: c[0],
)
def test_every_command_that_runs_rules_selects(
    command: tuple[str, ...], folder: Path, capsys: Any, monkeypatch: Any
) -> None:
    _, found = _rules(capsys, monkeypatch, *command, "--select", "eligibility-conditional,credibility-root-cause")
    assert found and found <= {"eligibility-conditional", "credibility-root-cause"}


def test_the_configuration_file_is_found_upward_and_the_command_line_overrides_it(
    folder: Path, capsys: Any, monkeypatch: Any
) -> None:
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "docs"\n\n[tool.oscal-poam]\n'
        'select = ["credibility"]\nignore = ["credibility-root-cause"]\n',
        encoding="utf-8",
    )
    _, found = _rules(capsys, monkeypatch, *CHECK)
    assert found and all(r.startswith("credibility-") for r in found) and "credibility-root-cause" not in found
    _, replaced = _rules(capsys, monkeypatch, *CHECK, "--select", "credibility-root-cause,credibility-resources")
    assert replaced == {"credibility-resources"}  # --select replaces the file's select; its ignore still holds
    # a .oscal-poam.toml nearer the working folder decides
    (folder / "docs" / ".oscal-poam.toml").write_text('ignore = ["credibility-resources"]\n', encoding="utf-8")
    _, nearer = _rules(capsys, monkeypatch, *CHECK)
    assert "credibility-root-cause" in nearer and "credibility-resources" not in nearer


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / ".oscal-poam.toml").write_text('select = ["integrity"]\n', encoding="utf-8")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    found = find_settings(inner)
    assert (found.select, found.source) == (("integrity",), tmp_path / ".oscal-poam.toml")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("select = 'integrity'\n", "select is not a list of rule ids or families"),
        ("colour = ['blue']\n", "holds 'colour', which is not a setting"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_a_bad_configuration_file_is_a_usage_error(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / ".oscal-poam.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        find_settings(tmp_path)


@pytest.mark.parametrize("where", ["--select", "--ignore", "file"])
def test_an_unknown_selector_is_a_usage_error(where: str, folder: Path, capsys: Any, monkeypatch: Any) -> None:
    args: list[str] = []
    if where == "file":
        (folder / ".oscal-poam.toml").write_text('ignore = ["credibilty"]\n', encoding="utf-8")
    else:
        args = [where, "credibilty"]
    ran = run_main(capsys, monkeypatch, *CHECK, *args)
    assert ran.returncode == 2
    assert "'credibilty' names no rule, family or id prefix; docs/rules.md lists them" in " ".join(ran.stderr.split())


def test_all_names_every_rule() -> None:
    assert Selection(("ALL",)).wants("credibility-root-cause", "credibility")
    assert not Selection(("ALL",), ("credibility",)).wants("credibility-root-cause", "credibility")
    assert not Selection(("credibility-mile",)).wants("credibility-milestone-count", "credibility")  # not a whole part
