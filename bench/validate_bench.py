"""Benchmark: `validate` over a generated repository of 1,000 OSCAL files, against compliance-trestle's read loop.

    python bench/validate_bench.py [--files 1000] [--jobs 2] [--repeat 3] [--keep DIR]

Generates a repository in a temporary folder (or DIR):

- CMMC systems, each a folder with a system security plan, CMMC assessment results and the POA&M derived
  from them with `oscal_poam.derive` (importing the SSP). Systems differ in size: Level 1 (15 requirements)
  to Level 2 (110) with one finding per requirement or one per SP 800-171A objective (320), and 1 to 24
  requirements NOT MET;
- NIST's own SSP and assessment-results examples (from reference/examples/oscal-content), of 4 to 60 KB;

in JSON, and one system in five in YAML (compliance-trestle reads both; it reads no XML). Then, in the same
run and over the same files, it times:

- `oscal_poam.validate.run.validate_paths` with `--jobs` processes (model validation, integrity, and the
  CMMC rules of every CMMC document with the SSP it imports), and with one process;
- a loop of compliance-trestle's `oscal_read` (read and validate each file into its model, nothing else);
- both again over the JSON files alone, where compliance-trestle's reader is at its fastest.

Times are the best of `--repeat` runs, with the median and the CPU seconds of the best run (worker processes
included), which vary less than the wall clock on a shared machine. `--keep` names a new folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.catalog import catalog
from oscal_poam.ids import stable_uuid
from oscal_poam.io.models import BY_ROOT
from oscal_poam.io.write import to_data

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "reference" / "examples" / "oscal-content"
NIST_FILES = [
    "ssp/json/ssp-example.json",
    "ssp/json/ifa_ssp-example.json",
    "ssp/json/oscal_leveraged-example_ssp.json",
    "ssp/json/oscal_leveraging-example_ssp.json",
    "ar/json/ifa_assessment-results-example.json",
    "ssp/yaml/ssp-example.yaml",
    "ar/yaml/ifa_assessment-results-example.yaml",
]
THIS_SYSTEM = "551b9706-d6a4-4d25-8207-f2ccec548b89"  # the IFA GoodRead SSP's this-system component
AS_OF = dt.date(2026, 4, 1)
START = "2026-03-02T09:00:00-05:00"
END = "2026-03-06T17:00:00-05:00"


def _uuid(*parts: object) -> str:
    return stable_uuid("bench", *parts)


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": vocab.NS, "value": value}


def cmmc_ssp(level: int, not_met: set[str], system: int) -> dict[str, Any]:
    """The IFA GoodRead SSP with one implemented requirement per CMMC requirement of `level`."""
    data: dict[str, Any] = json.loads((EXAMPLES / "ssp/json/ifa_ssp-example.json").read_text(encoding="utf-8"))
    ssp = data["system-security-plan"]
    ssp["uuid"] = _uuid("ssp", system)
    ssp["import-profile"] = {"href": f"cmmc-level{level}-profile.json"}
    ssp["control-implementation"] = {
        "description": "CMMC requirements of the system.",
        "implemented-requirements": [
            {
                "uuid": _uuid("ssp", system, r.control_id),
                "control-id": r.control_id,
                "by-components": [
                    {
                        "component-uuid": THIS_SYSTEM,
                        "uuid": _uuid("ssp", system, r.control_id, "component"),
                        "description": f"How the GoodRead system meets {r.label} {r.title}.",
                        "implementation-status": {"state": "planned" if r.label in not_met else "implemented"},
                    }
                ],
            }
            for r in catalog(level).requirements
        ],
    }
    return data


def cmmc_results(level: int, not_met: set[str], per_objective: bool, system: int) -> dict[str, Any]:
    """CMMC assessment results of `level`: every requirement assessed, those in `not_met` NOT MET."""
    observations: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for r in catalog(level).requirements:
        targets = [o.id for o in r.objectives] if per_objective and r.objectives else [r.statement_id]
        for n, target in enumerate(targets):
            failing = r.label in not_met and n == 0
            observation = _uuid("observation", system, target)
            observations.append(
                {
                    "uuid": observation,
                    "title": f"Examination of {target}",
                    "description": f"The assessor examined evidence for {r.label}, {target}.",
                    "methods": ["EXAMINE", "TEST"],
                    "subjects": [{"subject-uuid": THIS_SYSTEM, "type": "component"}],
                    "collected": START,
                }
            )
            findings.append(
                {
                    "uuid": _uuid("finding", system, target),
                    "title": f"{r.label} {r.title}",
                    "description": (
                        f"{r.label}: the objective {target} is not met; the setting is missing on two hosts."
                        if failing
                        else f"{r.label}: the objective {target} is met."
                    ),
                    "target": {
                        "type": "objective-id" if "_obj." in target else "statement-id",
                        "target-id": target,
                        "status": {"state": "not-satisfied" if failing else "satisfied"},
                    },
                    "related-observations": [{"observation-uuid": observation}],
                }
            )
    plan = _uuid("plan", system)
    return {
        "assessment-results": {
            "uuid": _uuid("results", system),
            "metadata": {
                "title": f"CMMC Level {level} assessment of system {system}",
                "last-modified": END,
                "version": "1.0",
                "oscal-version": "1.2.1",
            },
            "import-ap": {"href": f"#{plan}"},
            "results": [
                {
                    "uuid": _uuid("result", system),
                    "title": "CMMC assessment",
                    "description": "Assessment of the CUI enclave.",
                    "start": START,
                    "end": END,
                    "props": [
                        _prop(vocab.LEVEL, str(level)),
                        _prop(vocab.ASSESSMENT_TYPE, "self" if level == 1 else "c3pao"),
                        _prop(vocab.ASSESSMENT_KIND, "initial"),
                    ],
                    "reviewed-controls": {"control-selections": [{"include-all": {}}]},
                    "observations": observations,
                    "findings": findings,
                }
            ],
            "back-matter": {
                "resources": [
                    {"uuid": plan, "title": "Assessment plan", "rlinks": [{"href": "https://example.com/sap.json"}]}
                ]
            },
        }
    }


def _write(path: Path, data: dict[str, Any]) -> None:
    if path.suffix == ".json":
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _variants() -> list[tuple[int, int, bool]]:
    """(level, requirements NOT MET, one finding per objective) of the distinct systems."""
    shapes = []
    for n in range(24):
        level = 1 if n % 6 == 5 else 2
        not_met = 0 if level == 1 else 1 + (n * 7) % 24
        shapes.append((level, not_met, n % 3 == 0 and level == 2))
    return shapes


def _not_met(level: int, count: int, seed: int) -> set[str]:
    from oscal_poam.cmmc.regulation import L2_POAM_EXCLUDED

    eligible = [r.label for r in catalog(level).requirements if r.label not in L2_POAM_EXCLUDED and r.points == 1]
    eligible += [r.label for r in catalog(level).requirements if r.label not in L2_POAM_EXCLUDED and r.points == 3]
    start = (seed * 5) % max(1, len(eligible) - count)
    return set(eligible[start : start + count])


def generate(root: Path, files: int) -> list[tuple[Path, str]]:
    """Write the repository; returns each file with its OSCAL root key."""
    from oscal_poam.derivation.api import derive

    manifest: list[tuple[Path, str]] = []
    templates = root / ".templates"
    templates.mkdir(parents=True)
    built: list[dict[str, Path]] = []
    for n, (level, count, per_objective) in enumerate(_variants()):
        suffix = ".yaml" if n % 5 == 4 else ".json"
        folder = templates / f"v{n:02d}"
        folder.mkdir()
        not_met = _not_met(level, count, n)
        ssp, results = folder / f"ssp{suffix}", folder / f"ar{suffix}"
        _write(ssp, cmmc_ssp(level, not_met, n))
        _write(results, cmmc_results(level, not_met, per_objective, n))
        parts = {"system-security-plan": ssp, "assessment-results": results}
        if not_met:
            derived = derive(ssp, results, as_of=AS_OF, ssp_href=ssp.name)
            if derived.poam is not None:
                poam = folder / f"poam{suffix}"
                _write(poam, to_data(derived.poam))
                parts["plan-of-action-and-milestones"] = poam
        built.append(parts)
    nist = [(EXAMPLES / name, name) for name in NIST_FILES]
    system = 0
    while len(manifest) < files:
        parts = built[system % len(built)]
        folder = root / "systems" / f"system-{system:04d}"
        folder.mkdir(parents=True)
        for root_key, source in parts.items():
            if len(manifest) < files:
                target = folder / source.name
                shutil.copyfile(source, target)
                manifest.append((target, root_key))
        if system % 3 == 2 and len(manifest) < files:
            source, name = nist[system % len(nist)]
            target = root / "nist" / f"{system:04d}-{Path(name).name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            manifest.append((target, next(iter(yaml.safe_load(source.read_text(encoding="utf-8"))))))
        system += 1
    shutil.rmtree(templates)
    return manifest


def trestle_loop(manifest: list[tuple[Path, str]]) -> int:
    """compliance-trestle's own read of every file into its model."""
    for path, root_key in manifest:
        if BY_ROOT[root_key].cls.oscal_read(path) is None:
            raise SystemExit(f"compliance-trestle could not read {path}")
    return len(manifest)


@dataclass(frozen=True)
class Timing:
    wall: float  # best of the runs
    median: float
    cpu: float  # CPU seconds of the best run, worker processes included
    result: object


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(fn: Callable[[], object], repeat: int) -> Timing:
    runs = []
    result: object = None
    for _ in range(repeat):
        cpu, started = _cpu(), time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - started, _cpu() - cpu))
    best = min(runs)
    return Timing(best[0], statistics.median(r[0] for r in runs), best[1], result)


def _row(name: str, files: int, t: Timing) -> str:
    return f"{name:<34} {t.wall:7.2f} s {files / t.wall:7.1f} files/s  (median {t.median:6.2f} s; CPU {t.cpu:6.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()

    from oscal_poam.validate.run import ValidationReport, validate_files, validate_paths

    work = Path(tempfile.mkdtemp(prefix="oscal-poam-bench-")) if args.keep is None else args.keep
    try:
        started = time.perf_counter()
        manifest = generate(work / "repo", args.files)
        generated = time.perf_counter() - started
        size = sum(p.stat().st_size for p, _ in manifest)
        kinds = {k: sum(1 for _, r in manifest if r == k) for k in sorted({r for _, r in manifest})}
        json_manifest = [(p, r) for p, r in manifest if p.suffix == ".json"]
        # both sides start with their modules imported: the run measures reading and checking only
        for kind in BY_ROOT.values():
            kind.cls  # noqa: B018
        import oscal_poam.engine.ruleset  # noqa: F401

        repo = work / "repo"
        load_before = os.getloadavg()[0]
        trestle = timed(lambda: trestle_loop(manifest), args.repeat)
        ours = timed(lambda: validate_paths([repo], jobs=args.jobs, as_of=AS_OF), args.repeat)
        one = timed(lambda: validate_paths([repo], jobs=1, as_of=AS_OF), args.repeat)
        trestle_json = timed(lambda: trestle_loop(json_manifest), args.repeat)
        ours_json = timed(
            lambda: validate_files([p for p, _ in json_manifest], jobs=args.jobs, as_of=AS_OF), args.repeat
        )
        load_after = os.getloadavg()[0]
        report = ours.result
        assert isinstance(report, ValidationReport)
        n, nj = len(manifest), len(json_manifest)
        counts: dict[str, int] = {}
        for d in report.diagnostics:
            counts[d.severity.value] = counts.get(d.severity.value, 0) + 1

        print(
            f"machine: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
            f"load average {load_before:.1f} before and {load_after:.1f} after"
        )
        print(f"repository: {n} files ({n - nj} YAML), {size / 1e6:.1f} MB, generated in {generated:.1f} s")
        print("  " + ", ".join(f"{count} {kind}" for kind, count in kinds.items()))
        print(f"  validate checked {len(report.files)} files: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        print(f"all {n} files:")
        print(_row("  trestle oscal_read loop", n, trestle))
        print(_row("  validate_paths, 1 process", n, one))
        print(_row(f"  validate_paths, {args.jobs} processes", n, ours))
        print(
            f"  ratio, trestle loop time / validate time: {trestle.wall / ours.wall:.2f}x with {args.jobs} processes, "
            f"{trestle.wall / one.wall:.2f}x with 1"
        )
        print(f"the {nj} JSON files only:")
        print(_row("  trestle oscal_read loop", nj, trestle_json))
        print(_row(f"  validate_files, {args.jobs} processes", nj, ours_json))
        print(f"  ratio, trestle loop time / validate time: {trestle_json.wall / ours_json.wall:.2f}x")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
