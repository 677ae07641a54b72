"""Writing a command's outputs so that nothing is destroyed.

- An output that resolves to one of the command's inputs is refused before any work (`refuse_overwriting`).
- A regular file (or a path that does not exist yet) is written to a temporary file beside it, flushed, and
  renamed over it: a reader sees the old file or the new one, never a part. A symbolic link is followed: its
  target is replaced and the link stays a link.
- Anything else (`-` for standard output, `/dev/stdout`, `/dev/null`, a FIFO, a terminal) is written to directly
  and never renamed over: replacing `/dev/null` with a regular file would break every process on the machine.
- A command writing several files (derive's JSON and XML) writes all of them or none: every temporary file is
  complete before the first rename, and a rename that fails puts back what the earlier ones replaced. Many files
  (a portfolio's reports) are written and flushed several at a time.
- Writers into one folder take its advisory lock (`output_lock`), so that a derive merging onto a file and an
  import replacing it run one after the other.
- Every failure of the system is a WriteError naming the path and the reason in words (exit code 5), and leaves
  no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from oscal_poam.errors import UsageError, WriteError

STDOUT = "-"
"""The output name that means standard output."""


def is_stdout(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is standard output: `-`, or a name for the file descriptor 1 (`/dev/stdout`)."""
    if os.fspath(path) == STDOUT:
        return True
    try:
        mine, theirs = os.stat(path), os.fstat(1)
    except (OSError, ValueError):
        return False
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino) and not stat.S_ISREG(mine.st_mode)


def is_stream(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is written to directly: standard output, or something that exists and is not a regular
    file or a folder (a device, a FIFO, a terminal), through any number of links."""
    if os.fspath(path) == STDOUT:
        return True
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _identity(path: str | os.PathLike[str]) -> tuple[int, int] | str | None:
    """What makes two names the same file: device and inode where it exists, else its real path."""
    if os.fspath(path) == STDOUT:
        return None
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return os.path.realpath(path)
    if not stat.S_ISREG(found.st_mode) and not stat.S_ISDIR(found.st_mode):
        return None  # /dev/null, /dev/stdout: written to, never replaced, so no input is lost through them
    return (found.st_dev, found.st_ino)


def refuse_overwriting(
    outputs: Iterable[tuple[str, str | os.PathLike[str] | None]],
    inputs: Iterable[tuple[str, str | os.PathLike[str] | None]],
) -> None:
    """UsageError, naming both, when an output is one of the inputs, or two outputs are one file.

    Each entry is (what it is, for the message: `--output`; its path, or None when not given).
    """
    for name, path in outputs:
        if path is not None and os.fspath(path) != STDOUT and os.path.isdir(path):
            raise UsageError(f"{name} {path} is a folder; name a file")
    given_inputs = [(name, path, _identity(path)) for name, path in inputs if path is not None]
    seen: list[tuple[str, str | os.PathLike[str], tuple[int, int] | str]] = []
    for name, path in outputs:
        if path is None:
            continue
        identity = _identity(path)
        if identity is None:
            continue
        for input_name, input_path, input_identity in given_inputs:
            if identity == input_identity:
                raise UsageError(
                    f"{name} {path} would overwrite the input {input_name} {input_path}; choose another file"
                )
        for other_name, other_path, other_identity in seen:
            if identity == other_identity:
                raise UsageError(f"{name} {path} and {other_name} {other_path} name the same file")
        seen.append((name, path, identity))


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two names are one file (the same device and inode, or the same real path for a new one)."""
    identity = _identity(a)
    return identity is not None and identity == _identity(b)


def existing_file(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a regular file now (standard output, devices and folders are not)."""
    return os.fspath(path) != STDOUT and os.path.isfile(path)


@dataclass
class _Prepared:
    target: Path  # the file renamed over: the output's real path, links followed
    shown: str
    temporary: Path
    backup: Path | None = None
    replaced: bool = False


def write_outputs(
    outputs: Sequence[tuple[str | os.PathLike[str], bytes]], on_wait: Callable[[], None] | None = None
) -> None:
    """Write every (path, data) in `outputs`, all or none; see the module docstring. Raises WriteError.

    `on_wait` is called once if another process holds the lock of an output's folder.
    """
    files: list[tuple[Path, bytes]] = [(Path(path), data) for path, data in outputs if not is_stream(path)]
    streams = [(path, data) for path, data in outputs if is_stream(path)]
    with contextlib.ExitStack() as stack:
        stack.enter_context(output_locks([path for path, _ in files], on_wait))
        prepared: list[_Prepared] = []
        try:
            _prepare_all(files, prepared)
            for stream, data in streams:
                _stream(stream, data)
            _commit(prepared)
        finally:
            for item in prepared:
                for leftover in (item.temporary, item.backup):
                    if leftover is not None:
                        with contextlib.suppress(OSError):
                            leftover.unlink()


CONCURRENT_WRITES = 8
"""Temporary files written and flushed at once when a command writes many (a portfolio's reports): the disk
commits their flushes together instead of one after the other."""


def _prepare_all(files: Sequence[tuple[Path, bytes]], prepared: list[_Prepared]) -> None:
    """Every temporary file, complete and flushed, appended to `prepared` (so that the caller removes them all
    on failure); raises the first WriteError."""
    if len(files) < 2 * CONCURRENT_WRITES:
        for file, data in files:
            prepared.append(_prepare(file, data))
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=CONCURRENT_WRITES) as pool:
        futures = [pool.submit(_prepare, file, data) for file, data in files]
    failed: WriteError | None = None
    for future in futures:
        try:
            prepared.append(future.result())
        except WriteError as exc:
            failed = failed or exc
    if failed is not None:
        raise failed


def write_bytes(path: str | os.PathLike[str], data: bytes, on_wait: Callable[[], None] | None = None) -> None:
    """Write one output; see `write_outputs`."""
    write_outputs([(path, data)], on_wait)


def _real_folder(path: Path) -> Path:
    return Path(os.path.realpath(path)).parent


_IN_WORDS = {
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
}
"""What the usual refusals mean, in words; the system's own words follow in parentheses."""


def _why(exc: OSError) -> str:
    said = exc.strerror or str(exc)
    words = _IN_WORDS.get(exc.errno or 0)
    return f"{words} ({said})" if words is not None and words.lower() != said.lower() else said


def _prepare(path: Path, data: bytes) -> _Prepared:
    """A complete temporary file beside the output's real path, with the permissions the output will have."""
    target = Path(os.path.realpath(path))
    folder = target.parent
    if not folder.is_dir():
        raise WriteError(f"{path}: folder {path.parent} does not exist")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write in the folder {path.parent}: {_why(exc)}") from None
    item = _Prepared(target, str(path), Path(name))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = os.stat(target).st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(item.temporary, mode)
    except OSError as exc:
        with contextlib.suppress(OSError):
            item.temporary.unlink()
        raise WriteError(f"{path}: cannot write: {_why(exc)}") from None
    return item


def _commit(prepared: list[_Prepared]) -> None:
    """Rename every temporary file over its output; if one rename fails, put the earlier outputs back."""
    if len(prepared) > 1:
        for item in prepared:
            item.backup = _link_beside(item.target)
    try:
        for item in prepared:
            os.replace(item.temporary, item.target)
            item.replaced = True
    except OSError as exc:
        failed = next(item for item in prepared if not item.replaced)
        for item in prepared:
            if not item.replaced:
                continue
            with contextlib.suppress(OSError):
                if item.backup is not None:
                    os.replace(item.backup, item.target)
                    item.backup = None
                else:
                    item.target.unlink()
        raise WriteError(f"{failed.shown}: cannot write: {_why(exc)}; nothing written") from None


def _link_beside(target: Path) -> Path | None:
    """A second name for the current output (None when there is none yet), to put it back on failure."""
    if not target.exists():
        return None
    for _ in range(8):
        backup = target.with_name(f".{target.name}.{secrets.token_hex(6)}.bak")
        try:
            os.link(target, backup)
            return backup
        except FileExistsError:
            continue
        except OSError as exc:
            raise WriteError(f"{target}: cannot write in its folder: {_why(exc)}") from None
    raise WriteError(f"{target}: cannot write in its folder: no free temporary name")


def _stream(path: str | os.PathLike[str], data: bytes) -> None:
    """Write to standard output, a device or a FIFO as it is: opened for writing, never created or replaced."""
    try:
        if os.fspath(path) == STDOUT:
            sys.stdout.flush()
            out = sys.stdout.buffer
            out.write(data)
            out.flush()
            return
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        finally:
            os.close(fd)
    except OSError as exc:
        raise WriteError(f"{os.fspath(path)}: cannot write: {_why(exc)}") from None


@contextmanager
def output_locks(
    paths: Iterable[str | os.PathLike[str] | None], on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """The locks of the folders of every output, always taken in one order, so two writers never wait on each
    other."""
    one_per_folder = {_real_folder(Path(p)): p for p in paths if p is not None and not is_stream(p)}
    with contextlib.ExitStack() as stack:
        for folder in sorted(one_per_folder):
            stack.enter_context(output_lock(one_per_folder[folder], on_wait))
        yield


_held: dict[str, int] = {}
"""Folders this process holds the lock of, and how many times: a derive holding its output's folder writes there."""


@contextmanager
def output_lock(path: str | os.PathLike[str], on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock for writing `path` (re-deriving reads it first, then replaces it).

    Two processes merging onto the same output would otherwise both read the old file, and the second
    replace would drop the first one's work. The lock is taken on the folder that holds `path` (an open
    directory, so nothing is left behind) and released on exit; `on_wait` is called once when another
    process holds it. A process may take a lock it holds again. Outputs that are not files (standard output,
    a device) take none. Where the platform has no `fcntl` (Windows), only the atomic replace protects.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    if is_stream(path):
        yield
        return
    folder = _real_folder(Path(path))
    key = str(folder)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise WriteError(f"{os.fspath(path)}: folder {Path(path).parent} does not exist") from None
    except OSError as exc:
        raise WriteError(f"{os.fspath(path)}: cannot open the folder {folder}: {_why(exc)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            raise WriteError(f"{os.fspath(path)}: cannot lock the folder {folder}: {_why(exc)}") from None
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
    finally:
        os.close(fd)  # closing the descriptor releases the lock
