"""Which files a repository validation looks at.

Directories are walked for `*.json`, `*.yaml`, `*.yml` and `*.xml`; files named
on the command line are taken as they are. Nothing here opens a file: links and
special files are listed like any other, and `validate_file` decides whether
to read them (the reading boundary). Excludes follow `.gitignore`
syntax: globs (`*`, `?`, `[...]`), `**` across folders, a trailing `/` for
folders only, a leading or inner `/` to anchor at the folder being walked, and
`!` to take back an earlier exclude; the last matching pattern decides. A
pattern is matched against the path relative to the folder named on the
command line (for a file named on the command line, against the path as given).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pathspec

from oscal_poam.errors import UsageError

SUFFIXES = frozenset({".json", ".yaml", ".yml", ".xml"})

SKIPPED_DIRS = frozenset(
    {
        "node_modules",
        "venv",
        "__pycache__",
        "site-packages",
        "dist-packages",
    }
)
"""Folders never walked into, besides hidden ones (`.git`, `.venv`, `.tox`, ...): they hold tools, not documents."""


class Excludes:
    """An ordered list of `.gitignore` patterns, matched by pathspec on RE2: in time linear in the path.

    A pattern that is not a `.gitignore` pattern (`[z-a]`, a lone `\\`) is a UsageError naming it.
    """

    def __init__(self, patterns: Iterable[str] = ()) -> None:
        lines = [p for p in patterns if p.strip() and not p.startswith("#")]
        for line in lines:
            try:
                pathspec.GitIgnoreSpec.from_lines([line], backend="re2")
            except Exception as exc:  # re.error, GitIgnorePatternError, ValueError: each says what is wrong
                raise UsageError(f"--exclude {line!r} is not a .gitignore pattern: {exc}") from None
        self._spec = pathspec.GitIgnoreSpec.from_lines(lines, backend="re2") if lines else None

    def excluded(self, relative: str, is_dir: bool) -> bool:
        """Whether a path (posix, relative to the walked folder) is excluded."""
        if self._spec is None:
            return False
        return bool(self._spec.match_file(relative + "/" if is_dir else relative))

    def __bool__(self) -> bool:
        return self._spec is not None


def candidate_files(paths: Sequence[str | os.PathLike[str]], excludes: Sequence[str] = ()) -> list[Path]:
    """Every file to validate under `paths`, each once, sorted by path.

    Raises FileNotFoundError naming the first path that does not exist.
    """
    rules = Excludes(excludes)
    found: dict[str, Path] = {}
    for given in paths:
        root = Path(given)
        if root.is_dir():
            for file in _walk(root, rules):
                found.setdefault(str(file), file)
        elif os.path.lexists(root):  # a link is taken as it is: validate_file judges where it leads
            if not _file_excluded(root, rules):
                found.setdefault(str(root), root)
        else:
            raise FileNotFoundError(str(root))
    return [found[key] for key in sorted(found, key=_sort_key)]


def _sort_key(path: str) -> tuple[str, ...]:
    return Path(path).parts


def _file_excluded(path: Path, rules: Excludes) -> bool:
    if not rules:
        return False
    parts = path.as_posix().lstrip("/").split("/")
    # A file is excluded when it, or any folder above it, is.
    for depth in range(1, len(parts)):
        if rules.excluded("/".join(parts[:depth]), is_dir=True):
            return True
    return rules.excluded("/".join(parts), is_dir=False)


def _walk(root: Path, rules: Excludes) -> list[Path]:
    files: list[Path] = []
    # os.scandir keeps the walk to one stat per entry; symlinked folders are not followed, so no cycles.
    stack: list[tuple[Path, str]] = [(root, "")]
    while stack:
        folder, relative = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = f"{relative}/{name}" if relative else name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if name in SKIPPED_DIRS or (rules and rules.excluded(rel, is_dir=True)):
                    continue
                stack.append((folder / name, rel))
            elif os.path.splitext(name)[1].lower() in SUFFIXES:
                if rules and rules.excluded(rel, is_dir=False):
                    continue
                # Links and special files too, unopened: validate_file reports those it will not read, so that
                # a link's target cannot make a file appear or vanish from the report.
                files.append(folder / name)
    return files
