"""Serialize OSCAL models as JSON, YAML or XML and write them atomically.

compliance-trestle's own writer converts every date-time to UTC, which can
move a deadline to another calendar day. Here a date-time that was read is
written as it was read, every digit and the offset as spelled
(`oscal_poam.io.keep`); one made here (a completion date, say) is written with
the offset it was made with, `Z` for UTC, and no redundant zero fraction.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import orjson
import yaml

from oscal_poam.collector import collector_paused
from oscal_poam.errors import Problem, WriteError
from oscal_poam.io import pointers, yaml12
from oscal_poam.io.keep import text_of
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
    kept = text_of(value)
    if kept is not None:
        return kept
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
    """The document as plain OSCAL JSON data, wrapped in its root key, every string as it was read."""
    wrapped = {kind_of(model).root_key: model.model_dump(by_alias=True, exclude_none=True, mode="python")}
    option = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
    try:
        data: dict[str, Any] = orjson.loads(orjson.dumps(wrapped, default=_default, option=option))
    except orjson.JSONEncodeError as exc:  # nested deeper than orjson writes (255 levels)
        raise WriteError(f"cannot write the {kind_of(model).title}: nested too deeply ({exc})") from None
    return data


@collector_paused()
def dumps(model: OscalBaseModel, fmt: OutputFormat = "json") -> bytes:
    """The bytes of `model` in `fmt`, valid for NIST's schema of that format: the same model, the same bytes.

    Raises WriteError, naming the places, when the document cannot be written validly in `fmt` (an empty title
    read from XML, which OSCAL JSON cannot carry, for one).
    """
    return serialize(to_data(model), fmt)


def serialize(data: dict[str, Any], fmt: OutputFormat) -> bytes:
    """The bytes of OSCAL JSON data (wrapped in its root key) in `fmt`, checked against NIST's schema of `fmt`."""
    from oscal_poam.io import schema  # deferred: the schemas bring lxml, not needed until a document is written

    root_key = next(iter(data))
    if fmt == "xml":
        from oscal_poam.io.faithful import not_in_xml
        from oscal_poam.io.xml import writer

        found = not_in_xml(data)
        if found is not None:  # never replaced, never dropped: refused
            where, char = found
            raise WriteError(
                f"cannot write XML: the text at {where} holds U+{ord(char):04X}, a character XML cannot carry; "
                "nothing written (JSON and YAML can carry it)"
            )
        root = writer.build(data)
        _refuse(schema.xml_problems(root, root_key, "<output>"), fmt)
        return writer.serialize(root)
    if fmt not in ("json", "yaml"):
        raise WriteError(f"unknown output format {fmt!r}")
    problems = schema.json_problems(data, root_key, "<output>")
    if problems:
        data, problems = _without_empty_lines(data, problems, root_key)
        _refuse(problems, fmt)
    if fmt == "json":
        try:
            return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
        except orjson.JSONEncodeError as exc:  # nested deeper than orjson writes (255 levels)
            raise WriteError(f"cannot write the document: nested too deeply ({exc})") from None
    text = yaml.dump(
        data,
        Dumper=_YamlDumper,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
        default_flow_style=False,
    )
    return text.encode("utf-8")


class _YamlDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Quotes every string that a YAML 1.1 reader or a YAML 1.2 (core schema) reader would take for another
    type, so that every reader reads the text that was written."""


_YamlDumper.yaml_implicit_resolvers = {k: list(v) for k, v in yaml.SafeDumper.yaml_implicit_resolvers.items()}
for _first, _resolvers in yaml12.core_resolvers().items():
    _YamlDumper.yaml_implicit_resolvers.setdefault(_first, []).extend(_resolvers)


def _without_empty_lines(
    data: dict[str, Any], problems: list[Problem], root_key: str
) -> tuple[dict[str, Any], list[Problem]]:
    """Leave out the optional empty one-line markup JSON cannot carry (XML can: `<title/>`); what remains wrong,
    a required one among it, is returned with words that say why."""
    from oscal_poam.io import schema  # deferred, as in serialize

    empty = [p for p in problems if p.pointer and _is_empty_line(data, p.pointer, p.message)]
    if not empty:
        return data, problems
    trimmed = copy.deepcopy(data)
    for problem in empty:
        parent, key = pointers.parent_of(trimmed, str(problem.pointer))
        if isinstance(parent, dict):
            del parent[key]
    again = schema.json_problems(trimmed, root_key, "<output>")
    left_out = {str(p.pointer) for p in empty}
    words = [
        Problem(
            "is empty (as XML allows, <title/>) and required; OSCAL JSON and YAML need one line of text here",
            p.file,
            p.pointer,
        )
        if p.pointer in left_out
        else p
        for p in again
    ]
    return trimmed, words


def _is_empty_line(data: dict[str, Any], pointer: str, message: str) -> bool:
    try:
        return pointers.resolve(data, pointer) == "" and "one line of text" in message
    except (KeyError, IndexError, ValueError):
        return False


def _refuse(problems: list[Problem], fmt: str) -> None:
    if problems:
        shown = "; ".join(f"{p.pointer or '/'}: {p.message}" for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise WriteError(f"cannot write valid OSCAL {fmt.upper()}: {shown}{more}")


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
