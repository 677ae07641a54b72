"""`trends(paths, as_of=...)`: how the systems under some folders moved over time, from their history.

Each folder's history is read from git when it is in a git work tree, else from its dated copies
(`history.copies`). At each version that changed a document, the systems are found as the portfolio finds them
(`portfolio.systems`), and each system whose documents changed is judged by the engine as of that version's day.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from oscal_poam.cmmc import regulation
from oscal_poam.errors import LoadError, UsageError
from oscal_poam.history.copies import copies_history
from oscal_poam.history.git import git_history
from oscal_poam.history.judge import Blobs, judge_version
from oscal_poam.history.trends import (
    Event,
    Month,
    Point,
    Remediation,
    Slip,
    Track,
    mean_days,
    median_days,
    months,
    open_items_over_time,
)
from oscal_poam.history.versions import History
from oscal_poam.io.boundary import Boundary
from oscal_poam.parallel import collector_tuned
from oscal_poam.portfolio.documents import Found
from oscal_poam.portfolio.systems import link, slug_of
from oscal_poam.validate.walk import Excludes

if TYPE_CHECKING:
    from oscal_poam.portfolio.api import Portfolio


@dataclass(frozen=True)
class Countdown:
    status_date: dt.date
    deadline: dt.date
    day: int
    days_left: int


@dataclass(frozen=True)
class SystemTrend:
    key: str
    """The system's SSP (else POA&M or results), as a path relative to its history's root."""
    real: str
    anchor: str
    """A fragment id for the system's section of a page."""
    name: str
    system_id: str
    points: tuple[Point, ...]
    events: tuple[Event, ...]
    slips: tuple[Slip, ...]
    remediations: tuple[Remediation, ...]
    undated_closures: int
    problems: tuple[str, ...] = ()

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def months(self) -> list[Month]:
        return months(self.events)

    @property
    def mean_days(self) -> float | None:
        return mean_days(self.remediations)

    @property
    def median_days(self) -> float | None:
        return median_days(self.remediations)

    def countdown(self, as_of: dt.date) -> Countdown | None:
        """The 180 days as of `as_of`, where the latest version has a Conditional (or expired) status."""
        latest = self.latest
        if latest is None or latest.verdict not in ("conditional", "expired") or latest.status_date is None:
            return None
        deadline = regulation.deadline(latest.status_date)
        day = regulation.day_of(latest.status_date, as_of)
        return Countdown(latest.status_date, deadline, day, (deadline - as_of).days)

    def to_dict(self, as_of: dt.date) -> dict[str, Any]:
        countdown = self.countdown(as_of)
        return {
            "key": self.key,
            "name": self.name,
            "system-id": self.system_id or None,
            "versions": [p.to_dict() for p in self.points],
            "opened-closed-per-month": [
                {"month": m.month, "opened": m.opened, "closed": m.closed} for m in self.months
            ],
            "time-to-remediate": _remediation_dict(self.remediations, self.undated_closures),
            "milestone-slips": [s.to_dict() for s in self.slips],
            "countdown": {
                "status-date": countdown.status_date.isoformat(),
                "deadline": countdown.deadline.isoformat(),
                "day": countdown.day,
                "days-left": countdown.days_left,
            }
            if countdown is not None
            else None,
            "problems": list(self.problems),
        }


def _remediation_dict(done: Sequence[Remediation], undated: int) -> dict[str, Any]:
    mean, median = mean_days(done), median_days(done)
    return {
        "closed-items": len(done),
        "mean-days": round(mean, 1) if mean is not None else None,
        "median-days": median,
        "closed-without-dates": undated,
        "items": [
            {"item": r.item, "opened": r.opened.isoformat(), "closed": r.closed.isoformat(), "days": r.days}
            for r in done
        ],
    }


@dataclass(frozen=True)
class Source:
    folder: str
    """As given."""
    root: str
    kind: str
    """`git` or `copies`."""
    versions: int
    first: dt.date | None
    last: dt.date | None


@dataclass(frozen=True)
class Trends:
    as_of: dt.date
    since: dt.date | None
    sources: tuple[Source, ...]
    systems: tuple[SystemTrend, ...]
    unread: tuple[str, ...] = ()
    by_key: dict[str, SystemTrend] = field(default_factory=dict, compare=False)
    """A portfolio row's key -> its system's trend (`portfolio --history`)."""

    @property
    def open_items(self) -> list[tuple[dt.date, int]]:
        return open_items_over_time([s.points for s in self.systems])

    @property
    def events(self) -> list[Event]:
        return [e for s in self.systems for e in s.events]

    @property
    def months(self) -> list[Month]:
        return months(self.events)

    @property
    def remediations(self) -> list[Remediation]:
        return [r for s in self.systems for r in s.remediations]

    @property
    def undated_closures(self) -> int:
        return sum(s.undated_closures for s in self.systems)

    @property
    def mean_days(self) -> float | None:
        return mean_days(self.remediations)

    @property
    def median_days(self) -> float | None:
        return median_days(self.remediations)

    @property
    def slips(self) -> list[tuple[SystemTrend, Slip]]:
        return sorted(((s, slip) for s in self.systems for slip in s.slips), key=lambda p: (p[1].day, p[0].name))

    @property
    def start(self) -> dt.date:
        days = [p.day for s in self.systems for p in s.points]
        return min(days) if days else self.as_of

    def to_dict(self) -> dict[str, Any]:
        return {
            "as-of": self.as_of.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "sources": [
                {
                    "folder": s.folder,
                    "kind": s.kind,
                    "versions": s.versions,
                    "first": s.first.isoformat() if s.first else None,
                    "last": s.last.isoformat() if s.last else None,
                }
                for s in self.sources
            ],
            "open-items": [{"day": d.isoformat(), "open-items": n} for d, n in self.open_items],
            "opened-closed-per-month": [
                {"month": m.month, "opened": m.opened, "closed": m.closed} for m in self.months
            ],
            "time-to-remediate": _remediation_dict(self.remediations, self.undated_closures),
            "milestone-slips": [slip.to_dict(s.name) for s, slip in self.slips],
            "systems": [s.to_dict(self.as_of) for s in self.systems],
            "unread": list(self.unread),
        }


def history_of(folder: str | os.PathLike[str]) -> History:
    """The history of `folder`: its git history, else its dated copies. Raises UsageError when it has neither."""
    if not os.path.exists(folder):
        raise UsageError(f"{os.fspath(folder)}: no such file or folder")
    found = git_history(folder) or copies_history(folder)
    if found is None:
        raise UsageError(f"{os.fspath(folder)}: neither in a git work tree nor a folder of dated copies")
    return found


def trends(
    paths: Sequence[str | os.PathLike[str]],
    *,
    as_of: dt.date,
    since: dt.date | None = None,
    excludes: Sequence[str] = (),
) -> Trends:
    """The trends of the systems under `paths`, from their history, up to `as_of`."""
    systems: list[SystemTrend] = []
    sources: list[Source] = []
    unread: list[str] = []
    for path in paths:
        history = history_of(path)
        try:
            with collector_tuned():
                found, problems = _tracks(history, as_of, Excludes(excludes))
        finally:
            history.close()
        versions = [v for v in history.versions if v.day <= as_of]
        sources.append(
            Source(
                os.fspath(path),
                history.root,
                history.source,
                len(versions),
                versions[0].day if versions else None,
                versions[-1].day if versions else None,
            )
        )
        systems.extend(_trend(track, history, since) for track in found)
        unread.extend(problems)
    anchors: set[str] = set()
    unique = []
    for system in sorted(systems, key=lambda s: (s.name.casefold(), s.key)):
        anchor, n = system.anchor, 1
        while anchor in anchors:
            n += 1
            anchor = f"{system.anchor}-{n}"
        anchors.add(anchor)
        unique.append(_with_anchor(system, anchor))
    return Trends(as_of, since, tuple(sources), tuple(unique), tuple(unread))


def portfolio_trends(
    paths: Sequence[str | os.PathLike[str]],
    portfolio: Portfolio,
    *,
    as_of: dt.date,
    since: dt.date | None = None,
    excludes: Sequence[str] = (),
) -> Trends:
    """`trends` of the portfolio's folders, each row's system found by the real path of its key."""
    found = trends(paths, as_of=as_of, since=since, excludes=excludes)
    by_real = {s.real: s for s in found.systems}
    by_key = {r.key: by_real[real] for r in portfolio.rows if (real := os.path.realpath(r.key)) in by_real}
    return Trends(found.as_of, found.since, found.sources, found.systems, found.unread, by_key)


def _with_anchor(system: SystemTrend, anchor: str) -> SystemTrend:
    return replace(system, anchor=anchor)


def _tracks(history: History, as_of: dt.date, excludes: Excludes) -> tuple[list[Track], list[str]]:
    """Every system's track through the history, up to `as_of`."""
    prefix = history.prefix.rstrip("/")
    boundary = Boundary.of([os.path.join(history.root, prefix) if prefix else history.root])
    blobs = Blobs(history.store, history.root)
    tracks: dict[str, Track] = {}
    judged: dict[str, tuple[tuple[str, str], ...]] = {}
    present: dict[str, Found] = {}

    def wanted(path: str) -> bool:
        if prefix and not path.startswith(prefix + "/"):
            return False
        relative = path[len(prefix) + 1 :] if prefix else path
        return not (excludes and _excluded(excludes, relative))

    history.store.prefetch(_read_order(history, as_of, wanted))
    for version, files, changed in history.states():
        if version.day > as_of:
            break
        relevant = [p for p in changed if wanted(p)]
        if not relevant:
            continue
        for path in relevant:
            key = files.get(path)
            summary = blobs.summary(path, key) if key is not None else None
            if summary is None:
                present.pop(path, None)
            else:
                present[path] = summary
        for system in link(list(present.values()), boundary):
            keys = {d.shown: files[d.shown] for d in system.documents}
            signature = tuple(sorted(keys.items()))
            if judged.get(system.key) == signature:
                continue
            judged[system.key] = signature
            track = tracks.setdefault(system.key, Track(system.key))
            track.name, track.system_id = system.name, system.system_id
            try:
                judgement = judge_version(system, keys, blobs, version.day)
            except LoadError as exc:
                why = str(exc.problems[0]) if exc.problems else "cannot be read"
                track.problems.append(f"{version.short} ({version.day.isoformat()}): {why}")
                continue
            track.add(version, judgement)
    unread = [f"{message} (as of the latest version)" for message in blobs.unread.values()]
    return [t for t in tracks.values() if t.points], unread


def _read_order(history: History, as_of: dt.date, wanted: Callable[[str], bool]) -> list[str]:
    """The file versions `_tracks` reads, in the order it reads them: each changed document once per path."""
    order, seen = [], set()
    for version in history.versions:
        if version.day > as_of:
            break
        for path, key in version.changed.items():
            if key is not None and wanted(path) and (path, key) not in seen:
                seen.add((path, key))
                order.append(key)
    return order


def _excluded(excludes: Excludes, relative: str) -> bool:
    parts = relative.split("/")
    return any(excludes.excluded("/".join(parts[:n]), is_dir=True) for n in range(1, len(parts))) or (
        excludes.excluded(relative, is_dir=False)
    )


def _trend(track: Track, history: History, since: dt.date | None) -> SystemTrend:
    points = track.points
    events, slips = track.events, track.slips
    done, undated = track.remediations()
    if since is not None:
        before = [p for p in points if p.day < since]
        points = before[-1:] + [p for p in points if p.day >= since]
        events = [e for e in events if e.day >= since]
        slips = [s for s in slips if s.day >= since]
        done = [r for r in done if r.closed >= since]
    real = os.path.realpath(os.path.join(history.root, track.key))
    return SystemTrend(
        key=track.key,
        real=real,
        anchor=slug_of(track.key),
        name=track.name or track.key,
        system_id=track.system_id,
        points=tuple(points),
        events=tuple(events),
        slips=tuple(slips),
        remediations=tuple(done),
        undated_closures=undated,
        problems=tuple(track.problems),
    )
