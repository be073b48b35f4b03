"""Scheduling, recording, publishing and cancelling duty reports: each refusal writes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.audit.models import AuditEvent
from liaison.dutyreports.models import (
    DutyReport,
    DutyReportEvent,
    EventKind,
    RatingCode,
    Representative,
    Status,
)
from liaison.dutyreports.rules import MIN_REPRESENTATIVES_KEY, RATING_DAYS_KEY
from liaison.dutyreports.services import (
    DutyReportConflict,
    Invitee,
    duty_report_hold,
    duty_report_publish,
    duty_report_schedule,
)
from liaison.dutyreports.services.schedule import window_end
from liaison.dutyreports.tests.factories import invitees, report_in
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.workflow.table import ActionRefused, TransitionNotAllowed

pytestmark = pytest.mark.django_db


def _schedule(actor: Any, deputy: Any, station: Any, **overrides: Any) -> DutyReport:
    fields: dict[str, Any] = {
        "title": "年度履职报告",
        "starts_at": timezone.now() + datetime.timedelta(days=7),
        "place": "社区服务中心",
        "invited": invitees(),
    }
    fields.update(overrides)
    return duty_report_schedule(actor=actor, deputy=deputy, station=station, **fields)


def test_scheduling_writes_report_representatives_codes_event_and_audit(
    station_officer: Any, deputy: Any, station: Any
) -> None:
    report = _schedule(station_officer, deputy, station)
    assert report.status == Status.SCHEDULED
    assert report.region_id == station.region_id
    assert Representative.objects.filter(report=report).count() == 10
    assert RatingCode.objects.filter(report=report).count() == 60
    assert DutyReportEvent.objects.get(report=report).kind == EventKind.SCHEDULED
    assert AuditEvent.objects.filter(object_id=str(report.pk)).exists()


def test_fewer_representatives_than_the_setting_is_refused_in_chinese(
    station_officer: Any, deputy: Any, station: Any
) -> None:
    with pytest.raises(ValidationError) as refused:
        _schedule(station_officer, deputy, station, invited=invitees(9))
    assert "至少邀请 10 名选民代表" in " ".join(refused.value.messages)
    assert not DutyReport.objects.exists()
    assert not Representative.objects.exists()


def test_the_minimum_follows_the_jurisdiction_setting(
    station_officer: Any, deputy: Any, station: Any
) -> None:
    JurisdictionSetting.objects.create(
        region_id="430104000000", key=MIN_REPRESENTATIVES_KEY, value=3
    )
    report = _schedule(station_officer, deputy, station, invited=invitees(3))
    assert report.invited.count() == 3


def test_bad_lines_of_representatives_are_named(
    station_officer: Any, deputy: Any, station: Any
) -> None:
    people = [*invitees(10), Invitee(name="", phone="13800000000"), Invitee("李四", "123")]
    with pytest.raises(ValidationError) as refused:
        _schedule(station_officer, deputy, station, invited=people)
    text = " ".join(refused.value.messages)
    assert "第 11 行" in text and "第 12 行" in text
    assert not DutyReport.objects.exists()


def test_representatives_phones_are_encrypted(
    station_officer: Any, deputy: Any, station: Any
) -> None:
    _schedule(station_officer, deputy, station)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone FROM dutyreports_representative")
        rows = cursor.fetchall()
    assert all("选民代表" not in name and "1380000" not in phone for name, phone in rows)


def test_the_window_ends_at_midnight_after_the_last_day(
    station_officer: Any, deputy: Any, station: Any
) -> None:
    JurisdictionSetting.objects.create(region_id="430104000000", key=RATING_DAYS_KEY, value=2)
    start = timezone.make_aware(datetime.datetime(2030, 5, 6, 9, 30))
    report = _schedule(station_officer, deputy, station, starts_at=start)
    closes = timezone.localtime(report.rating_closes_at)
    assert (closes.date(), closes.hour) == (datetime.date(2030, 5, 9), 0)
    assert report.rating_closes_at == window_end(start, 2)


def test_a_deputy_not_at_the_station_is_refused(
    station_officer: Any, station: Any, other_station: Any
) -> None:
    from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory

    elsewhere = DeputyFactory()
    StationDeputyFactory(deputy=elsewhere, station=other_station)
    with pytest.raises(ValidationError) as refused:
        _schedule(station_officer, elsewhere, station)
    assert "deputy" in refused.value.error_dict


def test_staff_of_another_county_may_not_schedule(
    other_county_staff: Any, deputy: Any, station: Any
) -> None:
    with pytest.raises(PermissionDenied):
        _schedule(other_county_staff, deputy, station)


def test_the_deputy_schedules_their_own_report(deputy_user: Any, deputy: Any, station: Any) -> None:
    report = _schedule(deputy_user, deputy, station)
    assert DutyReportEvent.objects.get(report=report).actor_role == "reporter"


def test_the_deputy_may_not_schedule_for_another(
    deputy_user: Any, deputy: Any, station: Any
) -> None:
    from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory

    colleague = DeputyFactory()
    StationDeputyFactory(deputy=colleague, station=station)
    with pytest.raises(PermissionDenied):
        _schedule(deputy_user, colleague, station)


def test_hold_then_publish(station_officer: Any, deputy: Any, station: Any) -> None:
    report = report_in(Status.PUBLISHED, actor=station_officer, deputy=deputy, station=station)
    assert report.status == Status.PUBLISHED
    assert report.attendance == 35 and report.published_at is not None
    kinds = list(DutyReportEvent.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds == [EventKind.SCHEDULED, EventKind.HELD, EventKind.PUBLISHED]


def test_nothing_is_recorded_before_the_meeting(
    station_officer: Any, deputy: Any, station: Any
) -> None:
    report = _schedule(station_officer, deputy, station)
    with pytest.raises(ActionRefused):
        duty_report_hold(
            report=report, actor=station_officer, expected_version=None, text="x", attendance=3
        )
    report.refresh_from_db()
    assert report.status == Status.SCHEDULED and report.text == ""


def test_hold_without_text_or_attendance_is_refused(
    station_officer: Any, deputy: Any, station: Any
) -> None:
    report = report_in(Status.SCHEDULED, actor=station_officer, deputy=deputy, station=station)
    with pytest.raises(ValidationError) as refused:
        duty_report_hold(
            report=report, actor=station_officer, expected_version=None, text=" ", attendance=0
        )
    assert set(refused.value.error_dict) == {"text", "attendance"}


def test_a_stale_version_is_a_conflict(station_officer: Any, deputy: Any, station: Any) -> None:
    report = report_in(Status.SCHEDULED, actor=station_officer, deputy=deputy, station=station)
    with pytest.raises(DutyReportConflict):
        duty_report_hold(
            report=report,
            actor=station_officer,
            expected_version=report.version - 1,
            text="述职",
            attendance=20,
        )


def test_the_deputy_may_not_publish(deputy_user: Any, deputy: Any, station: Any) -> None:
    officer = make_member(Role.LIAISON_OFFICER, station=station, username="o2")
    report = report_in(Status.HELD, actor=officer, deputy=deputy, station=station)
    with pytest.raises(PermissionDenied):
        duty_report_publish(report=report, actor=deputy_user, expected_version=None)


def test_a_cancelled_report_cannot_be_held(station_officer: Any, deputy: Any, station: Any) -> None:
    report = report_in(Status.CANCELLED, actor=station_officer, deputy=deputy, station=station)
    with pytest.raises(TransitionNotAllowed):
        duty_report_hold(
            report=report, actor=station_officer, expected_version=None, text="x", attendance=3
        )
