"""NIST's constraint layer evaluated over one OSCAL document, as the metaschema defines it.

Every node of the document is visited once, top down. Each constraint declared on the node's definition (or
on one of its flags) is evaluated with the node as context:

- allowed-values: the values each target may take; a value matched by no constraint that applies to it, when
  one of those constraints does not allow others, is a finding (the constraints that apply to one value are
  combined, as `oscal-cli` does);
- matches: the target's value against the regex (a full match) and the data type;
- index: the targets' keys, unique, under the index's name; index-has-key: every target's key is in the named
  index (checked once the whole document is seen);
- is-unique: the targets' keys are unique within this context;
- has-cardinality: how many targets there are;
- expect: the test holds for each target.

A finding is a Diagnostic whose rule id is NIST's constraint id, whose severity is NIST's level and whose
message is NIST's where the metaschema gives one, located by the JSON pointer of the item at fault.

Most constraints find nothing on most documents, and making the nodes to learn that was most of the cost. So the
walk goes over the plain data, and each constraint is first given to its check compiled over plain data
(`plain`), which settles it where there is nothing to find; where there may be, the constraint is evaluated over
the nodes, made then, which give every finding, in the order the nodes alone would give it.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from oscal_poam.constraints.definitions import Constraint, KeyField
from oscal_poam.constraints.metapath import ContextItem, MetapathError, atomize, context_filter, ebv, parse
from oscal_poam.constraints.nodes import ASSEMBLY, FIELD, FLAG, Document, Node, _flags_by_name, _relevant_by_json
from oscal_poam.constraints.plain import (
    Item,
    Items,
    Undecided,
    Unsupported,
    atomic,
    atomic_of,
    compile_items,
    compile_test,
    forget,
    needs,
    string,
)
from oscal_poam.constraints.table import CONSTRAINTS, OSCAL_VERSION
from oscal_poam.diagnostics import Diagnostic, Severity

SEVERITIES: Mapping[str, Severity] = {
    "CRITICAL": Severity.ERROR,
    "ERROR": Severity.ERROR,
    "WARNING": Severity.WARNING,
    "INFORMATIONAL": Severity.INFO,
    "DEBUG": Severity.INFO,
}

CROSS_INSTANCE = frozenset(
    {
        "index-metadata-party-uuid",
        "index-metadata-role-id",
        "index-metadata-role-ids",
        "index-metadata-location-uuid",
        "index-metadata-party-organizations-uuid",
    }
)
"""Indexes of identifiers NIST gives cross-instance scope: a document may refer to those its imports define."""

Loader = Callable[[str, Document], Document | None]


def citation(constraint: Constraint) -> str:
    return f"OSCAL {OSCAL_VERSION} metaschema ({constraint.module}): {constraint.kind} {constraint.id}"


Place = tuple[Any, str, int, Any, str, int]
"""A node of the walk, without the node: (its value, its definition, its kind, the place of its parent (None for
the root), its JSON key there, its index under that key)."""

Context = tuple[Place, str | None]
"""A constraint's context: the place of its node, and the flag it is declared on (None for the node itself)."""

Entered = Node | tuple[Constraint, Context]
"""An item of an index: its node, or (until a finding needs the node) the constraint and context that entered it."""


@dataclass
class _Run:
    document: Document
    imported: list[Document]
    imports_complete: bool
    findings: list[Diagnostic] = field(default_factory=list)
    # id of the target node -> (node, the allowed-values constraints that apply to its value)
    values: dict[int, tuple[Node, list[Constraint]]] = field(default_factory=dict)
    # index name -> (its first constraint, key -> the item: its node, or the constraint and context that entered it)
    indexes: dict[str, tuple[Constraint, dict[tuple[Any, ...], Entered]]] = field(default_factory=dict)
    # (constraint, the targets' nodes, or the keys they refer by where none was made, the context)
    key_refs: list[tuple[Constraint, list[Node] | None, list[tuple[Any, ...]], Context | None]] = field(
        default_factory=list
    )
    # allowed-values constraints that may refuse a value they target, with their contexts, evaluated once the
    # document is walked (seldom: most allow every value they target)
    refusing: list[tuple[Constraint, Context]] = field(default_factory=list)
    # allowed-values constraints that can only allow a value another one refuses (those that allow other values,
    # and those that allow every value they target): evaluated when one is refused (seldom)
    allowing: list[tuple[Constraint, Context]] = field(default_factory=list)

    def report(self, constraint: Constraint, node: Node, message: str, subject: str = "") -> None:
        self.findings.append(
            Diagnostic(
                rule_id=constraint.id,
                severity=SEVERITIES.get(constraint.level, Severity.ERROR),
                message=constraint.message or message,
                pointer=node.pointer,
                citation=citation(constraint),
                document=self.document.source,
                subject=subject,
            )
        )

    def node(self, context: Context) -> Node:
        """The node of a context, made now (with the nodes above it) where it was not made yet."""
        place, flag = context
        node = self._node(place)
        if flag is None:
            return node
        found = node.flag(flag)
        assert found is not None  # a context is given for a flag that is there
        return found

    def _node(self, place: Place) -> Node:
        parent = place[3]
        if parent is None:
            return self.document.root
        return self._node(parent)._at_key(place[4])[place[5]]


def check(
    data: Mapping[str, Any],
    source: str,
    *,
    loader: Loader | None = None,
    imported: Iterable[Document] = (),
    imports_complete: bool = True,
    folder: Path | None = None,
) -> list[Diagnostic]:
    """Every finding of NIST's constraints on `data` (OSCAL JSON data wrapped in its root key).

    `loader` reads the documents `doc()` names; `imported` are the documents this one imports (its SSP,
    say), whose parties, roles and locations it may refer to; `imports_complete` says whether every import
    could be read (when not, references to those are not judged).
    """
    document = Document(data, source, loader, folder)
    run = _Run(document, list(imported), imports_complete)
    root = document.root
    _forget()
    # the document's plain data is walked, top down; a node is made only for a context whose constraint its
    # compiled check cannot settle (see `_plans`), so that the findings and their order are the nodes' own
    stack: list[Place] = [(root.value, root.key, ASSEMBLY, None, "", 0)]
    pop, push = stack.pop, stack.append
    while stack:
        place = pop()
        value, key, kind = place[0], place[1], place[2]
        known = _KNOWN.get(key)
        if known is None:
            known = _KNOWN[key] = (_plans(key), _relevant_by_json(key))
        plans, below = known
        is_dict = isinstance(value, dict)
        if plans:
            item: Item = (value, key)
            for constraint, fast, guard, flag in plans:
                if guard is not None:
                    if not is_dict:
                        continue
                    for json_key in guard:
                        if json_key in value:
                            break
                    else:
                        continue  # it has no target here
                context = item
                if flag is not None:
                    held = value.get(flag) if is_dict else None
                    if held is None:
                        continue
                    context = (held, None)
                if fast is not None:
                    try:
                        outcome = fast(context)
                    except Undecided:
                        pass
                    else:
                        if outcome is True:
                            run.allowing.append((constraint, (place, flag)))
                        elif not outcome:
                            pass
                        elif constraint.kind != "index":
                            run.key_refs.append((constraint, None, outcome, (place, flag)))
                        elif not _enter(run, constraint, outcome, (place, flag)):
                            _evaluate(run, constraint, run.node((place, flag)))
                        continue
                if constraint.kind == "allowed-values":
                    (run.allowing if constraint.allow_other else run.refusing).append((constraint, (place, flag)))
                else:
                    _evaluate(run, constraint, run.node((place, flag)))
        if below and kind == ASSEMBLY and is_dict:
            # the children, last first: they are taken in the document's order
            for json_key in reversed(value):
                entry = below.get(json_key)
                if entry is None:
                    continue
                held = value[json_key]
                if held is None:
                    continue
                child_kind, child_key, _, many = entry
                if not many:
                    push((held, child_key, child_kind, place, json_key, 0))
                elif isinstance(held, list):
                    for index in range(len(held) - 1, -1, -1):
                        push((held[index], child_key, child_kind, place, json_key, index))
    _forget()
    _allowed_values(run)
    _key_references(run)
    document.release()
    return run.findings


Outcome = bool | list[tuple[Any, ...]] | None
Fast = Callable[[Item], Outcome]


Plan = tuple[Constraint, Fast | None, tuple[str, ...] | None, str | None]


def _plans(key: str) -> tuple[Plan, ...]:
    """The constraints of a definition, each with its compiled check where its expressions compile (`plain`).

    A compiled check is given the context's item and settles the constraint without a node where it finds
    nothing to say: None when there is nothing to record, True for an allowed-values constraint that allows every
    value it targets (it is kept, as one that allows other values is, to be evaluated only when another refuses
    a value), the keys an index-has-key constraint's targets refer by (checked once the indexes are complete), or
    the keys of an index constraint's targets (entered without their nodes where none is there already).
    It raises Undecided where it would find something, or cannot tell: the constraint is then evaluated over the
    nodes, which give the findings.

    The JSON keys of which the node must hold one for the constraint to have a target come with it, where its
    target says: without one, there is nothing to evaluate (except a count, which is then 0); and the flag it is
    declared on (a constraint on a flag the definition does not have has no context).
    """
    return tuple(
        (constraint, _compiled(constraint, key), _guard(constraint, key), constraint.flag)
        for constraint in CONSTRAINTS.get(key, ())
        if constraint.flag is None or constraint.flag in _flags_by_name(key)
    )


_KNOWN: dict[str, tuple[tuple[Plan, ...], Mapping[str, tuple[int, str, str, bool]]]] = {}
"""For each definition, made once per process: its `_plans`, and its children the walk goes into."""


def _guard(constraint: Constraint, key: str) -> tuple[str, ...] | None:
    if constraint.flag is not None or constraint.kind == "has-cardinality":
        return None
    try:
        return needs(parse(constraint.target), key)
    except MetapathError:
        return None


def _compiled(constraint: Constraint, key: str) -> Fast | None:
    """The compiled check of a constraint of definition `key` (its context is an item of `key`, or of the flag the
    constraint is declared on)."""
    try:
        return _compile(constraint, key)
    except (Unsupported, MetapathError):
        return None


def _compile(constraint: Constraint, key: str) -> Fast | None:
    targets, exact = _compiled_targets(constraint, key)
    kind = constraint.kind
    if kind == "allowed-values":
        return _compile_values(constraint, targets, None if constraint.flag is not None else key)
    if kind == "matches":
        return _compile_matches(constraint, targets)
    if kind == "index":
        key_of = _compile_keys(constraint.keys)
        return lambda item: [key_of(target) for target in targets(item)] or None
    if kind == "index-has-key":
        return _compile_key_refs(constraint, targets)
    if kind == "is-unique":
        return _compile_unique(constraint, targets)
    if kind == "has-cardinality":
        return _compile_cardinality(constraint, targets) if exact else None
    if kind == "expect":
        test = compile_test(parse(str(constraint.test)))

        def expect(item: Item) -> Outcome:
            if not all(test(target) for target in targets(item)):
                raise Undecided
            return None

        return expect
    return None


def _compiled_targets(constraint: Constraint, key: str) -> tuple[Items, bool]:
    """The compiled targets of a constraint of definition `key`. Constraints of one definition with the same
    target (an implemented requirement's responsible roles, by role id and by party) share a function that
    remembers the targets of the last item it was given, until `_forget`."""
    targets, exact = compile_items(parse(constraint.target))
    shared = (key, constraint.flag, constraint.target)
    if shared not in _REPEATED:
        return targets, exact
    known = _SHARED.get(shared)
    if known is None:
        last: list[Any] = [None, None]  # the last item's value, and its targets (lists no caller changes)

        def remembered(item: Item) -> list[Item]:
            value = item[0]
            if value is last[0] and value is not None:
                found: list[Item] = last[1]
                return found
            found = targets(item)
            last[0], last[1] = value, found
            return found

        known = _SHARED[shared] = (remembered, exact)
        _REMEMBERED.append(last)
    return known


_REPEATED = frozenset(
    shared
    for shared, count in Counter((key, c.flag, c.target) for key, cs in CONSTRAINTS.items() for c in cs).items()
    if count > 1
)
"""The targets that more than one constraint of a definition has (on one flag, or on the definition)."""
_SHARED: dict[tuple[str, str | None, str], tuple[Items, bool]] = {}
_REMEMBERED: list[list[Any]] = []


def _forget() -> None:
    """Drop what the compiled functions remember of the data (it may change between checks)."""
    forget()
    for last in _REMEMBERED:
        last[0] = last[1] = None


def _compile_values(constraint: Constraint, targets: Callable[[Item], list[Item]], context: str | None) -> Fast:
    """`context`: the definition of the context's item (None for a flag)."""
    itself = isinstance(parse(constraint.target), ContextItem)
    # the context's atomic value, found as `atomic` finds it for an item of its definition: a constraint on the
    # context itself is most of all checks made (the method of every observation, the type of every subject)
    atom = atomic_of(context)
    if constraint.allow_other:
        if itself:
            return lambda item: atom(item[0]) is not None
        return lambda item: any(atomic(target) is not None for target in targets(item))
    allowed = _values(constraint)
    if itself:

        def value(item: Item) -> Outcome:
            text = atom(item[0])
            if text is None:
                return None
            if type(text) is not str or text not in allowed:
                raise Undecided  # as `string` says of a value that is not a string
            return True

        return value

    def values(item: Item) -> Outcome:
        found = False
        for target in targets(item):
            text = string(target)
            if text is None:
                continue
            if text not in allowed:
                raise Undecided
            found = True
        return found

    return values


def _compile_matches(constraint: Constraint, targets: Callable[[Item], list[Item]]) -> Fast:
    regex = _regex(constraint.regex) if constraint.regex is not None else None
    datatype = constraint.datatype

    def matches(item: Item) -> Outcome:
        for target in targets(item):
            text = string(target)
            if text is None:
                continue
            if regex is not None and not regex.fullmatch(text):
                raise Undecided
            if datatype is not None and not _valid(datatype, text):
                raise Undecided
        return None

    return matches


def _compile_keys(keys: tuple[KeyField, ...]) -> Callable[[Item], tuple[Any, ...]]:
    """`_key` over items."""
    parts = [(compile_items(parse(key.target))[0], key.pattern) for key in keys]
    return lambda item: tuple(_key_part(found(item), pattern) for found, pattern in parts)


def _key_part(found: list[Item], pattern: str | None) -> str | None:
    if not found:
        return None
    value = string(found[0])
    if value is None:
        raise Undecided  # a key without a value: `_key` says so its own way
    if pattern is not None:
        match = _regex(pattern).fullmatch(value)
        return (match.group(1) if match.groups() else match.group(0)) if match else None
    return value


def _compile_key_refs(constraint: Constraint, targets: Callable[[Item], list[Item]]) -> Fast:
    keys = constraint.keys
    key_of = _compile_keys(keys)
    # `_references`: a single key field with several values refers by each
    several = compile_items(parse(keys[0].target))[0] if len(keys) == 1 and keys[0].target != "." else None
    pattern = keys[0].pattern

    def key_refs(item: Item) -> Outcome:
        refs: list[tuple[Any, ...]] = []
        for target in targets(item):
            if several is not None:
                found = several(target)
                if len(found) > 1:
                    refs.extend((_key_part([one], pattern),) for one in found)
                    continue
            refs.append(key_of(target))
        return refs or None

    return key_refs


def _compile_unique(constraint: Constraint, targets: Callable[[Item], list[Item]]) -> Fast:
    key_of = _compile_keys(constraint.keys)

    def unique(item: Item) -> Outcome:
        found = targets(item)
        if len(found) < 2:
            return None
        seen: set[tuple[Any, ...]] = set()
        for target in found:
            key = key_of(target)
            if _no_key(key):
                continue
            if key in seen:
                raise Undecided
            seen.add(key)
        return None

    return unique


def _compile_cardinality(constraint: Constraint, targets: Callable[[Item], list[Item]]) -> Fast:
    condition = context_filter(constraint.target)
    holds = compile_test(condition) if condition is not None else None
    least, most = constraint.min, constraint.max

    def cardinality(item: Item) -> Outcome:
        if holds is not None and not holds(item):
            return None
        count = len(targets(item))
        if (least is not None and count < least) or (most is not None and count > most):
            raise Undecided
        return None

    return cardinality


def _targets(run: _Run, constraint: Constraint, context: Node) -> list[Any] | None:
    try:
        return parse(constraint.target).eval(context)
    except MetapathError:
        return None  # listed as not evaluated in docs/constraints.md


def _evaluate(run: _Run, constraint: Constraint, context: Node) -> None:
    targets = _targets(run, constraint, context)
    if targets is None:
        return
    kind = constraint.kind
    if kind == "allowed-values":
        for target in targets:
            if isinstance(target, Node) and target.atomic() is not None:
                entry = run.values.setdefault(id(target), (target, []))
                entry[1].append(constraint)
    elif kind == "matches":
        for target in targets:
            if isinstance(target, Node) and target.atomic() is not None:
                _matches(run, constraint, target)
    elif kind == "index":
        _index(run, constraint, targets)
    elif kind == "index-has-key":
        run.key_refs.append((constraint, [t for t in targets if isinstance(t, Node)], [], None))
    elif kind == "is-unique":
        _keyed(run, constraint, targets, {}, "is not unique here: it is also at {at}")
    elif kind == "has-cardinality":
        _cardinality(run, constraint, context, targets)
    elif kind == "expect":
        _expect(run, constraint, targets)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _what(node: Node) -> str:
    return f"@{node.name}" if node.kind == FLAG else node.name


# -- allowed-values ----------------------------------------------------------------------------------------


def _allowed_values(run: _Run) -> None:
    # in the order of the walk, as each node's constraints are: a value refused is first entered where it was
    # before, since every constraint that targets it may refuse it (one that allows it would allow it)
    for constraint, context in run.refusing:
        _evaluate(run, constraint, run.node(context))
    refused = [(node, constraints) for node, constraints in run.values.values() if not _allowed(node, constraints)]
    if refused and run.allowing:
        # the constraints that can only allow values may allow these: they apply to the values they target, and
        # matter only where they list one of the values refused
        texts = {_text(atomize(node)) for node, _ in refused}
        # asked once for each constraint, not for each of its contexts (a value of every observation's method)
        listing = {id(c): c for c, _ in run.allowing}
        wanted = {key for key, c in listing.items() if not texts.isdisjoint(_values(c))}
        for constraint, context in run.allowing if wanted else ():
            if id(constraint) not in wanted:
                continue
            for target in _targets(run, constraint, run.node(context)) or ():
                entry = run.values.get(id(target))
                if entry is not None:
                    entry[1].append(constraint)
    for node, constraints in refused:
        if _allowed(node, constraints):
            continue
        text = _text(atomize(node))
        closed = [c for c in constraints if not c.allow_other]
        allowed = sorted({v for c in closed for v in c.values})
        shown = ", ".join(allowed[:12]) + (f" and {len(allowed) - 12} others" if len(allowed) > 12 else "")
        run.report(
            closed[0],
            node,
            f"{_what(node)} {_shown(text)} is not one of the values NIST's OSCAL allows here: {shown}",
            text,
        )


def _allowed(node: Node, constraints: list[Constraint]) -> bool:
    text = _text(atomize(node))
    return any(text in _values(c) for c in constraints)


_VALUES: dict[int, tuple[Constraint, frozenset[str]]] = {
    id(c): (c, frozenset(c.values)) for cs in CONSTRAINTS.values() for c in cs if c.kind == "allowed-values"
}
"""The values each allowed-values constraint of the table lists, as a set, by the id of the constraint (held)."""


def _values(constraint: Constraint) -> frozenset[str]:
    found = _VALUES.get(id(constraint))
    return found[1] if found is not None and found[0] is constraint else frozenset(constraint.values)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    text = getattr(value, "text", None)  # a kept date-time
    return text if isinstance(text, str) else str(value)


# -- matches -------------------------------------------------------------------------------------------------


def _matches(run: _Run, constraint: Constraint, node: Node) -> None:
    text = _text(atomize(node))
    if constraint.regex is not None and not _regex(constraint.regex).fullmatch(text):
        run.report(constraint, node, f"{_what(node)} {_shown(text)} does not match {constraint.regex!r}", text)
        return
    if constraint.datatype is not None and not _valid(constraint.datatype, text):
        run.report(constraint, node, f"{_what(node)} {_shown(text)} is not a valid {constraint.datatype}", text)


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_DATE = (
    r"(((2000|2400|2800|(19|2[0-9](0[48]|[2468][048]|[13579][26])))-02-29)|(((19|2[0-9])[0-9]{2})-02-(0[1-9]|1[0-9]|"
    r"2[0-8]))|(((19|2[0-9])[0-9]{2})-(0[13578]|10|12)-(0[1-9]|[12][0-9]|3[01]))|(((19|2[0-9])[0-9]{2})-(0[469]|11)-"
    r"(0[1-9]|[12][0-9]|30)))"
)
_ZONE = r"(Z|(-((0[0-9]|1[0-2]):00|0[39]:30)|\+((0[0-9]|1[0-4]):00|(0[34569]|10):30|(0[58]|12):45)))"
_TIME = r"T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?"
_DATATYPES: Mapping[str, re.Pattern[str]] = {
    # NIST's own patterns, from the JSON schema's data type definitions
    "integer": re.compile(r"[+-]?[0-9]+"),
    "non-negative-integer": re.compile(r"\+?[0-9]+"),
    "positive-integer": re.compile(r"\+?0*[1-9][0-9]*"),
    "decimal": re.compile(r"(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    "boolean": re.compile(r"true|false|1|0"),
    "uuid": re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}"),
    "token": re.compile(r"(\w|_)[\w.\-]*".replace(r"(\w|_)", r"[^\W\d]")),
    "string": re.compile(r"\S(.*\S)?", re.DOTALL),
    "date": re.compile(_DATE + _ZONE + "?"),
    "date-with-timezone": re.compile(_DATE + _ZONE),
    "date-time": re.compile(_DATE + _TIME + _ZONE + "?"),
    "date-time-with-timezone": re.compile(_DATE + _TIME + _ZONE),
    "uri": re.compile(r"[a-zA-Z][a-zA-Z0-9+\-.]+:\S+"),
    "uri-reference": re.compile(r"[^\s]*"),
    "email-address": re.compile(r"\S+@\S+"),
    "base64": re.compile(r"[0-9A-Za-z+/]+={0,2}"),
}


def _valid(datatype: str, text: str) -> bool:
    if datatype == "ip-v4-address":
        try:
            ipaddress.IPv4Address(text)
        except ValueError:
            return False
        return True
    if datatype == "ip-v6-address":
        try:
            ipaddress.IPv6Address(text)
        except ValueError:
            return False
        return True
    pattern = _DATATYPES.get(datatype)
    return pattern is None or pattern.fullmatch(text) is not None


# -- index, is-unique, index-has-key ----------------------------------------------------------------------------


def _key(node: Node, keys: tuple[KeyField, ...]) -> tuple[Any, ...]:
    parts = []
    for key in keys:
        found = parse(key.target).eval(node)
        value = _text(atomize(found[0])) if found else None
        if value is not None and key.pattern is not None:
            match = _regex(key.pattern).fullmatch(value)
            value = (match.group(1) if match.groups() else match.group(0)) if match else None
        parts.append(value)
    return tuple(parts)


def _no_key(key: tuple[Any, ...]) -> bool:
    """A key with no value at all: such items are not indexed (nor compared for uniqueness)."""
    return all(part is None for part in key)


def _at_key(node: Node, keys: tuple[KeyField, ...]) -> Node:
    """Where a finding about `node`'s key is located: the key's own flag or field when the key is one of them."""
    if len(keys) == 1 and keys[0].target != ".":
        found = parse(keys[0].target).eval(node)
        if len(found) == 1 and isinstance(found[0], Node):
            return found[0]
    return node


def _shown_key(key: tuple[Any, ...]) -> str:
    shown = [str(part) for part in key if part is not None]
    return ", ".join(shown) if shown else "(no key)"


def _index(run: _Run, constraint: Constraint, targets: list[Any]) -> None:
    name = str(constraint.name)
    index = run.indexes.get(name)
    if index is None:
        index = run.indexes[name] = (constraint, {})
    _keyed(run, constraint, targets, index[1], f"is already used at {{at}} (index {name})")


def _enter(run: _Run, constraint: Constraint, keys: list[tuple[Any, ...]], context: Context) -> bool:
    """Enters the keys of an index constraint's targets in its index, without their nodes, unless one is there
    already (or twice among them): then nothing is entered, and the nodes are needed (False)."""
    name = str(constraint.name)
    index = run.indexes.get(name)
    if index is None:
        index = run.indexes[name] = (constraint, {})
    entries = index[1]
    keyed = [key for key in keys if not _no_key(key)]
    if len(set(keyed)) != len(keyed) or any(key in entries for key in keyed):
        return False
    for key in keyed:
        entries[key] = (constraint, context)
    return True


def _entered(run: _Run, entered: Entered, key: tuple[Any, ...]) -> Node:
    """The node of an index's item; for one entered without it, the target of its constraint with that key."""
    if isinstance(entered, Node):
        return entered
    constraint, context = entered
    for target in _targets(run, constraint, run.node(context)) or ():
        if isinstance(target, Node) and _key(target, constraint.keys) == key:
            return target
    raise AssertionError(f"no target of {constraint.id} has the key {key}")


def _keyed(
    run: _Run, constraint: Constraint, targets: list[Any], seen: dict[tuple[Any, ...], Entered], said: str
) -> None:
    """Enters each target in `seen` by its key; one whose key is there already is reported, `said` naming the first."""
    for target in targets:
        if not isinstance(target, Node):
            continue
        key = _key(target, constraint.keys)
        if _no_key(key):
            continue
        entered = seen.get(key)
        if entered is None:
            seen[key] = target
            continue
        first = seen[key] = _entered(run, entered, key)
        if first is not target:
            shown = _shown_key(key)
            run.report(
                constraint,
                _at_key(target, constraint.keys),
                f"{_what(target)} {shown} {said.format(at=first.pointer)}",
                shown,
            )


def _references(target: Node, keys: tuple[KeyField, ...]) -> list[tuple[Node, tuple[Any, ...]]]:
    """The keys a target refers by, each where it stands: one per value of a key field that has several (every
    party-uuid of a responsible-party must name a party)."""
    if len(keys) == 1 and keys[0].target != ".":
        found = [n for n in parse(keys[0].target).eval(target) if isinstance(n, Node)]
        if len(found) > 1:
            return [(node, _key(node, (KeyField(".", keys[0].pattern),))) for node in found]
    return [(_at_key(target, keys), _key(target, keys))]


def _key_references(run: _Run) -> None:
    for constraint, targets, keys, context in run.key_refs:
        name = str(constraint.name)
        local = run.indexes.get(name)
        entries = local[1] if local is not None else {}
        if targets is None:
            # keys found without making nodes: the nodes are made only to report one that names nothing
            if all(_resolves(run, name, entries, key) for key in keys):
                continue
            assert context is not None
            targets = [t for t in _targets(run, constraint, run.node(context)) or () if isinstance(t, Node)]
        for where, key in (ref for target in targets for ref in _references(target, constraint.keys)):
            if _resolves(run, name, entries, key):
                continue
            scope = "this document" if name not in CROSS_INSTANCE else "this document or the documents it imports"
            run.report(
                constraint,
                where,
                f"{_what(where)} {_shown_key(key)} names nothing in {scope} (index {name})",
                _shown_key(key),
            )


def _resolves(run: _Run, name: str, entries: Mapping[tuple[Any, ...], object], key: tuple[Any, ...]) -> bool:
    """The key names an item of the index, here or (for a cross-instance index) in an import; or it may, in an
    import that could not be read (which is reported on its own)."""
    if key in entries:
        return True
    if name in CROSS_INSTANCE:
        return any(key in _imported_index(document, name) for document in run.imported) or not run.imports_complete
    return False


def _imported_index(document: Document, name: str) -> Mapping[tuple[Any, ...], object]:
    """The index `name` as an imported document defines it."""
    built = document.indexes
    if built is None:
        run = _Run(document, [], True)
        stack = [document.root]
        while stack:
            node = stack.pop()
            for constraint in CONSTRAINTS.get(node.key, ()):
                if constraint.kind == "index" and constraint.flag is None:
                    targets = _targets(run, constraint, node)
                    if targets is not None:
                        _index(run, constraint, targets)
            if node.kind == ASSEMBLY:
                stack.extend(node.relevant())
        built = {index: entries for index, (_, entries) in run.indexes.items()}
        document.indexes = built
    return built.get(name, {})


# -- has-cardinality, expect -------------------------------------------------------------------------------------


def _cardinality(run: _Run, constraint: Constraint, context: Node, targets: list[Any]) -> None:
    condition = context_filter(constraint.target)
    if condition is not None and not condition.eval(context):
        # Erratum (usnistgov/oscal-content#278): `.[@name='objective']/prop[...]` counts the props of objective
        # parts; read literally, every other part has none of them and fails. The filter of the context item
        # is a condition on the context.
        return
    count = len(targets)
    if constraint.min is not None and count < constraint.min:
        run.report(
            constraint,
            context,
            f"{count} of {constraint.target} here; at least {constraint.min} expected",
        )
    elif constraint.max is not None and count > constraint.max:
        extra = targets[constraint.max] if isinstance(targets[constraint.max], Node) else context
        run.report(
            constraint,
            extra,
            f"{count} of {constraint.target} here; at most {constraint.max} expected",
        )


def _expect(run: _Run, constraint: Constraint, targets: list[Any]) -> None:
    test = parse(str(constraint.test))
    for target in targets:
        if not isinstance(target, Node) or target.kind not in (ASSEMBLY, FIELD, FLAG):
            continue
        try:
            holds = ebv(test.eval(target))
        except MetapathError:
            continue
        if not holds:
            run.report(constraint, target, f"{_what(target)} does not meet {constraint.test}")
