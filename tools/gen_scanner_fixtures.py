"""The scanner outputs of the worked example and Prowler's SP 800-171 mapping, made by the real tools.

    python tools/gen_scanner_fixtures.py --install   # set up each scanner's own virtual environment (once)
    python tools/gen_scanner_fixtures.py             # write the outputs the scanners make
    python tools/gen_scanner_fixtures.py --check     # write nothing; exit 1 when a committed output is not what
                                                     # the scanners make now

Each scanner runs in a virtual environment of its own, outside the repository, under OSCAL_POAM_SCANNER_CACHE
(default: `$XDG_CACHE_HOME/oscal-poam/scanners`, else `~/.cache/oscal-poam/scanners`), at the version pinned in
SCANNERS; `--install` creates what is missing (Prowler takes several minutes, Checkov under one). What it writes:

- `examples/l2-conditional/scans/prowler-output.ocsf.json`: Prowler's OCSF JSON for the Acme CUI Enclave's AWS
  account on 10 February 2027, written by Prowler's own `Finding` model and `OCSF` output class from the findings in
  PROWLER_FINDINGS (no cloud credentials: the findings are constructed, the bytes are Prowler's);
- `examples/l2-conditional/scans/checkov.sarif`: Checkov's SARIF for `scans/terraform/` (the enclave's Terraform),
  as `checkov -d terraform -o sarif` writes it;
- `examples/l2-conditional/scans/scanners.json`: the scanners, their versions and the commands that made the files;
- `catalogs/mappings/prowler-nist-800-171-rev2-aws.json`: Prowler's NIST SP 800-171 Rev. 2 mapping for AWS
  (`prowler/compliance/aws/nist_800_171_revision_2_aws.json` of that release), each requirement written as its CMMC
  id (`3_1_1` is AC.L2-3.1.1), with its source and Apache-2.0 notice.

`--check` makes everything again and compares it with the committed files, after normalising only what the tools
make different on every run: the `scan_id` Prowler draws for each scan (a UUIDv7 with random bits, in
`unmapped.scan_id`), and the order in which Checkov, which runs its checks in parallel, lists rules and results
(with the `ruleIndex` that follows from that order).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCANS = ROOT / "examples" / "l2-conditional" / "scans"
MAPPING = ROOT / "catalogs" / "mappings" / "prowler-nist-800-171-rev2-aws.json"
CACHE_ENV = "OSCAL_POAM_SCANNER_CACHE"
REQUIRE_ENV = "OSCAL_POAM_REQUIRE_SCANNERS"
"""Set to 1 (CI does), missing scanners fail the test that regenerates the outputs instead of skipping it."""

PROWLER_OUTPUT = "prowler-output.ocsf.json"
CHECKOV_OUTPUT = "checkov.sarif"
MANIFEST = "scanners.json"
PROWLER_MAPPING_FILE = "compliance/aws/nist_800_171_revision_2_aws.json"


@dataclass(frozen=True)
class Scanner:
    name: str
    package: str
    version: str

    @property
    def folder(self) -> Path:
        return cache_dir() / f"{self.name}-{self.version}"

    @property
    def python(self) -> Path:
        return self.folder / "bin" / "python"

    @property
    def marker(self) -> Path:
        return self.folder / "oscal-poam-installed"

    @property
    def installed(self) -> bool:
        return self.python.is_file() and self.marker.is_file() and self.marker.read_text().strip() == self.pin

    @property
    def pin(self) -> str:
        return f"{self.package}=={self.version}"


PROWLER = Scanner("prowler", "prowler", "5.46.0")
CHECKOV = Scanner("checkov", "checkov", "3.3.30")
SCANNERS = (PROWLER, CHECKOV)

NO_SCANNERS = "the scanners are not installed: run `python tools/gen_scanner_fixtures.py --install`"

ACCOUNT = {"uid": "123456789012", "name": "acme-cui-enclave"}
SCANNED = "2027-02-10T21:30:00+00:00"
_INSTANCES = (
    ("i-0a4c1f7e2b9d30101", "acme-file-server"),
    ("i-0a4c1f7e2b9d30102", "acme-jump-host"),
    ("i-0a4c1f7e2b9d30103", "acme-backup-proxy"),
)


def _finding(check: str, status: str, region: str, uid: str, name: str, message: str) -> dict[str, str]:
    return {
        "check": check,
        "status": status,
        "region": region,
        "resource_uid": uid,
        "resource_name": name,
        "status_extended": message,
    }


def _arn(service: str, region: str, path: str) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT['uid']}:{path}"


PROWLER_FINDINGS = (
    # AU.L2-3.3.4 Audit Failure Alerting: GuardDuty and Security Hub route alerts to the monitored queue.
    *(
        _finding(
            "guardduty_is_enabled",
            "PASS",
            region,
            _arn("guardduty", region, f"detector/{detector}"),
            detector,
            f"GuardDuty detector {detector} enabled.",
        )
        for region, detector in (("us-east-1", "4ec7a1d2b3"), ("us-east-2", "9d02c6e1f4"))
    ),
    _finding(
        "securityhub_enabled",
        "PASS",
        "us-east-1",
        _arn("securityhub", "us-east-1", "hub/default"),
        "default",
        "Security Hub is enabled with standards: nist-800-171/v/2.0.0.",
    ),
    # CM.L2-3.4.9 User-Installed Software: the enclave's instances are managed and patched through Systems Manager.
    *(
        _finding(
            check, "PASS", "us-east-1", _arn("ec2", "us-east-1", f"instance/{instance}"), instance, message % instance
        )
        for check, message in (
            ("ec2_instance_managed_by_ssm", "EC2 Instance %s is managed by Systems Manager."),
            ("ssm_managed_compliant_patching", "EC2 managed instance %s is compliant."),
        )
        for instance, _ in _INSTANCES
    ),
    # SC.L2-3.13.11 CUI Encryption: the backup bucket uses the KMS key, its disaster-recovery copy does not yet.
    _finding(
        "s3_bucket_kms_encryption",
        "PASS",
        "us-east-1",
        "arn:aws:s3:::acme-cui-backups",
        "acme-cui-backups",
        "S3 Bucket acme-cui-backups has Server Side Encryption with aws:kms.",
    ),
    _finding(
        "s3_bucket_kms_encryption",
        "FAIL",
        "us-east-2",
        "arn:aws:s3:::acme-cui-backups-dr",
        "acme-cui-backups-dr",
        "Server Side Encryption is not configured with kms for S3 Bucket acme-cui-backups-dr.",
    ),
    # Checks no POA&M item points at.
    _finding(
        "cloudtrail_multi_region_enabled",
        "PASS",
        "us-east-1",
        _arn("cloudtrail", "us-east-1", "trail/acme-audit"),
        "acme-audit",
        "Trail acme-audit is multiregion and it is logging.",
    ),
    _finding(
        "iam_root_mfa_enabled",
        "PASS",
        "us-east-1",
        f"arn:aws:iam::{ACCOUNT['uid']}:root",
        "<root_account>",
        "MFA is enabled for root account.",
    ),
    _finding(
        "account_maintain_current_contact_details",
        "MANUAL",
        "us-east-1",
        f"arn:aws:iam::{ACCOUNT['uid']}:root",
        ACCOUNT["uid"],
        "Login to the AWS Console. Choose your account name on the top right of the window -> My Account -> "
        "Contact Information.",
    ),
)

CHECKOV_COMMAND = (
    "checkov",
    "-d",
    "terraform",
    "--framework",
    "terraform",
    "-o",
    "sarif",
    "--output-file-path",
    "out",
    "--quiet",
    "--compact",
    "--skip-download",
)


def cache_dir() -> Path:
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "oscal-poam" / "scanners"


def missing() -> list[Scanner]:
    return [s for s in SCANNERS if not s.installed]


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def install(scanners: Sequence[Scanner] = SCANNERS) -> None:
    """Create each scanner's virtual environment and install its pinned release there; installed ones are kept."""
    for scanner in scanners:
        if scanner.installed:
            print(f"{scanner.pin}: installed in {scanner.folder}", flush=True)
            continue
        print(f"{scanner.pin}: installing in {scanner.folder} ...", flush=True)
        if scanner.folder.exists():
            shutil.rmtree(scanner.folder)
        scanner.folder.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(scanner.folder)], check=True)
        subprocess.run(
            [str(scanner.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", scanner.pin],
            check=True,
        )
        scanner.marker.write_text(scanner.pin + "\n")


def generate() -> dict[str, bytes]:
    """Every output, by its path relative to the repository root, as the scanners write it now."""
    missed = missing()
    if missed:
        raise SystemExit(f"{', '.join(s.pin for s in missed)}: {NO_SCANNERS}")
    with tempfile.TemporaryDirectory(prefix="oscal-poam-scanners-") as scratch:
        work = Path(scratch)
        outputs = {
            _relative(SCANS / PROWLER_OUTPUT): _prowler_output(work),
            _relative(SCANS / CHECKOV_OUTPUT): _checkov_output(work),
            _relative(MAPPING): _mapping(),
            _relative(SCANS / MANIFEST): _manifest(),
        }
    return outputs


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _prowler_output(work: Path) -> bytes:
    spec = work / "prowler-spec.json"
    spec.write_text(json.dumps({"account": ACCOUNT, "timestamp": SCANNED, "findings": list(PROWLER_FINDINGS)}))
    out = work / PROWLER_OUTPUT
    subprocess.run(
        [str(PROWLER.python), str(ROOT / "tools" / "scanners" / "prowler_ocsf.py"), str(spec), str(out)],
        check=True,
        cwd=work,
        capture_output=True,
    )
    return out.read_bytes()


def _checkov_output(work: Path) -> bytes:
    folder = work / "checkov"
    shutil.copytree(SCANS / "terraform", folder / "terraform")
    command = [str(CHECKOV.folder / "bin" / "checkov"), *CHECKOV_COMMAND[1:]]
    environ = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, env=environ)
    if done.returncode not in (0, 1):  # 1: some check failed, as it should
        raise SystemExit(f"checkov exited {done.returncode}: {done.stderr[-500:]}")
    return (folder / "out" / "results_sarif.sarif").read_bytes()


def _mapping() -> bytes:
    """Prowler's SP 800-171 Rev. 2 mapping for AWS, requirements by CMMC id, with its source and notice."""
    sys.path.insert(0, str(ROOT))
    from oscal_poam.cmmc.catalog import catalog, normalize_requirement_id

    package = Path(
        subprocess.run(
            [str(PROWLER.python), "-c", "import os, prowler; print(os.path.dirname(prowler.__file__))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    source = json.loads((package / PROWLER_MAPPING_FILE).read_text(encoding="utf-8"))
    by_label: dict[str, list[str]] = {}
    for requirement in source["Requirements"]:
        found = normalize_requirement_id(requirement["Id"].replace("_", "."), 2)
        if found is None:
            raise SystemExit(f"{PROWLER_MAPPING_FILE}: {requirement['Id']} is no CMMC Level 2 requirement")
        checks = by_label.setdefault(found.label, [])
        checks.extend(c for c in requirement["Checks"] if c not in checks)
    order = [r.label for r in catalog(2).requirements]
    data = {
        "title": "Prowler checks for the NIST SP 800-171 Rev. 2 requirements (AWS), by CMMC Level 2 requirement",
        "source": {
            "project": "Prowler",
            "package": PROWLER.pin,
            "file": f"prowler/{PROWLER_MAPPING_FILE}",
            "framework": source["Framework"],
            "provider": source["Provider"],
            "licence": "Apache-2.0",
            "copyright": "Copyright Prowler (prowler.com) and its contributors",
        },
        "notice": (
            "Derived from Prowler's compliance mapping, licensed under the Apache License, Version 2.0 "
            "(https://www.apache.org/licenses/LICENSE-2.0). Changed by oscal-poam: each NIST SP 800-171 number is "
            "written as the CMMC Level 2 requirement it is, and requirements with no check are left out."
        ),
        "requirements": {label: by_label[label] for label in order if by_label.get(label)},
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _manifest() -> bytes:
    data = {
        "made-by": "tools/gen_scanner_fixtures.py",
        "scanners": {s.name: {"package": s.package, "version": s.version} for s in SCANNERS},
        "files": {
            PROWLER_OUTPUT: "Prowler's Finding model and OCSF output class (tools/scanners/prowler_ocsf.py), "
            f"account {ACCOUNT['uid']}, {len(PROWLER_FINDINGS)} findings scanned {SCANNED}",
            CHECKOV_OUTPUT: " ".join(CHECKOV_COMMAND) + " (in scans/, output renamed from results_sarif.sarif)",
        },
    }
    return (json.dumps(data, indent=2) + "\n").encode("utf-8")


def normalised(relative: str, data: bytes) -> Any:
    """What must be the same on every run of the scanners: see the module docstring."""
    if relative.endswith(PROWLER_OUTPUT):
        findings = json.loads(data)
        for finding in findings:
            finding.get("unmapped", {}).pop("scan_id", None)
        return findings
    if relative.endswith(CHECKOV_OUTPUT):
        return _sorted_sarif(json.loads(data))
    return data


def _sorted_sarif(log: dict[str, Any]) -> dict[str, Any]:
    for run in log.get("runs", []):
        driver = run["tool"]["driver"]
        rules = driver.get("rules", [])
        for result in run.get("results", []):
            index = result.pop("ruleIndex", None)
            if "ruleId" not in result and isinstance(index, int):
                result["ruleId"] = rules[index]["id"]
        driver["rules"] = sorted(rules, key=lambda r: r["id"])
        run["results"] = sorted(run.get("results", []), key=lambda r: json.dumps(r, sort_keys=True))
    return log


def differences(generated: Mapping[str, bytes], root: Path = ROOT) -> list[str]:
    """The outputs whose committed file differs from what the scanners make now (after normalising)."""
    found = []
    for relative, data in sorted(generated.items()):
        path = root / relative
        if not path.is_file() or normalised(relative, path.read_bytes()) != normalised(relative, data):
            found.append(relative)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--install", action="store_true", help="install the scanners first (kept once installed)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when an output would change")
    parser.add_argument("--install-only", action="store_true", help="install the scanners and stop")
    args = parser.parse_args(argv)
    if args.install or args.install_only:
        install()
        if args.install_only:
            return 0
    missed = missing()
    if missed:
        print(f"{', '.join(s.pin for s in missed)}: {NO_SCANNERS}", file=sys.stderr)
        if required():
            return 1
        print(f"skipped ({REQUIRE_ENV}=1 makes this a failure)", file=sys.stderr)
        return 0
    generated = generate()
    if args.check:
        stale = differences(generated)
        for relative in stale:
            print(f"not what the scanners make: {relative}", file=sys.stderr)
        return 1 if stale else 0
    for relative, data in generated.items():
        path = ROOT / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or normalised(relative, path.read_bytes()) != normalised(relative, data):
            path.write_bytes(data)
            print(f"wrote {relative}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
