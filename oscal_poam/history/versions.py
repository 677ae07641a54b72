"""The versions of a folder's documents: when each was recorded, and which files it changed.

A history is read from git (`history.git`) or from a folder of dated copies (`history.copies`); both give the
same thing: the versions, oldest first, each with the files it added, changed or removed (paths relative to the
history's root, with `/`), and a store that reads a file's content by its key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol


class Store(Protocol):
    def prefetch(self, keys: Sequence[str]) -> None:
        """The keys about to be read, in that order (a store may read ahead)."""
        ...

    def read(self, key: str, shown: str) -> bytes:
        """The content of the file version `key` (`shown` names it in messages). Raises LoadError (an
        UnreadableFile) when it cannot be read or is over the size cap."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Version:
    when: dt.datetime
    """When the version was recorded: the commit's committer date, or the day of the copies."""
    ref: str
    """The commit id, or the copies' date."""
    subject: str = ""
    """The commit message's first line ('' for copies)."""
    author: str = ""
    changed: Mapping[str, str | None] = field(default_factory=dict)
    """Path -> the key of its content in this version, None where the version removed it."""

    @property
    def day(self) -> dt.date:
        return self.when.date()

    @property
    def short(self) -> str:
        return self.ref[:10]


@dataclass
class History:
    root: str
    """The real path of the folder the paths are relative to (the repository's work tree, or the copies' folder)."""
    prefix: str
    """The folder asked for, relative to `root` ('' for all of it)."""
    versions: list[Version]
    store: Store
    source: Literal["git", "copies"]

    def states(self) -> Iterator[tuple[Version, dict[str, str], list[str]]]:
        """Each version with every file as of it (path -> key) and the paths it changed, in the version's order
        (the order a store is told to read ahead in)."""
        files: dict[str, str] = {}
        for version in self.versions:
            for path, key in version.changed.items():
                if key is None:
                    files.pop(path, None)
                else:
                    files[path] = key
            yield version, files, list(version.changed)

    def close(self) -> None:
        self.store.close()
