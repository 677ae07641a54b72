"""Benchmark: `oscal-portfolio` over 500 systems, and `oscal-poam trend` over a history of 1,000 commits.

    python bench/portfolio_bench.py [--systems 500] [--commits 1000] [--keep DIR]

Generates, in a temporary folder (or DIR):

- a portfolio: `--systems` CMMC systems, each a folder with its SSP, assessment plan, assessment results (that
  import the plan, which imports the SSP) and the POA&M derived from them (importing the SSP). The systems are
  the 24 shapes of bench/validate_bench.py (Level 1 and Level 2; one finding per requirement or one per SP
  800-171A objective; 1 to 24 requirements NOT MET), one in five in YAML, copied in turn (each YAML file begins
  with a comment naming its system, so that no two systems' YAML files are the same bytes);
- a history: one git repository (written with `git fast-import`) of five client systems whose POA&Ms (ten items
  each) change in `--commits` commits over a year: each commit touches one item of one system (a milestone moved
  later with a risk-log entry, then the item remediating, closed, reopened, in turn);

then times, as the commands run them (in this process, after one warm-up run on a small input):
`oscal-poam portfolio SYSTEMS -o portfolio.html` (discovery, every system judged, the page and a report per
system written) and `oscal-poam trend REPO -o trend.html`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

AS_OF = "2026-12-31"
HISTORY_SYSTEMS = 5
ITEMS = 10
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def _plan(system: int) -> dict[str, Any]:
    from validate_bench import END, _uuid

    return {
        "assessment-plan": {
            "uuid": _uuid("plan-file", system),
            "metadata": {"title": "Assessment plan", "last-modified": END, "version": "1.0", "oscal-version": "1.2.1"},
            "import-ssp": {"href": "ssp.json"},
            "reviewed-controls": {"control-selections": [{"include-all": {}}]},
        }
    }


def generate_portfolio(root: Path, systems: int) -> int:
    """`systems` folders under `root`; returns the number of files written."""
    import validate_bench as vb

    from oscal_poam.derivation.api import derive
    from oscal_poam.io.write import to_data

    templates = root.parent / f".{root.name}-templates"
    shapes: list[dict[str, tuple[str, Any]]] = []
    for n, (level, count, per_objective) in enumerate(vb._variants()):
        suffix = ".yaml" if n % 5 == 4 else ".json"
        not_met = vb._not_met(level, count, n)
        results = vb.cmmc_results(level, not_met, per_objective, n)
        results["assessment-results"]["import-ap"] = {"href": f"assessment-plan{suffix}"}
        results["assessment-results"].pop("back-matter", None)
        plan = _plan(n)
        plan["assessment-plan"]["import-ssp"]["href"] = f"ssp{suffix}"
        parts = {"ssp": (f"ssp{suffix}", vb.cmmc_ssp(level, not_met, n)), "plan": (f"assessment-plan{suffix}", plan),
                 "results": (f"assessment-results{suffix}", results)}  # fmt: skip
        if not_met:
            folder = templates / f"v{n:02d}"
            folder.mkdir(parents=True)
            for name, data in parts.values():
                vb._write(folder / name, data)
            derived = derive(folder / parts["ssp"][0], folder / parts["results"][0], as_of=vb.AS_OF,
                             ssp_href=parts["ssp"][0])  # fmt: skip
            if derived.poam is not None:
                parts["poam"] = (f"poam{suffix}", to_data(derived.poam))
        shapes.append(parts)
    written = 0
    for system in range(systems):
        folder = root / f"system-{system:04d}"
        folder.mkdir(parents=True)
        for name, data in shapes[system % len(shapes)].values():
            vb._write(folder / name, data)
            if name.endswith(".yaml"):  # distinct bytes, as every system's own files are: none decodes like another
                text = (folder / name).read_text(encoding="utf-8")
                (folder / name).write_text(f"# {folder.name}\n{text}", encoding="utf-8")
            written += 1
    shutil.rmtree(templates, ignore_errors=True)
    return written


def _item_state(touches: int) -> tuple[str, int, list[tuple[str, str | None]]]:
    """An item after `touches` changes: its status, how many weeks its milestone moved, its risk-log entries."""
    status, moved, log = "open", 0, [("Opened", "open")]
    for n in range(touches):
        step = n % 4
        if step == 0:
            moved += 1
            log.append(("Milestone moved: waiting for the vendor", None))
        elif step == 1:
            status = "remediating"
            log.append(("Remediation under way", "remediating"))
        elif step == 2:
            status = "closed"
            log.append(("Closed", "closed"))
        else:
            status = "open"
            log.append(("Reopened", "open"))
    return status, moved, log


def _history_poam(system: int, touches: list[int], when: dt.datetime) -> dict[str, Any]:
    from oscal_poam.engine.ruleset import all_rules  # noqa: F401  (the catalog and rules, loaded once)
    from tools.history_demo import Entry, Item, Milestone, poam_document

    labels = ["AC.L2-3.1.3", "AC.L2-3.1.4", "AC.L2-3.1.6", "AC.L2-3.1.7", "AC.L2-3.1.8", "AC.L2-3.1.9",
              "AC.L2-3.1.10", "AC.L2-3.1.11", "AU.L2-3.3.3", "AU.L2-3.3.4"]  # fmt: skip
    status_date = START.date()
    items = []
    for index, label in enumerate(labels[:ITEMS]):
        status, moved, log = _item_state(touches[index])
        entries = tuple(
            Entry(f"e{n}", status_date + dt.timedelta(days=3 * n), title, change)
            for n, (title, change) in enumerate(log)
        )
        due = status_date + dt.timedelta(days=30 + 7 * moved)
        done = status_date + dt.timedelta(days=3 * len(log)) if status == "closed" else None
        items.append(Item(label, status, entries, (Milestone("m", f"Fix {label}", due, completed=done),)))
    return poam_document(f"client-{system}", items, status_date=status_date, modified=when.date())


def generate_history(root: Path, commits: int) -> None:
    """A git repository of HISTORY_SYSTEMS client systems and `commits` commits (`git fast-import`)."""
    from tools.history_demo import ssp_document

    git = shutil.which("git")
    if git is None:
        raise FileNotFoundError("git not found")
    root.mkdir(parents=True)
    subprocess.run([git, "init", "-q", "-b", "main"], cwd=root, check=True)
    chunks: list[bytes] = []

    def data(payload: bytes) -> None:
        chunks.append(b"data %d\n" % len(payload) + payload + b"\n")

    touches = [[0] * ITEMS for _ in range(HISTORY_SYSTEMS)]
    for n in range(commits):
        when = START + dt.timedelta(hours=n * 8)
        files: dict[str, bytes] = {}
        if n == 0:
            for system in range(HISTORY_SYSTEMS):
                files[f"clients/client-{system}/ssp.json"] = json.dumps(ssp_document(f"client-{system}")).encode()
                files[f"clients/client-{system}/poam.json"] = json.dumps(
                    _history_poam(system, touches[system], when)
                ).encode()
            message = "Start with the five clients"
        else:
            system = n % HISTORY_SYSTEMS
            item = (n // HISTORY_SYSTEMS) % ITEMS
            touches[system][item] += 1
            files[f"clients/client-{system}/poam.json"] = json.dumps(
                _history_poam(system, touches[system], when)
            ).encode()
            message = f"client-{system}: item {item + 1} moves on"
        stamp = f"{int(when.timestamp())} +0000".encode()
        chunks.append(b"commit refs/heads/main\n")
        chunks.append(b"author Dana Whitfield <dana@example.com> " + stamp + b"\n")
        chunks.append(b"committer Dana Whitfield <dana@example.com> " + stamp + b"\n")
        data(message.encode())
        for path, payload in files.items():
            chunks.append(b"M 100644 inline " + path.encode() + b"\n")
            data(payload)
        chunks.append(b"\n")
    subprocess.run([git, "fast-import", "--quiet"], cwd=root, input=b"".join(chunks), check=True)
    subprocess.run([git, "reset", "-q", "--hard", "main"], cwd=root, check=True)


def run_command(*arguments: str) -> None:
    """An oscal-poam command as the console runs it, in this process (its exit code checked)."""
    from oscal_poam.cli.app import app

    try:
        app(list(arguments), prog_name="oscal-poam", standalone_mode=False)
    except SystemExit as exc:  # typer.Exit with a code
        if exc.code not in (0, None):
            raise


def portfolio_command(systems: Path, out: Path) -> None:
    run_command("portfolio", str(systems), "-o", str(out), "--as-of", AS_OF)


def trend_command(repo: Path, out: Path) -> None:
    run_command("trend", str(repo), "-o", str(out), "--as-of", AS_OF)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--systems", type=int, default=500)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="generate into this new folder and keep it")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="oscal-poam-portfolio-bench-"))
    try:
        started = time.perf_counter()
        files = generate_portfolio(folder / "systems", args.systems)
        generate_portfolio(folder / "warm", 3)
        print(f"generated {args.systems} systems ({files} files) in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        generate_history(folder / "repo", args.commits)
        generate_history(folder / "warm-repo", 20)
        print(f"generated a history of {args.commits} commits in {time.perf_counter() - started:.1f} s")
        (folder / "out").mkdir(exist_ok=True)
        portfolio_command(folder / "warm", folder / "out" / "warm.html")
        for name, work in (
            ("portfolio", lambda: portfolio_command(folder / "systems", folder / "out" / "portfolio.html")),
            ("trend", lambda: trend_command(folder / "repo", folder / "out" / "trend.html")),
        ):
            wall, cpu = time.perf_counter(), time.process_time()
            work()
            print(f"{name}: {time.perf_counter() - wall:.2f} s (CPU of this process {time.process_time() - cpu:.2f} s)")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
