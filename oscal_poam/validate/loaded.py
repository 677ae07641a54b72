"""Documents read during one validation run, kept for the files that import them.

In a repository an SSP is imported by its POA&M and reached through its
assessment plan from its results, and it is validated as a file of its own;
each worker process parses a version of a file once, however many documents
name it.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oscal_poam.errors import LoadError, Problem
from oscal_poam.io.files import read_file
from oscal_poam.io.load import Format, read, validate
from oscal_poam.rules.integrity import forget_imports

if TYPE_CHECKING:
    from collections.abc import Mapping

    from trestle.core.base_model import OscalBaseModel

    from oscal_poam.io.models import ModelKind

_KEEP = 16


@dataclass(frozen=True)
class Loaded:
    """A file decoded and validated into its model."""

    format: Format
    raw: Any
    lines: Mapping[str, int]
    kind: ModelKind
    model: OscalBaseModel | None
    """None when the document is not valid for its model (it is still checked as far as it can be read)."""
    notes: tuple[Problem, ...] = ()
    """Warnings about its text (YAML scalars other readers take otherwise)."""


_cache: OrderedDict[tuple[str, int, int], Loaded] = OrderedDict()


def forget() -> None:
    """Start a run afresh: a file may have changed within the resolution of its modification time."""
    _cache.clear()

    forget_imports()


def _key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (os.path.abspath(path), stat.st_mtime_ns, stat.st_size)


def cached(path: Path) -> Loaded | None:
    """The document at `path` if this process has loaded this version of it already."""
    try:
        key = _key(path)
    except OSError:
        return None
    found = _cache.get(key)
    if found is not None:
        _cache.move_to_end(key)
    return found


def remember(path: Path, loaded: Loaded) -> None:
    """Keep a document this process has loaded, for the files that import it."""
    try:
        key = _key(path)
    except OSError:
        return
    _cache[key] = loaded
    _cache.move_to_end(key)
    while len(_cache) > _KEEP:
        _cache.popitem(last=False)


def load_path(path: Path, shown: str) -> Loaded:
    """The document at the real path `path` (inside the reading boundary), from this process's cache or read now.

    Raises LoadError or OSError.
    """
    found = cached(path)
    if found is not None:
        return found
    decoded = read(read_file(path, shown, follow_links=False), shown)
    if decoded.problems:
        raise LoadError(decoded.problems)
    kind, model = validate(decoded.raw, shown, checked=True)
    loaded = Loaded(decoded.format, decoded.raw, decoded.lines, kind, model, decoded.notes)
    remember(path, loaded)
    return loaded
