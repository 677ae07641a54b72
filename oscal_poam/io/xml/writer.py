"""OSCAL JSON data to OSCAL XML, driven by the generated binding table.

Each (definition, element name) pair is compiled once into a closure that
builds its element with lxml; nothing inspects models or the table per node.
Indentation is written while building, and only between structural elements
and between blocks of multiline markup: a serializer's pretty-printer would
also indent between inline elements such as `<em>a</em><strong>b</strong>`,
which changes the text.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lxml import etree

import oscal_poam.io.xml.prose as prose
from oscal_poam.errors import WriteError
from oscal_poam.io import pointers
from oscal_poam.io.xml.binding_table import DEFINITIONS, ROOTS
from oscal_poam.io.xml.definitions import BLOCK_ELEMENTS, OSCAL_NAMESPACE, Assembly, Child, Field, Flag

_NS = "{" + OSCAL_NAMESPACE + "}"
_BLOCKS = frozenset(_NS + name for name in BLOCK_ELEMENTS)
_P = _NS + "p"
# children of these are blocks or cells: whitespace between them carries no text
_INDENTABLE = frozenset(_NS + name for name in ("ul", "ol", "table", "thead", "tbody", "tfoot", "tr"))
_SubElement = etree.SubElement

Emit = Callable[[etree._Element, Any, int], None]
"""Build the element(s) for a value under a parent; the int is the new elements' depth."""


class DataError(Exception):
    """The data does not fit the binding; `path` is filled in while unwinding."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.path: list[str | int] = []


_IND = ["\n" + "  " * depth for depth in range(256)]
"""Line break and indentation by depth. libxml2 reads no deeper than 256 levels, so neither is written."""
_MAX_DEPTH = len(_IND) - 1


def scalar_text(value: Any) -> str:
    """The XML text of a JSON scalar."""
    if type(value) is str:
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    if type(value) is float:
        return format(Decimal(repr(value)), "f")  # xs:decimal has no exponent
    raise DataError(f"must be a string, number or boolean, not {type(value).__name__}")


def _set_text(element: etree._Element, text: str) -> None:
    try:
        element.text = text
    except ValueError:
        raise DataError("contains characters that XML cannot carry") from None


def _indent_blocks(element: etree._Element, depth: int) -> None:
    """Indent the blocks of multiline markup at `depth`, where whitespace between them is insignificant."""
    if all(child.tag in _BLOCKS for child in element):
        _indent_inside(element, depth, any_tag=True)


def _indent_inside(element: etree._Element, depth: int, *, any_tag: bool = False) -> None:
    """Each child on a line of its own at `depth`, where only whitespace stands between them.

    `element` must be one whose children may be indented (`_INDENTABLE`), unless `any_tag`.
    """
    if (
        depth >= _MAX_DEPTH
        or not (any_tag or element.tag in _INDENTABLE)
        or len(element) == 0
        or (element.text and not element.text.isspace())
    ):
        return
    for child in element:
        if child.tail and not child.tail.isspace():
            return
    element.text = _IND[depth]
    for child in element:
        child.tail = _IND[depth]
        _indent_inside(child, depth + 1)
    element[-1].tail = _IND[depth - 1]


def _unknown_property(value: dict[str, Any], known: frozenset[str]) -> DataError:
    """The error for the first key of `value` that is not among the `known` properties, located at it."""
    extra = next(k for k in value if k not in known)
    exc = DataError(f"{extra!r} is not a property OSCAL allows here")
    exc.path.append(extra)
    return exc


def _flag_setter(flags: tuple[Flag, ...]) -> Callable[[etree._Element, dict[str, Any]], None]:
    names = tuple(flag.name for flag in flags)

    # one set() per flag: lxml makes an element with an attribute dict more slowly than it sets them one by one
    def set_flags(element: etree._Element, value: dict[str, Any]) -> None:
        for name in names:
            item = value.get(name)
            if item is not None:
                try:
                    element.set(name, scalar_text(item))
                except DataError as exc:
                    exc.path.append(name)
                    raise
                except ValueError:  # lxml refuses control characters (and other non-XML characters) in attributes
                    refused = DataError("contains characters that XML cannot carry")
                    refused.path.append(name)
                    raise refused from None

    return set_flags


class _Compiler:
    def __init__(self) -> None:
        self._emitters: dict[tuple[str, str | None], Emit] = {}
        self._fillers: dict[str, tuple[Callable[[etree._Element, dict[str, Any]], None], Emit]] = {}

    def emitter(self, key: str, tag: str | None) -> Emit:
        cached = self._emitters.get((key, tag))
        if cached is not None:
            return cached
        definition = DEFINITIONS[key]
        if isinstance(definition, Assembly):
            if tag is None:
                raise ValueError(f"{key}: an assembly needs an element name")
            emit = self._assembly(key, _NS + tag)
        else:
            emit = self._field(definition, None if tag is None else _NS + tag)
        self._emitters[(key, tag)] = emit
        return emit

    def filler(self, key: str) -> tuple[Callable[[etree._Element, dict[str, Any]], None], Emit]:
        """For an assembly: the setter of its flags from a value, and the builder of its children."""
        cached = self._fillers.get(key)
        if cached is not None:
            return cached
        definition = DEFINITIONS[key]
        assert isinstance(definition, Assembly)
        known = frozenset([flag.name for flag in definition.flags] + [child.json for child in definition.model])
        steps: list[tuple[str, Emit]] = []

        def fill(element: etree._Element, value: Any, depth: int) -> None:
            if depth >= _MAX_DEPTH - 2:
                raise DataError(f"nested more than {_MAX_DEPTH - 2} levels deep, more than XML readers accept")
            if not known.issuperset(value):
                raise _unknown_property(value, known)
            for json_key, emit in steps:
                item = value.get(json_key)
                if item is not None:
                    try:
                        emit(element, item, depth + 1)
                    except DataError as exc:
                        exc.path.append(json_key)
                        raise
            if len(element):
                element.text = _IND[depth + 1]
                element[-1].tail = _IND[depth]

        entry = (_flag_setter(definition.flags), fill)
        self._fillers[key] = entry
        steps.extend((child.json, self._child(child)) for child in definition.model)
        return entry

    def _assembly(self, key: str, qtag: str) -> Emit:
        set_flags, fill = self.filler(key)

        def emit(parent: etree._Element, value: Any, depth: int) -> None:
            if type(value) is not dict:
                raise DataError(f"must be an object, not {type(value).__name__}")
            element = _SubElement(parent, qtag)
            set_flags(element, value)
            element.tail = _IND[depth]
            fill(element, value, depth)

        return emit

    def _field(self, definition: Field, qtag: str | None) -> Emit:
        vtype = definition.type
        if qtag is None:
            return self._unwrapped()
        if vtype == "markup-line" or vtype == "markup-multiline":
            text_of: Callable[[etree._Element, Any, int], None] = self._markup(vtype == "markup-multiline")
        else:

            def text_of(element: etree._Element, value: Any, depth: int) -> None:
                _set_text(element, scalar_text(value))

        if not definition.flags:

            def emit(parent: etree._Element, value: Any, depth: int) -> None:
                element = _SubElement(parent, qtag)
                element.tail = _IND[depth]
                text_of(element, value, depth)

            return emit

        set_flags = _flag_setter(definition.flags)
        value_key = str(definition.value_key)
        known = frozenset(flag.name for flag in definition.flags) | {value_key}

        def emit_with_flags(parent: etree._Element, value: Any, depth: int) -> None:
            if type(value) is not dict:
                raise DataError(f"must be an object, not {type(value).__name__}")
            if not known.issuperset(value):
                raise _unknown_property(value, known)
            content = value.get(value_key)
            if content is None:
                raise DataError(f"{value_key!r} is missing")
            element = _SubElement(parent, qtag)
            set_flags(element, value)
            element.tail = _IND[depth]
            text_of(element, content, depth)

        return emit_with_flags

    @staticmethod
    def _markup(multiline: bool) -> Emit:
        to_xml = prose.converters()[0]
        plain_paragraph, plain_line = prose.plain_forms()

        def markup(element: etree._Element, value: Any, depth: int) -> None:
            if type(value) is not str:
                raise DataError(f"must be a string, not {type(value).__name__}")
            try:
                if multiline:
                    text = plain_paragraph(value)
                    if text is not None and depth + 1 < _MAX_DEPTH:
                        # what to_xml and _indent_blocks make of it, in one step: the commonest markup of all
                        paragraph = _SubElement(element, _P)
                        paragraph.text = text
                        element.text = _IND[depth + 1]
                        paragraph.tail = _IND[depth]
                        return
                elif plain_line(value):
                    element.text = value  # the element is new: to_xml would set its text, and nothing else
                    return
                to_xml(element, value, multiline)
            except ValueError as exc:
                raise DataError(f"cannot be written as XML markup: {exc}") from None
            if multiline:
                _indent_blocks(element, depth + 1)

        return markup

    @staticmethod
    def _unwrapped() -> Emit:
        to_xml = prose.converters()[0]

        def emit(parent: etree._Element, value: Any, depth: int) -> None:
            if type(value) is not str:
                raise DataError(f"must be a string, not {type(value).__name__}")
            holder = etree.Element(_NS + "prose")
            try:
                to_xml(holder, value, True)
            except ValueError as exc:
                raise DataError(f"cannot be written as XML markup: {exc}") from None
            if holder.text and not holder.text.isspace():
                raise DataError("markup outside a block cannot stand unwrapped")
            for block in list(holder):
                if block.tag not in _BLOCKS:
                    raise DataError(f"<{etree.QName(block).localname}> cannot stand unwrapped")
                parent.append(block)
                block.tail = _IND[depth]
                _indent_inside(block, depth + 1)

        return emit

    def _child(self, child: Child) -> Emit:
        item = self.emitter(child.definition, child.xml)
        definition = DEFINITIONS[child.definition]
        if isinstance(definition, Field) and definition.type == "markup-multiline" and child.xml is not None:
            item = self._never_empty(item, child.required)
        if not child.many:
            return item
        item = self._array(item)
        if child.wrapper is None:
            return item
        return self._wrapped(item, _NS + child.wrapper)

    @staticmethod
    def _never_empty(item: Emit, required: bool) -> Emit:
        """Multiline markup needs a block in XML: empty, an optional field is left out, a required one gets
        an empty paragraph (which reads back as the same empty Markdown)."""

        def emit(parent: etree._Element, value: Any, depth: int) -> None:
            item(parent, value, depth)
            element = parent[-1]
            if len(element) or (element.text and not element.text.isspace()):
                return
            if required:
                element.text = None
                paragraph = _SubElement(element, _NS + "p")
                element.text = _IND[depth + 1]
                paragraph.tail = _IND[depth]
            else:
                parent.remove(element)

        return emit

    @staticmethod
    def _array(item: Emit) -> Emit:
        def emit(parent: etree._Element, value: Any, depth: int) -> None:
            if type(value) is not list:
                raise DataError(f"must be an array, not {type(value).__name__}")
            index = 0
            try:
                for index, entry in enumerate(value):  # noqa: B007 (index names the failing entry)
                    item(parent, entry, depth)
            except DataError as exc:
                exc.path.append(index)
                raise

        return emit

    @staticmethod
    def _wrapped(item: Emit, qtag: str) -> Emit:
        def emit(parent: etree._Element, value: Any, depth: int) -> None:
            wrapper = _SubElement(parent, qtag)
            wrapper.tail = _IND[depth]
            item(wrapper, value, depth + 1)
            if len(wrapper):
                wrapper.text = _IND[depth + 1]
                wrapper[-1].tail = _IND[depth]

        return emit


_COMPILER = _Compiler()


def build(data: dict[str, Any]) -> etree._Element:
    """The OSCAL XML element tree for wrapped OSCAL JSON data; raises WriteError when the data does not fit."""
    if not isinstance(data, dict):
        raise WriteError(f"cannot write XML: expected an object with an OSCAL root key, not {type(data).__name__}")
    keys = [k for k in data if k != "$schema"]
    if len(keys) != 1 or keys[0] not in ROOTS:
        shown = ", ".join(map(repr, keys)) or "no keys"
        raise WriteError(f"cannot write XML: expected exactly one OSCAL root key, found {shown}")
    root_key = keys[0]
    definition_key = ROOTS[root_key]
    set_flags, fill = _COMPILER.filler(definition_key)
    value = data[root_key]
    try:
        if type(value) is not dict:
            raise DataError(f"must be an object, not {type(value).__name__}")
        root = etree.Element(_NS + root_key, nsmap={None: OSCAL_NAMESPACE})  # type: ignore[dict-item]
        set_flags(root, value)
        fill(root, value, 0)
    except DataError as exc:
        where = pointers.join(root_key, *reversed(exc.path))
        raise WriteError(f"cannot write XML: {where or '/'}: {exc.message}") from None
    return root


def serialize(root: etree._Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8") + b"\n"


def dump(data: dict[str, Any]) -> bytes:
    """Pretty-printed UTF-8 OSCAL XML, with an XML declaration, for wrapped OSCAL JSON data."""
    return serialize(build(data))
