"""Strings survive: values compliance-trestle would rewrite keep the text they were read with.

compliance-trestle's models parse URIs into pydantic URLs (which add a slash to a bare host:
`https://fedramp.gov` becomes `https://fedramp.gov/`), date-times into Python datetimes (which keep six
fractional digits and no spelling of the offset) and e-mail addresses into their normalized form (the domain
lowercased). OSCAL compares identifiers such as an `identifier-type` or a document-id scheme as strings, and
a reader of our output must find the very text its author wrote.

So before the model is validated, the plain data has its URIs replaced by `KeptUrl` (a `str` that is also a
pydantic `AnyUrl`, so the model takes it as it is) and its date-times by `KeptDatetime` (a datetime that
remembers its text); e-mail addresses are put back after validation. The writers write a kept value's text.
A value changed by code (a datetime moved, a new URL) is an ordinary value again and is written afresh.

Which fields hold such values is read once per model class from compliance-trestle's annotations, so every
model (a whole document or a part built by derive or import) is prepared the same way.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import AnyUrl, BaseModel, RootModel

_M = TypeVar("_M", bound=BaseModel)


class KeptUrl(str, AnyUrl):
    """A URI as written: compares, hashes and prints as its text; parsed only if asked for its parts."""

    def __new__(cls, text: str) -> KeptUrl:
        return str.__new__(cls, text)

    def __init__(self, text: str) -> None:  # AnyUrl's would parse and normalize the text
        pass

    @property  # parsed on demand, where AnyUrl holds one always
    def _url(self) -> Any:  # type: ignore[override]
        parsed = self.__dict__.get("_parsed")
        if parsed is None:
            parsed = self.__dict__["_parsed"] = AnyUrl(str(self))._url
        return parsed

    def __repr__(self) -> str:
        return f"KeptUrl({str(self)!r})"

    def __copy__(self) -> KeptUrl:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> KeptUrl:
        return self

    def __reduce__(self) -> tuple[type[KeptUrl], tuple[str]]:
        return KeptUrl, (str(self),)

    def __eq__(self, other: object) -> bool:
        # as text: equal to a str of the same text, and to a pydantic URL that prints as this text
        if isinstance(other, str):
            return str.__eq__(self, other)
        if isinstance(other, AnyUrl):
            return str(self) == str(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = str.__hash__
    __str__ = str.__str__
    __len__ = str.__len__
    __lt__ = str.__lt__
    __le__ = str.__le__
    __gt__ = str.__gt__
    __ge__ = str.__ge__


class KeptDatetime(dt.datetime):
    """A date-time that remembers its text: every fractional digit and the offset as written.

    Arithmetic and `replace()` give datetimes without it, which are then written afresh.
    """

    text: str

    def __copy__(self) -> KeptDatetime:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> KeptDatetime:
        return self

    def __reduce_ex__(self, protocol: Any) -> tuple[Callable[[str], KeptDatetime | str], tuple[str]]:
        return kept_datetime, (self.text,)


def kept_datetime(text: str) -> KeptDatetime | str:
    """`text` as a KeptDatetime, or the text itself when it is not a date-time with a time zone."""
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if parsed.tzinfo is None or "T" not in text:
        return text  # the model refuses it, with its own words
    kept = KeptDatetime(
        parsed.year,
        parsed.month,
        parsed.day,
        parsed.hour,
        parsed.minute,
        parsed.second,
        parsed.microsecond,
        parsed.tzinfo,
    )
    kept.text = text
    return kept


def text_of(value: Any) -> str | None:
    """The text a value was read with (a KeptDatetime's), else None."""
    return getattr(value, "text", None) if isinstance(value, dt.datetime) else None


# -- which fields hold what ---------------------------------------------------------------------------------


@dataclass
class _Entry:
    url: bool = False
    datetime: bool = False
    email: bool = False
    plan: _Plan | None = None


@dataclass
class _Plan:
    """The JSON keys of one model class (or of the classes a union allows there) that need care."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    emails: bool = False
    """Whether e-mail addresses occur here or below."""
    attributes: dict[str, str] = field(default_factory=dict)
    """JSON key -> attribute name, for putting e-mail addresses back."""


_PLANS: dict[tuple[type[BaseModel], ...], _Plan] = {}


def _leaves(annotation: Any) -> Iterator[Any]:
    if typing.get_origin(annotation) is typing.Annotated:
        yield from _leaves(typing.get_args(annotation)[0])
        return
    args = typing.get_args(annotation)
    if args and typing.get_origin(annotation) is not dict:
        for arg in args:
            yield from _leaves(arg)
    elif not args:
        yield annotation


def _root_leaves(cls: type[BaseModel]) -> list[Any]:
    return list(_leaves(cls.model_fields["root"].annotation))


def _plan(classes: tuple[type[BaseModel], ...]) -> _Plan:
    found = _PLANS.get(classes)
    if found is not None:
        return found
    plan = _PLANS[classes] = _Plan()  # before the fields: models are recursive
    for cls in classes:
        for name, info in cls.model_fields.items():
            key = info.alias or name
            entry = _entry(info.annotation)
            if entry is None:
                continue
            plan.attributes[key] = name
            known = plan.entries.setdefault(key, _Entry())
            known.url |= entry.url
            known.datetime |= entry.datetime
            known.email |= entry.email
            if entry.plan is not None:
                known.plan = entry.plan if known.plan is None else _merged(known.plan, entry.plan)
    return plan


def _merged(a: _Plan, b: _Plan) -> _Plan:
    if a is b:
        return a
    merged = _Plan(dict(a.entries), a.emails or b.emails, {**a.attributes, **b.attributes})
    for key, entry in b.entries.items():
        known = merged.entries.get(key)
        merged.entries[key] = (
            entry
            if known is None
            else _Entry(
                known.url or entry.url,
                known.datetime or entry.datetime,
                known.email or entry.email,
                known.plan
                if entry.plan is None
                else entry.plan
                if known.plan is None
                else _merged(known.plan, entry.plan),
            )
        )
    return merged


def _entry(annotation: Any) -> _Entry | None:
    entry = _Entry()
    models: list[type[BaseModel]] = []
    for leaf in _leaves(annotation):
        if leaf is AnyUrl:
            entry.url = True
        elif leaf is dt.datetime or getattr(leaf, "__name__", "") == "AwareDatetime":
            entry.datetime = True
        elif getattr(leaf, "__name__", "") == "EmailStr":
            entry.email = True
        elif isinstance(leaf, type) and issubclass(leaf, RootModel):
            roots = _root_leaves(leaf)
            if AnyUrl in roots:
                entry.url = True
            models.extend(r for r in roots if isinstance(r, type) and issubclass(r, BaseModel))
        elif isinstance(leaf, type) and issubclass(leaf, BaseModel):
            models.append(leaf)
    if models:
        entry.plan = _plan(tuple(models))
    if not (entry.url or entry.datetime or entry.email or entry.plan is not None):
        return None
    return entry


def _finish(plan: _Plan, seen: set[int]) -> bool:
    """Drop entries under which nothing needs care, and mark where e-mail addresses occur."""
    if id(plan) in seen:
        return bool(plan.entries)
    seen.add(id(plan))
    for key in list(plan.entries):
        entry = plan.entries[key]
        if entry.plan is not None and not _finish(entry.plan, seen):
            entry.plan = None
        if entry.email or (entry.plan is not None and entry.plan.emails):
            plan.emails = True
        if not (entry.url or entry.datetime or entry.email or entry.plan is not None):
            del plan.entries[key]
    return bool(plan.entries)


def plan_of(cls: type[BaseModel]) -> _Plan:
    fresh = (cls,) not in _PLANS
    plan = _plan((cls,))
    if fresh:
        _finish(plan, set())
        # a second pass: an entry may have been dropped after its parent was marked
        _finish(plan, set())
    return plan


# -- preparing data and putting e-mail addresses back -------------------------------------------------------


Emails = list[tuple[tuple[str | int, ...], list[str]]]
Replaced = list[tuple[dict[str, Any] | list[Any], Any]]
_ABSENT = object()


def prepare(cls: type[BaseModel], data: Any) -> tuple[Emails, Replaced]:
    """Replace, in place, the URIs and date-times of `data` (the content of a `cls`) by kept values.

    Returns the places replaced, for `restore` to put the text back once the model holds the kept values (the
    data stays plain JSON data), and where e-mail addresses stand, with their text, for `restore_emails`.
    """
    emails: Emails = []
    replaced: Replaced = []
    plan = plan_of(cls)
    if not plan.entries or not isinstance(data, dict):
        return emails, replaced
    stack: list[tuple[dict[str, Any], _Plan, tuple[str | int, ...]]] = [(data, plan, ())]
    pop, push = stack.pop, stack.append
    while stack:
        node, here, path = pop()
        entries = here.entries
        # the fewer of the node's keys and the plan's: a node holds few keys that need care, often one (`props`)
        for key in entries if len(entries) < len(node) else node:
            entry = entries.get(key)
            if entry is None:
                continue
            value = node.get(key, _ABSENT)
            if value is _ABSENT:
                continue
            if type(value) is str:
                if entry.url:
                    node[key] = KeptUrl(value)
                    replaced.append((node, key))
                elif entry.datetime:
                    node[key] = kept_datetime(value)
                    replaced.append((node, key))
            elif type(value) is list:
                if entry.email:
                    if all(type(v) is str for v in value):
                        emails.append(((*path, key), list(value)))
                    continue
                below = entry.plan
                for position, item in enumerate(value):
                    if type(item) is dict:
                        if below is not None:
                            push((item, below, (*path, key, position) if here.emails else ()))
                    elif type(item) is str and entry.url:
                        value[position] = KeptUrl(item)
                        replaced.append((value, position))
            elif type(value) is dict and entry.plan is not None:
                push((value, entry.plan, (*path, key) if here.emails else ()))
    return emails, replaced


def restore(replaced: Replaced) -> None:
    """Put back plain text where `prepare` put kept values."""
    for node, key in replaced:
        value = node[key]
        if isinstance(value, KeptDatetime):
            node[key] = value.text
        elif isinstance(value, KeptUrl):
            node[key] = str(value)


def restore_emails(model: BaseModel, emails: Emails) -> None:
    """Put back the e-mail addresses as written (the model's validation normalizes them)."""
    for path, texts in emails:
        node: Any = model
        for step_ in path[:-1]:
            node = step(node, step_)
            if node is None:
                break
        if node is None:
            continue
        name = attribute(node, str(path[-1]))
        if name is not None and getattr(unwrap(node), name, None) is not None:
            unwrap(node).__dict__[name] = texts  # not setattr: validate_assignment would normalize them again


def unwrap(node: Any) -> Any:
    """The value inside compliance-trestle's root models."""
    while isinstance(node, RootModel):
        node = node.root
    return node


def step(node: Any, key: str | int) -> Any:
    """The child of a model (by JSON key) or of a list (by index); None when there is none."""
    node = unwrap(node)
    if isinstance(key, int):
        return node[key] if isinstance(node, list) and key < len(node) else None
    name = attribute(node, key)
    return None if name is None else getattr(node, name, None)


def attribute(node: Any, key: str) -> str | None:
    """The attribute of a model that holds its JSON key `key`."""
    node = unwrap(node)
    if not isinstance(node, BaseModel):
        return None
    for name, info in type(node).model_fields.items():
        if (info.alias or name) == key:
            return name
    return None


def validate(cls: type[_M], data: Any) -> _M:
    """`data` (plain OSCAL JSON data, the content of a `cls`) validated into `cls`, every string as written.

    `data` is left as it was. Raises pydantic's ValidationError.
    """
    emails, replaced = prepare(cls, data)
    try:
        model = _validate(cls, data)
    finally:
        restore(replaced)
    if emails:
        restore_emails(model, emails)
    return model


def _validate(cls: type[_M], data: Any) -> _M:
    # deferred: io.write imports this module for every format, and trestle is loaded only to validate
    from trestle.core.trestle_base_model import TrestleBaseModel

    if issubclass(cls, TrestleBaseModel):
        # pydantic's own validation: trestle's override turns a bad oscal-version into a bare TrestleError that
        # names no place and drops every other problem
        return super(TrestleBaseModel, cls).model_validate(data)
    return cls.model_validate(data)
