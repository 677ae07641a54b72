"""Documents loaded for imports are kept within a run, and never across runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

from oscal_poam.validate.loaded import cached, forget, load_path
from oscal_poam.validate.run import validate_paths
from tests.nist_docs import IFA_SSP, nist


def test_a_version_of_a_file_is_loaded_once(tmp_path: Path) -> None:
    forget()
    path = tmp_path / "ssp.json"
    path.write_text(json.dumps(nist(IFA_SSP)), encoding="utf-8")
    first = load_path(path, str(path))
    assert cached(path) is first
    assert load_path(path, str(path)) is first
    forget()
    assert cached(path) is None


def _found(path: Path) -> list[str]:
    """The rules broken; NIST's IFA SSP imports a profile that is not among NIST's examples, which is said too."""
    found = [d.rule_id for d in validate_paths([path], jobs=1).diagnostics]
    return [rule_id for rule_id in found if rule_id != "reference-import-unreachable"]


def test_each_run_reads_files_afresh_even_when_size_and_time_are_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "ssp.json"
    data = nist(IFA_SSP)
    parties = data["system-security-plan"]["metadata"]["responsible-parties"]
    path.write_text(json.dumps(data), encoding="utf-8")
    stamp = path.stat().st_mtime_ns
    assert _found(path) == []
    load_path(path, str(path))  # as an import would have, in this process

    # the same length and the same time stamp: only the content tells the versions apart
    parties[0]["party-uuids"][0] = "00000000-0000-4000-8000-000000000000"
    path.write_text(json.dumps(data), encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    assert _found(path) == ["oscal-index-metadata-party-uuid"]
