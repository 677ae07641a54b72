"""OSCAL XML to OSCAL JSON data, driven by the generated binding table.

Strict about structure: an element, attribute or text the binding does not
know is an error with its line, never dropped. Lenient about order: OSCAL's
sequence is the writer's business; reading does not depend on it.

Reading builds no JSON pointers: the hot loop only turns elements into data.
Pointers are worked out from the element tree when they are needed, for an
error or for `XmlLines`, the on-demand map from pointer to source line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple, cast

from lxml import etree

import oscal_poam.io.xml.prose as prose
from oscal_poam.digits import ascii_digits
from oscal_poam.io import pointers
from oscal_poam.io.faithful import in_int_range
from oscal_poam.io.xml.binding_table import DEFINITIONS, ROOTS
from oscal_poam.io.xml.definitions import (
    BLOCK_ELEMENTS,
    COLLAPSED_DATATYPES,
    OSCAL_NAMESPACE,
    Assembly,
    Field,
    ValueType,
)
from oscal_poam.io.xml.space import collapse_runs
from oscal_poam.quoting import excerpt

_NS = "{" + OSCAL_NAMESPACE + "}"
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_BLOCKS = frozenset(_NS + name for name in BLOCK_ELEMENTS)
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")

Read = Callable[[etree._Element], Any]
"""Read an element into its JSON value."""


class XmlDataError(Exception):
    """The XML does not fit the OSCAL binding, at `element`."""

    def __init__(self, message: str, element: etree._Element, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.element = element
        self.line = line
        """Where known more precisely than the element's own line."""


def _markup_error(exc: ValueError, element: etree._Element) -> XmlDataError:
    line = getattr(exc, "line", None)
    message = str(exc)
    if line is not None and message.startswith(f"line {line}: "):
        message = message[len(f"line {line}: ") :]
    return XmlDataError(f"{_name(element.tag)}: {message}", element, line if isinstance(line, int) else None)


class ChildEntry(NamedTuple):
    json: str
    tag: str
    """The element of one value (inside the wrapper, for a grouped collection)."""
    many: bool
    wrapper: str | None
    definition: str


class _Index:
    """Per assembly: its children by element tag and by JSON key."""

    def __init__(self) -> None:
        self.by_tag: dict[str, dict[str, ChildEntry]] = {}
        self.by_json: dict[str, dict[str, ChildEntry]] = {}
        self.unwrapped: dict[str, str] = {}
        for key, definition in DEFINITIONS.items():
            if not isinstance(definition, Assembly):
                continue
            by_tag: dict[str, ChildEntry] = {}
            by_json: dict[str, ChildEntry] = {}
            for child in definition.model:
                if child.xml is None:
                    self.unwrapped[key] = child.json
                    continue
                wrapper = None if child.wrapper is None else _NS + child.wrapper
                entry = ChildEntry(child.json, _NS + child.xml, child.many, wrapper, child.definition)
                by_tag[wrapper or entry.tag] = entry
                by_json[child.json] = entry
            self.by_tag[key] = by_tag
            self.by_json[key] = by_json


INDEX = _Index()


def _name(tag: Any) -> str:
    qname = etree.QName(tag)
    if qname.namespace == OSCAL_NAMESPACE:
        return f"<{qname.localname}>"
    if qname.namespace:
        return f"<{qname.localname}> in namespace {qname.namespace}"
    return f"<{qname.localname}> (not in the OSCAL namespace)"


def _integer(text: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise ValueError(f"{excerpt(text)} is not an integer")
    if len(text.strip().lstrip("+-")) > 20 or not in_int_range(int(text)):
        raise ValueError(f"the integer {excerpt(text.strip(), 24)} is out of range (64 bits)")
    return int(text)


def _collapse(text: str) -> str:
    """The value XML Schema sees for a type that collapses white space."""
    return collapse_runs(text).strip(" ")


def _converter(vtype: ValueType, datatype: str = "string") -> Callable[[str], Any] | None:
    if vtype == "string":
        return _collapse if datatype in COLLAPSED_DATATYPES else None
    if vtype == "integer":
        return _integer
    if vtype == "boolean":
        values = {"true": True, "1": True, "false": False, "0": False}

        def boolean(text: str) -> bool:
            try:
                return values[text.strip()]
            except KeyError:
                raise ValueError(f"{excerpt(text)} is not a boolean (true or false)") from None

        return boolean
    if vtype == "decimal":

        def decimal(text: str) -> int | float:
            if _INTEGER.fullmatch(text):
                return _integer(text)
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"{excerpt(text)} is not a decimal number") from None
            if not math.isfinite(value):
                raise ValueError(f"{excerpt(text)} is out of range (OSCAL numbers are finite)")
            return value

        return decimal
    return None


def _unknown_attribute(element: etree._Element, name: str) -> XmlDataError:
    return XmlDataError(f"{_name(element.tag)} has no attribute {etree.QName(name).localname!r} in OSCAL", element)


# lxml's own methods, typed once: attribute names and values read from a parsed document are text, and a name
# among keys() has a value (typing.cast at each call would cost a function call per attribute)
_names = cast(Callable[[etree._Element], list[str]], etree._Element.keys)
_value = cast(Callable[[etree._Element, str], str], etree._Element.get)


def _read_flags(element: etree._Element, specs: dict[str, Callable[[str], Any] | None], out: dict[str, Any]) -> None:
    # keys() is linear in the attributes, items() quadratic (lxml looks each value up by name again): only the
    # few known flags are looked up, so ten thousand attributes on one element cost ten thousand steps
    for name in _names(element):
        try:
            convert = specs[name]
        except KeyError:
            if name.startswith(_XSI):
                continue
            raise _unknown_attribute(element, name) from None
        text = _value(element, name)
        if convert is None:
            out[name] = text
        else:
            try:
                out[name] = convert(text)
            except ValueError as exc:
                raise XmlDataError(f"attribute {name!r}: {exc}", element) from None


def _no_attributes(element: etree._Element) -> None:
    for name in cast(list[str], element.keys()):
        if not name.startswith(_XSI):
            raise _unknown_attribute(element, name)


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
        flag_specs = {flag.name: _converter(flag.type, flag.datatype) for flag in definition.flags}
        # element tag -> (JSON key, 0 one / 1 many / 2 wrapper, read a value, the tag of a value in a wrapper)
        children: dict[str, tuple[str, int, Read, str]] = {}
        unwrapped = INDEX.unwrapped.get(key)

        def read(element: etree._Element) -> dict[str, Any]:
            out: dict[str, Any] = {}
            if flag_specs:
                _read_flags(element, flag_specs, out)
            elif len(element.keys()):
                _no_attributes(element)
            text = element.text
            if text is not None and not text.isspace():
                raise XmlDataError(f"{_name(element.tag)} cannot contain text", element)
            blocks: list[etree._Element] | None = None
            for child in element:
                tag = child.tag
                try:
                    json_key, shape, read_value, item_tag = children[tag]
                except KeyError:
                    if unwrapped is not None and tag in _BLOCKS:
                        if blocks is None:
                            blocks = []
                        blocks.append(child)
                        continue
                    raise XmlDataError(f"{_name(tag)} is not allowed in {_name(element.tag)}", child) from None
                tail = child.tail
                if tail is not None and not tail.isspace():
                    raise XmlDataError(f"{_name(element.tag)} cannot contain text", child)
                if shape == 1:
                    items = out.get(json_key)
                    if items is None:
                        out[json_key] = [read_value(child)]
                    else:
                        items.append(read_value(child))
                elif shape == 0:
                    if json_key in out:
                        raise XmlDataError(f"{_name(tag)} appears more than once in {_name(element.tag)}", child)
                    out[json_key] = read_value(child)
                else:
                    if json_key in out:
                        raise XmlDataError(f"{_name(tag)} appears more than once in {_name(element.tag)}", child)
                    out[json_key] = _read_wrapped(child, item_tag, read_value)
            if blocks is not None:
                holder = etree.Element(_NS + "prose")
                holder.extend(blocks)  # moves them: the parsed tree is ours
                try:
                    out[cast(str, unwrapped)] = prose.to_markdown(holder, True)
                except ValueError as exc:
                    raise _markup_error(exc, element) from None
            return out

        self._readers[key] = read  # before the children: models are recursive
        for entry in INDEX.by_json[key].values():
            read_value = self.reader(entry.definition)
            if entry.wrapper is not None:
                children[entry.wrapper] = (entry.json, 2, read_value, entry.tag)
            else:
                children[entry.tag] = (entry.json, 1 if entry.many else 0, read_value, entry.tag)
        return read

    def _field(self, definition: Field) -> Read:
        value_of = self._value(definition)
        if not definition.flags:
            if definition.type in ("markup-line", "markup-multiline"):
                return self._plain_markup(definition.type == "markup-multiline")
            if definition.type == "string" and definition.datatype not in COLLAPSED_DATATYPES:
                return self._plain_string()

            def read(element: etree._Element) -> Any:
                if len(element.keys()):
                    _no_attributes(element)
                return value_of(element)

            return read

        flag_specs = {flag.name: _converter(flag.type, flag.datatype) for flag in definition.flags}
        value_key = str(definition.value_key)

        def read_with_flags(element: etree._Element) -> dict[str, Any]:
            out: dict[str, Any] = {}
            _read_flags(element, flag_specs, out)
            out[value_key] = value_of(element)
            return out

        return read_with_flags

    @staticmethod
    def _plain_markup(multiline: bool) -> Read:
        """A markup field without flags, the commonest element of all: one call, no layers."""
        to_markdown = prose.converters()[1]

        def read(element: etree._Element) -> str:
            if len(element.keys()):
                _no_attributes(element)
            try:
                return to_markdown(element, multiline)
            except ValueError as exc:
                raise _markup_error(exc, element) from None

        return read

    @staticmethod
    def _plain_string() -> Read:
        def read(element: etree._Element) -> str:
            if len(element.keys()):
                _no_attributes(element)
            if len(element):
                raise XmlDataError(
                    f"{_name(element.tag)} holds a value, not elements such as {_name(element[0].tag)}", element[0]
                )
            return element.text or ""

        return read

    @staticmethod
    def _value(definition: Field) -> Read:
        """The value of a field element, by its type: one specialized function each, this is the hot path."""
        if definition.type in ("markup-line", "markup-multiline"):
            multiline = definition.type == "markup-multiline"
            to_markdown = prose.converters()[1]

            def markup(element: etree._Element) -> str:
                try:
                    return to_markdown(element, multiline)
                except ValueError as exc:
                    raise _markup_error(exc, element) from None

            return markup

        def text_of(element: etree._Element) -> str:
            if len(element):
                raise XmlDataError(
                    f"{_name(element.tag)} holds a value, not elements such as {_name(element[0].tag)}", element[0]
                )
            return element.text or ""

        convert = _converter(definition.type, definition.datatype)
        if convert is None:
            return text_of

        def typed(element: etree._Element) -> Any:
            try:
                return convert(text_of(element))
            except ValueError as exc:
                raise XmlDataError(f"{_name(element.tag)}: {exc}", element) from None

        return typed


def _read_wrapped(wrapper: etree._Element, item_tag: str, read_value: Read) -> list[Any]:
    if len(wrapper.keys()):
        _no_attributes(wrapper)
    text = wrapper.text
    if text is not None and not text.isspace():
        raise XmlDataError(f"{_name(wrapper.tag)} cannot contain text", wrapper)
    items: list[Any] = []
    for item in wrapper:
        if item.tag != item_tag:
            raise XmlDataError(f"{_name(item.tag)} is not allowed in {_name(wrapper.tag)}", item)
        tail = item.tail
        if tail is not None and not tail.isspace():
            raise XmlDataError(f"{_name(wrapper.tag)} cannot contain text", item)
        items.append(read_value(item))
    return items


_COMPILER = _Compiler()


def root_key_of(root: etree._Element) -> str | None:
    """The root key of an OSCAL root element, or None when it is not one."""
    qname = etree.QName(root)
    if qname.namespace == OSCAL_NAMESPACE and qname.localname in ROOTS:
        return qname.localname
    return None


def read(root: etree._Element, root_key: str) -> dict[str, Any]:
    """The OSCAL JSON data, wrapped in its root key, of an OSCAL root element."""
    return {root_key: _COMPILER.reader(ROOTS[root_key])(root)}


def _index_among(element: etree._Element) -> int:
    tag = element.tag
    return sum(1 for sibling in element.itersiblings(preceding=True) if sibling.tag == tag)


def pointer_of(element: etree._Element, root_key: str) -> str:
    """The JSON pointer of the value `element` holds (or of the nearest value that contains it)."""
    return locate(element, root_key)[0]


def locate(element: etree._Element, root_key: str) -> tuple[str, str | None]:
    """The JSON pointer of the value `element` holds (or of the nearest value that contains it), and the key of
    that value's definition in the binding table when it is `element`'s own (None inside markup or for an
    element the binding does not know)."""
    chain = [element, *element.iterancestors()]
    chain.reverse()
    tokens: list[str | int] = [root_key]
    definition = ROOTS[root_key]
    position = 1
    while position < len(chain):
        children = INDEX.by_tag.get(definition)
        if children is None:  # inside a field: markup
            break
        node = chain[position]
        entry = children.get(node.tag)
        if entry is None:
            break
        tokens.append(entry.json)
        if entry.wrapper is not None:
            position += 1
            if position == len(chain):
                break
            node = chain[position]
            tokens.append(_index_among(node))
        elif entry.many:
            tokens.append(_index_among(node))
        definition = entry.definition
        position += 1
    return pointers.join(*tokens), (definition if position == len(chain) else None)


_LOOKUPS_BEFORE_MAPPING = 32


class XmlLines(Mapping[str, int]):
    """JSON pointer -> source line of the element that holds the value, worked out on demand.

    Every object, array item and field has an entry; attributes share their
    element's line. An unwrapped markup value (a part's prose) has none: its
    blocks were taken out of the tree to be converted.
    """

    def __init__(self, root: etree._Element, root_key: str) -> None:
        self._root = root
        self._root_key = root_key
        self._all: dict[str, int] | None = None
        self._lookups = 0

    def __bool__(self) -> bool:
        return True

    def __reduce__(self) -> tuple[type[dict[str, int]], tuple[dict[str, int]]]:
        # an element tree cannot be pickled (to another process, say): the lines travel as a plain dict
        return dict, (self._everything(),)

    def _element(self, pointer: str) -> etree._Element | None:
        if pointer == "":
            return self._root
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
        if not tokens or tokens[0] != self._root_key:
            return None
        node = self._root
        definition = ROOTS[self._root_key]
        index = 1
        while index < len(tokens):
            entry = INDEX.by_json.get(definition, {}).get(tokens[index])
            if entry is None:
                return None
            index += 1
            parent = node
            if entry.wrapper is not None:
                found = next((c for c in node if c.tag == entry.wrapper), None)
                if found is None:
                    return None
                parent = found
            if entry.many:
                if index == len(tokens):
                    return parent if parent is not node else next((c for c in node if c.tag == entry.tag), None)
                if not ascii_digits(tokens[index]):
                    return None
                wanted = int(tokens[index])
                index += 1
                matches = (c for c in parent if c.tag == entry.tag)
                found = next((c for n, c in enumerate(matches) if n == wanted), None)
            else:
                found = next((c for c in node if c.tag == entry.tag), None)
            if found is None:
                return None
            node = found
            definition = entry.definition
        return node

    def _mapped(self) -> bool:
        """Past a few lookups, one walk maps every pointer: a lookup walks its siblings, and a document with
        thousands of items and diagnostics would otherwise take time quadratic in its size."""
        if self._all is None:
            self._lookups += 1
            if self._lookups <= _LOOKUPS_BEFORE_MAPPING:
                return False
        return True

    def __getitem__(self, pointer: str) -> int:
        if self._mapped():
            return self._everything()[pointer]
        element = self._element(pointer)
        line = None if element is None else element.sourceline
        if line is None:
            raise KeyError(pointer)
        return cast(int, line)

    def __contains__(self, pointer: object) -> bool:
        if self._mapped():
            return pointer in self._everything()
        return isinstance(pointer, str) and self._element(pointer) is not None

    def _everything(self) -> dict[str, int]:
        if self._all is None:
            found: dict[str, int] = {"": cast(int, self._root.sourceline)}
            stack: list[tuple[etree._Element, str, str]] = [
                (self._root, pointers.join(self._root_key), ROOTS[self._root_key])
            ]
            while stack:
                element, pointer, definition = stack.pop()
                found[pointer] = cast(int, element.sourceline)
                children = INDEX.by_json.get(definition)
                if children is None:
                    continue
                for entry in children.values():
                    parent: etree._Element | None = element
                    if entry.wrapper is not None:
                        parent = next((c for c in element if c.tag == entry.wrapper), None)
                        if parent is None:
                            continue
                        found[f"{pointer}/{entry.json}"] = cast(int, parent.sourceline)
                    matches = [c for c in cast(etree._Element, parent) if c.tag == entry.tag]
                    if entry.many:
                        if matches and entry.wrapper is None:
                            found[f"{pointer}/{entry.json}"] = cast(int, matches[0].sourceline)
                        for n, child in enumerate(matches):
                            stack.append((child, f"{pointer}/{entry.json}/{n}", entry.definition))
                    elif matches:
                        stack.append((matches[0], f"{pointer}/{entry.json}", entry.definition))
            self._all = found
        return self._all

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())
