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

import collections
import contextlib
import datetime as dt
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import replace

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
    """File versions read through `git cat-file --batch`, each under the size cap.

    `prefetch(keys)` starts a second `cat-file` fed the keys in the order they will be asked for, so that git
    reads ahead while the versions are judged; a key asked for out of that order is read on demand.
    """

    def __init__(self, root: str) -> None:
        self.root = root
        self.process: subprocess.Popen[bytes] | None = None
        self.ahead: _ReadAhead | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [git_command(), *_CONFIG, "cat-file", "--batch"],
            cwd=self.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **_ENVIRONMENT},
        )

    def prefetch(self, keys: Sequence[str]) -> None:
        if keys:
            self.ahead = _ReadAhead(self._start(), list(keys))

    def read(self, key: str, shown: str) -> bytes:
        if self.ahead is not None and self.ahead.next_is(key):
            return self.ahead.take(shown)
        if self.process is None:
            self.process = self._start()
        process = self.process
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(key.encode("ascii") + b"\n")
        process.stdin.flush()
        return _answer(process, shown)

    def close(self) -> None:
        if self.ahead is not None:
            self.ahead.stop()
            self.ahead = None
        if self.process is not None:
            _finish(self.process)
            self.process = None


def _answer(process: subprocess.Popen[bytes], shown: str) -> bytes:
    """The next object `cat-file --batch` prints: its content, or UnreadableFile (missing, not a blob, too big)."""
    assert process.stdout is not None
    header = process.stdout.readline().split()
    if len(header) != 3 or header[1] != b"blob":
        if len(header) == 3:
            _skip(process, int(header[2]) + 1)
        raise UnreadableFile.single("the version is not in the repository", shown)
    size, limit = int(header[2]), limits.max_bytes()
    if size > limit:
        _skip(process, size + 1)
        raise over_the_cap(size, limit, shown)
    data = process.stdout.read(size)
    process.stdout.read(1)  # the line feed after the content
    return data


def _finish(process: subprocess.Popen[bytes]) -> None:
    if process.stdin is not None:
        with contextlib.suppress(OSError):
            process.stdin.close()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


class _ReadAhead:
    """A `cat-file --batch` fed every key at once by one thread while another reads its answers into a bounded
    queue: git works ahead of the judging, and never more than QUEUED versions are held."""

    QUEUED = 32

    def __init__(self, process: subprocess.Popen[bytes], keys: list[str]) -> None:
        self.process = process
        self.keys = collections.deque(keys)
        self.answers: queue.Queue[bytes | UnreadableFile | None] = queue.Queue(self.QUEUED)
        self.stopped = threading.Event()
        self.writer = threading.Thread(target=self._write, args=(list(keys),), daemon=True)
        self.reader = threading.Thread(target=self._read, args=(len(keys),), daemon=True)
        self.writer.start()
        self.reader.start()

    def _write(self, keys: list[str]) -> None:
        assert self.process.stdin is not None
        try:
            for key in keys:
                if self.stopped.is_set():
                    break
                self.process.stdin.write(key.encode("ascii") + b"\n")
            self.process.stdin.close()
        except OSError:
            pass

    def _read(self, count: int) -> None:
        for _ in range(count):
            if self.stopped.is_set():
                return
            try:
                answer: bytes | UnreadableFile | None = _answer(self.process, "")
            except UnreadableFile as exc:
                answer = exc
            except (OSError, ValueError):
                answer = None
            while not self.stopped.is_set():
                try:
                    self.answers.put(answer, timeout=0.5)
                    break
                except queue.Full:
                    continue

    def next_is(self, key: str) -> bool:
        return bool(self.keys) and self.keys[0] == key

    def take(self, shown: str) -> bytes:
        self.keys.popleft()
        answer = self.answers.get()
        if isinstance(answer, UnreadableFile):
            raise UnreadableFile([replace(p, file=shown) for p in answer.problems])
        if answer is None:
            raise UnreadableFile.single("git could not read the version", shown)
        return answer

    def stop(self) -> None:
        self.stopped.set()
        self.process.kill()
        self.process.wait()
        for thread in (self.writer, self.reader):
            thread.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _skip(process: subprocess.Popen[bytes], size: int) -> None:
    assert process.stdout is not None
    while size > 0:
        chunk = process.stdout.read(min(size, 1 << 20))
        if not chunk:
            return
        size -= len(chunk)


class _NoStore:
    def prefetch(self, keys: Sequence[str]) -> None:
        pass

    def read(self, key: str, shown: str) -> bytes:
        raise UnreadableFile.single("no such version", shown)

    def close(self) -> None:
        pass
