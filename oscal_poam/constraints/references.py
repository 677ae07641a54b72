"""Control, statement, objective and parameter ids checked against the catalog a document reaches by its imports.

An SSP names its baseline by `import-profile`; a profile imports catalogs (or other profiles); an assessment
plan imports its SSP, assessment results their plan, a POA&M its SSP; a component definition names its source
per control implementation. Following that chain gives the catalog whose ids the document may use:

- `control-id` of implemented requirements, of reviewed and selected controls and of local objectives;
- `statement-id` of statements;
- `param-id` of set-parameter entries;
- `target-id` of findings (a control, statement or objective id).

Every id of every catalog reached counts (a profile's selection is not applied: an id the catalog defines is
never reported, even where the profile leaves its control out). When the chain cannot be followed (a missing,
remote or unreadable import), the ids are not judged and one warning says which import stopped the chain.
The shipped CMMC profiles and catalogs are found by their file names (`cmmc-level2-profile.json`) wherever an
import names them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oscal_poam.constraints.imports import Followed, follow
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.io import pointers
from oscal_poam.quoting import excerpt
from oscal_poam.rules.registry import Rule, rule

if TYPE_CHECKING:
    from oscal_poam.io.boundary import Boundary

_CITATION = "OSCAL 1.2.1 (control references resolve through import-ssp, import-profile and the profile's imports)"

CONTROL = rule(
    "reference-control-id",
    Severity.ERROR,
    _CITATION,
    "A control-id names a control of the catalog the document reaches through its imports.",
    "reference",
)
STATEMENT = rule(
    "reference-statement-id",
    Severity.ERROR,
    _CITATION,
    "A statement-id names a part of the catalog the document reaches through its imports.",
    "reference",
)
PARAMETER = rule(
    "reference-param-id",
    Severity.ERROR,
    _CITATION,
    "A set-parameter's param-id names a parameter of the catalog the document reaches through its imports.",
    "reference",
)
TARGET = rule(
    "reference-target-id",
    Severity.ERROR,
    _CITATION,
    "A finding's target-id names a control, statement or objective of the catalog reached through the imports.",
    "reference",
)
UNREACHABLE = rule(
    "reference-import-unreachable",
    Severity.WARNING,
    _CITATION,
    "The catalog of a document's controls can be reached through its imports; where it cannot, its control, "
    "statement, objective and parameter ids are not checked: a warning where the document's own import-profile "
    "(or a profile's import) stops the chain, an info where a document it imports does (that one warns).",
    "reference",
)

_CHAIN: Mapping[str, tuple[str, ...]] = {
    # root key: the import keys followed, in order, towards the catalog
    "system-security-plan": ("import-profile",),
    "assessment-plan": ("import-ssp",),
    "assessment-results": ("import-ap",),
    "plan-of-action-and-milestones": ("import-ssp",),
    "profile": ("imports",),
}
_MAX_DEPTH = 8
_JUDGED_BY_INTEGRITY = frozenset({"import-ssp", "import-ap"})


@dataclass
class Catalog:
    """The ids a reached catalog (or several) defines."""

    controls: set[str] = field(default_factory=set)
    parts: set[str] = field(default_factory=set)
    params: set[str] = field(default_factory=set)

    def add(self, content: Any) -> None:
        controls, parts, params = _ids_of(content)
        self.controls |= controls
        self.parts |= parts
        self.params |= params


_IDS: OrderedDict[int, tuple[Any, tuple[frozenset[str], frozenset[str], frozenset[str]]]] = OrderedDict()
_KEEP_IDS = 8


def _ids_of(content: Any) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The control, part and parameter ids of a catalog's content; the last few catalogs read are remembered
    (a repository's documents mostly reach one catalog, read once by `validate.loaded`)."""
    cached = _IDS.get(id(content))
    if cached is not None and cached[0] is content:
        _IDS.move_to_end(id(content))
        return cached[1]
    found: dict[str, set[str]] = {"controls": set(), "parts": set(), "params": set(), "groups": set()}
    stack = [content]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, named in found.items():
                children = node.get(key)
                if isinstance(children, list):
                    for child in children:
                        if isinstance(child, dict) and isinstance(child.get("id"), str):
                            named.add(child["id"])
                    stack.append(children)
    ids = (frozenset(found["controls"]), frozenset(found["parts"]), frozenset(found["params"]))
    _IDS[id(content)] = (content, ids)  # the content is held, so that its id names no other object meanwhile
    while len(_IDS) > _KEEP_IDS:
        _IDS.popitem(last=False)
    return ids


@dataclass(frozen=True)
class _Stop:
    """Where the chain could not be followed: the pointer of the import and why."""

    pointer: str
    document: str
    href: str
    reason: str
    key: str
    """The import's key (import-profile, import-ssp, ...)."""
    reported: bool = False
    """Integrity reports this import already (a `#uuid` naming no back-matter resource)."""


def reference_diagnostics(
    data: Mapping[str, Any], source: str, path: Path | None = None, *, boundary: Boundary | None = None
) -> list[Diagnostic]:
    """Findings on the ids `data` (OSCAL JSON data wrapped in its root key) uses, against the catalog it reaches."""
    root_key = next(iter(data))
    content = data[root_key]
    if not isinstance(content, dict):
        return []
    uses = _uses(root_key, content)
    if not uses:
        return []
    catalog = Catalog()
    stops: list[_Stop] = []
    if root_key == "component-definition":
        reached = _component_sources(content, path, source, catalog, stops, boundary)
    else:
        reached = _follow_chain(data, path, source, catalog, stops, boundary, depth=0)
    if stops or not reached:
        stop = stops[0] if stops else None
        if stop is None:
            return []  # the document imports nothing towards a catalog: nothing to check against
        skipped = f"{len(uses)} control, statement, objective and parameter ids are not checked"
        if stop.document == source:
            if stop.key in _JUDGED_BY_INTEGRITY or stop.reported:
                return []  # the broken import-ssp or import-ap is reported by integrity, once
            message = f"the catalog cannot be reached: href {excerpt(stop.href)}: {stop.reason}; {skipped}"
            return [UNREACHABLE.diag(message, stop.pointer, source, excerpt(stop.href))]
        # the chain stops in an imported document, which says so itself; what it holds is not quoted here
        message = f"the catalog cannot be reached: an import of {stop.document} cannot be followed; {skipped}"
        return [UNREACHABLE.diag(message, pointers.join(root_key), source, severity=Severity.INFO)]
    unknown = [index for index, (made, _, value) in enumerate(uses) if not _known(made, value, catalog)]
    if unknown:
        uses = _uses(root_key, content, located=True)
    found: list[Diagnostic] = []
    for made, pointer, value in (uses[index] for index in unknown):
        message = f"{excerpt(value)} is not defined in the catalog reached through the imports"
        found.append(made.diag(message, pointer, source, excerpt(value)))
    return found


def _known(made: Rule, value: str, catalog: Catalog) -> bool:
    if made is CONTROL:
        return value in catalog.controls
    if made is PARAMETER:
        return value in catalog.params
    return value in catalog.parts or value in catalog.controls


_Place = tuple[Any, str | int] | None
"""Where a value is: (the place of its container, its key or index); None for the root's content."""


_ID_KEYS = frozenset({"control-id", "statement-id", "param-id", "target-id"})


def _uses(root_key: str, content: dict[str, Any], *, located: bool = False) -> list[tuple[Rule, str, str]]:
    """(rule, pointer, id) for every id the document uses that names something of a catalog, in one order.

    The pointers are made only when `located` (else they are ""): most ids are found in the catalog, and the
    walk is made again, located, for a document with some that are not.
    """
    profile = root_key == "profile"
    found: list[tuple[Rule, str, str]] = []
    stack: list[tuple[Any, _Place, str]] = [(content, None, "")]
    pop, push = stack.pop, stack.append
    # The items of an array are pushed with the object holding it, where the array itself would have been: they
    # are taken in the order they would have been taken from it.
    while stack:
        node, place, holder = pop()
        if type(node) is list:
            _push_items(node, place, holder, located, push)
            continue
        for key, value in node.items():
            kind = type(value)
            if kind is str:
                if key in _ID_KEYS:
                    made = _rule_of(key, holder, profile)
                    if made is not None:
                        found.append((made, _pointer(root_key, (place, key)) if located else "", value))
            elif kind is dict:
                push((value, (place, key) if located else None, key))
            elif kind is list:
                _push_items(value, (place, key) if located else None, key, located, push)
    return found


def _push_items(
    items: list[Any], place: _Place, holder: str, located: bool, push: Callable[[tuple[Any, _Place, str]], None]
) -> None:
    if located:
        for index, item in enumerate(items):
            if type(item) is dict or type(item) is list:
                push((item, (place, index), holder))
    else:
        for item in items:
            if type(item) is dict or type(item) is list:
                push((item, None, holder))


def _rule_of(key: str, holder: str, profile: bool) -> Rule | None:
    if key == "control-id":
        return None if profile else CONTROL
    if key == "statement-id":
        return STATEMENT
    if key == "param-id":
        return PARAMETER if holder == "set-parameters" and not profile else None
    return TARGET if holder == "target" else None


def _pointer(root_key: str, place: _Place) -> str:
    tokens: list[str | int] = []
    while place is not None:
        place, token = place
        tokens.append(token)
    return pointers.join(root_key, *reversed(tokens))


def _follow_chain(
    data: Mapping[str, Any],
    path: Path | None,
    source: str,
    catalog: Catalog,
    stops: list[_Stop],
    boundary: Boundary | None,
    depth: int,
) -> bool:
    """Follow the imports of one document towards its catalogs; whether any catalog was reached."""
    root_key = next(iter(data))
    content = data[root_key]
    if root_key == "catalog":
        catalog.add(content)
        return True
    if depth >= _MAX_DEPTH or not isinstance(content, dict):
        return False
    reached = False
    for key in _CHAIN.get(root_key, ()):
        entries = content.get(key)
        items = entries if isinstance(entries, list) else [entries] if isinstance(entries, dict) else []
        for index, entry in enumerate(items):
            href = entry.get("href") if isinstance(entry, dict) else None
            if not isinstance(href, str):
                continue
            pointer = pointers.join(root_key, key, *([index] if isinstance(entries, list) else []), "href")
            found = follow(href, path.parent if path is not None else None, data, source, boundary)
            if not isinstance(found, Followed):
                stops.append(_Stop(pointer, source, href, found.reason, key, found.unnamed))
                continue
            reached |= _follow_chain(
                {found.root_key: found.data[found.root_key]}, found.path, found.shown, catalog, stops, boundary,
                depth + 1,
            )  # fmt: skip
    return reached


def _component_sources(
    content: dict[str, Any],
    path: Path | None,
    source: str,
    catalog: Catalog,
    stops: list[_Stop],
    boundary: Boundary | None,
) -> bool:
    reached = False
    data = {"component-definition": content}
    for c_index, component in enumerate(content.get("components") or []):
        for i_index, implementation in enumerate((component or {}).get("control-implementations") or []):
            href = implementation.get("source") if isinstance(implementation, dict) else None
            if not isinstance(href, str):
                continue
            pointer = pointers.join("component-definition", "components", c_index, "control-implementations",
                                    i_index, "source")  # fmt: skip
            found = follow(href, path.parent if path is not None else None, data, source, boundary)
            if not isinstance(found, Followed):
                stops.append(_Stop(pointer, source, href, found.reason, "source", found.unnamed))
                continue
            reached |= _follow_chain(
                {found.root_key: found.data[found.root_key]}, found.path, found.shown, catalog, stops, boundary, 1
            )
    return reached
