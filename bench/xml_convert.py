"""Benchmark: OSCAL JSON <-> XML for a generated 1,000-item POA&M.

    python bench/xml_convert.py [--items 1000] [--repeat 5]

Builds a POA&M with compliance-trestle's models (every item with its finding,
observation and risk; risks with remediations and tasks; plain text, except
that every tenth observation is described with Markdown), writes it as JSON,
then times, in the same run and on the same file:

- compliance-trestle's own JSON load (`PlanOfActionAndMilestones.oscal_read`),
- JSON -> XML (JSON bytes to XML bytes: decode, bind, serialize),
- XML -> data (XML bytes to OSCAL JSON data),
- XML -> model (XML bytes to the validated trestle model, as `oscal_poam.io.load.parse` does),
- model -> XML (as `oscal_poam.io.write.dumps(model, "xml")` does),
- JSON -> model through this project's loader, for comparison,

and checks that both directions are lossless. Times are the best of
`--repeat` runs (the median is shown too). The garbage collector runs, as
in a command: the inputs built beforehand are frozen out of its reach, so
that every step pays for its own objects as it would in a fresh process.
CPU seconds are given beside wall-clock seconds because they vary less on a
busy machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson
from trestle.oscal import common, poam

from oscal_poam.ids import stable_uuid
from oscal_poam.io.load import load, parse
from oscal_poam.io.write import dumps, to_data
from oscal_poam.io.xml import dump_xml, read_xml

WHEN = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
NS = "urn:oscal-poam:cmmc"


def _uuid(*parts: object) -> str:
    return stable_uuid("bench", *(str(p) for p in parts))


def _props(kind: str, i: int) -> list[common.Property]:
    return [
        common.Property(name="cmmc-requirement", ns=NS, value=f"AC.L2-3.1.{i % 22 + 1}"),
        common.Property(name="priority", ns=NS, value=("high", "moderate", "low")[i % 3], class_=kind),
    ]


def _observation_text(i: int, control: str, markdown: bool) -> str:
    if markdown:
        return (
            f"Observation {i}: the assessor examined the access control policy for **{control.upper()}**.\n\n"
            "* accounts of departed staff were *still enabled* in two systems;\n"
            "* the quarterly access review had not been recorded."
        )
    return (
        f"Observation {i}: the assessor examined the access control policy and the account list for "
        f"{control.upper()}; accounts of departed staff were still enabled in two systems."
    )


def _item(i: int, markdown: bool) -> tuple[poam.PoamItem, common.Finding, common.Observation, common.Risk]:
    control = f"ac.l2-3.1.{i % 22 + 1}"
    label = control.upper()
    assessor = common.OriginActor(type="party", actor_uuid=_uuid("party", "assessor"))
    obs = common.Observation(
        uuid=_uuid("observation", i),
        title=f"Observation {i}: access review for {label}",
        description=_observation_text(i, control, markdown),
        methods=["EXAMINE", "INTERVIEW"],
        types=["finding"],
        subjects=[common.SubjectReference(subject_uuid=_uuid("component", i % 40), type="component")],
        collected=WHEN,
    )
    risk = common.Risk(
        uuid=_uuid("risk", i),
        title=f"Risk {i}: unauthorized access through stale accounts ({label})",
        description=f"Stale accounts give former staff a path into the system (item {i}).",
        statement="Unauthorized access to CUI is possible until the accounts are disabled.",
        status="open",
        deadline=WHEN + dt.timedelta(days=180),
        remediations=[
            common.Response(
                uuid=_uuid("response", i),
                lifecycle="planned",
                title="Disable stale accounts and automate deprovisioning",
                description=f"Disable the accounts found in observation {i}; connect offboarding to the directory.",
                tasks=[
                    common.Task(
                        uuid=_uuid("task", i, n),
                        type="milestone",
                        title=f"Milestone {n + 1} for {label}",
                        timing=common.TimingOnDate(on_date=common.OnDate(date=WHEN + dt.timedelta(days=30 * (n + 1)))),
                    )
                    for n in range(1)
                ],
            )
        ],
        related_observations=[common.RelatedObservation(observation_uuid=obs.uuid)],
    )
    finding = common.Finding(
        uuid=_uuid("finding", i),
        title=f"{label} not met ({i})",
        description=f"Requirement {label} is not met: see observation {i}.",
        target=common.FindingTarget(
            type="objective-id",
            target_id=f"{control}_obj.a",
            status=common.ObjectiveStatus(state="not-satisfied"),
        ),
        related_risks=[common.AssociatedRisk(risk_uuid=risk.uuid)],
    )
    item = poam.PoamItem(
        uuid=_uuid("item", i),
        title=f"Item {i}: {label} stale accounts",
        description=f"Close the gap in {label}: disable stale accounts, review access quarterly, record the reviews.",
        props=_props("poam-item", i),
        origins=[poam.Origination(actors=[assessor])],
        related_findings=[poam.RelatedFinding(finding_uuid=finding.uuid)],
        related_observations=[common.RelatedObservation(observation_uuid=obs.uuid)],
        related_risks=[common.AssociatedRisk(risk_uuid=risk.uuid)],
        remarks=f"Tracked in the quarterly review; item {i}.",
    )
    return item, finding, obs, risk


def build(items: int, markdown_every: int = 10) -> poam.PlanOfActionAndMilestones:
    parts = [_item(i, markdown_every > 0 and i % markdown_every == 0) for i in range(items)]
    metadata = common.Metadata(
        title="Benchmark POA&M",
        last_modified=WHEN,
        version="1.0",
        oscal_version="1.2.1",
        parties=[common.Parties(uuid=_uuid("party", "assessor"), type="organization", name="Assessor")],
    )
    return poam.PlanOfActionAndMilestones(
        uuid=_uuid("poam"),
        metadata=metadata,
        system_id=common.SystemId(identifier_type="http://ietf.org/rfc/rfc4122", id=_uuid("system")),
        observations=[p[2] for p in parts],
        risks=[p[3] for p in parts],
        findings=[p[1] for p in parts],
        poam_items=[p[0] for p in parts],
    )


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, float]:
    """Best and median wall-clock seconds, and best CPU seconds (steadier on a busy machine)."""
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        gc.collect()  # the previous run's garbage is not this run's cost
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(times), statistics.median(times), min(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--markdown-every",
        type=int,
        default=10,
        help="every Nth observation's description has Markdown (bold, emphasis, a list); 0: none",
    )
    args = parser.parse_args()

    model = build(args.items, args.markdown_every)
    json_bytes = dumps(model, "json")
    with tempfile.TemporaryDirectory() as folder:
        json_path = Path(folder) / "poam.json"
        json_path.write_bytes(json_bytes)
        xml_bytes = dump_xml(orjson.loads(json_bytes))
        limit = 1 << 30
        gc.collect()
        gc.freeze()

        rows: list[tuple[str, float, float, float]] = []

        def run(label: str, fn: Callable[[], Any]) -> None:
            """Time `fn`; its results are dropped, so that no step's objects weigh on the next one's collections."""
            best, median, cpu = timed(fn, args.repeat)
            rows.append((label, best, median, cpu))

        run("trestle JSON load (oscal_read)", lambda: poam.PlanOfActionAndMilestones.oscal_read(json_path))
        run("JSON -> XML (bytes to bytes)", lambda: dump_xml(orjson.loads(json_path.read_bytes())))
        run("XML -> data", lambda: read_xml(xml_bytes, "poam.xml", limit))
        run("XML -> model (parse + validate)", lambda: parse(xml_bytes, "poam.xml", max_bytes=limit))
        run("model -> XML", lambda: dumps(model, "xml"))
        run("JSON -> model (oscal_poam load)", lambda: load(json_path, max_bytes=limit))

        trestle_model = poam.PlanOfActionAndMilestones.oscal_read(json_path)
        xml_out = dump_xml(orjson.loads(json_path.read_bytes()))
        data_back = read_xml(xml_bytes, "poam.xml", limit)[0]
        doc = parse(xml_bytes, "poam.xml", max_bytes=limit)

    lossless_data = data_back == orjson.loads(json_bytes) and xml_out == xml_bytes
    lossless_model = doc.model == model and doc.model == trestle_model
    xml_again = dump_xml(to_data(doc.model)) == xml_bytes

    trestle_best, trestle_cpu = rows[0][1], rows[0][3]
    every = {0: "no observation", 1: "every observation"}.get(
        args.markdown_every, f"1 observation in {args.markdown_every}"
    )
    print(
        f"POA&M: {args.items} items, Markdown in {every}, "
        f"JSON {len(json_bytes) / 1e6:.2f} MB, XML {len(xml_bytes) / 1e6:.2f} MB"
    )
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{'step':<34} {'best s':>8} {'median s':>9} {'/ trestle':>10} {'CPU s':>7} {'/ trestle':>10}")
    for label, best, median, cpu in rows:
        print(f"{label:<34} {best:8.3f} {median:9.3f} {best / trestle_best:10.2f} {cpu:7.3f} {cpu / trestle_cpu:10.2f}")
    print(f"lossless: JSON -> XML -> JSON {lossless_data}, XML -> model equal {lossless_model}, XML again {xml_again}")
    return 0 if lossless_data and lossless_model and xml_again else 1


if __name__ == "__main__":
    sys.exit(main())
