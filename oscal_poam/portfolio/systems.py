"""Linking documents into systems: an SSP with the POA&Ms and assessment results that import it.

- A POA&M belongs to the SSP its `import-ssp` names, else to the one SSP whose system id its `system-id` is.
- Assessment results belong to the SSP their assessment plan (`import-ap`) imports, else, where the plan cannot
  be followed, to the SSP of their folder when that folder holds exactly one.
- An href is followed as the reading boundary follows it (`oscal_poam.io.boundary`): relative to the document,
  inside the folders given, through back-matter resources for `#uuid`; no file is opened to follow it.
- One document kept in several formats (the same uuid and last-modified in one folder) counts once: JSON, else
  YAML, else XML.
- Of several POA&Ms (or results) of one system, the latest (metadata last-modified) is judged and the others
  are named on its row.
- A POA&M that belongs to no SSP is a system of its own; so are results that belong to none.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from oscal_poam.io.boundary import Boundary
from oscal_poam.portfolio.documents import Found

SSP, POAM = "system-security-plan", "plan-of-action-and-milestones"
RESULTS, PLAN = "assessment-results", "assessment-plan"


@dataclass(frozen=True)
class System:
    """The documents of one system: what it is judged on, and what else was found for it."""

    key: str
    """A stable name for the system, unique in the portfolio: the path of its SSP (else of its POA&M or results)."""
    ssp: Found | None = None
    poam: Found | None = None
    results: Found | None = None
    others: tuple[Found, ...] = ()
    """Older POA&Ms and results of the system, not judged."""
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def name(self) -> str:
        if self.ssp is not None and self.ssp.system_name:
            return self.ssp.system_name
        for found in (self.poam, self.results, self.ssp):
            if found is not None and found.title:
                return found.title
        return self.key

    @property
    def system_id(self) -> str:
        for found in (self.ssp, self.poam):
            if found is not None and found.system_ids:
                return found.system_ids[0]
        return ""

    @property
    def documents(self) -> tuple[Found, ...]:
        return tuple(d for d in (self.poam, self.results, self.ssp) if d is not None)


def slug_of(text: str) -> str:
    """A file name made of `text`: lowercase letters, digits and hyphens, at most 120 of them."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:120].strip("-") or "system"


def link(found: Sequence[Found], boundary: Boundary) -> list[System]:
    """The systems of the documents found, in key order."""
    kept, twin_of = _without_twins(found)
    by_real = {f.real: f for f in kept}

    def follow(document: Found) -> Found | None:
        for href in document.imports:
            hrefs = document.rlinks(href[1:]) if href.startswith("#") else (href,)
            for one in hrefs:
                target = boundary.locate(one, os.path.dirname(document.real))
                if target.path is not None:
                    real = str(target.path)
                    hit = by_real.get(twin_of.get(real, real))
                    if hit is not None:
                        return hit
        return None

    ssps = [f for f in kept if f.kind == SSP]
    by_system_id: dict[str, list[Found]] = defaultdict(list)
    ssps_in_folder: dict[str, list[Found]] = defaultdict(list)
    for known in ssps:
        ssps_in_folder[known.folder].append(known)
        for system_id in dict.fromkeys(known.system_ids):
            by_system_id[system_id].append(known)

    members: dict[str, list[tuple[Found, str]]] = defaultdict(list)  # SSP real path (or own) -> (document, how)
    for document in kept:
        ssp: Found | None
        if document.kind == POAM:
            ssp = _as(follow(document), SSP)
            how = "import-ssp"
            if ssp is None:
                matches = [s for i in document.system_ids for s in by_system_id.get(i, [])]
                ssp = matches[0] if len(set(m.real for m in matches)) == 1 else None
                how = "system-id"
            members[ssp.real if ssp else f"poam:{document.uuid or document.real}"].append((document, how))
        elif document.kind == RESULTS:
            assessment_plan = _as(follow(document), PLAN)
            ssp = _as(follow(assessment_plan), SSP) if assessment_plan is not None else None
            how = "import-ap"
            if ssp is None:
                here = ssps_in_folder.get(document.folder, [])
                ssp = here[0] if len(here) == 1 else None
                how = "folder"
            members[ssp.real if ssp else f"results:{document.uuid or document.real}"].append((document, how))
    systems = [_system(known, members.pop(known.real, [])) for known in ssps]
    systems.extend(_system(None, documents) for documents in members.values())
    return sorted(systems, key=lambda s: s.key)


def _as(document: Found | None, kind: str) -> Found | None:
    return document if document is not None and document.kind == kind else None


def _system(ssp: Found | None, documents: list[tuple[Found, str]]) -> System:
    poams = sorted((d for d in documents if d[0].kind == POAM), key=lambda d: d[0].rank())
    results = sorted((d for d in documents if d[0].kind == RESULTS), key=lambda d: d[0].rank())
    poam = poams[0] if poams else None
    result = results[0] if results else None
    anchor = ssp or (poam[0] if poam else None) or (result[0] if result else None)
    assert anchor is not None
    notes = []
    if ssp is None:
        notes.append("no system security plan found for it")
    if result is not None and result[1] == "folder":
        notes.append(f"{result[0].shown}: its assessment plan cannot be followed; taken as the results of the SSP "
                     "in its folder")  # fmt: skip
    if poam is not None and poam[1] == "system-id":
        notes.append(f"{poam[0].shown}: matched to the SSP by its system-id")
    others = tuple(d for d, _ in [*poams[1:], *results[1:]])
    for other in others:
        notes.append(f"{other.shown}: an older {'POA&M' if other.kind == POAM else 'assessment result'}, not judged")
    return System(
        key=anchor.shown,
        ssp=ssp,
        poam=poam[0] if poam else None,
        results=result[0] if result else None,
        others=others,
        notes=tuple(notes),
    )


def _without_twins(found: Iterable[Found]) -> tuple[list[Found], dict[str, str]]:
    """The documents with one of each kept in several formats; real path of a twin left out -> the one kept."""
    groups: dict[tuple[str, str, str, object], list[Found]] = defaultdict(list)
    for f in found:
        groups[(f.folder, f.kind, f.uuid or f.real, f.modified)].append(f)
    kept, twin_of = [], {}
    for group in groups.values():
        group.sort(key=lambda f: f.rank())
        kept.append(group[0])
        for twin in group[1:]:
            twin_of[twin.real] = group[0].real
    return sorted(kept, key=lambda f: f.shown), twin_of
