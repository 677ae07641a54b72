"""Messages that read as sentences: singulars and plurals, articles, no word said twice, no shouted words, and the
same words for the same count in every output.

Each case is one a reader met: `Not written: 1 error diagnostic stand`, `1 items`, `is not a inventory-item`,
`Assessment Assessment type not given`, a message ending in "UNVERIFIED", and a report counting "notes" where every
command counts "info".
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import oscal_poam.engine.ruleset  # noqa: F401  (registers every rule)
from oscal_poam import derive
from oscal_poam.cli.derive import withheld_because
from oscal_poam.diagnostics import Severity
from oscal_poam.io.boundary import reading_roots
from oscal_poam.rules.registry import RULES
from tests import builders
from tests.cli_runner import run_main
from tests.derive.conftest import EXAMPLES
from tests.nist_docs import IFA_AR, nist
from tests.rules.test_integrity import _lay_out, _run

CONDITIONAL = EXAMPLES / "l2-conditional"
ONE_POINT = builders.requirements_worth(1)[0]


def test_one_error_in_the_inputs_stands(tmp_path: Path) -> None:
    """`Not written: 1 error stands in the inputs`, never `1 error diagnostic stand`."""
    for name in ("ssp.json", "assessment-results.json"):
        shutil.copy(CONDITIONAL / name, tmp_path / name)
    result = derive(tmp_path / "ssp.json", tmp_path / "assessment-results.json", poam_path=tmp_path / "poam.json")
    assert withheld_because(result, force=False) is None
    (on_input,) = [d for d in result.diagnostics if d.rule_id == "integrity-import-ap"]
    one = dataclasses.replace(result, diagnostics=(dataclasses.replace(on_input, severity=Severity.ERROR),))
    assert withheld_because(one, force=False) == (
        "Not written: 1 error stands in the inputs (below); --force writes it anyway"
    )
    two = dataclasses.replace(one, diagnostics=one.diagnostics * 2)
    assert withheld_because(two, force=False) == (
        "Not written: 2 errors stand in the inputs (below); --force writes it anyway"
    )
    assert withheld_because(two, force=True) is None


def test_one_item_is_one_item(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    results = builders.save(builders.assessment_results(2, not_met=[ONE_POINT]), tmp_path / "results.json")
    ran = run_main(capsys, monkeypatch, "derive", "--ssp", str(CONDITIONAL / "ssp.json"), "--results", str(results),
                   "-o", str(tmp_path / "poam.json"), "--force")  # fmt: skip
    first = ran.stdout.splitlines()[0]
    assert first == f"Wrote {tmp_path / 'poam.json'}: 1 POA&M item.", ran.stdout


@pytest.mark.parametrize(("kind", "phrase"), [("inventory-item", "an inventory-item"), ("component", "a component")])
def test_a_subject_of_the_wrong_type_takes_its_article(kind: str, phrase: str, tmp_path: Path) -> None:
    with reading_roots([_lay_out(tmp_path)]):
        ar = nist(IFA_AR)
        subject = ar["assessment-results"]["results"][0]["observations"][0]["subjects"][0]
        subject.update({"subject-uuid": "e7730080-71ce-4b20-bec4-84f33136fd58", "type": kind})
        (found,) = _run(ar, tmp_path / "4-assess" / "ar.json")
    assert found.rule_id == "integrity-subject"
    assert f"(type {kind}) is not {phrase} of this document" in found.message


def test_an_assessment_without_a_type_says_so_once(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    results = builders.save(
        builders.assessment_results(2, not_met=[ONE_POINT], assessment_type=None), tmp_path / "results.json"
    )
    scored = run_main(capsys, monkeypatch, "score", str(results))
    assert scored.stdout.splitlines()[0] == f"{results}: Level 2 (type not given, initial)"
    poam = tmp_path / "poam.json"
    run_main(capsys, monkeypatch, "derive", "--ssp", str(CONDITIONAL / "ssp.json"), "--results", str(results),
             "-o", str(poam), "--force")  # fmt: skip
    for name in ("report.md", "report.html"):
        reported = run_main(capsys, monkeypatch, "report", "--poam", str(poam), "--results", str(results),
                            "-o", str(tmp_path / name))  # fmt: skip
        assert reported.returncode == 0, reported.stderr
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "type not given" in text
        assert not re.search(r"Assessment\W+Assessment", text)
    assert "| Level | 2, type not given |" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_partial_credit_messages_read_as_sentences(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    """One point is deducted (singular); no message ends in a word shouted in capitals."""
    results = builders.save(
        builders.assessment_results(2, not_met={ONE_POINT: "encryption-not-fips-validated", "SC.L2-3.13.11": "weird"}),
        tmp_path / "results.json",
    )
    ran = run_main(capsys, monkeypatch, "score", str(results), "-v", "--select", "results-partial-not-allowed")
    messages = [line for line in ran.stdout.splitlines() if " results-partial-not-allowed " in line]
    assert len(messages) == 2, ran.stdout
    one, other = sorted(messages, key=lambda m: "weird" in m)
    assert "so the full 1 point is deducted [" in one
    assert "the full 5 points are deducted, as 32 CFR 170.24(c)(2)(i)(B)(4) defines no value for any other" in other
    for line in messages:
        text = line.split(" results-partial-not-allowed ", 1)[1].split(" [", 1)[0]
        assert not re.search(r"\b[A-Z]{5,}\b", text.replace("NOT MET", "")), text


def test_one_requirement_not_assessed_is_singular(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    results = builders.save(builders.assessment_results(2, missing=["AC.L2-3.1.3"]), tmp_path / "results.json")
    ran = run_main(capsys, monkeypatch, "score", str(results), "--select", "eligibility-incomplete")
    assert "1 of 110 Level 2 requirements is not assessed (AC.L2-3.1.3)" in ran.stdout, ran.stdout


def test_the_report_counts_severities_as_every_command_does(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    """`0 errors, 17 warnings, 1 info` on the command line, in the Markdown summary and on the HTML page."""
    for name in ("ssp.json", "assessment-results.json"):
        shutil.copy(CONDITIONAL / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    derived = run_main(capsys, monkeypatch, "derive", "--ssp", "ssp.json", "--results", "assessment-results.json",
                       "-o", "poam.json", "--as-of", "2026-10-16")  # fmt: skip
    checked = run_main(capsys, monkeypatch, "check", "poam.json", "--ssp", "ssp.json",
                       "--results", "assessment-results.json", "--as-of", "2026-10-16")  # fmt: skip
    found = re.search(r"^(\d+ errors?, \d+ warnings?, \d+ info)$", checked.stdout, re.M)
    assert found is not None, derived.stdout + checked.stdout
    counts = found[1]
    run_main(capsys, monkeypatch, "report", "--poam", "poam.json", "--ssp", "ssp.json",
             "--results", "assessment-results.json", "--as-of", "2026-10-16", "-o", "report.md")  # fmt: skip
    run_main(capsys, monkeypatch, "report", "--poam", "poam.json", "--ssp", "ssp.json",
             "--results", "assessment-results.json", "--as-of", "2026-10-16", "-o", "report.html")  # fmt: skip
    assert f"| Diagnostics | {counts} |" in (tmp_path / "report.md").read_text(encoding="utf-8")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    errors, warnings, infos = (int(n) for n in re.findall(r"\d+", counts))
    card = re.search(r"<div class=\"n\">(\d+)</div><div class=\"what\">(errors?\b[^<]*)</div>", page)
    assert card is not None
    assert f"{card[1]} {card[2]}" == (
        f"{errors} error{'' if errors == 1 else 's'} ({warnings} warning{'' if warnings == 1 else 's'}, {infos} info)"
    )


def test_no_rule_summary_says_a_word_twice() -> None:
    """`Assessment Assessment`, `the the`: a word said twice in a row is a slip, in every rule's summary."""
    assert len(RULES) > 50
    for rule in RULES.values():
        assert not re.search(r"\b(\w+) \1\b", rule.summary, re.I), rule.id
