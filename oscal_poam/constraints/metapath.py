"""The part of Metapath (the metaschema's XPath 3.1 dialect) that OSCAL 1.2.1's constraints are written in.

Supported: paths of child (`prop`), flag (`@name`), self (`.`), parent (`..`), any child (`*`) and descendant
(`//`) steps; absolute paths; predicates; unions (`|`); parenthesized expressions and sequences
(`('a', 'b')`); string and number literals; `and`, `or`; general comparisons (`=`, `!=`, `<`, `<=`, `>`,
`>=`); the functions `not`, `exists`, `empty`, `count`, `boolean`, `string`, `starts-with`, `true`,
`false`, `has-oscal-namespace` and `doc`.

`parse` raises MetapathError for anything else; tools/gen_constraints.py lists every constraint whose
expression this module cannot evaluate, so that nothing is skipped in silence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from oscal_poam.constraints.nodes import DOCUMENT, FLAG, OSCAL_NS, Node

Item = Any  # a Node, or an atomic value (str, int, float, bool)


class MetapathError(Exception):
    """An expression outside the supported part of Metapath."""


# -- tokens -------------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^']|'')*'|"(?:[^"]|"")*")
      | (?P<number>\d+(?:\.\d*)?|\.\d+)
      | (?P<symbol>//|\.\.|!=|<=|>=|[/()\[\]@,|=<>.*])
      | (?P<name>[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)
    )""",
    re.VERBOSE,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise MetapathError(f"cannot read {text[position:]!r}")
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


# -- the tree of an expression -------------------------------------------------------------------------------


class Expr:
    boolean = False
    """The expression gives one boolean always (a comparison, `and`, `or`, a boolean function)."""

    def eval(self, item: Item) -> list[Item]:
        raise NotImplementedError

    def test(self, item: Item) -> bool:
        """The effective boolean value of the expression for `item`."""
        return ebv(self.eval(item))


class Literal(Expr):
    def __init__(self, value: Any) -> None:
        self.value = value

    def eval(self, item: Item) -> list[Item]:
        return [self.value]


class Sequence_(Expr):
    def __init__(self, parts: Sequence[Expr]) -> None:
        self.parts = tuple(parts)

    def eval(self, item: Item) -> list[Item]:
        out: list[Item] = []
        for part in self.parts:
            out.extend(part.eval(item))
        return out


class ContextItem(Expr):
    def eval(self, item: Item) -> list[Item]:
        return [item]


class Parent(Expr):
    def eval(self, item: Item) -> list[Item]:
        return [item.parent] if isinstance(item, Node) and item.parent is not None else []


class Child(Expr):
    def __init__(self, name: str) -> None:
        self.name = name

    def eval(self, item: Item) -> list[Item]:
        if not isinstance(item, Node):
            return []
        if self.name == "*":
            return list(item.children())
        return item.named(self.name)


class FlagStep(Expr):
    def __init__(self, name: str) -> None:
        self.name = name

    def eval(self, item: Item) -> list[Item]:
        if not isinstance(item, Node):
            return []
        if self.name == "*":
            return item.flags()
        found = item.flag(self.name)
        return [found] if found is not None else []


class Root(Expr):
    def eval(self, item: Item) -> list[Item]:
        return [item.document.node] if isinstance(item, Node) else []


class Filter(Expr):
    """`base[predicate]...`"""

    def __init__(self, base: Expr, predicates: Sequence[Expr]) -> None:
        self.base = base
        self.predicates = tuple(predicates)

    def eval(self, item: Item) -> list[Item]:
        found = self.base.eval(item)
        for predicate in self.predicates:
            if predicate.boolean:  # no position to compare with: the test alone
                found = [candidate for candidate in found if predicate.test(candidate)]
                continue
            kept = []
            for position, candidate in enumerate(found, start=1):
                result = predicate.eval(candidate)
                if len(result) == 1 and isinstance(result[0], int | float) and not isinstance(result[0], bool):
                    if result[0] == position:
                        kept.append(candidate)
                elif ebv(result):
                    kept.append(candidate)
            found = kept
        return found


class Path(Expr):
    """`left/right` and `left//right`."""

    def __init__(self, left: Expr, right: Expr, descendants: bool) -> None:
        self.left = left
        self.right = right
        self.descendants = descendants
        step = right.base if isinstance(right, Filter) else right
        self.downward = isinstance(step, Child | FlagStep) and not isinstance(left, Sequence_)
        """The right side goes down one step (a child or a flag, perhaps filtered) from distinct nodes."""
        self.toward = step.name if isinstance(step, Child) and step.name != "*" else None
        """`left//name`: only the nodes that may have a child `name` need be looked into."""

    def eval(self, item: Item) -> list[Item]:
        lefts = self.left.eval(item)
        right = self.right
        if self.descendants:
            if self.toward is not None:
                starts: Iterable[Item] = (s for step in lefts for s in _holding(step, self.toward))
            else:
                starts = (s for step in lefts for s in _self_and_descendants(step))
            # one subtree: each node once; several may nest, and reach a node twice
            distinct = self.downward and len(lefts) == 1
        else:
            starts = lefts
            distinct = self.downward
        if distinct:
            # each start has children and flags of its own: nothing is reached twice
            if len(lefts) == 1 and not self.descendants:
                return right.eval(lefts[0])
            out: list[Item] = []
            for start in starts:
                out.extend(right.eval(start))
            return out
        return _distinct(found for start in starts for found in right.eval(start))


def _distinct(items: Iterable[Item]) -> list[Item]:
    """`items` with each node once (in first-seen order); atomic values are all kept."""
    out: list[Item] = []
    seen: set[int] = set()
    for found in items:
        if isinstance(found, Node):
            if id(found) in seen:
                continue
            seen.add(id(found))
        out.append(found)
    return out


def _holding(item: Item, name: str) -> list[Item]:
    return item.holding(name) if isinstance(item, Node) else []


def _self_and_descendants(item: Item) -> list[Item]:
    if not isinstance(item, Node):
        return [item]
    out: list[Node] = []
    stack = [item]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children()))
    return out


class Union(Expr):
    def __init__(self, parts: Sequence[Expr]) -> None:
        self.parts = tuple(parts)

    def eval(self, item: Item) -> list[Item]:
        return _distinct(found for part in self.parts for found in part.eval(item))


class Boolean(Expr):
    boolean = True

    def __init__(self, operator: str, parts: Sequence[Expr]) -> None:
        self.operator = operator
        self.parts = tuple(parts)

    def eval(self, item: Item) -> list[Item]:
        return [self.test(item)]

    def test(self, item: Item) -> bool:
        if self.operator == "and":
            return all(part.test(item) for part in self.parts)
        return any(part.test(item) for part in self.parts)


class Compare(Expr):
    def __init__(self, operator: str, left: Expr, right: Expr) -> None:
        self.operator = operator
        self.left = left
        self.right = right

    boolean = True

    def eval(self, item: Item) -> list[Item]:
        return [self.test(item)]

    def test(self, item: Item) -> bool:
        left = [atomize(i) for i in self.left.eval(item)]
        if not left:
            return False
        right = [atomize(i) for i in self.right.eval(item)]
        if self.operator == "=" and len(left) * len(right) > 8 and all(type(v) is str for v in (*left, *right)):
            return not set(left).isdisjoint(right)  # strings compare as strings: one equal pair is enough
        test = _COMPARISONS[self.operator]
        return any(_compare(test, a, b) for a in left for b in right)


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


def _compare(test: Callable[[Any, Any], bool], a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    if type(a) is str and type(b) is str:
        return test(a, b)
    numeric_a, numeric_b = _number(a), _number(b)
    if numeric_a is not None and numeric_b is not None and not (isinstance(a, str) and isinstance(b, str)):
        return test(numeric_a, numeric_b)
    if isinstance(a, bool) or isinstance(b, bool):
        return test(bool(a), bool(b))
    try:
        return test(str(a), str(b))
    except TypeError:
        return False


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


class Call(Expr):
    def __init__(self, name: str, arguments: Sequence[Expr]) -> None:
        if name not in _FUNCTIONS:
            raise MetapathError(f"the function {name}() is not supported")
        arity = _ARITY[name]
        if len(arguments) not in arity:
            raise MetapathError(f"{name}() takes {' or '.join(map(str, arity))} arguments, not {len(arguments)}")
        self.name = name
        self.function = _FUNCTIONS[name]
        self.arguments = tuple(arguments)
        self.boolean = name in _BOOLEAN_FUNCTIONS
        self.namespaces: frozenset[str] | None = None
        """For `has-oscal-namespace('...')` with literal arguments: the namespaces, known once."""
        if name == "has-oscal-namespace" and all(isinstance(a, Literal) for a in arguments):
            self.namespaces = frozenset(str(a.value) for a in arguments if isinstance(a, Literal))

    def eval(self, item: Item) -> list[Item]:
        return self.function(item, [argument.eval(item) for argument in self.arguments])

    def test(self, item: Item) -> bool:
        if self.namespaces is not None:
            if not isinstance(item, Node):
                return False
            flag = item.flag("ns")
            return (str(flag.value) if flag is not None else OSCAL_NS) in self.namespaces
        return ebv(self.eval(item))


def _has_oscal_namespace(item: Item, arguments: list[list[Item]]) -> list[Item]:
    if not isinstance(item, Node):
        return [False]
    wanted = {str(atomize(i)) for i in arguments[0]}
    flag = item.flag("ns")
    ns = str(flag.value) if flag is not None else OSCAL_NS
    return [ns in wanted]


def _starts_with(item: Item, arguments: list[list[Item]]) -> list[Item]:
    text = _string(arguments[0])
    prefix = _string(arguments[1])
    return [text.startswith(prefix)]


def _string(sequence: list[Item]) -> str:
    if not sequence:
        return ""
    value = atomize(sequence[0])
    return "" if value is None else str(value) if not isinstance(value, bool) else str(value).lower()


def _doc(item: Item, arguments: list[list[Item]]) -> list[Item]:
    if not isinstance(item, Node) or not arguments[0]:
        return []
    href = _string(arguments[0])
    loader = item.document.loader
    found = loader(href, item.document) if loader is not None else None
    return [found.node] if found is not None else []


_FUNCTIONS: dict[str, Callable[[Item, list[list[Item]]], list[Item]]] = {
    "not": lambda item, args: [not ebv(args[0])],
    "exists": lambda item, args: [bool(args[0])],
    "empty": lambda item, args: [not args[0]],
    "count": lambda item, args: [len(args[0])],
    "boolean": lambda item, args: [ebv(args[0])],
    "string": lambda item, args: [_string(args[0] if args else [item])],
    "true": lambda item, args: [True],
    "false": lambda item, args: [False],
    "starts-with": _starts_with,
    "has-oscal-namespace": _has_oscal_namespace,
    "doc": _doc,
}
_BOOLEAN_FUNCTIONS = frozenset(
    {"not", "exists", "empty", "boolean", "true", "false", "starts-with", "has-oscal-namespace"}
)
_ARITY: dict[str, tuple[int, ...]] = {
    "not": (1,),
    "exists": (1,),
    "empty": (1,),
    "count": (1,),
    "boolean": (1,),
    "string": (0, 1),
    "true": (0,),
    "false": (0,),
    "starts-with": (2,),
    "has-oscal-namespace": (1,),
    "doc": (1,),
}


def atomize(item: Item) -> Any:
    """The atomic value of an item: a node's value, an atomic value itself."""
    if isinstance(item, Node):
        return item.atomic()
    return item


def ebv(sequence: list[Item]) -> bool:
    """XPath's effective boolean value."""
    if not sequence:
        return False
    first = sequence[0]
    if isinstance(first, Node):
        return True
    if len(sequence) > 1:
        raise MetapathError("the effective boolean value of a sequence of more than one atomic value")
    if isinstance(first, bool):
        return first
    if isinstance(first, str):
        return first != ""
    if isinstance(first, int | float):
        return first != 0
    return bool(first)


def is_document(item: Item) -> bool:
    return isinstance(item, Node) and item.kind == DOCUMENT


def is_flag(item: Item) -> bool:
    return isinstance(item, Node) and item.kind == FLAG


# -- parsing ---------------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            wanted = f"{value!r}" if value else "more"
            raise MetapathError(f"expected {wanted} in {self.text!r}")
        self.position += 1
        return token

    def at(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token[0] in ("symbol", "name") and token[1] == value

    def parse(self) -> Expr:
        expr = self.sequence()
        if self.peek() is not None:
            raise MetapathError(f"unexpected {self.peek()[1]!r} in {self.text!r}")  # type: ignore[index]
        return expr

    def _joined(self, operator: str, operand: Callable[[], Expr]) -> list[Expr]:
        """Operands separated by `operator` (one or more)."""
        parts = [operand()]
        while self.at(operator):
            self.take()
            parts.append(operand())
        return parts

    def sequence(self) -> Expr:
        parts = self._joined(",", self.or_expr)
        return parts[0] if len(parts) == 1 else Sequence_(parts)

    def or_expr(self) -> Expr:
        parts = self._joined("or", self.and_expr)
        return parts[0] if len(parts) == 1 else Boolean("or", parts)

    def and_expr(self) -> Expr:
        parts = self._joined("and", self.comparison)
        return parts[0] if len(parts) == 1 else Boolean("and", parts)

    def comparison(self) -> Expr:
        left = self.union()
        token = self.peek()
        if token is not None and token[0] == "symbol" and token[1] in _COMPARISONS:
            self.take()
            return Compare(token[1], left, self.union())
        return left

    def union(self) -> Expr:
        parts = self._joined("|", self.path)
        return parts[0] if len(parts) == 1 else Union(parts)

    def path(self) -> Expr:
        if self.at("//"):
            self.take()
            return Path(Root(), self.relative(), descendants=True)
        if self.at("/"):
            self.take()
            token = self.peek()
            if token is None or token[1] in (")", "]", ",", "|"):
                return Root()
            return Path(Root(), self.relative(), descendants=False)
        return self.relative()

    def relative(self) -> Expr:
        expr = self.step()
        while self.at("/") or self.at("//"):
            descendants = self.take()[1] == "//"
            expr = Path(expr, self.step(), descendants)
        return expr

    def step(self) -> Expr:
        token = self.peek()
        if token is None:
            raise MetapathError(f"an expression ends early: {self.text!r}")
        kind, value = token
        base: Expr
        if kind == "string":
            self.take()
            base = Literal(value[1:-1].replace(value[0] * 2, value[0]))
        elif kind == "number":
            self.take()
            base = Literal(float(value) if "." in value else int(value))
        elif value == "(":
            self.take()
            base = Sequence_(()) if self.at(")") else self.sequence()
            self.take(")")
        elif value == "@":
            self.take()
            name = self.take()
            if name[0] != "name" and name[1] != "*":
                raise MetapathError(f"expected a flag name after @ in {self.text!r}")
            base = FlagStep(name[1])
        elif value == ".":
            self.take()
            base = ContextItem()
        elif value == "..":
            self.take()
            base = Parent()
        elif value == "*":
            self.take()
            base = Child("*")
        elif kind == "name":
            self.take()
            if self.at("("):
                self.take("(")
                arguments: list[Expr] = []
                if not self.at(")"):
                    arguments.append(self.or_expr())
                    while self.at(","):
                        self.take(",")
                        arguments.append(self.or_expr())
                self.take(")")
                base = Call(value, arguments)
            elif ":" in value:
                raise MetapathError(f"the axis or prefix in {value!r} is not supported")
            else:
                base = Child(value)
        else:
            raise MetapathError(f"unexpected {value!r} in {self.text!r}")
        predicates: list[Expr] = []
        while self.at("["):
            self.take("[")
            predicates.append(self.sequence())
            self.take("]")
        return Filter(base, predicates) if predicates else base


@cache
def parse(text: str) -> Expr:
    """The expression `text`, compiled once; raises MetapathError outside the supported part of Metapath."""
    return _Parser(text).parse()


def context_filter(text: str) -> Expr | None:
    """For `.[predicate]/rest` (or `(.)[...]/rest`): the leading filter of the context item itself, else None."""
    expr = parse(text)
    while isinstance(expr, Path):
        expr = expr.left
    if isinstance(expr, Filter) and isinstance(expr.base, ContextItem):
        return expr
    return None


def evaluate(text: str, item: Item) -> list[Item]:
    return parse(text).eval(item)
