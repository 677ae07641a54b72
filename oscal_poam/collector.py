"""Pause Python's cyclic garbage collector while a large document is built or dumped.

Building an OSCAL document of a few hundred thousand objects (models, dicts, lists) grows the heap
by a large factor, and the collector answers each quarter of growth with a full pass over every
object alive: on a 5,000-row spreadsheet those passes cost as much CPU as all the real work. The
objects built hold no reference cycles, so reference counting frees them; the collector has nothing
to find. Pausing it for the duration is safe, and its normal schedule resumes afterwards.

What the block built and returns (a loaded model, say) would then all sit in the youngest generation, and the
first young collection after the pause would walk every object of it only to promote it (30 ms for a
1,000-item POA&M). So the young generations move to the oldest one as they are (`gc.freeze` then
`gc.unfreeze` move lists without walking them); the caller's young objects move with them, and a cycle among
those is found by the next full pass instead of a young one. A caller's own frozen objects (`gc.freeze`) are
never thawed: with any, nothing is moved. Finding out costs a count of every frozen object (13 ms in a worker
process, which freezes all it inherited), so a process that freezes for its lifetime says so through
`freeze_for_life` and is never counted.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False
_frozen_for_life = False


def freeze_for_life() -> None:
    """Move every object alive to the permanent generation (`gc.freeze`), for the rest of the process: what a
    worker process inherited lives as long as it does, and the collector need not walk it."""
    global _frozen_for_life
    gc.freeze()
    _frozen_for_life = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cyclic collector off inside the block; nested and concurrent blocks restore it once."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                if not _frozen_for_life and gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()
