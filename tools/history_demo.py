"""A consultant's git repository through 2026, for the history tests, the trend screenshots and the benchmark.

    python tools/history_demo.py DIR     # make the repository in DIR (a new folder)

- `Item`, `Milestone`, `Entry`: a POA&M item as people keep it (status, risk log, milestones, owner, resources);
- `poam_document(...)`: the POA&M of a system, valid OSCAL 1.2.1 following docs/conventions.md;
- `ssp_document(...)`, `plan_document(...)`, `results_document(...)`: a system's SSP, assessment plan and
  assessment results, made from the shipped Level 2 example's (examples/l2-conditional) with the system's own
  uuid, id and name, and the requirements it finds NOT MET;
- `Repository`: a work tree where `commit(day, message)` records what was written, dated that day (author,
  committer and dates fixed, so that the same repository has the same commit ids on every machine);
- `build(DIR)`: the repository of three client systems and a year of commits (see `build`).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oscal_poam.cmmc import vocab  # noqa: E402
from oscal_poam.cmmc.catalog import catalog  # noqa: E402
from oscal_poam.ids import stable_uuid  # noqa: E402

EXAMPLE = ROOT / "examples" / "l2-conditional"
NS = vocab.NS


def uid(*parts: object) -> str:
    return stable_uuid("test-history", *parts)


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": NS, "value": value}


def _moment(day: dt.date, hour: int = 17) -> str:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Milestone:
    key: str
    title: str
    due: dt.date
    completed: dt.date | None = None
    remarks: str = ""


@dataclass(frozen=True)
class Entry:
    """A risk-log entry."""

    key: str
    day: dt.date
    title: str
    status_change: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Item:
    label: str
    status: str = "open"
    log: tuple[Entry, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    owner: str = "Luis Ortega"
    resources: str = "IT Manager: 8 hours."


def poam_document(
    system: str,
    items: list[Item],
    *,
    status_date: dt.date,
    modified: dt.date,
    level: int = 2,
    assessment_type: str = "c3pao",
    ssp_href: str = "ssp.json",
) -> dict[str, Any]:
    """The POA&M of `system` holding `items`, last modified on `modified`."""
    owners = sorted({i.owner for i in items})
    parties = [{"uuid": uid(system, "party", name), "type": "person", "name": name} for name in owners]
    risks, poam_items = [], []
    deadline = status_date + dt.timedelta(days=180)
    for item in items:
        requirement = catalog(level).by_label(item.label)
        assert requirement is not None, item.label
        risk_uuid = uid(system, "risk", item.label)
        tasks = []
        for m in item.milestones:
            props = [_prop(vocab.MILESTONE_STATUS, "completed" if m.completed else "pending")]
            if m.completed:
                props.append(_prop(vocab.COMPLETED_ON, m.completed.isoformat()))
            task: dict[str, Any] = {
                "uuid": uid(system, "milestone", item.label, m.key),
                "type": "milestone",
                "title": m.title,
                "props": props,
                "timing": {"on-date": {"date": _moment(m.due)}},
                "responsible-roles": [{"role-id": vocab.OWNER_ROLE, "party-uuids": [uid(system, "party", item.owner)]}],
            }
            if m.remarks:
                task["remarks"] = m.remarks
            tasks.append(task)
        remediation: dict[str, Any] = {
            "uuid": uid(system, "remediation", item.label),
            "lifecycle": "planned",
            "title": f"Implement {item.label}",
            "description": f"Bring {item.label} to MET.",
            "required-assets": [{"uuid": uid(system, "asset", item.label), "description": item.resources}],
        }
        if tasks:
            remediation["tasks"] = tasks
        risk: dict[str, Any] = {
            "uuid": risk_uuid,
            "title": f"{item.label} not met",
            "description": f"{requirement.title} is not in place on the {system} enclave.",
            "statement": "CUI could be exposed until it is.",
            "status": item.status,
            "deadline": _moment(deadline, 23).replace("T23:00:00", "T23:59:59"),
            "remediations": [remediation],
        }
        if item.log:
            entries = []
            for e in item.log:
                entry: dict[str, Any] = {"uuid": uid(system, "log", item.label, e.key), "title": e.title,
                                         "start": _moment(e.day, 12)}  # fmt: skip
                if e.description:
                    entry["description"] = e.description
                if e.status_change:
                    entry["status-change"] = e.status_change
                entries.append(entry)
            risk["risk-log"] = {"entries": entries}
        risks.append(risk)
        poam_items.append(
            {
                "uuid": uid(system, "item", item.label),
                "title": f"{item.label} {requirement.title}",
                "description": f"{requirement.title} is not in place on the {system} enclave: the setting is missing.",
                "props": [
                    _prop(vocab.REQUIREMENT, item.label),
                    _prop(vocab.POINTS_DEDUCTED, str(requirement.points)),
                    _prop(vocab.ITEM_ELIGIBLE, "yes"),
                ],
                "related-risks": [{"risk-uuid": risk_uuid}],
            }
        )
    return {
        "plan-of-action-and-milestones": {
            "uuid": uid(system, "poam"),
            "metadata": {
                "title": f"{system.title()} POA&M",
                "last-modified": _moment(modified),
                "version": modified.isoformat(),
                "oscal-version": "1.2.1",
                "props": [
                    _prop(vocab.LEVEL, str(level)),
                    _prop(vocab.ASSESSMENT_TYPE, assessment_type),
                    _prop(vocab.STATUS_DATE, status_date.isoformat()),
                ],
                "roles": [{"id": vocab.OWNER_ROLE, "title": "Remediation Owner"}],
                "parties": parties,
            },
            "import-ssp": {"href": ssp_href},
            "system-id": {"identifier-type": "https://ietf.org/rfc/rfc4122", "id": system_id(system)},
            "risks": risks,
            "poam-items": poam_items,
        }
    }


def system_id(system: str) -> str:
    return uid(system, "system-id")


@cache
def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLE / name).read_text(encoding="utf-8"))
    return data


def ssp_document(system: str) -> dict[str, Any]:
    """The shipped Level 2 example's SSP as the SSP of `system` (its own uuid, system id and name)."""
    data = copy.deepcopy(_example("ssp.json"))
    ssp = data["system-security-plan"]
    ssp["uuid"] = uid(system, "ssp")
    ssp.pop("import-profile", None)
    ssp["import-profile"] = {"href": "https://example.com/profiles/cmmc-level2-profile.json"}
    characteristics = ssp["system-characteristics"]
    characteristics["system-ids"] = [{"identifier-type": "https://ietf.org/rfc/rfc4122", "id": system_id(system)}]
    characteristics["system-name"] = f"{system.title()} Enclave"
    return data


def plan_document(system: str) -> dict[str, Any]:
    data = copy.deepcopy(_example("assessment-plan.json"))
    data["assessment-plan"]["uuid"] = uid(system, "plan")
    return data


def results_document(system: str, not_met: list[str], *, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """The shipped example's assessment results (all 320 objectives), NOT MET only in `not_met` (official ids):
    a requirement NOT MET keeps the example's finding not satisfied, or gets its first objective's."""
    data = copy.deepcopy(_example("assessment-results.json"))
    results = data["assessment-results"]
    results["uuid"] = uid(system, "results", *not_met)
    result = results["results"][-1]
    result["uuid"] = uid(system, "result", *not_met)
    result["start"], result["end"] = start.isoformat(), end.isoformat()
    wanted = {catalog(2).by_label(label).control_id: label for label in not_met}  # type: ignore[union-attr]
    failing: set[str] = set()
    for finding in result["findings"]:
        control = finding["target"]["target-id"].split("_")[0]
        status = finding["target"]["status"]
        if status["state"] != "not-satisfied":
            continue
        if control in wanted:
            failing.add(control)
        else:
            status["state"] = "satisfied"
            finding.pop("props", None)
            finding.pop("related-risks", None)
    for finding in result["findings"]:
        control = finding["target"]["target-id"].split("_")[0]
        if control in wanted and control not in failing:
            finding["target"]["status"]["state"] = "not-satisfied"
            failing.add(control)
    return data


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


NO_GIT = "git not found: install it (Debian/Ubuntu: apt-get install git)"


def git_command() -> str:
    found = shutil.which("git")
    if found is None:
        raise FileNotFoundError(NO_GIT)
    return found


@dataclass
class Repository:
    root: Path
    commits: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, root: Path) -> Repository:
        git_command()
        root.mkdir(parents=True, exist_ok=True)
        repository = cls(root)
        repository.git("init", "-q", "-b", "main")
        repository.git("config", "user.name", "Dana Whitfield")
        repository.git("config", "user.email", "dana@example.com")
        repository.git("config", "commit.gpgsign", "false")
        return repository

    def git(self, *arguments: str, when: dt.datetime | None = None) -> str:
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
        if when is not None:
            stamp = when.isoformat()
            env |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        done = subprocess.run(
            [git_command(), *arguments], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    def write(self, relative: str, data: dict[str, Any] | str) -> Path:
        path = self.root / relative
        if isinstance(data, str):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(data, encoding="utf-8")
        else:
            write_json(path, data)
        return path

    def commit(self, day: dt.date, message: str, hour: int = 15) -> str:
        self.git("add", "-A")
        when = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC)
        self.git("commit", "-q", "--no-verify", "-m", message, when=when)
        ref = self.git("rev-parse", "HEAD").strip()
        self.commits.append(ref)
        return ref


D = dt.date

A_STATUS = D(2026, 2, 2)
B_STATUS = D(2026, 6, 1)
C_STATUS = D(2026, 4, 3)
A1, A2, A3 = "AC.L2-3.1.10", "AU.L2-3.3.4", "CM.L2-3.4.9"
B1, B2 = "AC.L2-3.1.9", "AU.L2-3.3.8"
C1, C2 = "AC.L2-3.1.10", "AU.L2-3.3.4"

ALPHA = "clients/alpha"
BRAVO = "clients/bravo"
CHARLIE = "clients/charlie"


def _opened(day: dt.date) -> Entry:
    return Entry("opened", day, "Opened", "open", "Assessed NOT MET.")


def _closed(day: dt.date, key: str = "closed") -> Entry:
    return Entry(key, day, "Closed", "closed", "Remediated and verified.")


def alpha(step: int) -> list[Item]:
    """Alpha's items as of each of its commits (0 to 5)."""
    a1 = Item(A1, log=(_opened(A_STATUS),), milestones=(Milestone("m1", "Move the workstations", D(2026, 3, 15)),))
    a2 = Item(A2, log=(_opened(A_STATUS),), milestones=(Milestone("m2", "Route the alerts", D(2026, 4, 1)),),
              owner="Marcus Lee")  # fmt: skip
    a3 = Item(A3, log=(_opened(A_STATUS),), milestones=(Milestone("m3", "Monitor installations", D(2026, 5, 1)),))
    if step >= 1:
        a1 = Item(A1, "closed", (_opened(A_STATUS), _closed(D(2026, 3, 18))),
                  (Milestone("m1", "Move the workstations", D(2026, 3, 15), completed=D(2026, 3, 18)),))  # fmt: skip
    if step >= 2:
        why = Entry("moved", D(2026, 3, 24), "Milestone moved", None,
                    "The monitoring vendor moved the integration to May.")  # fmt: skip
        a2 = Item(A2, "remediating", (_opened(A_STATUS), why),
                  (Milestone("m2", "Route the alerts", D(2026, 5, 15)),), owner="Marcus Lee")  # fmt: skip
    if step >= 3:
        a2 = Item(A2, "closed", (*a2.log, _closed(D(2026, 5, 14))),
                  (Milestone("m2", "Route the alerts", D(2026, 5, 15), completed=D(2026, 5, 14)),),
                  owner="Marcus Lee")  # fmt: skip
    if step >= 4:
        a3 = Item(A3, log=a3.log, milestones=(Milestone("m3", "Monitor installations", D(2026, 6, 30)),))
    if step >= 5:
        a3 = Item(A3, "closed", (*a3.log, _closed(D(2026, 7, 1))),
                  (Milestone("m3", "Monitor installations", D(2026, 6, 30), completed=D(2026, 7, 1)),))  # fmt: skip
    return [a1, a2, a3]


def bravo(step: int) -> list[Item]:
    """Bravo's items as of each of its commits (0 to 3)."""
    b1_log: tuple[Entry, ...] = (_opened(B_STATUS),)
    b1 = Item(B1, log=b1_log, milestones=(Milestone("m1", "Post the notice", D(2026, 9, 1)),))
    b2 = Item(B2, log=(_opened(B_STATUS),), milestones=(Milestone("m2", "Correlate the logs", D(2026, 10, 15)),))
    if step >= 1:
        b1 = Item(B1, "closed", (*b1_log, _closed(D(2026, 9, 15))), b1.milestones)
        b2 = Item(B2, log=b2.log, milestones=(Milestone("m2", "Correlate the logs", D(2026, 10, 5)),))
    if step >= 2:
        reopened = Entry("reopened", D(2026, 10, 1), "Reopened", "open", "The scan found the notice missing.")
        b1 = Item(B1, "open", (*b1.log, reopened), b1.milestones)
    if step >= 3:
        b1 = Item(B1, "closed", (*b1.log, _closed(D(2026, 11, 19), "closed-again")), b1.milestones)
    return [b1, b2]


def charlie(step: int) -> list[Item]:
    c1 = Item(C1, log=(_opened(C_STATUS),), milestones=(Milestone("m1", "Limit the sessions", D(2026, 7, 15)),))
    c2 = Item(C2, log=(_opened(C_STATUS),), milestones=(Milestone("m2", "Train on insider threat", D(2026, 9, 1)),))
    if step >= 1:
        c1 = Item(C1, "closed", (*c1.log, _closed(D(2026, 7, 31))), c1.milestones)
    return [c1, c2]


def charlie_results(not_met: list[str]) -> dict[str, Any]:
    start = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
    return results_document("charlie", not_met, start=start, end=dt.datetime(2026, 4, 3, 17, 0, tzinfo=dt.UTC))


def build(root: Path) -> Repository:
    """A consultant's repository through 2026: three client systems and the commits of a year.

    - `alpha` (Level 2, C3PAO; Conditional CMMC Status Date 2026-02-02): three items opened that day, closed on
      2026-03-18, 2026-05-14 and 2026-07-01; two milestones moved later (one with a risk-log entry saying why,
      one without);
    - `bravo` (Level 2, self-assessment; status date 2026-06-01): two items opened that day; one closed on
      2026-09-15, reopened by the version of 2026-10-01 and closed again on 2026-11-19; a milestone moved earlier;
    - `charlie` (Level 2, C3PAO; assessed 2026-04-01 to 04-03): SSP, assessment plan, results and POA&M; two
      items NOT MET (score 108), one closed on 2026-07-31 and MET in the corrected results of 2026-08-03 (109).

    Commits that change no document (the README, notes) come in between.
    """
    repo = Repository.create(root)
    repo.write("README.md", "Client POA&Ms, kept by Northgate.\n")
    repo.commit(D(2026, 1, 5), "Start the repository")

    def alpha_at(step: int, day: dt.date, message: str) -> None:
        repo.write(f"{ALPHA}/poam.json", poam_document("alpha", alpha(step), status_date=A_STATUS, modified=day))
        repo.commit(day, message)

    def bravo_at(step: int, day: dt.date, message: str) -> None:
        repo.write(f"{BRAVO}/poam.json", poam_document("bravo", bravo(step), status_date=B_STATUS, modified=day,
                                                       assessment_type="self"))  # fmt: skip
        repo.commit(day, message)

    repo.write(f"{ALPHA}/ssp.json", ssp_document("alpha"))
    alpha_at(0, D(2026, 2, 3), "alpha: the POA&M of the assessment")
    alpha_at(1, D(2026, 3, 20), "alpha: session lock in place")
    alpha_at(2, D(2026, 3, 25), "alpha: alert routing waits for the vendor")
    repo.write(f"{CHARLIE}/ssp.json", ssp_document("charlie"))
    repo.write(f"{CHARLIE}/assessment-plan.json", plan_document("charlie"))
    repo.write(f"{CHARLIE}/assessment-results.json", charlie_results([C1, C2]))
    repo.write(
        f"{CHARLIE}/poam.json", poam_document("charlie", charlie(0), status_date=C_STATUS, modified=D(2026, 4, 6))
    )
    repo.commit(D(2026, 4, 6), "charlie: assessment results and POA&M")
    repo.write(f"{ALPHA}/notes.md", "Call the vendor about the alert integration.\n")
    repo.commit(D(2026, 4, 20), "alpha: notes")
    alpha_at(3, D(2026, 5, 20), "alpha: alerts routed")
    repo.write(f"{BRAVO}/ssp.json", ssp_document("bravo"))
    bravo_at(0, D(2026, 6, 2), "bravo: the POA&M of the self-assessment")
    alpha_at(4, D(2026, 6, 10), "alpha: installation monitoring later")
    alpha_at(5, D(2026, 7, 6), "alpha: installations monitored")
    repo.write(f"{CHARLIE}/assessment-results.json", charlie_results([C2]))
    repo.write(
        f"{CHARLIE}/poam.json", poam_document("charlie", charlie(1), status_date=C_STATUS, modified=D(2026, 8, 3))
    )
    repo.commit(D(2026, 8, 3), "charlie: sessions limited; corrected results")
    bravo_at(1, D(2026, 9, 16), "bravo: notice posted")
    bravo_at(2, D(2026, 10, 1), "bravo: notice missing again")
    bravo_at(3, D(2026, 11, 20), "bravo: notice posted for good")
    repo.write("README.md", "Client POA&Ms, kept by Northgate. One folder per client.\n")
    repo.commit(D(2026, 12, 15), "README: one folder per client")
    return repo


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path, help="a new folder for the repository")
    args = parser.parse_args(argv)
    if args.folder.exists():
        parser.error(f"{args.folder} exists; name a new folder")
    repo = build(args.folder)
    print(f"{args.folder}: {len(repo.commits)} commits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
