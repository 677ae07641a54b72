"""Write Prowler findings as Prowler's own OCSF output, offline: run with the interpreter of a Prowler install.

    <prowler venv>/bin/python tools/scanners/prowler_ocsf.py SPEC.json OUT.ocsf.json

SPEC is a JSON object: `account` (uid, name), `timestamp` (ISO 8601 with offset) and `findings`, each with `check`,
`status` (PASS, FAIL, MANUAL), `region`, `resource_uid`, `resource_name` and `status_extended`. Each finding is built
as Prowler's `Finding` model, with the check's metadata as Prowler ships it and the compliance requirements Prowler
maps the check to, and written by Prowler's `OCSF` output class: the bytes are Prowler's, not ours. Prowler needs no
cloud credentials for this.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path


def main(spec_path: str, out_path: str) -> int:
    from prowler.lib.check.compliance import update_checks_metadata_with_compliance
    from prowler.lib.check.compliance_models import Compliance
    from prowler.lib.check.models import CheckMetadata
    from prowler.lib.outputs.finding import Finding
    from prowler.lib.outputs.ocsf.ocsf import OCSF

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    metadata = update_checks_metadata_with_compliance(Compliance.get_bulk("aws"), CheckMetadata.get_bulk("aws"))
    timestamp = dt.datetime.fromisoformat(spec["timestamp"])
    account = spec["account"]
    findings = []
    for given in spec["findings"]:
        check = metadata[given["check"]]
        compliance: dict[str, list[str]] = {}
        for framework in check.Compliance:
            if framework.Provider.upper() != "AWS":
                continue
            name = f"{framework.Framework}-{framework.Version}" if framework.Version else framework.Framework
            compliance.setdefault(name, []).extend(r.Id for r in framework.Requirements)
        findings.append(
            Finding(
                auth_method="profile: default",
                timestamp=timestamp,
                account_uid=account["uid"],
                account_name=account["name"],
                metadata=check,
                uid=f"prowler-aws-{given['check']}-{account['uid']}-{given['region']}-{given['resource_name']}",
                status=given["status"],
                status_extended=given["status_extended"],
                resource_uid=given["resource_uid"],
                resource_name=given["resource_name"],
                resource_details="",
                region=given["region"],
                partition="aws",
                compliance=compliance,
            )
        )
    output = OCSF(findings, file_path=out_path)
    output.batch_write_data_to_file()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
