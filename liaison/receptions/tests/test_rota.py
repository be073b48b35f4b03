"""The rota: clashes across stations, removal, attendance confirmed by the deputy or staff."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liaison.audit.models import AuditEvent
from liaison.deputies.tests.factories import DeputyFactory
from liaison.notifications.models import Notification
from liaison.receptions.models import DutyStatus, ReceptionDuty
from liaison.receptions.services import rota
from liaison.receptions.tests.fixtures import day_at

pytestmark = pytest.mark.django_db


def test_assign_notifies_the_deputy_and_audits(
    future_day: Any, colleague: Any, station_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    colleague.user = None
    with django_capture_on_commit_callbacks(execute=True):
        duty = rota.duty_assign(day=future_day, deputy=colleague, actor=station_officer)
    assert duty.starts_at == future_day.starts_at
    assert AuditEvent.objects.filter(object_type="receptions.receptionduty").count() == 1


def test_deputy_hears_of_the_duty(
    station: Any, deputy: Any, station_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    day = day_at(station, datetime.date.today() + datetime.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        rota.duty_assign(day=day, deputy=deputy, actor=station_officer)
    assert Notification.objects.filter(user=deputy.user, title__contains="接待群众").exists()


def test_same_deputy_at_two_overlapping_days_is_refused_naming_date_and_station(
    future_day: Any, deputy: Any, other_station: Any, platform_admin: Any, hunan: Any
) -> None:
    from liaison.accounts.models import Role
    from liaison.accounts.tests.factories import make_member
    from liaison.regions.models import Region

    province_staff = make_member(
        Role.CONGRESS_STAFF, region=Region.objects.get(code="430000000000")
    )
    elsewhere = day_at(other_station, future_day.date, hour=10)
    with pytest.raises(ValidationError) as caught:
        rota.duty_assign(day=elsewhere, deputy=deputy, actor=province_staff)
    text = str(caught.value)
    assert future_day.date.isoformat() in text and future_day.station.name in text
    assert not elsewhere.duties.exists()


def test_twice_on_one_day_and_back_to_back_days(
    future_day: Any, deputy: Any, station_officer: Any, station: Any
) -> None:
    with pytest.raises(ValidationError, match="已在本接待日值班"):
        rota.duty_assign(day=future_day, deputy=deputy, actor=station_officer)
    afternoon = day_at(station, future_day.date, hour=14)
    rota.duty_assign(day=afternoon, deputy=deputy, actor=station_officer)  # no overlap
    assert ReceptionDuty.objects.filter(deputy=deputy).count() == 2


def test_deputy_outside_scope_and_inactive_are_refused(
    future_day: Any, station_officer: Any, other_county_staff: Any
) -> None:
    stranger = DeputyFactory(home_region_id="430121000000")
    with pytest.raises(ValidationError, match="不在您的辖区"):
        rota.duty_assign(day=future_day, deputy=stranger, actor=station_officer)
    retired = DeputyFactory(is_active=False)
    with pytest.raises(ValidationError, match="不在任"):
        rota.duty_assign(day=future_day, deputy=retired, actor=station_officer)
    with pytest.raises(PermissionDenied):
        rota.duty_assign(day=future_day, deputy=stranger, actor=other_county_staff)
    assert future_day.duties.count() == 1


def test_remove_from_rota(future_day: Any, station_officer: Any) -> None:
    duty = future_day.duties.get()
    rota.duty_remove(duty=duty, actor=station_officer)
    duty.refresh_from_db()
    assert duty.status == DutyStatus.RELEASED
    with pytest.raises(ValidationError):
        rota.duty_remove(duty=duty, actor=station_officer)


def test_past_day_rota_is_frozen(held_day: Any, station_officer: Any, colleague: Any) -> None:
    duty = held_day.duties.first()
    with pytest.raises(ValidationError):
        rota.duty_remove(duty=duty, actor=station_officer)
    with pytest.raises(ValidationError):
        rota.duty_assign(day=held_day, deputy=DeputyFactory(), actor=station_officer)


def test_deputy_confirms_own_attendance(held_day: Any, deputy_user: Any, deputy: Any) -> None:
    duty = held_day.duties.get(deputy=deputy)
    rota.duty_confirm(duty=duty, actor=deputy_user)
    duty.refresh_from_db()
    assert duty.present is True and duty.confirmed_by == deputy_user
    event = AuditEvent.objects.filter(object_type="receptions.receptionduty").last()
    assert event is not None and "本人" in event.note


def test_staff_confirm_for_a_deputy_and_who_is_recorded(
    held_day: Any, station_officer: Any, colleague: Any
) -> None:
    duty = held_day.duties.get(deputy=colleague)
    rota.duty_confirm(duty=duty, actor=station_officer)
    duty.refresh_from_db()
    assert duty.confirmed_by == station_officer
    event = AuditEvent.objects.filter(object_type="receptions.receptionduty").last()
    assert event is not None and "代为" in event.note


def test_confirming_before_the_day_or_for_another_is_refused(
    future_day: Any, held_day: Any, deputy_user: Any, colleague: Any, other_county_staff: Any
) -> None:
    with pytest.raises(ValidationError, match="开始后"):
        rota.duty_confirm(duty=future_day.duties.get(), actor=deputy_user)
    with pytest.raises(PermissionDenied):
        rota.duty_confirm(duty=held_day.duties.get(deputy=colleague), actor=deputy_user)
    with pytest.raises(PermissionDenied):
        rota.duty_confirm(duty=held_day.duties.get(deputy=colleague), actor=other_county_staff)
