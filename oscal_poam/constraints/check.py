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
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from oscal_poam.constraints.definitions import Constraint, KeyField
from oscal_poam.constraints.metapath import MetapathError, atomize, context_filter, ebv, parse
from oscal_poam.constraints.nodes import ASSEMBLY, FIELD, FLAG, Document, Node
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


@dataclass
class _Run:
    document: Document
    imported: list[Document]
    imports_complete: bool
    findings: list[Diagnostic] = field(default_factory=list)
    # id of the target node -> (node, the allowed-values constraints that apply to its value)
    values: dict[int, tuple[Node, list[Constraint]]] = field(default_factory=dict)
    indexes: dict[str, tuple[Constraint, dict[tuple[Any, ...], Node]]] = field(default_factory=dict)
    key_refs: list[tuple[Constraint, Node, list[Node]]] = field(default_factory=list)
    # allowed-values constraints that allow other values, with their contexts: they can only allow a value that a
    # closed constraint refuses, so they are evaluated when one does (seldom)
    open_values: list[tuple[Constraint, Node]] = field(default_factory=list)

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
    stack = [document.root]
    while stack:
        node = stack.pop()
        constraints = CONSTRAINTS.get(node.key)
        if constraints:
            for constraint in constraints:
                context = node if constraint.flag is None else node.flag(constraint.flag)
                if context is None:
                    continue
                if constraint.allow_other and constraint.kind == "allowed-values":
                    run.open_values.append((constraint, context))
                else:
                    _evaluate(run, constraint, context)
        if node.kind == ASSEMBLY:
            stack.extend(reversed(node.relevant()))
    _allowed_values(run)
    _key_references(run)
    document.release()
    return run.findings


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
        run.key_refs.append((constraint, context, [t for t in targets if isinstance(t, Node)]))
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
    refused = [(node, constraints) for node, constraints in run.values.values() if not _allowed(node, constraints)]
    if refused and run.open_values:
        # the constraints that allow other values may allow these: they apply to the values they target
        for constraint, context in run.open_values:
            for target in _targets(run, constraint, context) or ():
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


def _keyed(run: _Run, constraint: Constraint, targets: list[Any], seen: dict[tuple[Any, ...], Node], said: str) -> None:
    """Enters each target in `seen` by its key; one whose key is there already is reported, `said` naming the first."""
    for target in targets:
        if not isinstance(target, Node):
            continue
        key = _key(target, constraint.keys)
        if _no_key(key):
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = target
        elif first is not target:
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
    for constraint, _context, targets in run.key_refs:
        name = str(constraint.name)
        local = run.indexes.get(name)
        entries = local[1] if local is not None else {}
        for where, key in (ref for target in targets for ref in _references(target, constraint.keys)):
            if key in entries:
                continue
            if name in CROSS_INSTANCE:
                if any(key in _imported_index(document, name) for document in run.imported):
                    continue
                if not run.imports_complete:
                    continue  # it may be in an import that could not be read, which is reported on its own
            scope = "this document" if name not in CROSS_INSTANCE else "this document or the documents it imports"
            run.report(
                constraint,
                where,
                f"{_what(where)} {_shown_key(key)} names nothing in {scope} (index {name})",
                _shown_key(key),
            )


def _imported_index(document: Document, name: str) -> dict[tuple[Any, ...], Node]:
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
