"""keep.prepare replaces every URI and date-time of a document, and restore puts every text back
(`oscal_poam.io.keep`): checked by a walk over every key of every object against what prepare walks."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.io import keep
from oscal_poam.io.keep import KeptDatetime, KeptUrl
from oscal_poam.io.load import decode, root_kind
from tests.conftest import FEDRAMP_EXAMPLES, OSCAL_CONTENT, ROOT

DOCUMENTS = sorted(
    [*OSCAL_CONTENT.glob("*/json/*.json"), *FEDRAMP_EXAMPLES.rglob("*.json"), *(ROOT / "examples").glob("*/*.json")]
)


def left_plain(plan: Any, node: Any) -> list[str]:
    """The URIs and date-times under `node` still plain text, found by looking at every key of every object."""
    found: list[str] = []
    if not isinstance(node, dict):
        return found
    for key, value in node.items():
        entry = plan.entries.get(key)
        if entry is None:
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, str) and entry.url and not isinstance(item, KeptUrl):
                found.append(item)
            elif isinstance(item, str) and entry.datetime and keep.kept_datetime(item) is not item:
                found.append(item)  # a date-time the kept value would stand for
            elif isinstance(item, dict) and entry.plan is not None:
                found.extend(left_plain(entry.plan, item))
    return found


def test_the_documents_are_there() -> None:
    assert len(DOCUMENTS) >= 20


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_uri_and_date_time_is_kept_then_given_back(path: Path) -> None:
    _, raw, _ = decode(path.read_bytes(), str(path))
    kind, content = root_kind(raw, str(path))
    assert isinstance(content, dict)
    before = copy.deepcopy(content)
    plan = keep.plan_of(kind.cls)
    assert left_plain(plan, content), "the document holds a URI or a date-time to keep"
    _, replaced = keep.prepare(kind.cls, content)
    assert left_plain(plan, content) == []
    assert any(isinstance(node[key], KeptDatetime) for node, key in replaced)
    keep.restore(replaced)
    assert content == before
    assert not any(isinstance(node[key], KeptUrl | KeptDatetime) for node, key in replaced)
