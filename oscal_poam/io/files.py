"""Reading a file without trusting it: regular files only, and the size cap checked before a byte is read.

Every file the tool reads goes through `read_file`, whether the command line names it or a document does. A
FIFO blocks a reader forever and a device (/dev/zero, /dev/urandom) never ends, so only regular files are
opened: the kind and the size come from stat before the file is opened, the descriptor is opened without
blocking and checked to be that same file, and the read stops one byte past the cap in case the file grows
meanwhile. The messages say what is wrong with the file as a whole, never what it holds.
"""

from __future__ import annotations

import os
import stat

import oscal_poam.limits as limits
from oscal_poam.errors import LoadError, Problem

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1024 * 1024


class UnreadableFile(LoadError):
    """A file could not be read at all. The message names why in the tool's own words, never its content."""


class SpecialFile(UnreadableFile):
    """The path names a FIFO, a device, a socket or a folder: it is never opened."""


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def unreadable(exc: OSError, source: str) -> UnreadableFile:
    """The error of a file the system would not read."""
    if isinstance(exc, FileNotFoundError):
        return UnreadableFile([_problem("file not found", source)])
    if isinstance(exc, PermissionError):
        return UnreadableFile([_problem("permission denied", source)])
    if isinstance(exc, IsADirectoryError):
        return UnreadableFile([_problem("is a directory, not a file", source)])
    return UnreadableFile([_problem(f"cannot read file: {exc.strerror or exc}", source)])


def _problem(message: str, source: str) -> Problem:
    return Problem(message, source)


def refuse_special(mode: int, source: str) -> None:
    """Raise UnreadableFile unless `mode` is a regular file's."""
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise SpecialFile([_problem("is a directory, not a file", source)])
    raise SpecialFile([_problem(f"is {file_kind(mode)}, not a regular file: not read", source)])


def over_the_cap(size: int, limit: int, source: str) -> UnreadableFile:
    return UnreadableFile(
        [_problem(f"file is {size:,} bytes, over the limit of {limit:,} bytes (OSCAL_POAM_MAX_BYTES)", source)]
    )


def read_file(
    path: str | os.PathLike[str],
    source: str | None = None,
    *,
    max_bytes: int | None = None,
    follow_links: bool = True,
) -> bytes:
    """The bytes of the regular file at `path`, at most `max_bytes` of them (default OSCAL_POAM_MAX_BYTES).

    `source` names the file in messages (default: `path` as given). With `follow_links=False` the last part of
    the path must not be a symbolic link (a path already resolved by the reading boundary: a link that
    appears since is refused). Raises UnreadableFile.
    """
    shown = str(path) if source is None else source
    limit = limits.max_bytes() if max_bytes is None else max_bytes
    try:
        before = os.stat(path, follow_symlinks=follow_links)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise unreadable(exc if isinstance(exc, OSError) else FileNotFoundError(), shown) from None
    refuse_special(before.st_mode, shown)
    if before.st_size > limit:
        raise over_the_cap(before.st_size, limit, shown)
    flags = _OPEN_FLAGS | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise unreadable(exc, shown) from None
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino) or not stat.S_ISREG(now.st_mode):
            raise UnreadableFile([_problem("the file changed while it was being opened: not read", shown)])
        chunks: list[bytes] = []
        total = 0
        # One read of the whole file where the system allows (a large file is then never copied a second time by
        # joining chunks), then chunks for whatever is left or has been added since.
        wanted = min(now.st_size, limit) + 1
        while total <= limit:
            chunk = os.read(fd, wanted if not chunks else min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise unreadable(exc, shown) from None
    finally:
        os.close(fd)
    if total > limit:
        raise over_the_cap(total, limit, shown)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
