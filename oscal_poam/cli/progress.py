"""A progress bar on standard error for long work, drawn only once the work has taken a while.

rich's progress bar is imported when one is drawn, on purpose: deferred imports keep `oscal-poam --version` fast.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from oscal_poam.cli.common import err

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

PROGRESS_AFTER = 0.5
"""Seconds a run must take before a progress bar is worth drawing."""


class LazyProgress:
    """Called with (done, total) as work finishes; appears once the run has taken PROGRESS_AFTER seconds."""

    def __init__(self, label: str, total: int) -> None:
        self.label = label
        self.total = total
        self.started = time.monotonic()
        self.drawn = 0.0
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.progress is None:
            if now - self.started < PROGRESS_AFTER or done >= total:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            # No refresh thread: the bar is drawn from this callback, so worker processes fork from one thread.
            self.progress = Progress(
                TextColumn(self.label),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
                auto_refresh=False,
            )
            self.task = self.progress.add_task(self.label, total=total)
            self.progress.start()
        if self.task is not None and (now - self.drawn >= 0.1 or done >= total):
            self.progress.update(self.task, completed=done, total=total)
            self.progress.refresh()
            self.drawn = now

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def lazy_progress(label: str, total: int) -> LazyProgress | None:
    """A LazyProgress where standard error is a terminal that can draw one, else None."""
    return LazyProgress(label, total) if err.is_terminal and not err.is_dumb_terminal else None
