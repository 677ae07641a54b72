"""Serialize OSCAL models as JSON, YAML or XML and write them atomically.

compliance-trestle's own writer converts every date-time to UTC, which can
move a deadline to another calendar day. Here date-times keep the offset the
input had. What is not kept is redundant precision: `.000` and `.000000`
fractions are dropped and `+00:00` is written as `Z`, because the parsed model
no longer knows how the instant was spelled; the instant and its calendar
date are exactly those of the input.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import orjson
import yaml

from oscal_poam.collector import collector_paused
from oscal_poam.errors import WriteError
from oscal_poam.io.models import kind_of
from oscal_poam.io.outputs import STDOUT, write_bytes, write_outputs
from oscal_poam.io.outputs import output_lock as output_lock  # where writers of OSCAL documents find it

if TYPE_CHECKING:
    from trestle.core.base_model import OscalBaseModel

OutputFormat = Literal["json", "yaml", "xml"]

_SUFFIXES: dict[str, OutputFormat] = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".xml": "xml"}


def format_for(path: str | os.PathLike[str]) -> OutputFormat:
    """The format an output's suffix names; JSON for standard output (`-`)."""
    if os.fspath(path) == STDOUT:
        return "json"
    suffix = Path(path).suffix.lower()
    try:
        return _SUFFIXES[suffix]
    except KeyError:
        shown = suffix or "no suffix"
        raise WriteError(f"{path}: cannot tell the format from {shown!r}; use .json, .yaml or .xml") from None


def format_datetime(value: dt.datetime) -> str:
    if value.microsecond == 0:
        text = value.isoformat(timespec="seconds")
    elif value.microsecond % 1000 == 0:
        text = value.isoformat(timespec="milliseconds")
    else:
        text = value.isoformat(timespec="microseconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return str(value)


def to_data(model: OscalBaseModel) -> dict[str, Any]:
    """The document as plain OSCAL JSON data, wrapped in its root key."""
    data: dict[str, Any] = orjson.loads(_json_bytes(model, indent=False))
    return data


def _json_bytes(model: OscalBaseModel, indent: bool) -> bytes:
    wrapped = {kind_of(model).root_key: model.model_dump(by_alias=True, exclude_none=True, mode="python")}
    option = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
    if indent:
        option |= orjson.OPT_INDENT_2
    try:
        return orjson.dumps(wrapped, default=_default, option=option) + (b"\n" if indent else b"")
    except orjson.JSONEncodeError as exc:  # nested deeper than orjson writes (255 levels)
        raise WriteError(f"cannot write the {kind_of(model).title}: nested too deeply ({exc})") from None


@collector_paused()
def dumps(model: OscalBaseModel, fmt: OutputFormat = "json") -> bytes:
    """The bytes of `model` in `fmt`: the same model always gives the same bytes."""
    if fmt == "json":
        return _json_bytes(model, indent=True)
    if fmt == "yaml":
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(
            to_data(model),
            Dumper=dumper,
            sort_keys=False,
            allow_unicode=True,
            width=4096,
            default_flow_style=False,
        )
        return text.encode("utf-8")
    if fmt == "xml":
        from oscal_poam.io.faithful import not_in_xml
        from oscal_poam.io.xml import dump_xml

        data = to_data(model)
        found = not_in_xml(data)
        if found is not None:  # never replaced, never dropped: refused
            where, char = found
            raise WriteError(
                f"cannot write XML: the text at {where} holds U+{ord(char):04X}, a character XML cannot carry; "
                "nothing written (JSON and YAML can carry it)"
            )
        return dump_xml(data)
    raise WriteError(f"unknown output format {fmt!r}")


def write(model: OscalBaseModel, path: str | os.PathLike[str], fmt: OutputFormat | None = None) -> Path:
    """Write `model` to `path` atomically (oscal_poam.io.outputs); the format follows the suffix unless given."""
    target = Path(path)
    atomic_write_bytes(target, dumps(model, fmt or format_for(path)))
    return target


def write_as(
    model: OscalBaseModel,
    outputs: Sequence[tuple[str | os.PathLike[str] | None, OutputFormat]],
    on_wait: Callable[[], None] | None = None,
) -> list[str]:
    """Write `model` to each (path, format) whose path is given, all or none (oscal_poam.io.outputs); the paths
    written, as given."""
    return [path for path, _ in written_as(model, outputs, on_wait)]


def written_as(
    model: OscalBaseModel,
    outputs: Sequence[tuple[str | os.PathLike[str] | None, OutputFormat]],
    on_wait: Callable[[], None] | None = None,
) -> list[tuple[str, bytes]]:
    """`write_as`, returning each path written (as given) with the bytes written there: what a command places its
    diagnostics in."""
    given = [(path, dumps(model, fmt)) for path, fmt in outputs if path is not None]
    write_outputs(given, on_wait)
    return [(os.fspath(path), data) for path, data in given]


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` safely: see oscal_poam.io.outputs (a temporary file renamed over a regular file,
    direct writes to standard output and devices, the folder's lock). Raises WriteError."""
    write_bytes(path, data)
