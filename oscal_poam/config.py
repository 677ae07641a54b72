"""Settings from a configuration file, found as linters find theirs.

From the working folder upward, the first folder holding either file decides:

- `.oscal-poam.toml`, with the settings at its top level;
- `pyproject.toml` with a `[tool.oscal-poam]` table (a `pyproject.toml` without one is passed over).

Where a folder holds both, `.oscal-poam.toml` is read. The settings:

    select = ["credibility", "integrity-duplicate-uuid"]   # report only these rules or families (default: all)
    ignore = ["credibility-root-cause"]                     # never report these

The command line's `--select` replaces the file's `select`; its `--ignore` adds to the file's `ignore`.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oscal_poam.errors import LoadError, UsageError
from oscal_poam.io.files import read_file

CONFIG_FILE = ".oscal-poam.toml"
PYPROJECT = "pyproject.toml"
TABLE = "oscal-poam"
MAX_CONFIG_BYTES = 1024 * 1024
"""A configuration file is a few lines: anything larger is not read."""

KEYS = ("select", "ignore")


class ConfigError(UsageError):
    """A configuration file that cannot be read, or holds a setting the tool does not know (exit code 2)."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    source: Path | None = None
    """The file the settings were read from; None when no file was found."""


def find_settings(start: str | os.PathLike[str] | None = None) -> Settings:
    """The settings of the first configuration file from `start` (default: the working folder) upward."""
    folder = Path(start if start is not None else Path.cwd()).resolve()
    for here in (folder, *folder.parents):
        own = here / CONFIG_FILE
        if own.is_file():
            return _settings(_read(own), own, own.name)
        project = here / PYPROJECT
        if project.is_file():
            table = _read(project).get("tool", {})
            if isinstance(table, dict) and TABLE in table:
                return _settings(table[TABLE], project, f"[tool.{TABLE}]")
    return Settings()


def _read(path: Path) -> dict[str, Any]:
    try:
        text = read_file(path, str(path), max_bytes=MAX_CONFIG_BYTES).decode("utf-8")
        return tomllib.loads(text)
    except LoadError as exc:
        raise ConfigError(f"{path}: {exc.problems[0].message}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _settings(table: Any, path: Path, where: str) -> Settings:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where} is not a table of settings")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise ConfigError(f"{path}: {where} holds {names}, which is not a setting (known: {', '.join(KEYS)})")
    found: dict[str, tuple[str, ...]] = {}
    for key in KEYS:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: {where} {key} is not a list of rule ids or families")
        found[key] = tuple(value)
    return Settings(found["select"], found["ignore"], path)
