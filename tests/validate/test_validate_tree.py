"""`validate` over a repository of intact, broken and non-OSCAL files gives exactly the expected diagnostics."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oscal_poam.cli.app import app
from oscal_poam.render.formats import render
from oscal_poam.validate.run import ValidationReport, validate_paths
from tests.sarif_structure import problems
from tests.validate import tree


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tree.build(tmp_path_factory.mktemp("repo"))


@pytest.fixture(scope="module")
def serial(repo: Path) -> ValidationReport:
    return validate_paths([repo], jobs=1, as_of=tree.AS_OF)


@pytest.fixture(scope="module")
def parallel(repo: Path) -> ValidationReport:
    return validate_paths([repo], jobs=2, as_of=tree.AS_OF)


def _pairs(report: ValidationReport, root: Path) -> set[tuple[str, str]]:
    return {(Path(d.document).relative_to(root).as_posix(), d.rule_id) for d in report.diagnostics}


def test_every_candidate_file_is_checked_once_in_path_order(serial: ValidationReport, repo: Path) -> None:
    checked = [Path(f.path).relative_to(repo).as_posix() for f in serial.files]
    assert sorted(checked) == tree.CANDIDATES
    assert checked == sorted(checked, key=lambda p: Path(p).parts)


def test_the_tree_gives_exactly_the_expected_diagnostics(serial: ValidationReport, repo: Path) -> None:
    assert _pairs(serial, repo) == tree.EXPECTED


def test_each_broken_document_breaks_exactly_one_place(serial: ValidationReport, repo: Path) -> None:
    unchecked = "reference-import-unreachable"  # said of documents whose catalog is out of reach, broken or not
    per_file = Counter(
        Path(d.document).relative_to(repo).as_posix() for d in serial.diagnostics if d.rule_id != unchecked
    )
    for name in tree.BROKEN:
        assert per_file[name] == 1, name


def test_intact_documents_are_clean_and_recognised(serial: ValidationReport, repo: Path) -> None:
    by_name = {Path(f.path).relative_to(repo).as_posix(): f for f in serial.files}
    for name in [*tree.COPIED, *tree.INTACT_BUILT]:
        found = [d for d in by_name[name].diagnostics if d.rule_id != "reference-import-unreachable"]
        assert found == [], name
        assert bool(by_name[name].diagnostics) == (name in tree.UNCHECKED_IDS), name
        assert by_name[name].model is not None


def test_every_diagnostic_has_a_line(serial: ValidationReport) -> None:
    """Files that are not OSCAL too: the top level that is not an OSCAL root is placed where it starts."""
    for d in serial.diagnostics:
        assert d.line is not None, d


def test_json_diagnostics_carry_the_line_of_the_broken_place(serial: ValidationReport, repo: Path) -> None:
    located = [d for d in serial.diagnostics if d.document.endswith(".json") and d.rule_id.startswith("integrity-")]
    assert len(located) == sum(1 for n, (_, r) in tree.BROKEN.items() if n.endswith(".json") and "integrity" in r)
    for d in located:
        assert d.line is not None
        text = Path(d.document).read_text(encoding="utf-8").splitlines()[d.line - 1]
        assert d.subject in text, (d.document, d.line, text)


def test_what_a_document_finds_in_its_import_is_reported_once_on_the_import(
    serial: ValidationReport, repo: Path
) -> None:
    by_name = {Path(f.path).relative_to(repo).as_posix(): f for f in serial.files}
    for name, (_, imported) in tree.IMPORTING.items():
        found = by_name[name].diagnostics
        assert found, name
        assert {Path(d.document).relative_to(repo).as_posix() for d in found} == {imported}
        own = by_name[imported].diagnostics
        assert set(found) <= set(own)  # the same diagnostics, lines included, so the report has each once


def test_yaml_and_xml_diagnostics_carry_the_line_of_the_broken_place(serial: ValidationReport, repo: Path) -> None:
    located = {
        Path(d.document).relative_to(repo).as_posix(): d
        for d in serial.diagnostics
        if Path(d.document).suffix in (".yaml", ".xml") and d.rule_id.startswith("integrity-")
    }
    assert set(located) == {
        n for n, (_, rule_id) in tree.BROKEN.items() if Path(n).suffix in (".yaml", ".xml") and "integrity" in rule_id
    }
    for name, d in located.items():
        assert d.line is not None, name
        text = (repo / name).read_text(encoding="utf-8").splitlines()[d.line - 1]
        assert d.subject and d.subject.lstrip("#") in text, (name, d.line, text)


def test_cmmc_diagnostics_carry_the_file_and_line(serial: ValidationReport, repo: Path) -> None:
    name = "cmmc/broken-poam-no-root-cause.yaml"
    (d,) = [d for d in serial.diagnostics if d.document.endswith(name)]
    assert d.document == (repo / name).as_posix()
    assert d.pointer.startswith("/plan-of-action-and-milestones/poam-items/1")
    text = (repo / name).read_text(encoding="utf-8").splitlines()
    assert d.line is not None
    assert text[d.line - 1].lstrip(" -").startswith(("props:", "name:", "uuid:", "title:"))


def test_the_date_rules_use_as_of(repo: Path) -> None:
    late = validate_paths([repo / "cmmc" / "poam.json"], jobs=1, as_of=dt.date(2026, 12, 1))
    assert any(d.severity == "error" for d in late.diagnostics)


def test_json_diagnostics_carry_the_pointer(serial: ValidationReport, repo: Path) -> None:
    d = next(d for d in serial.diagnostics if d.document.endswith("broken-related-risk.json"))
    assert d.pointer == "/assessment-results/results/0/findings/0/related-risks/0/risk-uuid"
    assert d.subject == tree.UNKNOWN


def test_one_and_two_jobs_give_the_same_output(serial: ValidationReport, parallel: ValidationReport) -> None:
    assert parallel.files == serial.files
    for fmt in ("text", "json", "sarif"):
        assert render(parallel.diagnostics, fmt) == render(serial.diagnostics, fmt)


def test_excluded_paths_are_not_checked(repo: Path) -> None:
    report = validate_paths(
        [repo], jobs=1, as_of=tree.AS_OF, excludes=["drafts/", "ssp/broken-*", "!ssp/broken-party.json"]
    )
    names = {Path(f.path).relative_to(repo).as_posix() for f in report.files}
    assert "drafts/draft.json" not in names
    assert "ssp/broken-party.json" in names
    assert not any(n.startswith("ssp/broken-") and n != "ssp/broken-party.json" for n in names)
    assert "ssp/ssp-example.json" in names


def test_the_sarif_log_has_the_required_structure(
    serial: ValidationReport, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    report = validate_paths(["."], jobs=1, as_of=tree.AS_OF)
    log = json.loads(render(report.diagnostics, "sarif"))
    assert problems(log) == []
    results = log["runs"][0]["results"]
    assert len(results) == len(serial.diagnostics)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert set(rules) == {rule_id for _, rule_id in tree.EXPECTED}
    for rule in rules.values():
        assert rule["help"]["text"]
        assert rule["properties"]["citation"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {name for name, _ in tree.EXPECTED}
    yaml_lines = [
        r
        for r in results
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith((".yaml", ".xml"))
        and r["ruleId"].startswith("integrity-")
    ]
    assert yaml_lines and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in yaml_lines)


runner = CliRunner()
AS_OF = tree.AS_OF.isoformat()


def test_verbose_text_output_is_one_line_per_diagnostic_then_the_counts(repo: Path, serial: ValidationReport) -> None:
    """`--verbose`: every diagnostic in the location style, `path:line:column: severity rule-id message`, in
    document order (by file, then line and column), then the counts."""
    result = runner.invoke(app, ["validate", "--as-of", AS_OF, str(repo), "--jobs", "1", "--verbose"])
    lines = result.output.splitlines()
    assert len(lines) == len(serial.diagnostics) + 1
    shape = re.compile(
        r"^(?P<path>[^:#]+)(?::(?P<line>\d+)(?::(?P<column>\d+))?)?: "
        r"(?P<sev>error|warning|info) (?P<rule>[a-z0-9-]+) .+"
    )
    places: list[tuple[str, int, int]] = []
    for line in lines[:-1]:
        found = shape.match(line)
        assert found, line
        places.append((found["path"], int(found["line"] or 0), int(found["column"] or 0)))
    for (path, at, column), (after, later, later_column) in itertools.pairwise(places):
        assert path < after or (path == after and (at, column) <= (later, later_column)), (path, at, later)
    counts = Counter(d.severity.value for d in serial.diagnostics)
    assert counts["warning"] >= 1
    assert lines[-1] == (
        f"{len(serial.files)} files checked, {serial.oscal_files} OSCAL: "
        f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info"
    )


def test_default_text_output_shows_the_errors_and_counts_the_rest_by_rule(repo: Path, serial: ValidationReport) -> None:
    result = runner.invoke(app, ["validate", "--as-of", AS_OF, str(repo), "--jobs", "1"])
    lines = result.output.splitlines()
    errors = [d for d in serial.diagnostics if d.severity.value == "error"]
    rest = Counter(d.rule_id for d in serial.diagnostics if d.severity.value != "error")
    assert len([x for x in lines if re.search(r": error [a-z]", x)]) == len(errors)
    assert "By rule (--verbose lists each one with its place):" in lines
    for rule_id, count in rest.items():
        assert any(re.match(rf"^\s+{count} (warning|info)\s+{rule_id}: ", x) for x in lines), rule_id
    assert len(lines) == len(errors) + 1 + len(rest) + 1
    quiet = runner.invoke(app, ["validate", "--as-of", AS_OF, str(repo), "--jobs", "1", "-q"]).output.splitlines()
    assert quiet == [lines[-1]]


def test_exit_code_follows_fail_on(repo: Path) -> None:
    assert runner.invoke(app, ["validate", "--as-of", AS_OF, str(repo), "-j", "1"]).exit_code == 1
    clean = [str(repo / name) for name in ["4-assess/ar.json", "catalog/basic-catalog.xml", "other/package.json"]]
    assert runner.invoke(app, ["validate", "--as-of", AS_OF, *clean]).exit_code == 0  # an info does not fail the run
    assert runner.invoke(app, ["validate", "--as-of", AS_OF, *clean, "--fail-on", "warning"]).exit_code == 0
    warned = str(repo / "cmmc" / "broken-poam-no-root-cause.yaml")
    assert runner.invoke(app, ["validate", "--as-of", AS_OF, warned]).exit_code == 0
    assert runner.invoke(app, ["validate", "--as-of", AS_OF, warned, "--fail-on", "warning"]).exit_code == 1
    broken = str(repo / "ssp" / "broken-party.json")
    assert runner.invoke(app, ["validate", "--as-of", AS_OF, broken, "--fail-on", "warning"]).exit_code == 1


def test_json_and_sarif_go_to_stdout_or_to_a_file(repo: Path, tmp_path: Path) -> None:
    target = str(repo / "ssp" / "broken-party.json")
    root = ["--root", str(repo)]  # where its profile is (select/, beside ssp/)
    printed = runner.invoke(app, ["validate", "--as-of", AS_OF, *root, target, "--format", "json"])
    payload = json.loads(printed.stdout)
    assert [d["rule-id"] for d in payload["diagnostics"]] == ["oscal-index-metadata-party-uuid"]
    assert payload["counts"] == {"error": 1, "warning": 0, "info": 0}
    out = tmp_path / "report.sarif"
    written = runner.invoke(
        app, ["validate", "--as-of", AS_OF, *root, target, "--format", "sarif", "--output", str(out)]
    )
    assert written.exit_code == 1
    assert written.stdout == ""
    assert (
        json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"][0]["ruleId"]
        == "oscal-index-metadata-party-uuid"
    )


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "oscal_poam.cli.app", "validate", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "nope" in result.stderr
