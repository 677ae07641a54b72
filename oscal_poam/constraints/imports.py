"""The documents an OSCAL document names, found the way the constraint layer and the reference checks need them.

An href is followed when it is a relative file (directly, or through the back-matter resource a `#uuid`
fragment names, by its rlinks) inside the reading boundary (`oscal_poam.io.boundary`); a URL or URN is not
fetched, and a name that leaves the boundary is not followed. A profile or catalog href whose file is not
there but whose name is one of the shipped CMMC profiles and catalogs (`cmmc-level2-profile.json`) is read
from the package. Each file is decoded once per process and version (`oscal_poam.validate.loaded`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from oscal_poam.errors import LoadError
from oscal_poam.io import boundary as boundary_module
from oscal_poam.io.boundary import boundary_for
from oscal_poam.resources import Folder, shipped
from oscal_poam.validate.loaded import load_path

if TYPE_CHECKING:
    from oscal_poam.io.boundary import Boundary


@dataclass(frozen=True)
class Followed:
    """A document reached from an href: its data, where it is, and its model's root key."""

    data: Mapping[str, Any]
    path: Path
    root_key: str
    shown: str


@dataclass(frozen=True)
class NotFollowed:
    """Why an href was not followed: remote (never fetched) or a local file that is missing or unreadable."""

    href: str
    reason: str
    remote: bool = False
    unnamed: bool = False
    """A `#uuid` that names no back-matter resource (integrity reports that)."""


def back_matter_hrefs(data: Mapping[str, Any], fragment: str) -> list[str]:
    """The rlink hrefs of the back-matter resource `#uuid` names in `data` (wrapped in its root key)."""
    content = next(iter(data.values()), None)
    matter = content.get("back-matter") if isinstance(content, dict) else None
    resources = matter.get("resources") if isinstance(matter, dict) else None
    wanted = unquote(fragment.lstrip("#"))
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, dict) and resource.get("uuid") == wanted:
            return [
                r["href"]
                for r in resource.get("rlinks") or []
                if isinstance(r, dict) and isinstance(r.get("href"), str)
            ]
    return []


def _file_name(href: str) -> str:
    return unquote(urlsplit(href).path).rsplit("/", 1)[-1]


def _shipped(name: str) -> Path | None:
    """A shipped CMMC profile or catalog by its file name, if there is one."""

    if not name.startswith("cmmc-"):
        return None
    folders: tuple[Folder, ...] = ("profiles", "catalogs")
    for folder in folders:
        candidate = shipped(folder).joinpath(name)
        if candidate.is_file():
            return Path(str(candidate))
    return None


def follow(
    href: str, base: Path | None, data: Mapping[str, Any], shown_base: str = "", boundary: Boundary | None = None
) -> Followed | NotFollowed:
    """The document `href` names, written in the document `data` in the folder `base`."""

    folder = base if base is not None else Path.cwd()
    reach = boundary if boundary is not None else boundary_for(folder)
    candidates = back_matter_hrefs(data, href) if href.startswith("#") else [href]
    if not candidates:
        return NotFollowed(href, f"{href} names no back-matter resource with a link to follow", unnamed=True)
    targets = [reach.locate(candidate, folder) for candidate in candidates]
    local = [t for t in targets if t.path is not None]
    found = next((t.path for t in local if t.path is not None and t.path.is_file()), None)
    if found is None:
        # a shipped CMMC profile or catalog, by the file name the import gives it (wherever it says it is)
        found = next((s for s in (_shipped(_file_name(t.href)) for t in targets) if s is not None), None)
    if found is None:
        if local:
            return NotFollowed(href, f"{local[0].shown} does not exist")
        if any(t.refused for t in targets):
            return NotFollowed(href, boundary_module.NOT_FOLLOWED)
        return NotFollowed(href, boundary_module.REMOTE, remote=True)

    shown = next((t.shown for t in local if t.path == found), found.as_posix())
    try:
        loaded = load_path(found, shown)
    except LoadError as exc:
        return NotFollowed(href, f"cannot be read: {exc.problems[0].message}")
    except OSError as exc:
        return NotFollowed(href, f"cannot be read: {exc.strerror or exc}")
    return Followed({loaded.kind.root_key: loaded.raw[loaded.kind.root_key]}, found, loaded.kind.root_key, shown)
