"""A new opinion reaches its people: the deputy it is addressed to and the station's staff.

Both ways cases are created are covered: `case_submit` (the phone form, staff intake) and the
public API's journal moved by the worker (`intake_entries_move`).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.cases import queues
from liaison.cases.kpis import kpi_cards
from liaison.cases.models import Case, Channel, Kind, Status
from liaison.cases.services import case_submit
from liaison.cases.services.arrival import Arrival, arrivals_notify
from liaison.cases.services.journal import intake_entry_submit
from liaison.cases.services.journal_move import intake_entries_move
from liaison.cases.tests.factories import case_in
from liaison.notifications.models import Notification, OutboundMessage

pytestmark = pytest.mark.django_db


def _submit(*, station: Any = None, deputy: Any = None, actor: Any = None) -> Case:
    return case_submit(
        kind=Kind.SUGGESTION,
        title="建议增设公交站",
        content="小区门口到地铁站距离较远，建议增设公交站。",
        channel=Channel.WEB,
        station=station,
        deputy=deputy,
        contact_name="赵六",
        contact_phone="13700001111",
        consent=True,
        actor=actor,
    ).case


def _inbox(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_an_opinion_sent_to_a_deputy_reaches_the_deputy(
    station: Any, deputy_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    deputy = deputy_user.deputy
    with django_capture_on_commit_callbacks(execute=True):
        case = _submit(station=station, deputy=deputy)
    # The inbox, and the SMS through the configured backend (the text names the code only).
    assert _inbox(deputy_user) == [f"群众向您反映了意见：{case.tracking_code} {case.title}"]
    sms = OutboundMessage.objects.about(case).filter(channel="sms", recipient_masked="138****5678")
    assert sms.count() == 1
    assert case.tracking_code in sms.get().body
    assert "公交" not in sms.get().body
    # The deputy's own queue holds it, is the default one and is what the home tile counts.
    assert queues.default_queue(deputy_user).key == "to_me"
    to_me = queues.QUEUE_BY_KEY["to_me"]
    assert set(queues.queue_cases(deputy_user, queue=to_me)) == {case}
    assert queues.queue_counts(deputy_user, [to_me]) == {"to_me": 1}
    tile = kpi_cards(deputy_user)[0]
    assert tile["value"] == 1
    assert tile["url"].endswith("?queue=to_me")


def test_the_deputy_queue_holds_open_cases_addressed_or_assigned_to_the_deputy_only(
    station: Any, deputy_user: Any
) -> None:
    deputy = deputy_user.deputy
    addressed = case_in(Status.ACCEPTED, station=station, deputy=deputy)
    assigned = case_in(Status.ASSIGNED, station=station, assigned_deputy=deputy)
    case_in(Status.CLOSED, station=station, deputy=deputy)
    case_in(Status.SUBMITTED, station=station)  # the station's, not the deputy's
    # A deputy who also works at the station still sees only their own in this queue.
    make_member(Role.LIAISON_OFFICER, station=station, user=deputy_user)
    to_me = queues.QUEUE_BY_KEY["to_me"]
    assert set(queues.queue_cases(deputy_user, queue=to_me)) == {addressed, assigned}
    assert to_me in queues.queues_for(deputy_user)


def test_the_station_staff_hear_of_a_new_opinion_but_not_other_stations(
    station: Any,
    other_station: Any,
    station_officer: Any,
    station_head: Any,
    county_staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    elsewhere = make_member(Role.LIAISON_OFFICER, station=other_station)
    with django_capture_on_commit_callbacks(execute=True):
        case = _submit(station=station)
    expected = [f"新意见待受理：{case.tracking_code} {case.title}"]
    assert _inbox(station_officer) == expected
    assert _inbox(station_head) == expected
    assert _inbox(elsewhere) == []
    assert _inbox(county_staff) == []


def test_staff_who_enter_a_case_are_not_told_about_it(
    station: Any, station_officer: Any, station_head: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _submit(station=station, actor=station_officer)
    assert _inbox(station_officer) == []
    assert len(_inbox(station_head)) == 1


def test_cases_moved_from_the_journal_reach_the_deputy_and_the_station(
    station: Any,
    deputy_user: Any,
    station_officer: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.INTAKE_MOVE_INLINE = False
    for n in range(3):
        intake_entry_submit(
            kind=Kind.COMPLAINT,
            title=f"夜间施工噪音扰民{n}",
            content="某工地每晚施工到凌晨两点。",
            station=station,
            deputy=deputy_user.deputy if n == 0 else None,
            consent=True,
        )
    assert Notification.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        intake_entries_move()
    assert Case.objects.count() == 3
    assert len(_inbox(station_officer)) == 3
    assert _inbox(deputy_user) == [
        f"群众向您反映了意见：{c.tracking_code} {c.title}"
        for c in Case.objects.filter(deputy=deputy_user.deputy)
    ]


def test_telling_a_batch_costs_a_fixed_number_of_queries(
    station: Any, other_station: Any, station_officer: Any, station_head: Any
) -> None:
    make_member(Role.STATION_HEAD, station=other_station)
    arrivals = [
        Arrival(
            case_id=case_in(Status.SUBMITTED, station=s).pk,
            tracking_code=f"A{n:08d}",
            title="路灯不亮",
            station_id=s.pk,
            deputy_id=None,
        )
        for n, s in enumerate([station, other_station] * 10)
    ]
    with CaptureQueriesContext(connection) as queries:
        told = arrivals_notify(arrivals=arrivals)
    assert told == 30
    # The station staff, then one insert for every message.
    assert len(queries) == 2


def test_the_deputy_workbench_opens_on_the_deputy_queue(
    station: Any, deputy_user: Any, as_user: Any
) -> None:
    case = case_in(Status.SUBMITTED, station=station, deputy=deputy_user.deputy)
    page = as_user(deputy_user).get("/staff/cases/")
    assert page.context["queue"].key == "to_me"
    assert "致我的意见" in page.content.decode()
    assert case.tracking_code in page.content.decode()
