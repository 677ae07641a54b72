"""The reading boundary: a document cannot make the tool read outside the repository, nor tell what is there.

Every hostile href of `hostile.plant` (absolute paths, traversal plain and percent-encoded, `file:` URLs, links
out of the repository, devices, a FIFO, back-matter rlinks to each) is reported with the same words whether
its target exists or not, and no output format carries a byte of the planted secret.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.io.boundary import Boundary, repository_roots
from oscal_poam.quoting import excerpt
from tests.cli_runner import Ran, run_main
from tests.robustness.hostile import SECRET, Planted, plant, twin
from tests.robustness.many_runs import run_many

AS_OF = "2026-10-20"


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    return plant(tmp_path_factory.mktemp("hostile"))


def _expected(planted: Planted, name: str) -> str:
    href = excerpt(planted.hrefs[name])
    if name in planted.remote:
        return f"import-ssp href {href}: a remote document: not fetched"
    if name in planted.special:
        return f"import-ssp href {href}: is a FIFO (named pipe), not a regular file: not read"
    return f"import-ssp href {href}: outside the repository: not followed"


def _validate(capsys: Any, monkeypatch: Any, planted: Planted, *args: str) -> Ran:
    monkeypatch.chdir(planted.repo.parent)
    return run_main(capsys, monkeypatch, "validate", "repo", "--as-of", AS_OF, "--jobs", "1", *args)


def _by_document(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for d in report["diagnostics"]:
        found.setdefault(d["document"], []).append(d)
    return found


def test_validate_follows_no_href_out_of_the_repository(capsys: Any, monkeypatch: Any, planted: Planted) -> None:
    ran = _validate(capsys, monkeypatch, planted, "--format", "json")
    assert SECRET not in ran.stdout + ran.stderr
    by_document = _by_document(json.loads(ran.stdout))
    for name in planted.hrefs:
        said = [d for d in by_document[f"repo/{name}.json"] if d["rule-id"] == "integrity-not-followed"]
        assert [d["message"] for d in said] == [_expected(planted, name)], name
        assert said[0]["severity"] == ("info" if name in planted.remote else "warning")
        assert said[0]["pointer"] == "/plan-of-action-and-milestones/import-ssp/href"


def test_a_missing_target_reads_as_an_existing_one(capsys: Any, monkeypatch: Any, planted: Planted) -> None:
    """Whether a file outside exists shows nowhere: the twin cases give the same diagnostics, href aside."""
    ran = _validate(capsys, monkeypatch, planted, "--format", "json")
    by_document = _by_document(json.loads(ran.stdout))
    compared = 0
    for name in planted.hrefs:
        other = twin(name)
        if other is None or other not in planted.hrefs:
            continue
        # The href as messages quote it: cut short past a length, which the temporary folder's path decides.
        mine = [(d["rule-id"], d["severity"], d["message"].replace(excerpt(planted.hrefs[name]), "HREF")) for d in
                by_document[f"repo/{name}.json"]]  # fmt: skip
        theirs = [(d["rule-id"], d["severity"], d["message"].replace(excerpt(planted.hrefs[other]), "HREF")) for d in
                  by_document[f"repo/{other}.json"]]  # fmt: skip
        assert mine == theirs, name
        compared += 1
    assert compared == 13


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_no_output_format_carries_the_secret(capsys: Any, monkeypatch: Any, planted: Planted, fmt: str) -> None:
    ran = _validate(capsys, monkeypatch, planted, "--format", fmt, "--fail-on", "warning", "--verbose")
    assert ran.returncode == 1  # what was not followed is a warning
    assert SECRET not in ran.stdout + ran.stderr
    assert "outside the repository: not followed" in ran.stdout


def test_links_out_of_a_validated_folder_are_not_read(capsys: Any, monkeypatch: Any, planted: Planted) -> None:
    ran = _validate(capsys, monkeypatch, planted, "--format", "json")
    by_document = _by_document(json.loads(ran.stdout))
    for link in planted.links:
        said = by_document[f"repo/{link.name}"]
        if link.name == "pipe.json":
            assert [d["message"] for d in said] == ["is a FIFO (named pipe), not a regular file: not read"]
        else:
            assert [d["message"] for d in said] == ["outside the repository: not followed"], link.name
        assert [d["rule-id"] for d in said] == ["integrity-not-followed"]


def test_check_names_no_secret_for_any_hostile_href(capsys: Any, monkeypatch: Any, planted: Planted) -> None:
    for name in sorted(planted.hrefs):
        ran = run_main(capsys, monkeypatch, "check", str(planted.repo / f"{name}.json"), "--as-of", AS_OF,
                       "--format", "json")  # fmt: skip
        assert ran.returncode in (0, 1), (name, ran.stderr)
        assert SECRET not in ran.stdout + ran.stderr, name
        messages = [d["message"] for d in json.loads(ran.stdout)["diagnostics"] if d["rule-id"].startswith("integ")]
        assert _expected(planted, name) in messages, name


def test_a_root_that_holds_the_target_follows_it_and_still_quotes_nothing(
    capsys: Any, monkeypatch: Any, planted: Planted
) -> None:
    """With --root around both folders the traversal is followed: the file is not OSCAL, and not quoted."""
    ran = run_main(capsys, monkeypatch, "check", str(planted.repo / "traversal.json"), "--root",
                   str(planted.repo.parent), "--as-of", AS_OF, "--format", "json")  # fmt: skip
    assert SECRET not in ran.stdout + ran.stderr
    messages = [d["message"] for d in json.loads(ran.stdout)["diagnostics"]]
    assert "import-ssp href '../outside/secret.json' names a file that is not a readable OSCAL document" in messages
    ran = run_main(capsys, monkeypatch, "check", str(planted.repo / "absolute-ssp.json"), "--root",
                   str(planted.repo.parent), "--as-of", AS_OF, "--format", "sarif")  # fmt: skip
    assert SECRET not in ran.stdout + ran.stderr  # an absolute href is never followed, whatever the root


def test_the_default_roots_of_validate(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "poams").mkdir()
    (repo / "poams" / "poam.json").write_text("{}", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "doc.json").write_text("{}", encoding="utf-8")
    found = repository_roots([repo / "poams" / "poam.json", elsewhere / "doc.json", repo / "poams"])
    assert found == Boundary.of([repo, elsewhere, repo / "poams"])
    assert found.contains(os.path.realpath(repo / "poams" / "x.json"))
    assert not found.contains(os.path.realpath(tmp_path / "x.json"))
    assert not found.contains(os.path.realpath(tmp_path / "repository-not" / "x.json"))  # a prefix is no parent


@pytest.mark.parametrize(
    "href",
    ["/etc/passwd", "../x.json", "a/../../x.json", "%2e%2e/x.json", "file:///etc/passwd", "C:/x.json",
     "file://host/x.json", "a\\..\\..\\x.json", "x.json\x00", "%00"],
)  # fmt: skip
def test_locate_refuses_from_the_name_alone(tmp_path: Path, href: str) -> None:
    inside = tmp_path / "repo"
    inside.mkdir()
    target = Boundary.of([inside]).locate(href, inside)
    if href.startswith("a\\"):  # a backslash is part of a file name on POSIX: it stays inside
        assert target.path is not None and Boundary.of([inside]).contains(target.path)
    else:
        assert target.refused and target.path is None


SPECIAL_INPUTS = {
    "info": ["info", "{path}"],
    "check": ["check", "{path}"],
    "score": ["score", "{path}"],
    "closeout": ["closeout", "--poam", "{path}", "--results", "{path}"],
    "report": ["report", "--poam", "{path}", "-o", "{out}/r.html"],
    "import": ["import", "{path}", "-o", "{out}/p.json"],
    "import-mapping": ["import", "{csv}", "--mapping", "{path}", "-o", "{out}/p.json"],
    "export": ["export", "{path}", "-o", "{out}/p.xlsx"],
    "convert": ["convert", "{path}", "{out}/p.xml"],
    "derive": ["derive", "--ssp", "{path}", "--results", "{path}", "-o", "{out}/p.json"],
}


SPECIALS = {
    "fifo": "is a FIFO (named pipe), not a regular file: not read",
    "zero": "is a character device, not a regular file: not read",
    "urandom": "is a character device, not a regular file: not read",
    "sparse": "file is 3,221,225,472 bytes, over the limit of",
}


def test_special_and_huge_inputs_are_refused_at_once(tmp_path: Path) -> None:
    """A FIFO, /dev/zero, /dev/urandom and a 3 GiB sparse file, given to every command that reads a file."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    sparse = tmp_path / "sparse.json"
    with sparse.open("wb") as handle:
        handle.truncate(3 * 1024**3)  # 3 GiB of holes: nothing on disk, everything to a reader
    paths = {"fifo": fifo, "zero": Path("/dev/zero"), "urandom": Path("/dev/urandom"), "sparse": sparse}
    csv = tmp_path / "poam.csv"
    csv.write_text("POAM ID,Controls,Weakness Name\nV-1,AC.L2-3.1.1,x\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    cases = [(command, special) for command in sorted(SPECIAL_INPUTS) for special in sorted(SPECIALS)]
    commands = [[a.format(path=paths[s], out=out, csv=csv) for a in SPECIAL_INPUTS[c]] for c, s in cases]
    outcomes = run_many(commands, timeout=120, memory=1024**3)
    for (command, special), outcome in zip(cases, outcomes, strict=True):
        assert outcome.code == 3, (command, special, outcome.stderr)
        assert SPECIALS[special] in outcome.stderr, (command, special, outcome.stderr)
        assert "Traceback" not in outcome.stderr
    assert list(out.iterdir()) == []  # nothing written
    assert len(cases) == 40
