"""Inputs the public calls accept: a compliance-trestle model, a loaded Document, or a path to load."""

from __future__ import annotations

import os
from typing import Any

from oscal_poam.errors import WrongModelError
from oscal_poam.io.load import Document, load
from oscal_poam.io.models import kind_named, kind_of


def document_of(value: Any, expect: str, *, name: str = "") -> Document:
    """`value` as a Document of the model `expect` names (root key or short name, as `load` takes).

    A path is loaded (LoadError when it cannot be, or holds another model). A model stands as a Document whose
    source is `name`, the name it goes by in messages and diagnostics. Raises WrongModelError for a Document or
    model of another kind, and for a value that is none of these.
    """
    kind = kind_named(expect)
    if isinstance(value, str | os.PathLike):
        return load(value, expect=expect)
    if isinstance(value, Document):
        if value.kind is not kind:
            raise WrongModelError(_at(value.source, f"expected {kind.named}, but this is {value.kind.named}"))
        return value
    try:
        found = kind_of(value)
    except ValueError:
        raise WrongModelError(
            _at(name, f"expected {kind.named} (an OSCAL model, a Document or a path), not {type(value).__name__}")
        ) from None
    if found is not kind:
        raise WrongModelError(_at(name, f"expected {kind.named}, but this is {found.named}"))
    return Document(kind=kind, model=value, format="json", source=name)


def _at(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message
