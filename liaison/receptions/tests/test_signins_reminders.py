"""Visitors' sign-in (encrypted names) and the reminders sent once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from liaison.audit.models import AuditEvent
from liaison.notifications.models import Notification, OutboundMessage
from liaison.receptions.models import ReceptionReminder, VisitorSignIn
from liaison.receptions.services.reminders import reminders_send
from liaison.receptions.services.signins import visitor_sign_in
from liaison.receptions.tests.factories import ReceptionDutyFactory
from liaison.receptions.tests.fixtures import day_at

pytestmark = pytest.mark.django_db


def test_sign_in_stores_the_name_encrypted(held_day: Any) -> None:
    signin = visitor_sign_in(day=held_day, name="王小明", anonymous=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM receptions_visitorsignin WHERE id = %s", [signin.pk])
        stored = cursor.fetchone()[0]
    assert "王小明" not in stored
    assert VisitorSignIn.objects.get().name == "王小明"
    event = AuditEvent.objects.filter(object_type="receptions.visitorsignin").get()
    assert "王小明" not in event.note and "王小明" not in str(event.after)


def test_anonymous_sign_in_drops_the_name(held_day: Any) -> None:
    signin = visitor_sign_in(day=held_day, name="王小明", anonymous=True)
    assert signin.name == "" and signin.is_anonymous


@pytest.mark.parametrize(
    ("name", "anonymous", "message"),
    [("", False, "请填写姓名"), ("王" * 31, False, "不能超过"), ("王\x07", False, "控制字符")],
)
def test_bad_sign_in(held_day: Any, name: str, anonymous: bool, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        visitor_sign_in(day=held_day, name=name, anonymous=anonymous)
    assert not VisitorSignIn.objects.exists()


def test_sign_in_only_on_the_day(future_day: Any) -> None:
    with pytest.raises(ValidationError, match="签到时间"):
        visitor_sign_in(day=future_day, name="", anonymous=True)


def test_reminders_ahead_and_on_the_morning_never_twice(
    station: Any, deputy: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monday = datetime.date(2025, 11, 17)
    day = day_at(station, monday + datetime.timedelta(days=1))  # Tuesday 09:00
    ReceptionDutyFactory(day=day, deputy=deputy)
    at_sunday = timezone.make_aware(datetime.datetime(2025, 11, 16, 9, 0))
    with time_machine.travel(at_sunday, tick=False):
        assert reminders_send() == 0  # two days ahead: the default is one
    at_monday = timezone.make_aware(datetime.datetime(2025, 11, 17, 9, 0))
    with (
        time_machine.travel(at_monday, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders_send() == 1
        assert reminders_send() == 0
    early = timezone.make_aware(datetime.datetime(2025, 11, 18, 5, 0))
    with time_machine.travel(early, tick=False):
        assert reminders_send() == 0  # too early in the morning
    morning = timezone.make_aware(datetime.datetime(2025, 11, 18, 7, 0))
    with time_machine.travel(morning, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
        assert reminders_send() == 0
    assert ReceptionReminder.objects.count() == 2
    assert Notification.objects.filter(user=deputy.user).count() == 2
    assert OutboundMessage.objects.filter(channel="sms").count() == 2
