"""The rules over verification pointers and evidence, as `check` and the report show them; derive's pointers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from oscal_poam.cmmc import vocab
from oscal_poam.engine.api import check
from oscal_poam.io.write import write
from oscal_poam.report import render_html, render_markdown, report
from oscal_poam.verification.api import verify
from oscal_poam.verification.mapping import prowler_checks, prowler_mapping
from tests.cli_runner import Runner, runner
from tests.conftest import ROOT
from tests.verification import scenario

DAY = dt.date.fromisoformat(scenario.AS_OF)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    return runner(capsys, monkeypatch, "check")


def _verified(tmp_path: Path) -> Path:
    poam = scenario.write(tmp_path, scenario.maintained())
    write(verify(poam, [scenario.PROWLER, scenario.CHECKOV], as_of=DAY, output=poam).poam, poam)
    return poam


def test_a_pointer_naming_an_unknown_tool_is_an_error_and_a_malformed_one_too(tmp_path: Path) -> None:
    data = scenario.poam({"AU.L2-3.3.4": ["steampipe:aws_guardduty_detector", "guardduty_is_enabled"]})
    poam = scenario.write(tmp_path, data)
    found = {
        (d.rule_id, d.severity.value, d.subject) for d in check(poam, as_of=DAY, select=["verification"]).diagnostics
    }
    assert found == {
        ("verification-check-unknown-tool", "error", "AU.L2-3.3.4"),
        ("verification-check-malformed", "error", "AU.L2-3.3.4"),
    }
    evaluation = check(poam, as_of=DAY)
    pointed = [d for d in evaluation.diagnostics if d.rule_id == "verification-check-unknown-tool"]
    assert pointed[0].pointer.endswith("/value") and "/tasks/" in pointed[0].pointer
    assert "steampipe" in pointed[0].message


def test_an_item_with_no_verification_method_stays_a_warning(tmp_path: Path) -> None:
    data = scenario.maintained()
    body = data["plan-of-action-and-milestones"]
    item = scenario.items_by_label(body)["AC.L2-3.1.10"]
    task = scenario.verification_task(body, item)
    task["description"] = "TBD"
    task.pop("links", None)
    poam = scenario.write(tmp_path, data)
    evaluation = check(poam, as_of=DAY)
    about = [(d.rule_id, d.severity.value) for d in evaluation.diagnostics if d.subject == "AC.L2-3.1.10"]
    assert ("credibility-verification", "warning") in about
    assert not [r for r, s in about if s == "error"]
    assert evaluation.verification is not None
    assert evaluation.verification.of("AC.L2-3.1.10").state == "no-check"  # type: ignore[union-attr]


def test_evidence_older_than_the_last_change_or_n_days_is_stale(tmp_path: Path) -> None:
    poam = _verified(tmp_path)
    assert not [d for d in check(poam, as_of=DAY).diagnostics if d.rule_id == "verification-evidence-stale"]
    later = check(poam, as_of=dt.date(2027, 3, 20))  # 38 days after the scan
    stale = sorted(d.subject for d in later.diagnostics if d.rule_id == "verification-evidence-stale")
    assert stale == ["AU.L2-3.3.4", "CM.L2-3.4.9", "SC.L2-3.13.11"]
    relaxed = check(poam, as_of=dt.date(2027, 3, 20), evidence_days=60)
    assert not [d for d in relaxed.diagnostics if d.rule_id == "verification-evidence-stale"]
    # a person changes the item after the scan: its evidence no longer shows the item as it is
    data = json.loads(poam.read_bytes())
    body = data["plan-of-action-and-milestones"]
    risk = scenario.risk_of(body, scenario.items_by_label(body)["CM.L2-3.4.9"])
    entry = {"uuid": "0d9f8b3e-7c55-4f0b-9a3e-2f7f1d0c9b11", "title": "Agent replaced"}
    risk["risk-log"]["entries"].append({**entry, "start": "2027-02-12T09:00:00-05:00"})
    poam.write_text(json.dumps(data))
    changed = check(poam, as_of=dt.date(2027, 2, 12))
    stale = [d for d in changed.diagnostics if d.rule_id == "verification-evidence-stale"]
    assert [d.subject for d in stale] == ["CM.L2-3.4.9"]
    assert "before the item's last change on 2027-02-12" in stale[0].message
    assert changed.verification is not None
    assert [i.subject for i in changed.verification.ready] == ["AU.L2-3.3.4"]  # stale evidence is not ready


def test_verifys_risk_log_entries_are_not_the_status_date(tmp_path: Path) -> None:
    poam = _verified(tmp_path)
    evaluation = check(poam, as_of=dt.date(2027, 3, 20))
    stale_status = {d.subject for d in evaluation.diagnostics if d.rule_id == "credibility-status-stale"}
    assert stale_status == {"AC.L2-3.1.10", "AU.L2-3.3.4", "CM.L2-3.4.9", "SC.L2-3.13.11"}  # 10 Feb + 38 days


def test_check_prints_the_closeout_ready_summary(run: Runner, tmp_path: Path) -> None:
    poam = _verified(tmp_path)
    done = run(str(poam), "--as-of", scenario.AS_OF)
    assert (
        "Verification: ready for closeout evidence review: AU.L2-3.3.4, CM.L2-3.4.9; failing: SC.L2-3.13.11; "
        "regressed: none; not run: none; stale: none; no automated check: AC.L2-3.1.10"
    ) in done.stdout


def test_the_report_shows_the_verification(tmp_path: Path) -> None:
    poam = _verified(tmp_path)
    data = report(poam, as_of=DAY)
    assert data.verification is not None
    html = render_html(data)
    assert '<section id="verification">' in html and "arn:aws:s3:::acme-cui-backups-dr" in html
    markdown = render_markdown(data)
    assert "ready for closeout evidence review: AU.L2-3.3.4, CM.L2-3.4.9; failing: SC.L2-3.13.11" in markdown
    plain = report(ROOT / "examples" / "l3-conditional" / "poam.json", as_of=DAY)
    assert plain.verification is None  # no automated check anywhere: no section


def test_derive_writes_the_prowler_checks_of_the_mapping_as_pointers() -> None:
    data = json.loads((ROOT / "examples" / "l2-conditional" / "poam.json").read_bytes())
    body = data["plan-of-action-and-milestones"]
    for label, item in scenario.items_by_label(body).items():
        task = scenario.verification_task(body, item)
        written = [p["value"] for p in task["props"] if p["name"] == vocab.VERIFICATION_CHECK]
        assert written == [f"prowler:{c}" for c in prowler_checks(label)]
    assert prowler_checks("SC.L2-3.13.11")[:1] == ("acm_certificates_expiration_check",)
    assert prowler_checks("AC.L2-3.1.10") == ()


def test_the_mapping_carries_its_source_and_licence() -> None:
    mapping = prowler_mapping()
    assert mapping.source["licence"] == "Apache-2.0"
    assert mapping.source["package"] == "prowler==5.46.0"
    assert len(mapping.checks) == 49  # Prowler maps 50 requirements; one has no check
    assert "iam_root_mfa_enabled" in mapping.for_requirement("AC.L2-3.1.1")
