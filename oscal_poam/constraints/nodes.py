"""OSCAL JSON data seen as the metaschema's tree of nodes, which Metapath expressions walk.

A document node holds the root assembly; an assembly holds its flags and its child assemblies and fields,
named as in XML (`prop`, `link`, `responsible-party`); a field holds its flags and a value. The binding table
(`oscal_poam.io.xml.binding_table`) says, for every definition, which JSON key holds which child, so the same
tree serves a document read from JSON, YAML or XML. Nodes are made on demand and kept, one per place, so
that a place reached along two paths is the same node.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from oscal_poam.constraints.table import CONSTRAINTS
from oscal_poam.io import pointers
from oscal_poam.io.xml.binding_table import DEFINITIONS, ROOTS
from oscal_poam.io.xml.definitions import Assembly, Field, Flag

DOCUMENT, ASSEMBLY, FIELD, FLAG = 0, 1, 2, 3

OSCAL_NS = "http://csrc.nist.gov/ns/oscal"
"""The namespace of a prop, part or other named item that does not give one (`has-oscal-namespace`)."""


class Node:
    """One node: a document, an assembly, a field or a flag, at a JSON pointer of its document."""

    __slots__ = (
        "__weakref__",
        "_at",
        "_children",
        "_flags",
        "_parent",
        "document",
        "key",
        "kind",
        "name",
        "step",
        "value",
    )

    def __init__(
        self,
        kind: int,
        key: str,
        name: str,
        value: Any,
        parent: Node | None,
        step: str,
        document: Document,
    ) -> None:
        self.kind = kind
        self.key = key
        """The definition's key in the binding table; for a flag, its data type."""
        self.name = name
        self.value = value
        # held weakly: a parent holds its children, and a cycle would wait for the cyclic collector (the tree
        # is held from its document, which every node holds)
        self._parent = None if parent is None else weakref.ref(parent)
        self.step = step
        """The tokens of the JSON pointer below the parent's, each with its leading "/"."""
        self.document = document
        self._children: list[Node] | None = None
        self._at: dict[str, list[Node]] | None = None
        self._flags: dict[str, Node | None] | None = None

    @property
    def parent(self) -> Node | None:
        return None if self._parent is None else self._parent()

    def __repr__(self) -> str:
        return f"Node({self.name!r} at {self.pointer or '/'})"

    @property
    def pointer(self) -> str:
        """The JSON pointer of this node's value in its document."""
        steps = []
        node: Node | None = self
        while node is not None:
            steps.append(node.step)
            node = node.parent
        return "".join(reversed(steps))

    def atomic(self) -> Any:
        """The value of a flag or field (None for an assembly or a document)."""
        if self.kind == FLAG:
            return self.value
        if self.kind == FIELD:
            definition = DEFINITIONS[self.key]
            if isinstance(definition, Field) and definition.flags:
                return self.value.get(str(definition.value_key)) if isinstance(self.value, dict) else self.value
            return self.value
        return None

    def children(self) -> list[Node]:
        """The child assemblies and fields, in the order of the document (a list the caller must not change)."""
        if self._children is None:
            if self.kind == DOCUMENT:
                name, document = self.document.root_key, self.document
                self._children = [Node(ASSEMBLY, ROOTS[name], name, self.value, self, pointers.join(name), document)]
            else:
                self._children = self._under(_children_by_json(self.key))
        return self._children

    def relevant(self) -> list[Node]:
        """The children whose definitions are, or hold, definitions NIST constrains (what a check must visit)."""
        return self._under(_relevant_by_json(self.key))

    def holding(self, name: str) -> list[Node]:
        """This node and its descendants that may have children named `name`: what `.//name` looks into,
        without walking the subtrees whose definitions hold no such child, however deep."""
        found: list[Node] = []
        stack = [self]
        while stack:
            node = stack.pop()
            if node.kind == DOCUMENT:
                stack.extend(reversed(node.children()))
                continue
            if node.key in _parents_of(name):
                found.append(node)
            stack.extend(reversed(node._under(_toward(node.key, name))))
        return found

    def _under(self, keys: Mapping[str, Any]) -> list[Node]:
        if self.kind != ASSEMBLY or not isinstance(self.value, dict) or not keys:
            return _NONE
        found: list[Node] = []
        for json_key in self.value:
            if json_key in keys:
                found.extend(self._at_key(json_key))
        return found

    def _at_key(self, json_key: str) -> list[Node]:
        """The children under one JSON key, made once."""
        at = self._at
        if at is None:
            at = self._at = {}
        made = at.get(json_key)
        if made is None:
            made = at[json_key] = []
            entry = _children_by_json(self.key).get(json_key)
            value = self.value.get(json_key) if isinstance(self.value, dict) else None
            if entry is not None and value is not None:
                kind, key, name, many = entry
                document = self.document
                if not many:
                    made.append(Node(kind, key, name, value, self, "/" + json_key, document))
                elif isinstance(value, list):
                    prefix = f"/{json_key}/"
                    for index, item in enumerate(value):
                        made.append(Node(kind, key, name, item, self, prefix + str(index), document))
        return made

    def named(self, name: str) -> list[Node]:
        """The children named `name` (a list the caller must not change)."""
        if self.kind == DOCUMENT:
            return [c for c in self.children() if c.name == name]
        if self.kind != ASSEMBLY or not isinstance(self.value, dict):
            return _NONE
        keys = _json_keys_by_name(self.key).get(name)
        if not keys:
            return _NONE
        if len(keys) == 1:
            return self._at_key(keys[0]) if keys[0] in self.value else _NONE
        found: list[Node] = []
        for json_key in self.value:
            if json_key in keys:
                found.extend(self._at_key(json_key))
        return found

    def flag(self, name: str) -> Node | None:
        flags = self._flags
        if flags is None:
            flags = self._flags = {}
        elif name in flags:
            return flags[name]
        made = None
        if self.kind in (ASSEMBLY, FIELD) and isinstance(self.value, dict):
            entry = _flags_by_name(self.key).get(name)
            if entry is not None:
                value = self.value.get(name)
                if value is not None:
                    flag, step = entry
                    made = Node(FLAG, flag.datatype, name, value, self, step, self.document)
        flags[name] = made
        return made

    def flags(self) -> list[Node]:
        found = [self.flag(flag.name) for flag, _ in _flags(self.key)] if self.kind in (ASSEMBLY, FIELD) else []
        return [f for f in found if f is not None]


class Document:
    """A document's node tree, with how to reach the documents it names (for `doc()`)."""

    def __init__(self, data: Mapping[str, Any], source: str, loader: Any = None, folder: Path | None = None) -> None:
        keys = [k for k in data if k != "$schema"]
        self.root_key = keys[0]
        self.source = source
        self.folder = folder
        """Where the document's relative hrefs resolve from."""
        self.loader = loader
        """Called with an href and this document; gives the Document it names, or None (see `check.Imports`)."""
        self.node = Node(DOCUMENT, "", "", data[self.root_key], None, "", self)
        self.indexes: dict[str, dict[tuple[Any, ...], Any]] | None = None
        """The indexes this document defines, once a document importing it has needed them."""

    @property
    def root(self) -> Node:
        return self.node.children()[0]

    def release(self) -> None:
        """Let reference counting free the tree once the document is checked: the tree is held from here, and
        every node holds this document (left alone, the cycle waits for the cyclic collector, which then runs
        the more often, over everything young). The document is not used again."""
        del self.node
        self.indexes = None
        self.loader = None


@cache
def _children_by_json(key: str) -> dict[str, tuple[int, str, str, bool]]:
    """JSON key -> (node kind, definition key, name, repeats) of each child of an assembly."""
    definition = DEFINITIONS.get(key)
    if not isinstance(definition, Assembly):
        return {}
    return {
        child.json: (
            ASSEMBLY if isinstance(DEFINITIONS[child.definition], Assembly) else FIELD,
            child.definition,
            child.xml or child.json,
            child.many,
        )
        for child in definition.model
    }


_NONE: list[Node] = []


@cache
def _flags(key: str) -> tuple[tuple[Flag, str], ...]:
    """The flags of a definition, each with its step in a JSON pointer."""
    definition = DEFINITIONS.get(key)
    flags: tuple[Flag, ...] = definition.flags if definition is not None else ()
    return tuple((flag, "/" + pointers.escape(flag.name)) for flag in flags)


@cache
def _flags_by_name(key: str) -> dict[str, tuple[Flag, str]]:
    return {flag.name: (flag, step) for flag, step in _flags(key)}


@cache
def _json_keys_by_name(key: str) -> dict[str, tuple[str, ...]]:
    """Name -> the JSON keys of an assembly that hold children of that name."""
    found: dict[str, list[str]] = {}
    for json_key, (_, _, name, _) in _children_by_json(key).items():
        found.setdefault(name, []).append(json_key)
    return {name: tuple(keys) for name, keys in found.items()}


@cache
def _relevant_by_json(key: str) -> dict[str, tuple[int, str, str, bool]]:
    """The children of an assembly whose definitions are constrained or hold constrained definitions."""
    reaching = _reaching()
    return {json_key: entry for json_key, entry in _children_by_json(key).items() if entry[1] in reaching}


@cache
def _reaching() -> frozenset[str]:
    """The definitions that NIST constrains (`CONSTRAINTS`), and those that hold one, however deep."""

    return _closure(frozenset(key for key in DEFINITIONS if key in CONSTRAINTS))


@cache
def _parents_of(name: str) -> frozenset[str]:
    """The assemblies that may have a child named `name`."""
    return frozenset(key for key in DEFINITIONS if name in _json_keys_by_name(key))


@cache
def _toward(key: str, name: str) -> dict[str, tuple[int, str, str, bool]]:
    """The children of an assembly whose definitions are, or hold, assemblies with a child named `name`."""
    leading = _leading_to(name)
    return {json_key: entry for json_key, entry in _children_by_json(key).items() if entry[1] in leading}


@cache
def _leading_to(name: str) -> frozenset[str]:
    return _closure(_parents_of(name))


def _closure(targets: frozenset[str]) -> frozenset[str]:
    """`targets` and the assemblies that hold one of them, however deep."""
    below: dict[str, set[str]] = {}
    for key, definition in DEFINITIONS.items():
        if isinstance(definition, Assembly):
            below[key] = {child.definition for child in definition.model}
    reaching = set(targets)
    changed = True
    while changed:
        changed = False
        for key, children in below.items():
            if key not in reaching and children & reaching:
                reaching.add(key)
                changed = True
    return frozenset(reaching)
