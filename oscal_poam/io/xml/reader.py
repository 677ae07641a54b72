"""OSCAL XML to OSCAL JSON data, driven by the generated binding table.

Strict about structure: an element, attribute or text the binding does not
know is an error with its line, never dropped. Lenient about order: OSCAL's
sequence is the writer's business; reading does not depend on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from lxml import etree

from oscal_poam.io import pointers
from oscal_poam.io.xml import prose
from oscal_poam.io.xml.binding_table import DEFINITIONS, ROOTS
from oscal_poam.io.xml.definitions import BLOCK_ELEMENTS, OSCAL_NAMESPACE, Assembly, Field, Flag, ValueType

_NS = "{" + OSCAL_NAMESPACE + "}"
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_BLOCKS = frozenset(_NS + name for name in BLOCK_ELEMENTS)
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")

Lines = dict[str, Any]
"""JSON pointer -> source line (lxml's stubs type `sourceline` loosely, hence Any)."""
Read = Callable[[etree._Element, str, Lines], Any]
"""Read an element into its JSON value; the str is its JSON pointer."""


class XmlDataError(Exception):
    """The XML does not fit the OSCAL binding."""

    def __init__(self, message: str, line: Any, pointer: str) -> None:
        super().__init__(message)
        self.message = message
        self.line: int | None = line
        self.pointer = pointer


def _name(element: etree._Element | str) -> str:
    tag = element if isinstance(element, str) else element.tag
    qname = etree.QName(tag)
    if qname.namespace == OSCAL_NAMESPACE:
        return f"<{qname.localname}>"
    if qname.namespace:
        return f"<{qname.localname}> in namespace {qname.namespace}"
    return f"<{qname.localname}> (not in the OSCAL namespace)"


def _converter(vtype: ValueType) -> Callable[[str], Any] | None:
    if vtype == "integer":

        def integer(text: str) -> int:
            if not _INTEGER.fullmatch(text):
                raise ValueError(f"{text!r} is not an integer")
            return int(text)

        return integer
    if vtype == "boolean":
        values = {"true": True, "1": True, "false": False, "0": False}

        def boolean(text: str) -> bool:
            try:
                return values[text.strip()]
            except KeyError:
                raise ValueError(f"{text!r} is not a boolean (true or false)") from None

        return boolean
    if vtype == "decimal":

        def decimal(text: str) -> int | float:
            if _INTEGER.fullmatch(text):
                return int(text)
            try:
                return float(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a decimal number") from None

        return decimal
    return None


def _flag_reader(flags: tuple[Flag, ...]) -> Callable[[etree._Element, dict[str, Any], str], None]:
    specs = {flag.name: _converter(flag.type) for flag in flags}

    def read_flags(element: etree._Element, out: dict[str, Any], pointer: str) -> None:
        for name, text in cast(dict[str, str], element.attrib).items():
            try:
                convert = specs[name]
            except KeyError:
                if name.startswith(_XSI):
                    continue
                raise XmlDataError(
                    f"{_name(element)} has no attribute {etree.QName(name).localname!r} in OSCAL",
                    element.sourceline,
                    pointer,
                ) from None
            if convert is None:
                out[name] = text
            else:
                try:
                    out[name] = convert(text)
                except ValueError as exc:
                    raise XmlDataError(f"attribute {name!r}: {exc}", element.sourceline, pointer) from None

    return read_flags


def _no_attributes(element: etree._Element, pointer: str) -> None:
    for name in cast(dict[str, str], element.attrib):
        if not name.startswith(_XSI):
            raise XmlDataError(
                f"{_name(element)} has no attribute {etree.QName(name).localname!r} in OSCAL",
                element.sourceline,
                pointer,
            )


def _blank(text: str | None) -> bool:
    return text is None or text.isspace() or not text


class _Compiler:
    def __init__(self) -> None:
        self._readers: dict[str, Read] = {}

    def reader(self, key: str) -> Read:
        cached = self._readers.get(key)
        if cached is not None:
            return cached
        definition = DEFINITIONS[key]
        if isinstance(definition, Assembly):
            return self._assembly(key, definition)
        read = self._field(definition)
        self._readers[key] = read
        return read

    def _assembly(self, key: str, definition: Assembly) -> Read:
        read_flags = _flag_reader(definition.flags)
        # element tag -> (JSON key, repeats, read an item, the item's tag when this is a wrapper)
        children: dict[str, tuple[str, bool, Read, str | None]] = {}
        unwrapped = next((child.json for child in definition.model if child.xml is None), None)

        def read(element: etree._Element, pointer: str, lines: Lines) -> dict[str, Any]:
            out: dict[str, Any] = {}
            if element.attrib:
                read_flags(element, out, pointer)
            if not _blank(element.text):
                raise XmlDataError(f"{_name(element)} cannot contain text here", element.sourceline, pointer)
            blocks: list[etree._Element] | None = None
            for child in element:
                entry = children.get(child.tag)
                if entry is None:
                    if unwrapped is not None and child.tag in _BLOCKS:
                        if blocks is None:
                            blocks = []
                        blocks.append(child)
                        continue
                    raise XmlDataError(f"{_name(child)} is not allowed in {_name(element)}", child.sourceline, pointer)
                if not _blank(child.tail):
                    raise XmlDataError(f"{_name(element)} cannot contain text here", child.sourceline, pointer)
                json_key, many, read_item, item_tag = entry
                if item_tag is not None:
                    _read_wrapped(child, item_tag, json_key, read_item, out, pointer, lines)
                elif many:
                    items = out.get(json_key)
                    if items is None:
                        items = out[json_key] = []
                    item_pointer = f"{pointer}/{json_key}/{len(items)}"
                    lines[item_pointer] = child.sourceline
                    items.append(read_item(child, item_pointer, lines))
                else:
                    if json_key in out:
                        raise XmlDataError(
                            f"{_name(child)} appears more than once in {_name(element)}", child.sourceline, pointer
                        )
                    child_pointer = f"{pointer}/{json_key}"
                    lines[child_pointer] = child.sourceline
                    out[json_key] = read_item(child, child_pointer, lines)
            if blocks is not None:
                holder = etree.Element(_NS + "prose")
                holder.extend(blocks)  # moves them: the parsed tree is ours
                lines[f"{pointer}/{unwrapped}"] = blocks[0].sourceline
                out[str(unwrapped)] = prose.to_markdown(holder, True)
            return out

        self._readers[key] = read  # before the children: models are recursive
        for child in definition.model:
            if child.xml is None:
                continue
            read_item = self.reader(child.definition)
            if child.wrapper is not None:
                children[_NS + child.wrapper] = (child.json, True, read_item, _NS + child.xml)
            else:
                children[_NS + child.xml] = (child.json, child.many, read_item, None)
        return read

    def _field(self, definition: Field) -> Read:
        convert = _converter(definition.type)
        vtype = definition.type
        multiline = vtype == "markup-multiline"
        markup = vtype == "markup-line" or multiline
        to_markdown = prose.to_markdown

        def value_of(element: etree._Element, pointer: str) -> Any:
            if markup:
                return to_markdown(element, multiline)
            if len(element):
                raise XmlDataError(
                    f"{_name(element)} holds a value, not elements such as {_name(element[0])}",
                    element[0].sourceline,
                    pointer,
                )
            text = element.text or ""
            if convert is None:
                return text
            try:
                return convert(text)
            except ValueError as exc:
                raise XmlDataError(f"{_name(element)}: {exc}", element.sourceline, pointer) from None

        if not definition.flags:

            def read(element: etree._Element, pointer: str, lines: Lines) -> Any:
                if element.attrib:
                    _no_attributes(element, pointer)
                return value_of(element, pointer)

            return read

        read_flags = _flag_reader(definition.flags)
        value_key = str(definition.value_key)

        def read_with_flags(element: etree._Element, pointer: str, lines: Lines) -> dict[str, Any]:
            out: dict[str, Any] = {}
            read_flags(element, out, pointer)
            out[value_key] = value_of(element, pointer)
            return out

        return read_with_flags


def _read_wrapped(
    wrapper: etree._Element,
    item_tag: str,
    json_key: str,
    read_item: Read,
    out: dict[str, Any],
    pointer: str,
    lines: Lines,
) -> None:
    if json_key in out:
        raise XmlDataError(f"{_name(wrapper)} appears more than once", wrapper.sourceline, pointer)
    if wrapper.attrib:
        _no_attributes(wrapper, pointer)
    if not _blank(wrapper.text):
        raise XmlDataError(f"{_name(wrapper)} cannot contain text", wrapper.sourceline, pointer)
    items: list[Any] = []
    out[json_key] = items
    for item in wrapper:
        if item.tag != item_tag:
            raise XmlDataError(f"{_name(item)} is not allowed in {_name(wrapper)}", item.sourceline, pointer)
        if not _blank(item.tail):
            raise XmlDataError(f"{_name(wrapper)} cannot contain text", item.sourceline, pointer)
        item_pointer = f"{pointer}/{json_key}/{len(items)}"
        lines[item_pointer] = item.sourceline
        items.append(read_item(item, item_pointer, lines))


_COMPILER = _Compiler()


def root_definition(root: etree._Element) -> str | None:
    """The root key of an OSCAL root element, or None when it is not one."""
    qname = etree.QName(root)
    if qname.namespace == OSCAL_NAMESPACE and qname.localname in ROOTS:
        return qname.localname
    return None


def read(root: etree._Element, root_key: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The OSCAL JSON data (wrapped in its root key) of an OSCAL root element, and the line of each pointer."""
    pointer = pointers.join(root_key)
    lines: Lines = {"": root.sourceline or 1, pointer: root.sourceline or 1}
    content = _COMPILER.reader(ROOTS[root_key])(root, pointer, lines)
    return {root_key: content}, lines
