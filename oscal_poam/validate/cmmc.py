"""Which CMMC rules apply to a document of a repository, and running them.

A POA&M is a CMMC POA&M when its metadata or its items carry props in the
project's namespace (docs/conventions.md); assessment results are CMMC results
when a result carries `cmmc-level`; an SSP is a CMMC SSP when it imports a CMMC
profile or catalog. Documents a CMMC document imports are used where they are
files inside the reading boundary that exist and load.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oscal_poam.cmmc import vocab
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.errors import LoadError, UsageError
from oscal_poam.io.boundary import Boundary, Target, boundary_for
from oscal_poam.io.load import Document
from oscal_poam.rules.registry import rule

NOT_APPLIED = rule(
    "validate-cmmc-not-applied",
    Severity.ERROR,
    "docs/conventions.md",
    "The CMMC rules could be applied to a document that carries CMMC props.",
    "validate",
)

_CMMC_CONTROL = re.compile(r"^[a-z]{2}\.l[123]-")


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
        if name.startswith((f"cmmc-level{level}-", f"cmmc-l{level}-")):
            return level
    return None


def cmmc_ssp_level(content: dict[str, Any]) -> int | None:
    """0 for a CMMC SSP of a level to be inferred, the level where the import names it, None for other SSPs."""
    imported = content.get("import-profile")
    href = imported.get("href") if isinstance(imported, dict) else None
    if isinstance(href, str):
        level = cmmc_level_of_href(href)
        if level is not None:
            return level
    implementation = content.get("control-implementation")
    requirements = implementation.get("implemented-requirements") if isinstance(implementation, dict) else None
    if isinstance(requirements, list) and any(
        isinstance(r, dict) and isinstance(r.get("control-id"), str) and _CMMC_CONTROL.match(r["control-id"])
        for r in requirements
    ):
        return 0
    return None


def cmmc_diagnostics(
    doc: Document, raw: dict[str, Any], *, base_dir: Path, as_of: dt.date, boundary: Boundary | None = None
) -> list[Diagnostic]:
    """The CMMC diagnostics of `doc` (empty when it is not a CMMC document).

    Imported documents are read only inside `boundary` (default: the roots set for this run, else `base_dir`).
    """
    content = raw.get(doc.kind.root_key)
    if not isinstance(content, dict):
        return []
    reach = _Reach(base_dir, boundary or boundary_for(base_dir))
    try:
        if doc.kind.root_key == "plan-of-action-and-milestones" and is_cmmc_poam(content):
            return _poam(doc, content, reach, as_of)
        if doc.kind.root_key == "assessment-results" and is_cmmc_results(content):
            return _results(doc, content, reach)
        if doc.kind.root_key == "system-security-plan":
            level = cmmc_ssp_level(content)
            if level is not None:
                from oscal_poam.rules.ssp import reconcile

                return reconcile(doc.model, level=level or None, document=doc.source)  # type: ignore[arg-type]
    except UsageError as exc:
        return [NOT_APPLIED.diag(str(exc), "", doc.source)]
    return []


@dataclass(frozen=True)
class _Reach:
    """Where a document's imports resolve from, and the boundary they must stay in."""

    base_dir: Path
    boundary: Boundary


def _poam(doc: Document, content: dict[str, Any], reach: _Reach, as_of: dt.date) -> list[Diagnostic]:
    from oscal_poam.rules.check import check

    ssp = _imported(doc, content, "import-ssp", reach, "system-security-plan")
    found = check(doc.model, ssp=ssp, as_of=as_of)  # type: ignore[arg-type]
    # the POA&M was passed as a model, so its diagnostics name no document yet
    return [d if d.document else _named(d, doc.source) for d in found.diagnostics]


def _results(doc: Document, content: dict[str, Any], reach: _Reach) -> list[Diagnostic]:
    from oscal_poam.cmmc.assessment import read_assessment
    from oscal_poam.rules.eligibility import eligibility
    from oscal_poam.rules.scoring import score

    assessment = read_assessment(doc.model, document=doc.source)  # type: ignore[arg-type]
    if assessment.kind == "closeout":
        # a closeout is judged against the POA&M it closes out; on its own only its reading applies
        return list(assessment.diagnostics)
    scored = score(assessment)
    found = [*scored.diagnostics, *eligibility(assessment, scored).reasons]
    ssp = _ssp_of_plan(doc, content, reach)
    if ssp is not None:
        from oscal_poam.rules.ssp import reconcile

        found.extend(reconcile(ssp.model, None, assessment, document=ssp.source))  # type: ignore[arg-type]
    return found


def _named(d: Diagnostic, source: str) -> Diagnostic:
    from dataclasses import replace

    return replace(d, document=source)


def _imported(doc: Document, content: dict[str, Any], key: str, reach: _Reach, root_key: str) -> Document | None:
    """The document `content[key].href` names, where it is a file inside the boundary that loads as `root_key`."""
    entry = content.get(key)
    href = entry.get("href") if isinstance(entry, dict) else None
    if not isinstance(href, str):
        return None
    found = _load_relative(href, reach, doc.source, root_key)
    return found[0] if found is not None else None


def _ssp_of_plan(doc: Document, content: dict[str, Any], reach: _Reach) -> Document | None:
    """The SSP that the assessment plan imported by assessment results imports in turn."""
    entry = content.get("import-ap")
    href = entry.get("href") if isinstance(entry, dict) else None
    if not isinstance(href, str):
        return None
    plan = _load_relative(href, reach, doc.source, "assessment-plan")
    if plan is None:
        return None
    imported = getattr(plan[0].model, "import_ssp", None)
    ssp_href = str(getattr(imported, "href", "") or "")
    if not ssp_href:
        return None
    found = _load_relative(ssp_href, _Reach(plan[1].parent, reach.boundary), plan[0].source, "system-security-plan")
    return found[0] if found is not None else None


def _load_relative(href: str, reach: _Reach, source: str, root_key: str) -> tuple[Document, Path] | None:
    """The document and its real path, shown relative to `source` as the walk shows paths; None if it cannot
    load or lies outside the boundary (integrity reports both)."""
    target = reach.boundary.locate(href, reach.base_dir)
    if target.path is None:
        return None
    loaded = _load_cached(target, root_key)
    if loaded is None:
        return None
    relative = Path(os.path.relpath(target.shown, reach.base_dir)) if target.shown else Path(target.path.name)
    shown = Path(os.path.normpath(Path(source).parent / relative)).as_posix()
    # without a path, check() does not run integrity on it again: the walk validates that file on its own
    return Document(loaded.kind, loaded.model, loaded.format, shown, None, loaded.lines), target.path


def _load_cached(target: Target, root_key: str) -> Document | None:
    """Imported documents are shared by many files of a repository: each version is loaded once per process."""
    from oscal_poam.validate.loaded import load_path

    assert target.path is not None
    try:
        loaded = load_path(target.path, str(target.path))
    except (LoadError, OSError):
        return None
    if loaded.kind.root_key != root_key:
        return None
    return Document(loaded.kind, loaded.model, loaded.format, str(target.path), target.path, loaded.lines)
