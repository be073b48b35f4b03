"""The worker's sweeper threads: the intake mover, the hint, KPI rollup and similar-index
sweepers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from liaison.cases import similar, similar_store
from liaison.cases.models import Case, IntakeEntry, Kind
from liaison.cases.services import category_hints, journal, journal_move
from liaison.cases.tests.factories import CaseFactory
from liaison.workbench.management.commands import worker
from liaison.workbench.management.commands.worker import _sweepers, run_sweeper

BATCH = 10


def in_thread(target: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_sweepers_are_the_intake_mover_the_hint_kpi_rollup_and_similar_index_sweepers(
    settings: Any,
) -> None:
    settings.INTAKE_MOVE_SECONDS = 0.5
    settings.CATEGORY_HINT_SWEEP_SECONDS = 7
    settings.KPI_ROLLUP_SWEEP_SECONDS = 20
    settings.SIMILAR_INDEX_SWEEP_SECONDS = 4
    stop = threading.Event()
    threads = _sweepers(stop)
    assert [t.name for t in threads] == [
        "intake-mover",
        "hint-sweeper",
        "kpi-rollup-sweeper",
        "similar-index-sweeper",
    ]
    assert all(t.daemon and not t.is_alive() for t in threads)
    mover, sweeper, rollup, similar_index = threads
    # The rollup's sweep never reports a full batch: it waits its 20 s after every run.
    assert rollup._args[1:] == (20.0, worker._kpi_rollup_tick, 1, "kpi-rollup-sweeper")
    # One county's index per call: a built one is followed by the next at once.
    assert similar_index._args[1:] == (
        4.0,
        similar_store.similar_indexes_sweep,
        1,
        "similar-index-sweeper",
    )
    # Thread keeps its target and arguments in private attributes; nothing public exposes them.
    assert mover._target is run_sweeper
    assert sweeper._target is run_sweeper
    stop_, seconds, work, batch, label = mover._args
    assert (stop_, seconds, batch, label) == (stop, 0.5, journal_move.BATCH, "intake-mover")
    assert work is journal_move.intake_journal_tick  # the journal's batch step
    assert sweeper._args == (
        stop,
        7.0,
        category_hints.case_category_hints_fill,
        category_hints.BATCH,
        "hint-sweeper",
    )


def test_a_full_batch_is_followed_by_another_call_at_once() -> None:
    """With a minute between ticks, only going on at once after a full batch can finish."""
    stop = threading.Event()
    results = iter([BATCH, BATCH, 3])
    calls: list[int] = []

    def work() -> int:
        done = next(results)
        calls.append(done)
        if done < BATCH:
            stop.set()
        return done

    thread = in_thread(lambda: run_sweeper(stop, 60, work, BATCH, "test-sweeper"))
    thread.join(timeout=2)
    waited = thread.is_alive()
    stop.set()  # ends a sweeper that waited after a full batch
    thread.join(timeout=2)
    assert not waited
    assert calls == [BATCH, BATCH, 3]


def test_a_short_batch_waits_for_the_next_tick() -> None:
    stop = threading.Event()
    first_done = threading.Event()
    calls: list[int] = []

    def work() -> int:
        calls.append(1)
        first_done.set()
        return BATCH - 1

    thread = in_thread(lambda: run_sweeper(stop, 60, work, BATCH, "test-sweeper"))
    assert first_done.wait(timeout=2)
    stop.set()  # wakes the sweeper from its wait
    thread.join(timeout=2)
    assert not thread.is_alive()
    assert calls == [1]


def test_ticks_come_every_few_seconds_until_stop() -> None:
    stop = threading.Event()
    calls: list[int] = []

    def work() -> int:
        calls.append(1)
        if len(calls) == 3:
            stop.set()
        return 0

    thread = in_thread(lambda: run_sweeper(stop, 0.01, work, BATCH, "test-sweeper"))
    thread.join(timeout=2)
    assert not thread.is_alive()
    assert len(calls) == 3


def test_a_set_stop_means_no_work() -> None:
    stop = threading.Event()
    stop.set()
    calls: list[int] = []
    run_sweeper(stop, 60, lambda: calls.append(1) or 0, BATCH, "test-sweeper")
    assert calls == []


def test_a_failing_run_is_logged_and_tried_at_the_next_tick(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stop = threading.Event()
    calls: list[int] = []

    def work() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database restarting")
        stop.set()
        return 0

    with caplog.at_level(logging.ERROR, logger=worker.logger.name):
        run_sweeper(stop, 0.01, work, BATCH, "test-sweeper")
    assert len(calls) == 2
    assert "test-sweeper failed" in caplog.text
    assert "database restarting" in caplog.text


@pytest.mark.django_db
def test_worker_once_moves_the_journal_before_filling_hints(
    station: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.INTAKE_MOVE_INLINE = False
    # The move leaves the hint to the sweep, which must then find the new case.
    monkeypatch.setattr(
        journal_move, "classification_hint_many", lambda texts: [None for _text in texts]
    )
    receipt = journal.intake_entry_submit(
        kind=Kind.SUGGESTION,
        title="建议增设公交站",
        content="小区门口到地铁站距离较远，建议增设公交站。",
        station=station,
        consent=True,
    )
    assert not Case.objects.exists()
    call_command("worker", "--once")
    case = Case.objects.get(tracking_code=receipt.tracking_code)
    assert IntakeEntry.objects.get().case_id == case.pk
    assert not case.hint_pending
    assert case.hint_label


@pytest.mark.django_db
def test_the_worker_loop_builds_the_asked_counties_and_only_them(
    yuelu: Any, changsha_county: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    # The loop runs in the test's thread here: closing the connections between sweeps, as the
    # worker's threads do, would close the test's transaction on PostgreSQL.
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    settings.SIMILAR_INDEX_INLINE = False
    settings.SIMILAR_INDEX_DIR = tmp_path
    here = CaseFactory(title="枫林小区夜间施工噪音", content="工地夜里施工扰民")
    there = CaseFactory(title="县城路灯不亮", content="路灯坏了", region_id="430121001000")
    unasked = CaseFactory(title="医院停车难", content="停车位太少", region_id="430102001000")
    for case in (here, there):
        assert similar.similar_open_cases(case) is None  # the page asks the worker
    stop = threading.Event()
    calls: list[int] = []

    def sweep_until_idle() -> int:
        done = similar_store.similar_indexes_sweep()
        calls.append(done)
        if not done:
            stop.set()
        return done

    run_sweeper(stop, 60, sweep_until_idle, 1, "similar-index-sweeper")
    assert calls == [1, 1, 0]  # one county per call, the next at once
    for case in (here, there):
        assert similar_store.index_path(*similar.county_bounds(case.region_id)).exists()
        assert similar.similar_open_cases(case) == []
    assert not similar_store.index_path(*similar.county_bounds(unasked.region_id)).exists()


@pytest.mark.django_db
def test_worker_once_builds_the_asked_indexes(yuelu: Any, settings: Any, tmp_path: Any) -> None:
    settings.SIMILAR_INDEX_INLINE = False
    settings.SIMILAR_INDEX_DIR = tmp_path
    case = CaseFactory(title="枫林小区夜间施工噪音", content="工地夜里施工扰民")
    twin = CaseFactory(title="枫林小区夜间施工噪音", content="工地夜里施工扰民")
    assert similar.similar_open_cases(case) is None
    call_command("worker", "--once")
    assert [s.case.pk for s in similar.similar_open_cases(case) or []] == [twin.pk]
