"""Plain OSCAL data into compliance-trestle models: every string kept, nothing refused that NIST's schema takes.

compliance-trestle's models are generated from NIST's JSON schema, and XML allows a little more: an empty
`<title/>` or `<caption/>` is valid for the XSD, while the JSON schema (and so the model) wants one line of
text. A document NIST's schema has accepted in its own format must load, so where the model refuses a value
the schema allowed, the model is built around it: the value is held by a stand-in for validation and put back
afterwards, as read. Writing such a document in a format that cannot carry the value is refused by the writer
(see `oscal_poam.io.write`), never done wrongly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from oscal_poam.errors import LoadError, Problem
from oscal_poam.io import keep, pointers

if TYPE_CHECKING:
    from trestle.core.base_model import OscalBaseModel

    from oscal_poam.io.models import ModelKind

_STAND_IN = "-"
"""Held by a text field during validation where the document has an empty value the schema allows."""

_MAX_ROUNDS = 5


def model_of(kind: ModelKind, content: dict[str, Any], source: str) -> OscalBaseModel:
    """`content` (the document under its root key, already judged valid by NIST's schema) as its model.

    Raises LoadError when the model refuses what the schema allowed in a way that cannot be held.
    """
    held: list[tuple[list[str | int], Any]] = []
    for _ in range(_MAX_ROUNDS):
        try:
            model = keep.validate(kind.cls, content)
        except ValidationError as exc:
            fixes = _stand_ins(exc, content)
            if not fixes:
                raise LoadError(validation_problems(exc, content, source, prefix=(kind.root_key,))) from None
            held.extend(fixes)
            continue
        except RecursionError:
            raise LoadError.single("document is nested too deeply", source) from None
        except (ValueError, TypeError) as exc:
            raise LoadError.single(f"invalid {kind.title}: {exc}", source, pointer="") from None
        for path, value in held:
            _put_back(content, model, path, value)
        return model
    raise LoadError.single(f"invalid {kind.title}: the model refuses values NIST's schema allows", source)


def _stand_ins(exc: ValidationError, content: dict[str, Any]) -> list[tuple[list[str | int], Any]]:
    """Replace the empty strings the model refuses by a stand-in; returns their paths and values."""
    fixes: list[tuple[list[str | int], Any]] = []
    for error in exc.errors(include_url=False):
        if error["type"] not in ("string_pattern_mismatch", "string_too_short"):
            return []  # not a value the schema allows and the model refuses: a real problem
        path = _data_path(error["loc"], content)
        if path is None:
            return []
        parent = _at(content, path[:-1])
        if not isinstance(parent, dict | list) or parent[path[-1]] != "":  # type: ignore[index]
            return []
        parent[path[-1]] = _STAND_IN  # type: ignore[index]
        fixes.append((path, ""))
    return fixes


def _data_path(loc: Sequence[str | int], data: Any) -> list[str | int] | None:
    """The steps of a pydantic location that exist in `data` (labels of union members are left out)."""
    path: list[str | int] = []
    node = data
    for step in loc:
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            node = node[step]
            path.append(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            path.append(step)
    return path if path else None


def _at(data: Any, path: Sequence[str | int]) -> Any:
    node = data
    for step in path:
        node = node[step]
    return node


def _put_back(content: dict[str, Any], model: Any, path: list[str | int], value: Any) -> None:
    """Put `value` back in the data at `path` and in the model at the same place (without validating it)."""
    _at(content, path[:-1])[path[-1]] = value
    node = model
    for step in path[:-1]:
        node = keep.step(node, step)
        if node is None:
            return
    last = path[-1]
    if isinstance(last, int):
        if isinstance(node, list):
            node[last] = value
        return
    name = keep.attribute(node, last)
    if name is not None:
        keep.unwrap(node).__dict__[name] = value


_TOO_DEEP = frozenset({"recursion_depth_exceeded", "recursion_loop"})
"""pydantic's error types for data nested deeper than it validates: older pydantic-core releases (those of
pydantic 2.14.0 and earlier) call it a "recursion_loop"; the data validated here holds no cycles (a YAML alias
that refers to itself is refused when it is read)."""


def validation_problems(
    exc: ValidationError, data: Any, source: str, prefix: Sequence[str | int] = ()
) -> list[Problem]:
    """One Problem per distinct place, in document order, with readable messages."""
    seen: dict[str, Problem] = {}
    errors = exc.errors(include_url=False)
    # Too deep to validate: pydantic stops there, and what it says about the other union members is noise.
    too_deep = [e for e in errors if e["type"] in _TOO_DEEP]
    for error in too_deep or errors:
        pointer = pointers.from_loc(error["loc"], data, prefix)
        if pointer in seen:
            continue
        seen[pointer] = Problem(_human(error), source, pointer)
    return list(seen.values())


def _human(error: Mapping[str, Any]) -> str:
    etype = error.get("type", "")
    loc = error.get("loc", ())
    ctx = error.get("ctx") or {}
    name = next((str(step) for step in reversed(loc) if isinstance(step, str) and "[" not in step), "value")
    got = error.get("input")
    shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if etype in _TOO_DEEP:
        return "nested too deeply to validate"
    if etype == "missing":
        return f"required field {name!r} is missing"
    if etype == "extra_forbidden":
        return f"{name!r} is not a field OSCAL allows here"
    if etype in ("string_pattern_mismatch",):
        return f"{name}: {shown} does not have the required format"
    if etype in ("datetime_parsing", "datetime_from_date_parsing", "datetime_type", "timezone_aware"):
        return f"{name}: {shown} is not a date-time with a time zone (for example 2025-01-31T00:00:00Z)"
    if etype in ("date_parsing", "date_from_datetime_parsing"):
        return f"{name}: {shown} is not a date (YYYY-MM-DD)"
    if etype == "enum":
        return f"{name}: {shown} is not one of {ctx.get('expected', 'the allowed values')}"
    if etype == "too_short":
        return f"{name} must not be empty"
    if etype in ("model_type", "dict_type", "model_attributes_type"):
        return f"{name} must be an object, not {shown}"
    if etype == "list_type":
        return f"{name} must be an array, not {shown}"
    if etype == "string_type":
        return f"{name} must be a string, not {shown}"
    return f"{name}: {error.get('msg', 'invalid value')} (compliance-trestle's model)"
