"""The part of Metapath NIST's constraints are written in, evaluated over OSCAL JSON data as the metaschema's tree."""

from __future__ import annotations

from typing import Any

import pytest

from oscal_poam.constraints.metapath import MetapathError, atomize, context_filter, evaluate, parse
from oscal_poam.constraints.nodes import Document, Node
from oscal_poam.constraints.table import CONSTRAINTS

DOC = {
    "system-security-plan": {
        "uuid": "11111111-1111-4111-8111-111111111111",
        "metadata": {
            "title": "t",
            "props": [
                {"name": "keywords", "value": "a"},
                {"name": "marking", "ns": "https://example.com/ns", "value": "cui"},
            ],
            "links": [{"href": "#r1", "rel": "reference"}, {"href": "https://x", "rel": "alternate"}],
            "roles": [{"id": "owner", "title": "Owner"}],
        },
        "system-implementation": {
            "components": [
                {
                    "uuid": "22222222-2222-4222-8222-222222222222",
                    "type": "software",
                    "title": "c",
                    "description": "d",
                    "status": {"state": "operational"},
                    "protocols": [{"name": "https", "port-ranges": [{"start": 443, "end": 80}]}],
                }
            ]
        },
    }
}


def _root() -> Node:
    return Document(DOC, "ssp.json").root


def _values(expression: str, at: Node | None = None) -> list[Any]:
    return [atomize(item) for item in evaluate(expression, at or _root())]


def test_child_flag_and_predicate_steps() -> None:
    assert _values("metadata/prop/@name") == ["keywords", "marking"]
    assert _values("metadata/prop[has-oscal-namespace('http://csrc.nist.gov/ns/oscal')]/@value") == ["a"]
    assert _values("metadata/link[@rel=('reference') and starts-with(@href,'#')]/@href") == ["#r1"]
    assert _values("metadata/link/@href[not(starts-with(.,'#'))]") == ["https://x"]


def test_descendants_unions_and_parents() -> None:
    assert _values("//port-range/@start") == [443]
    assert len(evaluate("metadata/role|metadata/prop", _root())) == 3
    (role,) = evaluate("metadata/role", _root())
    assert atomize(evaluate("../title", role)[0]) == "t"
    assert _values("/system-security-plan/@uuid") == ["11111111-1111-4111-8111-111111111111"]


def test_comparisons_are_typed() -> None:
    (port_range,) = evaluate("//port-range", _root())
    assert _values("not(@start > @end)", port_range) == [False]  # 443 > 80 as numbers, not as text
    assert _values("exists(@start)", port_range) == [True]
    assert _values("@start = (80, 443)", port_range) == [True]


def test_the_context_filter_of_a_target() -> None:
    assert context_filter(".[@name='objective']/prop[@name='method']") is not None
    assert context_filter("(.)[@type='software']/prop/@name") is not None
    assert context_filter("prop/@name") is None


def test_unsupported_expressions_are_refused_not_guessed() -> None:
    with pytest.raises(MetapathError):
        parse("recurse-depth-first(.)")
    with pytest.raises(MetapathError):
        parse("child::prop")


def test_every_expression_of_nists_constraints_parses() -> None:
    for constraints in CONSTRAINTS.values():
        for constraint in constraints:
            parse(constraint.target)
            for key in constraint.keys:
                parse(key.target)
            if constraint.test:
                parse(constraint.test)
