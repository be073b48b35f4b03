"""A year of records of the conftest deputy (张代表 of 岳麓街道) in every source app, and a
record of another year that the file of that year must leave out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from liaison.activities.models import Activity, Status
from liaison.activities.tests.factories import activity_in, training_in
from liaison.cases.models import Case, Rating
from liaison.cases.tests.factories import CaseFactory
from liaison.deputies.models import Deputy, DeputyLevel
from liaison.deputies.tests.factories import SeatFactory
from liaison.grids.tests.factories import GridFactory, PostAssignmentFactory, PostFactory
from liaison.receptions.tests.factories import ReceptionDayFactory, ReceptionDutyFactory, at
from liaison.suggestions.tests.factories import suggestion_in

# Last year: every record is in the past and the year is whole, whatever today is.
YEAR = timezone.localdate().year - 1


def on(month: int, day: int, hour: int = 10, year: int = YEAR) -> datetime.datetime:
    return at(datetime.date(year, month, day), hour)


@dataclass
class Filed:
    deputy: Deputy
    station: Any
    activity: Activity
    course: Activity
    case: Case
    old_activity: Activity


@pytest.fixture
def filed(deputy_user: Any, station: Any) -> Filed:
    deputy = Deputy.objects.get(user=deputy_user)
    SeatFactory(deputy=deputy, level=DeputyLevel.COUNTY, term=18, constituency="岳麓第一选区")
    SeatFactory(deputy=deputy, level=DeputyLevel.CITY, congress_id="430100000000", term=16)
    day = ReceptionDayFactory(station=station, date=datetime.date(YEAR, 3, 15), place="接待室甲")
    ReceptionDutyFactory(day=day, deputy=deputy, present=True)
    activity = activity_in(
        Status.VERIFIED, station=station, attended=[deputy], title="老旧小区加装电梯调研",
        starts_at=on(5, 20), ends_at=on(5, 20, 12),
    )  # fmt: skip
    activity_in(Status.SUBMITTED, station=station, attended=[deputy], title="尚未核实的视察",
                starts_at=on(6, 1), ends_at=on(6, 1, 12))  # fmt: skip
    course = training_in(Status.VERIFIED, station=station, attended=[deputy], hours="6",
                         title="预算审查监督专题培训", starts_at=on(7, 2),
                         ends_at=on(7, 2, 16))  # fmt: skip
    old_activity = activity_in(
        Status.VERIFIED, station=station, attended=[deputy], title="前年的河道巡查",
        starts_at=on(4, 1, year=YEAR - 1), ends_at=on(4, 1, 12, year=YEAR - 1),
    )  # fmt: skip
    case = CaseFactory(
        assigned_deputy=deputy, station=station, region_id=station.region_id,
        title="菜市场周边占道经营", status="evaluated", rating=Rating.SATISFIED,
        submitted_at=on(8, 8),
    )  # fmt: skip
    grid = GridFactory(name="桃花岭社区网格", station=station, region_id=station.region_id)
    post = PostFactory(grid=grid, name="安全巡查岗")
    PostAssignmentFactory(post=post, deputy=deputy, starts_on=datetime.date(YEAR, 2, 1))
    suggestion_in("submitted", author=deputy, title="关于增设社区食堂的建议",
                  submitted_at=on(9, 9), station=station)  # fmt: skip
    return Filed(deputy, station, activity, course, case, old_activity)
