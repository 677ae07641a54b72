"""Integrity's walk and its judgement of references, held to plain versions of themselves.

`index` walks each document's data in a tight loop (arrays' items pushed with the object holding them, strings
passed at once), and `integrity` settles a reference that resolves with one membership test. These tests hold
both to a plain recursive walk and to the reference checks written out kind by kind, on NIST's and FedRAMP's
documents and on made-up data that puts every key the walk looks at in odd places.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oscal_poam.io import pointers
from oscal_poam.io.load import decode
from oscal_poam.rules import integrity
from oscal_poam.rules.integrity import Index, Ref, index
from tests.conftest import FEDRAMP_EXAMPLES, OSCAL_CONTENT, ROOT

DOCUMENTS = sorted(
    [
        *OSCAL_CONTENT.glob("*/json/*.json"),
        *OSCAL_CONTENT.glob("*/yaml/*.yaml"),
        *FEDRAMP_EXAMPLES.rglob("*.json"),
        *(ROOT / "tests" / "data" / "seeded").glob("*.json"),
        *(ROOT / "tests" / "data" / "seeded").glob("*.yaml"),
    ]
)


def _plainly(data: Any) -> Index:
    """The index by a recursive walk in document order, each rule written out where it applies."""
    found = Index()

    def visit(node: Any, pointer: str, holder: str) -> None:
        if isinstance(node, list):
            for position, item in enumerate(node):
                visit(item, f"{pointer}/{position}", holder)
            return
        if not isinstance(node, dict):
            return
        uuid = node.get("uuid")
        if isinstance(uuid, str):
            found.uuids.setdefault(uuid, []).append(pointer + "/uuid")
            found.groups.setdefault(holder, set()).add(uuid)
        ident = node.get("id")
        if isinstance(ident, str):
            found.ids.add(ident)
            if holder == "roles":
                found.role_ids.add(ident)
        if holder == "resources" and isinstance(uuid, str) and isinstance(node.get("rlinks"), list):
            found.rlinks[uuid] = [
                r["href"] for r in node["rlinks"] if isinstance(r, dict) and isinstance(r.get("href"), str)
            ]
        if holder in ("import-ssp", "import-ap") and isinstance(node.get("href"), str):
            found.imports[holder] = (node["href"], pointer + "/href")
        for key in integrity._REFERENCE_KEYS.intersection(node):  # the walk's order of a node's references
            found.refs.extend(_refs(key, node[key], f"{pointer}/{key}", holder, node))
        for key, value in node.items():
            visit(value, f"{pointer}/{pointers.escape(key)}", key)

    visit(data, "", "")
    return found


def _refs(key: str, value: Any, here: str, holder: str, node: dict[str, Any]) -> list[Ref]:
    if not isinstance(value, str):
        return []
    typed = str(node.get("type", ""))
    wanted = {
        ("observation-uuid", "related-observations"): Ref("observation", value, here),
        ("risk-uuid", "related-risks"): Ref("risk", value, here),
        ("finding-uuid", "related-findings"): Ref("finding", value, here),
    }
    if (key, holder) in wanted:
        return [wanted[(key, holder)]]
    anywhere = {
        "subject-uuid": Ref("subject", value, here, typed),
        "actor-uuid": Ref("actor", value, here, typed),
        "party-uuid": Ref("party", value, here),
        "component-uuid": Ref("component", value, here),
    }
    if key in anywhere:
        return [anywhere[key]]
    if key == "role-id" and holder != "responsible-parties":
        return [Ref("responsible-role" if holder == "responsible-roles" else "role", value, here)]
    if key == "href" and value.startswith("#") and holder.startswith("import"):
        return [Ref("fragment", value, here, holder)]
    return []


def _same(found: Index, expected: Index) -> None:
    assert list(found.uuids.items()) == list(expected.uuids.items())
    assert found.groups == expected.groups
    assert (found.ids, found.role_ids) == (expected.ids, expected.role_ids)
    assert found.refs == expected.refs
    assert (found.imports, found.rlinks) == (expected.imports, expected.rlinks)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_the_index_of_a_document_is_the_plain_walks(path: Path) -> None:
    data = decode(path.read_bytes(), path.name)[1]
    found = index(data)
    _same(found, _plainly(data))
    assert found.uuids or path.parent.name == "seeded"


_KEYS = st.sampled_from(
    [
        "uuid", "id", "type", "href", "rlinks", "roles", "resources", "import-ssp", "import-ap", "import-profile",
        "observation-uuid", "risk-uuid", "finding-uuid", "subject-uuid", "actor-uuid", "party-uuid", "role-id",
        "component-uuid", "related-observations", "related-risks", "related-findings", "responsible-roles",
        "responsible-parties", "a/b", "c~d", "props",
    ]
)  # fmt: skip
_SCALARS = st.one_of(st.sampled_from(["x", "#x", "#", "y", ""]), st.integers(0, 3), st.none(), st.booleans())
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=6)),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(_DATA)
def test_the_index_of_any_data_is_the_plain_walks(data: Any) -> None:
    _same(index(data), _plainly(data))


def test_an_array_past_the_tokens_made_once_is_pointed_at() -> None:
    data = {"findings": [{"uuid": f"u{n}"} for n in range(integrity._KEEP_TOKENS + 2)]}
    found = index(data)
    _same(found, _plainly(data))
    assert found.uuids[f"u{integrity._KEEP_TOKENS + 1}"] == [f"/findings/{integrity._KEEP_TOKENS + 1}/uuid"]


# -- references judged ---------------------------------------------------------------------------------------


def _checked_plainly(ref: Ref, local: Index, merged: Index, complete: bool) -> tuple[str, str] | None:
    """Each kind of reference judged as written out, by rule id and message."""
    value, detail = ref.value, ref.detail

    def held(found: Index, *names: str) -> bool:
        return any(value in found.groups.get(name, ()) for name in names)

    where = " of this document or the documents it imports"
    if ref.kind in ("observation", "risk", "finding"):
        if held(local, ref.kind + "s"):
            return None
        rule = {"observation": "observation", "risk": "risk", "finding": "finding"}[ref.kind]
        return f"integrity-related-{rule}", f"related {rule} {value} is not {_a(rule)} of this document"
    if ref.kind == "fragment":
        shown = integrity._check_fragment(ref, local)
        return None if shown is None else (shown[0].id, shown[1])
    if not complete:
        return None
    if ref.kind == "subject":
        groups = integrity._SUBJECT_GROUPS.get(detail)
        if held(merged, *groups) if groups else value in merged.uuids:
            return None
        what = _a(detail) if groups else "an object"
        message = (
            f"subject {value} (type {detail or 'unset'}) is not {what} of this document or the documents it imports"
        )
        return "integrity-subject", message
    if ref.kind == "actor":
        groups = integrity._ACTOR_GROUPS.get(detail)
        if held(merged, *groups) if groups else value in merged.uuids:
            return None
        what = {"tool": "a tool component", "assessment-platform": "an assessment platform"}.get(
            detail, _a(detail) if groups else "an object"
        )
        return "integrity-origin-actor", f"origin actor {value} (type {detail or 'unset'}) is not {what}{where}"
    if ref.kind == "party":
        return (
            None if held(merged, "parties") else ("integrity-party", f"party {value} is not a party in metadata{where}")
        )
    if ref.kind in ("role", "responsible-role"):
        if value in merged.role_ids:
            return None
        if ref.kind == "role":
            return "integrity-role", f"role {value!r} is not a role in metadata{where}"
        return "integrity-responsible-role", f"responsible role {value!r} is not a role in metadata{where}"
    if ref.kind == "component":
        if held(merged, "components"):
            return None
        return "integrity-component", f"component {value} is not a component{where}"
    return None


def _a(name: str) -> str:
    return ("an " if name[:1] in "aeiou" else "a ") + name


_GROUPS = st.sampled_from(
    ["observations", "risks", "findings", "components", "parties", "inventory-items", "locations", "users",
     "resources", "assessment-platforms", "tasks"]
)  # fmt: skip
_VALUES = st.sampled_from(["a", "b", "c", "d"])
_INDEX = st.builds(
    lambda groups, uuids, roles: _made(groups, uuids, roles),
    st.dictionaries(_GROUPS, st.sets(_VALUES, max_size=3), max_size=6),
    st.sets(_VALUES, max_size=3),
    st.sets(_VALUES, max_size=3),
)
_REFS = st.builds(
    Ref,
    st.sampled_from(
        [
            "observation",
            "risk",
            "finding",
            "subject",
            "actor",
            "party",
            "role",
            "responsible-role",
            "component",
            "fragment",
            "something-else",
        ]
    ),
    _VALUES,
    st.just("/x"),
    st.sampled_from(["", "component", "inventory-item", "party", "tool", "assessment-platform", "resource", "other"]),
)


def _made(groups: dict[str, set[str]], uuids: set[str], roles: set[str]) -> Index:
    found = Index(groups={name: set(members) for name, members in groups.items()}, role_ids=set(roles))
    found.uuids = {uuid: ["/u"] for uuid in uuids | {m for members in groups.values() for m in members}}
    return found


@settings(max_examples=400, deadline=None)
@given(_INDEX, _INDEX, st.booleans(), st.lists(_REFS, max_size=12))
def test_references_are_judged_as_each_kind_says(
    local: Index, imported: Index, complete: bool, refs: list[Ref]
) -> None:
    merged = Index()
    merged.merge_definitions(local)
    merged.merge_definitions(imported)
    context = integrity._Context(local, (imported,), complete)  # asked in turn, where the plain checks merge
    for ref in refs:
        found = integrity._check(ref, context)
        assert (None if found is None else (found[0].id, found[1])) == _checked_plainly(ref, local, merged, complete)
        targets = context.targets(ref.kind, ref.detail)
        if targets is not None and ref.value in targets:
            assert found is None  # what `integrity` settles without asking `_check`
