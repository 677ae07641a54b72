"""NIST's OSCAL 1.2.1 schemas decide whether a document is valid for its model: the XSD for XML, the JSON
schema for JSON and YAML.

The schemas ship inside the package (`oscal_poam.resources.schema_file`) and are compiled once per process and
model. Nothing is fetched: the XSDs are read with a parser and resolver that refuse the network and every
external resource, and the JSON schemas are compiled offline. Each finding becomes a Problem located by JSON
pointer (and, for XML, by line), in words a person can act on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any

import jsonschema_rs
from lxml import etree

from oscal_poam.errors import Problem
from oscal_poam.io import pointers
from oscal_poam.io.xml.binding_table import DEFINITIONS
from oscal_poam.io.xml.reader import locate
from oscal_poam.resources import schema_file

SCHEMA_NAMES: Mapping[str, str] = {
    "catalog": "catalog",
    "profile": "profile",
    "component-definition": "component",
    "system-security-plan": "ssp",
    "assessment-plan": "assessment-plan",
    "assessment-results": "assessment-results",
    "plan-of-action-and-milestones": "poam",
}
"""Root key -> the model's name in NIST's schema file names (oscal_<name>_schema.xsd / .json)."""

_OSCAL_NS = "{http://csrc.nist.gov/ns/oscal/1.0}"
MAX_PROBLEMS = 1000
"""A document this broken is reported up to here; the rest would add nothing a person can act on."""


class _Refuse(etree.Resolver):
    """Every external resource an XSD might name is refused: the shipped schemas are self-contained."""

    def resolve(self, system_url: str, public_id: str, context: object = None) -> Any:
        raise etree.XMLSchemaParseError(f"refused to load {system_url!r}: schemas are read offline")


@cache
def xsd(root_key: str) -> etree.XMLSchema:
    """NIST's XSD for the model with this root key, compiled once."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parser.resolvers.add(_Refuse())
    with schema_file("xml", SCHEMA_NAMES[root_key]).open("rb") as handle:
        document = etree.parse(handle, parser)
    return etree.XMLSchema(document)


@cache
def json_schema(root_key: str) -> Any:
    """NIST's JSON schema for the model with this root key, compiled once (draft-07, formats asserted)."""
    schema = json.loads(schema_file("json", SCHEMA_NAMES[root_key]).read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, offline=True)


# -- XML -----------------------------------------------------------------------------------------------------


_NAMES = re.compile(r"^Element '(?:\{[^}]*\})?([^']*)'(?:, attribute '([^']*)')?: ")
_QUOTED_NAME = re.compile(r"attribute '([^']*)'")
_VALUE = re.compile(r"(?:The value |^)'((?:[^']|'(?! is))*)' is not")


def xml_problems(root: etree._Element, root_key: str, source: str) -> list[Problem]:
    """What NIST's XSD says of the XML document whose root element is `root` (nothing when it is valid)."""
    schema = xsd(root_key)
    if schema.validate(root.getroottree()):
        return []
    problems: list[Problem] = []
    tree = root.getroottree()
    for entry in list(schema.error_log):  # type: ignore[call-overload]
        if len(problems) >= MAX_PROBLEMS:
            break
        element = _element_at(tree, entry.path)
        pointer, message = _xsd_words(entry, element, root_key)
        problems.append(Problem(message, source, pointer, entry.line or None))
    return problems


def _element_at(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        found = tree.xpath(path)
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return found[0]
    return None


def _xsd_words(entry: Any, element: etree._Element | None, root_key: str) -> tuple[str | None, str]:
    """The pointer and the words of one XSD finding."""
    text = str(entry.message).replace(_OSCAL_NS, "")
    names = _NAMES.match(text)
    element_name = names.group(1) if names else "value"
    attribute = names.group(2) if names else None
    detail = text[names.end() :] if names else text
    kind = str(entry.type_name)
    if kind == "SCHEMAV_CVC_COMPLEX_TYPE_4":  # a required attribute is missing
        quoted = _QUOTED_NAME.search(detail)
        attribute = quoted.group(1) if quoted else attribute
    elif kind == "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1":  # an attribute that is not allowed
        quoted = _QUOTED_NAME.search(detail)
        attribute = quoted.group(1) if quoted else attribute
    pointer: str | None = None
    definition: str | None = None
    if element is not None:
        pointer, definition = locate(element, root_key)
        if attribute is not None:
            pointer += "/" + pointers.escape(attribute)
    name = attribute or element_name
    if kind == "SCHEMAV_CVC_COMPLEX_TYPE_4":
        return pointer, f"required field {name!r} is missing"
    if kind == "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1":
        return pointer, f"{name!r} is not a field OSCAL allows here"
    if kind in ("SCHEMAV_CVC_PATTERN_VALID", "SCHEMAV_CVC_DATATYPE_VALID_1_2_1", "SCHEMAV_CVC_ENUMERATION_VALID"):
        value = _VALUE.search(detail)
        shown = repr(value.group(1)) if value else "the value"
        words = _DATATYPE_WORDS.get(_DATATYPE_NAMES.get(_datatype(definition, attribute) or "", ""))
        if kind == "SCHEMAV_CVC_ENUMERATION_VALID":
            words = detail.split(": ", 1)[-1].rstrip(".").replace("[facet 'enumeration'] ", "")
            return pointer, f"{name}: {words}"
        return pointer, f"{name}: {shown} {words or 'does not have the required format'}"
    return pointer, f"<{element_name}>: {detail.rstrip('.')} (NIST's XSD)"


def _datatype(definition: str | None, attribute: str | None) -> str | None:
    found = DEFINITIONS.get(definition) if definition is not None else None
    if found is None:
        return None
    if attribute is not None:
        return next((flag.datatype for flag in found.flags if flag.name == attribute), None)
    return getattr(found, "datatype", None)


# -- JSON and YAML -----------------------------------------------------------------------------------------

_DATATYPE_WORDS: Mapping[str, str] = {
    "UUIDDatatype": "is not a UUID (version 4 or 5, 8-4-4-4-12 hex digits)",
    "TokenDatatype": "is not a token (a letter or _, then letters, digits, '.', '-' or '_')",
    "StringDatatype": "must not be empty or start or end with white space",
    "MarkupLineDatatype": "must be one line of text: not empty and no line break",
    "DateTimeWithTimezoneDatatype": (
        "is not a date-time with a time zone between the years 1900 and 2999 (for example 2025-01-31T00:00:00Z)"
    ),
    "DateTimeDatatype": "is not a date-time between the years 1900 and 2999 (for example 2025-01-31T00:00:00Z)",
    "DateDatatype": "is not a date (YYYY-MM-DD, between 1900 and 2999)",
    "DateWithTimezoneDatatype": "is not a date with a time zone between the years 1900 and 2999",
    "URIDatatype": "is not an absolute URI (a scheme, a colon and more)",
    "URIReferenceDatatype": "is not a URI reference",
    "EmailAddressDatatype": "is not an e-mail address",
    "Base64Datatype": "is not Base64 text",
    "IntegerDatatype": "is not an integer",
    "NonNegativeIntegerDatatype": "is not an integer of 0 or more",
    "PositiveIntegerDatatype": "is not an integer of 1 or more",
    "DecimalDatatype": "is not a decimal number",
}
_DATATYPE_NAMES: Mapping[str, str] = {
    "uuid": "UUIDDatatype",
    "token": "TokenDatatype",
    "string": "StringDatatype",
    "markup-line": "MarkupLineDatatype",
    "date-time-with-timezone": "DateTimeWithTimezoneDatatype",
    "date-time": "DateTimeDatatype",
    "date": "DateDatatype",
    "date-with-timezone": "DateWithTimezoneDatatype",
    "uri": "URIDatatype",
    "uri-reference": "URIReferenceDatatype",
    "email-address": "EmailAddressDatatype",
    "base64": "Base64Datatype",
    "integer": "IntegerDatatype",
    "non-negative-integer": "NonNegativeIntegerDatatype",
    "positive-integer": "PositiveIntegerDatatype",
    "decimal": "DecimalDatatype",
}
"""Metaschema data type -> its name in NIST's schemas."""
_TYPE_WORDS = {"array": "an array", "object": "an object", "string": "a string", "boolean": "a boolean"}


def json_problems(data: Any, root_key: str, source: str) -> list[Problem]:
    """What NIST's JSON schema says of `data` (OSCAL JSON data wrapped in its root key), one Problem per place."""
    validator = json_schema(root_key)
    try:
        if validator.is_valid(data):
            return []
        seen: dict[str, Problem] = {}
        for error in validator.iter_errors(data):
            for pointer, message in _described(error, data):
                if pointer not in seen:
                    seen[pointer] = Problem(message, source, pointer)
            if len(seen) >= MAX_PROBLEMS:
                break
    except (ValueError, RecursionError) as exc:  # the validator's own limit on nesting
        if "ecursion" not in str(exc) and not isinstance(exc, RecursionError):
            raise
        return [Problem("nested too deeply to validate", source, pointers.join(root_key))]
    return list(seen.values())


def _described(error: Any, data: Any) -> Iterator[tuple[str, str]]:
    path = [*error.instance_path]
    pointer = pointers.join(*path)
    kind = type(error.kind).__name__
    name = _name(path)
    value = _value(data, path)
    shown = _shown(value)
    if kind == "Required":
        yield pointers.join(*path, error.kind.property), f"required field {error.kind.property!r} is missing"
    elif kind == "AdditionalProperties":
        for key in error.kind.unexpected:
            yield pointers.join(*path, key), f"{key!r} is not a field OSCAL allows here"
    elif kind in ("Pattern", "Format"):
        yield pointer, f"{name}: {shown} {_datatype_words(error.schema_path, 'does not have the required format')}"
    elif kind == "Type":
        wanted = " or ".join(_TYPE_WORDS.get(str(t), f"a {t}") for t in error.kind.types)
        yield pointer, f"{name} must be {wanted}, not {_kind_of(value)}"
    elif kind == "Enum":
        options = ", ".join(repr(o) for o in list(error.kind.options)[:8])
        more = " and others" if len(error.kind.options) > 8 else ""
        yield pointer, f"{name}: {shown} is not one of {options}{more}"
    elif kind in ("AnyOf", "OneOfNotValid"):
        branches = [list(branch) for branch in error.kind.context]
        deeper = [b for b in branches if b and all(len(list(e.instance_path)) > len(path) for e in b)]
        if deeper:  # an object that fits one of the shapes but for these places: say what is wrong there
            for sub in min(deeper, key=len):
                yield from _described(sub, data)
            return
        words = [w for branch in branches for e in branch if (w := _datatype_words(e.schema_path, ""))]
        enums = [list(e.kind.options) for branch in branches for e in branch if type(e.kind).__name__ == "Enum"]
        parts = [words[0]] if words else []
        if enums:
            more = " and others" if len(enums[0]) > 6 else ""
            parts.append("not one of " + ", ".join(repr(o) for o in enums[0][:6]) + more)
        yield pointer, f"{name}: {shown} " + (" and ".join(parts) if parts else "does not fit any shape OSCAL allows")
    elif kind == "MinItems":
        yield pointer, f"{name} must not be empty"
    elif kind in ("Minimum", "ExclusiveMinimum", "Maximum", "ExclusiveMaximum"):
        yield pointer, f"{name}: {shown} {_datatype_words(error.schema_path, 'is out of range')}"
    elif kind == "Not":
        yield pointer, f"{name}: this combination of fields is not allowed here ({error.message})"
    else:
        yield pointer, f"{name}: {error.message}"


def _datatype_words(schema_path: Iterable[Any], default: str) -> str:
    steps = [str(s) for s in schema_path]
    for step in reversed(steps):
        words = _DATATYPE_WORDS.get(step)
        if words is not None:
            return words
    return default


def _name(path: list[Any]) -> str:
    return next((str(step) for step in reversed(path) if isinstance(step, str)), "value")


def _value(data: Any, path: list[Any]) -> Any:
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _shown(value: Any) -> str:
    if isinstance(value, dict | list):
        return _kind_of(value)
    shown = repr(str(value)) if isinstance(value, str) else repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return repr(value).lower()
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    return repr(value)
