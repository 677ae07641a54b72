"""`oscal-poam trend` and `oscal-poam portfolio --history` from the command line, on a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import Runner, run_main


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    return lambda *args: run_main(capsys, monkeypatch, *args)


def test_trend_and_portfolio_with_history(cli: Runner, consultant: Path, tmp_path: Path) -> None:
    page = tmp_path / "trend.html"
    ran = cli("trend", str(consultant), "-o", str(page), "--as-of", "2026-12-31")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == f"Wrote {page}: 3 systems, 15 versions, 2 milestone slips.\n"
    assert "Alpha Enclave" in page.read_text(encoding="utf-8")
    data = json.loads(cli("trend", str(consultant), "-o", "-", "-f", "json", "--as-of", "2026-12-31").stdout)
    assert data["time-to-remediate"]["median-days"] == 119
    both = tmp_path / "portfolio.json"
    ran = cli("portfolio", str(consultant), "--history", "-o", str(both), "--no-reports", "--as-of", "2026-12-31")
    assert ran.returncode == 0, ran.stderr
    joined = json.loads(both.read_text(encoding="utf-8"))
    assert len(joined["rows"]) == 3 and joined["history"]["time-to-remediate"]["mean-days"] == 116.8
    no_history = cli("trend", str(tmp_path), "-o", str(tmp_path / "t.html"))
    assert no_history.returncode == 2 and "neither in a git work tree nor a folder of dated copies" in no_history.stderr
