"""tools/gen_report_screenshots.py: each committed screenshot is stamped with the page it shows (a report, the
portfolio, the trends), and that page is the one the project makes today; checking needs no browser and writes
nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.report.png import read_png
from tools import gen_report_screenshots as shots

SCREENSHOTS = ROOT / "docs" / "screenshots"


def test_committed_screenshots_show_the_pages_the_project_makes(capsys: pytest.CaptureFixture[str]) -> None:
    assert shots.main(["--check"]) == 0, capsys.readouterr().out
    names = [f"report-{example.name}" for example in shots.EXAMPLES] + ["portfolio-examples", "trend-consultant"]
    for name in names:
        image = read_png(SCREENSHOTS / f"{name}.png")
        assert (image.width, image.height) == (shots.WIDTH, 1500)


def test_the_stamp_is_one_text_chunk_the_image_keeps_its_pixels() -> None:
    original = (SCREENSHOTS / f"report-{shots.EXAMPLES[0].name}.png").read_bytes()
    restamped = shots.with_stamp(shots.with_stamp(original, "first"), "second")
    assert shots.read_stamp(restamped) == "second"
    assert [kind for kind, _ in shots._chunks(restamped)].count(b"tEXt") == 1
    without = [chunk for chunk in shots._chunks(restamped) if chunk[0] != b"tEXt"]
    assert without == [chunk for chunk in shots._chunks(original) if chunk[0] != b"tEXt"]


def test_the_stamp_follows_the_page_and_the_window() -> None:
    page = "<html><body>report</body></html>"
    assert shots.stamp(page, 1280, 1500) == shots.stamp(page, 1280, 1500)
    assert shots.stamp(page, 1280, 1500) != shots.stamp(page + " ", 1280, 1500)
    assert shots.stamp(page, 1280, 1500) != shots.stamp(page, 1280, 1800)


def test_check_reports_stale_missing_unstamped_broken_and_extra_screenshots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "screenshots"
    shutil.copytree(SCREENSHOTS, out)
    other, missing, unstamped, broken = (out / f"report-{e.name}.png" for e in shots.EXAMPLES)
    other.write_bytes(shots.with_stamp(other.read_bytes(), shots.stamp("another page", shots.WIDTH, 1500)))
    missing.unlink()
    chunks = [shots._chunk(kind, data) for kind, data in shots._chunks(unstamped.read_bytes()) if kind != b"tEXt"]
    unstamped.write_bytes(shots.PNG_SIGNATURE + b"".join(chunks))
    broken.write_text("<html/>")
    (out / "report-retired.png").write_bytes(b"")
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    assert shots.main(["--out", str(out), "--check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"{other}: shows another page or window size than the project makes now" in lines
    assert f"{missing}: missing" in lines
    assert f"{unstamped}: carries no stamp" in lines
    assert f"{broken}: not a PNG file" in lines
    assert f"{out / 'report-retired.png'}: the screenshot of no page" in lines
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before  # checking writes nothing


def test_without_a_browser_only_stale_screenshots_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(shots.CHROMIUM_ENV, str(tmp_path / "no-such-browser"))
    out = tmp_path / "screenshots"
    shutil.copytree(SCREENSHOTS, out)
    assert shots.main(["--out", str(out)]) == 0  # every one current: nothing to render
    assert "every screenshot is current" in capsys.readouterr().out
    stale = out / f"report-{shots.EXAMPLES[1].name}.png"
    stale.unlink()
    assert shots.main(["--out", str(out)]) == 1
    assert shots.NO_CHROMIUM in capsys.readouterr().err
    assert not stale.exists()
