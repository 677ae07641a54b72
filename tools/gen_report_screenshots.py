"""Render the HTML pages of the examples and take their screenshots with headless Chromium.

    python tools/gen_report_screenshots.py [--out docs/screenshots] [--height 1500] [--force] [--check]

writes (and nothing else):

- `report-<example>.png`: the report of each example in `EXAMPLES`;
- `portfolio-examples.png`: the portfolio of the four examples (`oscal-poam portfolio examples`);
- `trend-consultant.png`: the trend page of the consultant's repository that tools/history_demo.py makes with
  `git` (three systems, a year of commits; its commit ids are the same on every machine).

The tests render the same pages and read them back through Chromium with `render_in_chromium`.

Each screenshot carries a stamp (a PNG text chunk): the window size and the SHA-256 of the report page it
shows. The page is made by oscal-poam alone, byte for byte the same on any machine; the pixels also depend on
the Chromium build and its fonts. So a screenshot is current when its stamp matches the page the example
makes today: only those that are not are rendered again (all of them with `--force`), and `--check` compares
the stamps, needs no browser, writes nothing and exits 1 when a screenshot is missing or out of date.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
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


CHROMIUM_ENV = "OSCAL_POAM_CHROMIUM"
"""Names the browser to use (a path or a command); when what it names is not found, no browser is used."""

REQUIRE_CHROMIUM_ENV = "OSCAL_POAM_REQUIRE_CHROMIUM"
"""Set to 1 (CI does), a missing browser is a failure instead of a skip."""

NO_CHROMIUM = (
    f"Chromium not found: install it (Debian/Ubuntu: apt-get install chromium) or set {CHROMIUM_ENV} to its executable"
)


def find_chromium() -> str | None:
    named = os.environ.get(CHROMIUM_ENV)
    if named is not None:
        return shutil.which(named)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_required() -> bool:
    return os.environ.get(REQUIRE_CHROMIUM_ENV, "") not in ("", "0")


def render_in_chromium(html: Path, png: Path, *, width: int = 1280, height: int = 2000) -> str:
    """Load `html` in headless Chromium, save a screenshot of the window to `png`, return the DOM it built."""
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError(NO_CHROMIUM)
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


PORTFOLIO_AS_OF = dt.date(2027, 2, 10)
"""The examples' portfolio a week before the Level 2 closeout, as the l2-conditional report shows it."""
TREND_AS_OF = dt.date(2026, 12, 31)


def portfolio_html() -> str:
    """The portfolio of the examples, with the links to their reports it would write beside it."""
    from oscal_poam.portfolio.api import portfolio
    from oscal_poam.portfolio.render import render_html

    return render_html(portfolio(["examples"], as_of=PORTFOLIO_AS_OF, reports="portfolio-systems", jobs=1))


def trend_html() -> str:
    """The trend page of the consultant's repository, made in a temporary folder (it needs git)."""
    from oscal_poam.history.api import trends
    from oscal_poam.history.render import render_html
    from tools import history_demo

    with tempfile.TemporaryDirectory(prefix="oscal-poam-history-") as tmp, contextlib.chdir(tmp):
        history_demo.build(Path("consultant"))
        return render_html(trends(["consultant"], as_of=TREND_AS_OF))


def pages() -> dict[str, str]:
    """Screenshot name -> the page it shows, made from the checkout (documents named relative to it)."""
    with contextlib.chdir(ROOT):
        found = {f"report-{example.name}": report_html(example) for example in EXAMPLES}
        found["portfolio-examples"] = portfolio_html()
    found["trend-consultant"] = trend_html()
    return found


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STAMP_KEY = b"oscal-poam-report"
WIDTH = 1280


def stamp(page: str, width: int, height: int) -> str:
    """What a screenshot of `page` in a window of that size is stamped with."""
    return f"{width}x{height} sha256:{hashlib.sha256(page.encode('utf-8')).hexdigest()}"


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, data) chunks of a PNG file; ValueError when it is not one."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    chunks, at = [], len(PNG_SIGNATURE)
    while at < len(png):
        if at + 8 > len(png):
            raise ValueError("the PNG file is cut short")
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        chunks.append((kind, png[at + 8 : at + 8 + length]))
        at += 12 + length
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise ValueError("the PNG file has no header or no end")
    return chunks


def read_stamp(png: bytes) -> str | None:
    for kind, data in _chunks(png):
        key, _, value = data.partition(b"\0")
        if kind == b"tEXt" and key == STAMP_KEY:
            return value.decode("latin-1")
    return None


def with_stamp(png: bytes, value: str) -> bytes:
    """The PNG with one stamp chunk after its header (in place of any earlier stamp)."""
    out = bytearray(PNG_SIGNATURE)
    for kind, data in _chunks(png):
        if kind == b"tEXt" and data.partition(b"\0")[0] == STAMP_KEY:
            continue
        out += _chunk(kind, data)
        if kind == b"IHDR":
            out += _chunk(b"tEXt", STAMP_KEY + b"\0" + value.encode("latin-1"))
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def _why_stale(target: Path, wanted: str) -> str | None:
    """Why the screenshot at `target` is not the one wanted, or None when it is."""
    if not target.is_file():
        return "missing"
    try:
        found = read_stamp(target.read_bytes())
    except ValueError as exc:
        return str(exc)
    if found is None:
        return "carries no stamp"
    return None if found == wanted else "shows another page or window size than the project makes now"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--height", type=int, default=1500, help="window height of each screenshot, in pixels")
    parser.add_argument("--force", action="store_true", help="render every screenshot, current or not")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a screenshot is stale")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    try:
        made = pages()
    except FileNotFoundError as exc:  # no git: the trend page cannot be made
        print(f"{exc}; the screenshots cannot be checked or made", file=sys.stderr)
        return 1
    wanted = {name: stamp(page, WIDTH, args.height) for name, page in made.items()}
    targets = {name: out / f"{name}.png" for name in made}
    stale = {name: why for name in made if (why := _why_stale(targets[name], wanted[name])) is not None}
    if args.check:
        extra = sorted(set(out.glob("*.png")) - set(targets.values()))
        for name, target in targets.items():
            print(f"{_shown(target)}: {stale.get(name, 'current')}")
        for path in extra:
            print(f"{_shown(path)}: the screenshot of no page")
        if stale:
            print("run python tools/gen_report_screenshots.py (it needs Chromium) to render them again")
        return 1 if stale or extra else 0
    todo = list(made) if args.force else list(stale)
    if not todo:
        print(f"{_shown(out)}: every screenshot is current")
        return 0
    if find_chromium() is None:
        print(f"{NO_CHROMIUM}; not rendered: {', '.join(_shown(targets[name]) for name in todo)}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="oscal-poam-reports-") as tmp:
        for name in todo:
            page, shot = Path(tmp) / f"{name}.html", Path(tmp) / f"{name}.png"
            page.write_text(made[name], encoding="utf-8")
            render_in_chromium(page, shot, width=WIDTH, height=args.height)
            partial = targets[name].with_suffix(".png.tmp")
            partial.write_bytes(with_stamp(shot.read_bytes(), wanted[name]))
            partial.replace(targets[name])
            print(f"wrote {_shown(targets[name])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
