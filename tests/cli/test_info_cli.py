"""`oscal-poam info` and the exit codes of the command line."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import OSCAL_CONTENT

AR = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oscal_poam.cli.app", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_version() -> None:
    from oscal_poam import __version__

    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"oscal-poam {__version__}"


def test_info_json_reports_model_and_counts() -> None:
    result = run("info", str(AR), "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["model"] == "assessment-results"
    assert summary["oscal-version"] == "1.1.2"
    assert summary["last-modified"] == "2024-02-01T13:57:28.355446-04:00"
    assert summary["counts"]["findings"] == 1
    assert summary["counts"]["observations"] == 2


def test_info_text_shows_the_title() -> None:
    result = run("info", str(AR))
    assert result.returncode == 0
    assert "IFA GoodRead Continuous Monitoring" in result.stdout


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.json", b"", "empty.json:1: error file is empty"),
        ("broken.json", b'{"catalog": ', "broken.json:1:13: error invalid JSON"),
        ("broken.yaml", b"a: [b\n", "broken.yaml:2:1: error invalid YAML"),
        ("other.json", b'{"name": "x"}', "other.json:1:1: error not an OSCAL document"),
        ("bad.json", b'{"catalog": {"uuid": "x"}}', "bad.json:1:14: error uuid: 'x'"),
    ],
)
def test_bad_input_exits_3_with_a_message_and_leaves_everything_as_it_was(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = hashlib.sha256(content).hexdigest()
    result = run("info", str(path), cwd=tmp_path)
    assert result.returncode == 3
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_missing_file_exits_3(tmp_path: Path) -> None:
    result = run("info", str(tmp_path / "absent.json"))
    assert result.returncode == 3
    assert "absent.json: error file not found" in result.stderr


def test_usage_error_exits_2() -> None:
    result = run("info")
    assert result.returncode == 2
