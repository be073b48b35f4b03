from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext


def _session_writes(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return sum(q["sql"].startswith('UPDATE "django_session"') for q in ctx.captured_queries)


def test_the_session_is_written_at_most_once_a_minute(
    as_user: Any, county_staff: Any, settings: Any
) -> None:
    client = as_user(county_staff)
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.get("/staff/")
        assert _session_writes(client, "/staff/") == 0
        clock.shift(settings.SESSION_REFRESH_SECONDS + 1)
        assert _session_writes(client, "/staff/") == 1


def test_activity_still_moves_the_idle_expiry(
    as_user: Any, county_staff: Any, settings: Any
) -> None:
    client = as_user(county_staff)
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.get("/staff/")
        first = Session.objects.get().expire_date
        # Active every twenty minutes for an hour: longer than the idle timeout of thirty.
        for _ in range(3):
            clock.shift(datetime.timedelta(minutes=20))
            assert client.get("/staff/").status_code == 200
        assert Session.objects.get().expire_date - first == datetime.timedelta(minutes=60)


def test_an_idle_session_expires(as_user: Any, county_staff: Any, settings: Any) -> None:
    client = as_user(county_staff)
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.get("/staff/")
        clock.shift(datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES, seconds=1))
        assert client.get("/staff/").status_code == 302


def test_public_pages_leave_a_visitor_session_alone(client: Any, hunan: None) -> None:
    assert _session_writes(client, "/") == 0
