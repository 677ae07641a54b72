"""YAML 1.2 core semantics on LibYAML's loader, and scalars whose meaning depends on the reader.

PyYAML resolves plain scalars by YAML 1.1's rules: `yes` and `on` are true, `1_000` is a number, `017` is
fifteen, dates are timestamps. OSCAL's YAML is YAML 1.2, where only `true`/`false`, `null`/`~`, decimal,
`0o` octal and `0x` hexadecimal numbers and floats are anything but strings (the core schema). The resolvers
here are the core schema's, on PyYAML's C loader, so the loader keeps its speed and its hardening.

Two kinds of plain scalar are worth a word to the author, because another reader would take them otherwise:
- a YAML 1.1 boolean word (`yes`, `No`, `off`, ...): a string here, `true`/`false` to a YAML 1.1 reader;
- a number or boolean where OSCAL wants text (`version: 1.10`): the text is kept as written (`1.10`, not the
  number 1.1), since the model says the value is a string.
Each becomes a note (a warning with its line) suggesting quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from oscal_poam.errors import Problem
from oscal_poam.io import pointers
from oscal_poam.io.faithful import in_int_range
from oscal_poam.quoting import excerpt

CORE = "tag:yaml.org,2002:"
_YAML11_WORD = "tag:oscal-poam:yaml11-boolean-word"

_RESOLVERS: list[tuple[str, str, str]] = [
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
]
_YAML11_BOOLEAN_WORDS = r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$"

SCALAR_TAGS = (*(CORE + name for name, _pattern, _first in _RESOLVERS), _YAML11_WORD)
"""The tags these resolvers give plain scalars other than strings."""


def install(loader: type[yaml.SafeLoader]) -> None:
    """Give `loader` (a SafeLoader subclass, C or pure) the YAML 1.2 core schema's resolvers and constructors."""
    loader.yaml_implicit_resolvers = {}
    for name, pattern, first in _RESOLVERS:
        # the empty scalar is looked up under the first character ""
        starts = [*first, ""] if name == "null" else list(first)
        loader.add_implicit_resolver(CORE + name, re.compile(pattern), starts)
    loader.add_implicit_resolver(_YAML11_WORD, re.compile(_YAML11_BOOLEAN_WORDS), list("yYnNoO"))
    loader.add_constructor(CORE + "int", _construct_int)
    loader.add_constructor(CORE + "float", _construct_float)
    loader.add_constructor(CORE + "bool", _construct_bool)
    loader.add_constructor(_YAML11_WORD, _construct_word)
    loader.resolve = _resolve_by_first_character(loader)  # type: ignore[method-assign]


def _resolve_by_first_character(loader: type[yaml.SafeLoader]) -> Any:
    """PyYAML's `BaseResolver.resolve` for `loader` as its resolvers stand now, in fewer steps: LibYAML's
    composer asks it the tag of every node, a million times over a portfolio's YAML.

    The resolvers are looked up by the scalar's first character once, here, with those for any character (None)
    after them, as `resolve` orders them; paths are not resolved here, so a loader that has path resolvers keeps
    PyYAML's own."""
    if loader.yaml_path_resolvers:
        return loader.resolve
    implicit: dict[Any, list[tuple[str, re.Pattern[str]]]] = loader.yaml_implicit_resolvers
    anywhere = tuple(implicit.get(None, []))
    by_first = {first: (*found, *anywhere) for first, found in implicit.items() if first is not None}
    scalar_tag, sequence_tag, mapping_tag = (
        loader.DEFAULT_SCALAR_TAG,
        loader.DEFAULT_SEQUENCE_TAG,
        loader.DEFAULT_MAPPING_TAG,
    )
    scalar_node, sequence_node, mapping_node = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode

    def resolve(self: Any, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str | None:
        if kind is scalar_node:
            if implicit[0]:
                for tag, regexp in by_first.get(value[:1], anywhere):  # type: ignore[index]
                    if regexp.match(value):  # type: ignore[arg-type]
                        return tag
            return scalar_tag
        if kind is sequence_node:
            return sequence_tag
        return mapping_tag if kind is mapping_node else None

    return resolve


def core_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """The implicit resolvers of the YAML 1.2 core schema, by first character, as PyYAML keeps them."""
    found: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for name, pattern, first in _RESOLVERS:
        for char in [*first, ""] if name == "null" else list(first):
            found.setdefault(char, []).append((CORE + name, re.compile(pattern)))
    return found


def _seen(loader: Any) -> list[yaml.ScalarNode]:
    found: list[yaml.ScalarNode] | None = getattr(loader, "typed_scalars", None)
    if found is None:
        found = []
        loader.typed_scalars = found
    return found


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    _seen(loader).append(node)
    text = str(node.value).replace("_", "")
    base = {"0o": 8, "0x": 16}.get(text[:2], 10)
    digits = text[2:] if base != 10 else text
    if len(digits.lstrip("+-")) > 64:
        value = None
    else:
        try:
            value = int(digits, base)
        except ValueError:  # an explicit tag on text that is no number (`!!int abc`)
            raise _not_a_number(node, "an integer") from None
    if value is None or not in_int_range(value):  # octal and hexadecimal too: 64 bits, as decimal numbers
        raise yaml.constructor.ConstructorError(
            None, None, f"the number {excerpt(str(node.value))} is out of range", node.start_mark
        )
    return value


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    _seen(loader).append(node)
    text = str(node.value).lower()
    if text.endswith("inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text.endswith("nan"):
        return float("nan")
    try:
        return float(text)
    except ValueError:  # an explicit tag on text that is no number (`!!float abc`)
        raise _not_a_number(node, "a number") from None


def _not_a_number(node: yaml.ScalarNode, what: str) -> yaml.constructor.ConstructorError:
    tag = node.tag.removeprefix(CORE)
    return yaml.constructor.ConstructorError(
        None, None, f"{excerpt(str(node.value))} is tagged !!{tag} but is not {what}", node.start_mark
    )


def _construct_bool(loader: Any, node: yaml.ScalarNode) -> bool:
    _seen(loader).append(node)
    return str(node.value).lower() == "true"


def _construct_word(loader: Any, node: yaml.ScalarNode) -> str:
    _seen(loader).append(node)
    return str(node.value)


def typed_scalars(loader: Any) -> list[yaml.ScalarNode]:
    """The plain scalars the last document constructed as numbers, booleans or YAML 1.1 words."""
    return list(getattr(loader, "typed_scalars", ()) or ())


def forget_typed_scalars(loader: Any) -> None:
    """Construct the document again from the start: the scalars counted so far are forgotten."""
    loader.typed_scalars = None


def fit(data: Any, root: yaml.Node, source: str) -> list[Problem]:
    """Give text back where OSCAL wants a string and YAML read a number or boolean; note the doubtful scalars.

    `data` (the constructed document, changed in place) and `root` (its node tree) are walked together with the
    binding table, which says what each place of an OSCAL document holds.
    """
    # deferred, like the binding table below: io.load imports this module for JSON too, which needs neither
    from oscal_poam.io.models import BY_ROOT

    notes: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        return notes
    for key_node, value_node in root.value:
        key = getattr(key_node, "value", None)
        if key in BY_ROOT and key in data:
            from oscal_poam.io.xml.binding_table import ROOTS

            data[key] = _fit(data[key], value_node, ROOTS[key], pointers.join(key), source, notes)
    return notes


def _fit(value: Any, node: yaml.Node, definition: str, pointer: str, source: str, notes: list[Problem]) -> Any:
    from oscal_poam.io.xml.binding_table import DEFINITIONS
    from oscal_poam.io.xml.definitions import Assembly

    found = DEFINITIONS.get(definition)
    if found is None:
        return value
    if isinstance(found, Assembly):
        if not isinstance(value, dict) or not isinstance(node, yaml.MappingNode):
            return value
        from oscal_poam.io.xml.reader import INDEX

        children = INDEX.by_json.get(definition, {})
        unwrapped = INDEX.unwrapped.get(definition)
        flags = {flag.name: flag.type for flag in found.flags}
        for key, child_node in _pairs(node):
            if key not in value:
                continue
            here = pointer + "/" + pointers.escape(key)
            if key in flags:
                value[key] = _scalar(value[key], child_node, flags[key], here, source, notes)
            elif key == unwrapped:
                value[key] = _scalar(value[key], child_node, "markup-multiline", here, source, notes)
            elif key in children:
                entry = children[key]
                if entry.many and isinstance(value[key], list) and isinstance(child_node, yaml.SequenceNode):
                    items = value[key]
                    for index, item_node in enumerate(child_node.value[: len(items)]):
                        items[index] = _fit(items[index], item_node, entry.definition, f"{here}/{index}", source, notes)
                elif not entry.many:
                    value[key] = _fit(value[key], child_node, entry.definition, here, source, notes)
        return value
    if found.flags:
        if not isinstance(value, dict) or not isinstance(node, yaml.MappingNode):
            return _scalar(value, node, found.type, pointer, source, notes)
        flags = {flag.name: flag.type for flag in found.flags}
        for key, child_node in _pairs(node):
            if key in value:
                vtype = found.type if key == found.value_key else flags.get(key)
                if vtype is not None:
                    here = pointer + "/" + pointers.escape(key)
                    value[key] = _scalar(value[key], child_node, vtype, here, source, notes)
        return value
    return _scalar(value, node, found.type, pointer, source, notes)


def _pairs(node: yaml.MappingNode) -> Iterator[tuple[str, yaml.Node]]:
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            yield str(key_node.value), value_node


def _scalar(value: Any, node: yaml.Node, vtype: str, pointer: str, source: str, notes: list[Problem]) -> Any:
    if not isinstance(node, yaml.ScalarNode) or node.style:
        return value  # only plain scalars are resolved by type (LibYAML gives them the style "", PyYAML None)
    text = str(node.value)
    line = node.start_mark.line + 1
    wants_text = vtype in ("string", "markup-line", "markup-multiline")
    if wants_text and isinstance(value, bool | int | float):
        notes.append(
            Problem(
                f"YAML reads {text} as {'a boolean' if isinstance(value, bool) else 'a number'}; OSCAL wants text "
                f"here, so it is kept as written ({text!r}): quote it, {text!r} in single quotes, so that every "
                "YAML reader agrees",
                source,
                pointer,
                line,
            )
        )
        return text
    if wants_text and isinstance(value, str) and re.match(_YAML11_BOOLEAN_WORDS, text):
        notes.append(
            Problem(
                f"{text} is text in YAML 1.2 (as read here) but a boolean to a YAML 1.1 reader: quote it, "
                f"{text!r} in single quotes, so that every YAML reader agrees",
                source,
                pointer,
                line,
            )
        )
    return value
