"""Documents read in this process, kept by file version for the files that import them.

In a repository an SSP is imported by its POA&M and reached through its assessment plan from its results, and it
is validated as a file of its own; each worker process parses a version of a file once, however many documents
name it (`oscal_poam.validate.loaded` reads them; integrity indexes what is kept here once).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from trestle.core.base_model import OscalBaseModel

    from oscal_poam.errors import Problem
    from oscal_poam.io.load import Format
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


def clear() -> None:
    _cache.clear()


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
