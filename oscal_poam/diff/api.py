"""`diff_files(old, new)`: what changed between two POA&M files, and where each version stands.

Each version is judged by the engine as it records itself (`oscal_poam.engine.api.check` on the POA&M alone, no
file it names is read): the status and the score it records, so that a pull request comment can say whether a
change moves them.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from typing import Any

from oscal_poam.diff.compare import PoamDiff, compare
from oscal_poam.diff.snapshot import EMPTY, PoamState, snapshot
from oscal_poam.engine.api import check
from oscal_poam.io.load import Document, load

NO_FILE = os.devnull
"""The name `git diff` gives the side of a file that does not exist (added or deleted)."""


@dataclass(frozen=True)
class Standing:
    """Where one version of a POA&M stands, as the engine judges what it records of itself."""

    status: str
    """The status as 48 CFR 204.7501 names it, with its qualifier; '' when the POA&M does not say."""
    score: str
    """`104 of 110`, or '' when not known."""
    open_items: int

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status or None, "score": self.score or None, "open-items": self.open_items}


@dataclass(frozen=True)
class Version:
    name: str
    state: PoamState
    standing: Standing | None
    """None for a side that does not exist."""


@dataclass(frozen=True)
class FileDiff:
    old: Version
    new: Version
    diff: PoamDiff


def read_version(path: str | os.PathLike[str], as_of: dt.date, name: str | None = None) -> Version:
    """One POA&M file (or `/dev/null`: none), its snapshot and its standing. Raises LoadError."""
    shown = name or os.fspath(path)
    if os.fspath(path) == NO_FILE:
        return Version(shown, EMPTY, None)
    document = load(path, expect="plan-of-action-and-milestones")
    return version_of(document, as_of, shown)


def version_of(document: Document, as_of: dt.date, name: str) -> Version:
    """The snapshot and standing of a loaded POA&M."""
    # judged as it records itself: the OSCAL checks of the files it names are validate's and check's
    evaluation = check(replace(document, path=None), as_of=as_of)
    facts = evaluation.facts.poam
    assert facts is not None
    state = snapshot(facts)
    standing = evaluation.standing
    status = standing.statement if standing is not None and standing.status != "unknown" else ""
    recorded = evaluation.recorded_score
    score = f"{recorded.value} of {recorded.maximum}" if recorded is not None and recorded.value is not None else ""
    return Version(name, state, Standing(status, score, state.open_items))


def diff_files(
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    *,
    as_of: dt.date | None = None,
    names: tuple[str, str] | None = None,
) -> FileDiff:
    """The changes from the POA&M `old` to the POA&M `new` (either may be `/dev/null`). Raises LoadError."""
    day = as_of or dt.date.today()
    before = read_version(old, day, names[0] if names else None)
    after = read_version(new, day, names[1] if names else None)
    return FileDiff(before, after, compare(before.state, after.state))
