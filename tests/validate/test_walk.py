"""Which files `validate` looks at: suffixes, skipped folders, and .gitignore-style excludes."""

from __future__ import annotations

from pathlib import Path

import pytest

from oscal_poam.validate.walk import Excludes, candidate_files


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "excluded"),
    [
        ("*.json", "a.json", False, True),
        ("*.json", "deep/er/a.json", False, True),
        ("*.json", "a.yaml", False, False),
        ("drafts/", "drafts", True, True),
        ("drafts/", "x/drafts", True, True),
        ("drafts/", "drafts", False, False),  # a trailing slash matches folders only
        ("/drafts", "drafts", True, True),
        ("/drafts", "x/drafts", True, False),  # a leading slash anchors at the walked folder
        ("docs/*.yaml", "docs/a.yaml", False, True),
        ("docs/*.yaml", "x/docs/a.yaml", False, False),  # an inner slash anchors too
        ("docs/*.yaml", "docs/sub/a.yaml", False, False),  # * does not cross folders
        ("docs/**/*.yaml", "docs/a.yaml", False, True),
        ("docs/**/*.yaml", "docs/sub/deeper/a.yaml", False, True),
        ("**/fixtures", "a/b/fixtures", True, True),
        ("**/fixtures", "fixtures", True, True),
        ("build/**", "build/x/y.json", False, True),
        ("ssp-?.json", "ssp-1.json", False, True),
        ("ssp-?.json", "ssp-10.json", False, False),
        ("ssp-[0-9].json", "ssp-7.json", False, True),
        ("ssp-[!0-9].json", "ssp-7.json", False, False),
        ("# a comment", "# a comment", False, False),
        ("\\#hash.json", "#hash.json", False, True),
        ("a.json", "a.json.bak", False, False),
    ],
)
def test_one_pattern(pattern: str, path: str, is_dir: bool, excluded: bool) -> None:
    assert Excludes([pattern]).excluded(path, is_dir) is excluded


def test_negation_takes_back_an_earlier_exclude_and_the_last_match_wins() -> None:
    rules = Excludes(["*.json", "!keep.json"])
    assert rules.excluded("drop.json", False)
    assert not rules.excluded("keep.json", False)
    assert Excludes(["*.json", "!keep.json", "keep.json"]).excluded("keep.json", False)


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("{}", encoding="utf-8")


def _rel(root: Path, found: list[Path]) -> list[str]:
    return [p.relative_to(root).as_posix() for p in found]


def test_folders_are_walked_for_oscal_suffixes_in_path_order(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        [
            "b.json",
            "a/z.yml",
            "a/y.YAML",
            "a/x.xml",
            "notes.md",
            "a/data.csv",
            ".git/config.json",
            ".github/workflows/ci.yml",
            "node_modules/pkg/package.json",
            "src/__pycache__/x.json",
            "venv/lib/x.json",
        ],
    )
    assert _rel(tmp_path, candidate_files([tmp_path])) == ["a/x.xml", "a/y.YAML", "a/z.yml", "b.json"]


def test_excludes_prune_folders_and_negation_brings_a_file_back(tmp_path: Path) -> None:
    _tree(tmp_path, ["drafts/a.json", "drafts/b.json", "keep/c.json", "keep/d.json"])
    found = candidate_files([tmp_path], ["keep/*.json", "!keep/d.json", "drafts/"])
    assert _rel(tmp_path, found) == ["keep/d.json"]


def test_named_files_are_taken_whatever_their_suffix_unless_excluded(tmp_path: Path) -> None:
    _tree(tmp_path, ["doc.oscal", "drafts/a.json"])
    named = [tmp_path / "doc.oscal", tmp_path / "drafts" / "a.json"]
    assert _rel(tmp_path, candidate_files(named)) == ["doc.oscal", "drafts/a.json"]


def test_named_files_are_matched_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["drafts/a.json", "b.json"])
    monkeypatch.chdir(tmp_path)
    assert candidate_files(["drafts/a.json", "b.json"], ["drafts/"]) == [Path("b.json")]
    assert candidate_files(["drafts/a.json", "b.json"], ["/b.json"]) == [Path("drafts/a.json")]


def test_each_file_once_even_when_named_twice(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.json"])
    assert len(candidate_files([tmp_path, tmp_path / "a.json", tmp_path])) == 1


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nope"):
        candidate_files([tmp_path / "nope"])
