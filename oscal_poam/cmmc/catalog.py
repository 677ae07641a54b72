"""The CMMC requirements of each level, read from the shipped OSCAL catalogs.

The catalogs are plain JSON walked directly (no model validation), so that
looking up a requirement stays cheap; `tools/gen_catalogs.py` builds them and
the tests validate them against the OSCAL schema.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from oscal_poam.cmmc import vocab
from oscal_poam.cmmc.regulation import LEVELS, MAXIMUM_SCORE
from oscal_poam.errors import LoadError
from oscal_poam.resources import shipped_file

STATEMENT_SUFFIX = "_smt"
OBJECTIVE_INFIX = "_obj."


@dataclass(frozen=True)
class Objective:
    id: str  # "ac.l2-3.1.1_obj.a" (OSCAL part id)
    letter: str  # "a"
    text: str  # "authorized users are identified;"


@dataclass(frozen=True)
class Requirement:
    control_id: str  # "ac.l2-3.1.1" (OSCAL control id)
    label: str  # "AC.L2-3.1.1" (official id)
    title: str
    family: str  # "AC"
    family_name: str  # "Access Control"
    level: int
    nist_id: str  # "3.1.1" (L2), "3.1.2e" (L3), "b.1.i" (L1: the FAR 52.204-21 paragraph)
    statement: str
    points: int | None  # None for CA.L2-3.12.4 and at Level 1 (all or nothing)
    partial_points: int | None  # 3 for IA.L2-3.5.3 and SC.L2-3.13.11
    requirement_type: str | None  # "basic" | "derived" (Level 2)
    poam_eligible: str  # "yes" | "no" | "conditional"
    level1_id: str | None  # Level 2 only
    citation: str  # the 170.24 paragraph that sets the points (Level 2), else ""
    objectives: tuple[Objective, ...]  # Level 2 only

    @property
    def statement_id(self) -> str:
        return self.control_id + STATEMENT_SUFFIX


class CmmcCatalog:
    """The requirements of one level, in catalog order (family groups, then number)."""

    def __init__(self, level: int, requirements: Sequence[Requirement], level2_ids: Mapping[str, str] | None = None):
        self.level = level
        self.requirements: tuple[Requirement, ...] = tuple(requirements)
        self._by_id = {r.control_id: r for r in self.requirements}
        self._by_label = {r.label.lower(): r for r in self.requirements}
        self._by_nist = {r.nist_id.lower(): r for r in self.requirements}
        # Level 1: the SP 800-171 R2 number of each mapped Level 2 requirement -> its Level 1 requirement.
        self._by_level2_nist = {k.lower(): self._by_id[v] for k, v in (level2_ids or {}).items()}

    def __repr__(self) -> str:
        return f"CmmcCatalog(level={self.level}, requirements={len(self.requirements)})"

    def get(self, control_id: str) -> Requirement | None:
        return self._by_id.get(control_id) or self._by_id.get(control_id.strip().lower())

    def by_label(self, label: str) -> Requirement | None:
        """The requirement with this official id, ignoring case (`AC.L2-3.1.1`)."""
        return self._by_label.get(label.strip().lower())

    def by_nist_id(self, nist_id: str) -> Requirement | None:
        """By the number inside the official id: `3.1.1`, `3.1.2e`, `b.1.i`."""
        return self._by_nist.get(nist_id.strip().lower())

    def for_level2_number(self, number: str) -> Requirement | None:
        """Level 1: the requirement that an SP 800-171 R2 number (`3.10.4`) is part of."""
        return self._by_level2_nist.get(number.strip().lower())

    def resolve_target(self, target_id: str) -> Requirement | None:
        """The requirement a finding target names: the control, its statement or one of its objectives."""
        found = self._by_id.get(target_id)
        if found is not None:
            return found
        if target_id.endswith(STATEMENT_SUFFIX):
            return self._by_id.get(target_id.removesuffix(STATEMENT_SUFFIX))
        control, sep, _ = target_id.partition(OBJECTIVE_INFIX)
        if sep:
            requirement = self._by_id.get(control)
            if requirement is not None and any(o.id == target_id for o in requirement.objectives):
                return requirement
        return None

    def families(self) -> tuple[tuple[str, str], ...]:
        """(code, name) of each family, in catalog order."""
        seen: dict[str, str] = {}
        for requirement in self.requirements:
            seen.setdefault(requirement.family, requirement.family_name)
        return tuple(seen.items())

    @property
    def max_score(self) -> int:
        """The score when all are MET (`regulation.MAXIMUM_SCORE`), which the shipped catalogs are checked against."""
        return MAXIMUM_SCORE[self.level]


def catalog_file_name(level: int) -> str:
    return f"cmmc-level{level}-catalog.json"


@functools.cache
def catalog(level: int) -> CmmcCatalog:
    """The shipped catalog of `level` (1, 2 or 3), read once."""
    if level not in LEVELS:
        raise ValueError(f"CMMC has levels 1, 2 and 3, not {level!r}")
    name = catalog_file_name(level)
    source = shipped_file("catalogs", name)
    try:
        data = json.loads(source.read_bytes())
    except FileNotFoundError:
        raise LoadError.single("the shipped catalog is missing", name) from None
    except ValueError as exc:
        raise LoadError.single(f"the shipped catalog is not valid JSON: {exc}", name) from None
    found = read_catalog(data, level, name)
    if len(found.requirements) != MAXIMUM_SCORE[level]:
        raise LoadError.single(
            f"the shipped catalog holds {len(found.requirements)} requirements; Level {level} has "
            f"{MAXIMUM_SCORE[level]}",
            name,
        )
    return found


def read_catalog(data: Any, level: int, source: str = "<catalog>") -> CmmcCatalog:
    """A CmmcCatalog from OSCAL catalog JSON data that follows docs/conventions.md."""
    requirements: list[Requirement] = []
    level2_ids: dict[str, str] = {}
    groups = _list(data, "catalog", "groups")
    for g, group in enumerate(groups):
        family = str(group.get("id", "")).upper()
        family_name = str(group.get("title", ""))
        for c, control in enumerate(group.get("controls") or []):
            pointer = f"/catalog/groups/{g}/controls/{c}"
            requirement = _requirement(control, level, family, family_name, source, pointer)
            requirements.append(requirement)
            for label in _values(control.get("props"), vocab.LEVEL2_ID):
                level2_ids[label.partition("-")[2]] = requirement.control_id
    if not requirements:
        raise LoadError.single("the catalog has no requirements", source, pointer="/catalog/groups")
    return CmmcCatalog(level, requirements, level2_ids)


def _list(data: Any, *keys: str) -> list[Any]:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, list) else []


def _values(props: Any, name: str, ns: str | None = vocab.NS) -> list[str]:
    return [str(p["value"]) for p in props or [] if p.get("name") == name and p.get("ns") == ns and "value" in p]


def _value(props: Any, name: str, ns: str | None = vocab.NS) -> str | None:
    values = _values(props, name, ns)
    return values[0] if values else None


def _int(value: str | None, source: str, pointer: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise LoadError.single(f"points {value!r} is not a whole number", source, pointer=pointer) from None


def _requirement(
    control: dict[str, Any], level: int, family: str, family_name: str, source: str, pointer: str
) -> Requirement:
    props = control.get("props")
    control_id = str(control.get("id", ""))
    label = _value(props, vocab.LABEL, ns=None)
    if not label:
        raise LoadError.single(f"control {control_id!r} has no label", source, pointer=pointer)
    poam_eligible = _value(props, vocab.POAM_ELIGIBLE)
    if poam_eligible is None:
        raise LoadError.single(f"{label} has no {vocab.POAM_ELIGIBLE} prop", source, pointer=pointer)
    statement = ""
    objectives: list[Objective] = []
    for part in control.get("parts") or []:
        if part.get("name") == "statement":
            statement = str(part.get("prose", ""))
        elif part.get("name") == "assessment-objective":
            part_id = str(part.get("id", ""))
            objectives.append(Objective(part_id, part_id.rpartition(OBJECTIVE_INFIX)[2], str(part.get("prose", ""))))
    return Requirement(
        control_id=control_id,
        label=label,
        title=str(control.get("title", "")),
        family=family,
        family_name=family_name,
        level=level,
        nist_id=label.partition("-")[2],
        statement=statement,
        points=_int(_value(props, vocab.POINTS), source, pointer),
        partial_points=_int(_value(props, vocab.PARTIAL_POINTS), source, pointer),
        requirement_type=_value(props, vocab.REQUIREMENT_TYPE),
        poam_eligible=poam_eligible,
        level1_id=_value(props, vocab.LEVEL1_ID),
        citation=_value(props, vocab.SCORING_CITATION) or "",
        objectives=tuple(objectives),
    )


# --- Requirement ids as people write them -------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")

# What may follow an id: nothing, an objective ([a], (a)), an OSCAL part suffix, or a separator and more text.
_END = r"(?=$|[^\w.]|\.(?!\d)|_(?:smt|obj)\b)"

_PREFIX = re.compile(
    r"""^(?:cmmc\s*(?:v?2(?:\.\d+)?)?\s*[:\-]?\s*)?                        # "CMMC", "CMMC 2.0:"
        (?:(?:nist\s*)?(?:sp\s*)?800-17[12]a?\s*                          # "NIST SP 800-171", "800-172"
           (?:(?:r|rev\.?|revision)\s*[23]\b)?\s*(?:feb(?:ruary)?\s*2021)?  # "r2", "Rev. 2", "Feb2021"
           [\s:,\-]*)?""",
    re.IGNORECASE | re.VERBOSE,
)
_OFFICIAL = re.compile(
    r"^([a-z]{2})\s*[.\-_]?\s*l\s*([123])\s*[.\-_]?\s*(3\.\d{1,2}\.\d{1,2}e?|b\.1\.[ivx]+)" + _END, re.IGNORECASE
)
_NIST_NUMBER = re.compile(r"^3\.(\d{1,2})\.(\d{1,2})(e?)" + _END, re.IGNORECASE)
_FAR_PARAGRAPH = re.compile(
    r"^(?:far\s*)?(?:52\.204-21\s*)?\(?b\)?\s*[.(]?\s*1\s*\)?\s*[.(]?\s*([ivx]+)\)?" + _END, re.IGNORECASE
)


def normalize_requirement_id(text: str, level: int | None = None) -> Requirement | None:
    """The requirement an id from a spreadsheet or a report names, or None when it cannot be mapped.

    Accepts official ids in any case (`AC.L2-3.1.1`, `ac.l2-3.1.1`, `AC.L1-b.1.i`), OSCAL part ids
    (`ac.l2-3.1.1_smt`), objectives (`3.1.1[a]`), bare SP 800-171 R2 and SP 800-172 numbers
    (`3.1.1`, `3.1.2e`, after `NIST SP 800-171` or not), FAR paragraphs (`b.1.i`, `52.204-21(b)(1)(i)`),
    an id followed by its title, stray spaces, en dashes and the eCFR's printing errors (`IA-L2-3.5.1`,
    `AC.L2- 3.1.19`). Without `level`, official ids carry their level, bare numbers map to Level 2,
    `e` numbers to Level 3 and FAR paragraphs to Level 1. With `level`, an id of another level gives
    None, except that at Level 1 an SP 800-171 R2 number gives the Level 1 requirement it is part of.
    NIST SP 800-53 ids such as `AC-2` name no CMMC requirement: None.
    """
    if level is not None and level not in LEVELS:
        return None
    cleaned = unicodedata.normalize("NFKC", text).translate(_DASHES).strip()
    cleaned = _PREFIX.sub("", cleaned, count=1)

    official = _OFFICIAL.match(cleaned)
    if official:
        family, id_level = official.group(1).upper(), int(official.group(2))
        if level is not None and id_level != level:
            return None
        found = catalog(id_level).by_nist_id(_canonical(official.group(3)))
        return found if found is not None and found.family == family else None

    number = _NIST_NUMBER.match(cleaned)
    if number:
        canonical = _canonical(number.group(0))
        natural = 3 if number.group(3) else 2
        if level is None or level == natural:
            return catalog(natural).by_nist_id(canonical)
        if level == 1 and natural == 2:
            return catalog(1).for_level2_number(canonical)
        return None

    far = _FAR_PARAGRAPH.match(cleaned)
    if far and level in (None, 1):
        return catalog(1).by_nist_id(f"b.1.{far.group(1).lower()}")
    return None


def _canonical(number: str) -> str:
    """`3.01.01` -> `3.1.1`, `3.1.2E` -> `3.1.2e`, `b.1.I` -> `b.1.i`."""
    match = _NIST_NUMBER.match(number)
    if match is None:
        return number.lower()
    return f"3.{int(match.group(1))}.{int(match.group(2))}{match.group(3).lower()}"
