"""Closing or answering a primary locks it and its duplicates lowest id first, the order merges
and un-merges lock in (`services/common.lock_with_duplicates`), so that it cannot deadlock with
un-merging one of its duplicates."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from liaison.cases import services
from liaison.cases.models import Case, Status
from liaison.cases.services.common import lock_with_duplicates
from liaison.cases.tests.factories import case_in


def _answer(primary: Case, people: dict[str, Any]) -> None:
    services.case_answer_on_spot(
        case=Case.objects.get(pk=primary.pk), actor=people["officer"], reply="已统一答复。"
    )


def _reply(primary: Case, people: dict[str, Any]) -> None:
    services.case_reply(
        case=Case.objects.get(pk=primary.pk), actor=people["clerk"], reply="已统一修复。"
    )


def _close(primary: Case, people: dict[str, Any]) -> None:
    services.case_close(case=Case.objects.get(pk=primary.pk), actor=people["officer"])


def _prepare(act: Callable[..., None], primary: Case, people: dict[str, Any]) -> None:
    """Bring the primary to where `act` applies to it."""
    if act is _reply:
        services.case_assign(
            case=Case.objects.get(pk=primary.pk), actor=people["officer"], unit=people["unit"]
        )
    elif act is _close:
        _answer(primary, people)


def _duplicate_then_primary(station: Any, officer: Any) -> tuple[Case, Case]:
    """The duplicate is the older case: its id comes before the primary's."""
    duplicate = case_in(Status.SUBMITTED, station=station, title="重复件")
    primary = case_in(Status.ACCEPTED, station=station, title="主件")
    services.case_merge(case=duplicate, primary=primary, actor=officer)
    assert duplicate.pk < primary.pk
    return duplicate, primary


@pytest.mark.django_db
def test_lock_with_duplicates_returns_the_followers_lowest_id_first(
    station: Any, station_officer: Any
) -> None:
    primary = case_in(Status.ACCEPTED, station=station)
    assert lock_with_duplicates(primary.pk) == []
    followers = [case_in(Status.SUBMITTED, station=station) for _ in range(3)]
    for follower in reversed(followers):
        services.case_merge(case=follower, primary=primary, actor=station_officer)
    assert lock_with_duplicates(primary.pk) == [f.pk for f in followers]


@pytest.mark.parametrize("act", [_answer, _reply, _close], ids=["answer", "reply", "close"])
@pytest.mark.django_db
def test_the_outcome_still_reaches_the_duplicates(
    act: Callable[..., None],
    station: Any,
    station_officer: Any,
    unit: Any,
    unit_clerk: Any,
) -> None:
    people = {"officer": station_officer, "clerk": unit_clerk, "unit": unit}
    duplicate, primary = _duplicate_then_primary(station, station_officer)
    _prepare(act, primary, people)
    act(primary, people)
    duplicate.refresh_from_db()
    assert duplicate.reply
    assert (duplicate.closed_at is not None) == (act is _close)


def _waiting_on_a_lock() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return int(cursor.fetchone()[0])


@pytest.mark.parametrize("act", [_answer, _reply, _close], ids=["answer", "reply", "close"])
@pytest.mark.django_db(transaction=True)
def test_the_primary_is_not_locked_while_its_older_duplicate_is_waited_for(
    act: Callable[..., None],
    station: Any,
    station_officer: Any,
    unit: Any,
    unit_clerk: Any,
) -> None:
    """An un-merge of the duplicate holds the duplicate and then wants the primary. If the
    close or answer took the primary first and then waited for the duplicate, PostgreSQL
    would end one of the two; waiting for the duplicate before taking the primary lets the
    un-merge finish first."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one lock for the whole database: no lock order to check")
    people = {"officer": station_officer, "clerk": unit_clerk, "unit": unit}
    duplicate, primary = _duplicate_then_primary(station, station_officer)
    _prepare(act, primary, people)
    held, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold_duplicate() -> None:  # the first half of an un-merge: the lower id is locked
        try:
            with transaction.atomic():
                list(Case.objects.select_for_update().filter(pk=duplicate.pk))
                held.set()
                release.wait(timeout=20)
        finally:
            connections.close_all()

    def act_on_primary() -> None:
        try:
            act(primary, people)
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_duplicate)
    holder.start()
    assert held.wait(timeout=10)
    actor = threading.Thread(target=act_on_primary)
    actor.start()
    try:
        deadline = time.monotonic() + 10
        while _waiting_on_a_lock() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting_on_a_lock() == 1
        # The un-merge's second half: the primary is still free while the duplicate is waited for.
        with transaction.atomic():
            locked = Case.objects.select_for_update(nowait=True).filter(pk=primary.pk)
            assert [case.pk for case in locked] == [primary.pk]
    finally:
        release.set()
        holder.join(timeout=20)
        actor.join(timeout=20)
    assert errors == []
    duplicate.refresh_from_db()
    assert duplicate.reply
