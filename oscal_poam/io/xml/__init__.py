"""OSCAL XML: reading into and writing from the same data the JSON path uses."""

from __future__ import annotations

from typing import Any

from oscal_poam.errors import LoadError, WriteError


def read_xml(data: bytes, source: str, max_bytes: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse OSCAL XML into OSCAL JSON data, with the source line of each JSON pointer."""
    raise LoadError.single("OSCAL XML is not supported yet", source)


def dump_xml(data: dict[str, Any]) -> bytes:
    """Serialize OSCAL JSON data (wrapped in its root key) as OSCAL XML."""
    raise WriteError("OSCAL XML is not supported yet")
