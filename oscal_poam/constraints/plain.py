"""Metapath compiled to functions over a document's plain data, for the constraints that mostly find nothing.

A compiled expression takes an item and gives items, as `metapath` does over nodes, without making a node:

- an assembly or field is `(value, definition key)`: its JSON value and its key in the binding table;
- a flag is `(value, None)`.

Only the part of Metapath most of NIST's constraints are written in compiles: child, flag and self steps, `//name`,
filters whose predicates are tests (`has-oscal-namespace`, `=` against literals, `starts-with`, `exists`,
`not`, `and`, `or`, a path), paths and unions of these, and `doc()` where it names no document. `compile_items`
and `compile_test` raise Unsupported for anything else; such a constraint is always evaluated over nodes. A
compiled function raises Undecided when it meets a value it does not judge (a flag that is not a string, say) or
a document `doc()` names: the constraint is then evaluated over nodes for that context. The items found are the
nodes' items, in no promised order, and may repeat where the expression is not `exact`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from itertools import repeat
from typing import Any

from oscal_poam.constraints.metapath import (
    Boolean,
    Call,
    Child,
    Compare,
    ContextItem,
    Expr,
    Filter,
    FlagStep,
    Literal,
    Path,
    Sequence_,
    Union,
)
from oscal_poam.constraints.nodes import (
    ASSEMBLY,
    FIELD,
    OSCAL_NS,
    _children_by_json,
    _flags_by_name,
    _json_keys_by_name,
    _parents_of,
    _toward,
)
from oscal_poam.io.xml.binding_table import DEFINITIONS
from oscal_poam.io.xml.definitions import Assembly, Field

Item = tuple[Any, str | None]
Items = Callable[[Item], list[Item]]
Test = Callable[[Item], bool]


class Unsupported(Exception):
    """An expression outside the compiled part of Metapath: it is evaluated over nodes."""


class Undecided(Exception):
    """A value the compiled function does not judge: the constraint is evaluated over nodes for this context."""


def kind_of(key: str | None) -> int:
    """The node kind an item of definition `key` would be (a flag's key is None)."""
    if key is None:
        return 3
    return ASSEMBLY if key in _ASSEMBLIES else FIELD


_ASSEMBLIES = frozenset(key for key, definition in DEFINITIONS.items() if isinstance(definition, Assembly))


def atomic(item: Item) -> Any:
    """The value `Node.atomic` gives: a flag's value, a field's value, None for an assembly."""
    value, key = item
    if key is None:
        return value
    found = _ATOMIC.get(key)
    if found is None:
        found = _ATOMIC[key] = _atomic_of(key)
    return found(value)


def atomic_of(key: str | None) -> Callable[[Any], Any]:
    """`atomic` of the items of one definition (None: of flags), as a function of their values."""
    if key is None:
        return _itself
    found = _ATOMIC.get(key)
    if found is None:
        found = _ATOMIC[key] = _atomic_of(key)
    return found


def _itself(value: Any) -> Any:
    return value


_ATOMIC: dict[str, Callable[[Any], Any]] = {}


def _atomic_of(key: str) -> Callable[[Any], Any]:
    definition = DEFINITIONS.get(key)
    if isinstance(definition, Field):
        if definition.flags:
            value_key = str(definition.value_key)
            return lambda value: value.get(value_key) if isinstance(value, dict) else value
        return lambda value: value
    return lambda value: None


def string(item: Item) -> str | None:
    """The item's atomic value where it is a string, None where it has none; Undecided for any other value."""
    value = atomic(item)
    if value is None or type(value) is str:
        return value
    raise Undecided


# -- steps ---------------------------------------------------------------------------------------------------


@cache
def _named(key: str, name: str) -> tuple[tuple[str, str, bool], ...]:
    """The JSON keys of an assembly that hold children named `name`: (JSON key, child definition, repeats)."""
    children = _children_by_json(key)
    names = _json_keys_by_name(key).get(name, ())
    return tuple((json_key, children[json_key][1], children[json_key][3]) for json_key in names)


def _children(value: Any, places: tuple[tuple[str, str, bool], ...]) -> list[Item]:
    """The children under the given JSON keys, as `Node._at_key` makes them."""
    found: list[Item] = []
    for json_key, child, many in places:
        held = value.get(json_key)
        if held is None:
            continue
        if not many:
            found.append((held, child))
        elif isinstance(held, list):
            found.extend((entry, child) for entry in held)
    return found


def _child(name: str) -> Items:
    # definition -> where its children of this name are: the one place most have, or their places
    single: dict[str, tuple[str, str, bool]] = {}
    several: dict[str, tuple[tuple[str, str, bool], ...]] = {}

    def step(item: Item) -> list[Item]:
        value, key = item
        if key is None or not isinstance(value, dict):
            return []
        place = single.get(key)
        if place is None:
            places = several.get(key)
            if places is None:
                places = _named(key, name)
                if len(places) == 1:
                    place = single[key] = places[0]
                else:
                    several[key] = places
            if place is None:
                return _children(value, places) if places else []
        json_key, child, many = place
        held = value.get(json_key)
        if held is None:
            return []
        if not many:
            return [(held, child)]
        if not isinstance(held, list):
            return []
        if len(held) == 1:
            return [(held[0], child)]
        return list(zip(held, repeat(child)))

    return step


def _flag(name: str) -> Items:
    known: dict[str, bool] = {}

    def step(item: Item) -> list[Item]:
        value, key = item
        if key is None or not isinstance(value, dict):
            return []
        has = known.get(key)
        if has is None:
            has = known[key] = name in _flags_by_name(key)
        found = value.get(name) if has else None
        return [] if found is None else [(found, None)]

    return step


_held: dict[str, tuple[Any, str, list[Item]]] = {}
"""The last `_holding` for each name: several constraints of one definition look for the same descendants."""


def forget() -> None:
    """Drop what `_holding` remembers (the data it was given may change between checks)."""
    _held.clear()


def _holding(item: Item, name: str) -> list[Item]:
    """`Node.holding`: the item and its descendants whose definitions may have a child named `name` (a list the
    caller must not change)."""
    value, key = item
    if key is None:
        return []
    last = _held.get(name)
    if last is not None and last[0] is value and last[1] == key:
        return last[2]
    parents = _parents_of(name)
    towards = _towards.get(name)
    if towards is None:
        towards = _towards[name] = {}
    found: list[Item] = []
    stack = [item]
    while stack:
        held, at = stack.pop()
        if at is None:
            continue
        if at in parents:
            found.append((held, at))
        if isinstance(held, dict) and at in _ASSEMBLIES:
            toward = towards.get(at)
            if toward is None:
                toward = towards[at] = _toward_places(at, name)
            if toward:
                stack.extend(_children(held, toward))
    _held[name] = (value, key, found)
    return found


_towards: dict[str, dict[str, tuple[tuple[str, str, bool], ...]]] = {}
"""name -> definition -> `_toward_places` (asked for every item `_holding` meets)."""


def _toward_places(key: str, name: str) -> tuple[tuple[str, str, bool], ...]:
    return tuple((json_key, entry[1], entry[3]) for json_key, entry in _toward(key, name).items())


# -- compiling -------------------------------------------------------------------------------------------------


def needs(expr: Expr, key: str) -> tuple[str, ...] | None:
    """The JSON keys of which an item of definition `key` must hold one for `expr` to give anything from it (none
    at all: it never does); None where the expression does not say."""
    if isinstance(expr, Filter):
        return needs(expr.base, key)
    if isinstance(expr, Child) and expr.name != "*":
        return _json_keys_by_name(key).get(expr.name, ())
    if isinstance(expr, FlagStep) and expr.name != "*":
        return (expr.name,) if expr.name in _flags_by_name(key) else ()
    if isinstance(expr, Path):
        return needs(expr.left, key)
    if isinstance(expr, Union):
        found: list[str] = []
        for part in expr.parts:
            keys = needs(part, key)
            if keys is None:
                return None
            found.extend(k for k in keys if k not in found)
        return tuple(found)
    return None


def compile_items(expr: Expr) -> tuple[Items, bool]:
    """The function giving `expr`'s items, and whether it gives each item once (`exact`)."""
    if isinstance(expr, ContextItem):
        return (lambda item: [item]), True
    if isinstance(expr, Child) and expr.name != "*":
        return _child(expr.name), True
    if isinstance(expr, FlagStep) and expr.name != "*":
        return _flag(expr.name), True
    if isinstance(expr, Filter):
        return _filter(expr)
    if isinstance(expr, Path):
        return _path(expr)
    if isinstance(expr, Call) and expr.name == "doc":
        href, _ = compile_items(expr.arguments[0])

        def document(item: Item) -> list[Item]:
            if href(item):
                raise Undecided  # another document, read over nodes
            return []

        return document, True
    if isinstance(expr, Union):
        parts = [compile_items(part) for part in expr.parts]
        functions = [function for function, _ in parts]
        names = [_child_name(part) for part in expr.parts]
        exact = all(e for _, e in parts) and None not in names and len(set(names)) == len(names)

        def union(item: Item) -> list[Item]:
            found: list[Item] = []
            for function in functions:
                found.extend(function(item))
            return found

        return union, exact
    raise Unsupported(type(expr).__name__)


def _child_name(expr: Expr) -> str | None:
    """The name of a (filtered) child step: parts of a union with different names reach different nodes."""
    step = expr.base if isinstance(expr, Filter) else expr
    return step.name if isinstance(step, Child) and step.name != "*" else None


def _filter(expr: Filter) -> tuple[Items, bool]:
    base, exact = compile_items(expr.base)
    tests = [_predicate(predicate) for predicate in expr.predicates]

    def filtered(item: Item) -> list[Item]:
        found = base(item)
        for test in tests:
            if not found:
                break
            found = [candidate for candidate in found if test(candidate)]
        return found

    return filtered, exact


def _predicate(expr: Expr) -> Test:
    if not expr.boolean and not isinstance(expr, Child | FlagStep | Filter | Path):
        raise Unsupported("a predicate that may be a position")
    return compile_test(expr)


def _single(expr: Expr) -> bool:
    """The expression gives at most one item (the context, perhaps filtered)."""
    return isinstance(expr, ContextItem) or (isinstance(expr, Filter) and _single(expr.base))


def _path(expr: Path) -> tuple[Items, bool]:
    left, left_exact = compile_items(expr.left)
    right, _ = compile_items(expr.right)
    exact = left_exact and expr.downward
    if not expr.descendants:

        def path(item: Item) -> list[Item]:
            starts = left(item)
            if len(starts) == 1:
                return right(starts[0])  # most steps start from one item (no item's list is changed once made)
            found: list[Item] = []
            for start in starts:
                found.extend(right(start))
            return found

        return path, exact
    toward = expr.toward
    if toward is None:
        raise Unsupported("// to anything but a named child")

    def descendants(item: Item) -> list[Item]:
        found: list[Item] = []
        for start in left(item):
            for holder in _holding(start, toward):
                found.extend(right(holder))
        return found

    return descendants, exact and _single(expr.left)


def compile_test(expr: Expr) -> Test:
    """A function giving the effective boolean value of `expr` for an item."""
    if isinstance(expr, Boolean):
        tests = [compile_test(part) for part in expr.parts]
        if expr.operator == "and":
            return lambda item: all(test(item) for test in tests)
        return lambda item: any(test(item) for test in tests)
    if isinstance(expr, Compare):
        return _compare(expr)
    if isinstance(expr, Call):
        return _call(expr)
    if isinstance(expr, Child | FlagStep | Filter | Path | Union):
        items, _ = compile_items(expr)
        return lambda item: bool(items(item))
    raise Unsupported(type(expr).__name__)


def _literals(expr: Expr) -> frozenset[str]:
    parts = expr.parts if isinstance(expr, Sequence_) else (expr,)
    if not parts or not all(isinstance(part, Literal) and isinstance(part.value, str) for part in parts):
        raise Unsupported("a comparison with something other than string literals")
    return frozenset(part.value for part in parts if isinstance(part, Literal))


def _compare(expr: Compare) -> Test:
    if expr.operator != "=":
        raise Unsupported(f"the comparison {expr.operator}")
    left, _ = compile_items(expr.left)
    wanted = _literals(expr.right)

    def compare(item: Item) -> bool:
        # a general comparison of strings: some value of the left equals some literal
        return any(value is not None and value in wanted for value in map(string, left(item)))

    return compare


def _call(expr: Call) -> Test:
    name, arguments = expr.name, expr.arguments
    if name == "not":
        inner = compile_test(arguments[0])
        return lambda item: not inner(item)
    if name in ("exists", "empty"):
        if arguments[0].boolean:
            raise Unsupported(f"{name}() of a test")
        items, _ = compile_items(arguments[0])
        if name == "exists":
            return lambda item: bool(items(item))
        return lambda item: not items(item)
    if name == "has-oscal-namespace":
        wanted = _literals(arguments[0])
        return lambda item: _namespace(item) in wanted
    if name == "starts-with":
        text, _ = compile_items(arguments[0])
        if not isinstance(arguments[1], Literal) or not isinstance(arguments[1].value, str):
            raise Unsupported("starts-with() of something other than a string literal")
        prefix = arguments[1].value

        def starts_with(item: Item) -> bool:
            found = text(item)
            value = string(found[0]) if found else None
            return (value or "").startswith(prefix)

        return starts_with
    raise Unsupported(f"{name}()")


def _namespace(item: Item) -> str:
    value, key = item
    if key is None or not isinstance(value, dict) or "ns" not in _flags_by_name(key):
        return OSCAL_NS
    ns = value.get("ns")
    if ns is None:
        return OSCAL_NS
    if type(ns) is not str:
        raise Undecided
    return ns
