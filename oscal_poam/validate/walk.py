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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool
    source: str


def compile_pattern(text: str) -> Pattern | None:
    """One `.gitignore` line as a Pattern; None for blank lines and comments."""
    line = text.rstrip("\n")
    if not line.strip() or line.startswith("#"):
        return None
    line = line.rstrip(" ") if not line.endswith("\\ ") else line
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    elif line.startswith("\\!") or line.startswith("\\#"):
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    body = _translate(line)
    prefix = "" if anchored else "(?:.*/)?"
    return Pattern(re.compile(f"^{prefix}{body}$"), negated, dir_only, text)


def _translate(glob: str) -> str:
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == n:
            out.append("/.*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = glob.find("]", i + 2 if glob[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end == -1:
                out.append(re.escape(c))
                i += 1
                continue
            inner = glob[i + 1 : end]
            if inner.startswith("!"):
                inner = "^" + inner[1:]
            out.append("[" + inner.replace("\\", "\\\\") + "]")
            i = end + 1
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


class Excludes:
    """An ordered list of `.gitignore`-style patterns."""

    def __init__(self, patterns: Iterable[str] = ()) -> None:
        compiled = (compile_pattern(p) for p in patterns)
        self.patterns: tuple[Pattern, ...] = tuple(p for p in compiled if p is not None)

    def excluded(self, relative: str, is_dir: bool) -> bool:
        """Whether a path (posix, relative to the walked folder) is excluded."""
        verdict = False
        for pattern in self.patterns:
            if pattern.dir_only and not is_dir:
                continue
            if pattern.regex.match(relative):
                verdict = not pattern.negated
        return verdict

    def __bool__(self) -> bool:
        return bool(self.patterns)


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
