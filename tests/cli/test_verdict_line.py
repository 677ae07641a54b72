"""One wording of the verdict for derive, check and score, built from the engine's verdicts."""

from __future__ import annotations

import datetime as dt

from oscal_poam.cli.verdict_line import verdict_line
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.engine.verdict import Verdict

STATUS_DATE = dt.date(2026, 1, 15)
DAY_180 = STATUS_DATE + dt.timedelta(days=180)  # 2026-07-14


def _verdict(
    status: str, name: str, *, reasons: tuple[Diagnostic, ...] = (), deadline: dt.date | None = None
) -> Verdict:
    return Verdict(
        level=2,
        assessment_type="c3pao",
        status=status,  # type: ignore[arg-type]
        cmmc_status=name,
        reasons=reasons,
        status_date=STATUS_DATE,
        deadline=deadline,
    )


def _error(message: str) -> Diagnostic:
    return Diagnostic(rule_id="eligibility-test", severity=Severity.ERROR, message=message)


def test_conditional_counts_the_days_left_and_past() -> None:
    verdict = _verdict("conditional", "Conditional Level 2 (C3PAO)", deadline=DAY_180)
    assert verdict_line(verdict, dt.date(2026, 7, 13)) == (
        "Verdict: Conditional Level 2 (C3PAO); closeout due by 2026-07-14 (1 day left as of 2026-07-13)"
    )
    assert verdict_line(verdict, dt.date(2026, 7, 14)).endswith("(0 days left as of 2026-07-14)")
    assert verdict_line(verdict, None) == "Verdict: Conditional Level 2 (C3PAO); closeout due by 2026-07-14"


def test_no_status_says_how_many_reasons_and_where() -> None:
    verdict = _verdict("none", "No CMMC status", reasons=(_error("a"), _error("b")))
    assert verdict_line(verdict, None) == "Verdict: No CMMC status (2 reasons: the errors below)"
    assert verdict_line(verdict, None, reasons_at="run without --quiet to see them").endswith(
        "(2 reasons: run without --quiet to see them)"
    )


def test_expired_is_counted_past_its_day_180() -> None:
    verdict = _verdict("expired", "No CMMC status", reasons=(_error("day 180 passed"),), deadline=DAY_180)
    assert verdict_line(verdict, dt.date(2026, 7, 16)) == (
        "Verdict: No CMMC status; day 180 was 2026-07-14 (2 days past as of 2026-07-16) (1 reason: the errors below)"
    )


def test_final_is_the_status_alone() -> None:
    assert (
        verdict_line(_verdict("final", "Final Level 2 (C3PAO)"), dt.date(2026, 7, 1))
        == "Verdict: Final Level 2 (C3PAO)"
    )
