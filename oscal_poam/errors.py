"""The project's own error types: every expected failure is one of these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the format allows.

    `pointer` is a JSON pointer in OSCAL's own names (hyphenated keys, the root
    key included); `line` and `column` are 1-based where the format has them.
    """

    message: str
    file: str | None = None
    pointer: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def location(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer is not None:
            where += f"#{self.pointer}" if self.pointer else "#/"
        return where

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class OscalPoamError(Exception):
    """Base of every error this package raises on purpose."""


class LoadError(OscalPoamError):
    """An input could not be loaded; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("LoadError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(
        cls,
        message: str,
        file: str | None = None,
        pointer: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> LoadError:
        return cls([Problem(message, file, pointer, line, column)])


class NotOscalError(LoadError):
    """The input is well-formed data, but not an OSCAL document."""


class WriteError(OscalPoamError):
    """An output could not be written; the previous file, if any, is untouched."""


class UsageError(OscalPoamError):
    """The caller asked for something that cannot be done with these inputs."""


class WrongModelError(UsageError, TypeError):
    """An input is not the OSCAL model the call takes, or no OSCAL model at all.

    A UsageError, which the command line reports as such, and a TypeError, as Python reports an argument of
    the wrong type.
    """
