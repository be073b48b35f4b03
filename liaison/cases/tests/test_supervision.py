"""督办: the escalation job (yellow, red, once, few queries) and supervision opened by hand."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.cases import services
from liaison.cases.models import Case, CaseEvent, DueState, EventKind, Status, Supervision
from liaison.cases.tasks import escalate_due_cases_task
from liaison.cases.tests.factories import case_in
from liaison.jurisdiction.calendar import add_working_days
from liaison.notifications.models import Notification

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 3)  # a Monday


def wd(n: int) -> datetime.date:
    return add_working_days(TODAY, n)


@pytest.fixture
def people(
    station_officer: Any, county_staff: Any, other_county_staff: Any, unit_clerk: Any
) -> Any:
    return station_officer, county_staff, other_county_staff, unit_clerk


def test_yellow_red_once_and_up_the_chain(station: Any, unit: Any, people: Any) -> None:
    officer, county, other_county, clerk = people
    soon = case_in(Status.ASSIGNED, station=station, unit=unit, reply_due=wd(2))
    late = case_in(Status.ASSIGNED, station=station, unit=unit, reply_due=wd(-1))
    fine = case_in(Status.ASSIGNED, station=station, unit=unit, reply_due=wd(3))
    unaccepted = case_in(Status.SUBMITTED, station=station, accept_due=wd(-2))
    due_today = case_in(Status.SUBMITTED, station=station, accept_due=TODAY)

    result = services.escalate_due_cases(today=TODAY)

    states = dict(Case.objects.values_list("pk", "due_state"))
    assert states[soon.pk] == DueState.YELLOW
    assert states[due_today.pk] == DueState.YELLOW
    assert states[late.pk] == DueState.RED
    assert states[unaccepted.pk] == DueState.RED
    assert states[fine.pk] == DueState.NONE
    assert (result.yellow, result.red) == (2, 2)
    assert set(Supervision.objects.values_list("case_id", "level")) == {
        (soon.pk, "yellow"),
        (due_today.pk, "yellow"),
        (late.pk, "red"),
        (unaccepted.pk, "red"),
    }
    assert set(CaseEvent.objects.values_list("case_id", "kind")) == {
        (soon.pk, EventKind.DUE_WARNING),
        (due_today.pk, EventKind.DUE_WARNING),
        (late.pk, EventKind.OVERDUE),
        (unaccepted.pk, EventKind.OVERDUE),
    }
    assert not CaseEvent.objects.filter(is_public=True).exists()
    # The unit hears about its two cases; station and county about all four; nobody else.
    assert Notification.objects.filter(user=clerk).count() == 2
    assert Notification.objects.filter(user=officer).count() == 4
    assert Notification.objects.filter(user=county).count() == 4
    assert not Notification.objects.filter(user=other_county).exists()
    assert result.notifications == Notification.objects.count()

    counts = (Supervision.objects.count(), CaseEvent.objects.count(), Notification.objects.count())
    again = services.escalate_due_cases(today=TODAY)
    assert (again.yellow, again.red) == (0, 0)
    assert counts == (
        Supervision.objects.count(),
        CaseEvent.objects.count(),
        Notification.objects.count(),
    )


def test_yellow_turns_red_later(station: Any, unit: Any) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit, reply_due=wd(1))
    services.escalate_due_cases(today=TODAY)
    services.escalate_due_cases(today=add_working_days(TODAY, 2))
    case.refresh_from_db()
    assert case.due_state == DueState.RED
    assert set(case.supervisions.values_list("level", flat=True)) == {"yellow", "red"}
    assert list(case.events.values_list("kind", flat=True)) == [
        EventKind.DUE_WARNING,
        EventKind.OVERDUE,
    ]


def test_reply_clears_the_mark(station: Any, unit: Any, unit_clerk: Any) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit, reply_due=wd(-1))
    services.escalate_due_cases(today=TODAY)
    services.case_reply(case=Case.objects.get(pk=case.pk), actor=unit_clerk, reply="已办")
    case.refresh_from_db()
    assert case.due_state == DueState.NONE
    assert not case.supervisions.filter(resolved_at__isnull=True).exists()
    # Replied cases are not watched any more.
    assert services.escalate_due_cases(today=add_working_days(TODAY, 5)).red == 0


def _queries_for(n: int, station: Any, unit: Any) -> int:
    # Cases with events cannot be deleted (decision 0012): the earlier batch is closed instead,
    # which takes it out of the job's watch.
    Case.objects.update(status=Status.CLOSED)
    for i in range(n):
        case_in(
            Status.ASSIGNED,
            station=station,
            unit=unit,
            reply_due=wd(-1) if i % 2 else wd(1),
            region_id="430104002000" if i % 3 else "430104001000",
        )
    with CaptureQueriesContext(connection) as queries:
        result = services.escalate_due_cases(today=TODAY)
    assert result.yellow + result.red == n
    return len(queries)


def test_query_count_does_not_grow_with_cases(station: Any, unit: Any, people: Any) -> None:
    few = _queries_for(5, station, unit)
    many = _queries_for(50, station, unit)
    assert many == few, (few, many)


def test_batches_are_keyset_paginated(
    station: Any, unit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liaison.cases.services import supervision

    monkeypatch.setattr(supervision, "BATCH_SIZE", 3)
    for i in range(8):
        case_in(Status.ASSIGNED, station=station, unit=unit, reply_due=wd(-1 - i % 2))
    result = services.escalate_due_cases(today=TODAY)
    assert result.red == 8
    assert result.batches == 3


@time_machine.travel(datetime.datetime(2025, 3, 3, 10, tzinfo=datetime.UTC), tick=False)
def test_supervision_by_hand_with_new_due(
    station: Any,
    unit: Any,
    county_staff: Any,
    unit_clerk: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit, reply_due=wd(-1))
    services.escalate_due_cases(today=TODAY)
    with pytest.raises(ValidationError):
        services.supervision_open(case=case, actor=county_staff, note="")
    with pytest.raises(ValidationError):  # a Saturday
        services.supervision_open(
            case=case, actor=county_staff, note="抓紧", new_due=datetime.date(2025, 3, 8)
        )
    with pytest.raises(PermissionDenied):
        services.supervision_open(case=case, actor=unit_clerk, note="抓紧")
    with django_capture_on_commit_callbacks(execute=True):
        supervision = services.supervision_open(
            case=case, actor=county_staff, note="请本周内答复", new_due=wd(4)
        )
    case.refresh_from_db()
    assert supervision.level == Supervision.Level.MANUAL
    assert supervision.opened_by == county_staff
    assert case.reply_due == wd(4)
    assert case.due_state == DueState.NONE
    assert list(case.supervisions.filter(resolved_at__isnull=True)) == [supervision]
    assert case.events.filter(kind=EventKind.SUPERVISED, is_public=False).exists()
    assert Notification.objects.filter(user=unit_clerk, title__startswith="督办").exists()


def test_task_and_worker_once_run_the_job(station: Any, unit: Any) -> None:
    case_in(Status.ASSIGNED, station=station, unit=unit, reply_due=wd(-1))
    result = escalate_due_cases_task.enqueue(today=TODAY.isoformat())
    assert result.return_value["red"] == 1
    case_in(Status.SUBMITTED, station=station, accept_due=datetime.date(2000, 1, 3))
    call_command("worker", "--once")
    assert Case.objects.filter(due_state=DueState.RED).count() == 2


def test_a_new_case_is_never_yellow_on_arrival(station: Any, county_staff: Any) -> None:
    """The 2-day acceptance deadline used to equal the 2-day warning: every new case was yellow
    at the next run, minutes after it arrived. Acceptance now warns 1 working day ahead."""
    arrived = case_in(Status.SUBMITTED, station=station, accept_due=wd(2))
    services.escalate_due_cases(today=TODAY)
    assert Case.objects.get(pk=arrived.pk).due_state == DueState.NONE
    services.escalate_due_cases(today=wd(1))
    assert Case.objects.get(pk=arrived.pk).due_state == DueState.YELLOW


def test_warning_window_is_capped_below_the_deadline_whatever_is_stored(
    station: Any, unit: Any
) -> None:
    from liaison.jurisdiction.models import JurisdictionSetting

    # Rows written around the settings page (an old installation, a fixture) cannot flag a
    # case on arrival either: the window stays one working day shorter than the stage.
    JurisdictionSetting.objects.create(
        region_id=station.region_id, key="case_accept_warning_working_days", value=5
    )
    JurisdictionSetting.objects.create(
        region_id=station.region_id, key="case_warning_working_days", value=15
    )
    new = case_in(Status.SUBMITTED, station=station, accept_due=wd(2))
    assigned = case_in(Status.ASSIGNED, station=station, unit=unit, reply_due=wd(15))
    services.escalate_due_cases(today=TODAY)
    states = dict(Case.objects.values_list("pk", "due_state"))
    assert states[new.pk] == DueState.NONE
    assert states[assigned.pk] == DueState.NONE
