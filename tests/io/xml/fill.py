"""OSCAL documents built with compliance-trestle's models in which every optional field is filled.

`filled(cls, variant)` walks the model class's fields (through lists, unions,
root models and enums) and builds JSON data that sets every field, then
validates it into the model. Where the model offers alternatives (a union such
as the three timings of a task, or the two shapes of a party), `variant`
rotates which one is taken, so a few variants cover every alternative.
Recursive models (tasks in tasks, parts in parts) nest one level.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import re
import sys
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo

from oscal_poam.ids import stable_uuid

MARKUP_MULTILINE = "A paragraph with *emphasis*, **strong** text and `code`.\n\n* first point\n* second point"
PLAIN_MULTILINE = "A plain paragraph."
RICH_EVERY = 4
"""One free-text value in four carries Markdown; the others are plain (converting Markdown is the slow part)."""
MARKUP_LINE = "A line with *emphasis* and `code`"

_CANDIDATES = (
    MARKUP_LINE,
    "value text",
    "token-1",
    "https://example.com/resource",
    "aGVsbG8gd29ybGQ=",
    "1.2.1",
    "2026-03-01",
    "someone@example.com",
)


_BY_NAME = {
    # values NIST's schema holds to more than the models do: a URI reference (XML Schema collapses the white
    # space of anyURI), a media type, and closed lists the models leave open
    "href": "https://example.com/resource#part",
    "source": "https://example.com/catalog.json",
    "media_type": "application/json",
    "unit": "days",
    "with_child_controls": "yes",
    "order": "ascending",
    "type": "organization",
}
"""Field name -> a value valid for NIST's schema, where the model would take text that the schema would not."""


def _patterns(info: Any) -> list[str]:
    found = []
    for item in getattr(info, "metadata", ()) or ():
        pattern = getattr(item, "pattern", None)
        if pattern:
            found.append(pattern)
    return found


class _Builder:
    def __init__(self, variant: int) -> None:
        self.variant = variant
        self.counter = itertools.count()
        self.texts = itertools.count(variant)
        self.rotation: dict[int, int] = {}

    def uuid(self) -> str:
        return stable_uuid("filled", str(self.variant), str(next(self.counter)))

    def choose(self, options: tuple[Any, ...]) -> Any:
        key = hash(options)
        turn = self.rotation.get(key, self.variant)
        self.rotation[key] = turn + 1
        return options[turn % len(options)]

    def model(self, cls: type[BaseModel], stack: tuple[type, ...]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        namespace = vars(sys.modules[cls.__module__])
        for name, info in cls.model_fields.items():
            annotation = info.annotation
            if isinstance(annotation, typing.ForwardRef):  # models that refer to later ones
                annotation = eval(annotation.__forward_arg__, namespace)
            value = self.value(annotation, name, info, (*stack, cls))
            if value is not None:
                data[info.alias or name] = value
        return data

    def value(self, annotation: Any, name: str, info: FieldInfo | None, stack: tuple[type, ...]) -> Any:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin in (typing.Union, types.UnionType):
            options = tuple(a for a in args if a is not type(None))
            if len(options) == 1:
                return self.value(options[0], name, info, stack)
            models = tuple(o for o in options if isinstance(o, type) and issubclass(o, BaseModel))
            if models and len(models) == len(options):
                return self.value(self.choose(options), name, info, stack)
            enums = tuple(o for o in options if isinstance(o, type) and issubclass(o, enum.Enum))
            others = tuple(o for o in options if o not in enums)
            picked = self.choose((*enums[:1], *others[:1])) if enums and others else self.choose(options)
            return self.value(picked, name, info, stack)
        if origin is dict:  # free-form objects (a profile's combine and flat directives)
            return {}
        if origin is list:
            (item,) = args
            if isinstance(item, type) and issubclass(item, BaseModel) and stack.count(item) >= 1:
                return None  # recursive lists nest one level
            count = 2 if len(stack) <= 1 else 1
            values = [self.value(item, name, None, stack) for _ in range(count)]
            values = [v for v in values if v is not None]
            return values or None
        if origin is typing.Annotated:
            base, *metadata = args
            return self.scalar(base, name, [getattr(m, "pattern", None) for m in metadata])
        if isinstance(annotation, type) and issubclass(annotation, RootModel):
            root = annotation.model_fields["root"]
            return self.value(root.annotation, name, root, stack)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if stack.count(annotation) >= 2:
                return None
            return self.model(annotation, stack)
        return self.scalar(annotation, name, _patterns(info))

    def scalar(self, annotation: Any, name: str, patterns: Sequence[str | None]) -> Any:
        pattern = next((p for p in patterns if p), None)
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            members = list(annotation)
            return members[self.variant % len(members)].value
        text = getattr(annotation, "__name__", str(annotation))
        if annotation is bool:
            return bool(self.variant % 2)
        if annotation is int:
            return 1 + self.variant
        if "AwareDatetime" in text or annotation is dt.datetime:
            return f"2026-03-0{1 + self.variant % 9}T09:30:00-05:00"
        if annotation is dt.date:
            return "2026-03-01"
        if "Url" in text:
            return "https://example.com/resource"
        if "Email" in text:
            return "someone@example.com"
        if name in _BY_NAME:
            return _BY_NAME[name]
        if pattern is None:
            return MARKUP_MULTILINE if next(self.texts) % RICH_EVERY == 0 else PLAIN_MULTILINE
        regex = re.compile(pattern)
        if name.endswith("uuid") or name == "uuid" or "uuid" in name:
            candidate = self.uuid()
            if regex.search(candidate):
                return candidate
        for candidate in _CANDIDATES:
            if regex.search(candidate):
                return candidate
        uuid = self.uuid()
        if regex.search(uuid):
            return uuid
        raise ValueError(f"no value for {name} matching {pattern}")


def filled_data(cls: type[BaseModel], variant: int = 0) -> dict[str, Any]:
    """JSON data for `cls` with every field set."""
    return _Builder(variant).model(cls, ())


def filled(cls: type[BaseModel], variant: int = 0) -> BaseModel:
    """An instance of `cls` with every field set, validated by the model itself."""
    return cls.model_validate(filled_data(cls, variant))
