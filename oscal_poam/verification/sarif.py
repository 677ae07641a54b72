"""SARIF 2.1.0 logs from any scanner: each run's tool, the rules it ran and what failed where.

A result's rule is its `ruleId` (else `rule.id`, else the rule its `ruleIndex` names); its outcome its `kind`:
`fail` (SARIF's default) fails, `pass` passes, any other kind decides nothing, and a result whose `baselineState` is
`absent` is gone. Most scanners list only what fails: a rule the run names (in its rules table) or that a pointer
names, with no failing result in a completed run of its tool, passed. The resource is the result's first location
(`uri:line`), else its first logical location. The scan time is the latest `endTimeUtc` (else `startTimeUtc`) of
the run's invocations; a run that records none is dated by `--as-of`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oscal_poam.errors import UsageError
from oscal_poam.verification.pointers import tool_key
from oscal_poam.verification.results import CheckResult, Outcome, Run, Shape, child, latest

VERSION = "2.1.0"
KINDS: dict[str, Outcome] = {"fail": "fail", "pass": "pass"}


def read(raw: dict[str, Any], source: str, default_time: dt.datetime | None) -> tuple[Run, ...]:
    """The runs of a SARIF log. Raises LoadError (located) for a log that is not SARIF 2.1.0, and UsageError for a run
    with no scan time when `default_time` is None."""
    shape = Shape(source)
    version = raw.get("version")
    if version != VERSION:
        shown = repr(version) if isinstance(version, str) and len(version) < 20 else "missing"
        shape.fail("/version", f"version is {shown}: only SARIF {VERSION} is read")
        shape.raise_if_any()
    runs = shape.array(raw.get("runs"), "/runs", "runs")
    shape.raise_if_any()
    assert runs is not None
    found = [_run(entry, f"/runs/{index}", shape) for index, entry in enumerate(runs)]
    shape.raise_if_any()
    read_runs: list[Run] = []
    for index, run in enumerate(found):
        if run is None:
            continue
        if run.scanned is None:
            if default_time is None:
                raise UsageError(
                    f"{source}#/runs/{index}: the {run.tool} run records no scan time (invocations[].endTimeUtc); "
                    "give --as-of to date it"
                )
            run = Run(run.tool, run.version, run.results, run.declared, run.complete, run.failures_only, default_time)
        read_runs.append(run)
    return tuple(read_runs)


def _run(entry: Any, here: str, shape: Shape) -> Run | None:
    run = shape.object(entry, here, "a run")
    if run is None:
        return None
    tool = shape.object(run.get("tool"), child(here, "tool"), "tool")
    driver = shape.object(tool.get("driver") if tool else None, child(here, "tool", "driver"), "tool.driver")
    if driver is None:
        return None
    name = shape.text(driver.get("name"), child(here, "tool", "driver", "name"), "the tool's name")
    if name is None:
        return None
    version = driver.get("version") or driver.get("semanticVersion") or ""
    version = shape.optional_text(version, child(here, "tool", "driver", "version"), "the tool's version")
    key = tool_key(name)
    rules = _rules(driver, child(here, "tool", "driver"), shape)
    declared = {("sarif", key, rule) for rule in rules}
    for e_index, extension in enumerate(_list(tool.get("extensions")) if tool else []):
        if isinstance(extension, dict):
            declared |= {
                ("sarif", key, r) for r in _rules(extension, child(here, "tool", "extensions", e_index), shape)
            }
    results: dict[tuple[str, str, str], list[CheckResult]] = {}
    listed = run.get("results")
    for r_index, result in enumerate(shape.array(listed, child(here, "results"), "results") or [] if listed else []):
        place = child(here, "results", r_index)
        read_result = _result(result, place, rules, shape)
        if read_result is not None:
            rule, check = read_result
            results.setdefault(("sarif", key, rule), []).append(check)
    complete, scanned = _invocations(run, here, shape)
    return Run(
        name,
        version,
        {k: tuple(v) for k, v in results.items()},
        frozenset(declared | set(results)),
        complete,
        failures_only=True,
        scanned=scanned,
    )


def _rules(component: dict[str, Any], here: str, shape: Shape) -> list[str]:
    listed = component.get("rules")
    if listed is None:
        return []
    rules = []
    for index, rule in enumerate(shape.array(listed, child(here, "rules"), "rules") or []):
        described = shape.object(rule, child(here, "rules", index), "a rule")
        if described is not None:
            rule_id = shape.text(described.get("id"), child(here, "rules", index, "id"), "the rule id")
            rules.append(rule_id or "")
    return rules


def _result(entry: Any, here: str, rules: list[str], shape: Shape) -> tuple[str, CheckResult] | None:
    result = shape.object(entry, here, "a result")
    if result is None:
        return None
    rule_id = result.get("ruleId")
    if rule_id is None and isinstance(result.get("rule"), dict):
        rule_id = result["rule"].get("id")
    index = result.get("ruleIndex")
    if rule_id is None and isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(rules):
        rule_id = rules[index]
    rule = shape.text(rule_id, child(here, "ruleId"), "the result's rule (ruleId)")
    kind = result.get("kind", "fail")
    outcome = KINDS.get(kind) if isinstance(kind, str) else None
    if rule is None or outcome is None or result.get("baselineState") == "absent":
        return None
    message = result.get("message")
    text = message.get("text") if isinstance(message, dict) else None
    return rule, CheckResult(_where(result), outcome, text if isinstance(text, str) else "")


def _where(result: dict[str, Any]) -> str:
    """The first location: `uri:startLine`, else the logical location's name; `(no location)` when none."""
    for location in _list(result.get("locations")):
        if not isinstance(location, dict):
            continue
        physical = location.get("physicalLocation")
        if isinstance(physical, dict):
            artifact = physical.get("artifactLocation")
            uri = artifact.get("uri") if isinstance(artifact, dict) else None
            if isinstance(uri, str) and uri:
                region = physical.get("region")
                line = region.get("startLine") if isinstance(region, dict) else None
                return f"{uri}:{line}" if isinstance(line, int) and not isinstance(line, bool) else uri
        for logical in _list(location.get("logicalLocations")):
            if isinstance(logical, dict):
                name = logical.get("fullyQualifiedName") or logical.get("name")
                if isinstance(name, str) and name:
                    return name
    return "(no location)"


def _list(value: Any) -> list[Any]:
    """`value` where it is an array; an optional array of another kind holds nothing this reader uses."""
    return value if isinstance(value, list) else []


def _invocations(run: dict[str, Any], here: str, shape: Shape) -> tuple[bool, dt.datetime | None]:
    """Whether every invocation completed, and the latest time one of them records."""
    listed = run.get("invocations")
    if listed is None:
        return True, None
    complete = True
    times: list[dt.datetime | None] = []
    for index, entry in enumerate(shape.array(listed, child(here, "invocations"), "invocations") or []):
        place = child(here, "invocations", index)
        invocation = shape.object(entry, place, "an invocation")
        if invocation is None:
            continue
        if invocation.get("executionSuccessful") is False:
            complete = False
        for key in ("endTimeUtc", "startTimeUtc"):
            if key in invocation:
                times.append(shape.time(invocation[key], child(place, key), key))
                break
    return complete, latest(times)
