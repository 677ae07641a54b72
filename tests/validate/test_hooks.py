"""The pre-commit hook runs the `validate` command of the installed console script on JSON, YAML and XML files."""

from __future__ import annotations

import re
import tomllib

import yaml
from typer.testing import CliRunner

from oscal_poam.cli.app import app
from tests.conftest import ROOT


def test_the_hook_names_the_console_script_and_the_validate_command() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "oscal-poam-validate"
    assert hook["language"] == "python"
    assert set(hook["types_or"]) == {"json", "yaml", "xml"}
    assert hook["pass_filenames"] is True
    script, command = hook["entry"].split()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts[script] == "oscal_poam.cli.app:main"
    assert CliRunner().invoke(app, [command, "--help"]).exit_code == 0


def test_the_readme_documents_the_hook_and_a_ci_job() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "id: oscal-poam-validate" in readme
    assert "upload-sarif" in readme
    assert "oscal-poam validate . --format sarif" in readme


def test_the_readme_hook_is_the_published_one_run_from_path() -> None:
    """The README's `repo: local` hook runs what .pre-commit-hooks.yaml publishes, and names no made-up repository."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(repos:\n.*?)```", readme, re.DOTALL)
    assert block is not None
    (repo,) = yaml.safe_load(block.group(1))["repos"]
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    (published,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for key in ("id", "name", "entry", "types_or", "require_serial"):
        assert hook[key] == published[key], key
    assert not re.search(r"github\.com/(OWNER|USER|your)", readme, re.IGNORECASE)
