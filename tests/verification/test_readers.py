"""The readers of automated results, on the real tools' output and on hostile input: every bad file is refused with
a located error (exit 3), and nothing is written."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from oscal_poam.errors import LoadError, UsageError
from oscal_poam.verification.pointers import Pointer, Problem, parse, tool_key
from oscal_poam.verification.read import read_results
from tests.cli_runner import Runner, runner
from tests.verification import scenario

MIDNIGHT = dt.datetime(2027, 2, 10, tzinfo=dt.UTC)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    return runner(capsys, monkeypatch, "verify")


def test_prowler_ocsf_is_read_as_prowler_wrote_it() -> None:
    file = read_results(scenario.PROWLER)
    assert file.format == "prowler-ocsf"
    (run,) = file.runs
    assert run.label == "Prowler 5.46.0"
    kms = run.results[("prowler", "", "s3_bucket_kms_encryption")]
    assert sorted((r.resource, r.outcome) for r in kms) == [
        ("arn:aws:s3:::acme-cui-backups", "pass"),
        ("arn:aws:s3:::acme-cui-backups-dr", "fail"),
    ]
    assert {r.time for r in kms} == {dt.datetime(2027, 2, 10, 21, 30, tzinfo=dt.UTC)}
    # MANUAL decides nothing
    assert ("prowler", "", "account_maintain_current_contact_details") not in run.results


def test_checkov_sarif_is_read_as_checkov_wrote_it() -> None:
    file = read_results(scenario.CHECKOV, default_time=MIDNIGHT)
    assert file.format == "sarif"
    (run,) = file.runs
    assert run.label == "Checkov 3.3.30"
    assert run.failures_only and run.complete and run.scanned == MIDNIGHT
    (failure,) = run.results[("sarif", "checkov", "CKV_AWS_145")]
    assert (failure.resource, failure.outcome) == ("terraform/main.tf:22", "fail")
    assert ("sarif", "checkov", "CKV_AWS_145") in run.declared
    assert ("sarif", "checkov", "CKV_AWS_252") not in run.declared  # Checkov names only the rules that fail


def test_sarif_without_a_scan_time_needs_as_of(run: Runner, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"records no scan time.*--as-of"):
        read_results(scenario.CHECKOV)
    poam = scenario.write(tmp_path, scenario.maintained())
    before = poam.read_bytes()
    done = run("--poam", str(poam), str(scenario.CHECKOV))
    assert done.returncode == 2 and "--as-of" in done.stderr
    assert poam.read_bytes() == before


def test_sarif_invocations_give_the_scan_time_and_a_failed_run_is_no_evidence(tmp_path: Path) -> None:
    log = json.loads(scenario.CHECKOV.read_bytes())
    log["runs"][0]["invocations"] = [{"executionSuccessful": True, "endTimeUtc": "2027-02-11T08:00:00Z"}]
    path = tmp_path / "timed.sarif"
    path.write_text(json.dumps(log))
    (read,) = read_results(path).runs
    assert read.scanned == dt.datetime(2027, 2, 11, 8, tzinfo=dt.UTC) and read.complete
    log["runs"][0]["invocations"][0]["executionSuccessful"] = False
    path.write_text(json.dumps(log))
    assert not read_results(path).runs[0].complete


def test_sarif_pass_kind_absent_baseline_and_rule_index(tmp_path: Path) -> None:
    log = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "Semgrep OSS", "version": "1.0", "rules": [{"id": "r.one"}]}},
                "invocations": [{"executionSuccessful": True, "startTimeUtc": "2027-02-11T08:00:00Z"}],
                "results": [
                    {"ruleIndex": 0, "kind": "pass", "locations": [{"logicalLocations": [{"name": "svc"}]}]},
                    {"ruleId": "r.two", "baselineState": "absent"},
                    {"ruleId": "r.three", "kind": "review"},
                ],
            }
        ],
    }
    path = tmp_path / "semgrep.sarif"
    path.write_text(json.dumps(log))
    (read,) = read_results(path).runs
    assert {k: [(r.resource, r.outcome) for r in v] for k, v in read.results.items()} == {
        ("sarif", "semgrep-oss", "r.one"): [("svc", "pass")]
    }
    assert parse("sarif:Semgrep OSS/r.one") == Pointer("sarif", "r.one", "semgrep-oss")


def test_oscal_results_are_read_by_finding_target() -> None:
    file = read_results(scenario.NIST_RESULTS)
    assert file.format == "oscal"
    (run,) = file.runs
    (result,) = run.results[("oscal", "", "ac-6.1_obj")]
    assert result.outcome == "fail"
    assert result.resource == "component 551b9706-d6a4-4d25-8207-f2ccec548b89"
    assert result.time == dt.datetime.fromisoformat("2023-06-02T08:31:20-04:00")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("prowler:iam_root_mfa_enabled", Pointer("prowler", "iam_root_mfa_enabled")),
        (" Prowler : iam_root_mfa_enabled ", Pointer("prowler", "iam_root_mfa_enabled")),
        ("sarif:checkov/CKV_AWS_19", Pointer("sarif", "CKV_AWS_19", "checkov")),
        ("sarif:semgrep/python.lang/x", Pointer("sarif", "python.lang/x", "semgrep")),
        ("oscal:ac.l2-3.1.1_obj.a", Pointer("oscal", "ac.l2-3.1.1_obj.a")),
    ],
)
def test_pointers(value: str, expected: Pointer) -> None:
    assert parse(value) == expected
    assert parse(expected.text) == expected


@pytest.mark.parametrize(
    ("value", "unknown_tool"),
    [("steampipe:aws_s3_bucket", True), ("CKV_AWS_19", False), ("sarif:checkov", False), ("prowler:", False)],
)
def test_pointer_problems(value: str, unknown_tool: bool) -> None:
    found = parse(value)
    assert isinstance(found, Problem) and found.unknown_tool is unknown_tool


def test_tool_keys() -> None:
    assert tool_key("Semgrep OSS") == tool_key("semgrep_oss") == "semgrep-oss"


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


OCSF_NO_CHECK = [{"metadata": {"product": {"name": "Prowler"}}, "status_code": "PASS", "resources": []}]
OCSF_BAD_TIME = [
    {
        "metadata": {"event_code": "x", "product": {"name": "P"}},
        "status_code": "FAIL",
        "resources": [{"uid": "r"}],
        "time_dt": "yesterday",
    }
]
SARIF_NO_RULE = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": [{"kind": "fail"}]}]}

BAD = [
    ("empty.json", b"", "file is empty"),
    ("broken.json", b'[{"metadata": ', "invalid JSON"),
    ("latin1.json", b'[{"x": "\xe9"}]', "not UTF-8"),
    ("deep.json", b'[{"unmapped": ' + b"[" * 2000 + b"]" * 2000 + b"}]", "nested too deeply"),
    ("deep-sarif.json", b'{"runs": ' + b"[" * 2000 + b"]" * 2000 + b"}", "nested too deeply"),
    ("arrays.json", b"[[1], [2]]", "#/0: not Prowler's OCSF findings"),
    ("number.json", b"42", "not automated results"),
    ("other.json", b'{"hello": 1}', "not automated results"),
    ("sarif1.json", b'{"version": "1.0.0", "runs": []}', "only SARIF 2.1.0"),
    ("twice.sarif", b'{"version": "2.1.0", "runs": [], "runs": []}', "the key 'runs' appears twice"),
    ("ocsf.json", _json(OCSF_NO_CHECK), "#/0/metadata/event_code"),
    ("ocsf-time.json", _json(OCSF_BAD_TIME), "#/0/time_dt"),
    ("sarif-rule.json", _json(SARIF_NO_RULE), "#/runs/0/results/0/ruleId"),
    ("oscal.json", b'{"assessment-results": {"uuid": "x"}}', "assessment-results"),
    ("oscal.xml", b'<!DOCTYPE x [<!ENTITY a "b">]><assessment-results/>', "DOCTYPE"),
]


@pytest.mark.parametrize(("name", "content", "said"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_located_and_nothing_is_written(
    name: str, content: bytes, said: str, run: Runner, tmp_path: Path
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(LoadError) as raised:
        read_results(bad, default_time=MIDNIGHT)
    assert said in str(raised.value)
    assert all(p.file == str(bad) for p in raised.value.problems)
    poam = scenario.write(tmp_path, scenario.maintained())
    before = poam.read_bytes()
    done = run("--poam", str(poam), str(scenario.PROWLER), str(bad), "--as-of", scenario.AS_OF)
    assert done.returncode == 3, done.stdout + done.stderr
    assert str(bad) in done.stderr and "Traceback" not in done.stderr
    assert poam.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "poam.json"])  # no temporary file left


def test_a_file_over_the_cap_is_refused_before_it_is_read(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OSCAL_POAM_MAX_BYTES", "1000")
    with pytest.raises(LoadError, match="over the limit of 1,000 bytes"):
        read_results(scenario.PROWLER)


def test_special_files_are_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "results.fifo"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="not a regular file"):
        read_results(fifo)
    with pytest.raises(LoadError, match="directory"):
        read_results(tmp_path)


def test_a_results_file_cannot_be_the_output(run: Runner, tmp_path: Path) -> None:
    poam = scenario.write(tmp_path, scenario.maintained())
    copy = tmp_path / "prowler.json"
    copy.write_bytes(scenario.PROWLER.read_bytes())
    done = run("--poam", str(poam), str(copy), "-o", str(copy))
    assert done.returncode == 2 and "would overwrite" in done.stderr
    assert copy.read_bytes() == scenario.PROWLER.read_bytes()


def test_the_poam_to_standard_output_leaves_json_no_room(run: Runner, tmp_path: Path) -> None:
    poam = scenario.write(tmp_path, scenario.maintained())
    done = run("--poam", str(poam), str(scenario.PROWLER), "-o", "-", "--format", "json")
    assert done.returncode == 2 and "--format json needs -o" in done.stderr
    written = run("--poam", str(poam), str(scenario.PROWLER), "-o", "-")
    assert written.returncode == 0
    assert json.loads(written.stdout)["plan-of-action-and-milestones"]["observations"]  # the POA&M alone
    assert "items changed" in written.stderr
