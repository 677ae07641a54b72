"""Deterministic identifiers: the same stable keys always give the same UUID."""

from __future__ import annotations

import uuid

PROJECT_NAMESPACE = uuid.UUID("6f1c8f0e-2b7a-5c1e-9d3f-0a4b8c2d7e15")


def stable_uuid(*keys: object) -> str:
    """A version-5 UUID over `keys` (for example system id, requirement id, purpose)."""
    name = "\x1f".join(str(k) for k in keys)
    return str(uuid.uuid5(PROJECT_NAMESPACE, name))
