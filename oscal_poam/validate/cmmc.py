"""Which CMMC rules apply to a document of a repository, and running them.

A POA&M is a CMMC POA&M when its metadata or its items carry props in the
project's namespace (docs/conventions.md); assessment results are CMMC results
when a result carries `cmmc-level`; an SSP is a CMMC SSP when it imports a CMMC
profile or catalog. Documents a CMMC document imports are used where they are
relative files that exist and load.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from oscal_poam.cmmc import vocab
from oscal_poam.diagnostics import Diagnostic
from oscal_poam.io.load import Document


def _namespaced(props: Any) -> bool:
    return isinstance(props, list) and any(isinstance(p, dict) and p.get("ns") == vocab.NS for p in props)


def is_cmmc_poam(content: dict[str, Any]) -> bool:
    metadata = content.get("metadata")
    if isinstance(metadata, dict) and _namespaced(metadata.get("props")):
        return True
    items = content.get("poam-items")
    return isinstance(items, list) and any(isinstance(i, dict) and _namespaced(i.get("props")) for i in items)


def is_cmmc_results(content: dict[str, Any]) -> bool:
    results = content.get("results")
    if not isinstance(results, list):
        return False
    for result in results:
        props = result.get("props") if isinstance(result, dict) else None
        if isinstance(props, list) and any(
            isinstance(p, dict) and p.get("name") == vocab.LEVEL and p.get("ns") == vocab.NS for p in props
        ):
            return True
    return False


def cmmc_level_of_href(href: str) -> int | None:
    """The CMMC level a profile or catalog href names (`cmmc-level2-profile.json`), if it names one."""
    name = href.rsplit("/", 1)[-1].lower()
    for level in (1, 2, 3):
        if name.startswith(f"cmmc-level{level}-") or name.startswith(f"cmmc-l{level}-"):
            return level
    return None


def cmmc_diagnostics(doc: Document, raw: dict[str, Any], *, base_dir: Path, as_of: dt.date) -> list[Diagnostic]:
    """The CMMC diagnostics of `doc` (empty when it is not a CMMC document)."""
    return []
