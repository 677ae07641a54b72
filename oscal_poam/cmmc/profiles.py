"""Resolve an OSCAL profile into the catalog it selects, from local files only.

compliance-trestle's ProfileResolver wants a trestle workspace (it creates
`.trestle/cache` under it), reads relative hrefs against the current
directory rather than against the importing document, and fetches https and
sftp hrefs. So the profile and any profiles it imports are copied into a
temporary workspace with their import hrefs made absolute, a remote href is
refused before anything is fetched, and the workspace is removed afterwards.
Nothing is written anywhere else, and nothing is read from the network.

trestle orders the resolved groups and controls by id (`3.1.10` before
`3.1.2`); controls are put back in the order of their `sort-id` props.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from trestle.common.err import TrestleError
from trestle.core.profile_resolver import ProfileResolver

from oscal_poam.cmmc.vocab import SORT_ID, prop_value
from oscal_poam.errors import LoadError
from oscal_poam.io.load import Document, load
from oscal_poam.io.write import write

if TYPE_CHECKING:
    from trestle.oscal.catalog import Catalog

_IMPORTABLE_SUFFIXES = (".json", ".yaml", ".yml", ".xml")


def resolve_profile(path: str | os.PathLike[str]) -> Catalog:
    """The resolved catalog of the profile at `path` (JSON, YAML or XML), with every import local."""

    with tempfile.TemporaryDirectory(prefix="oscal-poam-profile-") as workspace:
        root = Path(workspace)
        (root / ".trestle").mkdir()
        entry = _Workspace(root).add_profile(load(path, expect="profile"))
        try:
            resolved = ProfileResolver.get_resolved_profile_catalog(root, str(entry))
        except TrestleError as exc:
            raise LoadError.single(f"cannot resolve the profile: {exc}", str(path)) from None
    _restore_control_order(resolved)
    return resolved


def _restore_control_order(node: Any) -> None:
    """Put controls back in `sort-id` order, which trestle's pruning replaces with the order of their ids."""
    controls = getattr(node, "controls", None)
    if controls:
        node.controls = sorted(controls, key=lambda c: prop_value(c.props, SORT_ID, ns=None) or str(c.id))
        for control in node.controls:
            _restore_control_order(control)
    for group in getattr(node, "groups", None) or []:
        _restore_control_order(group)


class _Workspace:
    """Copies of profiles (imports made absolute) and of catalogs trestle could not read in place."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.copies: dict[Path, Path] = {}

    def add_profile(self, document: Document) -> Path:
        origin = _origin(document)
        if origin in self.copies:  # imported again, or in a cycle: trestle reports the cycle
            return self.copies[origin]
        copy = self.root / f"profile-{len(self.copies)}.json"
        self.copies[origin] = copy
        profile: Any = document.model
        for index, import_ in enumerate(profile.imports):
            pointer = f"/profile/imports/{index}/href"
            import_.href = str(self._imported(document, str(import_.href or ""), pointer))
        write(profile, copy, "json")
        return copy

    def _imported(self, document: Document, href: str, pointer: str) -> Path:
        target = _local_target(document, href, pointer)
        imported = load(target, expect=("catalog", "profile"))
        if imported.kind.root_key == "profile":
            return self.add_profile(imported)
        if imported.format == "json" and ":" not in str(target):
            return target  # trestle reads it where it is
        origin = _origin(imported)
        if origin not in self.copies:
            self.copies[origin] = self.root / f"catalog-{len(self.copies)}.json"
            write(imported.model, self.copies[origin], "json")
        return self.copies[origin]


def _origin(document: Document) -> Path:
    return (document.path or Path(document.source)).resolve()


def _local_target(document: Document, href: str, pointer: str) -> Path:
    """The local file an import href names, relative to the importing document; remote hrefs are refused."""
    source = document.source
    if href.startswith("#"):
        href = _back_matter_href(document, href, pointer)
    parts = urlsplit(href)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise LoadError.single(f"import {href!r} names a file on another host", source, pointer=pointer)
        target = Path(url2pathname(parts.path))
    elif parts.scheme and len(parts.scheme) > 1:  # a one-letter scheme is a Windows drive
        raise LoadError.single(
            f"import {href!r} is not a local file; only local catalogs and profiles are resolved", source, pointer
        )
    else:
        target = Path(unquote(parts.path))
    base = _origin(document).parent
    target = (base / target).resolve()
    if not target.is_file():
        raise LoadError.single(f"import {href!r} names {target}, which is not a file", source, pointer=pointer)
    return target


def _back_matter_href(document: Document, href: str, pointer: str) -> str:
    resources = getattr(getattr(document.model, "back_matter", None), "resources", None) or []
    for resource in resources:
        if str(resource.uuid) == href[1:]:
            for rlink in resource.rlinks or []:
                if str(rlink.href).lower().endswith(_IMPORTABLE_SUFFIXES):
                    return str(rlink.href)
            raise LoadError.single(
                f"import {href!r}: the resource has no rlink to a JSON, YAML or XML document",
                document.source,
                pointer=pointer,
            )
    raise LoadError.single(f"import {href!r}: no back-matter resource has that uuid", document.source, pointer)
