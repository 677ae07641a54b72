"""What the engine is given: the facts of the documents a command read, and the options it judges them by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oscal_poam.rules.verification import DEFAULT_EVIDENCE_DAYS as DEFAULT_EVIDENCE_DAYS

if TYPE_CHECKING:
    from oscal_poam.facts.poam import PoamFacts
    from oscal_poam.facts.results import Assessment
    from oscal_poam.facts.ssp import SspFacts
    from oscal_poam.io.boundary import Boundary
    from oscal_poam.io.load import Document

DEFAULT_STALE_DAYS = 30
"""An open item's status date older than this many days is stale (assessor practice)."""


ALL = "ALL"
"""The selector that names every rule."""


@dataclass(frozen=True)
class Selection:
    """Which rules report: by rule id, family or id prefix, as linters select rules.

    A selector names a rule by its id (`credibility-root-cause`), its family (`credibility`), a prefix of ids ending
    at a hyphen (`credibility-milestone` names `credibility-milestone-count` and the other milestone rules), or
    `ALL`. Empty `select` means every rule. A rule reports when `select` is empty or names it, and `ignore` does
    not. Selection hides diagnostics; it never changes a verdict: an ignored reason still stands.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def wants(self, rule_id: str, family: str = "") -> bool:
        if self.select and not any(names(selector, rule_id, family) for selector in self.select):
            return False
        return not any(names(selector, rule_id, family) for selector in self.ignore)

    def wants_family(self, family: str, rule_ids: Iterable[str]) -> bool:
        """Does any rule of `family` report: a family none of whose rules report need not run."""
        return any(self.wants(rule_id, family) for rule_id in rule_ids)

    @property
    def everything(self) -> bool:
        return not self.select and not self.ignore


def names(selector: str, rule_id: str, family: str = "") -> bool:
    """Does `selector` name the rule `rule_id` of `family`."""
    return selector in (ALL, rule_id, family) or rule_id.startswith(selector + "-")


@dataclass(frozen=True)
class Options:
    """How the engine judges the facts.

    `as_of`: the day deadlines, expiry and staleness are judged on; None judges the assessment as of itself (no
    expiry), and the POA&M rules as of today. `level`: the CMMC level, overriding what the documents say.
    `level2_final`: for Level 3, whether the scope holds Final Level 2 (C3PAO) status; None: the results say.
    `stale_days`, `evidence_days`: how old an open item's status date, and an item's automated evidence, may be.
    """

    as_of: dt.date | None = None
    level: int | None = None
    stale_days: int = DEFAULT_STALE_DAYS
    evidence_days: int = DEFAULT_EVIDENCE_DAYS
    level2_final: bool | None = None
    selection: Selection = field(default_factory=Selection)


@dataclass(frozen=True)
class Source:
    """A document the OSCAL checks (integrity, and any other generic check) run over.

    `data`: the document as plain OSCAL JSON data, wrapped in its root key, where the caller has it (else the model
    is serialized). `base_dir`: where its relative imports resolve from (default: its folder).
    """

    document: Document
    data: Any = None
    base_dir: Path | None = None
    boundary: Boundary | None = None
    """Where the files it names may be read (default: the roots set for this run, else its folder)."""
    context: bool = False
    """Given beside the document under judgment (the SSP and the results beside a POA&M): what the OSCAL checks
    find in it does not make the judged document wrong, so its errors are warnings on it (`validate` judges it
    itself)."""


@dataclass(frozen=True)
class Facts:
    """The facts of the documents a command was given, each read once.

    `results` are initial assessment results, `closeout` the results of a POA&M closeout assessment. `sources` are
    the documents the generic OSCAL checks run over; `documents` every document given, for locating diagnostics by
    line.
    """

    poam: PoamFacts | None = None
    ssp: SspFacts | None = None
    results: Assessment | None = None
    closeout: Assessment | None = None
    sources: tuple[Source, ...] = ()
    documents: tuple[Document, ...] = ()
