"""YAML decoded once per run, whichever process reads it again.

Decoding YAML costs some fifty times what decoding JSON of the same size does, and a run over many systems
decodes each file several times: once to see what it is, once to judge it, once more for every document that
imports it. Within `keeping()`, the plain data, lines and notes of each YAML text decoded are kept, pickled, by a digest
of the bytes: the same bytes decode to the same data, so whoever reads them again (in this process, or in a
worker process started after them, which inherits what was kept) gets a fresh copy of that data without decoding
them again. A file that changed in between has other bytes, and is decoded as it is now.

Worker processes hand what they kept back to their parent (`entry_of`, `adopt`), so that the workers it starts
for the next phase of the work find it. Nothing is kept outside `keeping()`, and what was kept is dropped when
it ends.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

MAX_KEPT_BYTES = 512 * 1024 * 1024
"""Past this much pickled data, nothing more is kept: decoding again costs time, never correctness."""

Entry = tuple[bytes, bytes]
"""The digest of a YAML text and what it decoded to, pickled."""


class _Kept:
    def __init__(self) -> None:
        self.active = False
        self.size = 0
        self.pickles: dict[bytes, bytes] = {}


_state = _Kept()


@contextmanager
def keeping() -> Iterator[None]:
    """Within the block, YAML decoded is kept for whoever decodes the same bytes again."""
    before = _state.active
    _state.active = True
    try:
        yield
    finally:
        _state.active = before
        if not before:
            _state.pickles.clear()
            _state.size = 0


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def recall(data: bytes) -> Any:
    """What YAML bytes decoded before in this run decoded to, as a fresh copy; else None."""
    if not _state.active or not _state.pickles:
        return None
    pickled = _state.pickles.get(_digest(data))
    if pickled is None:
        return None
    return pickle.loads(pickled)


def remember(data: bytes, found: Any) -> None:
    """Keep what YAML bytes decoded to (plain data, lines, notes), within `keeping()` and the budget."""
    if not _state.active:
        return
    pickled = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
    _add(_digest(data), pickled)


def _add(digest: bytes, pickled: bytes) -> None:
    if digest in _state.pickles or _state.size + len(pickled) > MAX_KEPT_BYTES:
        return
    _state.pickles[digest] = pickled
    _state.size += len(pickled)


def entry_of(data: bytes) -> Entry | None:
    """What was kept of these bytes, to hand to another process; None when nothing was."""
    if not _state.active:
        return None
    digest = _digest(data)
    pickled = _state.pickles.get(digest)
    return (digest, pickled) if pickled is not None else None


def adopt(entry: Entry | None) -> None:
    """Keep what another process kept (see `entry_of`)."""
    if entry is not None and _state.active:
        _add(*entry)
