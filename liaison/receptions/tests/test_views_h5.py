"""Public faces: the station and deputy pages list published days, the feeds, the sign-in."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from liaison.deputies.tests.factories import DeputyFactory, SeatFactory
from liaison.receptions.models import DayStatus, VisitorSignIn
from liaison.receptions.tests.factories import ReceptionDutyFactory
from liaison.receptions.tests.fixtures import day_at

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return response.content.decode()


def test_station_page_shows_published_days_with_deputies(
    client: Client, future_day: Any, station: Any
) -> None:
    hidden = day_at(station, timezone.localdate() + datetime.timedelta(days=20))  # not yet noticed
    cancelled = day_at(
        station, timezone.localdate() + datetime.timedelta(days=1), status=DayStatus.CANCELLED
    )
    content = text(client.get(reverse("h5:station", kwargs={"code": station.code})))
    assert "代表接待日" in content and "张代表" in content
    assert (
        future_day.starts_at.astimezone(timezone.get_current_timezone()).strftime("%-m月%-d日")
        in content
    )
    assert hidden.date.strftime("%-m月%-d日") not in content or hidden.date == future_day.date
    assert cancelled.place in content  # same place text; the count proves it is not listed twice
    assert content.count('reception-day"') == 1
    assert reverse("receptions_h5:station_feed", kwargs={"code": station.code}) in content


def test_deputy_page_shows_their_days(client: Client, future_day: Any, deputy: Any) -> None:
    content = text(client.get(reverse("deputies_h5:detail", kwargs={"code": deputy.code})))
    assert future_day.station.name in content and "代表接待日" in content
    assert reverse("receptions_h5:deputy_feed", kwargs={"code": deputy.code}) in content


@pytest.mark.parametrize("days", [1, 6])
def test_station_page_within_query_budget(
    client: Client, station: Any, days: int, django_assert_max_num_queries: Any
) -> None:
    for offset in range(days):
        day = day_at(station, timezone.localdate() + datetime.timedelta(days=offset + 1))
        for _ in range(3):
            ReceptionDutyFactory(day=day, deputy=SeatFactory().deputy)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("h5:station", kwargs={"code": station.code}))
    assert response.status_code == 200


@pytest.mark.parametrize("days", [1, 6])
def test_deputy_page_within_query_budget(
    client: Client, station: Any, days: int, django_assert_max_num_queries: Any
) -> None:
    deputy = SeatFactory().deputy
    for offset in range(days):
        day = day_at(station, timezone.localdate() + datetime.timedelta(days=offset + 1))
        ReceptionDutyFactory(day=day, deputy=deputy)
        ReceptionDutyFactory(day=day, deputy=DeputyFactory())
    with django_assert_max_num_queries(10):
        response = client.get(reverse("deputies_h5:detail", kwargs={"code": deputy.code}))
    assert response.status_code == 200


def test_station_feed_parses_back(client: Client, future_day: Any, station: Any) -> None:
    response = client.get(reverse("receptions_h5:station_feed", kwargs={"code": station.code}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"reception-day-{future_day.pk}@liaison.local"
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event.decoded("DTSTART") == future_day.starts_at
    assert "张代表" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == future_day.place
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    again = Calendar.from_ical(client.get(response.request["PATH_INFO"]).content)
    assert str(next(iter(again.walk("VEVENT")))["UID"]) == str(event["UID"])  # stable


def test_deputy_feed_and_unknown_codes(client: Client, future_day: Any, deputy: Any) -> None:
    response = client.get(reverse("receptions_h5:deputy_feed", kwargs={"code": deputy.code}))
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert len(events) == 1
    assert "联络站" in str(events[0]["SUMMARY"])
    assert client.get("/r/d/D0000000.ics").status_code == 404
    assert client.get("/r/s/bad.ics").status_code == 404


def test_feed_holds_no_personal_data(client: Client, held_day: Any, deputy: Any) -> None:
    deputy.mobile = "13912345678"
    deputy.save()
    content = client.get(reverse("receptions_h5:deputy_feed", kwargs={"code": deputy.code})).content
    assert b"13912345678" not in content


def test_sign_in_page(client: Client, held_day: Any) -> None:
    url = reverse("receptions_h5:signin", kwargs={"code": held_day.signin_code})
    assert "来访签到" in text(client.get(url))
    response = client.post(url, {"name": "王小明"})
    assert "签到成功" in text(response)
    response = client.post(url, {"name": "", "anonymous": "on"})
    assert "签到成功" in text(response)
    response = client.post(url, {"name": ""})
    assert "请填写姓名" in text(response)
    assert VisitorSignIn.objects.count() == 2


def test_sign_in_closed_and_unknown(client: Client, future_day: Any) -> None:
    url = reverse("receptions_h5:signin", kwargs={"code": future_day.signin_code})
    assert "不在签到时间内" in text(client.get(url))
    assert client.get(reverse("receptions_h5:signin", kwargs={"code": "nope"})).status_code == 404


def test_sign_in_is_rate_limited(client: Client, held_day: Any) -> None:
    cache.clear()
    url = reverse("receptions_h5:signin", kwargs={"code": held_day.signin_code})
    for _ in range(10):
        client.post(url, {"anonymous": "on"})
    response = client.post(url, {"anonymous": "on"})
    assert response.status_code == 429
    assert "操作过于频繁" in text(response)
    assert VisitorSignIn.objects.count() == 10
    cache.clear()


def test_staff_see_masked_sign_ins(as_user: Any, station_officer: Any, held_day: Any) -> None:
    from liaison.receptions.services.signins import visitor_sign_in

    visitor_sign_in(day=held_day, name="王小明", anonymous=False)
    page = text(as_user(station_officer).get(reverse("receptions:day", kwargs={"pk": held_day.pk})))
    assert "王小明" not in page and "王*" in page
    assert "<svg" in page  # the sign-in QR code
