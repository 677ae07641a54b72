"""Documents read during one validation run, kept for the files that import them (`oscal_poam.io.loaded`).

In a repository an SSP is imported by its POA&M and reached through its
assessment plan from its results, and it is validated as a file of its own;
each worker process parses a version of a file once, however many documents
name it.
"""

from __future__ import annotations

from pathlib import Path

from oscal_poam.errors import LoadError
from oscal_poam.io import loaded as kept
from oscal_poam.io.files import read_file
from oscal_poam.io.load import read, validate
from oscal_poam.io.loaded import Loaded, cached, remember
from oscal_poam.rules.integrity import forget_imports

__all__ = ["Loaded", "cached", "forget", "load_path", "remember"]


def forget() -> None:
    """Start a run afresh: a file may have changed within the resolution of its modification time."""
    kept.clear()
    forget_imports()


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
