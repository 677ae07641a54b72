"""`oscal-poam report --poam POAM [--results RESULTS] [--ssp SSP] [--as-of DATE] -o REPORT.html|REPORT.md`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import Runner, runner
from tools.gen_report_screenshots import EXAMPLES

EXAMPLE = EXAMPLES[0]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    """`oscal-poam report ARGS` through the console entry point, in this process (exit codes included)."""
    return runner(capsys, monkeypatch, "report")


def example_args(as_of: str = EXAMPLE.as_of.isoformat()) -> list[str]:
    poam, results, ssp = EXAMPLE.paths()
    return ["--poam", str(poam), "--results", str(results), "--ssp", str(ssp), "--as-of", as_of]


@pytest.mark.parametrize("suffix", [".html", ".htm", ".md"])
def test_writes_the_format_its_suffix_names(run, tmp_path: Path, suffix: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / f"report{suffix}"
    ran = run(*example_args(), "-o", str(target))
    assert ran.returncode == 0, ran.stderr
    written = target.read_text(encoding="utf-8")
    if suffix == ".md":
        assert written.startswith("### ") and "<html" not in written
    else:
        assert written.startswith("<!DOCTYPE html>")
    assert "Conditional" in written and "104 of 110" in ran.stdout + written
    assert str(target) in ran.stdout


def test_output_is_the_same_for_the_same_inputs_and_date(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, second, later = tmp_path / "a.html", tmp_path / "b.html", tmp_path / "c.html"
    assert run(*example_args(), "-o", str(first)).returncode == 0
    assert run(*example_args(), "-o", str(second)).returncode == 0
    assert run(*example_args("2027-03-01"), "-o", str(later)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != later.read_bytes()


def test_the_poam_alone_is_enough(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "r.md"
    ran = run("--poam", str(EXAMPLE.paths()[0]), "--as-of", "2027-02-10", "-o", str(target))
    assert ran.returncode == 0, ran.stderr
    assert "as the POA&M records it" in target.read_text(encoding="utf-8")


def test_an_unknown_suffix_is_a_usage_error(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "report.pdf"
    ran = run(*example_args(), "-o", str(target))
    assert ran.returncode == 2 and ".html" in ran.stderr
    assert not target.exists()


def test_an_input_that_cannot_be_loaded_exits_3_and_writes_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "poam.json"
    broken.write_text("{not json", encoding="utf-8")
    target = tmp_path / "report.html"
    ran = run("--poam", str(broken), "--as-of", "2027-01-01", "-o", str(target))
    assert ran.returncode == 3 and "poam.json" in ran.stderr
    assert not target.exists()


def test_results_given_as_the_poam_is_a_load_error(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "report.html"
    ran = run("--poam", str(EXAMPLE.paths()[1]), "--as-of", "2027-01-01", "-o", str(target))
    assert ran.returncode == 3
    assert not target.exists()


def test_an_output_that_cannot_be_written_exits_5(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "missing-folder" / "report.html"
    ran = run(*example_args(), "-o", str(target))
    assert ran.returncode == 5
    assert not target.parent.exists()


def test_an_existing_report_is_replaced_whole(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    assert run(*example_args(), "-o", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8").startswith("### ")
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
