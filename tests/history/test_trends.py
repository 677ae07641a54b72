"""The trends of a real git repository (three systems, a year of commits: tools/history_demo.py), every figure
checked against the value worked out by hand from the commits the repository was built with."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from oscal_poam.history.api import SystemTrend, Trends, trends
from oscal_poam.history.render import markdown_lines, render_json
from tools import history_demo as demo

D = dt.date
AS_OF = D(2026, 12, 31)


@pytest.fixture(scope="module")
def found(consultant: Path) -> Trends:
    return trends([consultant], as_of=AS_OF)


def system(found: Trends, name: str) -> SystemTrend:
    return next(s for s in found.systems if s.name == f"{name.title()} Enclave")


def test_the_history_is_read_from_git(found: Trends) -> None:
    (source,) = found.sources
    assert source.kind == "git"
    assert source.versions == 15  # every commit: the README ones too
    assert (source.first, source.last) == (D(2026, 1, 5), D(2026, 12, 15))
    assert [s.name for s in found.systems] == ["Alpha Enclave", "Bravo Enclave", "Charlie Enclave"]
    assert [s.key for s in found.systems] == [f"{f}/ssp.json" for f in (demo.ALPHA, demo.BRAVO, demo.CHARLIE)]


def test_open_items_over_time(found: Trends) -> None:
    """A system is judged at each commit that changes one of its documents; the portfolio's count is each system's
    latest, summed. The README and notes commits (01-05, 04-20, 12-15) change no document."""
    alpha = system(found, "alpha")
    assert [(p.day, p.open_items) for p in alpha.points] == [
        (D(2026, 2, 3), 3),  # three items opened
        (D(2026, 3, 20), 2),  # AC.L2-3.1.10 closed
        (D(2026, 3, 25), 2),  # a milestone moved: still two
        (D(2026, 5, 20), 1),  # AU.L2-3.3.4 closed
        (D(2026, 6, 10), 1),  # a milestone moved
        (D(2026, 7, 6), 0),  # CM.L2-3.4.9 closed
    ]
    bravo = system(found, "bravo")
    assert [(p.day, p.open_items) for p in bravo.points] == [
        (D(2026, 6, 2), 2),
        (D(2026, 9, 16), 1),
        (D(2026, 10, 1), 2),  # reopened
        (D(2026, 11, 20), 1),
    ]
    charlie = system(found, "charlie")
    assert [(p.day, p.open_items) for p in charlie.points] == [(D(2026, 4, 6), 2), (D(2026, 8, 3), 1)]
    # alpha 3; then 2; with charlie's 2: 4; alpha 1: 3; bravo's 2: 5; alpha 0: 4; charlie 1: 3; bravo 1: 2;
    # bravo reopened: 3; bravo closed again: 2
    assert found.open_items == [
        (D(2026, 2, 3), 3),
        (D(2026, 3, 20), 2),
        (D(2026, 3, 25), 2),
        (D(2026, 4, 6), 4),
        (D(2026, 5, 20), 3),
        (D(2026, 6, 2), 5),
        (D(2026, 6, 10), 5),
        (D(2026, 7, 6), 4),
        (D(2026, 8, 3), 3),
        (D(2026, 9, 16), 2),
        (D(2026, 10, 1), 3),
        (D(2026, 11, 20), 2),
    ]


def test_opened_and_closed_per_month(found: Trends) -> None:
    """Opened: the risk log's first opening entry (alpha 02-02 x3, charlie 04-03 x2, bravo 06-01 x2) and bravo's
    reopening (the version of 10-01). Closed: the risk log's closing entries: alpha 03-18, 05-14, 07-01; charlie
    07-31; bravo 09-15 and 11-19."""
    assert [(m.month, m.opened, m.closed) for m in found.months] == [
        ("2026-02", 3, 0),
        ("2026-03", 0, 1),
        ("2026-04", 2, 0),
        ("2026-05", 0, 1),
        ("2026-06", 2, 0),
        ("2026-07", 0, 2),
        ("2026-08", 0, 0),
        ("2026-09", 0, 1),
        ("2026-10", 1, 0),
        ("2026-11", 0, 1),
    ]
    bravo = system(found, "bravo")
    assert [(e.kind, e.day, e.item, e.source) for e in bravo.events] == [
        ("opened", D(2026, 6, 1), demo.B1, "risk-log"),
        ("opened", D(2026, 6, 1), demo.B2, "risk-log"),
        ("closed", D(2026, 9, 15), demo.B1, "risk-log"),
        ("reopened", D(2026, 10, 1), demo.B1, "version"),
        ("closed", D(2026, 11, 19), demo.B1, "risk-log"),
    ]


def test_time_to_remediate(found: Trends) -> None:
    """From the first opening to the last closing entry of each item closed in its latest version:
    alpha 02-02 -> 03-18 = 44, -> 05-14 = 101, -> 07-01 = 149; charlie 04-03 -> 07-31 = 119;
    bravo 06-01 -> 11-19 = 171 (reopened in between); bravo's other item is open. Mean 584 / 5 = 116.8,
    median 119."""
    assert sorted(r.days for r in found.remediations) == [44, 101, 119, 149, 171]
    assert found.mean_days == pytest.approx(116.8)
    assert found.median_days == 119
    assert found.undated_closures == 0
    alpha = system(found, "alpha")
    assert alpha.mean_days == pytest.approx((44 + 101 + 149) / 3)
    assert alpha.median_days == 101


def test_score_over_time(found: Trends) -> None:
    """Alpha and bravo have no results: the score their POA&M records, 110 less 1 point per item (alpha's three:
    107, bravo's two: 108). Charlie's results find two 1-point requirements NOT MET (108), then one (109)."""
    assert {p.score for p in system(found, "alpha").points} == {107}
    assert {p.score for p in system(found, "bravo").points} == {108}
    assert [(p.score, p.maximum) for p in system(found, "charlie").points] == [(108, 110), (109, 110)]


def test_milestone_slips(found: Trends) -> None:
    """Alpha's alert routing moved from 04-01 to 05-15 (+44) with a risk-log entry; installation monitoring from
    05-01 to 06-30 (+60) with none. Bravo's milestone moved earlier (10-15 to 10-05): not a slip."""
    slips = [(s.name, slip.day, slip.item, slip.before, slip.after, slip.days, slip.source) for s, slip in found.slips]
    assert slips == [
        ("Alpha Enclave", D(2026, 3, 25), demo.A2, "2026-04-01", "2026-05-15", 44, "risk-log"),
        ("Alpha Enclave", D(2026, 6, 10), demo.A3, "2026-05-01", "2026-06-30", 60, ""),
    ]
    first = found.slips[0][1]
    assert first.justification == "Milestone moved: The monitoring vendor moved the integration to May."
    assert first.subject == "alpha: alert routing waits for the vendor"


def test_the_countdown(found: Trends) -> None:
    """As of 2026-12-31: alpha's day 180 was 2026-08-01 (152 days before), bravo's 2026-11-28 (33 days),
    charlie's (status date 2026-04-03, the results' end) 2026-09-30 (92 days)."""
    countdowns = {s.name: s.countdown(AS_OF) for s in found.systems}
    assert {n: (c.deadline, c.day, c.days_left) for n, c in countdowns.items() if c} == {
        "Alpha Enclave": (D(2026, 8, 1), 332, -152),
        "Bravo Enclave": (D(2026, 11, 28), 213, -33),
        "Charlie Enclave": (D(2026, 9, 30), 272, -92),
    }
    assert system(found, "bravo").countdown(D(2026, 10, 1)).days_left == 58


def test_as_of_and_since_cut_the_history(consultant: Path) -> None:
    """As of 2026-06-30 only the commits up to then count; since 2026-06-01 the trends start then (the last version
    before stays, so that the lines start where they stood)."""
    early = trends([consultant], as_of=D(2026, 6, 30))
    assert early.open_items[-1] == (D(2026, 6, 10), 5)
    assert sorted(r.days for r in early.remediations) == [44, 101]
    later = trends([consultant], as_of=AS_OF, since=D(2026, 6, 1))
    alpha = system(later, "alpha")
    assert [p.day for p in alpha.points] == [D(2026, 5, 20), D(2026, 6, 10), D(2026, 7, 6)]
    assert later.months[0].month == "2026-06"
    assert sorted(r.days for r in later.remediations) == [119, 149, 171]
    assert [slip.days for _, slip in later.slips] == [60]


def test_dated_copies_give_the_same_trends(consultant: Path, tmp_path: Path) -> None:
    """A folder of dated copies (no git): one folder per day holding the documents of that day."""
    from oscal_poam.history.git import git_history

    history = git_history(consultant / demo.ALPHA)
    assert history is not None
    copies = tmp_path / "alpha-copies"
    try:
        for version, files, changed in history.states():
            if not any(p.endswith(".json") for p in changed):
                continue
            folder = copies / version.day.isoformat()
            for path, key in files.items():
                target = folder / Path(path).relative_to(demo.ALPHA)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(history.store.read(key, path))
    finally:
        history.close()
    from_copies = trends([copies], as_of=AS_OF)
    from_git = trends([consultant / demo.ALPHA], as_of=AS_OF)
    assert from_copies.sources[0].kind == "copies"
    assert from_copies.open_items == from_git.open_items
    assert [(m.month, m.opened, m.closed) for m in from_copies.months] == [
        (m.month, m.opened, m.closed) for m in from_git.months
    ]
    assert sorted(r.days for r in from_copies.remediations) == [44, 101, 149]
    assert [(s.item, s.days) for _, s in from_copies.slips] == [(demo.A2, 44), (demo.A3, 60)]


def test_json_and_markdown_carry_the_figures(found: Trends) -> None:
    data = json.loads(render_json(found))
    assert data["time-to-remediate"]["mean-days"] == 116.8
    assert data["time-to-remediate"]["median-days"] == 119
    assert [m["opened"] for m in data["opened-closed-per-month"]] == [3, 0, 2, 0, 2, 0, 0, 0, 1, 0]
    assert [s["days"] for s in data["milestone-slips"]] == [44, 60]
    alpha = data["systems"][0]
    assert alpha["countdown"] == {"status-date": "2026-02-02", "deadline": "2026-08-01", "day": 332, "days-left": -152}
    text = "\n".join(markdown_lines(found))
    assert "mean 116.8 days, median 119.0 days" in text
    assert "**none recorded**" in text


def test_a_repository_without_git_history_is_refused(tmp_path: Path) -> None:
    from oscal_poam.errors import UsageError

    (tmp_path / "poam.json").write_text("{}", encoding="utf-8")
    with pytest.raises(UsageError, match="neither in a git work tree nor a folder of dated copies"):
        trends([tmp_path], as_of=AS_OF)


def test_the_demo_repository_is_the_same_everywhere(consultant: Path, tmp_path: Path) -> None:
    """Fixed authors and dates: the same commit ids on every machine (the trend screenshots depend on it)."""
    if shutil.which("git") is None:
        pytest.skip(demo.NO_GIT)
    again = demo.build(tmp_path / "again")
    first = demo.Repository(consultant)
    assert again.git("rev-parse", "HEAD") == first.git("rev-parse", "HEAD")
