"""The reading boundary: which files a document may make the tool open.

Documents name other files: `import-ssp`, `import-ap`, the back-matter `rlinks` an import points at. In a
repository anyone may write, such a name must not reach beyond it. A name is followed only when it resolves,
after every symbolic link, inside one of the allowed folders (the roots), and then only to a regular file, read
under the size cap. Absolute paths, `file:` URLs, paths with a host, traversal out of the roots and links that
leave them are refused from the name alone: the target is never looked at, so no message can tell what it holds
or whether it exists. Remote documents (`https:`, `urn:`, ...) are never fetched.

The roots are, by default, the folder of the document that names the file, and the folders of the documents
given to the same call (`check`, `derive`, `report`); `validate` uses the repository it was given; `--root` sets
them outright (`reading_roots`).
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import unquote, urlsplit

from oscal_poam.io.files import read_file

F = TypeVar("F", bound=Callable[..., Any])

NOT_FOLLOWED = "outside the repository: not followed"
"""What a refused name is reported as, whatever the reason: nothing more is said of its target."""

REMOTE = "a remote document: not fetched"


@dataclass(frozen=True)
class Target:
    """Where a document-named href leads: a real path inside the boundary, or why it is not followed."""

    href: str
    path: Path | None = None
    """The real path (every link resolved) inside the boundary; it may not exist."""
    shown: str = ""
    """The path as the href spells it from the naming document, for messages."""
    refused: bool = False
    """The href leaves the boundary (absolute, traversal, a link out, a `file:` URL, a host)."""
    remote: bool = False
    """A URL or URN: not a local file, never fetched."""


@dataclass(frozen=True)
class Boundary:
    """The folders documents may make the tool read files in, as real paths."""

    roots: tuple[str, ...]

    @classmethod
    def of(cls, folders: Iterable[str | os.PathLike[str]]) -> Boundary:
        return cls(tuple(sorted({os.path.realpath(folder) for folder in folders})))

    def contains(self, real: str | os.PathLike[str]) -> bool:
        """Whether a real path (links already resolved) lies in one of the roots."""
        path = os.fspath(real)
        return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots)

    def locate(self, href: str, base: str | os.PathLike[str]) -> Target:
        """Where `href`, written in a document in the folder `base`, leads. Looks at no file but the links."""
        try:
            parts = urlsplit(href)
        except ValueError:  # an unbalanced IPv6 bracket, say: not a local file
            return Target(href, refused=True)
        if parts.scheme == "file" or len(parts.scheme) == 1:
            return Target(href, refused=True)  # a local file by absolute name, or a Windows drive
        if parts.scheme or parts.netloc:
            return Target(href, remote=True)  # a URL (`//host/...` too) or a URN
        relative = unquote(parts.path)
        if not relative:
            return Target(href)
        if "\0" in relative or relative.startswith(("/", "\\")) or os.path.isabs(relative):
            return Target(href, refused=True)
        joined = os.path.join(os.fspath(base), relative)
        real = os.path.realpath(joined)
        shown = Path(os.path.normpath(joined)).as_posix()
        if not self.contains(real):
            return Target(href, shown=shown, refused=True)
        return Target(href, Path(real), shown)

    def read(self, target: Target, source: str, max_bytes: int | None = None) -> bytes:
        """The bytes of a located target (a regular file, under the cap). Raises UnreadableFile."""
        if target.path is None:
            raise ValueError(f"{target.href!r} does not name a local file inside the boundary")
        return read_file(target.path, source, max_bytes=max_bytes, follow_links=False)


_ROOTS: ContextVar[tuple[str, ...] | None] = ContextVar("oscal_poam_reading_roots", default=None)


@contextmanager
def reading_roots(folders: Iterable[str | os.PathLike[str]] | None) -> Iterator[None]:
    """Within the block, documents may name files in `folders` only (the command line's `--root`).

    None leaves the default: the folder of each naming document.
    """
    if folders is None:
        yield
        return
    token = _ROOTS.set(Boundary.of(folders).roots)
    try:
        yield
    finally:
        _ROOTS.reset(token)


def reading_from_inputs(*names: str) -> Callable[[F], F]:
    """Decorate a public call whose arguments `names` are documents (paths or Documents) the caller chose.

    Unless roots are set for this run (`--root`), the documents these name may be read in the folders of those
    the caller gave: a POA&M given with its SSP may import that SSP from a sibling folder.
    """

    def decorate(function: F) -> F:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if _ROOTS.get() is not None:
                return function(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            folders = [folder for name in names if (folder := _folder_of(bound.arguments.get(name))) is not None]
            with reading_roots(folders or None):
                return function(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def _folder_of(value: Any) -> str | None:
    if isinstance(value, str | os.PathLike):
        return os.path.dirname(os.path.abspath(value))
    path = getattr(value, "path", None)  # a loaded Document
    return os.path.dirname(os.path.abspath(path)) if isinstance(path, os.PathLike) else None


def boundary_for(folder: str | os.PathLike[str]) -> Boundary:
    """The boundary for a document in `folder`: the roots set for this run, else that folder alone."""
    roots = _ROOTS.get()
    return Boundary(roots) if roots is not None else Boundary.of([folder])


def repository_roots(paths: Iterable[str | os.PathLike[str]]) -> Boundary:
    """`validate`'s default roots: each folder given, and for each file given its git work tree, else its folder.

    pre-commit passes single files; the documents they import are elsewhere in the same work tree.
    """
    folders: list[str] = []
    for given in paths:
        real = os.path.realpath(given)
        if os.path.isdir(real):
            folders.append(real)
            continue
        folder = os.path.dirname(real)
        folders.append(_work_tree(folder) or folder)
    return Boundary.of(folders)


def _work_tree(folder: str) -> str | None:
    current = folder
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
