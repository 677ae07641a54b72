"""`portfolio(paths, as_of=...)`: every system under the folders given, judged, sorted by urgency."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from oscal_poam.io import decoded
from oscal_poam.parallel import map_in_processes
from oscal_poam.portfolio.discover import Discovery, Unread, discover
from oscal_poam.portfolio.judge import Judged, Work, judge
from oscal_poam.portfolio.model import URGENCY, Row
from oscal_poam.portfolio.systems import slug_of
from oscal_poam.portfolio.verification import available

Progress = Callable[[str, int, int], None]
"""Called with (what is being done, units done, units in all)."""


@dataclass(frozen=True)
class Portfolio:
    as_of: dt.date
    folders: tuple[str, ...]
    """The paths given, as given."""
    rows: tuple[Row, ...]
    """One per system, most urgent first."""
    unread: tuple[Unread, ...] = ()
    not_followed: tuple[str, ...] = ()
    files: int = 0
    regressed_available: bool = False
    pages: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Each system's own report: its href (relative to the portfolio page) -> the HTML page."""

    def by_verdict(self) -> dict[str, int]:
        """How many systems have each verdict, in the order of urgency."""
        counted: Counter[str] = Counter(r.verdict.kind for r in self.rows)
        return {kind: counted[kind] for kind in URGENCY if counted[kind]}

    def total(self, name: str) -> int:
        """The sum of a count over the rows that have it (`open_items`, `overdue_milestones`, ...)."""
        return sum(getattr(r, name) or 0 for r in self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as-of": self.as_of.isoformat(),
            "folders": list(self.folders),
            "systems": len(self.rows),
            "verdicts": self.by_verdict(),
            "open-items": self.total("open_items"),
            "overdue-milestones": self.total("overdue_milestones"),
            "regressed-verification-available": self.regressed_available,
            "rows": [r.to_dict() for r in self.rows],
            "unread": [{"file": u.shown, "message": u.message} for u in self.unread],
            "not-followed": list(self.not_followed),
            "files": self.files,
        }


def portfolio(
    paths: Sequence[str | os.PathLike[str]],
    *,
    as_of: dt.date,
    reports: str | None = None,
    excludes: Sequence[str] = (),
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Portfolio:
    """The systems under `paths`, each judged as of `as_of`, most urgent first.

    `reports`: the folder (an href relative to the portfolio page) the systems' own reports go in; None makes no
    reports. `progress` is called with (what is being done, done, in all) as work finishes. Raises UsageError for
    a path that does not exist.
    """
    with decoded.keeping():  # each YAML file decoded once, to see what it is; judged from what that kept
        found = discover(paths, excludes=excludes, jobs=jobs, progress=progress)
        hrefs = _report_hrefs(found, reports, paths)
        work = [
            Work(system, as_of, found.boundary.roots, reports is not None, hrefs.get(system.key))
            for system in found.systems
        ]
        judged: list[Judged] = []
        for one in map_in_processes(judge, work, jobs=jobs):
            judged.append(one)
            if progress is not None:
                progress("judging", len(judged), len(work))
    pages = {j.row.report: j.page for j in judged if j.row.report is not None and j.page is not None}
    rows = tuple(sorted((j.row for j in judged), key=Row.urgency))
    return Portfolio(
        as_of=as_of,
        folders=tuple(os.fspath(p) for p in paths),
        rows=rows,
        unread=found.unread,
        not_followed=found.not_followed,
        files=found.files,
        regressed_available=available(),
        pages=pages,
    )


def _report_hrefs(found: Discovery, folder: str | None, paths: Sequence[str | os.PathLike[str]]) -> dict[str, str]:
    """System key -> the href of its report in `folder`: a slug of its key from the folder given that holds it
    (`clients/acme/ssp.json` -> `clients-acme-ssp-json`), made unique in key order."""
    if folder is None:
        return {}
    given = [os.path.dirname(os.path.normpath(os.fspath(p))) for p in paths]
    taken: set[str] = set()
    hrefs = {}
    for system in found.systems:
        key = os.path.normpath(system.key)
        base = next((g for g in given if g and key.startswith(g + os.sep)), "")
        slug = slug_of(os.path.relpath(key, base) if base else key)
        name, n = slug, 1
        while name in taken:
            n += 1
            name = f"{slug}-{n}"
        taken.add(name)
        hrefs[system.key] = f"{folder.rstrip('/')}/{name}.html"
    return hrefs
