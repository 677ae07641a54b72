"""What one file of a repository gives the engine: its facts, and those of the documents it imports.

Whether a document is a CMMC document is decided by `oscal_poam.facts.detect`, as for every command: the CMMC rules
run on CMMC POA&Ms, assessment results and SSPs; every document answers to the OSCAL checks. Documents a CMMC
document imports are used where they are files inside the reading boundary that exist and load.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oscal_poam.engine.inputs import Facts, Source
from oscal_poam.errors import LoadError
from oscal_poam.facts.detect import cmmc_ssp_level, is_cmmc_poam, is_cmmc_results
from oscal_poam.facts.poam import read_poam
from oscal_poam.facts.results import read_assessment
from oscal_poam.facts.ssp import read_ssp
from oscal_poam.io.boundary import Boundary, Target, boundary_for
from oscal_poam.io.load import Document
from oscal_poam.validate.loaded import load_path


def facts_of(
    doc: Document, raw: dict[str, Any], *, base_dir: Path, boundary: Boundary | None = None, generic: bool = False
) -> tuple[Facts, int | None]:
    """The facts of `doc` (and of the documents it imports) and the CMMC level to judge it at (None: its own).

    `generic`: the document is read as plain OSCAL, whatever it is (only the OSCAL checks run).

    Imported documents are read only inside `boundary` (default: the roots set for this run, else `base_dir`).
    Raises UsageError where a CMMC document cannot be read as one.
    """
    reach = _Reach(base_dir, boundary or boundary_for(base_dir))
    source = Source(doc, data=raw, base_dir=base_dir, boundary=reach.boundary)
    plain = Facts(sources=(source,), documents=(doc,))
    content = raw.get(doc.kind.root_key)
    if not isinstance(content, dict) or generic:
        return plain, None
    model: Any = doc.model
    root = doc.kind.root_key
    if root == "plan-of-action-and-milestones" and is_cmmc_poam(model):
        ssp = _imported(doc, content, "import-ssp", reach, "system-security-plan")
        ssp_facts = read_ssp(ssp.model, ssp.source) if ssp is not None else None  # type: ignore[arg-type]
        documents = (doc, ssp) if ssp is not None else (doc,)
        return Facts(poam=read_poam(model, doc.source), ssp=ssp_facts, sources=(source,), documents=documents), None
    if root == "assessment-results" and is_cmmc_results(model):
        assessment = read_assessment(model, document=doc.source)
        if assessment.kind == "closeout":
            # a closeout is judged against the POA&M it closes out; on its own only its reading applies
            return Facts(closeout=assessment, sources=(source,), documents=(doc,)), None
        ssp = _ssp_of_plan(doc, content, reach)
        ssp_facts = read_ssp(ssp.model, ssp.source) if ssp is not None else None  # type: ignore[arg-type]
        return Facts(results=assessment, ssp=ssp_facts, sources=(source,), documents=(doc,)), None
    if root == "system-security-plan":
        level = cmmc_ssp_level(model)
        if level is not None:
            return Facts(ssp=read_ssp(model, doc.source), sources=(source,), documents=(doc,)), level or None
    return plain, None


@dataclass(frozen=True)
class _Reach:
    """Where a document's imports resolve from, and the boundary they must stay in."""

    base_dir: Path
    boundary: Boundary


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
    # not a source of the engine (no path): the walk validates that file on its own
    return Document(loaded.kind, loaded.model, loaded.format, shown, None, loaded.lines), target.path


def _load_cached(target: Target, root_key: str) -> Document | None:
    """Imported documents are shared by many files of a repository: each version is loaded once per process."""

    assert target.path is not None
    try:
        loaded = load_path(target.path, str(target.path))
    except (LoadError, OSError):
        return None
    if loaded.kind.root_key != root_key or loaded.model is None:
        return None
    return Document(loaded.kind, loaded.model, loaded.format, str(target.path), target.path, loaded.lines)
