"""OSCAL integrity over any document: unique UUIDs, and every reference resolves.

One walk over the plain OSCAL JSON data collects what the document defines
(uuids by the array that holds them, role ids, back-matter resources) and what
it refers to, each with its JSON pointer; the rules then compare the two. The
walk is generic across models, so a catalog, an SSP and a POA&M are checked
by the same code.

References that OSCAL allows to point into an imported document (parties,
roles, subjects, actors, components, locations) are resolved against this
document and the documents it imports (`import-ssp`, `import-ap`, followed
transitively) when those are relative files that exist inside the reading
boundary (oscal_poam.io.boundary). When an import cannot be followed, those
references are left unjudged: the target may be there, and the broken or
refused import is reported on its own. Nothing an imported file holds appears
in a message.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Container, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.errors import LoadError
from oscal_poam.io import boundary as boundary_module
from oscal_poam.io import pointers
from oscal_poam.io.boundary import Boundary, Target, boundary_for
from oscal_poam.io.files import SpecialFile, UnreadableFile
from oscal_poam.io.load import decode, root_kind
from oscal_poam.io.loaded import cached
from oscal_poam.io.write import to_data
from oscal_poam.quoting import excerpt
from oscal_poam.rules.registry import Rule, rule

if TYPE_CHECKING:
    from oscal_poam.io.load import Document
    from oscal_poam.io.models import ModelKind

_OSCAL = "OSCAL 1.2.1"

DUPLICATE_UUID = rule(
    "integrity-duplicate-uuid",
    Severity.ERROR,
    f"{_OSCAL} (uuid: globally unique identifier)",
    "A UUID identifies exactly one object in a document.",
    "integrity",
)
RELATED_FINDING = rule(
    "integrity-related-finding",
    Severity.ERROR,
    f"{_OSCAL} (related-finding/@finding-uuid)",
    "Every related-findings entry names a finding of the document.",
    "integrity",
)
RELATED_OBSERVATION = rule(
    "integrity-related-observation",
    Severity.ERROR,
    f"{_OSCAL} (related-observation/@observation-uuid)",
    "Every related-observations entry names an observation of the document.",
    "integrity",
)
RELATED_RISK = rule(
    "integrity-related-risk",
    Severity.ERROR,
    f"{_OSCAL} (associated-risk/@risk-uuid)",
    "Every related-risks entry names a risk of the document.",
    "integrity",
)
SUBJECT = rule(
    "integrity-subject",
    Severity.ERROR,
    f"{_OSCAL} (subject-reference/@subject-uuid)",
    "Every subject names a component, inventory item, location, party, user or resource of the document or the "
    "documents it imports.",
    "integrity",
)
ORIGIN_ACTOR = rule(
    "integrity-origin-actor",
    Severity.ERROR,
    f"{_OSCAL} (origin-actor/@actor-uuid)",
    "Every origin actor names a tool, assessment platform or party that is defined.",
    "integrity",
)
PARTY = rule(
    "integrity-party",
    Severity.ERROR,
    f"{_OSCAL} (party-uuid of a leveraged authorization)",
    "A leveraged authorization's party-uuid names a party in metadata (the party-uuid and "
    "member-of-organization fields are judged by NIST's constraints).",
    "integrity",
)
ROLE = rule(
    "integrity-role",
    Severity.ERROR,
    f"{_OSCAL} (role-id of a log entry's logged-by, an actor)",
    "A role-id flag outside responsible parties and responsible roles (logged-by, actors) names a role in "
    "metadata (role-id fields and responsible parties are judged by NIST's constraints).",
    "integrity",
)
RESPONSIBLE_ROLE = rule(
    "integrity-responsible-role",
    Severity.ERROR,
    f"{_OSCAL} (index-has-key index-metadata-role-id, responsible-role)",
    "Every responsible-roles entry names a role in metadata.",
    "integrity",
)
COMPONENT = rule(
    "integrity-component",
    Severity.ERROR,
    f"{_OSCAL} (component-uuid references)",
    "Every component-uuid (by-components, implemented-components, uses-components) names a component.",
    "integrity",
)
IMPORT_SSP = rule(
    "integrity-import-ssp",
    Severity.ERROR,
    f"{_OSCAL} (import-ssp/@href)",
    "An import-ssp that points at a relative file names a system security plan that exists.",
    "integrity",
)
IMPORT_AP = rule(
    "integrity-import-ap",
    Severity.ERROR,
    f"{_OSCAL} (import-ap/@href)",
    "An import-ap that points at a relative file names an assessment plan that exists.",
    "integrity",
)
NOT_FOLLOWED = rule(
    "integrity-not-followed",
    Severity.WARNING,
    "docs/security.md (the reading boundary)",
    "A file a document names (or a link in a validated folder) that leads outside the allowed folders, or to "
    "something other than a regular file, is not opened; references into it are left unjudged. A remote "
    "import is reported as info: it is never fetched.",
    "integrity",
)
BACK_MATTER_RESOURCE = rule(
    "integrity-back-matter-resource",
    Severity.ERROR,
    f"{_OSCAL} (import hrefs: a `#uuid` names a back-matter resource)",
    "An import (import-ssp, import-ap, import-profile, ...) whose href is `#uuid` names a back-matter resource of "
    "the document. Links are judged by NIST's constraints, with their scope and level (docs/constraints.md).",
    "integrity",
)

_SUBJECT_GROUPS: Mapping[str, tuple[str, ...]] = {
    "component": ("components",),
    "inventory-item": ("inventory-items",),
    "location": ("locations",),
    "party": ("parties",),
    "user": ("users",),
    "resource": ("resources",),
}
_ACTOR_GROUPS: Mapping[str, tuple[str, ...]] = {
    "tool": ("components",),
    "assessment-platform": ("assessment-platforms",),
    "party": ("parties",),
}
_IMPORTS: Mapping[str, tuple[Rule, str, str]] = {
    "import-ssp": (IMPORT_SSP, "system-security-plan", "a system security plan"),
    "import-ap": (IMPORT_AP, "assessment-plan", "an assessment plan"),
}
_MAX_IMPORT_DEPTH = 4


class Ref(NamedTuple):
    """One identifier reference found in the data (a tuple: a document may hold hundreds of thousands)."""

    kind: str  # observation, risk, finding, subject, actor, party, role, responsible-role, component, ...
    value: str
    pointer: str
    detail: str = ""  # subject or actor type; for fragments, the link's rel or the import's name


@dataclass
class Index:
    """What one document defines, and what it refers to."""

    uuids: dict[str, list[str]] = field(default_factory=dict)  # uuid -> pointers defining it
    groups: dict[str, set[str]] = field(default_factory=dict)  # "components" -> uuids held in such arrays
    role_ids: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)  # every `id` (controls, parts, groups, roles, ...)
    refs: list[Ref] = field(default_factory=list)
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # "import-ssp" -> (href, pointer)
    rlinks: dict[str, list[str]] = field(default_factory=dict)  # back-matter resource uuid -> rlink hrefs
    complete: bool = True  # for an imported document: everything it imports in turn could be followed

    def in_groups(self, value: str, names: tuple[str, ...]) -> bool:
        return any(value in self.groups.get(name, ()) for name in names)

    def merge_definitions(self, other: Index) -> None:
        for uuid, where in other.uuids.items():
            self.uuids.setdefault(uuid, where)
        for name, members in other.groups.items():
            self.groups.setdefault(name, set()).update(members)
        self.role_ids |= other.role_ids
        self.ids |= other.ids


_Entry = tuple[Any, str, str | None, str]
"""An object or array to walk: itself, the pointer of its parent, its token there, the array or key holding it."""


def index(data: Any) -> Index:
    """Walk plain OSCAL data once, collecting definitions and references with their JSON pointers."""
    found = Index()
    uuids, groups, ids, role_ids = found.uuids, found.groups, found.ids, found.role_ids
    tokens: dict[str, str] = {}  # key -> its pointer token (keys repeat across objects)
    # (object, the pointer of its parent, its token there, the name of the array holding it or of its key): an
    # object's own pointer is joined only when it is needed (most objects hold neither a uuid nor a reference nor
    # anything but scalars). The items of an array are pushed with the object holding it, where the array itself
    # would have been, and children are pushed in reverse, so that they pop in document order: the first use of a
    # uuid is the first found.
    stack: list[_Entry] = [(data, "", None, "")]
    pop, push = stack.pop, stack.append
    while stack:
        node, parent, token, holder = pop()
        if type(node) is not dict and not isinstance(node, dict):
            if isinstance(node, list):
                _push_items(node, parent if token is None else f"{parent}/{token}", holder, push)
            continue
        pointer: str | None = None
        uuid = node.get("uuid")
        if isinstance(uuid, str):
            pointer = parent if token is None else f"{parent}/{token}"
            uuids.setdefault(uuid, []).append(pointer + "/uuid")
            members = groups.get(holder)
            if members is None:
                members = groups[holder] = set()
            members.add(uuid)
        ident = node.get("id")
        if isinstance(ident, str):
            ids.add(ident)
            if holder == "roles":
                role_ids.add(ident)
        if holder in _SPECIAL_HOLDERS:
            if pointer is None:
                pointer = parent if token is None else f"{parent}/{token}"
            _special(node, pointer, holder, uuid, found)
        if not _REFERENCE_KEYS.isdisjoint(node):
            if pointer is None:
                pointer = parent if token is None else f"{parent}/{token}"
            _references(node, pointer, holder, found)
        for key, value in reversed(node.items()):
            kind = type(value)
            if kind is str:
                continue  # most values: nothing to walk
            if kind is not list and kind is not dict and not isinstance(value, _CONTAINERS):
                continue
            if pointer is None:
                pointer = parent if token is None else f"{parent}/{token}"
            child = tokens.get(key)
            if child is None:
                child = tokens[key] = key if "~" not in key and "/" not in key else pointers.escape(key)
            if kind is list:
                _push_items(value, f"{pointer}/{child}", key, push)
            else:
                push((value, pointer, child, key))
    return found


def _push_items(items: list[Any], at: str, holder: str, push: Callable[[_Entry], None]) -> None:
    """Push the objects and arrays of an array (at pointer `at`), last first."""
    position = len(items)
    for item in reversed(items):
        position -= 1
        if type(item) is dict or isinstance(item, _CONTAINERS):
            push((item, at, _TOKENS[position] if position < _KEEP_TOKENS else str(position), holder))


_KEEP_TOKENS = 4096
_TOKENS = tuple(str(position) for position in range(_KEEP_TOKENS))
"""The pointer tokens of the first positions of arrays, made once."""


def _special(node: dict[str, Any], pointer: str, holder: str, uuid: Any, found: Index) -> None:
    """Back-matter resources (their rlinks) and import objects (their href)."""
    if holder == "resources" and isinstance(uuid, str) and isinstance(node.get("rlinks"), list):
        found.rlinks[uuid] = [
            r["href"] for r in node["rlinks"] if isinstance(r, dict) and isinstance(r.get("href"), str)
        ]
    if holder in _IMPORTS and isinstance(node.get("href"), str):
        found.imports[holder] = (node["href"], pointer + "/href")


def _references(node: dict[str, Any], pointer: str, holder: str, found: Index) -> None:
    refs = found.refs
    for key in _REFERENCE_KEYS.intersection(node):
        value = node[key]
        here = pointer + "/" + key
        if isinstance(value, str):
            plain = _PLAIN_REFS.get(key)
            if plain is not None:
                kind, wanted = plain
                if wanted is None or wanted == holder:
                    refs.append(Ref(kind, value, here))
            elif key == "subject-uuid":
                refs.append(Ref("subject", value, here, str(node.get("type", ""))))
            elif key == "actor-uuid":
                refs.append(Ref("actor", value, here, str(node.get("type", ""))))
            elif key == "role-id" and holder != "responsible-parties":
                # a responsible-party's role is judged by NIST's constraints (index-metadata-role-id)
                refs.append(Ref("responsible-role" if holder == "responsible-roles" else "role", value, here))
            elif key == "href" and value.startswith("#") and holder.startswith("import"):
                # only imports: NIST's constraints say which links must name a back-matter resource, and how
                # badly it matters when one does not (a control's related link is a warning, and only in a catalog)
                refs.append(Ref("fragment", value, here, holder))
        elif isinstance(value, list):
            listed = _LIST_REFS.get(key)
            if listed is not None:
                for position, item in enumerate(value):
                    if isinstance(item, str):
                        refs.append(Ref(listed, item, f"{here}/{position}"))


_PLAIN_REFS: Mapping[str, tuple[str, str | None]] = {
    "observation-uuid": ("observation", "related-observations"),
    "risk-uuid": ("risk", "related-risks"),
    "finding-uuid": ("finding", "related-findings"),
    "party-uuid": ("party", None),
    "component-uuid": ("component", None),
}
"""Reference keys -> (the kind of reference, the array that must hold the object for it to be one, if any)."""
_LIST_REFS: Mapping[str, str] = {}
"""Lists of references integrity judges: none. The party-uuid, member-of-organization, role-id and location-uuid
fields are judged by NIST's constraints (index-has-key on index-metadata-*), across imports as here."""
_SPECIAL_HOLDERS = frozenset({"resources", *_IMPORTS})
_CONTAINERS = (dict, list)
# most objects hold no reference: the walk looks further only at objects with one of these keys
_REFERENCE_KEYS = frozenset(
    {
        "observation-uuid",
        "risk-uuid",
        "finding-uuid",
        "subject-uuid",
        "actor-uuid",
        "party-uuid",
        "role-id",
        "component-uuid",
        "href",
        *_LIST_REFS,
    }
)


@dataclass(frozen=True)
class _Context:
    """What references may resolve against: this document, plus its imports where they could be followed."""

    local: Index
    imported: tuple[Index, ...]  # the definitions of each import followed (and of what it imports in turn)
    imports_complete: bool  # every import was followed, so a cross-document reference that is missing is missing
    known: dict[tuple[str, str], Container[str] | None] = field(default_factory=dict)  # `targets`, as made

    def targets(self, kind: str, detail: str) -> Container[str] | None:
        """The identifiers a reference of this kind (and detail) may name; None where it is not judged by them (a
        fragment, or a reference that may name something in an import that could not be followed)."""
        found = self.known.get((kind, detail), _UNKNOWN)
        if found is _UNKNOWN:
            found = self.known[(kind, detail)] = self._targets(kind, detail)
        return found

    def _targets(self, kind: str, detail: str) -> Container[str] | None:
        if kind in _LOCAL_GROUPS:
            return _members((self.local,), (_LOCAL_GROUPS[kind],))
        if kind == "fragment" or not self.imports_complete:
            return None  # the target may be in an import that could not be followed; that import is reported
        # the document's definitions and its imports' are asked, not merged: most of what is defined is never named
        every = (self.local, *self.imported)
        if kind in ("subject", "actor"):
            groups = (_SUBJECT_GROUPS if kind == "subject" else _ACTOR_GROUPS).get(detail)
            return _members(every, groups) if groups else _Either(tuple(found.uuids for found in every))
        if kind == "party":
            return _members(every, ("parties",))
        if kind in ("role", "responsible-role"):
            return _union([found.role_ids for found in every])
        if kind == "component":
            return _members(every, ("components",))
        return None


_UNKNOWN: Container[str] = frozenset()
_LOCAL_GROUPS: Mapping[str, str] = {"observation": "observations", "risk": "risks", "finding": "findings"}
"""References that name an object of the document itself: the arrays that hold what they may name."""


def _members(indexes: tuple[Index, ...], names: tuple[str, ...]) -> Container[str]:
    """The uuids held in the arrays of these names in any of the indexes (what `Index.in_groups` looks in)."""
    return _union([found.groups[name] for found in indexes for name in names if name in found.groups])


def _union(parts: list[set[str]]) -> Container[str]:
    if not parts:
        return _UNKNOWN
    return parts[0] if len(parts) == 1 else set().union(*parts)


@dataclass(frozen=True)
class _Either:
    """In any of several containers (the uuids of a document and of its imports, not copied into one)."""

    parts: tuple[Container[str], ...]

    def __contains__(self, value: object) -> bool:
        return any(value in part for part in self.parts)


def integrity(
    doc: Document,
    *,
    base_dir: str | os.PathLike[str] | None = None,
    data: Any = None,
    boundary: Boundary | None = None,
) -> list[Diagnostic]:
    """Every integrity diagnostic of `doc`, located by pointer (and line where the format has lines).

    `data` is the document as plain OSCAL JSON data, wrapped in its root key (as read from the file);
    without it the model is serialized. `base_dir` is where relative imports resolve from (default: the
    document's folder); `boundary` is where they may lead (default: the roots set for this run, else
    `base_dir`).
    """
    if data is None:
        data = to_data(doc.model)
    if base_dir is None:
        base_dir = doc.path.parent if doc.path is not None else Path.cwd()
    if boundary is None:
        boundary = boundary_for(base_dir)
    local = _index_of(data) if _held(doc, data) else index(data)
    diagnostics: list[Diagnostic] = []
    imported: list[Index] = []
    complete = True
    for name, (href, pointer) in sorted(local.imports.items()):
        followed, problem = _follow(href, Path(base_dir), name, local, boundary)
        if problem is not None:
            import_rule, said, severity = problem
            line = doc.line_of(pointer)
            diagnostics.append(import_rule.diag(said, pointer, doc.source, href, severity=severity, line=line))
        if followed is None:
            complete = False
        else:
            imported.append(followed)
            complete = complete and followed.complete
    context = _Context(local, tuple(imported), complete)
    diagnostics.extend(_duplicates(local, doc))
    targets = context.targets
    for ref in local.refs:
        known = targets(ref.kind, ref.detail)
        if known is not None and ref.value in known:
            continue  # most references resolve: nothing more to ask
        message = _check(ref, context)
        if message is not None:
            rule_, text = message
            diagnostics.append(rule_.diag(text, ref.pointer, doc.source, ref.value, line=doc.line_of(ref.pointer)))
    return sorted(diagnostics, key=lambda d: d.sort_key)


def _duplicates(local: Index, doc: Document) -> Iterator[Diagnostic]:
    for uuid, where in local.uuids.items():
        if len(where) < 2:
            continue
        first = where[0]
        for pointer in where[1:]:
            yield DUPLICATE_UUID.diag(
                f"uuid {uuid} is used again; it first identifies {first}",
                pointer,
                doc.source,
                uuid,
                line=doc.line_of(pointer),
            )


def _check(ref: Ref, ctx: _Context) -> tuple[Rule, str] | None:
    kind, value = ref.kind, ref.value
    if kind == "fragment":
        return _check_fragment(ref, ctx.local)
    targets = ctx.targets(kind, ref.detail)
    if targets is None or value in targets:
        return None
    detail = ref.detail
    if kind == "subject":
        what = _a(detail) if detail in _SUBJECT_GROUPS else "an object"
        return SUBJECT, f"subject {value} (type {detail or 'unset'}) is not {what} of this document{_IMPORTED}"
    if kind == "actor":
        what = {"tool": "a tool component", "assessment-platform": "an assessment platform"}.get(
            detail, _a(detail) if detail in _ACTOR_GROUPS else "an object"
        )
        return ORIGIN_ACTOR, f"origin actor {value} (type {detail or 'unset'}) is not {what}{_WHERE}"
    made, said = _UNRESOLVED[kind]
    return made, said.format(value=value)


_WHERE = " of this document or the documents it imports"
_IMPORTED = " or the documents it imports"
_UNRESOLVED: Mapping[str, tuple[Rule, str]] = {
    "observation": (RELATED_OBSERVATION, "related observation {value} is not an observation of this document"),
    "risk": (RELATED_RISK, "related risk {value} is not a risk of this document"),
    "finding": (RELATED_FINDING, "related finding {value} is not a finding of this document"),
    "party": (PARTY, "party {value} is not a party in metadata" + _WHERE),
    "role": (ROLE, "role {value!r} is not a role in metadata" + _WHERE),
    "responsible-role": (RESPONSIBLE_ROLE, "responsible role {value!r} is not a role in metadata" + _WHERE),
    "component": (COMPONENT, "component {value} is not a component" + _WHERE),
}
"""The rule and message of a reference of each kind that names nothing (subjects and actors say what they name)."""


def _a(name: str) -> str:
    """`a party`, `an inventory-item`."""
    return ("an " if name[:1] in "aeiou" else "a ") + name


def _check_fragment(ref: Ref, local: Index) -> tuple[Rule, str] | None:
    target = unquote(ref.value[1:])
    if local.in_groups(target, ("resources",)):
        return None
    return BACK_MATTER_RESOURCE, f"{ref.detail} href {ref.value} names no back-matter resource of this document"


def _follow(
    href: str, base_dir: Path, name: str, local: Index, boundary: Boundary
) -> tuple[Index | None, tuple[Rule, str, Severity | None] | None]:
    """The index of an imported document (None when it cannot be followed), and the problem to report.

    The imported file is read through the reading boundary, and nothing it holds appears in a message: it is
    validated on its own where it belongs to the repository.
    """
    rule_, root_key, title = _IMPORTS[name]
    shown = excerpt(href)
    if href.startswith("#"):
        hrefs = local.rlinks.get(unquote(href[1:]), [])
        if not hrefs:
            return None, None  # a missing resource is reported as such
    else:
        hrefs = [href]
    targets = [boundary.locate(h, base_dir) for h in hrefs]
    local_targets = [t for t in targets if t.path is not None]
    if not local_targets:
        if any(t.refused for t in targets):
            return None, (NOT_FOLLOWED, f"{name} href {shown}: {boundary_module.NOT_FOLLOWED}", None)
        if any(t.remote for t in targets):
            return None, (NOT_FOLLOWED, f"{name} href {shown}: {boundary_module.REMOTE}", Severity.INFO)
        return None, None
    existing = [t for t in local_targets if t.path is not None and t.path.exists()]
    if not existing:
        return None, (rule_, f"{name} href {shown} names no file: {local_targets[0].shown} does not exist", None)
    target = existing[0]
    try:
        imported = _imported_index(target, boundary, root_key, 0)
    except SpecialFile as exc:
        return None, (NOT_FOLLOWED, f"{name} href {shown}: {exc.problems[0].message}", None)
    except UnreadableFile as exc:
        return None, (rule_, f"{name} href {shown} cannot be read: {exc.problems[0].message}", None)
    except LoadError:
        return None, (rule_, f"{name} href {shown} names a file that is not a readable OSCAL document", None)
    if isinstance(imported, str):
        return None, (rule_, f"{name} href {shown} names {imported}, not {title}", None)
    return imported, None


def _imported_index(target: Target, boundary: Boundary, root_key: str, depth: int) -> Index | str:
    """The definitions of an imported document and of what it imports in turn; cached per file version.

    Returns the kind's title instead when the file holds another model.
    """
    assert target.path is not None
    stat = target.path.stat()
    return _imported_version(target, boundary, root_key, depth, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _imported_version(
    target: Target, boundary: Boundary, root_key: str, depth: int, mtime_ns: int, size: int
) -> Index | str:
    kind, found = _file_index(target, boundary, mtime_ns, size)
    if kind.root_key != root_key:
        return kind.named
    combined = Index()
    combined.merge_definitions(found)
    assert target.path is not None
    for name, (href, _pointer) in found.imports.items():
        deeper: Index | str | None = None
        nested = boundary.locate(href, target.path.parent)
        if depth < _MAX_IMPORT_DEPTH and nested.path is not None and nested.path.is_file():
            try:
                deeper = _imported_index(nested, boundary, _IMPORTS[name][1], depth + 1)
            except (LoadError, OSError):
                deeper = None
        if isinstance(deeper, Index):
            combined.merge_definitions(deeper)
            combined.complete = combined.complete and deeper.complete
        else:
            combined.complete = False
    return combined


@lru_cache(maxsize=32)
def _file_index(target: Target, boundary: Boundary, mtime_ns: int, size: int) -> tuple[ModelKind, Index]:
    """The model and the definitions of one version of a file: read and decoded once, whichever document imports
    it and at whatever depth (a POA&M imports its SSP, and so does the plan its results import)."""
    assert target.path is not None
    loaded = cached(target.path)
    if loaded is not None and loaded.format in ("json", "yaml"):
        # this version of the file was read and decoded in this process, as `decode` reads it (an SSP judged as
        # a document of its own, and imported): its index serves both
        return loaded.kind, _index_of(loaded.raw)
    source = target.shown or target.href
    raw_bytes = boundary.read(target, source)
    _, raw, _ = decode(raw_bytes, source)
    kind, _content = root_kind(raw, source)
    return kind, index(raw)


_KEEP_INDEXED = 4
_indexed: list[tuple[Any, Index]] = []
"""The last data of loaded documents indexed (`oscal_poam.io.loaded`, which shares it with every reader and
never changes it), by identity: such a document is indexed once, as a document of its own and as an import. Each
entry holds its data, so no other data can take its identity."""


def _held(doc: Document, data: Any) -> bool:
    """Whether `data` is what the loaded documents hold of this version of `doc`'s file."""
    loaded = cached(doc.path) if doc.path is not None else None
    return loaded is not None and loaded.raw is data


def _index_of(data: Any) -> Index:
    """The index of a loaded document's data (see `_indexed`)."""
    for held, found in _indexed:
        if held is data:
            return found
    found = index(data)
    _indexed.append((data, found))
    if len(_indexed) > _KEEP_INDEXED:
        del _indexed[0]
    return found


def forget_imports() -> None:
    """Drop the imported documents kept between calls (a new run may see files that changed since)."""
    _imported_version.cache_clear()
    _file_index.cache_clear()
    _indexed.clear()
