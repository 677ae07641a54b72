"""reference/ carries its provenance: every file is covered by a SOURCES.md that names a commit and a licence, and
the constants the tests read it through point into it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import conftest
from tests.conftest import REFERENCE, ROOT

COMMIT = re.compile(r"\b[0-9a-f]{40}\b")


def _sources_of(path: Path) -> Path | None:
    for folder in path.parents:
        if folder == REFERENCE:
            return None
        if (folder / "SOURCES.md").is_file():
            return folder / "SOURCES.md"
    return None


def test_every_file_has_its_sources() -> None:
    files = [p for p in REFERENCE.rglob("*") if p.is_file() and p.name not in ("SOURCES.md", "README.md")]
    assert len(files) > 50
    assert [p.relative_to(ROOT) for p in files if _sources_of(p) is None] == []


@pytest.mark.parametrize("sources", sorted(REFERENCE.rglob("SOURCES.md")), ids=lambda p: str(p.parent.name))
def test_each_sources_file_names_commits_and_a_licence(sources: Path) -> None:
    text = sources.read_text(encoding="utf-8")
    assert COMMIT.search(text), f"{sources} names no commit"
    assert re.search(r"public domain|licen[cs]e", text, re.IGNORECASE), f"{sources} names no licence"


@pytest.mark.parametrize("name", ["OSCAL_CONTENT", "SCHEMAS", "CMMC_REFERENCE", "FEDRAMP_EXAMPLES", "LEGACY_EXAMPLES"])
def test_the_constants_point_into_reference(name: str) -> None:
    folder: Path = getattr(conftest, name)
    assert folder.is_dir()
    assert folder.is_relative_to(REFERENCE)
    assert any(folder.rglob("*.*"))


def test_nothing_reads_a_folder_beside_the_checkout() -> None:
    pattern = re.compile(r"""\.\./shared|parent\s*/\s*["']shared["']""")
    texts = [ROOT / name for name in ("README.md", "CONTRIBUTING.md", "CHANGELOG.md", "pyproject.toml")]
    for folder in ("oscal_poam", "tests", "tools", "bench", "docs", ".ci"):
        texts += [
            p
            for p in (ROOT / folder).rglob("*")
            if p.is_file()
            and p.suffix in ("", ".py", ".md", ".toml")
            # environments and caches a run leaves (bench/.venv-compare, __pycache__) are not the project's text
            and not any(part.startswith((".", "__")) for part in p.relative_to(ROOT / folder).parts[:-1])
        ]
    offenders = [p.relative_to(ROOT) for p in texts if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
