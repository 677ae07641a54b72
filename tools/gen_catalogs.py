"""Generate the shipped CMMC catalogs and profiles from the CMMC reference tables.

    python tools/gen_catalogs.py [--source DIR] [--out DIR] [--check]

`--source` is the folder holding `l1_requirements.csv`, `l2_requirements.csv`,
`l3_requirements.csv` and `l2_assessment_objectives_171a.csv` (default the
project's `reference/cmmc`); `--out` is the project root whose `catalogs/` and
`profiles/` are written (default this project).
`--check` writes nothing and exits 1 when a committed file differs from what
would be generated.

The output depends only on the tables: UUIDs come from stable keys and the
dates are the constants below, so re-running changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(ROOT))

from trestle.oscal import OSCAL_VERSION  # noqa: E402
from trestle.oscal import catalog as cat  # noqa: E402
from trestle.oscal import common as com  # noqa: E402
from trestle.oscal import profile as prof  # noqa: E402

from oscal_poam.cmmc import vocab  # noqa: E402
from oscal_poam.ids import stable_uuid  # noqa: E402
from oscal_poam.io.write import OutputFormat, atomic_write_bytes, dumps  # noqa: E402

DEFAULT_SOURCE = ROOT / "reference" / "cmmc"

CONTENT_VERSION = "1.0.0"
"""The catalogs' `metadata.version`; bump it when the content changes."""

PUBLISHED = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
"""`published` and `last-modified` of every generated document; change it with the content."""

FORMATS: tuple[OutputFormat, ...] = ("json", "xml")
"""Each document is written once per format, `<name>.<format>`; each profile imports the catalog in its own format."""

LEVELS = (1, 2, 3)

TITLES = {
    1: "CMMC Level 1 (FAR 52.204-21) Catalog",
    2: "CMMC Level 2 (NIST SP 800-171 R2) Catalog",
    3: "CMMC Level 3 (NIST SP 800-172 Feb2021) Catalog",
}

PROFILE_TITLES = {
    1: "CMMC Level 1 Profile",
    2: "CMMC Level 2 Profile",
    3: "CMMC Level 3 Profile",
}

REMARKS = {
    1: (
        "The 15 CMMC Level 1 security requirements of 32 CFR 170.14(c)(2), which are those of "
        "FAR 52.204-21(b)(1)(i) through (xv), with the CMMC Model Overview v2.13 titles and wording. "
        "Level 1 is scored MET or NOT MET in its entirety and no POA&M is permitted (32 CFR 170.24(c)(1), "
        "170.21(a)(1)), so its requirements carry no point values."
    ),
    2: (
        "The 110 CMMC Level 2 security requirements of 32 CFR 170.14(c)(3), identical to NIST SP 800-171 R2, "
        "with the NIST SP 800-171A assessment objectives, the point values of 32 CFR 170.24(c)(2) and the "
        "POA&M eligibility of 32 CFR 170.21(a)(2)."
    ),
    3: (
        "The 24 CMMC Level 3 security requirements selected from NIST SP 800-172 Feb2021 with the DoD "
        "organization-defined parameters of 32 CFR 170.14(c)(4), worth one point each (32 CFR 170.24(c)(3)), "
        "with the POA&M eligibility of 32 CFR 170.21(a)(3)."
    ),
}


@dataclass(frozen=True)
class Source:
    key: str
    short: str
    title: str
    href: str


SOURCES = {
    s.key: s
    for s in (
        Source(
            "32-cfr-170.14",
            "32 CFR 170.14",
            "32 CFR 170.14, CMMC Model",
            "https://www.ecfr.gov/current/title-32/section-170.14",
        ),
        Source(
            "32-cfr-170.21",
            "32 CFR 170.21",
            "32 CFR 170.21, Plan of Action and Milestones requirements",
            "https://www.ecfr.gov/current/title-32/section-170.21",
        ),
        Source(
            "32-cfr-170.24",
            "32 CFR 170.24",
            "32 CFR 170.24, CMMC Scoring Methodology",
            "https://www.ecfr.gov/current/title-32/section-170.24",
        ),
        Source(
            "far-52.204-21",
            "FAR 52.204-21",
            "FAR 52.204-21, Basic Safeguarding of Covered Contractor Information Systems",
            "https://www.acquisition.gov/far/52.204-21",
        ),
        Source(
            "nist-sp-800-171r2",
            "NIST SP 800-171 Rev. 2",
            "NIST SP 800-171 Rev. 2, Protecting Controlled Unclassified Information in Nonfederal Systems and "
            "Organizations",
            "https://doi.org/10.6028/NIST.SP.800-171r2",
        ),
        Source(
            "nist-sp-800-171a",
            "NIST SP 800-171A",
            "NIST SP 800-171A, Assessing Security Requirements for Controlled Unclassified Information",
            "https://doi.org/10.6028/NIST.SP.800-171A",
        ),
        Source(
            "nist-sp-800-172",
            "NIST SP 800-172",
            "NIST SP 800-172 (February 2021), Enhanced Security Requirements for Protecting Controlled "
            "Unclassified Information",
            "https://doi.org/10.6028/NIST.SP.800-172",
        ),
        Source(
            "cmmc-model-overview-2.13",
            "CMMC Model Overview v2.13",
            "DoD CIO, CMMC Model Overview, Version 2.13",
            "https://dodcio.defense.gov/CMMC/Documentation/",
        ),
    )
}

LEVEL_SOURCES = {
    1: ("32-cfr-170.14", "32-cfr-170.21", "32-cfr-170.24", "far-52.204-21", "nist-sp-800-171r2",
        "cmmc-model-overview-2.13"),
    2: ("32-cfr-170.14", "32-cfr-170.21", "32-cfr-170.24", "nist-sp-800-171r2", "nist-sp-800-171a",
        "cmmc-model-overview-2.13"),
    3: ("32-cfr-170.14", "32-cfr-170.21", "32-cfr-170.24", "nist-sp-800-172", "cmmc-model-overview-2.13"),
}  # fmt: skip

L1_TITLE_SUFFIX = " [FCI Data]"


class SourceError(Exception):
    """The reference tables are missing or inconsistent."""


def catalog_name(level: int, fmt: str = "json") -> str:
    return f"cmmc-level{level}-catalog.{fmt}"


def profile_name(level: int, fmt: str = "json") -> str:
    return f"cmmc-level{level}-profile.{fmt}"


ROMAN = {"i": 1, "v": 5, "x": 10}


def sort_id(number: str) -> str:
    """`3.1.2e` -> `03.01.02e`, `b.1.ix` -> `b.1.09`: a key that sorts as the numbers do."""
    if number.startswith("b.1."):
        roman = [ROMAN[c] for c in number.removeprefix("b.1.")]
        value = sum(-v if i + 1 < len(roman) and v < roman[i + 1] else v for i, v in enumerate(roman))
        return f"b.1.{value:02d}"
    suffix = "e" if number.endswith("e") else ""
    return ".".join(f"{int(n):02d}" for n in number.removesuffix("e").split(".")) + suffix


def control_id(label: str) -> str:
    """`AC.L2-3.1.1` -> `ac.l2-3.1.1`."""
    return label.lower()


def read_table(source: Path, name: str) -> list[dict[str, str]]:
    path = source / name
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    except FileNotFoundError:
        raise SourceError(f"{path}: not found") from None
    if not rows:
        raise SourceError(f"{path}: no rows")
    return rows


def _prop(name: str, value: str, ns: str | None = vocab.NS) -> com.Property:
    if ns is None:
        return com.Property(name=name, value=value)
    return com.Property(name=name, ns=ns, value=value)


def _statement(cid: str, text: str) -> com.Part:
    return com.Part(id=f"{cid}_smt", name="statement", prose=text)


def _objective(cid: str, row: dict[str, str]) -> com.Part:
    objective_id = row["objective_id"]  # 3.1.1[a]
    letter = objective_id[objective_id.index("[") + 1 : -1]
    return com.Part(
        id=f"{cid}_obj.{letter}",
        name="assessment-objective",
        props=[_prop(vocab.LABEL, row["cmmc_objective_id"], ns=None)],
        prose=row["text"],
    )


@dataclass(frozen=True)
class Control:
    family: str
    family_name: str
    model: cat.Control


def _level1_controls(source: Path, family_names: dict[str, str]) -> list[Control]:
    level2_labels = {row["nist_id"]: row["cmmc_id"] for row in read_table(source, "l2_requirements.csv")}
    controls = []
    for row in read_table(source, "l1_requirements.csv"):
        label = row["l1_id"]
        cid = control_id(label)
        title = row["title_model"].removesuffix(L1_TITLE_SUFFIX)
        props = [
            _prop(vocab.LABEL, label, ns=None),
            _prop(vocab.SORT_ID, sort_id(row["far_52_204_21_paragraph"]), ns=None),
        ]
        for nist_id in row["nist_800_171r2_ids"].split(";"):
            if nist_id.strip() not in level2_labels:
                raise SourceError(f"{label}: maps to unknown SP 800-171 R2 requirement {nist_id!r}")
            props.append(_prop(vocab.LEVEL2_ID, level2_labels[nist_id.strip()]))
        props.append(_prop(vocab.POAM_ELIGIBLE, "no"))  # 32 CFR 170.21(a)(1)
        model = cat.Control(id=cid, title=title, props=props, parts=[_statement(cid, row["statement_cmmc_model"])])
        controls.append(Control(row["family"], family_names[row["family"]], model))
    return controls


def _level2_controls(source: Path) -> list[Control]:
    objectives: dict[str, list[dict[str, str]]] = {}
    for row in read_table(source, "l2_assessment_objectives_171a.csv"):
        objectives.setdefault(row["cmmc_id"], []).append(row)
    controls = []
    for row in read_table(source, "l2_requirements.csv"):
        label = row["cmmc_id"]
        cid = control_id(label)
        props = [_prop(vocab.LABEL, label, ns=None), _prop(vocab.SORT_ID, sort_id(row["nist_id"]), ns=None)]
        if row["points"]:
            props.append(_prop(vocab.POINTS, row["points"]))
        if row["partial_points"]:
            props.append(_prop(vocab.PARTIAL_POINTS, row["partial_points"]))
        props.append(_prop(vocab.REQUIREMENT_TYPE, row["requirement_type"]))
        if row["l1_id"]:
            props.append(_prop(vocab.LEVEL1_ID, row["l1_id"]))
        props.append(_prop(vocab.POAM_ELIGIBLE, row["poam_eligible"]))
        props.append(_prop(vocab.SCORING_CITATION, row["scoring_citation"]))
        if label not in objectives:
            raise SourceError(f"{label}: no assessment objectives")
        parts = [_statement(cid, row["statement"]), *(_objective(cid, o) for o in objectives.pop(label))]
        model = cat.Control(id=cid, title=row["title"], props=props, parts=parts)
        controls.append(Control(row["family"], row["family_name"], model))
    if objectives:
        raise SourceError(f"objectives for unknown requirements: {', '.join(sorted(objectives))}")
    return controls


def _level3_controls(source: Path) -> list[Control]:
    controls = []
    for row in read_table(source, "l3_requirements.csv"):
        label = row["cmmc_id"]
        cid = control_id(label)
        props = [
            _prop(vocab.LABEL, label, ns=None),
            _prop(vocab.SORT_ID, sort_id(row["nist_id"]), ns=None),
            _prop(vocab.POINTS, row["points"]),
            _prop(vocab.POAM_ELIGIBLE, row["poam_eligible"]),
        ]
        model = cat.Control(id=cid, title=row["title"], props=props, parts=[_statement(cid, row["statement"])])
        controls.append(Control(row["family"], row["family_name"], model))
    return controls


def _groups(controls: Iterable[Control]) -> list[cat.Group2]:
    """One group per family, in the order the families first appear."""

    by_family: dict[str, list[Control]] = {}
    for control in controls:
        by_family.setdefault(control.family, []).append(control)
    return [
        cat.Group2(
            id=family.lower(),
            class_="family",
            title=members[0].family_name,
            controls=[m.model for m in members],
        )
        for family, members in by_family.items()
    ]


def _metadata(title: str, level: int, remarks: str, sources: Sequence[str] = ()) -> com.Metadata:
    return com.Metadata(
        title=title,
        published=PUBLISHED,
        last_modified=PUBLISHED,
        version=CONTENT_VERSION,
        oscal_version=com.OscalVersion(OSCAL_VERSION),
        props=[_prop(vocab.LEVEL, str(level))],
        links=[com.Link(href=f"#{_source_uuid(key)}", rel="reference", text=SOURCES[key].short) for key in sources]
        or None,
        remarks=remarks,
    )


def _source_uuid(key: str) -> str:
    return stable_uuid("cmmc-source", key)


def _back_matter(level: int) -> com.BackMatter:
    resources = []
    for key in LEVEL_SOURCES[level]:
        src = SOURCES[key]
        resources.append(
            com.Resource(
                uuid=_source_uuid(src.key),
                title=src.title,
                rlinks=[com.Rlink(href=src.href)],
            )
        )
    return com.BackMatter(resources=resources)


def build_catalog(level: int, source: Path = DEFAULT_SOURCE) -> cat.Catalog:
    if level == 1:
        family_names = {row["family"]: row["family_name"] for row in read_table(source, "l2_requirements.csv")}
        controls = _level1_controls(source, family_names)
    elif level == 2:
        controls = _level2_controls(source)
    elif level == 3:
        controls = _level3_controls(source)
    else:
        raise ValueError(f"no CMMC level {level}")
    return cat.Catalog(
        uuid=stable_uuid("cmmc-catalog", level, CONTENT_VERSION),
        metadata=_metadata(TITLES[level], level, REMARKS[level], LEVEL_SOURCES[level]),
        groups=_groups(controls),
        back_matter=_back_matter(level),
    )


def build_profile(level: int, fmt: str = "json") -> prof.Profile:
    """The profile selecting every requirement of the level's catalog in the same format."""
    return prof.Profile(
        uuid=stable_uuid("cmmc-profile", level, CONTENT_VERSION),
        metadata=_metadata(PROFILE_TITLES[level], level, f"Selects every requirement of the {TITLES[level]}."),
        imports=[prof.Import1(href=f"../catalogs/{catalog_name(level, fmt)}", include_all=com.IncludeAll())],
        merge=prof.Merge2(as_is=prof.BooleanDatatype(True)),
    )


def generate(source: Path = DEFAULT_SOURCE) -> dict[str, bytes]:
    """Every generated file, by its path relative to the project root."""
    files: dict[str, bytes] = {}
    for level in LEVELS:
        catalog = build_catalog(level, source)
        for fmt in FORMATS:
            files[f"catalogs/{catalog_name(level, fmt)}"] = dumps(catalog, fmt)
            files[f"profiles/{profile_name(level, fmt)}"] = dumps(build_profile(level, fmt), fmt)
    return files


def differences(files: dict[str, bytes], out: Path) -> list[str]:
    """The files under `out` that are missing or differ from `files`."""
    return [name for name, data in files.items() if not (out / name).is_file() or (out / name).read_bytes() != data]


def write_all(files: dict[str, bytes], out: Path) -> list[str]:
    """Write the files that changed; returns their names."""
    changed = differences(files, out)
    for name in changed:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, files[name])
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the CMMC catalogs and profiles.")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of the CMMC reference CSVs")
    parser.add_argument("--out", type=Path, default=ROOT, help="project root to write catalogs/ and profiles/ into")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    args = parser.parse_args(argv)
    try:
        files = generate(args.source)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        stale = differences(files, args.out)
        for name in stale:
            print(f"out of date: {name}", file=sys.stderr)
        return 1 if stale else 0
    for name in write_all(files, args.out):
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
