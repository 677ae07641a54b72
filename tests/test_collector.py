"""collector_paused: the cyclic collector is off inside the block and restored as it was after it."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import oscal_poam.io.convert as convert_module
from oscal_poam.collector import collector_paused
from oscal_poam.errors import LoadError
from oscal_poam.io.load import Document
from oscal_poam.io.write import OutputFormat
from oscal_poam.parallel import map_in_processes
from tests.conftest import OSCAL_CONTENT


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_paused_inside_and_enabled_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_nested_blocks_restore_once_the_outer_one_ends() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_restored_when_the_block_raises() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_as_a_decorator() -> None:
    @collector_paused()
    def inside() -> bool:
        return gc.isenabled()

    assert inside() is False
    assert inside() is False
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_what_the_block_built_moves_to_the_oldest_generation_unwalked() -> None:
    with collector_paused():
        built = [[n] for n in range(10_000)]
    assert gc.get_count()[0] < 10_000  # no young collection is due to walk them
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(built) in oldest and id(built[-1]) in oldest


@pytest.mark.usefixtures("collector_on")
def test_the_callers_frozen_objects_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            built = [[n] for n in range(100)]
        assert gc.get_freeze_count() == frozen
        assert id(built) not in {id(o) for o in gc.get_objects(generation=2)}
    finally:
        gc.unfreeze()


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


@pytest.mark.usefixtures("collector_on")
def test_a_conversion_runs_paused_and_restores_it_whether_it_succeeds_or_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = convert_module.convert_bytes

    def recording(document: Document, fmt: OutputFormat, target: str) -> bytes:
        seen.append(gc.isenabled())
        return real(document, fmt, target)

    monkeypatch.setattr(convert_module, "convert_bytes", recording)
    convert_module.convert(OSCAL_CONTENT / "catalog" / "json" / "basic-catalog-min.json", tmp_path / "catalog.xml")
    assert seen == [False]
    assert (tmp_path / "catalog.xml").read_bytes().startswith(b"<?xml")
    assert gc.isenabled()
    (tmp_path / "broken.json").write_text('{"catalog": ', encoding="utf-8")
    with pytest.raises(LoadError):
        convert_module.convert(tmp_path / "broken.json", tmp_path / "broken.xml")
    assert gc.isenabled()
    assert not (tmp_path / "broken.xml").exists()


def _unit(item: int) -> tuple[int, bool, int]:
    return item * item, gc.isenabled(), os.getpid()


@pytest.mark.usefixtures("collector_on")
@pytest.mark.parametrize("jobs", [1, 2])
def test_each_unit_of_work_runs_paused_and_the_results_keep_their_order(jobs: int) -> None:
    found = list(map_in_processes(_unit, list(range(40)), jobs=jobs))
    assert [square for square, _, _ in found] == [n * n for n in range(40)]
    assert not any(enabled for _, enabled, _ in found)
    assert gc.isenabled()  # on again between units and after them
    assert ({pid for _, _, pid in found} == {os.getpid()}) == (jobs == 1)
