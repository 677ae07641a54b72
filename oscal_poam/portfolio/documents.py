"""What discovery needs of one OSCAL document: its kind, identity, date and the files it imports.

Read from the document's plain data, before any model is built: finding the systems of a repository decides
nothing about them, and the documents a system is judged on are loaded and judged by the engine afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from oscal_poam.errors import NotOscalError
from oscal_poam.io.load import Format, decode, root_kind

KINDS = ("system-security-plan", "plan-of-action-and-milestones", "assessment-results", "assessment-plan")
"""The documents a system is made of."""

FORMAT_PREFERENCE: dict[str, int] = {"json": 0, "yaml": 1, "xml": 2}
"""Of one document kept in several formats (the same uuid and date), the one judged."""


@dataclass(frozen=True)
class Found:
    """An OSCAL document a system may be made of, as discovery sees it."""

    shown: str
    """Its path as walked from a folder given (how messages and pages name it)."""
    real: str
    """Its real path, every link resolved (inside the folders given)."""
    kind: str
    """Its root key, one of KINDS."""
    format: Format
    uuid: str
    title: str
    modified: dt.datetime | None
    """The metadata's last-modified."""
    imports: tuple[str, ...] = ()
    """The hrefs of its import (import-ssp of a POA&M or a plan, import-ap of results)."""
    system_ids: tuple[str, ...] = ()
    """An SSP's system ids; a POA&M's system-id."""
    system_name: str = ""
    """An SSP's system name."""
    resources: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Back-matter resources: (uuid, the hrefs of its rlinks), for imports that name one (`#uuid`)."""

    @property
    def folder(self) -> str:
        return os.path.dirname(self.real)

    def rank(self) -> tuple[float, int, str]:
        """Latest first, then the preferred format, then by path: the first of several versions is judged."""
        stamp = self.modified.timestamp() if self.modified is not None else float("-inf")
        return (-stamp, FORMAT_PREFERENCE[self.format], self.shown)

    def rlinks(self, uuid: str) -> tuple[str, ...]:
        return next((hrefs for key, hrefs in self.resources if key == uuid), ())


def summarize(data: bytes, shown: str, real: str) -> tuple[Format, Found | None]:
    """The format and the discovery facts of one file's bytes (None when it is not one of KINDS). Raises
    LoadError when it cannot be decoded (invalid JSON, YAML or XML, or an OSCAL document with more than one root
    key)."""
    fmt, raw, _ = decode(data, shown)
    return fmt, summary_of(fmt, raw, shown, real)


def summary_of(fmt: Format, raw: Any, shown: str, real: str) -> Found | None:
    """The discovery facts of data already decoded (see `summarize`)."""
    try:
        kind, content = root_kind(raw, shown)
    except NotOscalError:
        return None
    if kind.root_key not in KINDS or not isinstance(content, dict):
        return None
    metadata = _dict(content.get("metadata"))
    imports = [
        href
        for key in ("import-ssp", "import-ap")
        if isinstance(href := _dict(content.get(key)).get("href"), str) and href
    ]
    system_ids: list[str] = []
    name = ""
    if kind.root_key == "system-security-plan":
        characteristics = _dict(content.get("system-characteristics"))
        system_ids = [i["id"] for i in _list(characteristics.get("system-ids")) if isinstance(i.get("id"), str)]
        name = _str(characteristics.get("system-name"))
    elif kind.root_key == "plan-of-action-and-milestones":
        system_id = _dict(content.get("system-id")).get("id")
        system_ids = [system_id] if isinstance(system_id, str) else []
    resources = tuple(
        (r["uuid"], tuple(_str(link.get("href")) for link in _list(r.get("rlinks")) if link.get("href")))
        for r in _list(_dict(content.get("back-matter")).get("resources"))
        if isinstance(r.get("uuid"), str)
    )
    return Found(
        shown=shown,
        real=real,
        kind=kind.root_key,
        format=fmt,
        uuid=_str(content.get("uuid")),
        title=_str(metadata.get("title")),
        modified=_moment(metadata.get("last-modified")),
        imports=tuple(imports),
        system_ids=tuple(system_ids),
        system_name=name,
        resources=resources,
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _moment(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
