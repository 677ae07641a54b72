"""The shape of NIST's constraints as the generated table holds them (`table.py`, from tools/gen_constraints.py)."""

from __future__ import annotations

from typing import Literal, NamedTuple

Kind = Literal["allowed-values", "matches", "index", "index-has-key", "is-unique", "has-cardinality", "expect"]


class KeyField(NamedTuple):
    """A part of an index or uniqueness key: a path from the keyed item, and a regex whose first group is kept."""

    target: str
    pattern: str | None = None


class Constraint(NamedTuple):
    """One constraint of the OSCAL metaschema, on the definition it is declared in (or on one of its flags)."""

    kind: Kind
    id: str
    """NIST's id; for the few constraints NIST gave none, one made from the definition and the kind."""
    level: str
    """NIST's level: CRITICAL, ERROR, WARNING, INFORMATIONAL or DEBUG (ERROR unless the metaschema says)."""
    target: str
    """A Metapath expression: the items the constraint applies to, from its context."""
    module: str
    """The metaschema module that declares it (oscal_metadata_metaschema.xml, ...)."""
    flag: str | None = None
    """For a constraint declared on a flag: the flag's name; its context is that flag."""
    values: tuple[str, ...] = ()
    allow_other: bool = False
    regex: str | None = None
    datatype: str | None = None
    name: str | None = None
    """The index name of an index or index-has-key constraint."""
    keys: tuple[KeyField, ...] = ()
    min: int | None = None
    max: int | None = None
    test: str | None = None
    message: str | None = None
