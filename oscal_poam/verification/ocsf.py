"""Prowler's findings in OCSF JSON (`--output-formats json-ocsf`): a JSON array of OCSF Detection Findings.

Each finding names its check in `metadata.event_code`, its outcome in `status_code` (`PASS`, `FAIL`; `MANUAL` and
anything else decide nothing), the resources it checked in `resources[].uid` (else `name`), when in `time_dt` (else
`time`, in seconds since the epoch), and the tool in `metadata.product`.

Prowler writes some 15 KB per finding (the check's metadata, its compliance mappings, the resource's details), so a
scan of 10,000 findings is 150 MB: the array is decoded by msgspec into the few fields read here, skipping the rest
without building it. A file it cannot decode is decoded again by the project's JSON reader, whose error names the
line and column.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from oscal_poam.errors import LoadError
from oscal_poam.io.load import decode_text
from oscal_poam.verification.results import CheckResult, Outcome, Run, Shape, child, decode_json

OUTCOMES: dict[str, Outcome] = {"PASS": "pass", "FAIL": "fail"}


class _Resource(msgspec.Struct):
    uid: str | None = None
    name: str | None = None


class _Product(msgspec.Struct):
    name: str | None = None
    version: str | None = None


class _Metadata(msgspec.Struct):
    event_code: str | None = None
    product: _Product | None = None


class _Finding(msgspec.Struct):
    metadata: _Metadata | None = None
    status_code: str | None = None
    status_detail: str | None = None
    resources: list[_Resource] | None = None
    time_dt: str | None = None
    time: int | None = None


def read(data: bytes, source: str) -> tuple[Run, ...]:
    """The runs of an OCSF findings array, one per product and version. Raises LoadError, located."""
    findings = _decode(data, source)
    shape = Shape(source)
    by_tool: dict[tuple[str, str], dict[tuple[str, str, str], list[CheckResult]]] = {}
    for index, finding in enumerate(findings):
        metadata, status, resources = finding.metadata, finding.status_code, finding.resources
        check = metadata.event_code if metadata is not None else None
        product = metadata.product if metadata is not None else None
        name = product.name if product is not None else None
        if not check or not check.strip():
            shape.fail(f"/{index}/metadata/event_code", "the check id (metadata.event_code) is missing")
        if not name or not name.strip():
            shape.fail(f"/{index}/metadata/product/name", "the tool (metadata.product.name) is missing")
        if not status:
            shape.fail(f"/{index}/status_code", "status_code is missing")
        if resources is None:
            shape.fail(f"/{index}/resources", "resources are missing")
        time = _time(finding, index, shape)
        outcome = OUTCOMES.get(status.strip().upper()) if status else None
        if not check or not name or outcome is None or resources is None:
            continue
        version = product.version or "" if product is not None else ""
        found = by_tool.setdefault((name, version), {}).setdefault(("prowler", "", check.strip()), [])
        for r_index, resource in enumerate(resources):
            named = resource.uid or resource.name
            if not named or not named.strip():
                shape.fail(child(f"/{index}/resources", r_index, "uid"), "the resource's uid is missing")
                continue
            found.append(CheckResult(named, outcome, finding.status_detail or "", time))
    shape.raise_if_any()
    return tuple(
        Run(tool, version, {key: tuple(results) for key, results in checks.items()})
        for (tool, version), checks in sorted(by_tool.items())
    )


def _decode(data: bytes, source: str) -> list[_Finding]:
    if not data.isascii():  # what msgspec skips it does not decode: the text is checked whole, quickly
        decode_text(data, source)
    try:
        return msgspec.json.decode(data, type=list[_Finding])
    except msgspec.ValidationError as exc:
        message, _, path = str(exc).partition(" - at `")
        pointer = _pointer(path.rstrip("`"))
        shown = f"not Prowler's OCSF findings: {message[:1].lower()}{message[1:]}"
        raise LoadError.single(shown, source, pointer) from None
    except (msgspec.DecodeError, RecursionError):
        decode_json(data, source)  # says where, when the JSON itself is at fault
        raise LoadError.single("invalid JSON: cannot be decoded", source) from None


def _pointer(path: str) -> str:
    """A JSON pointer from msgspec's path (`$[3].metadata.event_code` is `/3/metadata/event_code`)."""
    tokens: list[str | int] = []
    for part in path.removeprefix("$").replace("[", ".[").split("."):
        if not part:
            continue
        tokens.append(int(part[1:-1]) if part.startswith("[") else part)
    return child("", *tokens)


def _time(finding: _Finding, index: int, shape: Shape) -> dt.datetime | None:
    if finding.time_dt is not None:
        return shape.time(finding.time_dt, f"/{index}/time_dt", "time_dt")
    seconds = finding.time
    if seconds is not None and 0 <= seconds < 2**40:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    if seconds is not None:
        shape.fail(f"/{index}/time", "time must be seconds since 1970 (a whole number)")
    return None
