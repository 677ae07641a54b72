"""Work on many documents in worker processes, when there is enough of it to pay for starting them.

`validate` checks the files of a repository this way, and `portfolio` reads and judges its systems: each unit
of work is independent, its result small, and the order of the results is that of the inputs whatever the
number of workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from multiprocessing.context import BaseContext
from typing import TypeVar

from oscal_poam.collector import collector_paused, freeze_for_life
from oscal_poam.io.models import KINDS

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_THRESHOLD = 8
"""Below this many units of work, starting worker processes costs more than it saves."""

MAX_CHUNK = 8
"""The most units of work sent to a worker at once."""

GC_THRESHOLD = (50_000, 20, 100)
"""Collector thresholds while documents are read. Reading allocates many short-lived objects (decoded data,
models) that form no cycles; at the default thresholds the collector takes about a quarter of the time."""


def default_jobs() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


@contextmanager
def collector_tuned() -> Iterator[None]:
    """Within the block, the collector runs at GC_THRESHOLD."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def map_in_processes(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int | None = None,
    threshold: int = PARALLEL_THRESHOLD,
) -> Iterator[R]:
    """`function` over `items`, in order: in this process for a few items or one job, else in `jobs` worker
    processes (default: every processor). `function` must be a module-level function and its items and
    results picklable."""
    workers = max(1, min(jobs or default_jobs(), len(items)))
    with collector_tuned():
        if workers == 1 or len(items) < threshold:
            for item in items:
                yield _paused(function, item)
            return
        _warm_up()
        # Chunks amortize pickling; many small chunks per worker keep the workers evenly loaded when sizes vary
        # (a worker left with the last chunk works alone: a portfolio's system takes some 50 ms).
        chunk = max(1, min(MAX_CHUNK, len(items) // (workers * 8)))
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_worker_started) as pool:
            yield from pool.map(partial(_paused, function), items, chunksize=chunk)


def _paused(function: Callable[[T], R], item: T) -> R:
    """`function(item)` with the cyclic collector paused: what one unit of work builds (a document's data, its
    model, its findings) is freed by reference counting when it ends, and a pass of the collector in between
    would only walk it. The cycles a unit leaves are collected on the collector's schedule, between units."""
    with collector_paused():
        return function(item)


def _worker_started() -> None:
    freeze_for_life()  # what the worker inherited (modules, models' schemas) lives as long as it does
    gc.set_threshold(*GC_THRESHOLD)


def _context() -> BaseContext:
    # On Linux, fork shares the models imported once in the parent; elsewhere fork is unsafe (macOS) or absent
    # (Windows), and the platform's default start method imports them in each worker.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _warm_up() -> None:
    """Import the models before forking, so that each worker does not import them again."""
    for kind in KINDS:
        kind.cls  # noqa: B018 - importing the module is the point
