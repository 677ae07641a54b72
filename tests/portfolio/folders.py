"""Folders of systems for the portfolio tests, written with the builders of tools/history_demo.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tools.history_demo import (
    Entry,
    Item,
    Milestone,
    plan_document,
    poam_document,
    results_document,
    ssp_document,
    write_json,
)

D = dt.date
AS_OF = D(2026, 12, 31)
RESULTS_START = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
RESULTS_END = dt.datetime(2026, 4, 3, 17, 0, tzinfo=dt.UTC)


def poam_system(folder: Path, name: str, status_date: dt.date, items: list[Item]) -> None:
    write_json(folder / "ssp.json", ssp_document(name))
    write_json(folder / "poam.json", poam_document(name, items, status_date=status_date, modified=status_date))


def results_system(folder: Path, name: str, not_met: list[str]) -> None:
    write_json(folder / "ssp.json", ssp_document(name))
    write_json(folder / "assessment-plan.json", plan_document(name))
    write_json(
        folder / "assessment-results.json", results_document(name, not_met, start=RESULTS_START, end=RESULTS_END)
    )


def opened(day: dt.date) -> Entry:
    return Entry("opened", day, "Opened", "open")


def clients(root: Path) -> dict[str, Path]:
    """Six clients, one of each urgency, as of 2026-12-31:

    - `expired`: status date 2026-01-05, day 180 on 2026-07-04, an item still open;
    - `soon`: status date 2026-07-14 (day 170: 10 days left), a milestone overdue since 2026-12-01;
    - `later`: status date 2026-10-02 (day 90: 90 days left), a milestone after day 180 (2027-04-15);
    - `blocked`: results with AC.L2-3.1.20 NOT MET, which may never be on a POA&M: no status;
    - `bare`: an SSP and nothing else: not judged;
    - `final`: results with every requirement MET, and no POA&M.
    """
    folders = {name: root / name for name in ("expired", "soon", "later", "blocked", "bare", "final")}
    poam_system(folders["expired"], "expired", D(2026, 1, 5), [Item("AC.L2-3.1.10", log=(opened(D(2026, 1, 5)),))])
    overdue = Milestone("1", "Route the alerts", D(2026, 12, 1))
    poam_system(folders["soon"], "soon", D(2026, 7, 14),
                [Item("AU.L2-3.3.4", log=(opened(D(2026, 7, 14)),), milestones=(overdue,)),
                 Item("CM.L2-3.4.9", log=(opened(D(2026, 7, 14)),))])  # fmt: skip
    late = Milestone("1", "Replace the appliance", D(2027, 4, 15))
    poam_system(folders["later"], "later", D(2026, 10, 2),
                [Item("AC.L2-3.1.9", log=(opened(D(2026, 10, 2)),), milestones=(late,))])  # fmt: skip
    results_system(folders["blocked"], "blocked", ["AC.L2-3.1.20"])
    write_json(folders["bare"] / "ssp.json", ssp_document("bare"))
    results_system(folders["final"], "final", [])
    return folders
