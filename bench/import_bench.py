"""Benchmark: import a 5,000-row legacy POA&M spreadsheet (target: under 5 s), then export it again.

    python bench/import_bench.py [--rows 5000] [--repeat 3]

Generates, in a temporary folder, two workbooks of `--rows` data rows each:

- FedRAMP layout: one item per row, 31 columns, three dated milestones in the Planned Milestones cell;
- eMASS layout: one item per four rows (a row per milestone), 32 columns, Excel serial dates.

For each it times what `oscal-poam import FILE -o poam.json` does: read the workbook, map the columns,
build the OSCAL POA&M, run the rules (credibility and item eligibility), and serialize JSON; then what
`oscal-poam export` does with the result. Reported: best and median seconds of `--repeat` runs, rows per
second, the time spent reading the workbook alone, and the best CPU seconds of each step of the import
(reading, mapping rows to items, building the POA&M as compliance-trestle models (validated as they are built),
the rules, JSON), clocked inside the timed runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from unittest.mock import patch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from oscal_poam.cmmc.catalog import catalog  # noqa: E402
from oscal_poam.io.write import dumps  # noqa: E402
from oscal_poam.legacy import api  # noqa: E402
from oscal_poam.legacy.api import export_bytes, import_poam  # noqa: E402
from oscal_poam.legacy.layouts import EMASS, FEDRAMP  # noqa: E402
from oscal_poam.legacy.read import read_spreadsheet  # noqa: E402

AS_OF = dt.date(2025, 11, 10)
STEPS = ("reading", "mapping", "building", "rules", "JSON")
LABELS = [r.label for r in catalog(2).requirements]


def fedramp_sheet(path: Path, rows: int) -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "Open POA&M Items"
    ws.append(["FedRAMP Plan of Action and Milestones (POA&M) Template"])
    ws.append(["CSP", "System Name", "Impact Level", "POAM Date"])
    ws.append(["Acme Cloud", "Bench System", "Moderate", dt.datetime(2025, 11, 10)])
    ws.append([])
    ws.append(FEDRAMP.headers())
    for n in range(rows):
        values: dict[str, Any] = {
            "POAM ID": f"V-{n:05d}",
            "Controls": LABELS[n % len(LABELS)],
            "Weakness Name": f"Weakness {n} on host {n % 97}",
            "Weakness Description": f"Host srv{n % 97:02d} lacks the configuration the requirement asks for ({n}).",
            "Weakness Detector Source": "Self-assessment",
            "Asset Identifier": f"srv{n % 97:02d}.corp.example",
            "Point of Contact": ["Jane Smith", "John Doe", "Maria Lopez"][n % 3],
            "Resources Required": f"{n % 40 + 1} hours of administrator time",
            "Overall Remediation Plan": "Apply the baseline, verify it, and record the evidence.",
            "Original Detection Date": dt.datetime(2025, 9, 1) + dt.timedelta(days=n % 30),
            "Scheduled Completion Date": dt.datetime(2026, 3, 1),
            "Planned Milestones": "1. Plan the change - 12/01/2025\n2. Apply the baseline - 01/15/2026\n"
            "3. Verify and record evidence - 02/15/2026",
            "Status Date": dt.datetime(2025, 11, 1),
            "Original Risk Rating": ["Low", "Moderate", "High"][n % 3],
            "Comments": f"Ticket CHG-{10000 + n}",
        }
        ws.append([values.get(h) for h in FEDRAMP.headers()])
    workbook.save(path)
    return path


def emass_sheet(path: Path, rows: int) -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "POA&M"
    ws.append(["***** CONTROLLED UNCLASSIFIED INFORMATION *****"])
    ws.append(["Date Exported:", None, None, dt.datetime(2025, 11, 10)])
    for _ in range(4):
        ws.append([])
    ws.append([None, *EMASS.headers()])
    serial = (dt.date(2026, 3, 1) - dt.date(1899, 12, 30)).days
    for n in range(rows):
        item, milestone = divmod(n, 4)
        values: dict[str, Any] = {
            "Milestone ID": milestone + 1,
            "Milestone Description": f"Step {milestone + 1} of item {item}",
            "Milestone Status": "Completed" if milestone == 0 else "Pending",
            "Milestone Scheduled Completion Date": serial - 90 + 20 * milestone,
        }
        if milestone == 0:
            values.update(
                {
                    "POA&M Item ID": item + 1,
                    "Control Vulnerability Description": f"Item {item}: the control is not in place on srv{item % 97}.",
                    "Controls / APs": LABELS[item % len(LABELS)],
                    "POA&M Status": "Ongoing",
                    "POA&M Scheduled Completion Date": serial,
                    "Milestone Completion Date": serial - 95,
                    "Office/Org": "Acme IT, Maria Lopez",
                    "Resources Required": "16 hours",
                    "Raw Severity": "Moderate",
                    "Likelihood": "Low",
                    "Impact": "Moderate",
                }
            )
        ws.append([None, *(values.get(h) for h in EMASS.headers())])
    workbook.save(path)
    return path


def onto_inputs(sheet: Path, poam: Path, edited: Path) -> None:
    """For `import --onto`: the sheet imported as a POA&M, that POA&M exported, and in the export one item in ten
    given another owner and status, as a person editing it in Excel would."""
    from oscal_poam.io.write import dumps

    result = import_poam(sheet, as_of=AS_OF)
    assert result.poam is not None
    poam.write_bytes(dumps(result.poam, "json"))
    data, _ = export_bytes(result.poam, "fedramp")
    edited.write_bytes(data)
    workbook = openpyxl.load_workbook(edited)
    ws = workbook["Open POA&M Items"]
    column = {c.value: c.column for c in ws[FEDRAMP.header_row] if c.value}
    for row in range(FEDRAMP.header_row + 1, ws.max_row + 1, 10):
        ws.cell(row, column["Point of Contact"]).value = "Dana Whitfield"
        ws.cell(row, column["Status"]).value = "Risk Accepted"
    workbook.save(edited)


def timed(action: Callable[[], object], repeat: int) -> list[tuple[float, float]]:
    """(wall seconds, CPU seconds of this process) of each run: on a busy machine the two differ."""
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return times


def _clocked(action: Callable[..., Any], label: str, spent: dict[str, float]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        cpu = time.process_time()
        try:
            return action(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - cpu

    return run


@contextmanager
def phase_clock(spent: dict[str, float]) -> Iterator[None]:
    """Add the CPU seconds of each step `import_poam` takes to `spent`, by wrapping the names it calls."""
    steps = (
        (api, "read_spreadsheet", "reading"),
        (api, "_read_sheets", "mapping"),
        (api, "build_poam", "building"),  # the typed builders validate the POA&M as they build it
        (api, "_rules", "rules"),
    )
    with ExitStack() as stack:
        for owner, name, label in steps:
            stack.enter_context(patch.object(owner, name, new=_clocked(getattr(owner, name), label, spent)))
        yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, {args.rows} data rows, {args.repeat} runs")
    with tempfile.TemporaryDirectory() as folder:
        for name, build, layout in (("FedRAMP", fedramp_sheet, "fedramp"), ("eMASS", emass_sheet, "emass")):
            path = build(Path(folder) / f"{layout}.xlsx", args.rows)
            size = path.stat().st_size
            result = import_poam(path, as_of=AS_OF)  # warms imports and catalogs
            assert result.poam is not None

            phases: list[dict[str, float]] = []

            def convert(path: Path = path, phases: list[dict[str, float]] = phases) -> None:
                spent: dict[str, float] = {}
                with phase_clock(spent):
                    done = import_poam(path, as_of=AS_OF)
                assert done.poam is not None
                _clocked(dumps, "JSON", spent)(done.poam)
                phases.append(spent)

            reading = timed(lambda path=path: read_spreadsheet(path), args.repeat)  # type: ignore[misc]
            importing = timed(convert, args.repeat)
            exporting = timed(lambda r=result, lay=layout: export_bytes(r.poam, lay), args.repeat)  # type: ignore[misc]
            best = min(w for w, _ in importing)
            median = statistics.median(w for w, _ in importing)
            cpu = min(c for _, c in importing)
            print(
                f"{name}: {size / 1e6:.1f} MB, {result.summary.items} items, {result.summary.milestones} milestones, "
                f"{len(result.diagnostics)} diagnostics"
            )
            print(
                f"  import + rules + JSON: best {best:.2f} s, median {median:.2f} s, {args.rows / best:,.0f} rows/s "
                f"(CPU {cpu:.2f} s)"
            )
            print(f"  of which reading the workbook: best {min(w for w, _ in reading):.2f} s")
            steps = ", ".join(f"{label} {min(p[label] for p in phases):.2f} s" for label in STEPS)
            print(f"  CPU by step (best of {args.repeat}): {steps}")
            print(f"  export: best {min(w for w, _ in exporting):.2f} s")


if __name__ == "__main__":
    main()
