"""The required structure of a SARIF 2.1.0 log, as the OASIS schema (sarif-schema-2.1.0.json) states it, plus what
GitHub code scanning reads from it.

`problems(log)` lists every departure, each with its JSON path, so that a test shows all of them at once.
Schema requirements checked: sarifLog requires `version` ("2.1.0") and `runs`; run requires `tool`; tool
requires `driver`; toolComponent requires `name`; reportingDescriptor requires `id`; multiformatMessageString
requires `text`; result requires `message`; message requires `text` or `id`; `level` is one of none, note,
warning, error; `ruleIndex` is an integer >= -1 that indexes the driver's rules; physicalLocation has an
`artifactLocation` or an `address`; artifactLocation `uri` is a string; region `startLine` is an integer >= 1;
logicalLocation `fullyQualifiedName` is a string. GitHub: every result has a `ruleId` naming a rule of the
driver, and at least one location whose artifact has a relative `uri`.
"""

from __future__ import annotations

from typing import Any

LEVELS = {"none", "note", "warning", "error"}


def problems(log: Any) -> list[str]:
    found: list[str] = []

    def need(cond: bool, where: str, what: str) -> bool:
        if not cond:
            found.append(f"{where}: {what}")
        return cond

    if not need(isinstance(log, dict), "$", "a SARIF log is an object"):
        return found
    need(log.get("version") == "2.1.0", "$.version", "must be '2.1.0'")
    need(isinstance(log.get("$schema", ""), str), "$.$schema", "must be a string (uri)")
    runs = log.get("runs")
    if not need(isinstance(runs, list), "$.runs", "required array"):
        return found
    for r, run in enumerate(runs):
        here = f"$.runs[{r}]"
        if not need(isinstance(run, dict) and isinstance(run.get("tool"), dict), f"{here}.tool", "required object"):
            continue
        driver = run["tool"].get("driver")
        if not need(isinstance(driver, dict), f"{here}.tool.driver", "required object"):
            continue
        need(isinstance(driver.get("name"), str) and driver["name"] != "", f"{here}.tool.driver.name", "required")
        rules = driver.get("rules", [])
        need(isinstance(rules, list), f"{here}.tool.driver.rules", "must be an array")
        ids = []
        for i, rule in enumerate(rules if isinstance(rules, list) else []):
            where = f"{here}.tool.driver.rules[{i}]"
            need(isinstance(rule.get("id"), str), f"{where}.id", "required string")
            ids.append(rule.get("id"))
            for key in ("shortDescription", "fullDescription", "help"):
                if key in rule:
                    need(isinstance(rule[key].get("text"), str), f"{where}.{key}.text", "required string")
            level = rule.get("defaultConfiguration", {}).get("level", "warning")
            need(level in LEVELS, f"{where}.defaultConfiguration.level", f"{level!r} is not one of {sorted(LEVELS)}")
        need(len(ids) == len(set(ids)), f"{here}.tool.driver.rules", "rule ids must be unique")
        results = run.get("results", [])
        if not need(isinstance(results, list), f"{here}.results", "must be an array"):
            continue
        for n, result in enumerate(results):
            _result(result, f"{here}.results[{n}]", ids, need)
    return found


def _result(result: Any, where: str, ids: list[Any], need: Any) -> None:
    if not need(isinstance(result, dict), where, "a result is an object"):
        return
    message = result.get("message")
    need(
        isinstance(message, dict) and (isinstance(message.get("text"), str) or isinstance(message.get("id"), str)),
        f"{where}.message",
        "required, with text or id",
    )
    need(result.get("level", "warning") in LEVELS, f"{where}.level", "not a SARIF level")
    need(result.get("ruleId") in ids, f"{where}.ruleId", "must name a rule of the driver")
    if "ruleIndex" in result:
        index = result["ruleIndex"]
        ok = isinstance(index, int) and index >= -1 and (index == -1 or index < len(ids))
        if need(ok, f"{where}.ruleIndex", "integer >= -1 indexing the driver's rules") and index >= 0:
            need(ids[index] == result.get("ruleId"), f"{where}.ruleIndex", "indexes another rule than ruleId")
    locations = result.get("locations")
    if not need(isinstance(locations, list) and len(locations) >= 1, f"{where}.locations", "at least one"):
        return
    for k, location in enumerate(locations):
        at = f"{where}.locations[{k}]"
        physical = location.get("physicalLocation")
        if not need(isinstance(physical, dict), f"{at}.physicalLocation", "required for code scanning"):
            continue
        artifact = physical.get("artifactLocation")
        need(
            isinstance(artifact, dict) or "address" in physical, f"{at}.physicalLocation", "artifactLocation or address"
        )
        if isinstance(artifact, dict):
            uri = artifact.get("uri")
            if need(isinstance(uri, str) and uri != "", f"{at}.physicalLocation.artifactLocation.uri", "string"):
                need(not uri.startswith("/"), f"{at}.physicalLocation.artifactLocation.uri", "relative to the repo")
        region = physical.get("region")
        if region is not None:
            start = region.get("startLine")
            need(isinstance(start, int) and start >= 1, f"{at}.physicalLocation.region.startLine", "integer >= 1")
        for m, logical in enumerate(location.get("logicalLocations", [])):
            need(
                isinstance(logical.get("fullyQualifiedName"), str),
                f"{at}.logicalLocations[{m}].fullyQualifiedName",
                "string",
            )
