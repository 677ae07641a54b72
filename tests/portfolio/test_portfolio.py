"""The portfolio: systems found under folders, each judged as `report` judges it, in the order of urgency."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from oscal_poam.portfolio.api import Portfolio, portfolio
from oscal_poam.portfolio.model import Row, next_checkpoint
from oscal_poam.portfolio.render import render_html, render_json, render_markdown
from oscal_poam.report import report
from tests.conftest import ROOT
from tests.portfolio.folders import AS_OF, clients

D = dt.date
EXAMPLES = ROOT / "examples"
EXAMPLES_AS_OF = D(2027, 2, 10)


@pytest.fixture(scope="module")
def examples() -> Portfolio:
    return portfolio([EXAMPLES], as_of=EXAMPLES_AS_OF, reports="portfolio-systems")


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> Portfolio:
    root = tmp_path_factory.mktemp("clients")
    clients(root)
    return portfolio([root], as_of=AS_OF, reports="reports")


def row(found: Portfolio, folder: str) -> Row:
    return next(r for r in found.rows if Path(r.key).parent.name == folder)


def test_the_examples_are_four_systems(examples: Portfolio) -> None:
    """Each example folder holds one system in JSON and XML (counted once) and, in l2-conditional, the derived, the
    maintained and the verified POA&M (the latest, the verified one, is judged)."""
    assert sorted(Path(r.key).parent.name for r in examples.rows) == [
        "l2-closeout",
        "l2-conditional",
        "l2-not-eligible",
        "l3-conditional",
    ]
    conditional = row(examples, "l2-conditional")
    assert conditional.documents == tuple(
        str(EXAMPLES / "l2-conditional" / name)
        for name in ("poam-verified.json", "assessment-results.json", "ssp.json")
    )
    assert conditional.notes == tuple(
        f"{EXAMPLES / 'l2-conditional' / name}: an older POA&M, not judged"
        for name in ("poam-maintained.json", "poam.json")
    )
    assert examples.unread == () and examples.not_followed == ()


@pytest.mark.parametrize("folder", ["l2-conditional", "l2-not-eligible", "l3-conditional", "l2-closeout"])
def test_each_row_is_what_the_report_says(examples: Portfolio, folder: str) -> None:
    """The same documents given to `report` give the same verdict, score and counts: one engine."""
    found = row(examples, folder)
    poam, results, ssp = (Path(d) for d in found.documents)
    data = report(poam, results=results, ssp=ssp, as_of=EXAMPLES_AS_OF)
    assert found.verdict == data.verdict
    assert found.score == data.score
    assert (found.status_date, found.open_items, found.overdue_milestones) == (
        data.status_date,
        data.open_items,
        data.overdue_milestones,
    )
    assert found.milestones_after_deadline == data.milestones_after_deadline
    assert found.errors == sum(len(g.diagnostics) for g in data.diagnostics if g.severity.value == "error")


def test_the_clock_of_the_examples(examples: Portfolio) -> None:
    """l2-conditional: status date 2026-10-16, day 180 on 2027-04-14: as of 2027-02-10 day 117, 63 days left, next
    day 120 on 2027-02-13 (3 days). l3-conditional: 2026-11-13, day 180 on 2027-05-12: day 89, 91 days left, day 120
    on 2027-03-13 (31 days). l2-not-eligible has no status, so no clock."""
    l2, l3 = row(examples, "l2-conditional"), row(examples, "l3-conditional")
    assert (l2.day, l2.days_left, l2.deadline) == (117, 63, D(2027, 4, 14))
    assert l2.checkpoint is not None
    assert (l2.checkpoint.day, l2.checkpoint.date, l2.checkpoint.days_until) == (120, D(2027, 2, 13), 3)
    assert (l3.day, l3.days_left) == (89, 91)
    assert l3.checkpoint is not None and (l3.checkpoint.date, l3.checkpoint.days_until) == (D(2027, 3, 13), 31)
    blocked = row(examples, "l2-not-eligible")
    assert (blocked.verdict.kind, blocked.days_left, blocked.checkpoint) == ("none", None, None)


def test_the_next_checkpoint() -> None:
    status = D(2026, 1, 1)  # day 120: 2026-05-01, day 150: 2026-05-31, day 180: 2026-06-30
    assert next_checkpoint(status, D(2026, 5, 1)).day == 120  # type: ignore[union-attr]
    assert next_checkpoint(status, D(2026, 5, 2)).day == 150  # type: ignore[union-attr]
    assert next_checkpoint(status, D(2026, 6, 30)).days_until == 0  # type: ignore[union-attr]
    assert next_checkpoint(status, D(2026, 7, 1)) is None


def test_sorted_by_urgency(six: Portfolio) -> None:
    """Expired first; then Conditional by days left (10, then 90); then no status; then not judged; then Final."""
    assert [Path(r.key).parent.name for r in six.rows] == ["expired", "soon", "later", "blocked", "bare", "final"]
    assert [r.verdict.kind for r in six.rows] == ["expired", "conditional", "conditional", "none", "unknown", "final"]


def test_the_figures_of_each_client(six: Portfolio) -> None:
    expired, soon, later = row(six, "expired"), row(six, "soon"), row(six, "later")
    assert (expired.days_left, expired.open_items, expired.checkpoint) == (-180, 1, None)  # day 180: 2026-07-04
    assert (soon.days_left, soon.open_items, soon.overdue_items, soon.overdue_milestones) == (10, 2, 1, 1)
    assert soon.checkpoint is not None and (soon.checkpoint.day, soon.checkpoint.days_until) == (180, 10)
    assert (later.days_left, later.milestones_after_deadline) == (90, 1)  # day 180: 2027-03-31; a milestone 04-15
    assert later.checkpoint is not None and (later.checkpoint.day, later.checkpoint.date) == (120, D(2027, 1, 30))
    blocked = row(six, "blocked")
    assert blocked.score.value == 109 and blocked.report is None and blocked.items is None  # results alone
    assert any("AC.L2-3.1.20" in reason.message for reason in blocked.verdict.reasons)
    final = row(six, "final")
    assert (final.verdict.cmmc_status, final.score.value) == ("Final Level 2 (C3PAO)", 110)
    assert row(six, "bare").verdict.detail == "neither a POA&M nor assessment results were found for it"
    assert six.total("open_items") == 4
    assert six.by_verdict() == {"expired": 1, "conditional": 2, "none": 1, "unknown": 1, "final": 1}


def test_regressed_verification_is_what_the_engine_reports(six: Portfolio, tmp_path: Path) -> None:
    """The engine reports an item whose verification regressed (`verification-regressed`); the portfolio counts
    the items it names, 0 where it names none, and says "not available" only where the engine has no such rule."""
    from oscal_poam.io.write import write
    from oscal_poam.portfolio import verification
    from oscal_poam.verification.api import verify
    from tests.verification import scenario

    assert six.regressed_available
    assert [r.regressed for r in six.rows] == [0, 0, 0, 0, None, 0]  # the bare SSP is not judged
    folder = tmp_path / "acme"
    folder.mkdir()
    for name in ("ssp.json", "assessment-plan.json", "assessment-results.json"):
        (folder / name).write_bytes((EXAMPLES / "l2-conditional" / name).read_bytes())
    fmt = scenario.FORMATS[0]  # CM.L2-3.4.9 closed, its Prowler check failing: regressed
    poam = scenario.write(folder, scenario.for_format(fmt))
    recorded = verify(poam, fmt.files, as_of=EXAMPLES_AS_OF, output=poam)
    write(recorded.poam, poam)
    (found,) = portfolio([folder], as_of=EXAMPLES_AS_OF).rows
    assert found.regressed == 1
    rule = verification.REGRESSED_RULE
    diagnostics = [d for d in recorded.evaluation.diagnostics if d.rule_id == rule]
    assert verification.regressed_items(diagnostics) == 1


def test_the_pages(six: Portfolio) -> None:
    html = render_html(six)
    for r in six.rows:
        if r.system_id:
            assert r.system_id in html
        if r.report is not None:
            assert f'href="{r.report}"' in html
    data = json.loads(render_json(six))
    assert [r["key"] for r in data["rows"]] == [r.key for r in six.rows]
    assert data["rows"][1]["next-checkpoint"] == {
        "day": 180,
        "what": "deadline",
        "date": "2027-01-10",
        "days-until": 10,
    }
    text = render_markdown(six)
    assert text.startswith("## CMMC portfolio as of 2026-12-31: 6 systems\n")
    assert "1 expired, 2 Conditional, 1 no CMMC status, 1 not judged, 1 Final. 4 open POA&M items" in text
    assert "| 10 days left | day 180 on 2027-01-10 (10 days) | 2 | 1 | 0 | 0 |" in text


def test_links_out_of_the_folders_are_not_followed(tmp_path: Path) -> None:
    """A file that links outside the folders given is listed and never opened; an unreadable file is listed with
    its place; neither stops the portfolio."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.json"
    secret.write_text('{"system-security-plan": {"uuid": "SECRET-TOKEN-1234"}}', encoding="utf-8")
    inside = tmp_path / "repo"
    clients(inside)
    (inside / "expired" / "leak.json").symlink_to(secret)
    (inside / "soon" / "broken.json").write_text('{"plan-of-action-and-milestones": ', encoding="utf-8")
    found = portfolio([inside], as_of=AS_OF)
    assert found.not_followed == (str(inside / "expired" / "leak.json"),)
    assert [u.shown for u in found.unread] == [str(inside / "soon" / "broken.json")]
    assert "invalid JSON" in found.unread[0].message
    assert len(found.rows) == 6
    for page in (render_html(found), render_json(found), render_markdown(found)):
        assert "SECRET-TOKEN-1234" not in page


def test_documents_are_linked_by_system_id_and_by_folder(tmp_path: Path) -> None:
    """A POA&M whose import-ssp names nothing found is matched by its system-id; results whose plan is missing
    belong to the SSP of their folder."""
    folders = clients(tmp_path)
    poam = folders["soon"] / "poam.json"
    data = json.loads(poam.read_text(encoding="utf-8"))
    data["plan-of-action-and-milestones"]["import-ssp"]["href"] = "https://example.com/ssp.json"
    moved = tmp_path / "elsewhere" / "poam.json"
    moved.parent.mkdir()
    moved.write_text(json.dumps(data), encoding="utf-8")
    poam.unlink()
    (folders["blocked"] / "assessment-plan.json").unlink()
    found = portfolio([tmp_path], as_of=AS_OF)
    soon = row(found, "soon")
    assert soon.documents[0] == str(moved) and soon.open_items == 2
    assert soon.notes == (f"{moved}: matched to the SSP by its system-id",)
    blocked = row(found, "blocked")
    assert blocked.verdict.kind == "none"
    assert "its assessment plan cannot be followed" in blocked.notes[0]
