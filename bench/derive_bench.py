"""Benchmark: derive + check + JSON + XML for Level 2 systems of 320 objective findings each.

    python bench/derive_bench.py [--systems 100] [--repeat 5]

Generates, in a temporary folder, Level 2 systems like the shipped examples (tools/gen_examples.py): an SSP
with all 110 requirements and assessment results with one finding per SP 800-171A objective (320), 110
observations, and two to six NOT MET requirements. For each system it times what `oscal-poam derive -o
poam.json --xml poam.xml` does: load the SSP and the results, derive the POA&M, run every rule over it
(`check`, which follows import-ssp back to the SSP), serialize JSON and XML, and write both.

Reported, in one run:

- one system, the first derive of a fresh process (imports, catalogs and caches warming up);
- one system, warm: best and median of `--repeat` runs;
- 1, 10 and `--systems` distinct systems one after another: total seconds, seconds per system (it should stay
  flat: the work grows linearly), the CPU seconds (outputs are fsynced, so wall-clock time also measures the
  disk), and peak memory (tracemalloc's peak of Python allocations, measured in a separate pass because
  tracing slows the code down, and the process's maximum resident set size).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oscal_poam.cmmc.catalog import catalog  # noqa: E402
from oscal_poam.io.write import atomic_write_bytes, dumps  # noqa: E402
from tools import gen_examples as gen  # noqa: E402

ONE_POINT = [r.label for r in catalog(2).requirements if r.points == 1 and r.poam_eligible == "yes" and r.objectives]


def system_files(folder: Path, n: int) -> tuple[Path, Path]:
    """System `n`: its SSP and assessment results, written as JSON under `folder`."""
    rng = random.Random(n)
    gaps = {
        label: gen.Gap(
            "not-met",
            (catalog(2).by_label(label).objectives[0].letter,),  # type: ignore[union-attr]
            finding=f"Objective not satisfied on system {n}: the evidence shows the control is not in place.",
            implementation="Partially implemented.",
        )
        for label in rng.sample(ONE_POINT, rng.randint(2, 6))
    }
    system = gen.System(
        f"bench-{n:04d}",
        f"Bench System {n}",
        f"BENCH-{n}",
        "A generated Level 2 system for the derive benchmark.",
        2,
        gaps,
        ssp_modified="2026-09-14T16:20:00-04:00",
    )
    assessment = gen.Assessment(
        system,
        "c3pao",
        f"Bench System {n} CMMC Level 2 Certification Assessment",
        "Level 2 certification assessment of all 110 requirements and their 320 objectives.",
        "c3pao",
        "initial",
        "2026-10-05T08:30:00-04:00",
        "2026-10-16T17:00:00-04:00",
        "2026-10-16T18:15:00-04:00",
        (gen.JORDAN, gen.SAM),
    )
    target = folder / f"system-{n:04d}"
    target.mkdir(parents=True, exist_ok=True)
    ssp = target / "ssp.json"
    results = target / "assessment-results.json"
    ssp.write_bytes(gen.model_bytes(gen.ssp_document(system), "json"))
    plan = gen.assessment_plan(system, "c3pao", title="Plan", assessor=(gen.JORDAN,), ssp_href="ssp.json",
                               modified=assessment.start)  # fmt: skip
    (target / "assessment-plan.json").write_bytes(gen.model_bytes(plan, "json"))
    results.write_bytes(gen.model_bytes(gen.assessment_results(replace(assessment)), "json"))
    return ssp, results


def derive_and_write(ssp: Path, results: Path) -> int:
    """What `oscal-poam derive --ssp SSP --results RESULTS -o poam.json --xml poam.xml` does; the item count."""
    from oscal_poam.derivation.api import derive

    target = ssp.parent / "poam.json"
    result = derive(ssp, results, poam_path=target, as_of=dt.date(2026, 10, 16))
    assert result.poam is not None and result.ok, [d.message for d in result.errors]
    json_bytes = dumps(result.poam, "json")
    xml_bytes = dumps(result.poam, "xml")
    atomic_write_bytes(target, json_bytes)
    atomic_write_bytes(target.with_suffix(".xml"), xml_bytes)
    return len(result.poam.poam_items)


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def cpu_timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds: writes are fsynced, so the wall clock also measures the disk."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def traced_peak(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def cold_start(ssp: Path, results: Path) -> float:
    """`oscal-poam derive` in a fresh process, start to exit: interpreter, imports, catalogs and all."""
    target = ssp.parent / "cli-poam.json"
    command = [sys.executable, "-m", "oscal_poam.cli.app", "derive", "--ssp", str(ssp), "--results", str(results),
               "-o", str(target), "--xml", str(target.with_suffix(".xml")), "--as-of", "2026-10-16"]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, cwd=ROOT)
    return time.perf_counter() - start


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--systems", type=int, default=100, help="systems in the largest run (default 100)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the one-system timing (default 5)")
    args = parser.parse_args(argv)

    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        files = [system_files(folder, n) for n in range(args.systems)]
        ssp, results = files[0]
        sizes = ssp.stat().st_size, results.stat().st_size
        print(
            f"generated {len(files)} systems in {time.perf_counter() - started:.1f} s; each: SSP "
            f"{sizes[0] / 1024:.0f} KB, results {sizes[1] / 1024:.0f} KB (320 findings, 110 observations)"
        )

        cold = cold_start(ssp, results)
        print(f"one system, `oscal-poam derive -o poam.json --xml poam.xml` as a fresh process: {cold:.3f} s")

        derive_and_write(ssp, results)  # warm the caches of this process
        runs = [timed(lambda: derive_and_write(ssp, results)) for _ in range(args.repeat)]
        peak = traced_peak(lambda: derive_and_write(ssp, results))
        print(
            f"one system, warm: best {min(runs):.3f} s, median {statistics.median(runs):.3f} s "
            f"(derive + check + JSON + XML + write); peak traced memory {mb(peak)}"
        )

        for count in sorted({1, min(10, len(files)), len(files)}):
            chosen = files[:count]

            def batch(chosen: list[tuple[Path, Path]] = chosen) -> None:
                for s, r in chosen:
                    derive_and_write(s, r)

            seconds, cpu = cpu_timed(batch)
            peak = traced_peak(batch)
            print(
                f"{count:4d} systems: {seconds:7.2f} s ({seconds / count:.3f} s per system; CPU {cpu:.2f} s, "
                f"{cpu / count:.3f} s per system); peak traced memory {mb(peak)}"
            )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
        print(f"maximum resident set size of the process: {mb(rss)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
