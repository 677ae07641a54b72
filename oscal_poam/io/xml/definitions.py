"""The shapes of the XML binding table: what the metaschema says about each definition.

`binding_table.py` is generated from the NIST metaschema sources by
`tools/gen_xml_binding.py` and holds only instances of these tuples; the
reader and writer compile them into lookups once, at import.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

ValueType = Literal["string", "integer", "boolean", "decimal", "markup-line", "markup-multiline"]
"""How a value is carried in JSON (every string-like metaschema type is a JSON string)."""

OSCAL_NAMESPACE = "http://csrc.nist.gov/ns/oscal/1.0"

BLOCK_ELEMENTS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "pre", "hr", "blockquote", "table", "img"}
)
"""The elements of markup-multiline's block group (the XSD's blockElementGroup).

An unwrapped markup-multiline field has no element of its own: these
elements stand directly in the containing element.
"""


class Flag(NamedTuple):
    """A flag: an XML attribute, a JSON property of the same name."""

    name: str
    type: ValueType = "string"
    datatype: str = "string"
    """The metaschema data type (`uuid`, `token`, `uri`, `date-time-with-timezone`, ...)."""


class Child(NamedTuple):
    """One entry of an assembly's model, in XML document order."""

    xml: str | None
    """Element name; None for an unwrapped markup-multiline field."""
    json: str
    """JSON property: the group-as name when `many`, else the element name."""
    definition: str
    """Key of the child's definition in DEFINITIONS."""
    many: bool = False
    """max-occurs above one: a JSON array of repeated elements."""
    wrapper: str | None = None
    """For in-xml="GROUPED": the element that wraps the repeated elements."""
    required: bool = False
    """min-occurs is 1 or more."""


class Assembly(NamedTuple):
    flags: tuple[Flag, ...]
    model: tuple[Child, ...]


class Field(NamedTuple):
    type: ValueType
    flags: tuple[Flag, ...] = ()
    value_key: str | None = None
    """JSON property of the value when the field has flags (json-value-key)."""
    datatype: str = "string"
    """The metaschema data type of the value (`uuid`, `token`, `uri`, `markup-line`, ...)."""


Definition = Assembly | Field

COLLAPSED_DATATYPES = frozenset(
    {
        "uri",
        "uri-reference",
        "date",
        "date-with-timezone",
        "date-time",
        "date-time-with-timezone",
        "boolean",
        "integer",
        "non-negative-integer",
        "positive-integer",
        "decimal",
        "base64",
        "day-time-duration",
        "year-month-duration",
    }
)
"""Data types whose XSD type derives from an XML Schema type that collapses white space (xs:anyURI,
xs:dateTime, xs:date, xs:boolean, xs:integer, xs:decimal, xs:base64Binary, xs:duration): in XML their value
is the text with leading and trailing white space removed and inner runs made one space."""
