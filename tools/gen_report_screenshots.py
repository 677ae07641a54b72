"""Render the HTML report of each example and take its screenshot with headless Chromium.

    python tools/gen_report_screenshots.py [--out docs/screenshots] [--height 1500]

writes `report-<example>.png` (and nothing else) for each example in `EXAMPLES`. The tests render the same
reports and read them back through Chromium with `render_in_chromium`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLES_DIR = ROOT / "examples"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


@dataclass(frozen=True)
class Example:
    """One example folder and the report made of it: which POA&M, which results, as of which day."""

    name: str
    poam: str
    results: str
    as_of: dt.date
    ssp: str = "ssp.json"

    @property
    def folder(self) -> Path:
        return EXAMPLES_DIR / self.name

    def paths(self) -> tuple[Path, Path, Path]:
        return self.folder / self.poam, self.folder / self.results, self.folder / self.ssp


EXAMPLES = (
    # The maintained POA&M a week before the closeout: every milestone done, the items still remediating.
    Example("l2-conditional", "poam-maintained.json", "assessment-results.json", dt.date(2027, 2, 10)),
    Example("l2-not-eligible", "poam.json", "assessment-results.json", dt.date(2026, 9, 25)),
    Example("l3-conditional", "poam.json", "assessment-results.json", dt.date(2026, 11, 13)),
    Example("l2-closeout", "poam.json", "assessment-results.json", dt.date(2027, 2, 17)),
)


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def render_in_chromium(html: Path, png: Path, *, width: int = 1280, height: int = 2000) -> str:
    """Load `html` in headless Chromium, save a screenshot of the window to `png`, return the DOM it built."""
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium is not installed (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="oscal-poam-chromium-") as profile:
        done = subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                "--dump-dom",
                html.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if done.returncode != 0 or not png.is_file():
        raise RuntimeError(f"chromium failed ({done.returncode}) on {html}:\n{done.stderr[-2000:]}")
    return done.stdout


def report_html(example: Example) -> str:
    from oscal_poam.report import render_html, report

    poam, results, ssp = (path.relative_to(ROOT) if path.is_relative_to(ROOT) else path for path in example.paths())
    return render_html(report(poam, results=results, ssp=ssp, as_of=example.as_of))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--height", type=int, default=1500, help="window height of each screenshot, in pixels")
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # documents are named relative to the checkout, as a reader would give them
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="oscal-poam-reports-") as tmp:
        for example in EXAMPLES:
            page = Path(tmp) / f"report-{example.name}.html"
            page.write_text(report_html(example), encoding="utf-8")
            target = args.out / f"report-{example.name}.png"
            render_in_chromium(page, target, height=args.height)
            print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
