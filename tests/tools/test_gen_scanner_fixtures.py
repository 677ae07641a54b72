"""The example's scanner outputs are what the real scanners write: Prowler and Checkov, each in its own environment,
make them again and the committed files must match (after normalising what the tools make different on every run).

Where the scanners are not installed the regeneration test is skipped, the reason saying how to install them. CI needs
it: `.ci/run` installs them (`python tools/gen_scanner_fixtures.py --install-only`) and sets
OSCAL_POAM_REQUIRE_SCANNERS=1, which turns that skip into a failure.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tools import gen_scanner_fixtures as gen
from tools.gen_scanner_fixtures import CACHE_ENV, NO_SCANNERS, REQUIRE_ENV


@pytest.fixture(scope="module")
def scanners() -> None:
    if gen.missing():
        if gen.required():
            pytest.fail(f"{NO_SCANNERS} ({REQUIRE_ENV} is set)")
        pytest.skip(NO_SCANNERS)


def test_the_real_scanners_make_the_committed_outputs(scanners: None) -> None:
    generated = gen.generate()
    assert sorted(generated) == [
        "catalogs/mappings/prowler-nist-800-171-rev2-aws.json",
        "examples/l2-conditional/scans/checkov.sarif",
        "examples/l2-conditional/scans/prowler-output.ocsf.json",
        "examples/l2-conditional/scans/scanners.json",
    ]
    assert gen.differences(generated) == []
    prowler = json.loads(generated["examples/l2-conditional/scans/prowler-output.ocsf.json"])
    assert {f["metadata"]["product"]["version"] for f in prowler} == {gen.PROWLER.version}
    checkov = json.loads(generated["examples/l2-conditional/scans/checkov.sarif"])
    assert checkov["runs"][0]["tool"]["driver"]["version"] == gen.CHECKOV.version


def test_only_the_scan_id_and_checkovs_order_are_normalised() -> None:
    relative = "examples/l2-conditional/scans/prowler-output.ocsf.json"
    committed = (ROOT / relative).read_bytes()
    findings = json.loads(committed)
    findings[0]["unmapped"]["scan_id"] = "01900000-0000-7000-8000-000000000000"
    assert gen.normalised(relative, json.dumps(findings).encode()) == gen.normalised(relative, committed)
    findings[0]["status_code"] = "PASS" if findings[0]["status_code"] == "FAIL" else "FAIL"
    assert gen.normalised(relative, json.dumps(findings).encode()) != gen.normalised(relative, committed)

    relative = "examples/l2-conditional/scans/checkov.sarif"
    log = json.loads((ROOT / relative).read_bytes())
    shuffled = json.loads(json.dumps(log))
    run = shuffled["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    run["tool"]["driver"]["rules"] = rules[::-1]
    for result in run["results"]:
        result["ruleIndex"] = len(rules) - 1 - result["ruleIndex"]
    run["results"] = run["results"][::-1]
    assert gen.normalised(relative, json.dumps(shuffled).encode()) == gen.normalised(relative, json.dumps(log).encode())
    run["results"] = run["results"][1:]
    assert gen.normalised(relative, json.dumps(shuffled).encode()) != gen.normalised(relative, json.dumps(log).encode())


def test_the_scanners_install_outside_the_repository() -> None:
    for scanner in gen.SCANNERS:
        assert not scanner.folder.resolve().is_relative_to(ROOT)
        assert scanner.pin == f"{scanner.package}=={scanner.version}"
    manifest = json.loads((gen.SCANS / gen.MANIFEST).read_bytes())
    assert manifest["scanners"] == {s.name: {"package": s.package, "version": s.version} for s in gen.SCANNERS}


def _run_scanner_tests(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in (CACHE_ENV, REQUIRE_ENV)}
    environ[CACHE_ENV] = str(tmp_path / "no-scanners")
    environ["COLUMNS"] = "400"
    environ.update(env)
    test = "tests/tools/test_gen_scanner_fixtures.py::test_the_real_scanners_make_the_committed_outputs"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", test],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_the_scanners_the_test_skips_with_the_install_hint(tmp_path: Path) -> None:
    done = _run_scanner_tests(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^1 skipped in ", done.stdout.splitlines()[-1]), done.stdout
    assert NO_SCANNERS in done.stdout


def test_when_the_scanners_are_required_their_absence_fails(tmp_path: Path) -> None:
    done = _run_scanner_tests(tmp_path, **{REQUIRE_ENV: "1"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"^1 error in ", done.stdout.splitlines()[-1]), done.stdout
    assert NO_SCANNERS in done.stdout


def test_the_generator_says_what_is_missing_and_skips_unless_required(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "none"))
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    assert gen.main(["--check"]) == 0
    assert NO_SCANNERS in capsys.readouterr().err
    monkeypatch.setenv(REQUIRE_ENV, "1")
    assert gen.main(["--check"]) == 1
