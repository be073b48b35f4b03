"""Fixtures of the reception tests, shared with the API tests (personas: the project's conftest)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory
from liaison.receptions.tests.factories import ReceptionDayFactory, ReceptionDutyFactory, at


@pytest.fixture
def deputy(deputy_user: Any) -> Any:
    """张代表, who logs in as `deputy_user` and is assigned to the fixture station."""
    return deputy_user.deputy


@pytest.fixture
def colleague(station: Any) -> Any:
    other = DeputyFactory(name="李代表")
    StationDeputyFactory(station=station, deputy=other)
    return other


@pytest.fixture
def future_day(station: Any, deputy: Any) -> Any:
    """A reception day in two days at the fixture station, 张代表 on duty."""
    day = ReceptionDayFactory(station=station)
    ReceptionDutyFactory(day=day, deputy=deputy)
    return day


def earlier_today(*, hours_ago: float, hours: float) -> tuple[datetime.datetime, datetime.datetime]:
    """The start and end of a reception held earlier today: started `hours_ago` and lasted
    `hours`, or, right after local midnight, between midnight and now (the day stays today's,
    as the pages that show it are today's or this month's)."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(now - datetime.timedelta(hours=hours_ago), midnight)
    return start, min(start + datetime.timedelta(hours=hours), start + (now - start) / 2)


@pytest.fixture
def held_day(station: Any, deputy: Any, colleague: Any) -> Any:
    """A reception day that took place earlier today (two hours ago, for an hour)."""
    start, end = earlier_today(hours_ago=2, hours=1)
    day = ReceptionDayFactory(station=station, date=start.date(), starts_at=start, ends_at=end)
    ReceptionDutyFactory(day=day, deputy=deputy)
    ReceptionDutyFactory(day=day, deputy=colleague)
    return day


def day_at(station: Any, date: datetime.date, hour: int = 9, hours: int = 2, **extra: Any) -> Any:
    return ReceptionDayFactory(
        station=station,
        date=date,
        starts_at=at(date, hour),
        ends_at=at(date, hour + hours),
        **extra,
    )
