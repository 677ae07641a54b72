"""A folder's history from git: each commit of its branch that changed a document under it.

The history is read with the `git` command: one `git log` lists the commits (the first-parent chain of HEAD, oldest
first, each compared with its first parent) and the files each changed under the folder; one `git cat-file
--batch` reads the versions of the files the trends need. A repository is untrusted:

- only regular files named like documents (JSON, YAML, XML) are taken; symbolic links and submodules are not;
- every file version is read under the size cap, checked before its content is kept;
- git runs with no pager, no prompt, no optional locks and no signature checks; it runs no hook, filter or diff
  driver for these commands, and the project passes `--no-textconv --no-ext-diff` all the same;
- nothing from the repository reaches a message but the paths of its files and the subjects of its commits,
  shown as text.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Sequence

import oscal_poam.limits as limits
from oscal_poam.errors import UsageError
from oscal_poam.history.versions import History, Version
from oscal_poam.io.files import UnreadableFile, over_the_cap
from oscal_poam.validate.walk import SUFFIXES

REGULAR = ("100644", "100755")
"""The git modes of regular files; links (120000) and submodules (160000) are never read."""

TIMEOUT = 300
"""Seconds a `git log` may take."""

_COMMIT = "\x1ecommit"

LOG_OPTIONS = ("log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--raw", "--no-renames",
               "--no-abbrev", "-z", "--no-textconv", "--no-ext-diff")  # fmt: skip
"""The commits of HEAD's first-parent chain, oldest first, each with the files it changed against its parent."""

_ENVIRONMENT = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat", "PAGER": "cat"}
_CONFIG = ("-c", "core.fsmonitor=false", "-c", "log.showSignature=false", "-c", "core.quotePath=false")


def git_command() -> str:
    found = shutil.which("git")
    if found is None:
        raise UsageError("the git command is not found: install git, or give a folder of dated copies")
    return found


def _run(arguments: Sequence[str], cwd: str, *, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, **_ENVIRONMENT}
    try:
        done = subprocess.run(
            [git_command(), *_CONFIG, *arguments],
            cwd=cwd,
            capture_output=True,
            env=environment,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UsageError(f"{cwd}: git took more than {TIMEOUT} s to read the history") from None
    if check and done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"{cwd}: git failed: {said[0] if said else f'exit {done.returncode}'}")
    return done


def work_tree(folder: str) -> str | None:
    """The root of the git work tree `folder` is in, None when it is in none (or git is not installed)."""
    if shutil.which("git") is None:
        return None
    done = _run(["rev-parse", "--show-toplevel"], folder, check=False)
    if done.returncode != 0:
        return None
    return os.path.realpath(done.stdout.decode("utf-8", "surrogateescape").strip())


def git_history(folder: str | os.PathLike[str]) -> History | None:
    """The history of the documents under `folder`; None when it is not in a git work tree."""
    real = os.path.realpath(folder)
    base = real if os.path.isdir(real) else os.path.dirname(real)
    root = work_tree(base)
    if root is None:
        return None
    prefix = os.path.relpath(real, root).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix
    arguments = [*LOG_OPTIONS, f"--format={_COMMIT}%x00%H%x00%cI%x00%an%x00%s"]
    head = _run(["rev-parse", "--verify", "-q", "HEAD"], root, check=False)
    if head.returncode != 0:
        return History(root, prefix, [], _NoStore(), "git")  # no commit yet
    arguments += ["HEAD", "--", prefix or "."]
    done = _run(arguments, root)
    return History(root, prefix, parse_log(done.stdout), BlobStore(root), "git")


def parse_log(output: bytes) -> list[Version]:
    """The versions `git log --raw -z` printed (with the format above), documents only."""
    tokens = output.decode("utf-8", "surrogateescape").split("\0")
    versions: list[Version] = []
    at = 0
    while at < len(tokens):
        token = tokens[at].lstrip("\n")
        if token != _COMMIT:
            at += 1
            continue
        ref, when, author, subject = tokens[at + 1 : at + 5]
        at += 5
        changed: dict[str, str | None] = {}
        while at + 1 < len(tokens) and tokens[at].lstrip("\n").startswith(":"):
            meta, path = tokens[at].lstrip("\n")[1:].split(), tokens[at + 1]
            at += 2
            if len(meta) < 5 or os.path.splitext(path)[1].lower() not in SUFFIXES:
                continue
            new_mode, new_key, status = meta[1], meta[3], meta[4]
            changed[path] = new_key if status != "D" and new_mode in REGULAR else None
        versions.append(Version(dt.datetime.fromisoformat(when), ref, subject, author, changed))
    return versions


class BlobStore:
    """File versions read through one `git cat-file --batch`, each under the size cap."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.process: subprocess.Popen[bytes] | None = None

    def _started(self) -> subprocess.Popen[bytes]:
        if self.process is None:
            self.process = subprocess.Popen(
                [git_command(), *_CONFIG, "cat-file", "--batch"],
                cwd=self.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, **_ENVIRONMENT},
            )
        return self.process

    def read(self, key: str, shown: str) -> bytes:
        process = self._started()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(key.encode("ascii") + b"\n")
        process.stdin.flush()
        header = process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise UnreadableFile.single("the version is not in the repository", shown)
        size, limit = int(header[2]), limits.max_bytes()
        if size > limit:
            _skip(process, size + 1)
            raise over_the_cap(size, limit, shown)
        data = process.stdout.read(size)
        process.stdout.read(1)  # the line feed after the content
        return data

    def close(self) -> None:
        if self.process is not None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=30)
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.process = None


def _skip(process: subprocess.Popen[bytes], size: int) -> None:
    assert process.stdout is not None
    while size > 0:
        chunk = process.stdout.read(min(size, 1 << 20))
        if not chunk:
            return
        size -= len(chunk)


class _NoStore:
    def read(self, key: str, shown: str) -> bytes:
        raise UnreadableFile.single("no such version", shown)

    def close(self) -> None:
        pass
