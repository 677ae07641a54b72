"""Reading a history from git without trusting the repository: documents only, no links, no submodules, every
version under the size cap, merges read along the first parent, nothing run from the repository's config."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from unittest import mock

import pytest

from oscal_poam.history.api import trends
from oscal_poam.history.git import BlobStore, git_history, parse_log
from tools import history_demo as demo
from tools.history_demo import Item, Repository, poam_document, ssp_document

D = dt.date


def _repository(tmp_path: Path) -> Repository:
    from tests.history.conftest import require_git

    require_git()
    return Repository.create(tmp_path / "repo")


def test_only_regular_document_files_are_versions(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    repo.write("s/poam.json", "{}")
    repo.write("s/notes.md", "notes")
    repo.commit(D(2026, 1, 5), "first")
    (repo.root / "s" / "link.json").symlink_to("/etc/hostname")
    repo.write("s/poam.json", '{"a": 1}')
    repo.commit(D(2026, 1, 6), "second")
    (repo.root / "s" / "poam.json").unlink()
    repo.commit(D(2026, 1, 7), "third")
    history = git_history(repo.root / "s")
    assert history is not None
    try:
        assert history.prefix == "s"
        changes = [dict(v.changed) for v in history.versions]
        assert list(changes[0]) == ["s/poam.json"]  # notes.md is not a document
        assert changes[1]["s/link.json"] is None  # a link is never a version of a file
        assert changes[2] == {"s/poam.json": None}
        assert [v.subject for v in history.versions] == ["first", "second", "third"]
        assert history.versions[0].when == dt.datetime(2026, 1, 5, 15, 0, tzinfo=dt.UTC)
        assert history.store.read(changes[1]["s/poam.json"], "s/poam.json") == b'{"a": 1}'
    finally:
        history.close()


def test_merges_are_read_along_the_first_parent(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    repo.write("a.json", "{}")
    repo.commit(D(2026, 1, 5), "base")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("b.json", "{}")
    repo.commit(D(2026, 1, 6), "on the side")
    repo.git("checkout", "-q", "main")
    repo.write("c.json", "{}")
    repo.commit(D(2026, 1, 7), "on main")
    when = dt.datetime(2026, 1, 8, 15, 0, tzinfo=dt.UTC)
    repo.git("merge", "-q", "--no-ff", "-m", "merge the side", "side", when=when)
    history = git_history(repo.root)
    assert history is not None
    history.close()
    assert [v.subject for v in history.versions] == ["base", "on main", "merge the side"]
    assert set(history.versions[-1].changed) == {"b.json"}  # the merge brings the side's file, as one version


def test_a_version_over_the_size_cap_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repository(tmp_path)
    repo.write("s/ssp.json", ssp_document("big"))
    repo.write("s/poam.json", poam_document("big", [Item(demo.A1)], status_date=D(2026, 2, 2), modified=D(2026, 2, 3)))
    repo.commit(D(2026, 2, 3), "the documents")
    monkeypatch.setenv("OSCAL_POAM_MAX_BYTES", "20000")  # the SSP is larger, the POA&M smaller
    found = trends([repo.root], as_of=D(2026, 12, 31))
    assert len(found.unread) == 1
    assert "s/ssp.json" in found.unread[0] and "over the limit of 20,000 bytes" in found.unread[0]
    (system,) = found.systems
    assert system.key == "s/poam.json"  # judged on its POA&M alone
    assert [p.open_items for p in system.points] == [1]


def test_the_repository_config_runs_nothing(tmp_path: Path) -> None:
    """A repository's own config can name programs (an fsmonitor, a diff driver, a pager); reading its history
    runs none of them."""
    repo = _repository(tmp_path)
    marker = tmp_path / "ran"
    script = tmp_path / "hook.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    for key in ("core.fsmonitor", "core.pager", "diff.external", "core.hooksPath"):
        repo.git("config", key, str(script) if key != "core.hooksPath" else str(tmp_path))
    (repo.root / ".gitattributes").write_text("*.json diff=evil\n", encoding="utf-8")
    repo.git("config", "diff.evil.textconv", str(script))
    repo.git("config", "diff.evil.command", str(script))
    repo.write("s/ssp.json", ssp_document("quiet"))
    repo.write(
        "s/poam.json", poam_document("quiet", [Item(demo.A1)], status_date=D(2026, 2, 2), modified=D(2026, 2, 3))
    )
    repo.git("add", "-A")
    repo.git("-c", f"core.hooksPath={os.devnull}", "commit", "-q", "--no-verify", "-m", "docs")
    marker.unlink(missing_ok=True)
    found = trends([repo.root], as_of=D(2026, 12, 31))
    assert [s.name for s in found.systems] == ["Quiet Enclave"]
    assert not marker.exists()


def test_the_log_parser_takes_any_subject_and_path() -> None:
    """Subjects and paths hold anything but NUL; the parser goes by position, never by what they say."""
    commit = "\x1ecommit"
    meta = ":100644 100644 " + "0" * 40 + " " + "1" * 40 + " M"
    output = (
        f"{commit}\0{'a' * 40}\x002026-01-05T15:00:00+00:00\0A B\0:100644 looks like raw\0\n{meta}\0{commit}.json\0"
        f"{commit}\0{'b' * 40}\x002026-01-06T15:00:00+00:00\0A B\0plain\0"
    ).encode()
    first, second = parse_log(output)
    assert first.subject == ":100644 looks like raw"
    assert dict(first.changed) == {f"{commit}.json": "1" * 40}
    assert second.subject == "plain" and not second.changed


def test_every_version_is_read_ahead_in_the_order_it_is_judged(consultant: Path) -> None:
    # One `cat-file` reads ahead; a version asked for out of its order would start a second to read it on demand.
    with mock.patch.object(BlobStore, "_start", autospec=True, side_effect=BlobStore._start) as started:
        found = trends([consultant], as_of=D(2026, 12, 31))
    assert found.systems
    assert started.call_count == 1
