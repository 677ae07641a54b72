"""tools/regen.py runs every generator in tools/, and fails when any of them does."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tools import regen


def test_every_generator_is_run() -> None:
    assert set(regen.GENERATORS) == {path.stem for path in (ROOT / "tools").glob("gen_*.py")}
    assert regen.GENERATORS.index("gen_examples") > regen.GENERATORS.index("gen_catalogs")  # examples use both
    assert regen.GENERATORS.index("gen_examples") > regen.GENERATORS.index("gen_xml_binding")
    assert regen.GENERATORS.index("gen_examples") > regen.GENERATORS.index("gen_scanner_fixtures")  # the scans
    assert regen.GENERATORS.index("gen_scanner_fixtures") > regen.GENERATORS.index("gen_catalogs")
    assert regen.GENERATORS[-1] == "gen_report_screenshots"  # the pages of the examples


@pytest.mark.parametrize("check", [True, False])
def test_a_failing_generator_fails_the_run_and_the_others_still_run(
    check: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran: list[tuple[str, bool]] = []

    def fake_run(name: str, check: bool) -> int:
        ran.append((name, check))
        return 1 if name == "gen_examples" else 0

    monkeypatch.setattr(regen, "run", fake_run)
    assert regen.main(["--check"] if check else []) == 1
    assert ran == [(name, check) for name in regen.GENERATORS]
    assert "gen_examples" in capsys.readouterr().err
    monkeypatch.setattr(regen, "run", lambda name, check: 0)
    assert regen.main(["--check"] if check else []) == 0


def test_check_passes_on_the_committed_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert regen.main(["--check"]) == 0, capsys.readouterr()
