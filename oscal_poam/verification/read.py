"""Reading one file of automated results, whatever its format (see `verification.results`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import oscal_poam.limits as limits
from oscal_poam.errors import LoadError, NotOscalError
from oscal_poam.io.files import read_file
from oscal_poam.verification import ocsf, oscal_results, sarif
from oscal_poam.verification.results import ResultFile, decode_json

NOT_RESULTS = (
    "not automated results: expected Prowler's OCSF JSON (an array of findings), a SARIF 2.1.0 log (an object with "
    "runs) or OSCAL assessment results"
)


def read_results(path: str | os.PathLike[str], *, default_time: dt.datetime | None = None) -> ResultFile:
    """The results in the file at `path`. Raises LoadError (located) for a file that cannot be read as results.

    `default_time` is the scan time of runs whose file records none (SARIF without invocations); without it such a
    run is an error that says to give `--as-of`.
    """
    source = os.fspath(path)
    data = read_file(path, source, max_bytes=limits.max_bytes())
    digest = hashlib.sha256(data).hexdigest()
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise LoadError.single("file is empty", source, line=1)
    if stripped[:1] == b"[":
        return ResultFile(source, Path(path), "prowler-ocsf", digest, ocsf.read(data, source))
    if stripped[:1] == b"{":
        raw = decode_json(data, source)
        if isinstance(raw, dict) and "runs" in raw and "assessment-results" not in raw:
            runs = sarif.read(raw, source, default_time)
            return ResultFile(source, Path(path), "sarif", digest, runs)
        if not (isinstance(raw, dict) and "assessment-results" in raw):
            raise LoadError.single(NOT_RESULTS, source, pointer="")
    try:
        runs = oscal_results.read(data, source, Path(path))
    except NotOscalError:
        raise LoadError.single(NOT_RESULTS, source, pointer="") from None
    return ResultFile(source, Path(path), "oscal", digest, runs)
