"""Recording automated results on a POA&M: observations linked from each matched item, the verification task's
state, and a dated risk-log entry for every change.

For each item, its checks (`rules.verification.item_pointers`) are matched against the results: a Prowler check by
its check id, a SARIF rule by tool and rule id, an OSCAL finding by its target. For each check with results this
writes one observation (method TEST; the tool as origin, a component of the POA&M's local definitions; the resources
as subjects, inventory items of the local definitions, each marked pass or fail; the scan time as `collected`; each
result file as relevant evidence, a back-matter resource with its SHA-256 hash), replacing the observation recorded
for the same check before unless that one is newer. The item relates the observation; its verification task's
cmmc-verification-state becomes the state `rules.verification` judges; and when anything changed, a risk-log entry
(cmmc-log-event `verified`) dated the scan time says what. What people wrote is never changed: verify adds its own
observations, props, entries and definitions, and removes only definitions and resources it recorded that nothing
refers to any more. It never changes an item's status.

UUIDs are version-5 over stable keys (the system, the item, the check, the file's hash), and every time comes from
the results (or `as_of` for a SARIF run that records none): the same POA&M and results always give the same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from oscal_poam import builders
from oscal_poam.cmmc import vocab
from oscal_poam.facts.poam import PoamItemView, read_poam
from oscal_poam.ids import stable_uuid
from oscal_poam.io.load import validate
from oscal_poam.io.write import format_datetime, to_data
from oscal_poam.rules.verification import ItemVerification, item_pointers, item_verification
from oscal_poam.verification.pointers import Pointer, tool_key
from oscal_poam.verification.results import CheckResult, ResultFile, Run

if TYPE_CHECKING:
    from trestle.oscal.poam import PlanOfActionAndMilestones

ROOT = "plan-of-action-and-milestones"
RECORDED_BY = "oscal-poam verify"
"""The value of prop cmmc-recorded-by on the definitions and resources verify records (and may remove)."""
_UUID = re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
MAX_LISTED = 10
"""Failing resources named in an observation's description; the subjects list every one."""


@dataclass(frozen=True)
class CheckOutcome:
    """What the results given show for one check of one item."""

    pointer: str
    result: str
    """`passed` or `failed`."""
    resources: int
    failing: tuple[str, ...]
    collected: dt.datetime
    tools: tuple[str, ...]
    files: tuple[str, ...]
    recorded: bool = True
    """False when the POA&M holds newer evidence for this check, which stands."""
    undeclared: bool = False
    """A SARIF rule no run of its tool names: passed only in that the run reported no failure of it."""


@dataclass(frozen=True)
class ItemRecord:
    """What verify did for one item."""

    subject: str
    item_uuid: str
    outcomes: tuple[CheckOutcome, ...]
    changed: bool
    verification: ItemVerification | None = None
    note: str = ""


@dataclass(frozen=True)
class Recording:
    """The POA&M with the results recorded, and what was done."""

    poam: PlanOfActionAndMilestones
    items: tuple[ItemRecord, ...]
    unmatched: tuple[str, ...]
    """Checks in the results that no item's checks name (as pointers), sorted."""
    changed: bool


@dataclass
class _Found:
    """One check's results gathered across every file given."""

    pointer: Pointer
    by_resource: dict[str, CheckResult] = field(default_factory=dict)
    times: list[dt.datetime] = field(default_factory=list)
    tools: dict[str, None] = field(default_factory=dict)
    files: dict[str, ResultFile] = field(default_factory=dict)
    undeclared: bool = False

    def add(self, file: ResultFile, run: Run, results: Iterable[CheckResult]) -> None:
        self.tools[run.label] = None
        self.files[file.sha256] = file
        if run.scanned is not None:
            self.times.append(run.scanned)
        for result in results:
            if result.time is not None:
                self.times.append(result.time)
            kept = self.by_resource.get(result.resource)
            if kept is None or _later_or_failing(result, kept):
                self.by_resource[result.resource] = result

    @property
    def failing(self) -> tuple[str, ...]:
        return tuple(sorted(r for r, found in self.by_resource.items() if found.outcome == "fail"))

    @property
    def result(self) -> str:
        return "failed" if self.failing else "passed"


def _later_or_failing(new: CheckResult, kept: CheckResult) -> bool:
    if new.time is not None and kept.time is not None and new.time != kept.time:
        return new.time > kept.time
    return new.outcome == "fail" and kept.outcome != "fail"


def record(
    poam: PlanOfActionAndMilestones,
    files: Sequence[ResultFile],
    *,
    poam_folder: Path,
    document: str = "",
) -> Recording:
    """The POA&M with the results of `files` recorded (see the module docstring). `poam_folder` is where the POA&M
    is written: the hrefs of the result files are relative to it."""
    facts = read_poam(poam, document)
    data = copy.deepcopy(to_data(poam)[ROOT])
    system = _system(data)
    found_for: dict[str, dict[str, _Found]] = {}
    named: set[tuple[str, str, str]] = set()
    for view in facts.items:
        pointers, _ = item_pointers(view)
        named.update(p.key for p in pointers)
        matched = {p.text: f for p in pointers if (f := _gather(p, files)) is not None}
        if matched:
            found_for[_item_key(view)] = matched
    unmatched = sorted({_shown(key) for file in files for run in file.runs for key in run.results if key not in named})
    writer = _Writer(data, system, poam_folder)
    outcomes: dict[str, list[CheckOutcome]] = {}
    touched: set[str] = set()
    for view in facts.items:
        matched = found_for.get(_item_key(view), {})
        for found in matched.values():
            outcome, changed = writer.observation(view, found)
            outcomes.setdefault(_item_key(view), []).append(outcome)
            if changed:
                touched.add(_item_key(view))
    writer.prune()
    first = validate({ROOT: data}, document or "the POA&M")[1]
    first_facts = read_poam(first, document)
    for view in first_facts.items:
        if _item_key(view) not in outcomes:
            continue
        judged = item_verification(view)
        if writer.state(view, judged.state):
            touched.add(_item_key(view))
        if _item_key(view) in touched:
            writer.log(view, judged, outcomes[_item_key(view)])
    if touched:
        writer.last_modified(max(o.collected for k in touched for o in outcomes[k]))
    final = validate({ROOT: data}, document or "the POA&M")[1] if touched else poam
    final_facts = read_poam(final, document) if touched else facts
    items = tuple(_item_record(view, outcomes, touched, writer.notes) for view in final_facts.items)
    return Recording(final, items, tuple(unmatched), bool(touched))


def _item_record(
    view: PoamItemView, outcomes: dict[str, list[CheckOutcome]], touched: set[str], notes: dict[str, str]
) -> ItemRecord:
    key = _item_key(view)
    return ItemRecord(
        view.subject, str(view.item.uuid or ""), tuple(outcomes.get(key, ())), key in touched, None, notes.get(key, "")
    )


def _item_key(view: PoamItemView) -> str:
    return str(view.item.uuid)


def _shown(key: tuple[str, str, str]) -> str:
    tool, scanner, check = key
    return Pointer(tool, check, scanner).text


def _system(data: dict[str, Any]) -> str:
    system_id = data.get("system-id") or {}
    return str(system_id.get("id") or data.get("uuid"))


def _gather(pointer: Pointer, files: Sequence[ResultFile]) -> _Found | None:
    """The results of `pointer` in every file, None when none holds any."""
    found: _Found | None = None
    for file in files:
        for run in file.runs:
            if not run.complete:
                continue
            results = run.results.get(pointer.key)
            passed_silently = (
                results is None
                and run.failures_only
                and pointer.tool == "sarif"
                and tool_key(run.tool) == pointer.scanner
            )
            if results is None and not passed_silently:
                continue
            found = found or _Found(pointer)
            found.add(file, run, results or ())
            if passed_silently and pointer.key not in run.declared:
                found.undeclared = True
    if found is not None and not found.times:
        return None
    return found


class _Writer:
    """Edits the POA&M's plain data: the objects verify records, and nothing else."""

    def __init__(self, data: dict[str, Any], system: str, folder: Path) -> None:
        self.data = data
        self.system = system
        self.folder = folder
        self.notes: dict[str, str] = {}
        self.known: set[str] = set()
        """The uuids of the definitions and resources already in the document (each is added once)."""
        for holder, key in (("local-definitions", "components"), ("local-definitions", "inventory-items"),
                            ("back-matter", "resources")):  # fmt: skip
            self.known.update(str(o.get("uuid")) for o in (data.get(holder) or {}).get(key) or [])

    # -- observations and what they refer to ----------------------------------------------------------------

    def observation(self, view: PoamItemView, found: _Found) -> tuple[CheckOutcome, bool]:
        collected = max(found.times)
        pointer = found.pointer.text
        outcome = CheckOutcome(
            pointer,
            found.result,
            len(found.by_resource),
            found.failing,
            collected,
            tuple(found.tools),
            tuple(f.source for f in found.files.values()),
            undeclared=found.undeclared,
        )
        uuid = stable_uuid(self.system, str(view.item.uuid), "verification", pointer)
        observations: list[dict[str, Any]] = self.data.setdefault("observations", [])
        index = next((i for i, o in enumerate(observations) if o.get("uuid") == uuid), None)
        if index is not None:
            recorded = dt.datetime.fromisoformat(str(observations[index].get("collected")))
            if recorded > collected:
                return replace(outcome, recorded=False), False
        tools = [self._tool(label) for label in found.tools]
        subjects = [
            builders.subject(
                self._resource(resource),
                "inventory-item",
                resource,
                props=[builders.prop(vocab.VERIFICATION_RESULT, result.outcome)],
            )
            for resource, result in sorted(found.by_resource.items())
        ]
        evidence = [(f"#{self._file(file)}", f"{file.format_name}: {file.path.name}") for file in found.files.values()]
        built = builders.as_data(
            builders.observation(
                uuid,
                f"{pointer}: {found.result}",
                _describe(found, outcome),
                collected,
                methods=["TEST"],
                props=[
                    builders.prop(vocab.VERIFICATION_CHECK, pointer),
                    builders.prop(vocab.VERIFICATION_RESULT, found.result),
                ],
                tools=tools,
                subjects=subjects,
                evidence=evidence,
            )
        )
        changed = index is None or observations[index] != built
        if index is None:
            observations.append(built)
        else:
            observations[index] = built
        item = self._item(view)
        related = item.setdefault("related-observations", [])
        if not any(r.get("observation-uuid") == uuid for r in related):
            related.append({"observation-uuid": uuid})
            changed = True
        return outcome, changed

    def _definitions(self, key: str) -> list[dict[str, Any]]:
        return self.data.setdefault("local-definitions", {}).setdefault(key, [])  # type: ignore[no-any-return]

    def _tool(self, label: str) -> str:
        uuid = stable_uuid("verification-tool", label)
        if uuid not in self.known:
            self.known.add(uuid)
            self._definitions("components").append(
                builders.as_data(
                    builders.tool_component(
                        uuid,
                        label,
                        f"The automated checks of {label}, whose results `oscal-poam verify` recorded.",
                        props=[builders.prop(vocab.RECORDED_BY, RECORDED_BY)],
                    )
                )
            )
        return uuid

    def _resource(self, name: str) -> str:
        uuid = stable_uuid("verification-resource", name)
        if uuid not in self.known:
            self.known.add(uuid)
            self._definitions("inventory-items").append(
                builders.as_data(
                    builders.inventory_item(
                        uuid,
                        f"`{name}`, as an automated check named it.",
                        props=[
                            builders.prop("asset-id", name, ns=None),
                            builders.prop(vocab.RECORDED_BY, RECORDED_BY),
                        ],
                    )
                )
            )
        return uuid

    def _file(self, file: ResultFile) -> str:
        uuid = stable_uuid("verification-results", file.sha256)
        if uuid not in self.known:
            self.known.add(uuid)
            resources: list[dict[str, Any]] = self.data.setdefault("back-matter", {}).setdefault("resources", [])
            href = Path(os.path.relpath(file.path.resolve(), self.folder.resolve())).as_posix()
            tools = ", ".join(run.label for run in file.runs) or "no run"
            resources.append(
                builders.as_data(
                    builders.file_resource(
                        uuid,
                        file.path.name,
                        f"{file.format_name} from {tools}, recorded by `oscal-poam verify` as the evidence of "
                        "automated checks.",
                        href,
                        file.media_type,
                        file.sha256,
                        props=[builders.prop(vocab.RECORDED_BY, RECORDED_BY)],
                    )
                )
            )
        return uuid

    def prune(self) -> None:
        """Remove the definitions and resources verify recorded that nothing refers to any more."""
        used: set[str] = set()
        for observation in self.data.get("observations") or []:
            for origin in observation.get("origins") or []:
                used.update(str(a.get("actor-uuid")) for a in origin.get("actors") or [])
            used.update(str(s.get("subject-uuid")) for s in observation.get("subjects") or [])
            used.update(str(e.get("href", ""))[1:] for e in observation.get("relevant-evidence") or [])
        rest = {k: v for k, v in self.data.items() if k not in ("observations", "local-definitions", "back-matter")}
        used.update(m.decode() for m in _UUID.findall(orjson.dumps(rest)))
        for holder_key, key in (("local-definitions", "components"), ("local-definitions", "inventory-items"),
                                ("back-matter", "resources")):  # fmt: skip
            holder = self.data.get(holder_key)
            if not holder or key not in holder:
                continue
            kept = [o for o in holder[key] if not _verify_owned(o) or o.get("uuid") in used]
            if kept:
                holder[key] = kept
            else:
                del holder[key]
            if not holder:
                del self.data[holder_key]

    # -- the item: its verification task, risk log ----------------------------------------------------------

    def _item(self, view: PoamItemView) -> dict[str, Any]:
        item: dict[str, Any] = self.data["poam-items"][view.index]
        return item

    def _at(self, pointer: str) -> dict[str, Any]:
        """The object a JSON pointer (below the root key) names in the data."""
        node: Any = self.data
        for token in pointer.split("/")[2:]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        found: dict[str, Any] = node
        return found

    def state(self, view: PoamItemView, state: str) -> bool:
        """Write the verification state on the item's verification task (adding one to its planned remediation when
        it has none); True when it changed."""
        holders = [c.pointer.rsplit("/props/", 1)[0] for c in view.checks] or [v.pointer for v in view.verifications]
        if holders:
            task = self._at(holders[0])
        elif view.planned is not None:
            plan = self._at(view.planned.pointer)
            label = view.requirement.label if view.requirement is not None else view.subject
            task = builders.as_data(
                builders.task(
                    stable_uuid(self.system, str(view.item.uuid), "verification-task"),
                    "action",
                    f"Verify the closure of {label}",
                    description="The automated checks `oscal-poam verify` records on this item.",
                    props=[builders.prop(vocab.TASK_PURPOSE, "verification")],
                )
            )
            plan.setdefault("tasks", []).append(task)
        else:
            self.notes[_item_key(view)] = "the item has no planned remediation to record the verification state on"
            return False
        props: list[dict[str, Any]] = task.setdefault("props", [])
        mine = [p for p in props if p.get("name") == vocab.VERIFICATION_STATE and p.get("ns") == vocab.NS]
        if mine and mine[0].get("value") == state and len(mine) == 1:
            return False
        wanted = builders.as_data(builders.prop(vocab.VERIFICATION_STATE, state))
        if mine:
            position = props.index(mine[0])
            props[:] = [p for p in props if p not in mine]
            props.insert(position, wanted)
        else:
            props.append(wanted)
        return True

    def log(self, view: PoamItemView, judged: ItemVerification, outcomes: Sequence[CheckOutcome]) -> None:
        """A dated risk-log entry saying what the checks showed (none when the item has no risk)."""
        if view.risk is None:
            self.notes[_item_key(view)] = "the item has no risk whose risk log could date the change"
            return
        recorded = [o for o in outcomes if o.recorded]
        if not recorded:
            return
        start = max(o.collected for o in recorded)
        risk = self._at(view.risk.pointer)
        entries: list[dict[str, Any]] = risk.setdefault("risk-log", {}).setdefault("entries", [])
        uuid = stable_uuid(self.system, str(view.item.uuid), "verified", judged.state, format_datetime(start))
        if any(e.get("uuid") == uuid for e in entries):
            return
        lines = [f"* `{o.pointer}`: {_outcome_words(o)}" for o in recorded]
        entries.append(
            builders.as_data(
                builders.log_entry(
                    uuid,
                    f"Automated verification: {judged.state}",
                    start,
                    description="Recorded by `oscal-poam verify`:\n\n" + "\n".join(lines),
                    props=[builders.prop(vocab.LOG_EVENT, vocab.VERIFIED)],
                )
            )
        )

    def last_modified(self, when: dt.datetime) -> None:
        metadata = self.data["metadata"]
        current = dt.datetime.fromisoformat(str(metadata["last-modified"]))
        if when > current:
            metadata["last-modified"] = format_datetime(when)


def _verify_owned(obj: dict[str, Any]) -> bool:
    return any(
        p.get("name") == vocab.RECORDED_BY and p.get("ns") == vocab.NS and p.get("value") == RECORDED_BY
        for p in obj.get("props") or []
    )


def _outcome_words(outcome: CheckOutcome) -> str:
    tools = " and ".join(outcome.tools)
    if outcome.result == "failed":
        shown = ", ".join(f"`{r}`" for r in outcome.failing[:MAX_LISTED])
        more = f" and {len(outcome.failing) - MAX_LISTED} more" if len(outcome.failing) > MAX_LISTED else ""
        return f"failed on {len(outcome.failing)} of {outcome.resources} resources ({shown}{more}), {tools}"
    if outcome.resources == 0:
        return f"passed: {tools} reported no failing result"
    return f"passed on {outcome.resources} resource{'s' if outcome.resources != 1 else ''}, {tools}"


def _describe(found: _Found, outcome: CheckOutcome) -> str:
    files = ", ".join(f"`{f.path.name}`" for f in found.files.values())
    words = _outcome_words(outcome)
    text = f"The automated check `{outcome.pointer}` {words} ({files})."
    if found.undeclared:
        text += " The run lists only failing results, and none of this rule."
    return text
