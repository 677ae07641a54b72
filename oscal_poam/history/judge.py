"""Each version of a system judged by the engine, its documents read once for the whole history.

A file version is decoded once (discovery needs what it is), validated into its model when a system is judged on
it, and read into its facts once (`engine.gather.Readers` behind a cache): the versions of a history share most of
their documents, and only the one that changed is read again. Each version is judged as of the day it was
recorded, by the engine (`engine.evaluate`, as `check` asks it), and laid out as the report lays it out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from oscal_poam.diff.snapshot import PoamState, snapshot
from oscal_poam.engine.api import evaluate_results
from oscal_poam.engine.evaluate import Evaluation, evaluate
from oscal_poam.engine.gather import Readers, gather
from oscal_poam.engine.inputs import Options
from oscal_poam.errors import LoadError
from oscal_poam.facts.poam import PoamFacts, read_poam
from oscal_poam.facts.results import Assessment, read_assessment
from oscal_poam.history.versions import Store
from oscal_poam.io.load import Document, Format, decode, validate
from oscal_poam.portfolio.documents import Found, summary_of
from oscal_poam.portfolio.systems import System
from oscal_poam.report.model import ScoreView, VerdictView, verdict_and_score

KEEP = 64
"""File versions whose decoded data and model are kept (most versions change one file of many)."""


@dataclass(frozen=True)
class Judgement:
    """A system as one version left it."""

    verdict: VerdictView
    score: ScoreView
    status_date: dt.date | None
    deadline: dt.date | None
    state: PoamState | None
    """The POA&M's snapshot; None without a POA&M."""


class Blobs:
    """The file versions of one history: what each is (discovery), its model and its facts, each read once."""

    def __init__(self, store: Store, root: str) -> None:
        self.store = store
        self.root = root
        self.found: dict[tuple[str, str], Found | None] = {}
        self.unread: dict[str, str] = {}
        """Path -> why its latest unreadable version could not be read."""
        self._raw: OrderedDict[str, tuple[Format, Any, Any]] = OrderedDict()
        self._documents: OrderedDict[str, Document] = OrderedDict()
        self._facts: dict[int, Any] = {}
        self.readers = Readers(poam=self._poam, results=self._results)

    def summary(self, path: str, key: str) -> Found | None:
        """What the version `key` of `path` is (None: not a document of a system, or unreadable)."""
        cached = self.found.get((path, key), ...)
        if cached is not ...:
            return cached
        found: Found | None = None
        try:
            data = self.store.read(key, path)
            fmt, raw, lines = decode(data, path)
            self._keep(self._raw, key, (fmt, raw, lines))
            found = summary_of(fmt, raw, path, os.path.join(self.root, path))
            self.unread.pop(path, None)
        except LoadError as exc:
            self.unread[path] = str(exc.problems[0]) if exc.problems else f"{path}: cannot be read"
        self.found[(path, key)] = found
        return found

    def document(self, found: Found, key: str) -> Document:
        """The model of a file version. Raises LoadError."""
        cached = self._documents.get(key)
        if cached is not None:
            self._documents.move_to_end(key)
            return cached
        raw_entry = self._raw.pop(key, None)
        if raw_entry is None:
            raw_entry = decode(self.store.read(key, found.shown), found.shown)
        fmt, raw, lines = raw_entry
        kind, model = validate(raw, found.shown, expect=found.kind)
        document = Document(kind, model, fmt, found.shown, None, lines)
        self._keep(self._documents, key, document)
        return document

    def _keep(self, cache: OrderedDict[str, Any], key: str, value: Any) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > KEEP:
            _, dropped = cache.popitem(last=False)
            model = getattr(dropped, "model", None)
            if model is not None:
                self._facts.pop(id(model), None)

    def _cached(self, model: Any, read: Any) -> Any:
        key = id(model)
        found = self._facts.get(key)
        if found is None:
            found = self._facts[key] = read()
        return found

    def _poam(self, model: Any, document: str) -> PoamFacts:
        facts: PoamFacts = self._cached(model, lambda: read_poam(model, document))
        return facts

    def _results(self, model: Any, *, level: int | None = None, document: str = "") -> Assessment:
        found = self._facts.get(id(model))
        if isinstance(found, dict) and level in found:
            return found[level]  # type: ignore[no-any-return]
        by_level = found if isinstance(found, dict) else {}
        by_level[level] = read_assessment(model, level=level, document=document)
        self._facts[id(model)] = by_level
        return by_level[level]  # type: ignore[no-any-return]


def judge_version(system: System, keys: dict[str, str], blobs: Blobs, day: dt.date) -> Judgement:
    """Where `system` stood on `day`, judged by the engine on the versions `keys` (path -> key) of its documents.
    Raises LoadError when one of them cannot be read as its model."""

    def document(found: Found | None) -> Document | None:
        return blobs.document(found, keys[found.shown]) if found is not None else None

    # The SSP is not judged: it decides neither the verdict nor the score, and its reconciliation is the report's.
    poam, results = document(system.poam), document(system.results)
    if poam is not None:
        facts = gather(poam=poam, results=results, read=blobs.readers)
        evaluation = evaluate(facts, Options(as_of=day))
        assert facts.poam is not None
        state = snapshot(facts.poam)
    elif results is not None:
        evaluation = evaluate_results(results, as_of=day)
        state = None
    else:
        evaluation, state = Evaluation(diagnostics=(), as_of=day, level=None), None
    verdict, score = verdict_and_score(evaluation, day)
    standing = evaluation.standing
    status_date = state.status_date if state is not None and state.status_date else None
    if status_date is None and standing is not None:
        status_date = standing.status_date
    deadline = standing.deadline if standing is not None and standing.deadline else None
    return Judgement(verdict, score, status_date, deadline, state)
