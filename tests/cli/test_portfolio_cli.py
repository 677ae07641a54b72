"""`oscal-poam portfolio` from the command line: pages, reports beside them, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import Runner, run_main
from tests.portfolio.folders import clients


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    return lambda *args: run_main(capsys, monkeypatch, *args)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clients")
    clients(root)
    return root


def test_the_page_and_a_report_per_system(cli: Runner, folders: Path, tmp_path: Path) -> None:
    page = tmp_path / "out" / "portfolio.html"
    page.parent.mkdir()
    ran = cli("portfolio", str(folders), "-o", str(page), "--as-of", "2026-12-31")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith(f"Wrote {page}: 6 systems (1 expired, 2 Conditional, 1 no CMMC status")
    reports = sorted(p.name for p in (tmp_path / "out" / "portfolio-systems").iterdir())
    named = f"{folders.name}-{{}}-ssp-json.html"  # the folder given, then the system's path in it
    assert reports == [named.format(n) for n in ("expired", "later", "soon")]  # the systems with a POA&M
    html = page.read_text(encoding="utf-8")
    for name in reports:
        assert f'href="portfolio-systems/{name}"' in html
    soon = (tmp_path / "out" / "portfolio-systems" / named.format("soon")).read_text(encoding="utf-8")
    assert "Soon Enclave" in soon and "10 days left" in soon


def test_markdown_to_standard_output_and_json(cli: Runner, folders: Path, tmp_path: Path) -> None:
    ran = cli("portfolio", str(folders), "-o", "-", "-f", "markdown", "--as-of", "2026-12-31")
    assert ran.returncode == 0
    assert ran.stdout.startswith("## CMMC portfolio as of 2026-12-31: 6 systems")
    out = tmp_path / "p.json"
    assert cli("portfolio", str(folders), "-o", str(out), "--no-reports", "--as-of", "2026-12-31").returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["verdict"] for r in data["rows"]] == ["expired", "conditional", "conditional", "none", "unknown", "final"]
    assert {r["report"] for r in data["rows"]} == {None}
    assert not (tmp_path / "p-systems").exists()


def test_usage_errors(cli: Runner, folders: Path, tmp_path: Path) -> None:
    missing = cli("portfolio", str(tmp_path / "nowhere"), "-o", str(tmp_path / "p.html"))
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    suffix = cli("portfolio", str(folders), "-o", str(tmp_path / "p.txt"))
    assert suffix.returncode == 2 and "from its suffix" in suffix.stderr
    onto = cli("portfolio", str(folders), "-o", str(folders / "soon" / "poam.json"), "-f", "json", "--no-reports")
    assert onto.returncode == 2 and "would overwrite the input" in onto.stderr
    assert json.loads((folders / "soon" / "poam.json").read_text(encoding="utf-8"))["plan-of-action-and-milestones"]
    nowhere = cli("portfolio", str(folders), "-o", str(tmp_path / "no" / "p.html"))
    assert nowhere.returncode == 5 and "does not exist" in nowhere.stderr
